"""The built site, read as files: the text, the direction, search, fonts, no third parties."""

from __future__ import annotations

import hashlib
import io
import json
import re
from pathlib import Path

import pytest
from conftest import build_site, copy_project, page_fonts, page_soup
from facts import REPO, SOURCE
from fontTools.ttLib import TTFont
from mkdocs.config import load_config

from finish.critical_css import SiteCss, Vocabulary, parse_css
from finish.fixes import theme_colors
from finish.html import FinishError

# Every page's fonts together (25.3 KB; the report page's share is budgeted in test_budgets.py).
FONT_BUDGET_BYTES = 28 * 1024


def header_colours(css: str) -> dict[str, str]:
    """The header colours the finishing step reads from ``css``."""
    return SiteCss(parse_css(css), {}, Vocabulary()).header_colours()


def html_pages(site: Path) -> list[str]:
    """Every built page, as its path under ``site``."""
    return sorted(page.relative_to(site).as_posix() for page in site.rglob("*.html"))


class TestArticleIsTheSource:
    """Each source line, in order, is the exact text of one block of the built page."""

    def test_every_line_in_order_as_one_block(self, site: Path) -> None:
        lines = SOURCE.read_bytes().decode("utf-8").split("\n")
        expected = [(number, line) for number, line in enumerate(lines, start=1) if line.strip()]
        assert len(expected) == 16
        blocks = page_soup(site, "index.html").select("article [data-source-line]")
        assert [(int(block["data-source-line"]), block.get_text()) for block in blocks] == expected

    def test_headings_and_paragraphs(self, site: Path) -> None:
        article = page_soup(site, "index.html").select_one("article")
        assert [h.get_text() for h in article.select("h2[data-source-line]")] == [
            "تقدير كازاخي للدعم الأميركي",
            "كازاخستان تدعم أوكرانيا",
            "قلق كازاخستان",
            "طرق غير مجدية",
        ]
        assert [p["id"] for p in article.select("p[data-source-line]")] == [f"p-{n}" for n in range(1, 13)]

    def test_no_markup_element_inside_the_text(self, site: Path) -> None:
        for block in page_soup(site, "index.html").select("article [data-source-line]"):
            # The converter's own: spans keeping a word-initial dash with its word (text only, no element inside).
            dash_words = block.select("span.report-dash-word")
            assert all(not span.find(True) and re.fullmatch(r"-\S+", span.get_text()) for span in dash_words)
            children = [child.name for child in block.find_all(True) if child not in dash_words]
            assert children == ["a"], f"line {block['data-source-line']} holds {children}"
            assert block.a["class"] == ["permalink"] and block.a.get_text() == ""


class TestDocumentDirection:
    """Every page: <html lang="ar" dir="rtl">."""

    def test_lang_and_dir_on_the_root_element(self, site: Path) -> None:
        pages = html_pages(site)
        assert {"index.html", "404.html"} <= {Path(page).name for page in pages}
        for page in pages:
            root = page_soup(site, page).html
            assert (root.get("lang"), root.get("dir")) == ("ar", "rtl"), page


class TestNoThirdPartyRequests:
    """Nothing that loads at page load points to another host."""

    def test_resources_are_relative(self, site: Path) -> None:
        for page in html_pages(site):
            soup = page_soup(site, page)
            loaded = [tag.get("src") for tag in soup.find_all(["script", "img", "iframe"]) if tag.get("src")]
            loaded += [tag["href"] for tag in soup.find_all("link") if set(tag.get("rel", [])) - {"canonical"}]
            remote = [url for url in loaded if re.match(r"^(https?:)?//", url)]
            assert remote == [], f"{page}: {remote}"

    def test_no_google_fonts_anywhere(self, site: Path) -> None:
        for path in site.rglob("*"):
            if path.suffix in {".html", ".css", ".js"}:
                text = path.read_text(encoding="utf-8")
                assert "fonts.googleapis" not in text and "fonts.gstatic" not in text, path

    def test_stylesheets_load_nothing_remote(self, site: Path) -> None:
        for sheet in site.rglob("*.css"):
            text = sheet.read_text(encoding="utf-8")
            assert not re.search(r"@import|url\(\s*['\"]?(https?:)?//", text), sheet


