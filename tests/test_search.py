"""Search, in the browser: a labelled query set typed into the real search box, and what the results show."""

from __future__ import annotations

import gzip
import json
import re
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from urllib.parse import unquote

import pytest
import yaml
from facts import LABELS, REPO, SOURCE
from playwright.sync_api import Browser, Page

from report2md.structure import Kind, parse_blocks
from search_index import Block, index_json

QUERIES = REPO / "tests" / "search_queries.yml"
UDHR = REPO / "tests" / "search" / "udhr.ar.txt"
UDHR_QUERIES = REPO / "tests" / "search" / "udhr_queries.yml"
OTHER_NAMES = REPO / "tests" / "search" / "report_other_names.yml"
PHONE = {"width": 390, "height": 844}
RESULT = ".md-search-result__item"
LOADING = LABELS["search"]["loading"]  # source/report.yml
NO_RESULTS = LABELS["search"]["none"]
# A word as a reader sees one: letters with their marks (harakat), digits; anything else separates.
WORD = re.compile(r"(?:[^\W_]|[\u0610-\u061a\u064b-\u065f\u0670\u06d6-\u06ed])+")
# Issue 28's budgets, on each text's queries.
MIN_RECALL = 0.95
MIN_PRECISION = 0.97
MAX_POSITIVE_QUERIES_WITHOUT_RESULT = 1
# The first search's bytes today (README: 8.1 KB without fonts, search.js and the index, gzip), and the budget.
FIRST_SEARCH_KB_BEFORE = 8.1
FIRST_SEARCH_GROWTH = 1.25


def load_queries() -> list[dict]:
    return yaml.safe_load(QUERIES.read_text(encoding="utf-8"))["queries"]


def report_other_names() -> dict[str, list[str]]:
    return yaml.safe_load(OTHER_NAMES.read_text(encoding="utf-8"))["other_names"]


class SearchBox:
    """The report page on a phone with search open, typed into as a reader types."""

    def __init__(self, page: Page) -> None:
        self.page = page
        self.errors: list[str] = []
        page.on("console", lambda message: self.errors.append(message.text) if message.type == "error" else None)
        page.on("pageerror", lambda error: self.errors.append(str(error)))

    def open(self, url: str) -> None:
        self.page.goto(url)
        self.page.locator("label[for='__search']").first.click()
        self.page.locator("input.md-search__input").wait_for(state="visible")

    def type(self, query: str) -> list[str]:
        """Enter ``query``; the results' addresses in order, relative to the site (``#p-3``, ``provenance/#...``)."""
        field = self.page.locator("input.md-search__input")
        field.fill(query)
        self.page.wait_for_function(
            "loading => { const m = document.querySelector('.md-search-result__meta');"
            " return window.reportSearch && m.textContent.trim() !== loading; }",
            arg=LOADING,
        )
        base = self.page.evaluate("new URL('../../', document.querySelector('script[src$=\"search.js\"]').src).href")
        hrefs = self.page.eval_on_selector_all(f"{RESULT} a", "links => links.map(a => a.href)")
        return [unquote(href.removeprefix(base)) for href in hrefs]

    @property
    def meta(self) -> str:
        return self.page.inner_text(".md-search-result__meta").strip()


def box_with_index(browser: Browser, server: str, index: bytes) -> SearchBox:
    """A search box whose index is ``index`` (written by the test with search_index.index_json), not the site's."""
    context = browser.new_context(viewport=PHONE)
    page = context.new_page()
    page.route("**/search/paragraphs.json", lambda route: route.fulfill(body=index, content_type="application/json"))
    box = SearchBox(page)
    box.open(server)
    return box


def site_blocks(site: Path) -> list[Block]:
    """The blocks the build indexed, as it indexed them."""
    index = json.loads((site / "search" / "paragraphs.json").read_text(encoding="utf-8"))
    return [Block(**record) for record in index["blocks"]]


