"""The built site in the three browser engines: Chromium, Firefox ESR and WebKitGTK (tests/engines.py).

Each check is written once and runs in each engine. Every page opened is
checked afterwards for console errors, uncaught errors and policy violations
(``engine`` fixture). Screenshots of each page at each size go to
test-results/engines/.
"""

from __future__ import annotations

import io
import re
import shutil
import subprocess
import time
from collections.abc import Iterator
from pathlib import Path
from urllib.parse import urlsplit

import engines
import pytest
import test_every_reader as every_reader
from conftest import page_fonts
from engines import ENGINES, Engine, EngineMissingError, WebKitEngine, start
from facts import AXE, LABELS, PAGE_ADDRESSES, REPO, SOURCE
from fontTools.ttLib import TTFont
from PIL import Image, ImageChops, ImageDraw, ImageFont
from serving import serve

RESULTS = REPO / "test-results" / "engines"
PAGES = PAGE_ADDRESSES
ARABIC_LETTER = re.compile(r"[\u0621-\u064A]")


@pytest.fixture(scope="session", params=ENGINES)
def browser_engine(request: pytest.FixtureRequest) -> Iterator[Engine]:
    """One engine for the session; a missing browser or driver is an error that says what to install."""
    try:
        # Chromium is the session's Playwright browser (conftest.py): Playwright runs once per thread.
        chromium = request.getfixturevalue("browser") if request.param == "chromium" else None
        engine = start(request.param, chromium=chromium)
    except EngineMissingError as missing:
        pytest.fail(str(missing), pytrace=False)
    yield engine
    engine.close()


@pytest.fixture
def engine(browser_engine: Engine, server: str) -> Iterator[Engine]:
    """The session's engine; after the test, whatever page it has open must have reported no problem."""
    yield browser_engine
    assert browser_engine.problems() == [], f"{browser_engine.name}: console errors or policy violations"


def visible_palette_toggle(engine: Engine) -> str:
    """A selector for the one palette button shown (Material renders one per palette, hiding the others)."""
    target = engine.evaluate(
        """() => [...document.querySelectorAll("label.md-header__button[for^='__palette']")]
            .find(label => label.getClientRects().length && getComputedStyle(label).display !== "none")
            ?.getAttribute("for")"""
    )
    assert target, "no palette button shown"
    return f"label.md-header__button[for='{target}']"


class TestFindingTheEngines:
    """WebKitGTK's MiniBrowser is found in the machine's multiarch directory; missing, the error names the package."""

    def test_minibrowser_is_found_for_this_machine(self) -> None:
        """The path found is the one the installed package lists (dpkg's record, not the formula again)."""
        path = engines.minibrowser()
        listed = subprocess.run(
            ["dpkg-query", "--listfiles", engines.WEBKIT_PACKAGE], capture_output=True, text=True, check=True
        ).stdout.splitlines()
        assert path.is_file() and str(path) in listed

    def test_a_missing_minibrowser_names_its_package(self, monkeypatch: pytest.MonkeyPatch) -> None:
        monkeypatch.setattr(engines.sysconfig, "get_config_var", lambda name: "no-such-linux-gnu")
        with pytest.raises(
            EngineMissingError,
            match=r"/usr/lib/no-such-linux-gnu/webkit2gtk-4\.1/MiniBrowser.*"
            r"libwebkit2gtk-4\.1-0",
        ):
            engines.minibrowser()

    def test_without_a_multiarch_python_the_error_says_so(self, monkeypatch: pytest.MonkeyPatch) -> None:
        monkeypatch.setattr(engines.sysconfig, "get_config_var", lambda name: None)
        with pytest.raises(EngineMissingError, match=r"MULTIARCH.*libwebkit2gtk-4\.1-0"):
            engines.minibrowser()


