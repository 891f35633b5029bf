"""Read a page's link preview (OpenGraph, then Twitter cards, then plain HTML)."""

from __future__ import annotations

from dataclasses import dataclass
from html.parser import HTMLParser
from urllib.parse import urljoin, urlsplit

from .fetcher import FetchResult


@dataclass(frozen=True)
class LinkPreview:
    title: str = ""
    description: str = ""
    image_url: str = ""
    site_name: str = ""


class _HeadParser(HTMLParser):
    def __init__(self):
        super().__init__(convert_charrefs=True)
        self.meta: dict[str, str] = {}
        self.title_parts: list[str] = []
        self._in_title = False
        self.done = False

    def handle_starttag(self, tag, attrs):
        if self.done:
            return
        if tag == "meta":
            values = {name.lower(): (value or "") for name, value in attrs}
            key = (values.get("property") or values.get("name") or "").strip().lower()
            if key and "content" in values and key not in self.meta:
                self.meta[key] = values["content"].strip()
        elif tag == "title":
            self._in_title = True
        elif tag == "body":
            self.done = True  # everything a preview needs sits in <head>

    def handle_endtag(self, tag):
        if tag == "title":
            self._in_title = False
        elif tag == "head":
            self.done = True

    def handle_data(self, data):
        if self._in_title and not self.done:
            self.title_parts.append(data)


def _decode(result: FetchResult) -> str:
    charset = result.charset or "utf-8"
    try:
        return result.body.decode(charset, errors="replace")
    except LookupError:
        return result.body.decode("utf-8", errors="replace")


def _first(meta: dict[str, str], *keys: str) -> str:
    for key in keys:
        if meta.get(key):
            return " ".join(meta[key].split())
    return ""


def parse_preview(result: FetchResult) -> LinkPreview:
    parser = _HeadParser()
    parser.feed(_decode(result))
    meta = parser.meta
    image = _first(
        meta,
        "og:image:secure_url",
        "og:image",
        "og:image:url",
        "twitter:image",
        "twitter:image:src",
    )
    if image:
        image = urljoin(result.url, image)
        if urlsplit(image).scheme not in ("http", "https"):
            image = ""
    return LinkPreview(
        title=(
            _first(meta, "og:title", "twitter:title")
            or " ".join("".join(parser.title_parts).split())
        )[:300],
        description=_first(meta, "og:description", "twitter:description", "description")[:2000],
        image_url=image[:2000],
        site_name=_first(meta, "og:site_name", "application-name")[:120],
    )
