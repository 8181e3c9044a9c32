"""The provenance page: figures from the file, the origin data checked, additions accounted for."""

from __future__ import annotations

import hashlib
import html
import json
import re
import shutil
from pathlib import Path

import pytest
import yaml
from bs4 import BeautifulSoup, NavigableString
from conftest import page_soup
from facts import REPO, SOURCE

from generate.data import DataError
from generate.inputs import read_inputs
from generate.site import generate_site


def table_value(soup: BeautifulSoup, label: str) -> str:
    for row in soup.select("article table tr"):
        cells = row.find_all("td")
        if cells and cells[0].get_text(" ", strip=True) == label:
            return cells[1].get_text(" ", strip=True)
    raise AssertionError(f"no row '{label}' on the provenance page")


class TestReceivedFileFigures:
    """The hash, size, lines and headings shown are those of source/report.ar.txt."""

    def test_figures_equal_the_files(self, site: Path) -> None:
        data = SOURCE.read_bytes()
        soup = page_soup(site, "provenance/index.html")
        assert table_value(soup, "بصمة SHA-256") == hashlib.sha256(data).hexdigest()
        assert table_value(soup, "الحجم") == f"{len(data)} بايت"
        assert table_value(soup, "عدد الأسطر").startswith(str(data.count(b"\n") + 1))
        assert table_value(soup, "عدد المحارف") == str(len(data.decode("utf-8")))
        assert table_value(soup, "الترميز") == "UTF-8"

    def test_headings_with_their_lines(self, site: Path) -> None:
        headings = table_value(page_soup(site, "provenance/index.html"), "عناوين الأقسام")
        found = re.findall(r"«([^»]+)» \(السطر (\d+)\)", headings)
        lines = SOURCE.read_text(encoding="utf-8").split("\n")
        assert [int(n) for _, n in found] == [4, 7, 10, 13]
        assert all(lines[int(n) - 1] == text for text, n in found)

    def test_download_link_gives_the_same_bytes(self, site: Path) -> None:
        link = page_soup(site, "provenance/index.html").find("a", string=re.compile("نزّل الملف"))
        target = (site / "provenance" / link["href"]).resolve()
        assert target.read_bytes() == SOURCE.read_bytes()

    def test_download_is_served_as_utf8_text(self, server: str) -> None:
        from urllib.request import urlopen

        with urlopen(f"{server}report.ar.txt") as response:
            assert response.headers["Content-Type"] == "text/plain; charset=utf-8"
            assert hashlib.sha256(response.read()).hexdigest() == hashlib.sha256(SOURCE.read_bytes()).hexdigest()

    def test_full_text_in_a_collapsible_block(self, site: Path) -> None:
        details = page_soup(site, "provenance/index.html").select_one("details.provenance-source")
        assert details.pre.get_text() == SOURCE.read_text(encoding="utf-8")

    def test_every_line_has_its_decision(self, site: Path) -> None:
        soup = page_soup(site, "provenance/index.html")
        rows = [[c.get_text(strip=True) for c in row.find_all("td")] for row in soup.select("article table tr")]
        decisions = {int(row[0]): row[1] for row in rows if len(row) == 4 and row[0].isdigit()}
        assert decisions == {n: ("عنوان قسم" if n in (4, 7, 10, 13) else "فقرة") for n in range(1, 17)}

    def test_tool_versions_are_listed(self, site: Path) -> None:
        from importlib.metadata import version

        text = page_soup(site, "provenance/index.html").get_text(" ")
        for package in ("mkdocs", "mkdocs-material", "pymdown-extensions"):
            assert version(package) in text


