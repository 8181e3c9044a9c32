"""Shared fixtures: the repository, a real build of the site, and that site served on 127.0.0.1."""

from __future__ import annotations

import contextlib
import functools
import gzip
import os
import re
import shutil
import subprocess
import sys
import threading
from collections.abc import Iterator
from http.server import SimpleHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from typing import ClassVar
from urllib.parse import urlsplit

import pytest
from playwright.sync_api import Browser, sync_playwright

REPO = Path(__file__).resolve().parent.parent
CHROMIUM = Path("/usr/bin/chromium")
SOURCE = REPO / "source" / "report.ar.txt"


def build_site(project: Path, site_dir: Path, env: dict[str, str] | None = None) -> subprocess.CompletedProcess[str]:
    """Run the real `mkdocs build --strict` of ``project`` into ``site_dir``."""
    return subprocess.run(
        [sys.executable, "-m", "mkdocs", "build", "--strict", "--site-dir", str(site_dir)],
        cwd=project,
        env={**os.environ, "NO_MKDOCS_2_WARNING": "1", **(env or {})},
        capture_output=True,
        text=True,
        check=False,
    )


def copy_project(destination: Path) -> Path:
    """A copy of the files a build needs, to change without touching the repository."""
    destination.mkdir(parents=True)
    for name in ("mkdocs.yml", "source", "docs", "hooks", "overrides", "report2md", "fonts"):
        path = REPO / name
        if path.is_dir():
            shutil.copytree(path, destination / name, ignore=shutil.ignore_patterns("__pycache__"))
        else:
            shutil.copy2(path, destination / name)
    return destination


@pytest.fixture(scope="session")
def site(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The site, built once per test session from the repository as it is."""
    site_dir = tmp_path_factory.mktemp("site")
    result = build_site(REPO, site_dir)
    assert result.returncode == 0, f"mkdocs build --strict failed:\n{result.stderr}"
    assert "WARNING" not in result.stderr, result.stderr
    return site_dir


# Sent gzipped by GitHub Pages; fonts and images are compressed already.
COMPRESSED_TYPES = frozenset({".html", ".css", ".js", ".json", ".svg", ".txt", ".xml"})


def gzip_bytes(data: bytes) -> bytes:
    """``data`` gzipped at the level web servers use by default, with a fixed header time."""
    return gzip.compress(data, compresslevel=6, mtime=0)


def site_path_prefix(site: Path) -> str:
    """The path the site lives under (from its canonical URL), as on GitHub Pages: ``/report/``."""
    canonical = re.search(r'<link rel="canonical" href="([^"]+)"', (site / "index.html").read_text(encoding="utf-8"))
    assert canonical, "index.html has no canonical link"
    return urlsplit(canonical[1]).path


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
    prefix: ClassVar[str] = "/"
    # Paths served, in order, with the bytes of each response body: what a
    # reader downloads, counted where it is sent (the search worker included).
    served: ClassVar[list[tuple[str, int]]] = []
    gzip: ClassVar[bool] = False

    def do_GET(self) -> None:
        url_path = self.path.split("?", 1)[0].split("#", 1)[0]
        file = Path(self.translate_path(url_path))
        if file.is_dir():
            # Without the slash the parent class redirects; nothing is served.
            file = file / "index.html" if url_path.endswith("/") else file
        if self.gzip and file.is_file() and file.suffix in COMPRESSED_TYPES:
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
            return str(Path(self.directory) / "\0no such file")
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


@contextlib.contextmanager
def serve(site: Path, *, compress: bool = False) -> Iterator[tuple[str, list[tuple[str, int]]]]:
    """Serve ``site`` on 127.0.0.1 (a free port) under its path prefix.

    Yields the base URL and the live list of (path, body bytes) served. With
    ``compress``, text files are sent gzipped, as GitHub Pages sends them.
    """
    served: list[tuple[str, int]] = []
    handler = type("Handler", (_Handler,), {"prefix": site_path_prefix(site), "served": served, "gzip": compress})
    httpd = ThreadingHTTPServer(("127.0.0.1", 0), functools.partial(handler, directory=str(site)))
    thread = threading.Thread(target=httpd.serve_forever, daemon=True)
    thread.start()
    try:
        yield f"http://127.0.0.1:{httpd.server_address[1]}{handler.prefix}", served
    finally:
        httpd.shutdown()
        httpd.server_close()


@pytest.fixture(scope="session")
def server(site: Path) -> Iterator[str]:
    """The built site served on 127.0.0.1 under its path prefix; yields its base URL."""
    with serve(site) as (base, _):
        yield base


@pytest.fixture(scope="session")
def browser() -> Iterator[Browser]:
    """Debian's Chromium, headless, driven by Playwright (its own download is not used)."""
    if not CHROMIUM.is_file():
        pytest.fail(f"{CHROMIUM} is missing: install Debian's chromium (`make test` does, as root)", pytrace=False)
    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(
            executable_path=str(CHROMIUM),
            args=["--no-sandbox", "--disable-gpu", "--disable-background-networking"],
        )
        yield browser
        browser.close()
