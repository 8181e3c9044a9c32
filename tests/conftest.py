"""Shared fixtures: the repository, a real build of the site, and that site served on 127.0.0.1."""

from __future__ import annotations

import base64
import contextlib
import os
import re
import shutil
import subprocess
import sys
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from urllib.parse import urlsplit

import pytest
from bs4 import BeautifulSoup
from facts import (  # noqa: F401 (REPO, SOURCE re-exported: tests import them from here)
    CHROMIUM,
    CHROMIUM_ARGS,
    REPO,
    SITE_URL,
    SOURCE,
)
from playwright.sync_api import Browser, sync_playwright
from serving import serve, site_path_prefix

# What a build reads: the stages (convert, generate, render, finish), the font helper and their inputs.
PROJECT_FILES = (
    "mkdocs.yml",
    "source",
    "docs",
    "report2md",
    "generate",
    "hooks",
    "overrides",
    "finish",
    "sitefonts",
    "search_index",
    "fonts",
)


# Where ``phrase`` (its first occurrence in the text of the element ``block``) is drawn: a DOMRect, or null.
# A page function for the browser tests; it runs with the page's scripts off too (the driver's is not the page's).
PHRASE_RECT = """(block, phrase) => {
  const walker = document.createTreeWalker(block, NodeFilter.SHOW_TEXT);
  for (let node = walker.nextNode(); node; node = walker.nextNode()) {
    const at = node.data.indexOf(phrase);
    if (at < 0) continue;
    const range = document.createRange();
    range.setStart(node, at);
    range.setEnd(node, at + phrase.length);
    return range.getBoundingClientRect();
  }
  return null;
}"""


def page_soup(site: Path, path: str) -> BeautifulSoup:
    """The built page at ``path`` under ``site``, parsed."""
    return BeautifulSoup((site / path).read_text(encoding="utf-8"), "html.parser")


def page_fonts(site: Path, path: str) -> dict[str, bytes]:
    """The fonts the @font-face rules of the built page at ``path`` name: url: bytes, from inside the rule or a file."""
    styles = "".join(style.text for style in page_soup(site, path).find_all("style"))
    fonts = {}
    for url in re.findall(r'@font-face\{[^}]*src:url\("([^"]+)"\)', styles):
        if url.startswith("data:"):
            fonts[url] = base64.b64decode(url.split(",", 1)[1])
        else:
            # The 404 page is served at any depth, so it links from the site's root path.
            relative = url.removeprefix(site_path_prefix(site)) if path == "404.html" else url
            fonts[url] = ((site / path).parent / relative).resolve().read_bytes()
    return fonts


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


def built(project: Path) -> Path:
    """The site of ``project``, built beside it; the build must succeed."""
    site = project.parent / "site"
    result = build_site(project, site)
    assert result.returncode == 0, result.stderr
    return site


def site_that_was(tmp_path: Path) -> Path:
    """A site/ holding one page, to show that a refused build leaves it as it was."""
    site = tmp_path / "site"
    site.mkdir()
    (site / "index.html").write_text("the site as it was", encoding="utf-8")
    return site


def copy_project(destination: Path) -> Path:
    """A copy of the files a build needs, to change without touching the repository."""
    destination.mkdir(parents=True)
    for name in PROJECT_FILES:
        path = REPO / name
        if path.is_dir():
            shutil.copytree(path, destination / name, ignore=shutil.ignore_patterns("__pycache__"))
        else:
            shutil.copy2(path, destination / name)
    return destination


@contextlib.contextmanager
def served_build(
    project: Path, site_dir: Path, env: dict[str, str] | None = None
) -> Iterator[tuple[str, subprocess.CompletedProcess[str], list[tuple[str, int]]]]:
    """``project`` built into ``site_dir`` for the address it is served at, on 127.0.0.1 under the default path.

    The pages' policy allows the site's files by its address (finish/policy.py),
    so a page works only where its build said it would be published. Yields
    that address, the build's result, and the live list of what is served.
    """
    with serve(site_dir, prefix=urlsplit(SITE_URL).path) as (base, log):
        yield base, build_site(project, site_dir, env={"SITE_URL": base, **(env or {})}), log


@dataclass(frozen=True)
class Served:
    """The site, built once per test session from the repository as it is, and served where it was built for."""

    site: Path
    url: str
    log: list[tuple[str, int]]  # (path, bytes sent) of every response, gzipped for a client that accepts it


@pytest.fixture(scope="session")
def served(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Served]:
    site_dir = tmp_path_factory.mktemp("site")
    with served_build(REPO, site_dir) as (url, result, log):
        assert result.returncode == 0, f"mkdocs build --strict failed:\n{result.stderr}"
        assert "WARNING" not in result.stderr, result.stderr
        yield Served(site_dir, url, log)


@pytest.fixture(scope="session")
def site(served: Served) -> Path:
    """The built site's folder."""
    return served.site


@pytest.fixture(scope="session")
def server(served: Served) -> str:
    """The built site's address on 127.0.0.1, the one it was built for (its site_url)."""
    return served.url


@pytest.fixture(scope="session")
def browser() -> Iterator[Browser]:
    """Debian's Chromium, headless, driven by Playwright (its own download is not used)."""
    if not CHROMIUM.is_file():
        pytest.fail(f"{CHROMIUM} is missing: install Debian's chromium (`make test` does, as root)", pytrace=False)
    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(
            executable_path=str(CHROMIUM),
            args=CHROMIUM_ARGS,
        )
        yield browser
        browser.close()
