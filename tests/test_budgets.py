"""Size budgets, asserted on the built site as a browser loads it (timings are in `make bench`)."""

from __future__ import annotations

import re
from pathlib import Path
from urllib.parse import urlsplit

import pytest
from playwright.sync_api import Browser
from serving import serve, wait_for_search_worker

KB = 1024
# Report page, first load, compressed as GitHub Pages sends it, every request
# (the search worker and what it fetches included).
# 116, not 110: the static Arabic font WebKit draws correctly is 7 KB larger (hooks/fonts.py, FACES).
FIRST_LOAD_BUDGET = 116 * KB
FONT_BUDGET = 36 * KB
REQUEST_BUDGET = 16


@pytest.fixture(scope="module")
def first_load(site: Path, browser: Browser) -> list[tuple[str, int]]:
    """(path, bytes sent) for every response of a first visit to the report page, counted at the server."""
    with serve(site, compress=True) as (base, served):
        context = browser.new_context(viewport={"width": 390, "height": 844})
        page = context.new_page()
        page.goto(base, wait_until="networkidle")
        wait_for_search_worker(page, served)
        context.close()
        return list(served)


def total(responses: list[tuple[str, int]], pattern: str = "") -> int:
    return sum(size for path, size in responses if re.search(pattern, urlsplit(path).path))


class TestFirstLoad:
    def test_the_search_worker_is_counted(self, first_load: list[tuple[str, int]]) -> None:
        paths = [urlsplit(path).path for path, _ in first_load]
        assert any(path.endswith("search_index.json") for path in paths)
        assert any("/workers/search." in path for path in paths)

    def test_total_bytes_within_budget(self, first_load: list[tuple[str, int]]) -> None:
        assert 0 < total(first_load) <= FIRST_LOAD_BUDGET, first_load

    def test_font_bytes_within_budget(self, first_load: list[tuple[str, int]]) -> None:
        fonts = total(first_load, r"\.woff2$")
        assert 0 < fonts <= FONT_BUDGET

    def test_request_count(self, first_load: list[tuple[str, int]]) -> None:
        assert len(first_load) <= REQUEST_BUDGET, [path for path, _ in first_load]

    def test_nothing_is_fetched_twice(self, first_load: list[tuple[str, int]]) -> None:
        paths = [path for path, _ in first_load]
        assert len(paths) == len(set(paths))


# Files no page links to by name, and why they are published.
UNLINKED_FOR_A_REASON = {
    "404.html": "GitHub Pages serves it for any unknown address",
    "robots.txt": "crawlers ask for it by name",
    "lunr.ar.min.js": "the search worker loads lunr.<language>.min.js for each configured language",
    "noto-naskh-arabic-OFL.txt": "the font licence requires the licence to travel with the font",
    "noto-serif-OFL.txt": "the font licence requires the licence to travel with the font",
}


class TestNothingUnused:
    """Every file in site/ is used by a page, or has a written reason to be there."""

    def test_every_file_is_referenced(self, site: Path) -> None:
        texts = {
            path: path.read_text(encoding="utf-8", errors="replace")
            for path in site.rglob("*")
            if path.suffix in {".html", ".css", ".js", ".json", ".txt", ".xml"}
        }
        unused = []
        for path in sorted(p for p in site.rglob("*") if p.is_file()):
            relative = path.relative_to(site).as_posix()
            # The home page is linked from every page as "." or the site's address.
            if path.name in UNLINKED_FOR_A_REASON or relative == "index.html":
                continue
            # A page is referenced by its folder ("provenance/"), other files by name.
            needle = relative.removesuffix("index.html") if path.name == "index.html" else path.name
            if not any(needle in text for other, text in texts.items() if other != path):
                unused.append(relative)
        assert unused == []

    def test_no_source_maps_or_default_assets(self, site: Path) -> None:
        names = {path.name for path in site.rglob("*")}
        assert not [name for name in names if name.endswith(".map")]
        assert "favicon.png" not in names and "sitemap.xml.gz" not in names
        languages = sorted(p.name for p in (site / "assets" / "javascripts" / "lunr" / "min").glob("lunr.??.min.js"))
        assert languages == ["lunr.ar.min.js"]
