{% autoescape off %}// Chorus service worker {{ version }}: keeps the shell (static files, the offline page).
// Pages always come from the network and are never stored: a person's or an
// organization's page must not be served to anyone later, on this phone or elsewhere.
"use strict";
const CACHE = "chorus-shell-{{ version }}";
const SHELL = {{ shell }};
const OFFLINE_URL = {{ offline_url }};
const STATIC_URL = {{ static_url }};

// The language the page last said it speaks. Two fetches of the offline page can answer
// out of order (a slow one from before a language change): only the page in the latest
// language is kept.
let wantedLanguage = null;

function storeOffline(cache) {
  // Fetched with the person's language cookie: the offline page speaks their language.
  return fetch(OFFLINE_URL, { credentials: "same-origin", cache: "no-store" }).then(function (response) {
    if (!response.ok) { return undefined; }
    const spoken = response.headers.get("Content-Language") || "";
    if (wantedLanguage && spoken && spoken !== wantedLanguage) { return undefined; }
    return cache.put(OFFLINE_URL, response);
  });
}

self.addEventListener("install", function (event) {
  event.waitUntil(
    caches.open(CACHE).then(function (cache) {
      return Promise.all([cache.addAll(SHELL), storeOffline(cache)]);
    }).then(function () { return self.skipWaiting(); })
  );
});

self.addEventListener("activate", function (event) {
  event.waitUntil(
    caches.keys().then(function (keys) {
      return Promise.all(keys.filter(function (key) {
        return key.indexOf("chorus-shell-") === 0 && key !== CACHE;
      }).map(function (key) { return caches.delete(key); }));
    }).then(function () { return self.clients.claim(); })
  );
});

// The page says when its language changed, so the offline page follows it.
self.addEventListener("message", function (event) {
  if (event.data && event.data.type === "language-changed") {
    wantedLanguage = event.data.lang;
    event.waitUntil(caches.open(CACHE).then(storeOffline));
  }
});

self.addEventListener("fetch", function (event) {
  const request = event.request;
  if (request.method !== "GET") { return; }
  const url = new URL(request.url);
  if (url.origin !== self.location.origin) { return; }

  if (request.mode === "navigate") {
    // Network only for pages; the offline page when there is no network.
    event.respondWith(
      fetch(request).catch(function () {
        return caches.open(CACHE).then(function (cache) { return cache.match(OFFLINE_URL); })
          .then(function (page) {
            return page || new Response("Offline", { status: 503, headers: { "Content-Type": "text/plain" } });
          });
      })
    );
    return;
  }

  if (url.pathname.indexOf(STATIC_URL) === 0) {
    // Static files: from the cache at once, refreshed in the background.
    event.respondWith(
      caches.open(CACHE).then(function (cache) {
        return cache.match(request).then(function (cached) {
          const fresh = fetch(request).then(function (response) {
            if (response.ok && response.type === "basic") { cache.put(request, response.clone()); }
            return response;
          });
          if (cached) {
            event.waitUntil(fresh.catch(function () {}));
            return cached;
          }
          return fresh;
        });
      })
    );
  }
  // Everything else (API, htmx fragments, uploads) goes to the network untouched.
});
{% endautoescape %}
