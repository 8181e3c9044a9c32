"""Every input channel poisoned at once: whatever a value holds is published as text, never as markup or script.

One build poisons every string field of source/report.yml and
source/provenance.yml and the report's first line; the whole built site
(pages, sitemap, search index) is then searched for anything live, and the
pages are opened in Chromium, which must show no dialog.
"""

from __future__ import annotations

import hashlib
import json
import re
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
import yaml
from bs4 import BeautifulSoup
from conftest import built, copy_project, served_build
from facts import HTML_PAGES, REPO
from playwright.sync_api import Browser
from serving import open_search

# A marker element, a script, an event handler, a redirect and a script address, each closing
# an attribute or element first. Only ASCII: the site's fonts draw all of it.
POISON = (
    "\"'></title></script><x-poison></x-poison><script>alert('poison')</script>"
    "<img src=x onerror=alert('poison')><meta http-equiv=refresh content='0;url=https://example.org/'>"
    "<a href=javascript:alert('poison')>x</a>"
)
# Addresses must be absolute web addresses (others fail the build); this one is hostile inside, for HTML
# and for the Markdown the provenance page is written in (a code span, a link, backslash escapes).
POISONED_URL = "https://example.org/\"'><script>alert('poison')</script>[x](onmouseover=alert('poison')//)`x`\\*"
# A section heading (short, without sentence punctuation), which reaches more places than a paragraph: the
# table of contents, its link's label, the provenance page's list of decisions and the search results' titles.
POISONED_HEADING = "<x-poison>h</x-poison><img src=x onerror=alert('poison')>"
LIVE_ATTRIBUTE = re.compile(r"^on|^srcdoc$", re.IGNORECASE)
HOSTILE = REPO / "tests" / "hostile"


def poisoned(value: Any, key: str = "") -> Any:
    """``value`` with POISON appended to every string in it, and every address replaced by POISONED_URL."""
    if isinstance(value, dict):
        return {k: poisoned(v, k) for k, v in value.items()}
    if isinstance(value, list):
        return [poisoned(v, key) for v in value]
    if isinstance(value, str) and key == "url":
        return POISONED_URL
    if isinstance(value, str) and key not in ("status", "source_sha256"):
        return value + POISON
    return value


def live_markup(html: str, where: str) -> list[str]:
    """What in ``html`` would run or act: the marker element, event handlers, script addresses, refreshes, scripts."""
    found = []
    for tag in BeautifulSoup(html, "html.parser").find_all(True):
        if tag.name == "x-poison":
            found.append(f"{where}: <x-poison> element")
        if tag.name == "script" and "poison" in (tag.string or ""):
            if tag.get("type") not in ("application/ld+json", "application/json"):
                found.append(f"{where}: script {tag.string[:60]!r}")
            elif "<" in tag.string or not json.loads(tag.string):
                found.append(f"{where}: data block with '<' or no data")
        if tag.name == "meta" and str(tag.get("http-equiv", "")).lower() == "refresh":
            found.append(f"{where}: <meta http-equiv=refresh>")
        for name, value in tag.attrs.items():
            text = " ".join(value) if isinstance(value, list) else str(value)
            if LIVE_ATTRIBUTE.search(name):
                found.append(f"{where}: <{tag.name} {name}>")
            if name in ("href", "src", "action", "formaction") and text.strip().lower().startswith("javascript:"):
                found.append(f"{where}: <{tag.name} {name}={text!r}>")
    return found


@pytest.fixture(scope="module")
def poisoned_build(tmp_path_factory: pytest.TempPathFactory) -> Iterator[tuple[Path, str]]:
    """The poisoned project's site, built and served on 127.0.0.1: its folder and address."""
    project = copy_project(tmp_path_factory.mktemp("poisoned") / "project")
    text = project / "source" / "report.ar.txt"
    lines = text.read_text(encoding="utf-8").split("\n")
    text.write_text("\n".join([lines[0] + POISON, POISONED_HEADING, *lines[1:]]), encoding="utf-8")
    sha256 = hashlib.sha256(text.read_bytes()).hexdigest()
    for name in ("report.yml", "provenance.yml"):
        path = project / "source" / name
        data = poisoned(yaml.safe_load(path.read_text(encoding="utf-8"))) | {"source_sha256": sha256}
        if "description_max_chars" in data:
            data["description_max_chars"] = 300  # room for the poisoned excerpt mark
        path.write_text(yaml.safe_dump(data, allow_unicode=True), encoding="utf-8")
    with served_build(project, project.parent / "site") as (base, result, _):
        assert result.returncode == 0, result.stderr
        yield project.parent / "site", base


@pytest.fixture(scope="module")
def poisoned_site(poisoned_build: tuple[Path, str]) -> Path:
    return poisoned_build[0]