def udhr_blocks() -> tuple[list[Block], dict[int, str]]:
    """The second text's blocks, split as the converter splits a report, and each line's address."""
    lines = UDHR.read_text(encoding="utf-8").splitlines()
    blocks, section, addresses = [], "", {}
    for block in parse_blocks(lines):
        if block.kind is Kind.HEADING:
            section = block.text
        blocks.append(Block(f"#{block.anchor}", section or block.text, block.text))
        addresses[block.line] = block.anchor
    return blocks, addresses


@dataclass(frozen=True)
class Text:
    """A text searched: its labelled queries, each with the addresses wanted, and the addresses scored."""

    name: str
    queries: list[dict]
    scored: set[str]


def report_blocks(site: Path) -> set[str]:
    """The ids scored: the report's paragraphs and section headings (not the added title)."""
    html = (site / "index.html").read_text(encoding="utf-8")
    return set(re.findall(r'<(?:p|h2) data-source-line="\d+" id="([^"]+)"', html))


def report_text(site: Path) -> Text:
    return Text("report", load_queries(), report_blocks(site))


def udhr_text() -> Text:
    _, addresses = udhr_blocks()
    queries = yaml.safe_load(UDHR_QUERIES.read_text(encoding="utf-8"))["queries"]
    labelled = [{**query, "expected": [addresses[line] for line in query["expected"]]} for query in queries]
    return Text("udhr", labelled, set(addresses.values()))


@pytest.fixture(scope="module")
def search_box(browser: Browser, server: str, site: Path) -> Iterator[SearchBox]:
    """The report's search box, its index written from the site's blocks with the report's other names."""
    box = box_with_index(browser, server, index_json(site_blocks(site), report_other_names()))
    yield box
    box.page.context.close()
    assert box.errors == [], "console errors"


@pytest.fixture(scope="module")
def udhr_box(browser: Browser, server: str) -> Iterator[SearchBox]:
    """A search box whose index is the second text's (udhr.ar.txt), written by search_index.index_json."""
    box = box_with_index(browser, server, index_json(udhr_blocks()[0]))
    yield box
    box.page.context.close()
    assert box.errors == [], "console errors"


def found_ids(box: SearchBox, query: str, text: Text) -> tuple[list[str], set[str]]:
    """Every result's address for ``query``, and the scored ids among them."""
    results = box.type(query)
    return results, {url[1:] for url in results if url.startswith("#")} & text.scored


def scores(box: SearchBox, text: Text) -> dict[str, float]:
    """Recall, precision and positive queries with no result over a text's queries, as the README reports them."""
    relevant = retrieved = hits = empty = 0
    for query in text.queries:
        results, found = found_ids(box, query["query"], text)
        wanted = set(query["expected"])
        relevant, retrieved, hits = relevant + len(wanted), retrieved + len(found), hits + len(found & wanted)
        empty += bool(wanted) and not results
    return {"recall": hits / relevant, "precision": hits / retrieved, "empty": empty}


def labelled(text: str, queries: list[dict]) -> list:
    """One test per query; a known miss (``known:`` in the set, saying why) is expected to fail, and must."""
    return [
        pytest.param(
            query,
            id=f"{text}-{query['query']}",
            marks=[pytest.mark.xfail(reason=query["known"], strict=True)] if query.get("known") else [],
        )
        for query in queries
    ]


REPORT_QUERIES = labelled("report", load_queries())
UDHR_LABELLED = labelled("udhr", udhr_text().queries)


