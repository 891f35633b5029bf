// The waiting step of connecting: ask whether the queued call is done, then reload
// the page, which moves on by itself (to the consent page or back to where you were).
(function () {
  "use strict";
  var box = document.querySelector("[data-attempt-status]");
  if (!box || !window.fetch) return;
  var url = box.getAttribute("data-attempt-status");
  var delay = 700;
  function ask() {
    fetch(url, { credentials: "same-origin", headers: { Accept: "application/json" } })
      .then(function (r) { return r.ok ? r.json() : { status: "pending" }; })
      .then(function (answer) {
        if (answer.status && answer.status !== "pending") {
          window.location.replace(window.location.href);
        } else {
          delay = Math.min(delay * 1.5, 4000);
          window.setTimeout(ask, delay);
        }
      })
      .catch(function () { window.setTimeout(ask, 4000); });
  }
  window.setTimeout(ask, delay);
})();