class TestOriginData:
    """Every item of source/provenance.yml is on the page, with its status and addresses."""

    def test_each_item_with_status_and_links(self, site: Path) -> None:
        data = yaml.safe_load((REPO / "source" / "provenance.yml").read_text(encoding="utf-8"))
        article = page_soup(site, "provenance/index.html").select_one("article")
        items = {li.get_text(): li for li in article.select("li")}
        total = 0
        for key, entries in data.items():
            if key == "source_sha256":
                continue
            for entry in entries:
                total += 1
                matches = [li for text, li in items.items() if entry["claim"] in text]
                assert len(matches) == 1, entry["claim"]
                (item,) = matches
                assert item.select_one(".provenance-status")["data-status"] == entry["status"]
                hrefs = [a["href"] for a in item.find_all("a")]
                assert [s["url"] for s in entry["sources"]] == [h.removeprefix("../") for h in hrefs]
        assert total >= 12

    def test_nothing_stronger_than_the_notes(self, site: Path) -> None:
        text = page_soup(site, "provenance/index.html").get_text(" ")
        # Publisher, date and headline appear only as outside, unconfirmed evidence.
        assert text.count("دليل من خارج الملف، غير مؤكد") >= 5
        assert "على الأرجح" in text

    def test_external_links_carry_noopener_noreferrer(self, site: Path) -> None:
        for link in page_soup(site, "provenance/index.html").select("article a[href^=http]"):
            assert set(link["rel"]) >= {"noopener", "noreferrer"}, link["href"]


@pytest.fixture(scope="module")
def listed(site: Path) -> list[tuple[str, str]]:
    """(where it shows, text) of every addition listed on the provenance page."""
    spans = page_soup(site, "provenance/index.html").select(".provenance-addition")
    return [(span.find_parent("tr").find_all("td")[1].get_text(strip=True), span.get_text()) for span in spans]


class TestAdditionsAreListed:
    """What the project added is listed; the article shows nothing else beside the source."""

    def test_every_listed_addition_appears_where_it_says(self, site: Path, listed: list[tuple[str, str]]) -> None:
        pages = {"صفحة التقرير": ["index.html"], "كل الصفحات": ["index.html", "provenance/index.html", "404.html"]}
        pages["صفحة الخطأ 404"] = ["404.html"]
        pages["صفحة مصدر النص"] = ["provenance/index.html"]
        pages["البحث"] = ["search/paragraphs.json"]
        for where, text in listed:
            for page in pages[where]:
                assert text in html.unescape((site / page).read_text(encoding="utf-8")), (where, text, page)

    def test_article_text_is_source_or_listed(self, site: Path, listed: list[tuple[str, str]]) -> None:
        texts = {text for _, text in listed}
        article = page_soup(site, "index.html").select_one("article")
        for block in article.select("[data-source-line]"):
            block.decompose()
        remaining = article.get_text("\n", strip=True).split("\n")
        assert [text for text in remaining if text not in texts] == []
        assert remaining, "the article should show the listed title and notice"

    def test_description_is_marked_as_an_excerpt(self, site: Path, listed: list[tuple[str, str]]) -> None:
        description = page_soup(site, "index.html").find("meta", attrs={"name": "description"})["content"]
        assert description in {text for _, text in listed}
        first_line = SOURCE.read_text(encoding="utf-8").split("\n")[0]
        assert description.endswith("…") and first_line.startswith(description.removesuffix("…"))


class TestStructuredData:
    """The article's JSON-LD: a NewsArticle in Arabic, based on the file, naming the provenance page."""

    def test_news_article(self, site: Path) -> None:
        script = page_soup(site, "index.html").find("script", type="application/ld+json")
        data = json.loads(script.string)
        assert data["@type"] == "NewsArticle" and data["inLanguage"] == "ar"
        assert data["isBasedOn"]["name"] == "report.ar.txt"
        assert data["isBasedOn"]["identifier"]["value"] == hashlib.sha256(SOURCE.read_bytes()).hexdigest()
        assert data["subjectOf"]["url"].endswith("/provenance/")
        assert "datePublished" not in data and "author" not in data


