"""A tiny web server on 127.0.0.1 that plays the outside world for the fetcher:
pages with OpenGraph tags, redirects, feeds, huge and slow answers."""

from __future__ import annotations

import threading
import time
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

OG_PAGE = b"""<!doctype html><html><head><meta charset="utf-8">
<title>Plain title</title>
<meta property="og:title" content="Acme opens a solar plant">
<meta property="og:description" content="Our new plant powers 40,000 homes &amp; more.">
<meta property="og:image" content="/static/plant.jpg">
<meta property="og:site_name" content="Acme Newsroom">
<meta name="twitter:title" content="Ignored because OpenGraph wins">
</head><body><h1>Body</h1><meta property="og:title" content="not in head"></body></html>"""

TWITTER_PAGE = b"""<html><head><title>  Fallback
 title </title><meta name="twitter:description" content="From the card">
<meta name="twitter:image" content="https://cdn.example.com/card.png"></head></html>"""

RSS = """<?xml version="1.0" encoding="utf-8"?>
<rss version="2.0"><channel><title>Acme blog</title><link>https://blog.example.com/</link>
<item><title>We are hiring &lt;b&gt;engineers&lt;/b&gt;</title><link>https://blog.example.com/hiring</link>
<description>&lt;p&gt;Join &lt;script&gt;alert(1)&lt;/script&gt;us&lt;/p&gt;</description></item>
<item><title>Quarterly results</title><link>https://blog.example.com/q3#top</link><description>Up 12%</description></item>
<item><title>Bad link</title><link>javascript:alert(1)</link></item>
</channel></rss>"""

ATOM = """<?xml version="1.0" encoding="utf-8"?>
<feed xmlns="http://www.w3.org/2005/Atom"><title>Newsroom</title>
<entry><title>Atom story</title><link href="https://news.example.com/atom-story"/><id>1</id>
<updated>2026-01-01T00:00:00Z</updated><summary>Short</summary></entry></feed>"""


class LocalSite:
    """Serves `routes` (path → callable(handler)) until `close()`."""

    def __init__(self):
        self.release = threading.Event()
        self.hits: list[str] = []
        site = self

        class Handler(BaseHTTPRequestHandler):
            def do_GET(self):
                site.hits.append(self.path)
                route = site.routes.get(self.path.split("?")[0])
                if route is None:
                    self.send_error(404)
                    return
                route(self)

            def log_message(self, *args):
                pass

        self.routes = {
            "/og": lambda h: self._send(h, OG_PAGE),
            "/twitter": lambda h: self._send(h, TWITTER_PAGE, "text/html; charset=iso-8859-1"),
            "/rss": lambda h: self._send(h, RSS.encode(), "application/rss+xml"),
            "/atom": lambda h: self._send(h, ATOM.encode(), "application/atom+xml"),
            "/not-a-feed": lambda h: self._send(h, b"<html><body>hello</body></html>"),
            "/broken-feed": lambda h: self._send(
                h, b"<?xml version='1.0'?><rss><channel><item><title>x", "application/rss+xml"
            ),
            "/huge": self._huge,
            "/huge-declared": self._huge_declared,
            "/stall": self._stall,
            "/drip": self._drip,
            "/error": lambda h: h.send_error(500),
        }
        self.server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self.server.daemon_threads = True
        self.port = self.server.server_address[1]
        self.thread = threading.Thread(target=self.server.serve_forever, daemon=True)
        self.thread.start()

    def url(self, path: str) -> str:
        return f"http://127.0.0.1:{self.port}{path}"

    def redirect(self, path: str, location: str, status: int = 302) -> None:
        def send(handler):
            handler.send_response(status)
            handler.send_header("Location", location)
            handler.send_header("Content-Length", "0")
            handler.end_headers()

        self.routes[path] = send

    def page(self, path: str, body: bytes, content_type: str = "text/html; charset=utf-8") -> None:
        self.routes[path] = lambda h: self._send(h, body, content_type)

    @staticmethod
    def _send(handler, body: bytes, content_type: str = "text/html; charset=utf-8") -> None:
        handler.send_response(200)
        handler.send_header("Content-Type", content_type)
        handler.send_header("Content-Length", str(len(body)))
        handler.end_headers()
        handler.wfile.write(body)

    def _huge(self, handler) -> None:  # no Content-Length: the cap must count bytes
        handler.send_response(200)
        handler.send_header("Content-Type", "text/html")
        handler.end_headers()
        chunk = b"<p>" + b"x" * 65536 + b"</p>"
        try:
            for _ in range(64):  # about 4 MB
                handler.wfile.write(chunk)
        except (BrokenPipeError, ConnectionResetError):
            pass

    def _huge_declared(self, handler) -> None:
        handler.send_response(200)
        handler.send_header("Content-Type", "text/html")
        handler.send_header("Content-Length", str(50 * 1024 * 1024))
        handler.end_headers()

    def _stall(self, handler) -> None:
        self.release.wait()  # until the test ends

    def _drip(self, handler) -> None:
        handler.send_response(200)
        handler.send_header("Content-Type", "text/html")
        handler.end_headers()
        try:
            while not self.release.is_set():
                handler.wfile.write(b"x")
                handler.wfile.flush()
                time.sleep(0.05)
        except (BrokenPipeError, ConnectionResetError):
            pass

    def close(self) -> None:
        self.release.set()
        self.server.shutdown()
        self.server.server_close()
