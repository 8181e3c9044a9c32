"""The built site in a real browser: Debian's Chromium driven by Playwright.

Every test opens pages through the ``visit`` fixture, which fails the test
if the page asked any other origin for anything, logged a console error
(a Content-Security-Policy violation is one) or threw.
"""

from __future__ import annotations

import io
import os
import re
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path
from urllib.parse import urlsplit

import pytest
from conftest import PHRASE_RECT, page_fonts
from engines import is_not_found_document_error
from facts import AXE, CHROMIUM, CHROMIUM_ARGS, LABELS, PAGE_ADDRESSES, PAGE_FILES, REPO
from fontTools.ttLib import TTFont
from playwright.sync_api import Browser, BrowserContext, Page, expect
from serving import open_search

RESULTS = REPO / "test-results"

PHONE = {"width": 390, "height": 844}
DESKTOP = {"width": 1280, "height": 800}
SIZES = {"phone": PHONE, "desktop": DESKTOP}
# path under the site, and a name for screenshots
PAGES = PAGE_ADDRESSES
ARABIC_LETTER = re.compile(r"[\u0621-\u064A]")
# The one palette button shown: it switches to the other palette.
PALETTE_TOGGLE = "label.md-header__button[for^='__palette']:visible"
# The browser bar's colour as the HTML standard has browsers pick it (the first
# theme-color <meta> whose media matches and whose colour is valid), beside the
# header's colour as drawn.
BAR_AND_HEADER = """() => {
    const meta = [...document.querySelectorAll('meta[name="theme-color"]')]
        .find(m => CSS.supports("color", m.content) && (!m.media || matchMedia(m.media).matches));
    const rgb = getComputedStyle(document.querySelector(".md-header")).backgroundColor.match(/\\d+/g).slice(0, 3);
    return {bar: meta ? meta.content.toLowerCase() : null,
            header: "#" + rgb.map(c => (+c).toString(16).padStart(2, "0")).join("")};
}"""


@dataclass
class Visit:
    """Opens pages of the served site and records what must not happen."""

    browser: Browser
    base: str
    contexts: list[BrowserContext] = field(default_factory=list)
    foreign_requests: list[str] = field(default_factory=list)
    errors: list[str] = field(default_factory=list)

    def __call__(
        self,
        path: str = "",
        *,
        size: str = "phone",
        scheme: str = "light",
        permissions: list[str] | None = None,
        bypass_csp: bool = False,
        javascript: bool = True,
        latency_ms: int = 0,
        init_script: str | None = None,
        cpu_slowdown: int = 1,
    ) -> Page:
        context = self.browser.new_context(
            viewport=SIZES[size],
            color_scheme=scheme,  # type: ignore[arg-type]
            locale="ar",
            permissions=permissions or [],
            bypass_csp=bypass_csp,
            java_script_enabled=javascript,
        )
        self.contexts.append(context)
        if init_script:
            context.add_init_script(init_script)
        origin = urlsplit(self.base)[:2]
        context.on(
            "request",
            lambda request: (
                None
                if urlsplit(request.url)[:2] == origin or request.url.startswith("data:")
                else self.foreign_requests.append(request.url)
            ),
        )
        page = context.new_page()
        address = self.base + path
        page.on(
            "console",
            lambda message: (
                message.type == "error"
                # The 404 page's own status, which Chromium logs: not a problem; any other error is.
                and not is_not_found_document_error(message.text, message.location["url"], address)
                and self.errors.append(message.text)
            ),
        )
        page.on("pageerror", lambda error: self.errors.append(str(error)))
        if latency_ms or cpu_slowdown > 1:
            session = context.new_cdp_session(page)
            # Every response waits this long, so the order of requests shows in their timings.
            session.send("Network.enable")
            session.send(
                "Network.emulateNetworkConditions",
                {"offline": False, "latency": latency_ms, "downloadThroughput": -1, "uploadThroughput": -1},
            )
            # A phone's slower CPU, so that work shows between the paints.
            session.send("Emulation.setCPUThrottlingRate", {"rate": cpu_slowdown})
        page.goto(address)
        page.evaluate("document.fonts.ready")
        return page