class TestGenerationFollowsTheFiles:
    """Change the text (in a copy of source/): generation stops until the editorial files are reviewed, then follows.

    The generate stage without MkDocs; each bad data file's message is tested in test_data_files.py.
    """

    def test_changed_source_changes_the_figures(self, tmp_path: Path) -> None:
        shutil.copytree(REPO / "source", tmp_path / "source")
        changed = "سطر أول.\nعنوان جديد\nفقرة ثانية.\nقسم آخر\nفقرة ثالثة."
        (tmp_path / "source" / "report.ar.txt").write_text(changed, encoding="utf-8")
        with pytest.raises(DataError, match=r"^source/report\.yml: source_sha256: this file describes"):
            read_inputs(tmp_path)
        old, new = hashlib.sha256(SOURCE.read_bytes()).hexdigest(), hashlib.sha256(changed.encode()).hexdigest()
        for name in ("report.yml", "provenance.yml"):
            path = tmp_path / "source" / name
            path.write_text(path.read_text(encoding="utf-8").replace(old, new), encoding="utf-8")
        # Other names name names of the old text: reviewed for the new one, they must go too.
        with pytest.raises(DataError, match=r"^source/report\.yml: other_names\.كازاخستان: the text does not hold"):
            read_inputs(tmp_path)
        additions = tmp_path / "source" / "report.yml"
        text = additions.read_text(encoding="utf-8")
        additions.write_text(text[: text.index("\nother_names:")] + "\n", encoding="utf-8")
        site = generate_site(read_inputs(tmp_path), site_url="https://example.org/", palette_toggles=[], versions={})
        page = site.pages["provenance.md"]
        assert f"| الحجم | {len(changed.encode())} بايت |" in page
        assert "| عناوين الأقسام | «عنوان جديد» (السطر 2)، «قسم آخر» (السطر 4) |" in page
        assert f'<bdi dir="ltr" lang="en">{new}</bdi>' in page
        assert site.files["report.ar.txt"] == changed.encode()

    def test_a_blank_other_name_is_refused(self, tmp_path: Path) -> None:
        shutil.copytree(REPO / "source", tmp_path / "source")
        additions = tmp_path / "source" / "report.yml"
        text = additions.read_text(encoding="utf-8")
        additions.write_text(text.replace("[Russia]", '[Russia, " "]'), encoding="utf-8")
        with pytest.raises(DataError, match=r"^source/report\.yml: other_names\.روسيا\[1\]: must not be empty"):
            read_inputs(tmp_path)


LATIN_OR_CYRILLIC = re.compile(r"(?P<en>[A-Za-z\u00C0-\u024F])|(?P<ru>[\u0400-\u04FF])")


def language_isolate(node: NavigableString) -> tuple[str | None, bool]:
    """The language the nearest ``lang`` gives ``node``, and whether an ancestor isolates it left to right."""
    lang, isolated = None, False
    for parent in node.parents:
        if parent.name is None:
            break
        isolated = isolated or parent.name == "bdi" or parent.get("dir") == "ltr"
        if lang is None and parent.get("lang"):
            lang = parent["lang"]
    return lang, isolated


class TestLatinAndCyrillicInArabicLines:
    """What the project writes: each Latin or Cyrillic run isolated, with its language; the report as received."""

    def test_every_run_on_the_provenance_page(self, site: Path) -> None:
        article = page_soup(site, "provenance/index.html").select_one("article")
        # The report's own text, quoted as received: its headings and the verbatim copy.
        for verbatim in article.select("pre"):
            verbatim.decompose()
        checked, wrong = 0, []
        for node in article.find_all(string=LATIN_OR_CYRILLIC):
            if node.find_parent(["script", "style"]):
                continue
            lang, isolated = language_isolate(node)
            for letter in LATIN_OR_CYRILLIC.finditer(node):
                checked += 1
                if not isolated or lang != ("en" if letter["en"] else "ru"):
                    wrong.append((str(node), lang, isolated))
        assert checked > 100 and wrong == []

    def test_the_report_text_is_untouched(self, site: Path) -> None:
        details = page_soup(site, "provenance/index.html").select_one("details.provenance-source pre")
        assert details.decode_contents() == html.escape(SOURCE.read_text(encoding="utf-8"), quote=False)

    def test_the_hash_label_does_not_wrap(self, site: Path) -> None:
        label = page_soup(site, "provenance/index.html").find("bdi", string="SHA-256")
        assert "provenance-nowrap" in label["class"] and label["lang"] == "en"
        css = (REPO / "docs" / "assets" / "stylesheets" / "report.css").read_text(encoding="utf-8")
        assert re.search(r"\.provenance-nowrap \{\s*white-space: nowrap;", css)

    def test_the_printed_address(self, site: Path) -> None:
        address = page_soup(site, "index.html").select_one(".print-url")
        assert (address["dir"], address["lang"]) == ("ltr", "en")
