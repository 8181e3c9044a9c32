"""The search index's blocks, from small pages (the real site: test_site.py, test_search.py)."""

from __future__ import annotations

import json

import pytest

from finish.material import MaterialChanged
from finish.search_box import hand_over_search_box
from search_index import Block, PageError, blocks, index_json, site_index


def page(article: str) -> str:
    return f"<html><body><nav><p>قائمة</p></nav><article>{article}</article><footer><p>ذيل</p></footer></body></html>"


class TestBlocks:
    def test_each_block_keeps_its_own_address_or_its_headings(self) -> None:
        html = page('<h1 id="t">عنوان</h1><p>مقدمة</p><p id="p-1">فقرة أولى</p><h2 id="s">قسم</h2><p>بلا رقم</p>')
        assert blocks(html, "", "الصفحة") == [
            Block("#t", "عنوان", "عنوان"),
            Block("#t", "عنوان", "مقدمة"),
            Block("#p-1", "عنوان", "فقرة أولى"),
            Block("#s", "قسم", "قسم"),
            Block("#s", "قسم", "بلا رقم"),
        ]

    def test_text_is_verbatim_and_references_are_read_once(self) -> None:
        html = page(
            '<p id="p-1">عُقد &#40;Tsargrad&#41; &lt;b&gt; فبراير&#47;شباط<a class="permalink" href="#p-1"></a></p>'
        )
        assert blocks(html, "", "")[0].text == "عُقد (Tsargrad) <b> فبراير/شباط"

    def test_line_breaks_and_cells_separate_words(self) -> None:
        html = page("<ul><li>أول.<br><span>في الملف</span></li></ul><table><tr><td>1</td><td>فقرة</td></tr></table>")
        assert [block.text for block in blocks(html, "", "")] == ["أول. في الملف", "1 فقرة"]

    def test_sections_marked_for_exclusion_are_left_out(self) -> None:
        html = page(
            '<h2 data-search-exclude id="a">أ</h2><p>مخفي</p><h3 id="b">ب</h3><p>مخفي أيضا</p>'
            '<h2 id="c">ج</h2><p>ظاهر</p>'
        )
        assert [block.text for block in blocks(html, "x/", "")] == ["ج", "ظاهر"]

    def test_print_only_text_scripts_and_buttons_are_not_reading_text(self) -> None:
        html = page('<p>نص</p><p class="print-url">https://a/</p><script>var x</script><button>زر</button>')
        assert [block.text for block in blocks(html, "", "")] == ["نص"]

    def test_a_page_without_article_is_refused(self) -> None:
        with pytest.raises(PageError, match="provenance/: no <article>"):
            blocks("<html><body><p>x</p></body></html>", "provenance/", "")

    def test_index_is_compact_utf8_json_in_order(self) -> None:
        data = index_json([Block("#p-1", "ق", "أ"), Block("x/#y", "ق", "ب")])
        assert json.loads(data) == [
            {"url": "#p-1", "section": "ق", "text": "أ"},
            {"url": "x/#y", "section": "ق", "text": "ب"},
        ]
        assert "أ".encode() in data


class TestSiteIndex:
    """The whole site's index: its pages in path order, each block's address from its page's path, no 404 page."""

    def test_pages_addresses_and_order(self) -> None:
        pages = {
            "provenance/index.html": page('<h1 id="m">مصدر</h1><p id="p-1">ثانية</p>'),
            "404.html": page("<h1>غير موجودة</h1><p>لا</p>"),
            "index.html": page('<h1 id="t">عنوان</h1><p id="p-1">أولى</p>'),
        }
        assert json.loads(site_index(pages)) == [
            {"url": "#t", "section": "عنوان", "text": "عنوان"},
            {"url": "#p-1", "section": "عنوان", "text": "أولى"},
            {"url": "provenance/#m", "section": "مصدر", "text": "مصدر"},
            {"url": "provenance/#p-1", "section": "مصدر", "text": "ثانية"},
        ]

    def test_a_page_without_article_is_named(self) -> None:
        with pytest.raises(PageError, match="provenance/: no <article>"):
            site_index({"provenance/index.html": "<p>x</p>"})


class TestSearchBoxHandOver:
    def test_a_changed_search_box_fails_the_build(self) -> None:
        html = '<div class="md-search" data-md-component="search" role="dialog"></div>'
        with pytest.raises(MaterialChanged, match="search box"):
            hand_over_search_box(html)

    def test_the_dialog_is_named_with_its_fields_label(self) -> None:
        html = (
            '<div class="md-search" data-md-component="search" role="dialog">'
            '<form class="md-search__form" name="search">'
            '<input type="text" class="md-search__input" aria-label="ابحث"></form></div>'
            '<script id="__config" type="application/json">{"search": "w.js", "translations": {}}</script>'
        )
        named = '<div class="md-search" data-report-search role="dialog" aria-label="ابحث">'
        assert named in hand_over_search_box(html)

    def test_an_unlabelled_field_fails_the_build(self) -> None:
        html = (
            '<div class="md-search" data-md-component="search" role="dialog">'
            '<form class="md-search__form" name="search"><input type="text" class="md-search__input"></form></div>'
        )
        with pytest.raises(MaterialChanged, match="no labelled search field"):
            hand_over_search_box(html)

    def test_a_page_without_search_is_left_alone(self) -> None:
        assert hand_over_search_box("<p>x</p>") == "<p>x</p>"