# Pages with one known problem each, under a policy of their own; the page at "" and the 404 page have none.
# The icon is inside the page: a browser asks for /favicon.ico otherwise.
PROBLEM_PAGE = """<!doctype html><html><head><meta charset="utf-8">
<meta http-equiv="Content-Security-Policy" content="default-src 'none'; script-src 'self'; img-src data:">
<link rel="icon" href="data:,"><title>A page with a known problem</title>{problem}</head>
<body><p>Text.</p></body></html>
"""
CONSOLE_ERROR = "the page's own console error"
UNCAUGHT_EXCEPTION = "the page's own uncaught exception"
KNOWN_PROBLEMS = {
    # page: (what it carries, its script file if any, what a report of the problem says)
    "console-error.html": (
        '<script src="console-error.js"></script>',
        f'console.error("{CONSOLE_ERROR}");',
        CONSOLE_ERROR,
    ),
    "uncaught-exception.html": (
        '<script src="uncaught-exception.js"></script>',
        f'throw new Error("{UNCAUGHT_EXCEPTION}");',
        UNCAUGHT_EXCEPTION,
    ),
    # An inline <style>, which default-src 'none' refuses: the policy's directive for it is style-src.
    "policy-violation.html": ("<style>p { color: red }</style>", None, "style-src"),
    # A script file the server answers with its 404 page: the words Chromium logs for a 404 document, elsewhere.
    "missing-file.html": ('<script src="no-such-file.js"></script>', None, "no-such-file.js"),
}


