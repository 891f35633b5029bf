// htmx sends Django's CSRF token with every request it makes.
document.addEventListener("htmx:configRequest", function (event) {
  var token = document.querySelector('meta[name="csrf-token"]');
  if (token) { event.detail.headers["X-CSRFToken"] = token.content; }
});

// Every multi-select becomes a searchable one (Tom Select, vendored); the <select> stays the
// form's field, so a page works the same without JavaScript. Texts come from the page's language.
(function () {
  function enhance(root) {
    if (typeof TomSelect === "undefined") { return; }
    var texts = document.body.dataset;
    root.querySelectorAll("select[multiple]:not(.tomselected):not([data-plain])").forEach(function (select) {
      new TomSelect(select, {
        plugins: ["remove_button", "checkbox_options"],
        maxOptions: null,
        hidePlaceholder: true,
        placeholder: texts.selectPlaceholder || "",
        render: {
          no_results: function () {
            var div = document.createElement("div");
            div.className = "no-results";
            div.textContent = texts.selectNoResults || "";
            return div;
          }
        }
      });
    });
  }
  document.addEventListener("DOMContentLoaded", function () { enhance(document); });
  document.addEventListener("htmx:load", function (event) { enhance(event.target); });
})();

// An image that fails to load gives way to a clean placeholder (no broken-image icon).
document.addEventListener("error", function (event) {
  var img = event.target;
  if (img.tagName !== "IMG") { return; }
  var slot = img.closest("[data-image-slot]");
  if (slot) { slot.classList.add("is-missing"); } else { img.classList.add("chorus-img-missing"); }
}, true);
