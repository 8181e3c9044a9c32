"""The site's source fonts (``FACES``, in fonts/), each file pinned by its SHA-256, and what they draw.

A font is code the reader's browser runs on the text: one whose character map draws "2" as "7" changes what the
page says without a byte of the HTML changing. So every read of a font goes through ``pinned_bytes``, and
``check_subset`` checks that a subset draws each word as its pinned original does. No MkDocs import.
"""

from __future__ import annotations

import functools
import hashlib
import io
import unicodedata
from collections.abc import Iterable
from dataclasses import dataclass
from itertools import groupby
from pathlib import Path

import uharfbuzz as hb
from fontTools import subset
from fontTools.merge import Merger
from fontTools.pens.recordingPen import RecordingPen
from fontTools.ttLib import TTFont
from fontTools.varLib.instancer import instantiateVariableFont

FONTS_DIR = Path(__file__).resolve().parent.parent / "fonts"
LICENCE = "OFL.txt"
# Larger than any file pinned here (the largest, a font, is 170 KB): a larger file is not the pinned one, and is
# refused unread (a sparse terabyte would exhaust memory).
MAX_FONT_BYTES = 10_000_000


class FontError(ValueError):
    """A font or licence file is not the pinned one, or a subset draws a word otherwise than its original."""


@dataclass(frozen=True)
class Pin:
    """The one file a name in fonts/ may hold, and where it comes from, so that anyone can fetch it again."""

    sha256: str
    origin: str


@dataclass(frozen=True)
class Face:
    """One source font; the first face that has a character draws it, so the Naskh faces come first.

    A ``split`` face gives two page files: what the report page shows, and (``<name>-more``) what other pages use;
    Arabic is never split, as letters from two files would not join. ``card`` faces make the link-preview cards' font.
    """

    source: str  # in FONTS_DIR; its folder holds the licence, published as <folder>-OFL.txt
    name: str  # published as assets/fonts/<name>.woff2
    pin: Pin
    split: bool = False
    page: bool = True
    card: bool = False


# Fontsource's packages on the npm registry, whose files/ folder the .woff2 files were taken from unchanged.
FONTSOURCE_NASKH = "npm package @fontsource-variable/noto-naskh-arabic 5.3.0"
FONTSOURCE_SERIF = "npm package @fontsource-variable/noto-serif 5.3.0"

FACES = (
    # The pages' Arabic: Noto Naskh Arabic 2.004 Regular (Debian's fonts-noto-core), whose dots are
    # part of each letter; WebKitGTK misplaces the dots 2.021 positions as marks (tests/test_engines.py).
    # It also draws bold Arabic: a bold subset of the headings would add 7.9 KB before the first paint (README).
    Face(
        "noto-naskh-arabic/NotoNaskhArabic-Regular.ttf",
        "naskh-arabic",
        Pin(
            "d6fbfe729ae299f647df403bd583f804b2a71a1e79b39539bb518a4283dab063",
            "Noto Naskh Arabic 2.004 Regular from Debian 12's fonts-noto-core 20201225-1, cut down by the "
            "pyftsubset command in fonts/noto-naskh-arabic/README.md, which gives these very bytes",
        ),
    ),
    # The cards' Arabic (Pillow and Raqm draw it well), variable in weight for the bold title.
    Face(
        "noto-naskh-arabic/noto-naskh-arabic-arabic-wght-normal.woff2",
        "naskh-arabic-card",
        Pin(
            "2a10d33e1f7129ab2b6ec76666e82ac5b509fbcfa7b4a3a1289bff42d2d64cd7",
            f"Noto Naskh Arabic 2.021, variable, Arabic part: {FONTSOURCE_NASKH}",
        ),
        page=False,
        card=True,
    ),
    Face(
        "noto-naskh-arabic/noto-naskh-arabic-latin-wght-normal.woff2",
        "naskh-latin",
        Pin(
            "2a30d48ddf0a75254b40b236fcfe789aed180526224ccb5089fd0b49999e0ec0",
            f"Noto Naskh Arabic 2.021, variable, Latin part: {FONTSOURCE_NASKH}",
        ),
        split=True,
        card=True,
    ),
    Face(
        "noto-serif/noto-serif-cyrillic-wght-normal.woff2",
        "serif-cyrillic",
        Pin(
            "54e3bd0c4a002b0f76bf9c758507fe9bb170f9e364ea4ecc85fc8b22819bca7e",
            f"Noto Serif 2.015, variable, Cyrillic part: {FONTSOURCE_SERIF}",
        ),
    ),
)
PAGE_FACES = tuple(face for face in FACES if face.page)
CARD_FACES = tuple(face for face in FACES if face.card)
# The folders of FACES, each holding its family's licence.
FAMILIES = tuple(sorted({Path(face.source).parent for face in FACES}))
# Each family's licence, published with its fonts.
LICENCES = {
    "noto-naskh-arabic": Pin(
        "8cbbb491ba0bc360067d386c0602d0e1bee8c751ab9142144c92af7223e7b8b7",
        f"the LICENSE of {FONTSOURCE_NASKH}, with a line for the copyright of the 2.004 Regular",
    ),
    "noto-serif": Pin(
        "45d545469122348b916bfa4d362f691c3f7f3af7169fd46f920845cae97923df",
        f"the LICENSE of {FONTSOURCE_SERIF}",
    ),
}


