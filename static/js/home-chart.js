// Home page: cumulative localities scheduled and inaugurated per round, against the plan and the scope.
// Data comes from the page's <script type="application/json" id="programme-chart-data"> (CSP: no inline JS).
document.addEventListener("DOMContentLoaded", () => {
  const canvas = document.getElementById("programme-chart");
  const source = document.getElementById("programme-chart-data");
  if (!canvas || !source || typeof Chart === "undefined") return;
  const data = JSON.parse(source.textContent);
  const css = getComputedStyle(document.documentElement);
  const colour = (name, fallback) => css.getPropertyValue(name).trim() || fallback;
  const brand = colour("--brand", "#0f5c8c");
  const ok = colour("--ok", "#1e7d4f");
  const muted = colour("--muted", "#5d6b7a");
  const accent = colour("--accent", "#c0392b");

  canvas.dataset.ready = "false";
  new Chart(canvas, {
    data: {
      labels: data.years,
      datasets: [
        {
          type: "bar",
          label: data.labels.inaugurated,
          data: data.inaugurated,
          backgroundColor: ok,
          borderRadius: 3,
          order: 2,
          grouped: false,
          barPercentage: 0.55,
        },
        {
          type: "bar",
          label: data.labels.scheduled,
          data: data.scheduled,
          backgroundColor: "rgba(15, 92, 140, 0.22)",
          borderColor: brand,
          borderWidth: 1,
          borderRadius: 3,
          order: 3,
          grouped: false,
          barPercentage: 0.8,
        },
        {
          type: "line",
          label: data.labels.plan,
          data: data.plan,
          borderColor: muted,
          borderDash: [6, 4],
          borderWidth: 2,
          pointRadius: 2,
          fill: false,
          order: 1,
        },
        {
          type: "line",
          label: data.labels.scope,
          data: data.scope,
          borderColor: accent,
          borderWidth: 2,
          pointRadius: 0,
          fill: false,
          order: 0,
        },
      ],
    },
    options: {
      responsive: true,
      maintainAspectRatio: false,
      animation: false,
      interaction: { mode: "index", intersect: false },
      plugins: {
        legend: { position: "bottom", labels: { boxWidth: 14, sort: (a, b) => a.datasetIndex - b.datasetIndex } },
        tooltip: { callbacks: { title: (items) => String(items[0].label) } },
      },
      scales: {
        x: { grid: { display: false } },
        y: {
          beginAtZero: true,
          suggestedMax: Math.max(...data.plan, ...data.scope),
          title: { display: true, text: data.labels.axis },
          ticks: { precision: 0 },
        },
      },
    },
  });
  canvas.dataset.ready = "true";
});
