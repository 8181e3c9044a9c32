"""Every reader, every link: citations, crawlers, Text Fragments, saved copies, and the text without scripts.

- Citations are read from the built pages as Zotero's "Embedded Metadata"
  translator (zotero/translators) reads them: every ``<meta>`` by its
  ``name``, the Highwire ``citation_`` prefix, the first value of a field
  that takes one, ``citation_author`` as a list. Zotero itself cannot run
  here (its translators run inside the Zotero client), so the tags are parsed
  the way that translator does.
- Text Fragments (``#:~:text=``) are followed by Chromium (Playwright) and
  Debian's Firefox ESR (puppeteer-core over WebDriver BiDi, with
  ``javascript.enabled`` off for the script-free runs: ESR's BiDi has no
  ``emulation.setScriptingEnabled``), scripts on and off. Not WebKitGTK: the
  engines module opens pages in an ``<iframe>`` (MiniBrowser's window cannot be
  narrower than its toolbar), and a text directive applies to a top-level
  navigation only.
- The text's first paint is Chromium's largest contentful paint inside the
  article (CDP's PerformanceTimeline, which reports it with scripts off too).
"""

from __future__ import annotations

import hashlib
import json
import os
import re
import subprocess
from datetime import UTC, datetime
from html.parser import HTMLParser
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit

from bs4 import BeautifulSoup
from conftest import build_site, copy_project, page_soup
from facts import ADDED, REPO, SITE_URL, SOURCE

PHONE = {"width": 390, "height": 844}


# --------------------------------------------------------------------------- citations


class _MetaTags(HTMLParser):
    """Every <meta name content> of a document, in order, as Zotero's translator collects them."""

    def __init__(self) -> None:
        super().__init__()
        self.tags: dict[str, list[str]] = {}

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        attributes = dict(attrs)
        if tag == "meta" and attributes.get("name") and attributes.get("content") is not None:
            self.tags.setdefault(str(attributes["name"]).lower(), []).append(str(attributes["content"]))


def highwire(html: str) -> dict[str, list[str]]:
    """The citation_* tags of ``html``: field (without the prefix) to every value, in document order."""
    parser = _MetaTags()
    parser.feed(html)
    return {
        name.removeprefix("citation_"): values for name, values in parser.tags.items() if name.startswith("citation_")
    }


def first(tags: dict[str, list[str]], field: str) -> str | None:
    """A single-valued field as the translator takes it: the first value given."""
    return tags.get(field, [None])[0]


def expected_edition_date() -> datetime:
    """The build's date as the Makefile sets it: SOURCE_DATE_EPOCH, else the last commit's time (never the clock)."""
    epoch = (
        os.environ.get("SOURCE_DATE_EPOCH")
        or subprocess.run(
            ["git", "-C", str(REPO), "log", "-1", "--format=%ct"], capture_output=True, text=True, check=True
        ).stdout.strip()
    )
    return datetime.fromtimestamp(int(epoch), UTC)


def json_ld(site: Path) -> dict[str, Any]:
    script = page_soup(site, "index.html").find("script", type="application/ld+json")
    assert script is not None
    return json.loads(script.string)


class TestCitationTags:
    """The report page carries the Highwire tags a reference manager reads, matching its JSON-LD; nothing invented."""

    def test_title_language_date_and_address(self, site: Path) -> None:
        tags = highwire((site / "index.html").read_text(encoding="utf-8"))
        assert first(tags, "title") == ADDED["title"]
        assert first(tags, "language") == "ar"
        assert first(tags, "publication_date") == expected_edition_date().strftime("%Y/%m/%d")
        assert first(tags, "public_url") == SITE_URL
        assert first(tags, "fulltext_html_url") == SITE_URL

    def test_each_field_given_once(self, site: Path) -> None:
        """A second value would be ignored by the translator, or read as a second author: none is given."""
        tags = highwire((site / "index.html").read_text(encoding="utf-8"))
        assert all(len(values) == 1 for values in tags.values()), tags

    def test_no_author_publisher_or_original_date(self, site: Path) -> None:
        """None of them is known (source/provenance.yml): a citation that named one would invent it."""
        tags = highwire((site / "index.html").read_text(encoding="utf-8"))
        invented = {"author", "authors", "publisher", "date", "online_date", "journal_title", "doi", "isbn"}
        assert invented.isdisjoint(tags), tags

    def test_the_json_ld_says_the_same(self, site: Path) -> None:
        tags = highwire((site / "index.html").read_text(encoding="utf-8"))
        data = json_ld(site)
        assert data["headline"] == first(tags, "title")
        assert data["inLanguage"] == first(tags, "language")
        assert data["url"] == first(tags, "public_url")
        # The edition's date; not datePublished, which would read as the news report's own (unknown) date.
        assert data["dateModified"] == expected_edition_date().date().isoformat()
        assert "datePublished" not in data and "author" not in data and "publisher" not in data

    def test_only_the_report_page_is_cited(self, site: Path) -> None:
        for path in ("provenance/index.html", "404.html"):
            assert highwire((site / path).read_text(encoding="utf-8")) == {}, path

    def test_a_build_with_its_own_date_cites_that_date(self, tmp_path: Path) -> None:
        """SOURCE_DATE_EPOCH (the Makefile's) decides the date, as it does the sitemap's."""
        project = copy_project(tmp_path / "project")
        result = build_site(project, tmp_path / "site", env={"SOURCE_DATE_EPOCH": "1700000000"})
        assert result.returncode == 0, result.stderr
        tags = highwire((tmp_path / "site" / "index.html").read_text(encoding="utf-8"))
        assert first(tags, "publication_date") == "2023/11/14"
        assert "2023-11-14" in page_soup(tmp_path / "site", "provenance/index.html").get_text()

    def test_a_date_that_is_not_a_number_fails_the_build_in_one_line(self, tmp_path: Path) -> None:
        project = copy_project(tmp_path / "project")
        result = build_site(project, tmp_path / "site", env={"SOURCE_DATE_EPOCH": "yesterday"})
        assert result.returncode != 0
        assert "SOURCE_DATE_EPOCH: 'yesterday' is not a whole number of seconds" in result.stderr