if unlicensed := [str(family) for family in FAMILIES if str(family) not in LICENCES]:
    raise FontError(f"sitefonts.LICENCES pins no {LICENCE} for the font folder(s) {', '.join(unlicensed)}")
# Every file the site reads from fonts/, by its name there.
PINS = {face.source: face.pin for face in FACES} | {f"{family}/{LICENCE}": pin for family, pin in LICENCES.items()}


def pinned_bytes(path: Path) -> bytes:
    """The bytes of ``<fonts dir>/<family>/<file>`` if they are the pinned ones; else a FontError naming the file."""
    pin = PINS.get(f"{path.parent.name}/{path.name}")
    if pin is None:
        raise FontError(f"{path}: not a pinned font file (sitefonts pins {', '.join(PINS)})")
    if path.is_symlink() or not path.is_file():
        what = "a link" if path.is_symlink() else "missing or not a file"
        raise FontError(f"{path}: {what}; expected the pinned regular file ({pin.origin})")
    with path.open("rb") as stream:
        data = stream.read(MAX_FONT_BYTES + 1)
    if len(data) > MAX_FONT_BYTES:
        size = f"over {MAX_FONT_BYTES:,} bytes (MAX_FONT_BYTES)"
        raise FontError(f"{path}: {size}, so not the pinned file ({pin.origin})")
    found = hashlib.sha256(data).hexdigest()
    if found != pin.sha256:
        raise FontError(
            f"{path} is not the pinned file: expected SHA-256 {pin.sha256} ({pin.origin}), found {found}; "
            "put the pinned file back, or pin the new one in sitefonts"
        )
    return data


def check_pins(fonts_dir: Path = FONTS_DIR) -> None:
    """Stop before anything is built when a pinned file in ``fonts_dir`` is wrong: one FontError names each."""
    problems = []
    for name in PINS:
        try:
            pinned_bytes(fonts_dir / name)
        except FontError as error:
            problems.append(str(error))
    if problems:
        raise FontError("; ".join(problems))


def source_path(face: Face, fonts_dir: Path = FONTS_DIR) -> Path:
    return fonts_dir / face.source


def codepoints(path: Path) -> frozenset[int]:
    """Every character the font at ``path`` maps to a glyph (FontError unless it is the pinned file)."""
    return _codepoints(pinned_bytes(path))


@functools.cache
def _codepoints(data: bytes) -> frozenset[int]:
    return frozenset(TTFont(io.BytesIO(data), lazy=True).getBestCmap())


def covered(fonts_dir: Path = FONTS_DIR, faces: tuple[Face, ...] = PAGE_FACES) -> frozenset[int]:
    """Every character one of ``faces`` (in ``fonts_dir``) can draw, once the pins hold for every file there."""
    check_pins(fonts_dir)
    return frozenset().union(*(codepoints(source_path(face, fonts_dir)) for face in faces))


def uncovered(text: str, characters: frozenset[int]) -> list[str]:
    """The distinct characters of ``text`` outside ``characters``, white space aside, in order of appearance."""
    return list(dict.fromkeys(char for char in text if not char.isspace() and ord(char) not in characters))


def instance(data: bytes, weight: int | None) -> TTFont:
    """The font ``data`` at ``weight`` when it is variable, as plain TrueType (whatever the file's flavor)."""
    font = TTFont(io.BytesIO(data), recalcTimestamp=False)
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