def visiting(browser: Browser, server: str) -> Iterator[Visit]:
    if not AXE.is_file():
        pytest.fail(f"{AXE} is missing: run `make test` (npm ci in tests/)", pytrace=False)
    visitor = Visit(browser, server)
    yield visitor
    for context in visitor.contexts:
        context.close()
    assert visitor.foreign_requests == [], "requests to another origin"
    assert visitor.errors == [], "console errors"


@pytest.fixture
def visit(browser: Browser, server: str) -> Iterator[Visit]:
    yield from visiting(browser, server)


# A reader whose system has no Noto Naskh Arabic (iOS, macOS, Windows, most Linux): the fallback face the
# text is laid out in until the webfont arrives is another font, with other widths. Here this machine's fonts
# but that family, as fontconfig's rejectfont removes it.
WITHOUT_NASKH = """<?xml version="1.0"?>
<!DOCTYPE fontconfig SYSTEM "fonts.dtd">
<fontconfig>
  <include ignore_missing="yes">/etc/fonts/fonts.conf</include>
  <selectfont><rejectfont><pattern>
    <patelt name="family"><string>Noto Naskh Arabic</string></patelt>
  </pattern></rejectfont></selectfont>
</fontconfig>
"""


@pytest.fixture(scope="module")
def browser_without_naskh(browser: Browser, tmp_path_factory: pytest.TempPathFactory) -> Iterator[Browser]:
    config = tmp_path_factory.mktemp("fontconfig") / "fonts.conf"
    config.write_text(WITHOUT_NASKH, encoding="utf-8")
    other = browser.browser_type.launch(
        executable_path=str(CHROMIUM),
        args=CHROMIUM_ARGS,
        env={**os.environ, "FONTCONFIG_FILE": str(config)},
    )
    yield other
    other.close()


@pytest.fixture
def visit_without_naskh(browser_without_naskh: Browser, server: str) -> Iterator[Visit]:
    yield from visiting(browser_without_naskh, server)


def reload_with_empty_answers(page: Page, address: str, content_type: str) -> None:
    """Reload the page with every request for ``address`` (a glob) answered by an empty file."""
    page.route(address, lambda route: route.fulfill(body="", content_type=content_type))
    page.reload()


def reload_without_material_script(page: Page) -> None:
    """Reload the page with Material's bundle answered by an empty script: the page as it is before the bundle runs."""
    reload_with_empty_answers(page, "**/assets/javascripts/bundle.*.min.js", "text/javascript")


# The text is drawn: its faces (inside the page, preloaded) have loaded, and nothing hides it.
TEXT_SHOWN = (
    "() => document.fonts.status === 'loaded'"
    " && getComputedStyle(document.querySelector('article')).visibility === 'visible'"
)
STYLESHEET = "**/assets/stylesheets/report.css"


class TestDocument:
    """The page is Arabic, right to left, and set in the webfont."""

    def test_root_element_is_arabic_rtl(self, visit: Visit) -> None:
        page = visit()
        assert page.evaluate("[document.documentElement.lang, document.documentElement.dir]") == ["ar", "rtl"]

    def test_article_is_laid_out_rtl(self, visit: Visit) -> None:
        page = visit()
        assert page.eval_on_selector("article", "a => getComputedStyle(a).direction") == "rtl"

    def test_body_font_is_loaded(self, visit: Visit) -> None:
        page = visit()
        loaded = page.evaluate("[...document.fonts].filter(f => f.status === 'loaded').map(f => f.family)")
        assert any("Report Naskh" in family for family in loaded), loaded

    @pytest.mark.parametrize("name", PAGES)
    def test_no_text_falls_back_to_a_system_font(self, visit: Visit, name: str) -> None:
        """Chromium itself says which font drew each element's text: only the webfont."""
        page = visit(PAGES[name])
        if name == "report":
            open_search(page, "روسيا")
            # Results may need a font file the page itself did not (unicode-range): a
            # layout starts those loads, and fonts.ready waits for them.
            page.evaluate("document.body.offsetHeight; document.fonts.ready.then(() => true)")
        assert system_fonts_drawn(page) == {}

    @pytest.mark.parametrize("name", PAGES)
    def test_visible_characters_are_in_the_subset_fonts(self, visit: Visit, site: Path, name: str) -> None:
        covered: set[int] = set()
        for data in page_fonts(site, PAGE_FILES[name]).values():
            covered |= set(TTFont(io.BytesIO(data)).getBestCmap())
        page = visit(PAGES[name])
        text = page.evaluate("document.body.innerText")
        missing = {char for char in text if not char.isspace() and ord(char) not in covered}
        assert missing == set()


