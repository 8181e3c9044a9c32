"""The self-hosted webfonts, subset to what the built pages can show (text, shown attributes, search texts).

Each page's inline ``<style>`` carries the @font-face rules (``SiteFonts.page_faces``): the faces it draws as it
loads as ``data:`` URLs, so that the HTML's one round trip brings them, the others as files asked for only when a
character needs them. The faces block (``font-display: block``): with the CSS inline the page can paint before a
font is ready, and text would move when the webfont swapped in; after 3 s, the local "Report Naskh Fallback" face,
with the webfont's vertical metrics, draws it.
"""

from __future__ import annotations

import base64
import io
import json
import unicodedata
from dataclasses import dataclass, field
from pathlib import Path

import fontTools
from fontTools.ttLib import TTFont

import sitefonts
from finish.html import Element, FinishError, local_name
from finish.material import CONFIG_SCRIPT_ID
from report2md.source import needs_glyph
from sitefonts import FAMILIES, LICENCE, PAGE_FACES, check_subset, codepoints, pinned_bytes, source_path, subset_font
from sitefonts.cache import kept

FAMILY = "Report Naskh"
FALLBACK = "Report Naskh Fallback"
FALLBACK_LOCAL_NAMES = ("Noto Naskh Arabic", "NotoNaskhArabic-Regular")
REPORT_PAGE = "index.html"
BOLD_TAGS = frozenset({"h1", "h2", "h3", "h4", "h5", "h6", "strong", "b", "th"})
OUTPUT_DIR = "assets/fonts"
STYLESHEET = "assets/stylesheets/report.css"
# Attributes whose values a reader sees or hears; class names and URLs are not shown.
SHOWN_ATTRIBUTES = frozenset({"alt", "title", "placeholder", "aria-label", "value", "data-copied"})
# Material fills "#" in its search texts with a count, and cuts long titles
# with CSS (text-overflow: ellipsis), which draws "…" from the page's font.
ALWAYS = frozenset("0123456789…")
# Shown only on paper (report.css): the page's address after the text (overrides/main.html).
PRINT_ONLY_CLASS = "print-url"
# The JSON data block of the search box's messages (overrides/main.html); like Material's own ids it holds "_",
# which no heading's anchor can (report2md/structure.py), so a heading never takes it.
SEARCH_LABELS_ID = "__report_search_labels"


@dataclass
class PageCharacters:
    """The code points one built page can show, from the widest set to the narrowest (controls left out)."""

    shown: set[int] = field(default_factory=lambda: set(map(ord, ALWAYS)))  # text, print, attributes, search texts
    on_screen: set[int] = field(default_factory=lambda: set(map(ord, ALWAYS)))  # the same without print
    drawn: set[int] = field(default_factory=set)  # drawn as the page loads: its text on screen
    bold: set[int] = field(default_factory=set)  # drawn in bold
    words: set[str] = field(default_factory=set)  # every word it can show, for sitefonts.check_subset

    def add(self, text: str, *sets: set[int]) -> None:
        self.words.update(text.split())
        # Format characters too (U+06DD ARABIC END OF AYAH is drawn; ZWJ and the direction marks join with the
        # glyphs when the font has them); not controls.
        points = {ord(char) for char in text if unicodedata.category(char) != "Cc"}
        for characters in sets:
            characters.update(points)


def page_characters(root: Element) -> PageCharacters:
    """What the page (its tree) can show, in one walk."""
    found = PageCharacters()

    def walk(node: Element, bold: bool, print_only: bool) -> None:
        name = local_name(node)
        for attribute, value in node.attrib.items():
            if attribute in SHOWN_ATTRIBUTES:
                found.add(value, found.shown, found.on_screen)
        if name in ("script", "style"):
            if node.get("id") in (CONFIG_SCRIPT_ID, SEARCH_LABELS_ID):
                # Search texts (Material's, the site's), shown by script once a reader searches; # is the count.
                data = json.loads(node.text or "{}")
                for text in (data.get("translations", {}) if node.get("id") == CONFIG_SCRIPT_ID else data).values():
                    found.add(text.replace("#", ""), found.shown, found.on_screen)
        else:
            bold = bold or name in BOLD_TAGS
            print_only = print_only or PRINT_ONLY_CLASS in node.get("class", "").split()
            sets = (found.shown,) if print_only else (found.shown, found.on_screen, found.drawn)
            sets += (found.bold,) if bold and not print_only else ()
            found.add(node.text or "", *sets)
            for child in node:
                walk(child, bold, print_only)
                found.add(child.tail or "", *sets)

    walk(root, False, False)
    return found


def unicode_range(codepoints: set[int]) -> str:
    """CSS unicode-range for exactly these code points, consecutive ones merged."""
    ranges: list[tuple[int, int]] = []
    for code in sorted(codepoints):
        if ranges and code == ranges[-1][1] + 1:
            ranges[-1] = (ranges[-1][0], code)
        else:
            ranges.append((code, code))
    return ",".join(f"U+{a:X}" if a == b else f"U+{a:X}-{b:X}" for a, b in ranges)


