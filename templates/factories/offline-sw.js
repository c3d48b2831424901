{% load static %}// Regional's service worker: the county's This month page and its entry forms open without a connection.
// Scope: /reports/ (where it is served); it keeps only those pages, per signed-in user, and the app's own
// static files. Everything else goes to the network untouched. Drafts typed offline live in the page's
// IndexedDB (static/js/offline.js), never here.
const VERSION = "{{ version }}";
const STATIC_CACHE = `regional-static-${VERSION}`;
const META_CACHE = "regional-meta";
const PAGE_CACHE_PREFIX = "regional-pages-u";
const STATIC_FILES = [
  "{% static 'css/app.css' %}",
  "{% static 'js/app.js' %}",
  "{% static 'js/offline.js' %}",
  "{% static 'vendor/htmx/htmx.min.js' %}",
  "{% static 'favicon.svg' %}",
];
// Pages kept for offline use: This month and the entry forms (not their live checks, not other pages).
const OFFLINE_PAGES = [/^\/reports\/this-month\/$/, /^\/reports\/enter\/[\w-]+\/\d{4}-\d{2}\/$/];
const USER_MARK = /<body[^>]*data-user-id="(\d+)"/;

self.addEventListener("install", (event) => {
  event.waitUntil(caches.open(STATIC_CACHE).then((cache) => cache.addAll(STATIC_FILES)).then(() => self.skipWaiting()));
});

self.addEventListener("activate", (event) => {
  event.waitUntil(
    caches.keys()
      .then((keys) => Promise.all(keys.filter((key) => key.startsWith("regional-static-") && key !== STATIC_CACHE).map((key) => caches.delete(key))))
      .then(() => self.clients.claim()),
  );
});

async function currentUser() {
  const response = await (await caches.open(META_CACHE)).match("/__regional_user");
  return response ? response.text() : "";
}

async function setCurrentUser(userId) {
  await (await caches.open(META_CACHE)).put("/__regional_user", new Response(userId || ""));
}

async function forgetUser(userId) {
  if (userId) await caches.delete(`${PAGE_CACHE_PREFIX}${userId}`);
  await setCurrentUser("");
}

self.addEventListener("message", (event) => {
  const message = event.data || {};
  if (message.type === "forget-user") event.waitUntil(forgetUser(String(message.userId || "")));
});

function offlinePage() {
  const html = `<!doctype html><html><head><meta charset="utf-8"><meta name="viewport" content="width=device-width, initial-scale=1">
<title>Offline · Regional</title><link rel="stylesheet" href="{% static 'css/app.css' %}"></head>
<body><main class="page"><div class="card empty" data-testid="offline-unavailable"><h1>{{ offline_title|escapejs }}</h1>
<p>{{ offline_text|escapejs }}</p></div></main></body></html>`;
  return new Response(html, { status: 503, headers: { "Content-Type": "text/html; charset=utf-8" } });
}

async function networkFirstPage(request) {
  const url = new URL(request.url);
  try {
    const response = await fetch(request);
    if (response.ok && !response.redirected) {
      const text = await response.clone().text();
      const match = text.match(USER_MARK);
      const userId = match ? match[1] : "";
      await setCurrentUser(userId);
      if (userId) await (await caches.open(`${PAGE_CACHE_PREFIX}${userId}`)).put(url.pathname, response.clone());
    }
    return response;
  } catch (error) {
    const userId = await currentUser();
    if (userId) {
      const cached = await (await caches.open(`${PAGE_CACHE_PREFIX}${userId}`)).match(url.pathname);
      if (cached) return cached;
    }
    return offlinePage();
  }
}

async function staticFirst(request) {
  const cached = await caches.match(request, { cacheName: STATIC_CACHE });
  return cached || fetch(request);
}

self.addEventListener("fetch", (event) => {
  const request = event.request;
  if (request.method !== "GET") return;
  const url = new URL(request.url);
  if (url.origin !== self.location.origin) return;
  if (request.mode === "navigate" && OFFLINE_PAGES.some((pattern) => pattern.test(url.pathname))) {
    event.respondWith(networkFirstPage(request));
  } else if (request.mode === "navigate") {
    // Any other page: remember who is signed in (or that nobody is), then let the network answer.
    event.respondWith(fetch(request).then(async (response) => {
      if (response.ok && (response.headers.get("Content-Type") || "").startsWith("text/html")) {
        const match = (await response.clone().text()).match(USER_MARK);
        await setCurrentUser(match ? match[1] : "");
      }
      return response;
    }).catch(() => offlinePage()));
  } else if (STATIC_FILES.includes(url.pathname)) {
    event.respondWith(staticFirst(request));
  }
});
