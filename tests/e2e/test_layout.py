"""A layout check over every page (issue 17, item 4).

For every role (owner, admin, curator, manager, employee) the pages are found the
way a person finds them: the links of that role's menu (the shell's navigation,
user menu included), so a page added to a menu is checked without touching this
file. Each page is opened at 390 px (a phone) and 1280 px (a laptop), in English
and in Bahasa Indonesia, and fails on:

- horizontal overflow (the page scrolls sideways);
- an element covering another's click target (at the centre of each visible link
  and button, the topmost element must be that control or inside it);
- an HTTP error, a console error or an uncaught script error;
- English left on an Indonesian page: the visible text is compared with the
  English msgids of the .po catalogs (strings whose translation is the same word,
  such as brand names, are skipped; ALLOWED lists the rest).

The organization is the demo one (people, content, campaigns, shares, surveys…) plus
hostile data: a very long title, a 300-character caption, a right-to-left name with
emoji. One browser; one context per role, width and language. Prints the page count
per role and width, and the time taken."""

from __future__ import annotations

import re
import time
from collections import defaultdict
from pathlib import Path

import polib
import pytest
from django.conf import settings
from django.core.management import call_command
from django.test import Client

from advocacy.tenancy.context import org_context
from advocacy.tenancy.models import Membership, Role

pytestmark = pytest.mark.django_db(transaction=True)

WIDTHS = {390: 844, 1280: 800}
LANGUAGES = ("en", "id")
# An owner sees every admin page and the owner's own; then each narrower role.
ROLES = (Role.OWNER, Role.CURATOR, Role.MANAGER, Role.EMPLOYEE)
# Each language is read in the demo organization that speaks it, so what people wrote
# (titles, rewards, stored messages) is in the page's language too, and any English on
# an Indonesian page is Chorus's own.
ORGANIZATIONS = {"en": "acme", "id": "globex"}
# Not pages of Chorus's own design: the API explorer is a vendored Swagger UI, Django's
# admin is for platform staff.
SKIPPED_PREFIXES = ("/api/", "/admin/", "/accounts/logout/")
# English strings that may stand on an Indonesian page (names, technical words that
# Indonesian uses as they are).
# Product names inside longer text, removed before looking for English words.
NAMES = ("Microsoft Teams", "Google Chat")
ALLOWED = {
    "Chorus",
    "LinkedIn",
    "Facebook",
    "Mastodon",
    "Bluesky",
    "WhatsApp",
    "English",
    "Bahasa Indonesia",
    "Email",
    "email",
    "Online",
    "Link",
    "Dashboard",
    "Feed",
    "Admin",
    "Manager",
    "Curator",
    "Employee",
    "Owner",
    "Status",
    "Total",
    "Badge",
    "Media",
    "Web",
    "Login",
}
# Known and not yet fixed (reported on issue 17): a connection's last error is stored as
# text in the language of the moment it happened (English from the workers, and in the
# demo), so an Indonesian page can show it in English. Fix: store a code, word it on display.
KNOWN_STORED_TEXT = ("connect the account again",)
PLACEHOLDER = re.compile(r"%\([^)]*\)[sd]|%[sd]|\{\{[^}]*\}\}|\{[^}]*\}")

