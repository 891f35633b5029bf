// The item editor: live character counts per network and a preview of the post.
// Counting is advocacy/lengths.py's, the server's truth (tests/e2e/test_counter_lengths.py
// checks they agree): X weights with twitter-text (vendored, static/vendor/twitter-text),
// every link as its 23-character t.co wrap; Mastodon counts graphemes with links as 23
// and a remote mention as its local part; Bluesky counts graphemes; LinkedIn and
// Facebook count code points.
(function () {
  "use strict";
  var rulesEl = document.getElementById("network-limits");
  if (!rulesEl) { return; }
  var rules = JSON.parse(rulesEl.textContent);
  var NAMES = { linkedin: "LinkedIn", x: "X", facebook: "Facebook", mastodon: "Mastodon", bluesky: "Bluesky" };
  var URL_RE = /https?:\/\/[^\s]+/gi;
  var TCO = "https://t.co/" + "x".repeat(10);
  // regex's \w (Unicode word characters), as in lengths.py's remote-mention pattern.
  var REMOTE_MENTION = /(?<![\p{L}\p{M}\p{Nd}\p{Pc}\/])@([\p{L}\p{M}\p{Nd}\p{Pc}]+)@[\p{L}\p{M}\p{Nd}\p{Pc}.-]+[\p{L}\p{M}\p{Nd}\p{Pc}]/gu;
  var segmenter = window.Intl && Intl.Segmenter ? new Intl.Segmenter(undefined, { granularity: "grapheme" }) : null;
  var current = Object.keys(rules.limits)[0];

  function graphemes(text) {
    if (!segmenter) { return Array.from(text).length; }
    var n = 0;
    for (var it = segmenter.segment(text)[Symbol.iterator](), step = it.next(); !step.done; step = it.next()) { n += 1; }
    return n;
  }

  function count(text, network) {
    if (network === "x" && window.twttr && window.twttr.txt) {
      return window.twttr.txt.parseTweet(text.replace(URL_RE, TCO)).weightedLength;
    }
    if (network === "mastodon") {
      return graphemes(text.replace(URL_RE, "x".repeat(rules.link_length.mastodon || 23)).replace(REMOTE_MENTION, "@$1"));
    }
    if (network === "bluesky") { return graphemes(text); }
    var link = rules.link_length[network];
    if (!link) { return Array.from(text).length; }
    return Array.from(text.replace(URL_RE, "x".repeat(link))).length;
  }
  window.chorusCount = count;  // the browser tests compare it with the server's count

  // The disclosure as campaigns/disclosure.py adds it to every share: once, at the end,
  // unless the caption carries it already as a whole tag in any letter case.
  function withDisclosure(text, network) {
    var d = (rules.disclosure || "").trim();
    if (!d) { return text; }
    if (rules.disclosure_networks.length && rules.disclosure_networks.indexOf(network) === -1) { return text; }
    var escaped = d.replace(/[.*+?^${}()|[\]\\]/g, "\\$&");
    if (new RegExp("(?<![\\p{L}\\p{N}_#@])" + escaped + "(?![\\p{L}\\p{N}_])", "iu").test(text)) { return text; }
    return text.trim() ? text.trim() + " " + d : d;
  }

  function rows() { return Array.prototype.slice.call(document.querySelectorAll("[data-caption-row]")); }
  function rowNetwork(row) { var s = row.querySelector("select"); return s ? s.value : ""; }
  function rowText(row) { var t = row.querySelector("textarea"); return t ? t.value : ""; }

  function updateCounts() {
    rows().forEach(function (row) {
      var out = row.querySelector("[data-caption-count]");
      var text = rowText(row);
      var network = rowNetwork(row);
      var targets = network ? [network] : Object.keys(rules.limits);
      out.textContent = "";
      targets.forEach(function (key, index) {
        var n = count(withDisclosure(text, key), key);
        var span = document.createElement("span");
        span.textContent = NAMES[key] + " " + n + " / " + rules.limits[key];
        span.className = n > rules.limits[key] ? "text-danger fw-semibold" : "";
        span.setAttribute("data-network-count", key);
        if (index) { out.appendChild(document.createTextNode(" · ")); }
        out.appendChild(span);
      });
    });
  }

  function field(name) { return document.querySelector("[name=" + name + "]"); }
  function value(name) { var f = field(name); return f ? f.value : ""; }

  function updatePreview() {
    var text = "";
    rows().some(function (row) { if (rowNetwork(row) === current && rowText(row).trim()) { text = rowText(row); return true; } return false; });
    if (!text) { rows().some(function (row) { if (!rowNetwork(row) && rowText(row).trim()) { text = rowText(row); return true; } return false; }); }
    text = withDisclosure(text, current);
    var box = document.querySelector("[data-preview-text]");
    if (!box) { return; }
    box.textContent = text;
    var n = count(text, current);
    var counter = document.querySelector("[data-preview-count]");
    counter.textContent = n + " / " + rules.limits[current];
    counter.className = "small mb-2 " + (n > rules.limits[current] ? "text-danger fw-semibold" : "text-secondary");
    document.querySelector("[data-preview-title]").textContent = value("preview_title") || value("title");
    document.querySelector("[data-preview-site]").textContent = value("preview_site_name");
    var img = document.querySelector("[data-preview-image]");
    var src = value("preview_image_url");
    if (src && /^https?:\/\//i.test(src)) { img.src = src; img.classList.remove("d-none"); } else { img.classList.add("d-none"); img.removeAttribute("src"); }
    document.querySelector("[data-preview-card]").classList.toggle("d-none", !(value("url") || value("preview_title")));
  }

  function refresh() { updateCounts(); updatePreview(); }

  document.addEventListener("input", refresh);
  document.addEventListener("change", refresh);
  document.querySelectorAll("[data-preview-tabs] button").forEach(function (button) {
    button.addEventListener("click", function () {
      current = button.getAttribute("data-network");
      document.querySelectorAll("[data-preview-tabs] button").forEach(function (b) { b.classList.toggle("active", b === button); });
      updatePreview();
    });
  });

  // When the background fetch finishes, fill the preview fields the curator left empty.
  document.body.addEventListener("htmx:afterSwap", function (event) {
    var card = document.getElementById("preview-card");
    if (!card || card.getAttribute("data-status") !== "fetched") { return; }
    [["preview_title", "title"], ["preview_description", "description"], ["preview_image_url", "image"], ["preview_site_name", "site"]].forEach(function (pair) {
      var f = field(pair[0]);
      if (f && !f.value) { f.value = card.getAttribute("data-" + pair[1]) || ""; }
    });
    var title = field("title");
    if (title && (!title.value || title.value === value("url"))) { title.value = card.getAttribute("data-item-title") || title.value; }
    refresh();
  });

  refresh();
})();
