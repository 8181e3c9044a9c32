"""Self-hosted webfont, subset at build time to the characters the site uses.

The source fonts (fonts/, each family with its OFL licence) are Fontsource's
Arabic and Latin subsets of Noto Naskh Arabic, variable in weight (400-700),
so one file per script serves both body text and bold headings, and the
Cyrillic subset of Noto Serif for the Russian title the provenance page
quotes. After the pages are built,
this hook reads every character they can show (text, attribute values and
Material's search interface texts from its configuration script),
keeps only those glyphs, with all OpenType layout features, so Arabic still
joins and shapes, and writes woff2 files plus matching @font-face rules whose
unicode-range lists exactly the characters each file covers.
"""

from __future__ import annotations

import io
import json
import shutil
from html.parser import HTMLParser
from pathlib import Path

from fontTools import subset
from fontTools.ttLib import TTFont
from mkdocs.config.defaults import MkDocsConfig
from mkdocs.exceptions import PluginError

FAMILY = "Report Naskh"
SOURCE_DIR = Path("fonts")
LICENCE = "OFL.txt"
# (source file in SOURCE_DIR, published name); the first font takes every
# character it has, so the Naskh faces come first. Each family's folder holds
# its licence, published as <family>-OFL.txt.
FACES = (
    ("noto-naskh-arabic/noto-naskh-arabic-arabic-wght-normal.woff2", "naskh-arabic"),
    ("noto-naskh-arabic/noto-naskh-arabic-latin-wght-normal.woff2", "naskh-latin"),
    ("noto-serif/noto-serif-cyrillic-wght-normal.woff2", "serif-cyrillic"),
)
OUTPUT_DIR = "assets/fonts"
STYLESHEET = "assets/stylesheets/report.css"


# Attributes whose values a reader sees or hears; class names and URLs are not shown.
SHOWN_ATTRIBUTES = frozenset({"alt", "title", "placeholder", "aria-label", "value", "data-copied"})
# Material fills "#" in its search texts with a count.
ALWAYS = frozenset("0123456789")


class _Characters(HTMLParser):
    """Collects every character a page can show: text, shown attributes, Material's interface texts."""

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.characters: set[str] = set(ALWAYS)
        self._inside: str | None = None

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        for name, value in attrs:
            if name in SHOWN_ATTRIBUTES:
                self.characters.update(value or "")
        if tag in ("script", "style"):
            self._inside = "config" if ("id", "__config") in attrs else tag

    def handle_endtag(self, tag: str) -> None:
        if tag in ("script", "style"):
            self._inside = None

    def handle_data(self, data: str) -> None:
        if self._inside is None:
            self.characters.update(data)
        elif self._inside == "config":
            # Material's search interface texts, shown by its JavaScript.
            for text in json.loads(data).get("translations", {}).values():
                self.characters.update(text)


def characters_used(site_dir: Path) -> set[str]:
    """Every character that any built page can show, whitespace controls excluded."""
    parser = _Characters()
    for page in sorted(site_dir.rglob("*.html")):
        parser.feed(page.read_text(encoding="utf-8"))
        parser.close()
    return {char for char in parser.characters if char.isprintable()}


def subset_font(source: Path, codepoints: set[int]) -> bytes:
    """The font cut down to ``codepoints`` and their shaping closure, as woff2."""
    options = subset.Options()
    options.flavor = "woff2"
    options.layout_features = ["*"]
    options.name_IDs = ["*"]
    options.notdef_outline = True
    options.hinting = False
    font = TTFont(source, recalcTimestamp=False)
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


def on_config(config: MkDocsConfig) -> MkDocsConfig:
    """Check the source fonts are there; name the body font's file for the preload in overrides/main.html."""
    root = Path(config.config_file_path).resolve().parent
    needed = [name for name, _ in FACES] + sorted({f"{Path(name).parent}/{LICENCE}" for name, _ in FACES})
    missing = [name for name in needed if not (root / SOURCE_DIR / name).is_file()]
    if missing:
        raise PluginError(f"hooks/fonts.py: missing source font(s) in {SOURCE_DIR}/: {', '.join(missing)}")
    config.extra["fonts"] = {"preload": f"{OUTPUT_DIR}/{FACES[0][1]}.woff2"}
    return config


def on_post_build(config: MkDocsConfig) -> None:
    """Subset the fonts to the built pages' characters and prepend @font-face rules to the stylesheet."""
    root = Path(config.config_file_path).resolve().parent
    site_dir = Path(config.site_dir)
    remaining = {ord(char) for char in characters_used(site_dir)}
    output = site_dir / OUTPUT_DIR
    output.mkdir(parents=True, exist_ok=True)
    # Material reads the fonts from these variables (theme.font is false).
    # Code (hashes, file names) too: no character may fall back to a system font.
    rules = [f':root{{--md-text-font:"{FAMILY}";--md-code-font:"{FAMILY}"}}\n']
    for source_name, name in FACES:
        source = root / SOURCE_DIR / source_name
        covered = remaining & set(TTFont(source, lazy=True).getBestCmap())
        if not covered:
            continue
        remaining -= covered
        data = subset_font(source, covered)
        (output / f"{name}.woff2").write_bytes(data)
        rules.append(font_face(name, covered))
    for family in sorted({Path(source_name).parent for source_name, _ in FACES}):
        shutil.copyfile(root / SOURCE_DIR / family / LICENCE, output / f"{family}-{LICENCE}")
    stylesheet = site_dir / STYLESHEET
    stylesheet.write_text("".join(rules) + stylesheet.read_text(encoding="utf-8"), encoding="utf-8")