def system_fonts_drawn(page: Page) -> dict[str, int]:
    """The system fonts (not @font-face ones) Chromium drew text of ``page`` with, and how many glyphs each."""
    session = page.context.new_cdp_session(page)
    session.send("DOM.enable")
    session.send("CSS.enable")
    root = session.send("DOM.getDocument", {"depth": -1})["root"]["nodeId"]
    fallbacks: dict[str, int] = {}
    for node in session.send("DOM.querySelectorAll", {"nodeId": root, "selector": "body *"})["nodeIds"]:
        for font in session.send("CSS.getPlatformFontsForNode", {"nodeId": node})["fonts"]:
            if not font["isCustomFont"]:
                fallbacks[font["familyName"]] = fallbacks.get(font["familyName"], 0) + font["glyphCount"]
    return fallbacks


# Two frames drawn: whatever the page has laid out by now is painted (a layout shift is reported with the
# frame that paints it), and the events of what the last style change started are sent.
TWO_FRAMES = "() => new Promise(resolve => requestAnimationFrame(() => requestAnimationFrame(() => resolve(true))))"
# Every layout shift so far (the page loaded, two frames drawn), with what moved (Chromium's Layout Instability API).
LAYOUT_SHIFTS = """() => new Promise(resolve => {
  const shifts = [], record = entries => { for (const entry of entries) shifts.push({
    at: Math.round(entry.startTime), value: entry.value,
    moved: entry.sources.map(source => source.node ? source.node.nodeName + "." + source.node.className : "?"),
  }) };
  const observer = new PerformanceObserver(list => record(list.getEntries()));
  observer.observe({type: "layout-shift", buffered: true});
  requestAnimationFrame(() => requestAnimationFrame(() => {
    record(observer.takeRecords());
    observer.disconnect();
    resolve(shifts);
  }));
})"""
# Each CSS animation that ends on the article or an element around it (whose visibility or opacity it has).
RECORD_ANIMATIONS_ENDED = """window.__animationsEnded = [];
addEventListener("animationend", e => e.target.contains(document.querySelector("article"))
    && window.__animationsEnded.push(`${e.target.nodeName} ${e.animationName}`));"""
# Every CSS transition that starts, by element and property.
RECORD_TRANSITIONS = """window.__transitions = [];
addEventListener("transitionrun", e => window.__transitions.push(`${e.target.className} ${e.propertyName}`));"""
# The @font-face rules whose characters the page draws (each rule's unicode-range, against the text Chromium
# renders), and those whose font is inside the rule (a data: URL), each named by its unicode-range.
# (A face's status cannot tell: Chromium loads a data: face it does not draw.)
FONTS_DRAWN_AND_INLINE = """() => {
  const ranges = text => text.split(",").map(part => {
    const [first, last] = part.trim().replace(/^U\\+/i, "").split("-").map(hex => parseInt(hex, 16));
    return [first, last ?? first];
  });
  const faces = [];
  for (const sheet of document.styleSheets) for (const rule of sheet.cssRules) {
    if (!(rule instanceof CSSFontFaceRule) || !rule.style.getPropertyValue("unicode-range")) continue;
    const range = rule.style.getPropertyValue("unicode-range");
    faces.push({range, ranges: ranges(range), inline: /url\\("?data:/.test(rule.style.getPropertyValue("src"))});
  }
  const shown = [...new Set(document.body.innerText)].map(char => char.codePointAt(0));
  const drawn = faces.filter(face => shown.some(code => face.ranges.some(([a, b]) => a <= code && code <= b)));
  return {
    drawn: [...new Set(drawn.map(face => face.range))].sort(),
    inline: [...new Set(faces.filter(face => face.inline).map(face => face.range))].sort(),
  };
}"""
# Loads of one page on a slow CPU, to catch what happens in some loads only.
SLOW_LOADS = 8
RESOURCES = """performance.getEntriesByType("resource").map(entry => ({
  path: new URL(entry.name).pathname, initiator: entry.initiatorType,
  start: entry.startTime, responseStart: entry.responseStart, end: entry.responseEnd,
}))"""


