// eNPS trend charts: data comes from json_script tags, never from inline handlers.
document.querySelectorAll("canvas[data-enps-trend]").forEach(function (canvas) {
  var source = document.getElementById(canvas.dataset.enpsTrend);
  if (!source || typeof Chart === "undefined") { return; }
  var data = JSON.parse(source.textContent);
  new Chart(canvas, {
    type: "line",
    data: { labels: data.labels, datasets: [{ label: "eNPS", data: data.scores, spanGaps: false, borderColor: window.ChorusPalette ? ChorusPalette.color("enps") : "#b54708", tension: 0.2 }] },
    options: { responsive: true, maintainAspectRatio: false, scales: { y: { min: -100, max: 100 } }, plugins: { legend: { display: false } } }
  });
});
