"""The search index: generate's blocks match what the built pages show; the search box is handed to search.js."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from conftest import page_soup

from finish.fixes import hand_over_search_box
from finish.html import parse, serialize
from finish.material import MaterialChanged
from search_index import Block, index_json


class TestEveryBlockIsOnItsPage:
    """Each indexed block's text is a block of its page, word for word, and its address opens that page's element."""

    def test_each_block_is_the_text_of_an_element_of_its_page(self, site: Path) -> None:
        records = json.loads((site / "search" / "paragraphs.json").read_text(encoding="utf-8"))["blocks"]
        texts: dict[str, set[str]] = {}
        for path in ("", "provenance/"):
            soup = page_soup(site, f"{path}index.html").find("article")
            for permalink in soup.select("a.permalink, .print-url"):
                permalink.decompose()
            for line_break in soup.find_all("br"):
                line_break.replace_with(" ")
            texts[path] = {
                " ".join(element.get_text().split()) for element in soup.find_all(["h1", "h2", "h3", "p", "li"])
            }
        for record in records:
            path, _, anchor = record["url"].partition("#")
            assert record["text"] in texts[path], record
            assert page_soup(site, f"{path}index.html").find(id=anchor) is not None, record

    def test_the_report_paragraphs_open_their_own_anchor(self, site: Path) -> None:
        records = json.loads((site / "search" / "paragraphs.json").read_text(encoding="utf-8"))["blocks"]
        urls = [record["url"] for record in records if not record["url"].startswith("provenance/")]
        assert [url for url in urls if url.startswith("#p-")] == [f"#p-{n}" for n in range(1, 13)]


class TestIndexFile:
    def test_index_is_compact_utf8_json_in_order(self) -> None:
        data = index_json([Block("#p-1", "ق", "أ"), Block("x/#y", "ق", "ب")])
        records = json.loads(data)
        records = records if isinstance(records, list) else records.get("blocks", records)
        assert [(r["url"], r["section"], r["text"]) for r in records] == [("#p-1", "ق", "أ"), ("x/#y", "ق", "ب")]
        assert "أ".encode() in data


def handed_over(html: str) -> str:
    root = parse(html)
    hand_over_search_box(root)
    return serialize(root)


BOX = (
    '<div class="md-search" data-md-component="search" role="dialog">'
    '<form class="md-search__form" name="search">'
    '<input type="text" class="md-search__input" aria-label="ابحث"></form></div>'
    '<script id="__config" type="application/json">{"search": "w.js", "translations": {"search.x": "y"}}</script>'
)


class TestSearchBoxHandOver:
    def test_a_changed_search_box_fails_the_build(self) -> None:
        with pytest.raises(MaterialChanged, match="search box"):
            handed_over('<div class="md-search" data-md-component="search" role="dialog"></div>')

    def test_the_dialog_is_named_with_its_fields_label_and_leaves_materials_engine(self) -> None:
        root = parse(handed_over(BOX))
        dialog = root.find(".//div")
        assert dialog.get("data-report-search") == "" and dialog.get("aria-label") == "ابحث"
        assert "data-md-component" not in dialog.attrib and "name" not in root.find(".//form").attrib
        assert json.loads(root.find(".//script").text) == {"translations": {}}

    def test_an_unlabelled_field_fails_the_build(self) -> None:
        with pytest.raises(MaterialChanged, match="search box"):
            handed_over(BOX.replace(' aria-label="ابحث"', ""))

    def test_a_page_without_search_is_left_alone(self) -> None:
        assert handed_over("<p>x</p>") == serialize(parse("<p>x</p>"))