class TestArabicSearch:
    """The search index holds every block verbatim with its address; Material's engine is not shipped."""

    def test_every_paragraph_is_indexed_verbatim_with_its_address(self, site: Path) -> None:
        records = json.loads((site / "search" / "paragraphs.json").read_text(encoding="utf-8"))["blocks"]
        by_url = {record["url"]: record["text"] for record in records}
        lines = [line for line in SOURCE.read_text(encoding="utf-8").splitlines() if line.strip()]
        paragraphs = [by_url[f"#p-{n}"] for n in range(1, 13)]
        assert set(paragraphs) <= set(lines) and len(set(paragraphs)) == 12
        assert "عُقد" in by_url["#p-4"] and "Tsargrad" in by_url["#p-1"]

    def test_sections_left_out_of_search_are_not_indexed(self, site: Path) -> None:
        records = json.loads((site / "search" / "paragraphs.json").read_text(encoding="utf-8"))["blocks"]
        provenance = page_soup(site, "provenance/index.html")
        excluded = [h["id"] for h in provenance.find_all(re.compile(r"^h\d$"), attrs={"data-search-exclude": True})]
        assert excluded
        assert not [r for r in records if r["url"].split("#")[-1] in excluded]

    def test_materials_search_engine_is_not_shipped(self, site: Path) -> None:
        assert not (site / "search" / "search_index.json").exists()
        assert not (site / "assets" / "javascripts" / "lunr").exists()
        assert not list((site / "assets" / "javascripts").glob("workers/search.*.js"))


@pytest.fixture(scope="module")
def faces(site: Path) -> list[tuple[TTFont, set[int]]]:
    """The subset fonts the report page's @font-face rules name, inside them or as files, with their character maps."""
    fonts = [TTFont(io.BytesIO(data)) for data in page_fonts(site, "index.html").values()]
    assert fonts, "no @font-face in the report page's <style>"
    return [(font, set(font.getBestCmap())) for font in fonts]


class TestWebfont:
    """A self-hosted subset of Noto Naskh Arabic covers every character of the text, within budget."""

    def test_every_character_of_the_source_is_in_the_fonts(self, faces: list[tuple[TTFont, set[int]]]) -> None:
        covered = set().union(*(cmap for _, cmap in faces))
        text = SOURCE.read_text(encoding="utf-8").replace("\n", "")
        missing = sorted({char for char in text if ord(char) not in covered})
        assert missing == []

    def test_shaping_features_are_kept(self, faces: list[tuple[TTFont, set[int]]]) -> None:
        arabic = faces[0][0]
        features = {record.FeatureTag for record in arabic["GSUB"].table.FeatureList.FeatureRecord}
        assert {"init", "medi", "fina", "rlig"} <= features

    def test_every_font_is_woff2(self, site: Path) -> None:
        # Browsers also accept plain TrueType under a .woff2 name, so nothing else shows a file published uncompressed.
        files = {path.name: path.read_bytes() for path in (site / "assets" / "fonts").glob("*.woff2")}
        inline = {url[:60]: data for page in html_pages(site) for url, data in page_fonts(site, page).items()}
        assert files and inline
        for name, data in (files | inline).items():
            assert data[:4] == b"wOF2", name
            assert TTFont(io.BytesIO(data)).flavor == "woff2", name

    def test_fonts_within_budget(self, site: Path) -> None:
        """Every font of every page, each counted once, inside a page or as a file."""
        fonts = {data for page in html_pages(site) for data in page_fonts(site, page).values()}
        assert 0 < sum(map(len, fonts)) <= FONT_BUDGET_BYTES

    def test_licence_is_shipped_beside_the_fonts(self, site: Path) -> None:
        fonts = site / "assets" / "fonts"
        licences = {path.name: path.read_text(encoding="utf-8") for path in fonts.glob("*-OFL.txt")}
        assert set(licences) == {"noto-naskh-arabic-OFL.txt", "noto-serif-OFL.txt"}
        assert all("SIL Open Font License" in text for text in licences.values())

    def test_each_page_carries_fonts_inside_and_links_files_that_exist(self, site: Path) -> None:
        for page in html_pages(site):
            fonts = page_fonts(site, page)  # reading a linked file that is not there fails
            assert [url for url in fonts if url.startswith("data:font/woff2;base64,")], page


class TestScriptsWaitForTheText:
    """No script holds up the parser: Material's is deferred, ours async."""

    def test_external_scripts_are_deferred_or_async(self, site: Path) -> None:
        for page in html_pages(site):
            scripts = {
                script["src"].rsplit("/", 1)[-1]: script
                for script in page_soup(site, page).find_all("script", src=True)
            }
            bundle = [name for name in scripts if name.startswith("bundle.")]
            assert len(bundle) == 1 and scripts[bundle[0]].has_attr("defer"), page
            assert scripts["report.js"].has_attr("async") and not scripts["report.js"].has_attr("defer"), page
            assert len(scripts) == 2, (page, list(scripts))


@pytest.fixture(scope="module")
def palettes() -> list[dict]:
    return load_config(str(REPO / "mkdocs.yml")).theme["palette"]