class TestNothingLiveInTheBuiltSite:
    def test_pages(self, poisoned_site: Path) -> None:
        pages = sorted(poisoned_site.rglob("*.html"))
        assert len(pages) >= 3
        assert all("x-poison" in page.read_text(encoding="utf-8") for page in pages), "the poison must be published"
        found = [f for page in pages for f in live_markup(page.read_text(encoding="utf-8"), str(page))]
        assert found == []

    def test_addresses_published_verbatim(self, poisoned_site: Path) -> None:
        page = BeautifulSoup((poisoned_site / "provenance" / "index.html").read_text(encoding="utf-8"), "html.parser")
        hrefs = [link["href"] for link in page.select("article a[rel~=noopener]")]
        assert hrefs and set(hrefs) == {POISONED_URL}

    def test_the_heading_is_a_heading_shown_as_text(self, poisoned_site: Path) -> None:
        page = BeautifulSoup((poisoned_site / "index.html").read_text(encoding="utf-8"), "html.parser")
        assert page.select("article h2")[0].get_text() == POISONED_HEADING
        assert POISONED_HEADING in [link.get_text(strip=True) for link in page.select(".md-nav--secondary a")]

    def test_search_index(self, poisoned_site: Path) -> None:
        """The index is data: the poisoned text in it once, verbatim, neither escaped again nor read as markup.

        search.js shows it with textContent (tests/test_search.py, TestUntrustedIndex).
        """
        blocks = json.loads((poisoned_site / "search" / "paragraphs.json").read_text(encoding="utf-8"))["blocks"]
        assert set().union(*(block.keys() for block in blocks)) == {"url", "section", "text"}
        assert any(POISON in block["text"] for block in blocks)
        assert not any("&lt;" in block["text"] + block["section"] for block in blocks)

    def test_social_card_tags(self, poisoned_site: Path) -> None:
        page = BeautifulSoup((poisoned_site / "index.html").read_text(encoding="utf-8"), "html.parser")
        alt = page.find("meta", attrs={"property": "og:image:alt"})["content"]
        assert alt.endswith(POISON)


@pytest.fixture(scope="module")
def poisoned_server(poisoned_build: tuple[Path, str]) -> str:
    return poisoned_build[1]


class TestNoDialogInTheBrowser:
    @pytest.mark.parametrize("path", ["", "provenance/", "no-such-page/"])
    def test_pages_and_search_open_no_dialog(self, browser: Browser, poisoned_server: str, path: str) -> None:
        page = browser.new_page(viewport={"width": 390, "height": 844})  # a phone: search behind its button
        dialogs: list[str] = []
        page.on("dialog", lambda dialog: (dialogs.append(dialog.message), dialog.dismiss()))
        page.goto(poisoned_server + path, wait_until="load")
        # Search results show the index's texts, poison included.
        open_search(page, "poison")
        assert "x-poison" in page.inner_text(".md-search-result")
        url = page.url
        page.close()
        assert dialogs == [] and url.startswith(poisoned_server)


ID_FIELDS: dict[str, str] = yaml.safe_load((HOSTILE / "ids" / "report.yml-fields.yml").read_text(encoding="utf-8"))


def page_ids(html: str) -> list[tuple[str, str]]:
    """Every (id, element name) of a page, in document order."""
    return [(tag["id"], tag.name) for tag in BeautifulSoup(html, "html.parser").find_all(id=True)]


@pytest.fixture(scope="module")
def site_with_ids_as_titles(tmp_path_factory: pytest.TempPathFactory) -> Path:
    project = copy_project(tmp_path_factory.mktemp("ids") / "project")
    path = project / "source" / "report.yml"
    data = yaml.safe_load(path.read_text(encoding="utf-8"))
    for field, value in ID_FIELDS.items():
        *parents, key = field.split(".")
        inner = data
        for parent in parents:
            inner = inner[parent]
        inner[key] = value
    path.write_text(yaml.safe_dump(data, allow_unicode=True), encoding="utf-8")
    return built(project)


class TestIdsFromEditorialText:
    """A title that spells one of the page's own ids takes none: every id once, Material's and the site's as built."""

    @pytest.mark.parametrize("page", HTML_PAGES)
    def test_every_id_once(self, site_with_ids_as_titles: Path, page: str) -> None:
        ids = [name for name, _ in page_ids((site_with_ids_as_titles / page).read_text(encoding="utf-8"))]
        assert sorted(name for name in set(ids) if ids.count(name) > 1) == []

    @pytest.mark.parametrize("page", HTML_PAGES)
    def test_the_pages_own_ids_are_on_the_same_elements(
        self, site: Path, site_with_ids_as_titles: Path, page: str
    ) -> None:
        """Each id holding '_' (Material's, the site's) is on the same element as in the site built from source/."""
        own = [pair for pair in page_ids((site / page).read_text(encoding="utf-8")) if "_" in pair[0]]
        built = page_ids((site_with_ids_as_titles / page).read_text(encoding="utf-8"))
        assert own and [pair for pair in built if "_" in pair[0]] == own

    def test_the_titles_are_shown_as_written(self, site_with_ids_as_titles: Path) -> None:
        for page, field in (("index.html", "title"), ("provenance/index.html", "provenance_title")):
            h1 = BeautifulSoup((site_with_ids_as_titles / page).read_text(encoding="utf-8"), "html.parser").h1
            assert h1.get_text(strip=True) == ID_FIELDS[field] and "_" not in h1.get("id", "")
