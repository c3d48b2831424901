// Site page: each milestone's planned and actual date on a time axis (one row per milestone).
// Data comes from <script type="application/json" id="site-timeline-data"> (CSP: no inline JS).
document.addEventListener("DOMContentLoaded", () => {
  const canvas = document.getElementById("site-timeline");
  const source = document.getElementById("site-timeline-data");
  if (!canvas || !source || typeof Chart === "undefined") return;
  const data = JSON.parse(source.textContent);
  const day = (iso) => (iso ? new Date(iso + "T00:00:00Z").getTime() : null);
  const points = (dates) =>
    dates.map((iso, index) => (iso ? { x: day(iso), y: data.labels[index] } : null)).filter(Boolean);
  const css = getComputedStyle(document.documentElement);
  const colour = (name, fallback) => css.getPropertyValue(name).trim() || fallback;
  const label = (value) => new Date(value).toISOString().slice(0, 10);
  canvas.dataset.ready = "false";
  new Chart(canvas, {
    type: "scatter",
    data: {
      datasets: [
        { label: data.legend.planned, data: points(data.planned), pointStyle: "rectRot", pointRadius: 6,
          backgroundColor: "rgba(15, 92, 140, 0.25)", borderColor: colour("--brand", "#0f5c8c") },
        { label: data.legend.actual, data: points(data.actual), pointStyle: "circle", pointRadius: 5,
          backgroundColor: colour("--ok", "#1e7d4f"), borderColor: colour("--ok", "#1e7d4f") },
      ],
    },
    options: {
      maintainAspectRatio: false,
      animation: false,
      scales: {
        y: { type: "category", labels: data.labels, offset: true },
        x: { type: "linear", ticks: { callback: (value) => label(value), maxTicksLimit: 6 } },
      },
      plugins: {
        tooltip: { callbacks: { label: (ctx) => `${ctx.dataset.label}: ${label(ctx.parsed.x)}` } },
      },
    },
  });
  canvas.dataset.ready = "true";
});