@pytest.fixture(scope="session")
def problem_pages(tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    """KNOWN_PROBLEMS served on 127.0.0.1 as the site is (tests/serving.py), with a page and a 404 page without any."""
    root = tmp_path_factory.mktemp("known-problems")
    for name in ("index.html", "404.html"):
        (root / name).write_text(PROBLEM_PAGE.format(problem=""), encoding="utf-8")
    for page, (problem, script, _) in KNOWN_PROBLEMS.items():
        (root / page).write_text(PROBLEM_PAGE.format(problem=problem), encoding="utf-8")
        if script:
            (root / page).with_suffix(".js").write_text(script, encoding="utf-8")
    with serve(root) as (base, _):
        yield base


class TestProblemsAreReported:
    """What the ``engine`` fixture checks after each test: problems() reports a page's known problem, in each engine.

    The one console error a browser logs for a page itself served with status
    404 is not one (engines.NOT_FOUND_DOCUMENT_ERROR); the same error for a file
    the page asks for is.
    """

    @pytest.mark.parametrize(
        ("page", "reported"),
        [pytest.param(page, said, id=page.removesuffix(".html")) for page, (_, _, said) in KNOWN_PROBLEMS.items()],
    )
    def test_a_known_problem_is_reported(
        self, browser_engine: Engine, problem_pages: str, page: str, reported: str
    ) -> None:
        browser_engine.open(problem_pages + page)
        problems = browser_engine.problems()
        assert any(reported in problem for problem in problems), f"{browser_engine.name}: {problems}"

    @pytest.mark.parametrize("address", ["", "no-such-page/"], ids=["page", "404-page"])
    def test_a_page_without_a_problem_reports_none(
        self, browser_engine: Engine, problem_pages: str, address: str
    ) -> None:
        browser_engine.open(problem_pages + address)
        assert browser_engine.problems() == [], browser_engine.name


# Each page at each size, opened once per engine for all of TestEveryPage's checks.
PAGE_LOADS = [(name, size) for name in PAGES for size in ("phone", "desktop")]


@pytest.fixture(scope="class", params=PAGE_LOADS, ids=[f"{name}-{size}" for name, size in PAGE_LOADS])
def opened(request: pytest.FixtureRequest, browser_engine: Engine, server: str) -> tuple[str, str]:
    """The page ``name`` loaded at ``size`` in the session's engine, shared by the checks of one class."""
    name, size = request.param
    browser_engine.open(server + PAGES[name], size)
    return name, size


class TestEveryPage:
    """Each page at each size: Arabic, right to left, in the webfont, nothing sideways, no axe violation.

    The checks only read the page, so they share one load of it (``opened``).
    """

    def test_layout(self, engine: Engine, opened: tuple[str, str]) -> None:
        name, size = opened
        # transitions: none running just after load, as none would if the stylesheet's arrival had started one.
        # shown: nothing leaves the page transparent (no animation nor rule hides it until a script runs).
        state = engine.evaluate(
            """() => ({
                transitions: document.getAnimations().filter(a => a instanceof CSSTransition)
                    .map(a => `${a.effect.target.className} ${a.transitionProperty}`),
                lang: document.documentElement.lang, dir: document.documentElement.dir,
                direction: getComputedStyle(document.querySelector("article")).direction,
                overflow: document.documentElement.scrollWidth - document.documentElement.clientWidth,
                shown: getComputedStyle(document.body).opacity,
            })"""
        )
        expected = {"transitions": [], "lang": "ar", "dir": "rtl", "direction": "rtl", "overflow": 0, "shown": "1"}
        assert state == expected, f"{engine.name}: layout"
        RESULTS.mkdir(parents=True, exist_ok=True)
        engine.screenshot(RESULTS / f"{engine.name}-{name}-{size}.png")

    def test_webfonts_are_loaded_and_used(self, engine: Engine, opened: tuple[str, str]) -> None:
        fonts = engine.evaluate(
            """() => ({
                family: getComputedStyle(document.querySelector("article")).fontFamily,
                loaded: [...document.fonts].filter(f => f.status === "loaded").map(f => f.family.replace(/"/g, "")),
                ready: document.fonts.check('16px "Report Naskh"', document.querySelector("article").innerText),
            })"""
        )
        assert fonts["family"].replace('"', "").startswith("Report Naskh,"), f"{engine.name}: article font"
        assert "Report Naskh" in fonts["loaded"], f"{engine.name}: webfont not loaded"
        assert fonts["ready"], f"{engine.name}: the article's text needs a font file that has not loaded"

    def test_axe_finds_no_violation(self, engine: Engine, opened: tuple[str, str]) -> None:
        # Evaluated by the driver, not added as a <script>, which the page's policy would refuse.
        result = engine._evaluate(
            "(() => {" + AXE.read_text(encoding="utf-8") + "\n;return axe.run(document, {resultTypes: ['violations']})"
            ".then(r => r.violations.map(v => `${v.id}: ${v.help} (${v.nodes.length}x, e.g. ${v.nodes[0].target})`))"
            "})()"
        )
        assert result == [], f"{engine.name}: axe-core violations"


# The whole stylesheet (finish/critical_css.py links it in <head> for wide screens and last) arrived, the faces
# ready; then switched off: the inline share alone.
SHOWN = (
    "() => [...document.querySelectorAll('link[rel=stylesheet]')].every(link => link.sheet !== null)"
    " && document.fonts.status === 'loaded'"
)
# Laid out now, so that each font face it needs is asked for; those loaded; two frames drawn.
SETTLED = """() => {
    void document.body.offsetHeight;
    const drawn = () => new Promise(resolve => requestAnimationFrame(() => requestAnimationFrame(resolve)));
    return document.fonts.ready.then(drawn).then(() => true);
}"""
SWITCH_STYLESHEET_OFF = """() => {
    document.querySelectorAll("link[rel=stylesheet]").forEach(link => { link.disabled = true; });
    return true;
}"""


# WebKitGTK draws text up to 2 levels (of 255) off after any restyle, even one that changes nothing
# (switching the stylesheet off and on again): smaller differences are not counted.
SAME_PIXEL_LEVELS = 4
# An element with a src: a script file.
SCRIPT_FILE = re.compile(r"<script\b[^>]*\bsrc=[^>]*>\s*</script>")


@pytest.fixture(scope="session")
def first_frame_server(site: Path, server: str, tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    """The site with its script files unlinked: each page as the first frame draws it, before any of them runs.

    Material's bundle builds elements after load (a table's scrolling wrapper,
    say) whose rules the share leaves to the stylesheet; by then it has
    arrived, since the deferred bundle waits for it. Its inline scripts stay.
    Served at another address, which its pages (their policy first) name.
    """
    copy = tmp_path_factory.mktemp("first-frame")
    with serve(copy, prefix=urlsplit(server).path) as (base, _):
        shutil.copytree(site, copy, dirs_exist_ok=True)
        for page in copy.rglob("*.html"):
            html = page.read_text(encoding="utf-8")
            assert SCRIPT_FILE.search(html) and server in html, page
            page.write_text(SCRIPT_FILE.sub("", html).replace(server, base), encoding="utf-8")
        yield base


@pytest.fixture(scope="session")
def shared_origin(site: Path, server: str, tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    """An origin as GitHub Pages gives an owner: the site at /report/, another project's script at /other/.

    The site is copied, its pages naming the new address; beside it a script
    of its own path (the control) and one of the sibling's, each setting a flag.
    """
    origin = tmp_path_factory.mktemp("shared-origin")
    with serve(origin, prefix="/") as (base, _):
        shutil.copytree(site, origin / "report")
        for page in (origin / "report").rglob("*.html"):
            page.write_text(page.read_text(encoding="utf-8").replace(server, base + "report/"), encoding="utf-8")
        (origin / "report" / "control.js").write_text("window.control = true;", encoding="utf-8")
        (origin / "other").mkdir()
        (origin / "other" / "steal.js").write_text("window.stolen = true;", encoding="utf-8")
        yield base


class TestThePolicyKeepsToTheSitesPath:
    """Every project site of an owner shares one origin on GitHub Pages: the policy allows the site's path only."""

    def test_a_script_and_a_request_to_a_sibling_path_are_refused(
        self, browser_engine: Engine, shared_origin: str
    ) -> None:
        browser_engine.open(shared_origin + "report/")
        assert browser_engine.problems() == [], browser_engine.name
        browser_engine.evaluate(
            """() => {
                for (const src of ["/report/control.js", "/other/steal.js"])
                    document.head.append(Object.assign(document.createElement("script"), {src}));
                fetch("/report/control.js").then(answer => { window.fetched = answer.ok; });
                fetch("/other/steal.js").catch(() => { window.fetchRefused = true; });
            }"""
        )
        browser_engine.wait_for("() => window.control && window.fetched && window.fetchRefused")
        deadline = time.monotonic() + 10
        while not (problems := browser_engine.problems()) and time.monotonic() < deadline:
            time.sleep(0.05)
        assert browser_engine.evaluate("() => window.stolen") is None, browser_engine.name
        assert problems and all("/other/steal.js" in problem for problem in problems), problems
        assert any(problem.startswith("policy: ") for problem in problems), problems


class TestFirstScreen:
    """Below Material's 60em breakpoint the inline share draws each page's first frame as the whole stylesheet does.

    The page loaded, then its stylesheet switched off: no pixel drawn may
    change by more than SAME_PIXEL_LEVELS. A rule the first screen needs and
    the share lacks (finish/critical_css.py) would show here, in the engine
    that needs it.
    """

    @pytest.mark.parametrize("size", ["phone", "tablet"])
    @pytest.mark.parametrize("name", PAGES)
    def test_the_share_alone_draws_the_same_page(
        self, engine: Engine, first_frame_server: str, name: str, size: str
    ) -> None:
        engine.open(first_frame_server + PAGES[name], size)
        engine.wait_for(SHOWN)
        RESULTS.mkdir(parents=True, exist_ok=True)
        whole, share = (RESULTS / f"{engine.name}-{name}-{size}-{kind}.png" for kind in ("whole", "share"))
        assert engine.evaluate(SETTLED)
        engine.screenshot(whole)
        assert engine.evaluate(SWITCH_STYLESHEET_OFF) and engine.evaluate(SETTLED)
        engine.screenshot(share)
        with Image.open(whole) as drawn, Image.open(share) as alone:
            assert drawn.size == alone.size, f"{engine.name}: the page's size changed: {drawn.size} -> {alone.size}"
            bands = ImageChops.difference(drawn.convert("RGB"), alone.convert("RGB")).split()
            most = ImageChops.lighter(ImageChops.lighter(bands[0], bands[1]), bands[2])
            changed = most.point(lambda level: 255 if level > SAME_PIXEL_LEVELS else 0).getbbox()
        assert changed is None, f"{engine.name}: without the stylesheet, {changed} is drawn otherwise (see {share})"


class TestSearch:
    """A reader types a word in the search box, sees results, and follows one to the text."""

    def test_type_see_and_follow_a_result(self, engine: Engine, server: str) -> None:
        engine.open(server)
        engine.click("label[for='__search']")
        engine.type("input.md-search__input", "روسيا")
        # Results are shown as the reader types; wait for those of the whole word.
        marks = engine.wait_for(
            """(word) => {
                const marks = [...document.querySelectorAll(".md-search-result mark")].map(m => m.textContent);
                return marks.some(mark => mark.includes(word)) && marks; }""",
            "روسيا",
        )
        assert marks
        href = engine.evaluate("() => document.querySelector('.md-search-result__item a').href")
        engine.click(".md-search-result__item a")
        # Followed: the search is closed, and the address is the result's.
        engine.wait_for("(href) => !document.querySelector('#__search').checked && location.href === href", href)
        assert engine.evaluate("() => document.querySelector('article').innerText.includes('روسيا')")


class TestPermalinks:
    """A block's link: a click copies the address and confirms, the address names the block, which is highlighted."""

    def test_click_links_and_confirms(self, engine: Engine, server: str) -> None:
        engine.open(server)
        # Shown on focus, as a keyboard reader gets it.
        engine.evaluate("() => document.querySelector('#p-3 > a.permalink').focus()")
        engine.click("#p-3 > a.permalink")
        toast = engine.wait_for(
            "() => document.querySelector('.report-toast[data-visible]')?.textContent",
        )
        assert toast == LABELS["copied"]
        assert engine.evaluate("() => [location.hash, document.querySelector('#p-3').matches(':target')]") == [
            "#p-3",
            True,
        ]

    def test_opening_a_paragraph_link_scrolls_and_highlights(self, engine: Engine, server: str) -> None:
        engine.open(server + "#p-9")
        target = engine.evaluate(
            """() => { const p = document.querySelector("#p-9");
                return {target: p.matches(":target"), background: getComputedStyle(p).backgroundColor,
                        top: p.getBoundingClientRect().top, height: innerHeight}; }"""
        )
        assert target["target"]
        assert target["background"] not in ("rgba(0, 0, 0, 0)", "transparent")
        assert 0 <= target["top"] < target["height"] / 2


@pytest.fixture(scope="class", params=list(every_reader.JAVASCRIPT))
def webkit_scripts(request: pytest.FixtureRequest) -> Iterator[tuple[WebKitEngine, str]]:
    """A WebKit of its own, with pages' scripts on or off (set when it starts), and which of the two."""
    scripts = request.param
    try:
        engine = WebKitEngine(page_scripts=every_reader.JAVASCRIPT[scripts])
    except EngineMissingError as missing:
        pytest.fail(str(missing), pytrace=False)
    yield engine, scripts
    engine.close()


class TestTextFragmentsInWebKit:
    """test_every_reader.TestTextFragments in WebKitGTK: a link to a phrase scrolls to it and highlights it.

    Opened as the window's own page (WebKitEngine.open_top_level): a text
    directive applies to a top-level navigation only, and in the engine's frame
    WebKitGTK 2.50 removes it from the address without scrolling. At "desktop"
    size, as the window cannot be phone-narrow. Scripts off is WebKitGTK's
    enable-javascript-markup off: the page's scripts never run.
    """

    @pytest.mark.parametrize("case", every_reader.FRAGMENT_CASES)
    def test_a_link_to_a_phrase_scrolls_to_it_and_highlights_it(
        self, webkit_scripts: tuple[WebKitEngine, str], server: str, site: Path, case: str
    ) -> None:
        engine, scripts = webkit_scripts
        phrase = next(p for p in every_reader.report_phrases(site) if p.name == case)
        arg = {"selector": phrase.selector, "phrase": phrase.text}
        engine.open_top_level(every_reader.text_fragment(server, phrase))
        time.sleep(1.5)  # as TestTextFragments: the page's scripts have run and not undone it
        # Material's bundle defines document$: the page's scripts ran, or not, as this run says.
        assert engine.evaluate("() => typeof document$ !== 'undefined'") == every_reader.JAVASCRIPT[scripts]
        probed = engine.evaluate(every_reader.PHRASE_BOX, arg)
        assert engine.problems() == [], f"WebKit, {scripts}: console errors or policy violations"
        differing = 0
        if probed and probed["rect"]["width"] > 0:
            rect = probed["rect"]
            box = (
                round(rect["x"]),
                round(rect["y"]),
                round(rect["x"] + rect["width"]),
                round(rect["y"] + rect["height"]),
            )
            RESULTS.mkdir(parents=True, exist_ok=True)
            shots = []
            for kind in ("fragment", "plain"):
                if kind == "plain":
                    engine.open_top_level(server)
                    engine.evaluate("(y) => scrollTo(0, y)", probed["scrollY"])
                    time.sleep(0.2)
                shot = RESULTS / f"webkit-text-fragment-{scripts}-{case}-{kind}.png"
                engine.screenshot(shot)
                with Image.open(shot) as page:
                    part = io.BytesIO()
                    page.crop(box).save(part, format="PNG")
                shots.append(part.getvalue())
            differing = every_reader.differing_pixels(*shots)
        every_reader.TestTextFragments.check(probed, differing, f"WebKit, {scripts}, {phrase}")

    def test_a_phone_sized_window_is_refused_rather_than_shown_at_another_size(
        self, webkit_scripts: tuple[WebKitEngine, str], server: str
    ) -> None:
        """Why the tests above run at desktop size: the window cannot be phone-narrow, and open_top_level says so."""
        engine, _ = webkit_scripts
        with pytest.raises(ValueError, match=r"cannot show a page at 390x844 \(phone\); it shows \d+x\d+"):
            engine.open_top_level(server, "phone")


# The page's print rules (its own and Material's), added as a stylesheet: the
# engine's own style engine then applies what print would.
APPLY_PRINT_RULES = """() => {
    const rules = [];
    const collect = list => { for (const rule of list) {
        if (rule instanceof CSSMediaRule && /\\bprint\\b/.test(rule.media.mediaText)) {
            for (const inner of rule.cssRules) rules.push(inner.cssText);
        } else if (rule.cssRules) collect(rule.cssRules);
    } };
    for (const sheet of document.styleSheets) collect(sheet.cssRules);
    const sheet = new CSSStyleSheet();
    sheet.replaceSync(rules.join("\\n"));
    document.adoptedStyleSheets = [...document.adoptedStyleSheets, sheet];
    return rules.length;
}"""


class TestAroundTheText:
    """The palette toggle, print and the 404 page."""

    def test_palette_toggle(self, engine: Engine, server: str) -> None:
        engine.open(server)
        assert engine.evaluate("() => document.body.dataset.mdColorScheme") == "default"
        engine.click(visible_palette_toggle(engine))
        dark = engine.wait_for(
            """() => document.body.dataset.mdColorScheme === "slate"
                && getComputedStyle(document.body).backgroundColor"""
        )
        assert dark != "rgb(255, 255, 255)"
        engine.click(visible_palette_toggle(engine))
        light = engine.wait_for(
            """() => document.body.dataset.mdColorScheme === "default"
                && getComputedStyle(document.body).backgroundColor"""
        )
        assert light == "rgb(255, 255, 255)"

    def test_print_shows_only_title_notice_text_and_address(self, engine: Engine, server: str) -> None:
        engine.open(server)
        assert engine.evaluate(APPLY_PRINT_RULES) > 0
        shown = engine.evaluate(
            """() => Object.fromEntries([".md-header", ".md-sidebar--primary", ".md-footer", "a.permalink",
                    "article h1", ".report-notice", ".print-url"]
                .map(s => [s, document.querySelector(s)
                    .checkVisibility({opacityProperty: true, visibilityProperty: true})]))"""
        )
        assert shown == {
            ".md-header": False,
            ".md-sidebar--primary": False,
            ".md-footer": False,
            "a.permalink": False,
            "article h1": True,
            ".report-notice": True,
            ".print-url": True,
        }
        assert engine.evaluate("() => getComputedStyle(document.querySelector('#p-1')).color") == "rgb(0, 0, 0)"

    def test_unknown_address_gets_the_arabic_404_page(self, engine: Engine, server: str) -> None:
        engine.open(server + PAGES["not-found"])
        assert ARABIC_LETTER.search(engine.evaluate("() => document.querySelector('article h1').innerText"))


# Words of the report whose dots WebKit misplaced with the variable Noto Naskh
# Arabic 2.021: dots are components of their own, so each shows as one.
DOTTED_WORDS = ("كازاخستان", "بين", "تقرير", "الروسي", "الكازاخية")
# The report's three words with a diacritic, which every font places as a mark.
DIACRITIC_WORDS = ("عُقد", "حثّ", "يُكشف")
SAMPLE_SIZE = 120  # px, so that each dot is a blob of a few hundred pixels
# How far a component's centre may sit from the reference's: antialiasing and
# rounding move it by a pixel or two; a misplaced dot is off by a dot's size or more.
TOLERANCE = 0.04 * SAMPLE_SIZE
# The word alone over the page, black on white, in the page's own webfont.
# Neither it nor the header (hidden) is position: fixed or sticky, which
# WebKitGTK under Xvfb composites in a layer its screenshots leave black.
SHOW_SAMPLE = """([text, size, weight]) => {
    scrollTo(0, 0);
    document.querySelector(".md-header").style.display = "none";
    const sample = document.createElement("div"), word = document.createElement("span");
    sample.id = "glyph-sample";
    sample.style.cssText = `position: absolute; inset: 0 auto auto 0; width: 100%; height: 100vh; z-index: 100;
        display: flex; align-items: center; justify-content: center; background: #fff`;
    word.textContent = text;
    word.style.cssText = `direction: rtl; font: ${weight} ${size}px/1.5 "Report Naskh"; color: #000;
        display: inline-block; padding: 0 0.5em; background: #fff;
        white-space: nowrap`;
    sample.append(word);
    document.body.append(sample);
    // Loaded, then drawn: two animation frames later the word is on screen.
    const frame = () => new Promise(resolve => requestAnimationFrame(resolve));
    return document.fonts.load(`${weight} ${size}px "Report Naskh"`, text).then(frame).then(frame).then(() => true);
}"""


def ink_components(image: Image.Image) -> list[tuple[float, float, int]]:
    """Each connected blob of ink (darker than mid-grey): its centre and its size in pixels, largest first."""
    mask = image.convert("L").point(lambda value: 255 if value < 128 else 0)
    width, height = mask.size
    pixels = mask.load()
    components = []
    label = 1
    for y in range(height):
        for x in range(width):
            if pixels[x, y] == 255:
                ImageDraw.floodfill(mask, (x, y), label)
                blob = mask.point(lambda value, label=label: 255 if value == label else 0)
                left, top, right, bottom = blob.getbbox()
                area = blob.histogram()[255]
                components.append(((left + right) / 2, (top + bottom) / 2, area))
                label = label % 250 + 1
    return sorted(components, key=lambda component: -component[2])


def misplaced(reference: list[tuple[float, float, int]], drawn: list[tuple[float, float, int]]) -> list[str]:
    """Reference components with no drawn one of similar size within TOLERANCE, both aligned on their largest."""
    (rx, ry, _), (dx, dy, _) = reference[0], drawn[0]
    found = []
    for x, y, area in reference:
        near = [
            (cx - dx, cy - dy)
            for cx, cy, carea in drawn
            if abs((cx - dx) - (x - rx)) <= TOLERANCE
            and abs((cy - dy) - (y - ry)) <= TOLERANCE
            and 0.5 <= carea / area <= 2
        ]
        if not near:
            found.append(f"{area} px at ({x - rx:+.0f}, {y - ry:+.0f}) from the largest")
    return found


def harfbuzz_reference(woff2: bytes, text: str, weight: int) -> Image.Image:
    """``text`` shaped by HarfBuzz (Pillow's Raqm layout) and drawn by FreeType, from the site's own font."""
    ttf = io.BytesIO()
    font = TTFont(io.BytesIO(woff2))
    font.flavor = None
    font.save(ttf)
    ttf.seek(0)
    face = ImageFont.truetype(ttf, SAMPLE_SIZE, layout_engine=ImageFont.Layout.RAQM)
    if "fvar" in font:
        face.set_variation_by_axes([weight])
    left, top, right, bottom = face.getbbox(text, direction="rtl", language="ar")
    image = Image.new("L", (right - left + SAMPLE_SIZE, bottom - top + SAMPLE_SIZE), 255)
    ImageDraw.Draw(image).text(
        (SAMPLE_SIZE // 2 - left, SAMPLE_SIZE // 2 - top), text, font=face, fill=0, direction="rtl", language="ar"
    )
    return image


def placement_errors(engine: Engine, server: str, site: Path, words: tuple[str, ...]) -> dict[str, list[str]]:
    """Each of ``words`` drawn by the engine in the site's Arabic font, against HarfBuzz: what is off."""
    engine.open(server, "desktop")
    # The report page's Arabic face (the one with U+0627 ARABIC LETTER ALEF), inside its <style>.
    font = next(
        data for data in page_fonts(site, "index.html").values() if 0x0627 in TTFont(io.BytesIO(data)).getBestCmap()
    )
    RESULTS.mkdir(parents=True, exist_ok=True)
    wrong = {}
    for word in words:
        engine.evaluate("() => document.getElementById('glyph-sample')?.remove()")
        assert engine.evaluate(SHOW_SAMPLE, [word, SAMPLE_SIZE, 400])
        shot = RESULTS / f"{engine.name}-glyphs-{word}.png"
        engine.element_screenshot("#glyph-sample > span", shot)
        reference = harfbuzz_reference(font, word, 400)
        reference.save(RESULTS / f"harfbuzz-glyphs-{word}.png")
        drawn, expected = ink_components(Image.open(shot)), ink_components(reference)
        problems = misplaced(expected, drawn)
        if len(drawn) != len(expected):
            problems.append(f"{len(drawn)} blobs drawn, {len(expected)} shaped")
        if problems:
            wrong[word] = problems
    return wrong


@pytest.fixture
def webkit_misplaces_marks(request: pytest.FixtureRequest, browser_engine: Engine) -> None:
    """WebKitGTK 2.50 misplaces every mark a font positions (GPOS mark attachment): an expected failure there."""
    if browser_engine.name == "webkit":
        reason = "WebKitGTK misplaces GPOS-positioned marks (harakat) with any font; fails once WebKit is fixed"
        # Only the comparison's failure is expected: an error on the way there (a driver's, a page's) is not.
        request.applymarker(pytest.mark.xfail(strict=True, raises=AssertionError, reason=reason))


class TestMixedDirection:
    """A Latin run in an Arabic line of the provenance page reads in its own order, as drawn."""

    def test_the_english_title_ends_with_its_own_question_mark(self, engine: Engine, server: str) -> None:
        engine.open(server + PAGES["provenance"], "desktop")
        # Where the last two characters of the quoted English title are drawn: without an
        # isolate, the question mark took the Arabic line's direction and went to the far left.
        drawn = engine.evaluate(
            """() => {
                const title = [...document.querySelectorAll("a bdi")]
                    .find(run => run.textContent.endsWith("who is behind this?"));
                if (!title) return null;
                const text = title.firstChild, end = text.length;
                const box = (start) => {
                    const range = document.createRange();
                    range.setStart(text, start);
                    range.setEnd(text, start + 1);
                    const rect = range.getBoundingClientRect();
                    return {left: rect.left, top: rect.top};
                };
                return {lang: title.lang, s: box(end - 2), mark: box(end - 1)};
            }"""
        )
        assert drawn is not None, "no quoted English title ending in 'who is behind this?'"
        assert drawn["lang"] == "en"
        assert abs(drawn["mark"]["top"] - drawn["s"]["top"]) < 2, drawn
        assert drawn["mark"]["left"] > drawn["s"]["left"], f"{engine.name}: the question mark is drawn before 's'"


class TestGlyphPlacement:
    """Each engine draws the report's words with the site's font as HarfBuzz shapes them: every dot in its place.

    Drawn at 400, the Arabic file's one weight; bold is the same glyphs, synthesised.
    """

    def test_dotted_words_match_harfbuzz(self, engine: Engine, server: str, site: Path) -> None:
        assert placement_errors(engine, server, site, DOTTED_WORDS) == {}

    @pytest.mark.usefixtures("webkit_misplaces_marks")
    def test_words_with_diacritics_match_harfbuzz(self, engine: Engine, server: str, site: Path) -> None:
        assert placement_errors(engine, server, site, DIACRITIC_WORDS) == {}


# For each dash that starts a word in the article, at each article width from
# 150 to 400 px: the lines the dash and the letter after it are drawn on.
DASH_AND_LETTER_LINES = """() => {
    const article = document.querySelector("article"), pairs = [];
    const walker = document.createTreeWalker(article, NodeFilter.SHOW_TEXT);
    for (let node = walker.nextNode(); node; node = walker.nextNode()) {
        for (const match of node.data.matchAll(/(?<=^|\\s)-(?=\\p{L})/gu)) {
            const before = node.data.slice(0, match.index) || node.parentElement.previousSibling?.textContent || " ";
            if (/\\s$/.test(before) || match.index === 0) pairs.push([node, match.index]);
        }
    }
    const top = (node, at) => { const range = document.createRange();
        range.setStart(node, at); range.setEnd(node, at + 1); return Math.round(range.getBoundingClientRect().top); };
    const split = [];
    for (let width = 150; width <= 400; width += 2) {
        article.style.width = width + "px";
        for (const [node, at] of pairs) if (top(node, at) !== top(node, at + 1))
            split.push(`${width}px: -${node.data.slice(at + 1, at + 8)}`);
    }
    article.style.width = "";
    return {pairs: pairs.length, split};
}"""


class TestDashes:
    """A dash that starts a word stays on the word's line, at any width (Firefox broke after it)."""

    def test_a_word_initial_dash_stays_with_its_word(self, engine: Engine, server: str) -> None:
        engine.open(server)
        lines = engine.evaluate(DASH_AND_LETTER_LINES)
        source = SOURCE.read_text(encoding="utf-8")
        assert lines["pairs"] == len(re.findall(r"(?<!\S)-(?=[^\W\d_])", source)) > 0
        assert lines["split"] == []
