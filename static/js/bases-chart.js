// County page: the raw-material bases' area (bars, ha) and yield (line, t) per year.
// Data comes from <script type="application/json" id="bases-chart-data"> (CSP: no inline JS).
document.addEventListener("DOMContentLoaded", () => {
  const canvas = document.getElementById("bases-chart");
  const source = document.getElementById("bases-chart-data");
  if (!canvas || !source || typeof Chart === "undefined") return;
  const data = JSON.parse(source.textContent);
  const number = (text) => (text === null ? null : Number(text));
  const css = getComputedStyle(document.documentElement);
  const colour = (name, fallback) => css.getPropertyValue(name).trim() || fallback;
  canvas.dataset.ready = "false";
  new Chart(canvas, {
    data: {
      labels: data.years,
      datasets: [
        { type: "bar", label: data.labels.area, data: data.area.map(number), yAxisID: "area",
          backgroundColor: "rgba(30, 125, 79, 0.35)", borderColor: colour("--ok", "#1e7d4f"), borderWidth: 1 },
        { type: "line", label: data.labels.yield, data: data.yield.map(number), yAxisID: "yield",
          borderColor: colour("--brand", "#0f5c8c"), backgroundColor: colour("--brand", "#0f5c8c"), tension: 0.2 },
      ],
    },
    options: {
      maintainAspectRatio: false,
      animation: false,
      scales: {
        area: { position: "left", beginAtZero: true, title: { display: true, text: data.labels.area } },
        yield: { position: "right", beginAtZero: true, grid: { drawOnChartArea: false },
                 title: { display: true, text: data.labels.yield } },
      },
    },
  });
  canvas.dataset.ready = "true";
});
