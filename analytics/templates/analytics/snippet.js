/* Chorus conversion snippet. Include on every page of your site:
 *   <script async src="/t/KEY.js"></script>
 * and call, when a visitor converts:
 *   chorus("conversion", {type: "lead", value: 120, currency: "USD", id: "order-42"});
 * The click id Chorus appended (chorus_click) is kept in a first-party cookie for 90 days. */
(function (w, d) {
  "use strict";
  var KEY = "{{ public_key|escapejs }}", PIXEL = "{{ pixel_url|escapejs }}", NAME = "chorus_click";
  var DAYS = 90, queued = (w.chorus && w.chorus.q) || [];
  function clickId() {
    var match = /[?&]chorus_click=([A-Za-z0-9_-]{8,24})/.exec(w.location.search);
    if (match) {
      d.cookie = NAME + "=" + match[1] + ";path=/;max-age=" + DAYS * 86400 + ";SameSite=Lax" +
        (w.location.protocol === "https:" ? ";Secure" : "");
      return match[1];
    }
    var stored = new RegExp("(?:^|; )" + NAME + "=([A-Za-z0-9_-]{8,24})").exec(d.cookie);
    return stored ? stored[1] : "";
  }
  var id = clickId();
  function send(details) {
    if (!id) { return false; }
    details = details || {};
    var params = ["k=" + encodeURIComponent(KEY), "c=" + encodeURIComponent(id),
      "t=" + encodeURIComponent(details.type || "lead"), "v=" + encodeURIComponent(details.value || 0),
      "cur=" + encodeURIComponent(details.currency || ""), "x=" + encodeURIComponent(details.id || "")];
    var img = new Image(1, 1);
    img.src = PIXEL + "?" + params.join("&");
    return true;
  }
  function chorus(command, details) {
    if (command === "conversion") { return send(details); }
    if (command === "clickId") { return id; }
    return false;
  }
  w.chorus = chorus;
  for (var i = 0; i < queued.length; i++) { chorus.apply(null, queued[i]); }
})(window, document);