class TestLoading:
    """A first visit: the fonts are asked for first and the text waits for them, so the first paint is final."""

    @pytest.mark.parametrize("size", SIZES)
    @pytest.mark.parametrize("name", PAGES)
    def test_nothing_moves_while_loading(self, visit: Visit, name: str, size: str) -> None:
        """With a phone network's round trips, so that the page is drawn before Material's script runs."""
        page = visit(PAGES[name], size=size, latency_ms=150)
        assert page.evaluate(LAYOUT_SHIFTS) == []

    @pytest.mark.parametrize("size", SIZES)
    @pytest.mark.parametrize("name", PAGES)
    def test_nothing_moves_while_loading_on_a_system_without_the_font(
        self, visit_without_naskh: Visit, name: str, size: str
    ) -> None:
        """The text waits unseen for its font (report.css, the inline reveal); laid out in a fallback, it moved."""
        page = visit_without_naskh(PAGES[name], size=size, latency_ms=150)
        assert page.evaluate(LAYOUT_SHIFTS) == []
        fonts = page.evaluate(FONTS_DRAWN_AND_INLINE)
        assert fonts["drawn"] and fonts["drawn"] == fonts["inline"]
        requested = [entry["path"] for entry in page.evaluate(RESOURCES) if entry["path"].endswith(".woff2")]
        assert requested == []

    @pytest.mark.parametrize("size", SIZES)
    def test_a_page_with_tables_does_not_move_on_a_slow_phone(self, visit_without_naskh: Visit, size: str) -> None:
        """Chromium draws a page it is still parsing, and a table drawn before its last rows were parsed widened as
        they came: on a 6x slower CPU, the provenance page's rows moved in about one load in ten. Its first paint now
        waits for its last table (finish/fixes.hold_paint_for_tables); without that, 3 of 6 runs of this test
        failed."""
        for _ in range(SLOW_LOADS):
            page = visit_without_naskh(PAGES["provenance"], size=size, latency_ms=150, cpu_slowdown=6)
            assert page.evaluate(LAYOUT_SHIFTS) == []
            page.context.close()

    @pytest.mark.parametrize("name", PAGES)
    def test_the_text_shows_without_any_external_script(self, visit: Visit, name: str) -> None:
        """Every script file answered empty: the text shows once its fonts have loaded, by no animation's end."""
        page = visit(PAGES[name])
        page.add_init_script(RECORD_ANIMATIONS_ENDED)
        reload_with_empty_answers(page, "**/*.js", "text/javascript")
        # A function, not an expression: polling an expression is an eval, which the page's policy refuses.
        page.wait_for_function(
            "() => getComputedStyle(document.querySelector('article')).visibility === 'visible'", timeout=10_000
        )
        assert page.evaluate(TEXT_SHOWN)
        # Shown while report.css's fallback still waits: no animation around the article has ended.
        assert page.evaluate("window.__animationsEnded") == [], "the text showed when report.css's fallback ended"

    @pytest.mark.parametrize("name", PAGES)
    def test_a_phone_shows_the_text_without_the_stylesheet(self, visit: Visit, name: str) -> None:
        """Below 60em the inline share is all the first screen needs: the stylesheet, answered empty, is not awaited."""
        page = visit(PAGES[name])
        reload_with_empty_answers(page, STYLESHEET, "text/css")
        page.wait_for_function(TEXT_SHOWN)
        assert page.evaluate("getComputedStyle(document.body).opacity") == "1"
        assert page.evaluate("getComputedStyle(document.querySelector('article')).visibility") == "visible"

    @pytest.mark.parametrize(("size", "painted"), [("phone", True), ("desktop", False)])
    @pytest.mark.parametrize("name", PAGES)
    def test_only_a_wide_screen_waits_for_the_stylesheet(
        self, visit: Visit, name: str, size: str, painted: bool
    ) -> None:
        """From 60em the drawer, search and contents show in the first frame, and the share has not their rules.

        With the stylesheet held on its way, once the page's fonts have loaded, a phone has painted its text and
        a wide screen nothing, as with a render-blocking stylesheet (stock Material's); released, it paints.
        Polled on a timer: a page whose rendering waits runs no animation frame.
        """
        page = visit(PAGES[name], size=size)
        held = []
        page.route(STYLESHEET, lambda route: held.append(route))
        page.goto(page.url, wait_until="commit")
        page.wait_for_function("() => document.fonts.status === 'loaded'", polling=20)
        if painted:
            page.wait_for_function("() => performance.getEntriesByType('paint').length > 0", polling=20)
        assert (page.evaluate("performance.getEntriesByType('paint').length") > 0) is painted
        assert held, "the stylesheet was asked for"
        for route in held:
            route.continue_()
        page.wait_for_function("() => performance.getEntriesByType('paint').length > 0", polling=20)

    @pytest.mark.parametrize("size", SIZES)
    @pytest.mark.parametrize("name", PAGES)
    def test_nothing_transitions_when_the_stylesheet_arrives(self, visit: Visit, name: str, size: str) -> None:
        """Given its rules only then, what the share leaves out would start its transitions: a panel fading.

        axe caught one in WebKit, mid-way (the drawer's table of contents, at half opacity).
        """
        page = visit(PAGES[name], size=size, latency_ms=150, init_script=RECORD_TRANSITIONS)
        page.wait_for_load_state("load")  # the stylesheet has arrived
        assert page.evaluate(TWO_FRAMES)  # its rules applied, and what they started sent its transitionrun
        assert page.evaluate("window.__transitions") == []

    @pytest.mark.parametrize("name", PAGES)
    def test_the_html_brings_everything_a_phone_draws_first(self, visit_without_naskh: Visit, name: str) -> None:
        """Fonts included: every other request refused, a phone shows the text, all of it in the site's faces.

        On a system without Noto Naskh Arabic, where a face that failed to load
        would leave the text to a system font.
        """
        page = visit_without_naskh(PAGES[name])
        page.route(lambda url: url != page.url, lambda route: route.abort())
        page.reload()
        page.wait_for_function(TEXT_SHOWN)
        assert page.evaluate("getComputedStyle(document.querySelector('article')).visibility") == "visible"
        assert system_fonts_drawn(page) == {}
        # Each refused request logs an error; those are this test's own.
        visit_without_naskh.errors[:] = [error for error in visit_without_naskh.errors if "ERR_FAILED" not in error]

    @pytest.mark.parametrize("name", PAGES)
    def test_the_fonts_drawn_are_the_fonts_inline(self, visit: Visit, name: str) -> None:
        """Each face the page draws as it loads is inside its <style>; no other is (each costs every visit)."""
        page = visit(PAGES[name])
        fonts = page.evaluate(FONTS_DRAWN_AND_INLINE)
        assert fonts["drawn"] and fonts["drawn"] == fonts["inline"]