CHECK_PAGE = """() => {
  const out = {overflow: 0, covered: [], text: [], chrome: []};
  const root = document.documentElement;
  out.overflow = Math.max(root.scrollWidth, document.body.scrollWidth) - window.innerWidth;

  // Visible text, and the text of controls and headings of the page's chrome.
  const skip = new Set(["SCRIPT", "STYLE", "NOSCRIPT", "TEMPLATE", "SELECT", "OPTION", "TEXTAREA"]);
  const walker = document.createTreeWalker(document.body, NodeFilter.SHOW_TEXT);
  const chromeSel = "nav a, button, label, th, legend, .btn, .nav-link, .dropdown-item, .form-text";
  while (walker.nextNode()) {
    const node = walker.currentNode;
    const parent = node.parentElement;
    const value = node.nodeValue.replace(/\\s+/g, " ").trim();
    if (!value || !parent || skip.has(parent.tagName) || parent.closest("[data-user-content], select")) continue;
    if (!parent.checkVisibility({checkOpacity: true, checkVisibilityCSS: true})) continue;
    out.text.push(value);
    if (parent.closest(chromeSel)) out.chrome.push(value);
  }
  for (const el of document.querySelectorAll("input[placeholder], [aria-label], [title]")) {
    if (!el.checkVisibility()) continue;
    for (const attr of ["placeholder", "aria-label", "title"]) {
      const value = el.getAttribute(attr);
      if (value) out.chrome.push(value.trim());
    }
  }

  // Click targets: scroll the page a screen at a time; at each stop, every visible
  // link and button whose centre is on screen must be the topmost element there.
  const controls = Array.from(document.querySelectorAll("a[href], button, [role=button], input[type=submit], input[type=checkbox], input[type=radio], select"));
  const seen = new Set();
  const height = window.innerHeight;
  const pageHeight = Math.min(root.scrollHeight, height * 12);
  const pinned = (el) => { for (let e = el; e; e = e.parentElement) { const p = getComputedStyle(e).position; if (p === "fixed" || p === "sticky") return true; } return false; };
  // The part of a control that can be seen: its box cut by every scrolling or clipping
  // ancestor (a tab bar scrolled sideways, a truncated title).
  const visibleBox = (el) => {
    // A link that wraps onto several lines is clicked on a line, not between them.
    const rects = Array.from(el.getClientRects()).filter(r => r.width >= 4 && r.height >= 4);
    const r = rects.length ? rects[0] : el.getBoundingClientRect();
    let left = r.left, top = r.top, right = r.right, bottom = r.bottom;
    for (let e = el.parentElement; e && e !== document.body; e = e.parentElement) {
      const style = getComputedStyle(e);
      if (style.overflowX === "visible" && style.overflowY === "visible") continue;
      const c = e.getBoundingClientRect();
      left = Math.max(left, c.left); top = Math.max(top, c.top);
      right = Math.min(right, c.right); bottom = Math.min(bottom, c.bottom);
    }
    return {left, top, width: right - left, height: bottom - top};
  };
  for (let y = 0; y < pageHeight; y += height) {
    window.scrollTo(0, y);
    controls.forEach((el, i) => {
      if (seen.has(i) || !el.checkVisibility({checkOpacity: true, checkVisibilityCSS: true})) return;
      // Not meant to be clicked: disabled, or a visually hidden input behind its label.
      if (el.disabled || getComputedStyle(el).pointerEvents === "none") return;
      const box = visibleBox(el);
      if (box.width < 4 || box.height < 4) return;
      const x = box.left + box.width / 2, cy = box.top + box.height / 2;
      if (cy < 0 || cy >= height || x < 0 || x >= window.innerWidth) return;
      seen.add(i);
      const hit = document.elementFromPoint(x, cy);
      if (!hit || hit === el || el.contains(hit)) return;
      const label = el.labels && el.labels.length ? el.labels[0] : null;
      if (label && (hit === label || label.contains(hit))) return;
      if (pinned(hit) && !pinned(el)) return;  // a sticky bar over content while scrolling
      const name = (el.innerText || el.getAttribute("aria-label") || el.getAttribute("href") || el.tagName).trim().slice(0, 60);
      const by = hit.tagName.toLowerCase() + (hit.id ? "#" + hit.id : "") + (hit.className && typeof hit.className === "string" ? "." + hit.className.trim().split(/\\s+/).slice(0, 3).join(".") : "");
      out.covered.push(`"${name}" covered by <${by}> "${(hit.innerText || "").trim().slice(0, 40)}"`);
    });
  }
  window.scrollTo(0, 0);
  return out;
}"""