class TestBrowserBarColour:
    """The theme-color <meta>s take the header colours from the stylesheet; a palette without one fails."""

    STYLESHEET = REPO / "docs" / "assets" / "stylesheets" / "report.css"

    def test_every_page_carries_the_stylesheets_colours(self, site: Path, palettes: list[dict]) -> None:
        css = self.STYLESHEET.read_text(encoding="utf-8")
        light = re.search(r'\[data-md-color-scheme="default"\] \{\s*--md-primary-fg-color: (#\w+);', css)[1]
        dark = re.search(r'\[data-md-color-scheme="slate"\] \{\s*--md-primary-fg-color: (#\w+);', css)[1]
        for page in html_pages(site):
            metas = page_soup(site, page).find_all("meta", attrs={"name": "theme-color"})
            assert {meta["media"]: meta["content"] for meta in metas} == {
                "(prefers-color-scheme: light)": light,
                "(prefers-color-scheme: dark)": dark,
            }, page

    def test_a_colour_changed_in_the_stylesheet_is_the_bar_colour(self) -> None:
        css = self.STYLESHEET.read_text(encoding="utf-8")
        dark = re.search(r'\[data-md-color-scheme="slate"\] \{\s*--md-primary-fg-color: (#\w+);', css)
        changed = css.replace(dark[0], dark[0].replace(dark[1], "#123456"))
        assert header_colours(changed)["slate"] == "#123456"

    def test_a_palette_without_a_header_colour_fails(self, palettes: list[dict]) -> None:
        css = self.STYLESHEET.read_text(encoding="utf-8").replace('[data-md-color-scheme="slate"]', ".unused")
        with pytest.raises(FinishError, match=r'no --md-primary-fg-color for \[data-md-color-scheme="slate"\]'):
            theme_colors(palettes, header_colours(css))


class TestGeneratedNotCommitted:
    """The pages come from source/ at build time; docs/ holds no copy that could drift."""

    def test_docs_holds_no_page(self) -> None:
        assert sorted(path.name for path in (REPO / "docs").rglob("*.md")) == []

    def test_download_is_the_source_byte_for_byte(self, site: Path) -> None:
        assert (site / "report.ar.txt").read_bytes() == SOURCE.read_bytes()


class TestNoEnglishInterface:
    """Material's English defaults are replaced: 404 page, footer."""

    def test_404_is_arabic(self, site: Path) -> None:
        text = page_soup(site, "404.html").select_one("article").get_text(" ", strip=True)
        assert "Not found" not in text and "الصفحة غير موجودة" in text

    def test_no_made_with_line(self, site: Path) -> None:
        for page in html_pages(site):
            assert "Made with" not in page_soup(site, page).get_text(), page


class TestIdsAreUnique:
    """A heading named like an id of the page's template gets an anchor of its own, never the template's id."""

    def test_headings_named_after_the_template_ids(self, site: Path, tmp_path: Path) -> None:
        page = page_soup(site, "index.html")
        template_ids = [tag["id"] for tag in page.find_all(id=True) if not page.find("article").find(id=tag["id"])]
        assert "__report_search_labels" in template_ids and "__search" in template_ids
        lines = SOURCE.read_text(encoding="utf-8").split("\n")
        headings = [re.sub(r"[-_]+", " ", name).strip() for name in template_ids]
        project = copy_project(tmp_path / "project")
        text = project / "source" / "report.ar.txt"
        text.write_text("\n".join([lines[0], *headings, *lines[1:]]), encoding="utf-8")
        sha256 = hashlib.sha256(text.read_bytes()).hexdigest()
        for name in ("report.yml", "provenance.yml"):
            path = project / "source" / name
            path.write_text(
                re.sub(r"source_sha256: *[0-9a-f]{64}", f"source_sha256: {sha256}", path.read_text(encoding="utf-8")),
                encoding="utf-8",
            )
        result = build_site(project, tmp_path / "site")
        assert result.returncode == 0, result.stderr
        built = page_soup(tmp_path / "site", "index.html")
        ids = [tag["id"] for tag in built.find_all(id=True)]
        assert len(built.select("article h2")) >= len(headings)
        assert sorted(id for id in ids if ids.count(id) > 1) == []


class TestTablesHoldTheFirstPaint:
    """A page with tables is first drawn once its last table is parsed: a render-blocking link names that table."""

    def test_the_provenance_page_waits_for_its_last_table(self, site: Path) -> None:
        soup = page_soup(site, "provenance/index.html")
        holds = soup.head.find_all("link", rel="expect")
        assert [(hold["href"], hold["blocking"]) for hold in holds] == [("#__report_last_table", "render")]
        tables = soup.article.find_all("table")
        assert len(tables) > 1 and tables[-1].get("id") == "__report_last_table"
        assert [table.get("id") for table in tables[:-1]] == [None] * (len(tables) - 1)

    @pytest.mark.parametrize("path", ["index.html", "404.html"])
    def test_a_page_without_tables_is_drawn_at_once(self, site: Path, path: str) -> None:
        soup = page_soup(site, path)
        assert soup.find("table") is None and soup.find("link", rel="expect") is None