class TestAccessibility:
    """axe-core finds nothing on any page, in either palette, at either size."""

    @pytest.mark.parametrize("size", SIZES)
    @pytest.mark.parametrize("scheme", ["light", "dark"])
    @pytest.mark.parametrize("name", PAGES)
    def test_axe_finds_no_violation(self, visit: Visit, name: str, scheme: str, size: str) -> None:
        page = visit(PAGES[name], size=size, scheme=scheme, bypass_csp=True)
        RESULTS.mkdir(exist_ok=True)
        page.screenshot(path=RESULTS / f"{name}-{size}-{scheme}.png", full_page=True)
        page.add_script_tag(path=AXE)
        result = page.evaluate("axe.run(document, {resultTypes: ['violations']})")
        violations = [
            f"{v['id']}: {v['help']} ({len(v['nodes'])}x, e.g. {v['nodes'][0]['target']})" for v in result["violations"]
        ]
        assert not violations, "\n".join(violations)


class TestPhoneLayout:
    """Nothing is wider than a 390 px phone."""

    @pytest.mark.parametrize("name", PAGES)
    def test_no_horizontal_scrolling(self, visit: Visit, name: str) -> None:
        page = visit(PAGES[name])
        assert page.evaluate("document.documentElement.scrollWidth <= window.innerWidth")

    @pytest.mark.parametrize("name", PAGES)
    def test_no_horizontal_scrolling_before_the_scripts_run(self, visit: Visit, name: str) -> None:
        """What a reader sees until Material's script has run, or when it cannot run."""
        page = visit(PAGES[name], javascript=False)
        assert page.evaluate("document.documentElement.scrollWidth <= window.innerWidth")

    def test_reading_size_and_leading(self, visit: Visit) -> None:
        page = visit()
        size, leading, spacing = page.eval_on_selector(
            "#p-1",
            "p => { const s = getComputedStyle(p);"
            " return [parseFloat(s.fontSize), parseFloat(s.lineHeight), s.letterSpacing] }",
        )
        assert size >= 16
        assert leading / size >= 1.7
        assert spacing == "normal"

    def test_line_length_is_limited_on_desktop(self, visit: Visit) -> None:
        page = visit(size="desktop")
        width, size = page.eval_on_selector(
            "#p-1", "p => [p.getBoundingClientRect().width, parseFloat(getComputedStyle(p).fontSize)]"
        )
        assert width / size <= 40


