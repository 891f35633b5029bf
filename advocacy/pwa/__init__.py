"""Installable on a phone: the web app manifest, the service worker and the offline page.

The service worker is served at the root (`/sw.js`) so its scope is the whole site.
It caches only the shell: static files and the offline page, which carries no
person's or organization's data. Pages are always fetched from the network and
never stored; when the network is gone a page request gets the offline page."""