class TestQuerySet:
    """The labelled queries of both texts, each typed into the real search box: each finds what it wants."""

    def test_the_report_set_is_labelled_against_the_report(self, site: Path) -> None:
        queries = load_queries()
        assert len(queries) >= 80
        categories = {query["category"] for query in queries}
        assert {"no hamza", "no diacritics", "ه/ة", "ي/ى", "proclitics", "article", "singular/plural", "digits"} <= (
            categories
        )
        assert {"other names", "pronouns", "typing", "broken plural", "different words"} <= categories
        ids = report_blocks(site)
        assert len(ids) == 16  # 12 paragraphs, 4 headings: the source's 16 lines
        for query in queries:
            assert set(query["expected"]) <= ids, query

    def test_the_second_set_is_labelled_against_its_text(self) -> None:
        text = udhr_text()
        assert len(text.queries) >= 45
        for query in text.queries:
            assert set(query["expected"]) <= text.scored, query

    @pytest.mark.parametrize("query", REPORT_QUERIES)
    def test_report_query(self, search_box: SearchBox, site: Path, query: dict) -> None:
        results, found = found_ids(search_box, query["query"], report_text(site))
        assert found == set(query["expected"]), results

    @pytest.mark.parametrize("query", UDHR_LABELLED)
    def test_second_text_query(self, udhr_box: SearchBox, query: dict) -> None:
        results, found = found_ids(udhr_box, query["query"], udhr_text())
        assert found == set(query["expected"]), results


class TestBudgets:
    """Issue 28's budgets on each text: recall, precision, positive queries with no result."""

    def test_report(self, search_box: SearchBox, site: Path) -> None:
        figures = scores(search_box, report_text(site))
        print(f"\nreport: {figures}")
        assert figures["recall"] >= MIN_RECALL and figures["precision"] >= MIN_PRECISION, figures
        assert figures["empty"] <= MAX_POSITIVE_QUERIES_WITHOUT_RESULT, figures

    def test_second_text(self, udhr_box: SearchBox) -> None:
        figures = scores(udhr_box, udhr_text())
        print(f"\nudhr: {figures}")
        assert figures["recall"] >= MIN_RECALL and figures["precision"] >= MIN_PRECISION, figures
        assert figures["empty"] <= MAX_POSITIVE_QUERIES_WITHOUT_RESULT, figures

    def test_first_search_bytes(self, site: Path) -> None:
        """search.js and the index, compressed as served, within 1.25 times the first search's bytes before."""
        files = [site / "assets" / "javascripts" / "search.js", site / "search" / "paragraphs.json"]
        size = sum(len(gzip.compress(path.read_bytes(), 9)) for path in files) / 1024
        print(f"\nfirst search: {size:.1f} KB")
        assert size <= FIRST_SEARCH_KB_BEFORE * FIRST_SEARCH_GROWTH


class TestBothSidesAgree:
    """The index's words and the query's are keyed by the same normalisation."""

    def test_every_word_of_the_report_finds_its_paragraph(self, search_box: SearchBox, site: Path) -> None:
        search_box.type("روسيا")
        lines = [line for line in SOURCE.read_text(encoding="utf-8").splitlines() if line.strip()]
        html = (site / "index.html").read_text(encoding="utf-8")
        ids = dict(re.findall(r'data-source-line="(\d+)" id="([^"]+)"', html))
        words = [(word, "#" + ids[str(number)]) for number, line in enumerate(lines, 1) for word in WORD.findall(line)]
        assert len(words) > 500
        lost = search_box.page.evaluate(
            """words => words.filter(([word, anchor]) =>
                 !window.reportSearch.search(word).blocks.some(block => block.url === anchor))""",
            [[word, unquote(anchor)] for word, anchor in words],
        )
        assert lost == []

    @pytest.mark.parametrize(
        ("typed", "written"),
        [
            ("استانا", "أستانا"),
            ("الاميركي", "الأميركي"),
            ("اسيا", "لآسيا"),
            ("عقد", "عُقد"),
            ("كازاخستان", "كـازاخستان"),
            ("الوسطي", "الوسطى"),
            ("العقوبه", "العقوبة"),
            ("25", "٢٥"),
            ("2023", "۲۰۲۳"),
            ("كازاخستان", "لكازاخستان"),
        ],
    )
    def test_forms_share_a_key(self, search_box: SearchBox, typed: str, written: str) -> None:
        keys = search_box.page.evaluate("words => words.map(w => window.reportSearch.keys(w))", [typed, written])
        assert set(keys[0]) & set(keys[1]), keys

    @pytest.mark.parametrize(("one", "other"), [("روسيا", "موسكو"), ("حث", "البحث"), ("عقد", "عقوبات")])
    def test_different_words_do_not(self, search_box: SearchBox, one: str, other: str) -> None:
        keys = search_box.page.evaluate("words => words.map(w => window.reportSearch.keys(w))", [one, other])
        assert not set(keys[0]) & set(keys[1]), keys