def word_box(page: Page, block: str, word: str) -> dict[str, float]:
    """Where ``word`` (its first occurrence in ``block``'s text) is drawn."""
    return page.eval_on_selector(
        block,
        f"(element, word) => {{ const box = ({PHRASE_RECT})(element, word);"
        " return box && {left: box.left, right: box.right, top: box.top}; }",
        word,
    )


class TestLatinInsideArabic:
    """A Latin word and a number sit where the Arabic sentence puts them, read right to left."""

    @pytest.mark.parametrize(
        ("block", "before", "inside", "after"),
        [("#p-1", "الروسي", "(Tsargrad)", "عن"), ("#p-9", "مبلغ", "25", "مليون")],
    )
    def test_order_on_the_line(self, visit: Visit, block: str, before: str, inside: str, after: str) -> None:
        page = visit(size="desktop")
        first, middle, last = (word_box(page, block, word) for word in (before, inside, after))
        assert first["top"] == middle["top"] == last["top"], "the three words should share a line"
        assert first["left"] >= middle["right"] - 1 and middle["left"] >= last["right"] - 1

    def test_parentheses_face_the_latin_word(self, visit: Visit) -> None:
        page = visit(size="desktop")
        opening, word, closing = (word_box(page, "#p-1", text) for text in ("(", "Tsargrad", ")"))
        # In a right-to-left line "(Tsargrad)" reads with "(" on the right of the word.
        assert opening["left"] >= word["right"] - 1 and closing["right"] <= word["left"] + 1


class TestPermalinks:
    """Every block's link: named in Arabic, shown on focus, copies, opens and highlights."""

    def test_every_block_has_a_named_permalink(self, visit: Visit) -> None:
        page = visit()
        names = page.eval_on_selector_all(
            "article :is(h2, p)[data-source-line]",
            "blocks => blocks.map(b => b.querySelector('a.permalink')?.getAttribute('aria-label'))",
        )
        assert len(names) == 16
        prefixes = (LABELS["permalink"], LABELS["heading_permalink"])
        assert all(name and name.startswith(prefixes) for name in names)

    def test_keyboard_focus_shows_it(self, visit: Visit) -> None:
        page = visit()
        link = page.locator("#p-3 > a.permalink")
        assert link.evaluate("a => getComputedStyle(a).opacity") == "0"
        page.keyboard.press("Tab")
        link.focus()
        assert link.evaluate("a => a === document.activeElement && a.matches(':focus-visible')")
        expect(link).to_have_css("opacity", "1")  # at the end of its transition

    def test_click_copies_the_address_and_confirms(self, visit: Visit, server: str) -> None:
        page = visit(permissions=["clipboard-read", "clipboard-write"])
        page.hover("#p-3")
        page.click("#p-3 > a.permalink")
        toast = page.locator(".report-toast[data-visible]")
        toast.wait_for()
        assert toast.inner_text() == LABELS["copied"]
        assert toast.get_attribute("role") == "status"
        assert page.evaluate("navigator.clipboard.readText()") == f"{server}#p-3"
        assert page.url == f"{server}#p-3"

    def test_opening_a_paragraph_link_scrolls_and_highlights(self, visit: Visit) -> None:
        page = visit("#p-9")
        paragraph = page.locator("#p-9")
        assert paragraph.evaluate("p => p.matches(':target')")
        assert paragraph.evaluate("p => getComputedStyle(p).backgroundColor") not in ("rgba(0, 0, 0, 0)", "transparent")
        top = paragraph.evaluate("p => p.getBoundingClientRect().top")
        assert 0 <= top < PHONE["height"] / 2