def subset_font(source: Path, codepoints: set[int], *, weight: int | None = None) -> bytes:
    """The pinned font at ``source`` cut down to ``codepoints``, as WOFF2; one ``weight`` if given."""
    font = instance(pinned_bytes(source), weight)
    options = subset_options()
    options.flavor = "woff2"
    subsetter = subset.Subsetter(options)
    subsetter.populate(unicodes=codepoints)
    subsetter.subset(font)
    buffer = io.BytesIO()
    # save_font applies options.flavor; font.save would keep the source's (plain TrueType for a .ttf).
    subset.save_font(font, buffer, options)
    return buffer.getvalue()


def static_font(paths: list[Path], weight: int) -> bytes:
    """One static TrueType file of ``weight`` holding every glyph of ``paths`` (one family, split by script)."""
    buffers, taken = [], set()
    for path in paths:
        font = instance(pinned_bytes(path), weight)
        # Each character from the first font that has it, so adding a font changes nothing already drawn.
        own = set(font.getBestCmap()) - taken
        taken |= own
        if buffers:
            subsetter = subset.Subsetter(subset_options())
            subsetter.populate(unicodes=own)
            subsetter.subset(font)
        buffers.append(io.BytesIO(_truetype(font)))
    return _truetype(Merger().merge(buffers) if len(buffers) > 1 else TTFont(buffers[0]))


def _truetype(font: TTFont) -> bytes:
    """The font as plain TrueType bytes, which HarfBuzz reads (it does not decode WOFF2)."""
    font.flavor = None
    buffer = io.BytesIO()
    font.save(buffer)
    return buffer.getvalue()


class _Drawing:
    """One font at one point of its design space, as HarfBuzz shapes and draws it; shaping and outlines are cached."""

    def __init__(self, truetype: bytes, location: dict[str, float]) -> None:
        face = hb.Face(truetype)
        self.font = hb.Font(face)
        if location:
            self.font.set_variations(location)
        self.characters = frozenset(face.unicodes)
        # Its design space: (tag, minimum, default, maximum) of each axis; none for a static font.
        self.axes = tuple((axis.tag, axis.min_value, axis.default_value, axis.max_value) for axis in face.axis_infos)
        # functools.cache: once sitefonts.cache is imported, the bare name ``cache`` here is that module.
        self.outline = functools.cache(self._outline)
        self.shape = functools.cache(self._shape)

    def _outline(self, glyph: int) -> tuple:
        """The glyph's contours, components drawn in place, as a pen records them: equal outlines, equal shapes."""
        pen = RecordingPen()
        self.font.draw_glyph_with_pen(glyph, pen)
        return tuple((operator, tuple(points)) for operator, points in pen.value)

    def _shape(self, run: str) -> tuple[tuple, ...]:
        """Each glyph of ``run`` as a browser draws it (default features): outline, cluster (the character it comes
        from), advance and offsets."""
        buffer = hb.Buffer()
        buffer.add_str(run)
        buffer.guess_segment_properties()
        hb.shape(self.font, buffer)
        return tuple(
            (self.outline(info.codepoint), info.cluster, pos.x_advance, pos.y_advance, pos.x_offset, pos.y_offset)
            for info, pos in zip(buffer.glyph_infos, buffer.glyph_positions, strict=True)
        )

    def name_outline(self, outline: tuple) -> str:
        """Which character of this font draws ``outline`` (the lowest), to say what a wrong glyph shows instead."""
        found = [code for code in self.characters if self.outline(self.font.get_nominal_glyph(code)) == outline]
        return _character(min(found)) if found else "a glyph of no character"


def _design(axes: tuple[tuple[str, float, float, float], ...]) -> str:
    """A font's design space in words: static, or each axis's range and default."""
    ranges = ", ".join(f"{tag} {low:g}-{high:g} (default {default:g})" for tag, low, default, high in axes)
    return f"variable in {ranges}" if axes else "static"


def _character(code: int) -> str:
    return f"U+{code:04X} {chr(code)!r}"


@functools.cache
def _original(data: bytes, weight: int | None) -> tuple[tuple[dict[str, float], _Drawing], ...]:
    """The pinned original at ``weight``, made as the subsets are, at its default and each axis's ends."""
    font = instance(data, weight)
    locations = [{}]
    if "fvar" in font:
        locations += [{axis.axisTag: value} for axis in font["fvar"].axes for value in (axis.minValue, axis.maxValue)]
    truetype = _truetype(font)
    return tuple((location, _Drawing(truetype, location)) for location in locations)


