// Offline entry for county officials (no inline script: CSP). The pages stay server-rendered; this file
// 1. registers the service worker that keeps This month and the entry forms (scope /reports/),
// 2. keeps a draft typed without a connection in IndexedDB, checked with the same field rules as the server,
// 3. syncs those drafts through the API (same services and version checks as online entry) when the
//    connection returns, showing a conflict side by side instead of overwriting, and keeping what was refused,
// 4. on sign-out, warns about unsynced drafts and deletes the user's pages and drafts from the device.
(() => {
  "use strict";
  const texts = () => (document.getElementById("offline-texts") || {}).dataset || {};
  const DB_NAME = "regional-offline";
  const STORE = "drafts";
  const FIGURES = [
    "output_value_thousand_won", "physical_output", "varieties_produced", "raw_material_used_tonnes",
    "raw_material_from_own_bases_tonnes", "days_worked", "workers_on_roll",
  ];
  const WHOLE = new Set(["varieties_produced", "days_worked", "workers_on_roll"]);

  // --- IndexedDB ---------------------------------------------------------------------------------------
  function openDb() {
    return new Promise((resolve, reject) => {
      const request = indexedDB.open(DB_NAME, 1);
      request.onupgradeneeded = () => {
        const store = request.result.createObjectStore(STORE, { keyPath: "key" });
        store.createIndex("user", "userId");
      };
      request.onsuccess = () => resolve(request.result);
      request.onerror = () => reject(request.error);
    });
  }
  async function withStore(mode, work) {
    const db = await openDb();
    return new Promise((resolve, reject) => {
      const transaction = db.transaction(STORE, mode);
      const result = work(transaction.objectStore(STORE));
      transaction.oncomplete = () => { db.close(); resolve(result && "result" in result ? result.result : result); };
      transaction.onerror = () => { db.close(); reject(transaction.error); };
    });
  }
  const putDraft = (draft) => withStore("readwrite", (store) => store.put(draft));
  const deleteDraft = (key) => withStore("readwrite", (store) => store.delete(key));
  const getDraft = (key) => withStore("readonly", (store) => store.get(key));
  const userDrafts = (userId) => withStore("readonly", (store) => store.index("user").getAll(String(userId)));
  async function deleteUserDrafts(userId) {
    for (const draft of await userDrafts(userId)) await deleteDraft(draft.key);
  }
  window.regionalOffline = { userDrafts, putDraft, deleteUserDrafts };

  // --- the field checks the server makes (services.validate_report_figures); the server stays the authority
  function checkFigures(form) {
    const t = texts();
    const errors = {};
    const values = {};
    for (const name of FIGURES) {
      const input = form.elements[name];
      const raw = (input.value || "").trim();
      if (raw === "") { errors[name] = t.required; continue; }
      if (!/^\d+(\.\d+)?$/.test(raw)) {
        errors[name] = /^-/.test(raw) ? t.min : (WHOLE.has(name) ? t.whole : t.number);
        continue;
      }
      if (WHOLE.has(name) && raw.includes(".")) { errors[name] = t.whole; continue; }
      if (!WHOLE.has(name) && /\.\d{3,}$/.test(raw)) { errors[name] = t.decimals; continue; }
      values[name] = Number(raw);
    }
    if (!errors.raw_material_from_own_bases_tonnes && !errors.raw_material_used_tonnes
        && values.raw_material_from_own_bases_tonnes > values.raw_material_used_tonnes) {
      errors.raw_material_from_own_bases_tonnes = t.ownExceeds;
    }
    const days = Number(form.dataset.daysInMonth);
    if (!errors.days_worked && values.days_worked > days) errors.days_worked = t.daysExceed;
    return errors;
  }
  function showErrors(form, errors) {
    form.querySelectorAll(".errorlist.offline-error").forEach((list) => list.remove());
    form.querySelectorAll(".has-error.offline-flag").forEach((row) => row.classList.remove("has-error", "offline-flag"));
    for (const [name, message] of Object.entries(errors)) {
      const input = form.elements[name];
      const list = document.createElement("ul");
      list.className = "errorlist offline-error";
      const item = document.createElement("li");
      item.textContent = message;
      list.appendChild(item);
      input.closest(".figure-input, .field").appendChild(list);
      const row = input.closest(".figure-row, .field");
      if (!row.classList.contains("has-error")) row.classList.add("has-error", "offline-flag");
    }
    const first = Object.keys(errors)[0];
    if (first) form.elements[first].focus();
  }

  // --- status callouts ---------------------------------------------------------------------------------
  function callout(container, kind, message, testId) {
    let box = container.querySelector(`[data-testid="${testId}"]`);
    if (!box) {
      box = document.createElement("div");
      box.dataset.testid = testId;
      container.prepend(box);
    }
    box.className = `callout ${kind}`;
    box.setAttribute("role", "status");
    box.textContent = message;
    return box;
  }
  const draftKey = (userId, form) => `${userId}|${form.dataset.factory}|${form.dataset.month}`;

  // --- the entry form ----------------------------------------------------------------------------------
  async function setUpEntryForm(form, userId) {
    const key = draftKey(userId, form);
    const stored = await getDraft(key);
    if (stored) {
      for (const [name, value] of Object.entries(stored.figures)) {
        if (form.elements[name]) form.elements[name].value = value;
      }
      callout(form, "warn", `${texts().fromDevice} (${texts()[stored.status] || stored.status}${stored.message ? `: ${stored.message}` : ""})`, "offline-draft");
    }
    form.addEventListener("submit", async (event) => {
      if (navigator.onLine) return; // online: the server handles it as always
      event.preventDefault();
      const action = event.submitter ? event.submitter.value : "save";
      if (action === "submit") {
        callout(form, "bad", texts().offlineSubmit, "offline-draft");
        return;
      }
      const errors = checkFigures(form);
      showErrors(form, errors);
      if (Object.keys(errors).length) return;
      const figures = {};
      const labels = {};
      for (const name of [...FIGURES, "comment"]) {
        figures[name] = (form.elements[name].value || "").trim();
        const label = form.querySelector(`label[for="${form.elements[name].id}"]`);
        labels[name] = label ? label.textContent.trim() : name;
      }
      const now = new Date();
      await putDraft({
        key, userId: String(userId), factory: form.dataset.factory, factoryName: form.dataset.factoryName,
        month: form.dataset.month, monthLabel: form.dataset.monthLabel, entryUrl: window.location.pathname,
        reportId: form.dataset.reportId || null, version: form.dataset.version ? Number(form.dataset.version) : null,
        figures, labels, status: "waiting", message: "", savedAt: now.toISOString(),
      });
      const time = now.toLocaleTimeString(document.documentElement.lang || undefined, { hour: "2-digit", minute: "2-digit" });
      callout(form, "ok", texts().savedOnDevice.replace("%(time)s", time), "offline-draft");
      window.scrollTo(0, 0);
    });
  }

  // --- sync ------------------------------------------------------------------------------------------
  function csrfToken() {
    const input = document.querySelector("input[name=csrfmiddlewaretoken]");
    if (input) return input.value;
    const match = document.cookie.match(/(?:^|;\s*)csrftoken=([^;]+)/);
    return match ? decodeURIComponent(match[1]) : "";
  }
  async function api(method, url, body) {
    const response = await fetch(url, {
      method,
      credentials: "same-origin",
      headers: { "Content-Type": "application/json", Accept: "application/json", "X-CSRFToken": csrfToken() },
      body: body ? JSON.stringify(body) : undefined,
    });
    let data = {};
    try { data = await response.json(); } catch (error) { data = {}; }
    return { status: response.status, data };
  }
  function errorText(data) {
    if (!data || typeof data !== "object") return "";
    if (data.detail) return String(data.detail);
    return Object.entries(data).map(([field, messages]) => `${field}: ${[].concat(messages).join(" ")}`).join("; ");
  }
  function figuresBody(draft) {
    const body = {};
    for (const [name, value] of Object.entries(draft.figures)) if (value !== "" || name === "comment") body[name] = value;
    return body;
  }
  async function serverReport(draft) {
    if (draft.reportId) return (await api("GET", `${texts().apiReports}${draft.reportId}/`)).data;
    const query = `?factory=${encodeURIComponent(draft.factory)}&month_from=${draft.month}&month_to=${draft.month}`;
    const list = (await api("GET", `${texts().apiReports}${query}`)).data;
    return (list.results || [])[0] || null;
  }
  async function syncDraft(draft, { force = false } = {}) {
    const base = texts().apiReports;
    let result;
    if (draft.reportId) {
      const version = force && draft.serverVersion ? draft.serverVersion : draft.version;
      result = await api("PATCH", `${base}${draft.reportId}/`, { ...figuresBody(draft), version });
    } else {
      result = await api("POST", base, { ...figuresBody(draft), factory: draft.factory, month: draft.month });
    }
    if (result.status === 200 || result.status === 201) {
      await deleteDraft(draft.key);
      return "synced";
    }
    if (result.status === 409) {
      const server = await serverReport(draft);
      await putDraft({
        ...draft, status: "conflict", message: errorText(result.data),
        reportId: draft.reportId || (server && server.id) || null,
        serverVersion: server ? server.version : null,
        serverFigures: server ? Object.fromEntries([...FIGURES, "comment"].map((name) => [name, server[name]])) : {},
      });
      return "conflict";
    }
    if (result.status === 0 || result.status >= 500) return "waiting"; // the server is not reachable yet
    await putDraft({ ...draft, status: "refused", message: errorText(result.data) || `HTTP ${result.status}` });
    return "refused";
  }
  let syncing = false;
  async function syncAll(userId) {
    if (syncing || !navigator.onLine) return;
    syncing = true;
    try {
      let synced = 0;
      for (const draft of await userDrafts(userId)) {
        if (draft.status !== "waiting") continue;
        try {
          if ((await syncDraft(draft)) === "synced") synced += 1;
        } catch (error) {
          // Network gone again: the draft stays waiting.
        }
      }
      if (synced) {
        const main = document.querySelector("main.page");
        callout(main, "ok", texts().synced, "offline-synced");
        const form = document.querySelector("form[data-offline-form]");
        if (form && !(await getDraft(draftKey(userId, form)))) {
          const stale = form.querySelector('[data-testid="offline-draft"]');
          if (stale) stale.remove();
        }
      }
      await renderQueue(userId);
    } finally {
      syncing = false;
    }
  }

  // --- the queue on This month: waiting, refused and conflicting drafts, side by side ------------------
  function element(tag, attributes = {}, text = "") {
    const node = document.createElement(tag);
    for (const [name, value] of Object.entries(attributes)) node.setAttribute(name, value);
    if (text) node.textContent = text;
    return node;
  }
  async function renderQueue(userId) {
    const section = document.querySelector("[data-offline-queue]");
    if (!section) return;
    const t = texts();
    const drafts = await userDrafts(userId);
    section.replaceChildren();
    section.hidden = drafts.length === 0;
    if (!drafts.length) return;
    section.appendChild(element("h2", {}, t.queueTitle));
    for (const draft of drafts) {
      const item = element("div", { class: `offline-item state-${draft.status}`, "data-testid": `offline-${draft.factory}-${draft.month}` });
      const head = element("p");
      head.appendChild(element("a", { href: draft.entryUrl }, `${draft.factoryName} · ${draft.monthLabel}`));
      head.appendChild(document.createTextNode(" "));
      head.appendChild(element("span", { class: `badge ${draft.status === "waiting" ? "warn" : "bad"}` }, t[draft.status] || draft.status));
      item.appendChild(head);
      if (draft.message) item.appendChild(element("p", { class: "muted" }, draft.message));
      if (draft.status === "conflict") {
        item.appendChild(element("p", {}, t.conflictHelp));
        const wrap = element("div", { class: "table-wrap" });
        const table = element("table", { class: "conflict-table" });
        const headRow = element("tr");
        [t.figure, t.onDevice, t.onServer].forEach((label) => headRow.appendChild(element("th", {}, label)));
        table.appendChild(element("thead")).appendChild(headRow);
        const body = element("tbody");
        for (const [name, value] of Object.entries(draft.figures)) {
          const server = draft.serverFigures ? draft.serverFigures[name] : "";
          const row = element("tr", String(server ?? "") !== String(value ?? "") ? { class: "differs" } : {});
          row.appendChild(element("td", {}, draft.labels[name] || name));
          row.appendChild(element("td", { class: "num" }, String(value ?? "")));
          row.appendChild(element("td", { class: "num" }, String(server ?? "")));
          body.appendChild(row);
        }
        table.appendChild(body);
        wrap.appendChild(table);
        item.appendChild(wrap);
        const actions = element("div", { class: "form-actions" });
        const keepDevice = element("button", { type: "button", class: "btn" }, t.keepDevice);
        keepDevice.addEventListener("click", async () => { await syncDraft(draft, { force: true }); await renderQueue(userId); });
        const keepServer = element("button", { type: "button", class: "btn secondary" }, t.keepServer);
        keepServer.addEventListener("click", async () => { await deleteDraft(draft.key); await renderQueue(userId); });
        actions.append(keepDevice, keepServer);
        item.appendChild(actions);
      } else if (draft.status === "refused") {
        const actions = element("div", { class: "form-actions" });
        const retry = element("button", { type: "button", class: "btn secondary" }, t.retry);
        retry.addEventListener("click", async () => { await putDraft({ ...draft, status: "waiting" }); await syncAll(userId); });
        const discard = element("button", { type: "button", class: "btn secondary" }, t.discard);
        discard.addEventListener("click", async () => { await deleteDraft(draft.key); await renderQueue(userId); });
        actions.append(retry, discard);
        item.appendChild(actions);
      }
      section.appendChild(item);
    }
  }

  // --- sign-out: warn, then delete this user's pages and drafts from the device -------------------------
  function setUpLogout(userId) {
    document.querySelectorAll('form[action$="/logout/"]').forEach((form) => {
      form.addEventListener("submit", async (event) => {
        if (form.dataset.cleared) return;
        event.preventDefault();
        const unsynced = await userDrafts(userId);
        if (unsynced.length && !window.confirm(texts().logoutWarning)) return;
        await deleteUserDrafts(userId);
        if ("caches" in window) await caches.delete(`regional-pages-u${userId}`);
        const registration = "serviceWorker" in navigator ? await navigator.serviceWorker.getRegistration("/reports/") : null;
        if (registration && registration.active) registration.active.postMessage({ type: "forget-user", userId: String(userId) });
        form.dataset.cleared = "1";
        form.submit();
      });
    });
  }

  function showConnection() {
    const banner = document.getElementById("offline-banner");
    if (!banner) return;
    banner.textContent = texts().offlineBanner || "";
    banner.hidden = navigator.onLine;
  }

  document.addEventListener("DOMContentLoaded", () => {
    const t = texts();
    const userId = t.userId;
    if (!userId) return; // only county officials enter reports
    if ("serviceWorker" in navigator) {
      navigator.serviceWorker.register(t.serviceWorker, { scope: "/reports/" }).catch(() => {});
    }
    setUpLogout(userId);
    showConnection();
    window.addEventListener("offline", showConnection);
    window.addEventListener("online", () => { showConnection(); syncAll(userId); });
    const form = document.querySelector("form[data-offline-form]");
    const ready = form ? setUpEntryForm(form, userId) : Promise.resolve();
    ready.then(() => renderQueue(userId)).then(() => syncAll(userId));
  });
})();
