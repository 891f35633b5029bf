// Dashboard charts: each canvas names a json_script element holding its data.
// Drawn on load and again after an htmx filter change swaps the body.
(function () {
  "use strict";
  var COLORS = ["#5b3cc4", "#1f9d8b", "#d9822b", "#c23b5a", "#3b82c4", "#7a8a99"];  // without palette.js only
  function draw(root) {
    if (typeof Chart === "undefined") { return; }
    root.querySelectorAll("canvas[data-chart]").forEach(function (canvas) {
      var source = document.getElementById(canvas.dataset.chart);
      if (!source) { return; }
      var data = JSON.parse(source.textContent);
      var existing = Chart.getChart(canvas);
      if (existing) { existing.destroy(); }
      new Chart(canvas, {
        type: data.type,
        data: {
          labels: data.labels,
          datasets: data.datasets.map(function (set, i) {
            var color = window.ChorusPalette ? ChorusPalette.color(set.metric || set.label) : COLORS[i % COLORS.length];
            return { label: set.label, data: set.data, borderColor: color,
              backgroundColor: color, tension: 0.2, spanGaps: false, pointRadius: 2 };
          })
        },
        options: { responsive: true, maintainAspectRatio: false, animation: false,
          interaction: { mode: "index", intersect: false },
          plugins: { legend: { position: "bottom", labels: { boxWidth: 12 } } },
          scales: { x: { ticks: { maxRotation: 0, autoSkip: true } } } }
      });
    });
  }
  document.addEventListener("DOMContentLoaded", function () { draw(document); });
  document.body.addEventListener("htmx:afterSwap", function (event) { draw(event.target); });
})();