def _ignorable(char: str) -> bool:
    """ZWNJ, ZWJ, direction marks, variation selectors: shaped with the run around them, mapped or not."""
    return unicodedata.category(char) == "Cf" or "\ufe00" <= char <= "\ufe0f" or "\U000e0100" <= char <= "\U000e01ef"


def _runs(word: str, characters: frozenset[int]) -> list[str]:
    """The parts of ``word`` that a font with ``characters`` draws: a browser shapes each such run with it."""
    parts = groupby(word, key=lambda char: ord(char) in characters or _ignorable(char))
    runs = ["".join(part) for drawn, part in parts if drawn]
    return [run for run in runs if not all(map(_ignorable, run))]


def check_subset(original: Path, subset: bytes, words: Iterable[str], *, weight: int | None) -> None:
    """Refuse a subset (WOFF2 or TrueType) that draws any of ``words`` otherwise than ``original`` at ``weight``.

    The original must be the pinned file. HarfBuzz shapes each word in both, in the runs of it the subset has
    (other faces draw the rest): the glyphs must have the same outlines, clusters, advances and offsets; each
    character the subset maps must draw the original's outline with its advance. A variable subset is compared at
    its default and each axis's ends. Comparing with the original, not the subset itself, is what catches a
    subsetter that draws "2" as "7". The original's shaping of each word is cached across calls.
    FontError names the word (or character), the place in the design space, and the difference.
    """
    reference = _original(pinned_bytes(original), weight)
    shipped = _truetype(TTFont(io.BytesIO(subset), recalcTimestamp=False))
    words = list(dict.fromkeys(words))
    for location, expected in reference:
        where = "".join(f" at {tag}={value:g}" for tag, value in location.items())
        drawing = _Drawing(shipped, location)
        if drawing.axes != expected.axes:
            raise FontError(
                f"the subset is {_design(drawing.axes)}, the original at weight {weight} {_design(expected.axes)}: "
                "the subset was made at another weight"
            )
        for word in words:
            for run in _runs(word, drawing.characters):
                _compare_run(word, run, drawing, expected, where)
        for code in sorted(drawing.characters):
            _compare_character(code, drawing, expected, where)


def _compare_run(word: str, run: str, drawing: _Drawing, expected: _Drawing, where: str) -> None:
    got, want = drawing.shape(run), expected.shape(run)
    if got == want:
        return
    part = "" if run == word else f" (its part {run!r})"
    if len(got) != len(want):
        raise FontError(f"{word!r}{part}{where}: the subset draws {len(got)} glyphs, the original {len(want)}")
    got_glyph, want_glyph = next((a, b) for a, b in zip(got, want, strict=True) if a != b)
    # HarfBuzz's cluster: which character of the run the glyph comes from.
    what = f"{word!r}{part}{where}, at its {_character(ord(run[want_glyph[1]]))}"
    if got_glyph[0] != want_glyph[0]:
        raise FontError(
            f"{what}: the subset draws {expected.name_outline(got_glyph[0])}, "
            f"the original {expected.name_outline(want_glyph[0])}"
        )
    raise FontError(
        f"{what}: {expected.name_outline(want_glyph[0])} is placed otherwise (cluster, advance x, y, offset x, y): "
        f"{got_glyph[1:]} in the subset, {want_glyph[1:]} in the original"
    )


def _compare_character(code: int, drawing: _Drawing, expected: _Drawing, where: str) -> None:
    glyph = drawing.font.get_nominal_glyph(code)
    original = expected.font.get_nominal_glyph(code)
    what = f"{_character(code)}{where}"
    if original is None:
        raise FontError(
            f"{what}: the subset draws it as {expected.name_outline(drawing.outline(glyph))}; "
            "the original has no glyph for it"
        )
    if drawing.outline(glyph) != expected.outline(original):
        raise FontError(f"{what}: the subset draws it as {expected.name_outline(drawing.outline(glyph))}")
    advance, original_advance = drawing.font.get_glyph_h_advance(glyph), expected.font.get_glyph_h_advance(original)
    if advance != original_advance:
        raise FontError(f"{what}: advance {advance} in the subset, {original_advance} in the original")
