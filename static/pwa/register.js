// Registers Chorus's service worker (installable on a phone, an offline page) and
// tells it when the page's language changed, so the offline page follows.
(function () {
  "use strict";
  if (!("serviceWorker" in navigator)) { return; }
  var script = document.currentScript;
  var url = (script && script.dataset.sw) || "/sw.js";
  var lang = document.documentElement.lang || "en";
  window.addEventListener("load", function () {
    navigator.serviceWorker.register(url, { scope: "/" }).then(function () {
      return navigator.serviceWorker.ready;
    }).then(function (registration) {
      var known = null;
      try { known = localStorage.getItem("chorus-offline-lang"); } catch (e) { /* private mode */ }
      if (known !== lang && registration.active) {
        registration.active.postMessage({ type: "language-changed", lang: lang });
        try { localStorage.setItem("chorus-offline-lang", lang); } catch (e) { /* private mode */ }
      }
    }).catch(function () { /* no worker: Chorus works as a plain site */ });
  });
})();