class TestAttachedPronouns:
    """An attached pronoun is removed, and the ة written ت before it given back."""

    @pytest.mark.parametrize(("query", "wanted"), [("بلاد", "#p-12"), ("منشورات", "#p-8"), ("سيادة", "#p-4")])
    def test_the_word_finds_it_with_a_pronoun(self, search_box: SearchBox, query: str, wanted: str) -> None:
        assert wanted in search_box.type(query)

    def test_ta_marbuta_is_given_back_not_guessed(self, search_box: SearchBox) -> None:
        """سيادة finds وسيادتها, and not السياسة (one letter off)."""
        assert search_box.type("سيادة") == ["#p-4"]

    @pytest.mark.parametrize(("query", "wanted"), [("أسرة", "#p-22"), ("جنسية", "#p-28")])
    def test_second_text(self, udhr_box: SearchBox, query: str, wanted: str) -> None:
        """أسرة finds أسرته (line 37), جنسية finds جنسيته (line 46)."""
        assert wanted in udhr_box.type(query)


class TestNisbaKeptApart:
    """A nisba adjective is its own word where the text also writes the word it is made from."""

    def test_meetings_are_not_social(self, search_box: SearchBox) -> None:
        assert "#p-8" not in search_box.type("اجتماعات")  # الاجتماعيين, الاجتماعي

    def test_nationality_is_not_sex(self, udhr_box: SearchBox) -> None:
        results = udhr_box.type("جنسية")
        assert results and "#p-10" not in results  # line 15: الجنس

    def test_a_word_the_text_never_writes_finds_its_adjective(self, search_box: SearchBox) -> None:
        assert set(search_box.type("تجارة")) >= {"#p-2", "#p-3"}  # التجارية, التجاري


class TestBrokenPlurals:
    """A broken plural is found by its singular, through the singulars the index holds."""

    def test_bank_finds_the_banks(self, search_box: SearchBox) -> None:
        assert "#p-3" in search_box.type("بنك")

    def test_minister_finds_the_ministers(self, search_box: SearchBox) -> None:
        assert "#p-3" in search_box.type("وزير")  # وزراء

    def test_the_index_holds_them(self, site: Path) -> None:
        forms = json.loads(index_json(site_blocks(site)))["forms"]
        assert forms["البنوك"] == ["بنك"] and "وزير" in forms["الوزراء"]


class TestWordBeingTyped:
    """The last word, while typed, matches as the beginning of words, together with the words it is."""

    def test_a_beginning_finds_every_word_it_begins(self, search_box: SearchBox, site: Path) -> None:
        found = {url[1:] for url in search_box.type("كازاخ")} & report_blocks(site)
        assert len(found) == 15

    def test_a_finished_word_is_not_a_beginning(self, search_box: SearchBox) -> None:
        assert "#p-8" not in search_box.type("منشور ")  # منشوراتهم: the word is منشور, typed whole

    def test_no_flash_of_no_results(self, search_box: SearchBox) -> None:
        word = "العقوبات"
        shown = []
        for end in range(1, len(word) + 1):
            search_box.type(word[:end])
            shown.append(search_box.meta)
        assert NO_RESULTS not in shown, shown


class TestOneEditAway:
    """A word of five letters or more that matches nothing matches a word one edit away; never a shorter one."""

    def test_a_typo_finds_the_word(self, search_box: SearchBox) -> None:
        assert [url for url in search_box.type("بلنكن") if url.startswith("#")] == ["#p-3", "#p-4"]

    def test_a_short_word_does_not(self, search_box: SearchBox) -> None:
        assert search_box.type("رسيا ") == []  # four letters, one off روسيا

    def test_a_beginning_is_not_a_typo(self, search_box: SearchBox) -> None:
        assert search_box.type("الاستير") == ["#p-1", "#p-11"]  # not واستمر


