// One colour per metric, on every chart and legend: the CSS custom properties
// --chorus-metric-<key> in chorus.css are the one map; charts read them here.
// A series whose metric has no colour of its own gets one from its name, so it keeps
// that colour wherever it appears (never a colour chosen by its position).
window.ChorusPalette = (function () {
  "use strict";
  var SPARE = ["#7a8a99", "#a05195", "#2f4b7c", "#8a6d3b", "#4f7942", "#b0413e"];
  function fromName(name) {
    var hash = 0;
    for (var i = 0; i < name.length; i++) { hash = (hash * 31 + name.charCodeAt(i)) | 0; }
    return SPARE[Math.abs(hash) % SPARE.length];
  }
  function color(metric) {
    var key = String(metric || "").toLowerCase().replace(/[^a-z0-9]+/g, "_");
    var value = getComputedStyle(document.documentElement).getPropertyValue("--chorus-metric-" + key).trim();
    return value || fromName(key);
  }
  return { color: color };
})();
