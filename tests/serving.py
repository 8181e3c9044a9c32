"""The built site served on 127.0.0.1 as GitHub Pages serves it: shared by the tests and `make bench`.

Under the path prefix of the site's canonical URL (``/report/``), with GitHub
Pages' content types, its 404 page for unknown paths, and text files gzipped
to a client that accepts it, as GitHub Pages sends them. The site's policy
allows its files by its own address (finish/policy.py), so a site is built for
the address it is served at: ``serve`` can start before the build writes the
site (``prefix``), and serve it again on the same ``port``. Every response is recorded with the bytes of its body, so
sizes are counted where they are sent (the search worker's requests included,
which browser-side tools miss).
"""

from __future__ import annotations

import contextlib
import functools
import gzip
import re
import sys
import threading
from collections.abc import Iterator
from http.server import SimpleHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from typing import ClassVar
from urllib.parse import urlsplit

from playwright.sync_api import Page

# Sent gzipped by GitHub Pages; fonts and images are compressed already.
COMPRESSED_TYPES = frozenset({".html", ".css", ".js", ".json", ".svg", ".txt", ".xml"})


def gzip_bytes(data: bytes) -> bytes:
    """``data`` gzipped at the level web servers use by default, with a fixed header time."""
    return gzip.compress(data, compresslevel=6, mtime=0)


def site_path_prefix(site: Path) -> str:
    """The path the site lives under, from its canonical URL (``/report/``); ``/`` without one."""
    canonical = re.search(r'<link rel="canonical" href="([^"]+)"', (site / "index.html").read_text(encoding="utf-8"))
    return urlsplit(canonical[1]).path if canonical else "/"


class _Handler(SimpleHTTPRequestHandler):
    """Serves the site under its path prefix with GitHub Pages' types and its 404 page."""

    extensions_map: ClassVar[dict[str, str]] = {
        **SimpleHTTPRequestHandler.extensions_map,
        ".txt": "text/plain; charset=utf-8",
        ".html": "text/html; charset=utf-8",
        ".js": "application/javascript; charset=utf-8",
        ".json": "application/json; charset=utf-8",
        ".woff2": "font/woff2",
        ".svg": "image/svg+xml",
        ".xml": "application/xml",
        ".png": "image/png",
    }
    # Keep-alive, as GitHub Pages: the parent's HTTP/1.0 opens a connection per
    # request, which Lighthouse's simulation charges a handshake for each time.
    protocol_version = "HTTP/1.1"
    prefix: ClassVar[str] = "/"
    # Paths served, in order, with the bytes of each response body: what a
    # reader downloads, counted where it is sent (the search worker included).
    served: ClassVar[list[tuple[str, int]]] = []

    def do_GET(self) -> None:
        url_path = self.path.split("?", 1)[0].split("#", 1)[0]
        file = Path(self.translate_path(url_path))
        if file.is_dir():
            # Without the slash the parent class redirects; nothing is served.
            file = file / "index.html" if url_path.endswith("/") else file
        gzip_accepted = "gzip" in self.headers.get("Accept-Encoding", "")
        if gzip_accepted and file.is_file() and file.suffix in COMPRESSED_TYPES:
            body = gzip_bytes(file.read_bytes())
            self.send_response(200)
            self.send_header("Content-Type", self.guess_type(str(file)))
            self.send_header("Content-Encoding", "gzip")
            self.send_header("Content-Length", str(len(body)))
            self.end_headers()
            self.wfile.write(body)
            self.served.append((self.path, len(body)))
            return
        super().do_GET()
        if file.is_file():
            self.served.append((self.path, file.stat().st_size))

    def translate_path(self, path: str) -> str:
        if not path.startswith(self.prefix):
            return str(Path(self.directory) / "outside-the-site" / "no-such-file")
        return super().translate_path("/" + path[len(self.prefix) :])

    def send_error(self, code: int, message: str | None = None, explain: str | None = None) -> None:
        not_found = Path(self.directory) / "404.html"
        if code != 404 or not not_found.is_file():
            super().send_error(code, message, explain)
            return
        body = not_found.read_bytes()
        self.send_response(404)
        self.send_header("Content-Type", "text/html; charset=utf-8")
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        if self.command != "HEAD":
            self.wfile.write(body)

    def log_message(self, format: str, *args: object) -> None:
        pass


class _Server(ThreadingHTTPServer):
    def handle_error(self, request: object, client_address: tuple[str, int]) -> None:
        """A browser closing a kept-alive connection is not an error; anything else is printed."""
        if not isinstance(sys.exc_info()[1], ConnectionError):
            super().handle_error(request, client_address)


@contextlib.contextmanager
def serve(site: Path, *, prefix: str | None = None, port: int = 0) -> Iterator[tuple[str, list[tuple[str, int]]]]:
    """Serve ``site`` on 127.0.0.1:``port`` (0: a free port) under ``prefix``, by default its canonical URL's path.

    Yields the base URL and the live list of (path, body bytes) served. The
    folder is read at each request: it may be built, or rebuilt, while served.
    """
    served: list[tuple[str, int]] = []
    handler = type("Handler", (_Handler,), {"prefix": prefix or site_path_prefix(site), "served": served})
    httpd = _Server(("127.0.0.1", port), functools.partial(handler, directory=str(site)))
    thread = threading.Thread(target=httpd.serve_forever, daemon=True)
    thread.start()
    try:
        yield f"http://127.0.0.1:{httpd.server_address[1]}{handler.prefix}", served
    finally:
        httpd.shutdown()
        httpd.server_close()


def open_search(page: Page, query: str) -> None:
    """Open search and enter ``query`` (the search answers each input event); wait for a result."""
    page.locator("label[for='__search']").first.click()
    page.locator("input.md-search__input").fill(query)
    page.locator(".md-search-result__item").first.wait_for(timeout=10_000)