def cite_heading(soup: BeautifulSoup) -> Any:
    """The provenance page's citation heading ("how to cite this text")."""
    heading = next((h2 for h2 in soup.find_all("h2") if "كيف تستشهد" in h2.get_text()), None)
    assert heading is not None, "no citation section on the provenance page"
    return heading


def cite_block(site: Path) -> BeautifulSoup:
    soup = page_soup(site, "provenance/index.html")
    cite_heading(soup)
    return soup


class TestHowToCite:
    """The provenance page says how to cite this edition, in Arabic, with a RIS entry to copy."""

    def ris(self, site: Path) -> dict[str, list[str]]:
        entry = cite_block(site).find("pre", class_="provenance-citation")
        assert entry is not None
        fields: dict[str, list[str]] = {}
        lines = entry.get_text().splitlines()
        # RIS: "XX  - value" a line, from TY to ER.
        assert lines[0].startswith("TY  - ") and lines[-1].rstrip() == "ER  -"
        for line in lines:
            match = re.fullmatch(r"([A-Z][A-Z0-9])  - ?(.*)", line)
            assert match, f"not a RIS line: {line!r}"
            fields.setdefault(match[1], []).append(match[2])
        return fields

    def test_the_entry_names_address_date_and_sha256(self, site: Path) -> None:
        fields = self.ris(site)
        assert fields["UR"] == [SITE_URL]
        assert fields["TI"] == [ADDED["title"]]
        assert fields["DA"] == [expected_edition_date().strftime("%Y/%m/%d")]
        assert hashlib.sha256(SOURCE.read_bytes()).hexdigest() in fields["N1"][0]
        assert "AU" not in fields and "A1" not in fields and "PB" not in fields

    def test_the_page_says_it_in_arabic(self, site: Path) -> None:
        soup = cite_block(site)
        heading = cite_heading(soup)
        text = heading.find_next("p").get_text()
        assert re.search(r"[\u0621-\u064A]{3}", text)
        assert SITE_URL in text and expected_edition_date().date().isoformat() in text

    def test_everything_it_says_is_listed_as_an_addition(self, site: Path) -> None:
        """Its heading, its sentence (in parts) and its date are rows of the additions table."""
        soup = cite_block(site)
        added = " ".join(span.get_text() for span in soup.select(".provenance-addition"))
        heading = cite_heading(soup)
        assert heading.get_text().strip() in added
        sentence = heading.find_next("p").get_text()
        for part in re.split(r"\d{4}-\d{2}-\d{2}|https://\S+?/(?=\.)", sentence):
            assert part.strip(" .،") in added, part
        assert expected_edition_date().date().isoformat() in added


# --------------------------------------------------------------------------- crawlers


class TestCrawlerFiles:
    """robots.txt only where crawlers read it: the root of the site's host (RFC 9309)."""

    def test_a_project_site_publishes_no_robots_txt(self, site: Path) -> None:
        assert urlsplit(SITE_URL).path != "/", "the default address is a project site"
        assert not (site / "robots.txt").exists()

    def test_a_site_at_its_hosts_root_publishes_robots_naming_its_sitemap(self, tmp_path: Path) -> None:
        project = copy_project(tmp_path / "project")
        result = build_site(project, tmp_path / "site", env={"SITE_URL": "https://report.example.org/"})
        assert result.returncode == 0, result.stderr
        robots = (tmp_path / "site" / "robots.txt").read_text(encoding="utf-8").splitlines()
        assert "Sitemap: https://report.example.org/sitemap.xml" in robots
        assert (tmp_path / "site" / "sitemap.xml").is_file()