class TestSearch:
    """Arabic queries find the right paragraphs, highlighted, in an Arabic interface (more: test_search.py)."""

    @pytest.mark.parametrize(
        ("query", "found"),
        [
            ("كازاخستان", "كازاخستان"),
            # Russia and its adjective: "الروسي", "الروسية" are found too.
            ("روسيا", "روس"),
            ("بلينكن", "بلينكن"),
            # The article and prefixes do not matter: "للعقوبات" and "العقوبات" match either way.
            ("العقوبات", "عقوبات"),
            ("عقوبات", "عقوبات"),
            ("بالعقوبات", "عقوبات"),
        ],
    )
    def test_query_finds_the_report(self, visit: Visit, server: str, query: str, found: str) -> None:
        page = visit()
        open_search(page, query)
        first = page.locator(".md-search-result__item a").first
        assert first.get_attribute("href").startswith(server)
        marks = page.locator(".md-search-result mark").all_inner_texts()
        assert marks and all(found in mark for mark in marks if mark)
        source = (REPO / "source" / "report.ar.txt").read_text(encoding="utf-8")
        assert found in source

    def test_prefixed_forms_are_highlighted_inside_the_word(self, visit: Visit) -> None:
        page = visit()
        open_search(page, "عقوبات")
        article_texts = page.locator(".md-search-result__item").all_inner_texts()
        assert any("للعقوبات" in text for text in article_texts)

    def test_interface_is_arabic(self, visit: Visit) -> None:
        page = visit()
        open_search(page, "روسيا")
        placeholder = page.get_attribute("input.md-search__input", "placeholder")
        meta = page.inner_text(".md-search-result__meta")
        assert ARABIC_LETTER.search(placeholder) and ARABIC_LETTER.search(meta)
        assert not re.search(r"[A-Za-z]", placeholder + meta)