NAV_LINKS = """() => Array.from(document.querySelectorAll("nav a[href]"))
  .map(a => a.getAttribute("href"))
  .filter(h => h && h.startsWith("/") && !h.startsWith("//"))"""


def _english_catalog() -> tuple[list[str], set[str]]:
    """English phrases (several words) and single words that have an Indonesian
    translation different from themselves."""
    phrases, words = set(), set()
    roots = [Path(root) for root in settings.LOCALE_PATHS]
    for catalog in sorted(p for root in roots for p in root.glob("id/LC_MESSAGES/django.po")):
        for entry in polib.pofile(str(catalog)):
            if entry.obsolete or not entry.msgstr or entry.msgid == entry.msgstr:
                continue
            if entry.occurrences and all(f.endswith("demo.py") for f, _ in entry.occurrences):
                continue  # the demo's own data, not Chorus's words
            for piece in PLACEHOLDER.split(entry.msgid):
                piece = piece.strip(" .,:;!?()·–-\n\"'")
                if not piece or piece in ALLOWED or piece in KNOWN_STORED_TEXT:
                    continue
                if piece in entry.msgstr:
                    continue
                if " " in piece and len(piece) >= 12:
                    phrases.add(piece)
                elif " " not in piece and len(piece) >= 4 and piece[:1].isupper():
                    words.add(piece)
    return sorted(phrases, key=len, reverse=True), words


def _english_left(check: dict, phrases: list[str], words: set[str]) -> list[str]:
    text = "\n".join(check["text"])
    found = [p for p in phrases if p in text]
    chrome = "\n".join(check["chrome"])
    for name in NAMES:
        chrome = chrome.replace(name, " ")
    chrome_words = set(re.findall(r"[A-Za-z][A-Za-z'-]+", chrome))
    found += sorted(w for w in words & chrome_words if w not in ALLOWED)
    # A phrase found also covers its own words.
    return [f for f in found if not any(f != other and f in other for other in found)][:8]


def _hostile_data(organization) -> None:
    """What people really type: a very long title, a long caption, RTL and emoji."""
    from content_library.models import Caption, ContentItem

    with org_context(organization):
        item = ContentItem.objects.create(
            organization=organization,
            title="Pengumuman " + "sangat-panjang-tanpa-spasi" * 8 + " 🎉🎉🎉",
            url="https://news.example.com/" + "a-very-long-path-segment/" * 12,
            status=ContentItem.Status.APPROVED,
            is_featured=True,
        )
        Caption.objects.create(
            organization=organization, content=item, text="Kami bangga! 🚀 " * 19
        )
        someone = Membership.objects.filter(organization=organization, role=Role.EMPLOYEE).first()
        someone.user.name = (
            "محمد بن عبد الله الطويل جدا 🌙 " + "Wolfeschlegelsteinhausenbergerdorff"
        )
        someone.user.save(update_fields=["name"])


def _session_cookie(live_url: str, user, language: str) -> list[dict]:
    client = Client()
    client.force_login(user)
    return [
        {
            "name": settings.SESSION_COOKIE_NAME,
            "value": client.cookies[settings.SESSION_COOKIE_NAME].value,
            "url": live_url,
        },
        {"name": settings.LANGUAGE_COOKIE_NAME, "value": language, "url": live_url},
    ]


def _arrange() -> dict[str, dict[str, Membership]]:
    """The demo, hostile data in both organizations, and one person per role in each."""
    call_command("seed_demo", verbosity=0)
    people: dict[str, dict[str, Membership]] = {}
    for language, slug in ORGANIZATIONS.items():
        members = Membership.objects.filter(organization__slug=slug, is_active=True)
        organization = members.first().organization
        _hostile_data(organization)
        if not members.filter(role=Role.OWNER).exists():  # globex has admins only
            first_admin = members.filter(role=Role.ADMIN).order_by("pk").first()
            members.filter(pk=first_admin.pk).update(role=Role.OWNER)
        people[language] = {
            role: members.filter(role=role)
            .select_related("user", "organization")
            .order_by("pk")
            .first()
            for role in ROLES
        }
    return people


