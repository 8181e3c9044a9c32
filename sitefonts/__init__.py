"""The font helper: which source fonts the site ships, what they can draw, and static instances of them.

``FACES`` is the one list of source font files (in fonts/, each family's
folder with its OFL licence). The page fonts (hooks/fonts.py), the
link-preview cards (hooks/social.py) and the converter's coverage check
all read it through the functions here. Pure functions of the files; no
MkDocs import.
"""

from __future__ import annotations

import io
from dataclasses import dataclass
from functools import cache
from pathlib import Path

from fontTools import subset
from fontTools.merge import Merger
from fontTools.ttLib import TTFont
from fontTools.varLib.instancer import instantiateVariableFont

FONTS_DIR = Path(__file__).resolve().parent.parent / "fonts"
LICENCE = "OFL.txt"


@dataclass(frozen=True)
class Face:
    """One source font. The first face takes every character it has, so the Naskh faces come first.

    A ``split`` face becomes two page files: the characters the report page
    shows, and (as ``<name>-more``) those only other pages use. Arabic is
    never split: letters drawn from two files would not join. ``page`` faces
    are subset for the pages; ``card`` faces are merged into the font of the
    link-preview cards.
    """

    source: str  # in FONTS_DIR; its folder holds the licence, published as <folder>-OFL.txt
    name: str  # published as assets/fonts/<name>.woff2
    split: bool = False
    page: bool = True
    card: bool = False


FACES = (
    # The pages' Arabic: Noto Naskh Arabic 2.004 Regular (Debian's fonts-noto-core), whose dots are
    # part of each letter; WebKitGTK misplaces the dots 2.021 positions as marks (tests/test_engines.py).
    # It also draws bold Arabic: a bold subset of the headings would add 7.9 KB before the first paint (README).
    Face("noto-naskh-arabic/NotoNaskhArabic-Regular.ttf", "naskh-arabic"),
    # The cards' Arabic (Pillow and Raqm draw it well), variable in weight for the bold title.
    Face("noto-naskh-arabic/noto-naskh-arabic-arabic-wght-normal.woff2", "naskh-arabic-card", page=False, card=True),
    Face("noto-naskh-arabic/noto-naskh-arabic-latin-wght-normal.woff2", "naskh-latin", split=True, card=True),
    Face("noto-serif/noto-serif-cyrillic-wght-normal.woff2", "serif-cyrillic"),
)
PAGE_FACES = tuple(face for face in FACES if face.page)
CARD_FACES = tuple(face for face in FACES if face.card)
# The folders of FACES, each holding its family's licence.
FAMILIES = tuple(sorted({Path(face.source).parent for face in FACES}))


def source_path(face: Face, fonts_dir: Path = FONTS_DIR) -> Path:
    return fonts_dir / face.source


def missing_files(fonts_dir: Path = FONTS_DIR) -> list[str]:
    """The font and licence files FACES names that are not in ``fonts_dir``."""
    needed = [face.source for face in FACES] + [f"{family}/{LICENCE}" for family in FAMILIES]
    return [name for name in needed if not (fonts_dir / name).is_file()]


@cache
def codepoints(path: Path) -> frozenset[int]:
    """Every character the font at ``path`` maps to a glyph."""
    return frozenset(TTFont(path, lazy=True).getBestCmap())


def covered(fonts_dir: Path = FONTS_DIR, faces: tuple[Face, ...] = PAGE_FACES) -> frozenset[int]:
    """Every character one of ``faces`` (in ``fonts_dir``) can draw."""
    return frozenset().union(*(codepoints(source_path(face, fonts_dir)) for face in faces))


def uncovered(text: str, characters: frozenset[int]) -> list[str]:
    """The distinct characters of ``text`` outside ``characters``, white space aside, in order of appearance."""
    return list(dict.fromkeys(char for char in text if not char.isspace() and ord(char) not in characters))


def instance(path: Path, weight: int | None) -> TTFont:
    """The font at ``path`` at ``weight`` when it is variable, as plain TrueType (whatever the file's flavor)."""
    font = TTFont(path, recalcTimestamp=False)
    font.flavor = None
    if weight is not None and "fvar" in font:
        font = instantiateVariableFont(font, {"wght": weight}, updateFontNames=False)
    return font


def subset_options() -> subset.Options:
    """Keep every layout feature and name, so Arabic still joins and shapes."""
    options = subset.Options()
    options.layout_features = ["*"]
    options.name_IDs = ["*"]
    options.notdef_outline = True
    options.hinting = False
    return options


def static_font(paths: list[Path], weight: int) -> bytes:
    """One static TrueType file of ``weight`` holding every glyph of ``paths`` (one family, split by script)."""
    buffers, taken = [], set()
    for path in paths:
        font = instance(path, weight)
        # Each character from the first font that has it, so adding a font changes nothing already drawn.
        own = set(font.getBestCmap()) - taken
        taken |= own
        if buffers:
            subsetter = subset.Subsetter(subset_options())
            subsetter.populate(unicodes=own)
            subsetter.subset(font)
        buffer = io.BytesIO()
        font.save(buffer)
        buffer.seek(0)
        buffers.append(buffer)
    merged = Merger().merge(buffers) if len(buffers) > 1 else TTFont(buffers[0])
    out = io.BytesIO()
    merged.save(out)
    return out.getvalue()
