// Pivot explorer: one series per row (the first twelve), the columns along the x axis; bar or line.
document.addEventListener("DOMContentLoaded", () => {
  const source = document.getElementById("pivot-chart-data");
  const canvas = document.getElementById("pivot-chart");
  if (!source || !canvas || typeof Chart === "undefined") return;
  const data = JSON.parse(source.textContent);
  if (!data) return;
  const palette = ["#0f5c8c", "#c0392b", "#1e7d4f", "#b7791f", "#6b21a8", "#0e7490", "#9d174d", "#4d7c0f", "#92400e", "#1d4ed8", "#be123c", "#475569"];
  const scale = data.percent ? 100 : 1;
  new Chart(canvas, {
    type: data.type === "line" ? "line" : "bar",
    data: {
      labels: data.labels,
      datasets: data.series.map((series, index) => ({
        label: series.label,
        data: series.data.map((value) => (value === null ? null : Number(value) * scale)),
        backgroundColor: palette[index % palette.length],
        borderColor: palette[index % palette.length],
        borderWidth: data.type === "line" ? 2 : 0,
        pointRadius: 2,
        spanGaps: false,
      })),
    },
    options: {
      responsive: true, maintainAspectRatio: false, animation: false,
      interaction: { mode: "index", intersect: false },
      scales: { y: { ticks: { callback: (value) => (data.percent ? `${value} %` : value) } } },
      plugins: { legend: { position: "bottom" } },
    },
  });
  canvas.dataset.ready = "true";
});