def _check_pages(browser, live_url, membership, width, language, pages, phrases, words):
    """Open each page in one context; return the pages' paths (crawled from the menu
    when `pages` is None) and the problems found."""
    context = browser.new_context(
        base_url=live_url,
        viewport={"width": width, "height": WIDTHS[width]},
        is_mobile=width < 500,
        has_touch=width < 500,
        service_workers="block",  # every page from the server, as on a first visit
    )
    context.set_default_timeout(60_000)  # a loaded 2-core machine
    context.add_cookies(_session_cookie(live_url, membership.user, language))
    page = context.new_page()
    errors: list[str] = []
    page.on("console", lambda m: m.type == "error" and errors.append(m.text))
    page.on("pageerror", lambda e: errors.append(str(e)))
    problems: list[str] = []
    try:
        if pages is None:
            page.goto(f"/o/{membership.organization.slug}/")
            pages = [page.url.removeprefix(live_url)]
            for href in page.evaluate(NAV_LINKS):
                path = href.split("#")[0]
                if path and not path.startswith(SKIPPED_PREFIXES) and path not in pages:
                    pages.append(path)
        for path in pages:
            errors.clear()
            where = f"{membership.role} {width}px {language} {path}"
            response = page.goto(path, wait_until="load")
            if response is None or response.status >= 400:
                problems.append(f"{where}: HTTP {response.status if response else '?'}")
                continue
            check = page.evaluate(CHECK_PAGE)
            if check["overflow"] > 0:
                problems.append(f"{where}: scrolls sideways by {check['overflow']}px")
            problems += [f"{where}: {covered}" for covered in check["covered"][:5]]
            if language == "id" and (english := _english_left(check, phrases, words)):
                problems.append(f"{where}: English left: {english}")
            problems += [f"{where}: console error: {error[:200]}" for error in errors[:3]]
    finally:
        context.close()
    return pages, problems


def test_every_page_of_every_role_fits_works_and_speaks_the_language(browser, live_url, capsys):
    started = time.monotonic()
    people = _arrange()
    arranged = time.monotonic() - started
    phrases, words = _english_catalog()
    problems: list[str] = []
    counts: dict[str, dict[int, int]] = defaultdict(dict)
    for role in ROLES:
        for language in LANGUAGES:
            membership = people[language][role]
            assert membership is not None, f"the demo has no {role} in {ORGANIZATIONS[language]}"
            pages = None
            for width in WIDTHS:
                pages, found = _check_pages(
                    browser, live_url, membership, width, language, pages, phrases, words
                )
                problems += found
                counts[role][width] = counts[role].get(width, 0) + len(pages)

    seconds = time.monotonic() - started
    with capsys.disabled():
        print(
            f"\n[layout] {seconds:.0f} s ({arranged:.0f} s arranging the demo); "
            "pages checked per role and width (en + id):"
        )
        for role, per_width in counts.items():
            print(f"  {role:9} " + "  ".join(f"{w}px: {n}" for w, n in per_width.items()))
        if problems:
            print(f"[layout] {len(problems)} problems:\n  " + "\n  ".join(problems))
    assert not problems, f"{len(problems)} layout problems, e.g.:\n" + "\n".join(problems[:40])
    assert all(n >= 6 for per_width in counts.values() for n in per_width.values())


def test_the_catalog_reading_finds_english_and_ignores_names():
    """The English detector itself: an untranslated phrase is found, names are not."""
    phrases, words = _english_catalog()
    assert phrases and words
    phrase = next(p for p in phrases if len(p.split()) >= 3)
    check = {"text": ["Beranda", f"Teks {phrase} di sini"], "chrome": ["LinkedIn", "Chorus"]}
    assert _english_left(check, phrases, words) == [phrase]
    assert (
        _english_left({"text": ["LinkedIn · Chorus"], "chrome": ["LinkedIn"]}, phrases, words) == []
    )