class TestBestFirst:
    """Blocks come best first: the word as written, then its other forms, then beginnings; ties in page order."""

    def test_written_before_other_forms(self, search_box: SearchBox) -> None:
        results = search_box.type("بلادهم")
        assert results[0] == "#p-12" and "#p-4" in results  # بلادهم itself, then بلاده

    def test_ties_in_page_order(self, search_box: SearchBox) -> None:
        results = [url for url in search_box.type("موسكو") if url.startswith("#p-")]
        assert results == ["#p-1", "#p-3", "#p-6", "#p-7", "#p-12"]


class TestOtherNames:
    """An other name finds the name as the text writes it, in any case and accent, and marks it there."""

    @pytest.mark.parametrize("query", ["Kazakhstan", "kazakhstan", "KAZAKHSTAN", "Qazaqstan", "Kazakhstán"])
    def test_case_and_accents(self, search_box: SearchBox, query: str) -> None:
        assert "#p-2" in search_box.type(query)

    def test_the_arabic_name_is_marked(self, search_box: SearchBox) -> None:
        search_box.type("NATO")
        marked = search_box.page.eval_on_selector_all(f"{RESULT} p mark", "marks => marks.map(m => m.textContent)")
        assert " ".join(marked).count("لحلف شمال الأطلسي") == 1, marked


def arabic_count(n: int) -> str:
    """How Arabic counts results: the noun's number follows the count (1, 2, 3-10, 11+)."""
    if n == 1:
        return "نتيجة واحدة"
    if n == 2:
        return "نتيجتان"
    if n % 100 in range(3, 11):
        return f"{n} نتائج"
    return f"{n} نتيجة"


class TestResults:
    """Each result is one block: it opens that block, and shows its own text with whole words marked."""

    @pytest.mark.parametrize("query", ["عقد", "الامريكي", "العقوبة", "المتحده", "كازاخستان"])
    def test_count_is_the_number_of_blocks_in_arabic(self, search_box: SearchBox, query: str) -> None:
        results = search_box.type(query)
        assert search_box.meta == arabic_count(len(results))
        assert "أكثر من" not in search_box.page.inner_text(".md-search-result")

    def test_result_shows_the_paragraph_verbatim(self, search_box: SearchBox) -> None:
        assert search_box.type("عقد") == ["#p-4"]
        shown = search_box.page.inner_text(f"{RESULT} p")
        on_page = search_box.page.eval_on_selector("#p-4", "p => p.textContent")
        assert shown == on_page
        line = SOURCE.read_text(encoding="utf-8").splitlines()[4]
        assert shown == line and "عُقد" in shown and "أعقب" in shown

    @pytest.mark.parametrize(("query", "marked"), [("كازاخستان", "لكازاخستان"), ("الاستيراد", "الاستيراد")])
    def test_marks_are_whole_words(self, search_box: SearchBox, query: str, marked: str) -> None:
        search_box.type(query)
        pieces = search_box.page.eval_on_selector_all(
            f"{RESULT} p mark",
            """marks => marks.map(m => [m.previousSibling ? m.previousSibling.textContent.slice(-1) : '',
                                        m.textContent,
                                        m.nextSibling ? m.nextSibling.textContent.slice(0, 1) : ''])""",
        )
        assert pieces
        for before, text, after in pieces:
            assert WORD.fullmatch(text), text
            assert not WORD.match(before) and not WORD.match(after), (before, text, after)
        assert marked in [text for _, text, _ in pieces]

    def test_results_are_text_not_markup(self, search_box: SearchBox) -> None:
        search_box.type("روسيا")
        children = search_box.page.eval_on_selector_all(
            f"{RESULT} p, {RESULT} h1",
            "blocks => blocks.flatMap(b => [...b.childNodes].map(n => n.nodeName))",
        )
        assert set(children) <= {"#text", "MARK"}

    def test_the_result_opens_the_paragraph(self, search_box: SearchBox, server: str) -> None:
        assert search_box.type("تلوبيردي")[0] == "#p-7"
        search_box.page.locator(f"{RESULT} a").first.click()
        search_box.page.wait_for_function("() => location.hash === '#p-7'")
        paragraph = search_box.page.locator("#p-7")
        assert paragraph.evaluate("p => p.matches(':target')")
        top = paragraph.evaluate("p => p.getBoundingClientRect().top")
        assert 0 <= top < PHONE["height"]
        search_box.open(server)


