"""Self-hosted webfont, subset at build time to the characters the site uses.

The source fonts (fonts/, each family with its OFL licence) are Noto Naskh
Arabic 2.004 Regular for Arabic (static, also for bold text), Fontsource's
Latin subset of Noto Naskh Arabic, variable in weight (400-700), and the
Cyrillic subset of Noto Serif for the Russian title the provenance page
quotes. After the pages are built, this hook reads every character they
can show (text, attribute values and Material's search interface texts from
its configuration script), keeps only those glyphs, with all OpenType layout
features, so Arabic still joins and shapes, and writes woff2 files plus
matching @font-face rules whose unicode-range lists exactly the characters
each file covers. A build fails if a shown character is in no font.

Each page then preloads the files it draws with as it loads, right after
its charset, ahead of the Content-Security-Policy ``<meta>`` (hooks/csp.py).
Chromium's preload scanner fetches nothing on such a page until the parser
has read the ``<meta>``, so the parser itself starts these fetches, first,
as it passes them. Further down they would wait for the stylesheets: the
parser stops at Material's first inline script until those have arrived.
So the fonts come with the stylesheets, and the first paint is already in
them.

Should a webfont still be late, text is set in a local "Report Naskh Fallback"
face (the system's Noto Naskh Arabic, as on Android) whose ascent, descent
and line gap are overridden with the webfont's own, read from its file, so
the swap does not move lines. The stylesheet is then minified (rcssmin).
"""

from __future__ import annotations

import io
import json
import re
import shutil
from dataclasses import dataclass
from html.parser import HTMLParser
from pathlib import Path

import rcssmin
from fontTools import subset
from fontTools.ttLib import TTFont
from fontTools.varLib.instancer import instantiateVariableFont
from mkdocs.config.defaults import MkDocsConfig
from mkdocs.exceptions import PluginError
from shared import FONTS_DIR, project_root

FAMILY = "Report Naskh"
SOURCE_DIR = FONTS_DIR
LICENCE = "OFL.txt"
FALLBACK = "Report Naskh Fallback"
FALLBACK_LOCAL_NAMES = ("Noto Naskh Arabic", "NotoNaskhArabic-Regular")


@dataclass(frozen=True)
class Face:
    """One source font. The first face takes every character it has, so the Naskh faces come first.

    A ``split`` face becomes two files: the characters the report page shows,
    and (as ``<name>-more``) those only other pages use, so the report page
    does not download the provenance page's Latin (hashes, file and tool
    names). When the report page shows none of its characters in bold, its
    part is a static regular instance, about 40% smaller, still declared for
    weights 400-700 so that bold text found by search (result titles) takes
    the regular letters rather than another font. Arabic is never split:
    letters drawn from two files would not join.
    """

    source: str  # in SOURCE_DIR; its folder holds the licence, published as <folder>-OFL.txt
    name: str  # published as assets/fonts/<name>.woff2
    split: bool = False


FACES = (
    # Static 2.004 Regular (Debian's fonts-noto-core), not shared.NASKH_ARABIC
    # (2.021): its dots are part of each letter, while 2.021 places them as
    # marks, which WebKitGTK misplaces (tests/test_engines.py). It also draws
    # bold Arabic: a bold file would not fit the font budget.
    Face("noto-naskh-arabic/NotoNaskhArabic-Regular.ttf", "naskh-arabic"),
    Face("noto-naskh-arabic/noto-naskh-arabic-latin-wght-normal.woff2", "naskh-latin", split=True),
    Face("noto-serif/noto-serif-cyrillic-wght-normal.woff2", "serif-cyrillic"),
)
# The folders of FACES, each holding its family's licence.
FAMILIES = sorted({Path(face.source).parent for face in FACES})
REPORT_PAGE = "index.html"
BOLD_TAGS = frozenset({"h1", "h2", "h3", "h4", "h5", "h6", "strong", "b", "th"})
OUTPUT_DIR = "assets/fonts"
STYLESHEET = "assets/stylesheets/report.css"


# Attributes whose values a reader sees or hears; class names and URLs are not shown.
SHOWN_ATTRIBUTES = frozenset({"alt", "title", "placeholder", "aria-label", "value", "data-copied"})
# Material fills "#" in its search texts with a count, and cuts long titles
# with CSS (text-overflow: ellipsis), which draws "…" from the page's font.
ALWAYS = frozenset("0123456789…")


# Shown only on paper (report.css): the page's address after the text.
PRINT_ONLY_CLASS = "print-url"