class TestAroundTheText:
    """Palettes, print, the 404 page, and no English interface text."""

    def test_palette_follows_the_system_then_the_toggle(self, visit: Visit) -> None:
        page = visit(scheme="dark")
        assert page.get_attribute("body", "data-md-color-scheme") == "slate"
        page.locator(PALETTE_TOGGLE).click()
        assert page.get_attribute("body", "data-md-color-scheme") == "default"
        background = page.evaluate("getComputedStyle(document.body).backgroundColor")
        assert background == "rgb(255, 255, 255)"

    @pytest.mark.parametrize(("system", "scheme"), [("dark", "slate"), ("light", "default")])
    def test_first_visit_paints_in_the_system_palette(self, visit: Visit, system: str, scheme: str) -> None:
        # As the page looks once Material's script has run...
        page = visit(scheme=system)
        background = page.evaluate("getComputedStyle(document.body).backgroundColor")
        # ...it looks before that script runs, with nothing saved: the inline
        # scripts, which run before the first paint, chose the palette.
        page.evaluate("localStorage.clear()")
        reload_without_material_script(page)
        assert page.get_attribute("body", "data-md-color-scheme") == scheme
        assert page.evaluate("getComputedStyle(document.body).backgroundColor") == background

    def test_a_dark_first_visit_is_dark_from_the_first_paint(self, visit: Visit) -> None:
        # Each change of the body's palette, timed. As on a phone, latency
        # spreads the page's arrival over several paints and a slow CPU
        # leaves time for Chromium to paint between two scripts.
        record_changes = """window.paletteChanges = [];
            new MutationObserver(() => window.paletteChanges.push(
                [performance.now(), document.body.getAttribute("data-md-color-scheme")]
            )).observe(document, {subtree: true, attributeFilter: ["data-md-color-scheme"]});"""
        page = visit(scheme="dark", latency_ms=150, cpu_slowdown=4, init_script=record_changes)
        first_paint = page.evaluate("performance.getEntriesByName('first-paint')[0].startTime")
        changes = page.evaluate("window.paletteChanges")
        assert changes, "the palette never changed to dark"
        assert changes[0][1] == "slate"
        assert changes[0][0] < first_paint, f"dark at {changes[0][0]:.0f} ms, first paint at {first_paint:.0f} ms"

    def test_with_storage_blocked_a_dark_system_still_gets_the_dark_page(self, visit: Visit) -> None:
        # As with cookies blocked: reading localStorage throws, and so does Material's palette script.
        blocked = "storage blocked by the test"
        page = visit(
            scheme="dark",
            init_script="Object.defineProperty(window, 'localStorage', {get() {"
            f" throw new DOMException('{blocked}', 'SecurityError') }}}})",
        )
        reload_without_material_script(page)
        assert page.get_attribute("body", "data-md-color-scheme") == "slate"
        assert visit.errors and all(blocked in error for error in visit.errors), visit.errors
        visit.errors.clear()  # Material's own, expected here

    def test_a_saved_choice_wins_over_the_system_before_scripts_run(self, visit: Visit) -> None:
        page = visit(scheme="dark")
        page.locator(PALETTE_TOGGLE).click()
        reload_without_material_script(page)
        assert page.get_attribute("body", "data-md-color-scheme") == "default"

    @pytest.mark.parametrize("system", ["light", "dark"])
    @pytest.mark.parametrize("name", PAGES)
    def test_the_browser_bar_has_the_header_colour_before_material_script(
        self, visit: Visit, name: str, system: str
    ) -> None:
        page = visit(PAGES[name], scheme=system)
        page.evaluate("localStorage.clear()")
        reload_without_material_script(page)
        colours = page.evaluate(BAR_AND_HEADER)
        assert colours["bar"] == colours["header"]

    def test_the_browser_bar_follows_the_readers_palette(self, visit: Visit) -> None:
        page = visit(scheme="light")
        system = page.evaluate(BAR_AND_HEADER)
        assert system["bar"] == system["header"]
        page.locator(PALETTE_TOGGLE).click()
        chosen = page.evaluate(BAR_AND_HEADER)
        assert chosen["header"] != system["header"]
        assert chosen["bar"] == chosen["header"]
        # The choice is saved: the next visit opens in it, bar included.
        page.reload()
        assert page.evaluate(BAR_AND_HEADER) == chosen

    def test_print_shows_only_title_notice_text_and_address(self, visit: Visit) -> None:
        page = visit()
        page.emulate_media(media="print")
        for hidden in (".md-header", ".md-sidebar--primary", ".md-footer", "a.permalink"):
            assert not page.locator(hidden).first.is_visible(), hidden
        assert page.locator("article h1").is_visible()
        assert page.locator(".report-notice").is_visible()
        canonical = page.get_attribute("link[rel=canonical]", "href")
        assert page.inner_text(".print-url") == canonical
        colour = page.eval_on_selector("#p-1", "p => getComputedStyle(p).color")
        assert colour == "rgb(0, 0, 0)"

    def test_unknown_address_gets_the_arabic_404_page(self, visit: Visit) -> None:
        page = visit(PAGES["not-found"])
        assert ARABIC_LETTER.search(page.inner_text("article h1"))

    # The provenance page names files, hashes, tools and versions on purpose.
    @pytest.mark.parametrize("name", ["report", "not-found"])
    def test_no_english_interface_text(self, visit: Visit, name: str) -> None:
        """Latin letters on the reading pages come only from the source text."""
        page = visit(PAGES[name], size="desktop")
        text = page.evaluate("document.body.innerText")
        source = (REPO / "source" / "report.ar.txt").read_text(encoding="utf-8")
        words = set(re.findall(r"[A-Za-z][A-Za-z.\-]*[A-Za-z]|[A-Za-z]", text))
        assert {word for word in words if word not in source} == set()
