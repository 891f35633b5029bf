// The share composer: caption suggestions, the schedule field, and sharing by hand
// (copy, the phone's share sheet, Facebook's pre-filled text via the clipboard).
(function () {
  "use strict";
  var form = document.getElementById("composer");
  if (!form) { return; }
  var text = form.querySelector("textarea[name=text]");
  var status = form.querySelector("[data-share-status]");
  var manual = form.querySelector("[data-manual-copy]");

  // Picking a suggestion replaces the text; htmx refreshes the counters on "input".
  form.querySelectorAll("input[name=variant]").forEach(function (radio) {
    radio.addEventListener("change", function () {
      text.value = radio.dataset.caption;
      text.dispatchEvent(new Event("input", { bubbles: true }));
    });
  });

  var schedule = form.querySelector("[data-schedule-field]");
  function syncSchedule() {
    var later = form.querySelector("input[name=when][value=later]");
    if (schedule && later) { schedule.classList.toggle("d-none", !later.checked); }
  }
  form.querySelectorAll("input[name=when]").forEach(function (r) { r.addEventListener("change", syncSchedule); });
  syncSchedule();

  function say(message) { if (status) { status.textContent = message; } }

  function copy(value) {
    if (navigator.clipboard && window.isSecureContext) {
      return navigator.clipboard.writeText(value);
    }
    return Promise.reject(new Error("no clipboard"));
  }

  function showManual(value) {
    manual.value = value;
    manual.classList.remove("d-none");
    manual.select();
  }

  // The organization's disclosure, added as campaigns/disclosure.py adds it: once, at the end,
  // unless the text carries it already as a whole tag in any letter case.
  function withDisclosure(value, disclosure) {
    value = value.trim();
    disclosure = (disclosure || "").trim();
    if (!disclosure) { return value; }
    var escaped = disclosure.replace(/[.*+?^${}()|[\]\\]/g, "\\$&");
    var carried = new RegExp("(?<![\\p{L}\\p{N}_#@])" + escaped + "(?![\\p{L}\\p{N}_])", "iu");
    if (carried.test(value)) { return value; }
    return value ? value + " " + disclosure : disclosure;
  }

  // The same page to a reader, as campaigns/links.py decides it: host without www., path
  // without a trailing slash, query without utm_ parameters; scheme and fragment aside.
  function pageKey(value) {
    var url;
    try { url = new URL(value); } catch (e) { return null; }
    if (!/^https?:$/.test(url.protocol)) { return null; }
    var query = [];
    url.searchParams.forEach(function (v, k) { if (!/^utm_/i.test(k)) { query.push(k + "=" + v); } });
    return [url.hostname.toLowerCase().replace(/^www\./, "") + (url.port ? ":" + url.port : ""),
      url.pathname.replace(/\/+$/, ""), query.sort().join("&")].join(" ");
  }

  // The content's own address left out of the copied text: Facebook shows the tracked link
  // as the post's link card, so the post carries one link instead of both. What led up to
  // the address goes with it, so the sentence still reads: "Solar: <address>. Proud!"
  // becomes "Solar. Proud!", "More (<address>)" becomes "More", "Read it – <address>" "Read it".
  var GONE = "\u0000";
  function withoutDestination(value, destination) {
    var wanted = destination ? pageKey(destination) : null;
    if (!wanted) { return value; }
    return value.replace(/\u0000/g, "").replace(/https?:\/\/[^\s<>"']+/gi, function (found) {
      var url = found.replace(/[.,;:!?)\]}'"\u2026]+$/, "");
      if (pageKey(url) === wanted) { return GONE + found.slice(url.length); }
      return pageKey(found) === wanted ? GONE : found;
    }).replace(/[ \t]*\(\u0000\)/g, "")
      .replace(/[ \t]*(?:[:\u2013\u2014]|[ \t]-)?[ \t]*\u0000/g, "")
      .replace(/[ \t]{2,}/g, " ").trim();
  }

  // Facebook drops pre-filled text: copy it while we still hold the click, then let the form open Facebook.
  form.querySelectorAll("[data-copy-first]").forEach(function (button) {
    button.addEventListener("click", function () {
      var value = withoutDestination(text.value, button.dataset.destination);
      copy(withDisclosure(value, button.dataset.disclosure)).then(function () { say(status.dataset.facebook); }, function () {});
    });
  });

  function record(button) {
    var csrf = form.querySelector("input[name=csrfmiddlewaretoken]").value;
    return fetch(button.dataset.url, {
      method: "POST", body: new FormData(form), credentials: "same-origin",
      headers: { "Accept": "application/json", "X-CSRFToken": csrf },
    }).then(function (response) {
      return response.json().then(function (data) {
        if (!response.ok) { throw new Error(data.error || response.statusText); }
        return data;
      });
    });
  }

  form.querySelectorAll("[data-device-share]").forEach(function (button) {
    var kind = button.dataset.deviceShare;
    if (kind === "web_share" && navigator.share) { button.classList.remove("d-none"); }
    button.addEventListener("click", function () {
      button.disabled = true;
      record(button).then(function (data) {
        if (kind === "web_share") {
          // The link goes once: in the text where the employee placed it, else as the shared URL.
          var shared = { title: data.title, text: data.text };
          if (data.url && data.text.indexOf(data.url) < 0) { shared.url = data.url; }
          return navigator.share(shared).catch(function () {});
        }
        return copy(data.full_text).then(function () { say(status.dataset.copied); }, function () {
          say(status.dataset.failed);
          showManual(data.full_text);
        });
      }).catch(function (error) { say(error.message); }).finally(function () { button.disabled = false; });
    });
  });
})();
