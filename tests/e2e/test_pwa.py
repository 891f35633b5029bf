"""Chorus on a phone's home screen (issue 17, item 5), checked the way a browser
checks it: the page links a manifest that a browser accepts as installable (name,
start URL inside the scope, standalone display, 192 and 512 px icons and a maskable
one, real PNGs of those sizes); the service worker registers for the whole site;
without a network a page shows the offline page, in the person's language; and the
worker never keeps a signed-in page (only static files and the offline page)."""

from __future__ import annotations

import io
import json
from urllib.parse import urljoin

import pytest
from PIL import Image
from playwright.sync_api import expect

from .conftest import PHONE

pytestmark = pytest.mark.django_db(transaction=True)

READY = "navigator.serviceWorker.ready.then(r => r.scope)"
CACHED_URLS = """async () => {
  const urls = [];
  for (const key of await caches.keys()) {
    const cache = await caches.open(key);
    for (const request of await cache.keys()) { urls.push(new URL(request.url).pathname); }
  }
  return urls;
}"""


@pytest.fixture
def phone(browser, live_server):
    context = browser.new_context(
        base_url=live_server.url, viewport=PHONE, is_mobile=True, has_touch=True, locale="en-US"
    )
    context.set_default_timeout(60_000)  # a loaded 2-core CI machine: first requests are slow
    yield context
    context.close()


def test_the_manifest_makes_chorus_installable(phone, live_url):
    page = phone.new_page()
    page.goto("/accounts/login/")
    href = page.locator("link[rel=manifest]").get_attribute("href")
    assert href, "the page links no manifest"
    response = page.request.get(urljoin(live_url, href))
    assert response.ok and response.headers["content-type"].startswith("application/manifest+json")
    manifest = json.loads(response.text())
    assert manifest["name"] and manifest["short_name"]
    assert manifest["display"] in {"standalone", "fullscreen", "minimal-ui"}
    scope = urljoin(live_url, manifest.get("scope", "/"))
    assert urljoin(live_url, manifest["start_url"]).startswith(scope)
    assert manifest["theme_color"].startswith("#")

    sizes = {}
    for icon in manifest["icons"]:
        fetched = page.request.get(urljoin(live_url, icon["src"]))
        assert fetched.ok and fetched.headers["content-type"] == "image/png", icon["src"]
        image = Image.open(io.BytesIO(fetched.body()))
        width, height = image.size
        assert icon["sizes"] == f"{width}x{height}", f"{icon['src']} says {icon['sizes']}"
        for purpose in icon.get("purpose", "any").split():
            sizes.setdefault(purpose, set()).add(width)
    assert {192, 512} <= sizes["any"], "Chrome needs 192 and 512 px icons"
    assert sizes.get("maskable"), (
        "no maskable icon: Android would shrink the icon into a white disc"
    )
    assert page.locator("link[rel=apple-touch-icon]").count() == 1


def test_the_worker_registers_and_offline_pages_say_so_in_each_language(
    phone, login, employee_a, password
):
    page = phone.new_page()
    login(page, employee_a.user.email, password)
    feed = f"/o/{employee_a.organization.slug}/share/"
    page.goto(feed)
    assert page.evaluate(READY) == page.url.split("/o/")[0] + "/"
    page.reload()  # now controlled by the worker
    assert page.evaluate("navigator.serviceWorker.controller !== null")

    phone.set_offline(True)
    page.goto(feed)
    expect(page.get_by_test_id("offline")).to_be_visible()
    expect(page.locator("h1")).to_have_text("You are offline")
    assert page.evaluate("document.documentElement.scrollWidth") <= PHONE["width"]
    phone.set_offline(False)

    # Switch to Bahasa Indonesia; the offline page follows.
    page.goto(f"/o/{employee_a.organization.slug}/share/")
    page.evaluate(
        """async () => {
          const form = new FormData();
          form.append("language", "id");
          form.append("next", location.pathname);
          form.append("csrfmiddlewaretoken", document.querySelector("meta[name=csrf-token]").content);
          await fetch("/i18n/setlang/", {method: "POST", body: form, credentials: "same-origin"});
        }"""
    )
    page.reload()
    assert page.evaluate("document.documentElement.lang") == "id"
    page.wait_for_function("localStorage.getItem('chorus-offline-lang') === 'id'")
    # The worker re-fetches the offline page in the background; wait until it holds the new one.
    page.wait_for_function(
        "caches.match('/offline/').then(r => r ? r.text() : '').then(t => t.includes('lang=\"id\"'))"
    )
    phone.set_offline(True)
    page.goto(feed)
    expect(page.locator("h1")).to_have_text("Anda sedang luring")
    phone.set_offline(False)


def test_the_worker_keeps_only_the_shell_never_a_signed_in_page(phone, login, employee_a, password):
    page = phone.new_page()
    login(page, employee_a.user.email, password)
    slug = employee_a.organization.slug
    page.goto(f"/o/{slug}/share/")
    page.evaluate(READY)
    for path in (f"/o/{slug}/share/", f"/o/{slug}/shares/", f"/o/{slug}/connections/"):
        page.goto(path)
    cached = page.evaluate(CACHED_URLS)
    assert cached, "the worker cached nothing"
    assert all(url.startswith("/static/") or url == "/offline/" for url in cached), cached
    # The offline page carries nothing of the person who was signed in.
    offline = page.request.get("/offline/").text()
    assert employee_a.user.email not in offline and employee_a.organization.name not in offline