class TestUntrustedIndex:
    """Text in the index is shown as text even when it looks like markup."""

    def test_markup_in_the_index_stays_text(self, browser: Browser, server: str) -> None:
        context = browser.new_context(viewport=PHONE)
        page = context.new_page()
        text = '<img src="x" onerror="window.ran = 1">روسيا &amp; <b>غرب</b>'
        record = {"url": "#p-1", "section": "<i>قسم</i>", "text": text}
        page.route(
            "**/search/paragraphs.json",
            lambda route: route.fulfill(body=json.dumps({"blocks": [record]}), content_type="application/json"),
        )
        box = SearchBox(page)
        box.open(server)
        assert box.type("روسيا") == ["#p-1"]
        assert page.inner_text(f"{RESULT} p") == text
        assert page.locator(f"{RESULT} img, {RESULT} b, {RESULT} i").count() == 0
        assert page.evaluate("window.ran") is None
        context.close()


class TestKeyboard:
    """Search opens from the keyboard as in Material, with the cursor in the field, and Escape closes it."""

    @pytest.mark.parametrize("key", ["/", "s", "f"])
    def test_a_key_opens_search_and_escape_closes_it(self, browser: Browser, server: str, key: str) -> None:
        context = browser.new_context(viewport=PHONE)
        page = context.new_page()
        page.goto(server)
        page.keyboard.press(key)
        page.wait_for_function("() => document.activeElement.matches('input.md-search__input')")
        assert page.evaluate("document.getElementById('__search').checked")
        page.keyboard.type("عقد")
        page.locator(RESULT).first.wait_for()
        assert page.input_value("input.md-search__input") == "عقد"
        page.keyboard.press("Escape")
        assert not page.evaluate("document.getElementById('__search').checked")
        context.close()


class TestOtherPagesAndScreens:
    """Search works from every page and on a wide screen, where the field is in the header."""

    def test_a_result_on_another_page_opens_that_paragraph(self, browser: Browser, server: str) -> None:
        context = browser.new_context(viewport=PHONE)
        box = SearchBox(context.new_page())
        box.open(server + "provenance/")
        assert box.type("تلوبيردي")[0] == "#p-7"
        box.page.locator(f"{RESULT} a").first.click()
        box.page.wait_for_url(server + "#p-7")
        assert box.page.locator("#p-7").evaluate("p => p.matches(':target')")
        context.close()
        assert box.errors == []

    def test_on_a_wide_screen_focusing_the_field_loads_search(self, browser: Browser, server: str) -> None:
        context = browser.new_context(viewport={"width": 1280, "height": 800})
        page = context.new_page()
        page.goto(server)
        field = page.locator("input.md-search__input")
        field.click()
        field.type("عقد")
        page.locator(RESULT).first.wait_for()
        assert page.eval_on_selector_all(f"{RESULT} a", "links => links.map(a => new URL(a.href).hash)") == ["#p-4"]
        context.close()

    def test_the_404_page_searches_too(self, browser: Browser, server: str) -> None:
        context = browser.new_context(viewport=PHONE)
        box = SearchBox(context.new_page())
        box.open(server + "no/such/page")
        assert box.type("عقد") == ["#p-4"]
        assert box.page.locator(f"{RESULT} a").first.get_attribute("href") == server + "#p-4"
        assert box.page.get_attribute(".md-search-result__meta", "role") == "status"
        context.close()
