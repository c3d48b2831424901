// Factory page: output against the month's plan, and raw material from own bases against bought.
// Data from <script type="application/json" id="factory-chart-data"> (CSP: no inline script).
document.addEventListener("DOMContentLoaded", () => {
  const source = document.getElementById("factory-chart-data");
  const labels = (document.getElementById("factory-chart-labels") || {}).dataset || {};
  if (!source || typeof Chart === "undefined") return;
  const data = JSON.parse(source.textContent);
  const number = (values) => values.map((value) => (value === null ? null : Number(value)));
  const css = getComputedStyle(document.documentElement);
  const colour = (name, fallback) => css.getPropertyValue(name).trim() || fallback;
  const common = { responsive: true, maintainAspectRatio: false, animation: false, interaction: { mode: "index", intersect: false } };
  const output = document.getElementById("factory-output-chart");
  if (output) {
    new Chart(output, {
      data: {
        labels: data.labels,
        datasets: [
          { type: "bar", label: labels.output, data: number(data.output), backgroundColor: colour("--brand", "#0f5c8c"), borderRadius: 3 },
          { type: "line", label: labels.plan, data: number(data.plan), borderColor: colour("--accent", "#c0392b"), borderDash: [6, 4], pointRadius: 2, fill: false },
        ],
      },
      options: common,
    });
    output.dataset.ready = "true";
  }
  const material = document.getElementById("factory-material-chart");
  if (material) {
    new Chart(material, {
      type: "bar",
      data: {
        labels: data.labels,
        datasets: [
          { label: labels.own, data: number(data.own), backgroundColor: colour("--ok", "#1e7d4f"), stack: "m" },
          { label: labels.bought, data: number(data.bought), backgroundColor: "rgba(93, 107, 122, 0.45)", stack: "m" },
        ],
      },
      options: { ...common, scales: { x: { stacked: true }, y: { stacked: true } } },
    });
    material.dataset.ready = "true";
  }
});