@dataclass
class PageCharacters:
    """The code points one built page can show, from the widest set to the narrowest (whitespace controls left out)."""

    shown: set[int]  # anything: text, also in print, shown attributes, Material's search texts
    on_screen: set[int]  # the same without what only print shows
    drawn: set[int]  # drawn as the page loads: its text on screen, no attribute values or later search texts
    bold: set[int]  # drawn in bold


class _Characters(HTMLParser):
    """Collects, in one pass, the characters of a page in each of PageCharacters' sets."""

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.shown: set[str] = set(ALWAYS)
        self.on_screen: set[str] = set(ALWAYS)
        self.drawn: set[str] = set()
        self.bold: set[str] = set()
        self._bold_depth = 0
        # What we are inside of ("config", "script", "style", "print"), and its tag.
        self._inside: str | None = None
        self._inside_tag: str | None = None

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        self._bold_depth += tag in BOLD_TAGS
        for name, value in attrs:
            if name in SHOWN_ATTRIBUTES:
                self.shown.update(value or "")
                self.on_screen.update(value or "")
        if tag in ("script", "style"):
            self._inside, self._inside_tag = ("config" if ("id", "__config") in attrs else tag), tag
        elif PRINT_ONLY_CLASS in (dict(attrs).get("class") or "").split():
            self._inside, self._inside_tag = "print", tag

    def handle_endtag(self, tag: str) -> None:
        self._bold_depth -= tag in BOLD_TAGS and self._bold_depth > 0
        if tag == self._inside_tag:
            self._inside = self._inside_tag = None

    def handle_data(self, data: str) -> None:
        if self._inside is None:
            for characters in (self.shown, self.on_screen, self.drawn):
                characters.update(data)
            if self._bold_depth:
                self.bold.update(data)
        elif self._inside == "print":
            self.shown.update(data)
        elif self._inside == "config":
            # Material's search interface texts, shown by its JavaScript once a reader searches.
            for text in json.loads(data).get("translations", {}).values():
                self.shown.update(text.replace("#", ""))
                self.on_screen.update(text.replace("#", ""))


def page_characters(html: str) -> PageCharacters:
    """What this built page can show, read from its HTML."""
    parser = _Characters()
    parser.feed(html)
    parser.close()

    def code_points(characters: set[str]) -> set[int]:
        return {ord(char) for char in characters if char.isprintable()}

    return PageCharacters(*map(code_points, (parser.shown, parser.on_screen, parser.drawn, parser.bold)))


def subset_font(source: Path, codepoints: set[int], *, weight: int | None = None) -> bytes:
    """The font cut down to ``codepoints`` and their shaping closure, as woff2; one ``weight`` if given."""
    options = subset.Options()
    options.flavor = "woff2"
    options.layout_features = ["*"]
    options.name_IDs = ["*"]
    options.notdef_outline = True
    options.hinting = False
    font = TTFont(source, recalcTimestamp=False)
    if weight is not None:
        font = instantiateVariableFont(font, {"wght": weight}, updateFontNames=False)
    subsetter = subset.Subsetter(options)
    subsetter.populate(unicodes=codepoints)
    subsetter.subset(font)
    buffer = io.BytesIO()
    font.save(buffer, reorderTables=True)
    return buffer.getvalue()


def unicode_range(codepoints: set[int]) -> str:
    """CSS unicode-range for exactly these code points, consecutive ones merged."""
    ranges: list[tuple[int, int]] = []
    for code in sorted(codepoints):
        if ranges and code == ranges[-1][1] + 1:
            ranges[-1] = (ranges[-1][0], code)
        else:
            ranges.append((code, code))
    return ",".join(f"U+{a:X}" if a == b else f"U+{a:X}-{b:X}" for a, b in ranges)


def font_face(name: str, codepoints: set[int]) -> str:
    return (
        f'@font-face{{font-family:"{FAMILY}";font-style:normal;font-weight:400 700;font-display:swap;'
        f'src:url("../fonts/{name}.woff2") format("woff2");unicode-range:{unicode_range(codepoints)}}}\n'
    )


def fallback_face(source: Path) -> str:
    """A local face with the webfont's vertical metrics, shown until the webfont has loaded."""
    font = TTFont(source, lazy=True)
    units = font["head"].unitsPerEm
    hhea = font["hhea"]
    local = ",".join(f'local("{name}")' for name in FALLBACK_LOCAL_NAMES)
    return (
        f'@font-face{{font-family:"{FALLBACK}";src:{local};'
        f"ascent-override:{100 * hhea.ascent / units:g}%;descent-override:{100 * -hhea.descent / units:g}%;"
        f"line-gap-override:{100 * hhea.lineGap / units:g}%}}\n"
    )


