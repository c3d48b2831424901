// Standings pages: the county's composite-and-rank chart. Data comes from a json_script block (CSP-safe).
document.addEventListener("DOMContentLoaded", () => {
  const canvas = document.getElementById("county-history-chart");
  const source = document.getElementById("county-history-data");
  if (!canvas || !source || typeof Chart === "undefined") return;
  const data = JSON.parse(source.textContent);
  const chart = new Chart(canvas, {
    type: "line",
    data: {
      labels: data.labels,
      datasets: [
        {
          label: data.labelComposite,
          data: data.composite,
          yAxisID: "composite",
          borderColor: "#0f5c8c",
          backgroundColor: "rgba(15, 92, 140, 0.12)",
          fill: true,
          tension: 0.25,
          spanGaps: true,
        },
        {
          label: data.labelRank,
          data: data.rank,
          yAxisID: "rank",
          borderColor: "#c0392b",
          borderDash: [6, 4],
          pointStyle: "rectRot",
          tension: 0.25,
          spanGaps: true,
        },
      ],
    },
    options: {
      responsive: true,
      maintainAspectRatio: false,
      interaction: { mode: "index", intersect: false },
      scales: {
        composite: { type: "linear", position: "left", min: 0, max: 100, title: { display: true, text: data.labelComposite } },
        // Rank 1 is best: draw it at the top.
        rank: { type: "linear", position: "right", reverse: true, min: 1, ticks: { precision: 0 }, grid: { drawOnChartArea: false }, title: { display: true, text: data.labelRank } },
      },
      plugins: { legend: { position: "bottom" } },
    },
  });
  // Lets tests (and curious readers) see that the chart was drawn.
  if (chart) canvas.dataset.ready = "true";
});