def font_face(name: str, codepoints: set[int], data: bytes | None = None) -> str:
    """One face of FAMILY: its file (``../fonts/``, from the stylesheets' folder), or ``data`` inside the rule."""
    source = _data_url(data) if data else f"../fonts/{name}.woff2"
    return (
        f'@font-face{{font-family:"{FAMILY}";font-style:normal;font-weight:400 700;font-display:block;'
        f'src:url("{source}") format("woff2");unicode-range:{unicode_range(codepoints)}}}\n'
    )


def fallback_face(source: Path) -> str:
    """A local face with the webfont's vertical metrics, shown until the webfont has loaded."""
    font = TTFont(io.BytesIO(pinned_bytes(source)), lazy=True)
    units = font["head"].unitsPerEm
    hhea = font["hhea"]
    local = ",".join(f'local("{name}")' for name in FALLBACK_LOCAL_NAMES)
    return (
        f'@font-face{{font-family:"{FALLBACK}";src:{local};'
        f"ascent-override:{100 * hhea.ascent / units:g}%;descent-override:{100 * -hhea.descent / units:g}%;"
        f"line-gap-override:{100 * hhea.lineGap / units:g}%}}\n"
    )


def _data_url(data: bytes) -> str:
    return f"data:font/woff2;base64,{base64.b64encode(data).decode()}"


@dataclass
class SiteFonts:
    """The subset fonts of a site: files for OUTPUT_DIR, rules for the stylesheet, the faces, and fonts per page."""

    files: dict[str, bytes] = field(default_factory=dict)
    rules: str = ""  # the font stack's custom properties and the fallback face, for the stylesheet
    faces: dict[str, set[int]] = field(default_factory=dict)  # name of a font file (no .woff2): its code points
    drawn: dict[str, list[str]] = field(default_factory=dict)  # page: names of the font files it draws as it loads

    def published_files(self) -> dict[str, bytes]:
        """The licences, and the fonts a page links (one that every page carries inside is not published)."""
        linked = {f"{name}.woff2" for name in self.faces if any(name not in drawn for drawn in self.drawn.values())}
        return {name: data for name, data in self.files.items() if not name.endswith(".woff2") or name in linked}

    def page_faces(self, page: str) -> str:
        """The @font-face rules of ``page``: the faces it draws as it loads inside them, the others as their files."""
        return "".join(
            font_face(name, codepoints, self.files[f"{name}.woff2"] if name in self.drawn[page] else None)
            for name, codepoints in self.faces.items()
        )

    def drawn_font_urls(self, page: str) -> list[str]:
        """The data: URLs of the faces ``page`` draws as it loads, as its @font-face rules name them (to preload)."""
        return [_data_url(self.files[f"{name}.woff2"]) for name in self.drawn[page]]


def checked_subset(source: Path, points: set[int], weight: int | None, words: set[str], cache: Path | None) -> bytes:
    """The font cut to ``points``, each of ``words`` drawn with the pinned original's glyphs (sitefonts.check_subset).

    About a second a build: kept in ``cache`` by all it depends on, and the code of this module and sitefonts.
    """

    def make() -> bytes:
        data = subset_font(source, points, weight=weight)
        check_subset(source, data, words, weight=weight)
        return data

    key = (pinned_bytes(source), sorted(points), weight, sorted(words), fontTools.version)
    return kept(cache, key, [Path(__file__), Path(sitefonts.__file__)], ".woff2", make)


def subset_site(characters: dict[str, PageCharacters], fonts_dir: Path, cache: Path | None = None) -> SiteFonts:
    """Subset the fonts to the characters of the pages (path in the site: what it shows); fail on one no font has."""
    remaining = set().union(*(of_page.shown for of_page in characters.values()))
    words = set().union(*(of_page.words for of_page in characters.values()))
    # What the report page shows on screen; its printed address comes from the -more file.
    report_page = characters[REPORT_PAGE]
    # Material reads the fonts from these variables (theme.font is false); code too: no system font draws a character.
    stack = f'"{FAMILY}","{FALLBACK}"'
    site = SiteFonts(rules=f":root{{--md-text-font:{stack};--md-code-font:{stack}}}\n")
    site.rules += fallback_face(source_path(PAGE_FACES[0], fonts_dir))
    for face in PAGE_FACES:
        source = source_path(face, fonts_dir)
        covered = remaining & codepoints(source)
        remaining -= covered
        parts = [(face.name, covered, None)]
        if face.split:
            report_part = covered & report_page.on_screen
            weight = None if report_part & report_page.bold else 400
            parts = [(face.name, report_part, weight), (f"{face.name}-more", covered - report_page.on_screen, None)]
        for name, points, weight in parts:
            if points:
                site.files[f"{name}.woff2"] = checked_subset(source, points, weight, words, cache)
                site.faces[name] = points
    shown = sorted(chr(code) for code in remaining if needs_glyph(chr(code)))
    if shown:
        raise FinishError(f"no font in fonts/ has {shown}; add a face to sitefonts.FACES")
    for family in FAMILIES:
        site.files[f"{family}-{LICENCE}"] = pinned_bytes(fonts_dir / family / LICENCE)
    site.drawn = {
        page: [name for name, points in site.faces.items() if points & characters[page].drawn] for page in characters
    }
    return site