_CHARSET = '<meta charset="utf-8">'
# How the page links its stylesheet gives the way to the site's root from it
# ("../", or "/report/" on the 404 page, which is served at any depth).
_STYLESHEET_HREF = re.compile(rf'<link rel="stylesheet" href="(?P<root>[^"]*){re.escape(STYLESHEET)}"')


def add_preloads(html: str, fonts: list[str]) -> str:
    """The page with a preload for each of ``fonts`` (names in OUTPUT_DIR) right after its charset."""
    stylesheet = _STYLESHEET_HREF.search(html)
    if stylesheet is None or _CHARSET not in html:
        raise PluginError(f"hooks/fonts.py: a page has no {_CHARSET} or does not link {STYLESHEET}")
    links = "".join(
        f'\n    <link rel="preload" href="{stylesheet["root"]}{OUTPUT_DIR}/{name}.woff2"'
        ' as="font" type="font/woff2" crossorigin>'
        for name in fonts
    )
    return html.replace(_CHARSET, _CHARSET + links, 1)


def on_config(config: MkDocsConfig) -> MkDocsConfig:
    """Check the source fonts are there."""
    root = project_root(config)
    needed = [face.source for face in FACES] + [f"{family}/{LICENCE}" for family in FAMILIES]
    missing = [name for name in needed if not (root / SOURCE_DIR / name).is_file()]
    if missing:
        raise PluginError(f"hooks/fonts.py: missing source font(s) in {SOURCE_DIR}/: {', '.join(missing)}")
    return config


def on_post_build(config: MkDocsConfig) -> None:
    """Subset the fonts to the built pages' characters, prepend @font-face rules to the stylesheet, minify it.

    Then add to each page preloads for the files it draws with as it loads.
    """
    root = project_root(config)
    site_dir = Path(config.site_dir)
    pages = {page: page.read_text(encoding="utf-8") for page in sorted(site_dir.rglob("*.html"))}
    characters = {page: page_characters(html) for page, html in pages.items()}
    remaining = set().union(*(of_page.shown for of_page in characters.values()))
    # What the report page shows on screen; its printed address comes from the -more file.
    on_report_page = characters[site_dir / REPORT_PAGE].on_screen
    bold_on_report_page = characters[site_dir / REPORT_PAGE].bold
    output = site_dir / OUTPUT_DIR
    output.mkdir(parents=True, exist_ok=True)
    # Material reads the fonts from these variables (theme.font is false).
    # Code (hashes, file names) too: no character may fall back to a system font.
    stack = f'"{FAMILY}","{FALLBACK}"'
    rules = [
        f":root{{--md-text-font:{stack};--md-code-font:{stack}}}\n",
        fallback_face(root / SOURCE_DIR / FACES[0].source),
    ]
    written: dict[str, set[int]] = {}  # file name: its code points
    for face in FACES:
        source = root / SOURCE_DIR / face.source
        covered = remaining & set(TTFont(source, lazy=True).getBestCmap())
        remaining -= covered
        if not face.split:
            parts = [(face.name, covered, None)]
        else:
            report_part = covered & on_report_page
            weight = None if report_part & bold_on_report_page else 400
            parts = [(face.name, report_part, weight), (f"{face.name}-more", covered - on_report_page, None)]
        for name, codepoints, weight in parts:
            if codepoints:
                (output / f"{name}.woff2").write_bytes(subset_font(source, codepoints, weight=weight))
                rules.append(font_face(name, codepoints))
                written[name] = codepoints
    shown = sorted(chr(code) for code in remaining if not chr(code).isspace())
    if shown:
        raise PluginError(f"hooks/fonts.py: no font in {SOURCE_DIR}/ has {shown}; add a face to FACES")
    for family in FAMILIES:
        shutil.copyfile(root / SOURCE_DIR / family / LICENCE, output / f"{family}-{LICENCE}")
    stylesheet = site_dir / STYLESHEET
    css = "".join(rules) + stylesheet.read_text(encoding="utf-8")
    stylesheet.write_text(rcssmin.cssmin(css), encoding="utf-8")
    for page, html in pages.items():
        fonts = [name for name, codepoints in written.items() if codepoints & characters[page].drawn]
        page.write_text(add_preloads(html, fonts), encoding="utf-8")
