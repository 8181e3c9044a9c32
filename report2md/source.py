"""Reading the received file: decoding, validation and the two normalisations.

Everything here works on bytes and strings only. The rules are strict on
purpose: a character that could change how the text displays without being
visible (a bidirectional override, a control character) is refused, because a
publication that claims to be the source text verbatim cannot silently carry
or drop such characters.
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Collection
from dataclasses import dataclass

from report2md.errors import SourceError

UTF8_BOM = b"\xef\xbb\xbf"
# The most places of accepted invisible characters: each is listed, with its place, for readers to see.
MAX_ACCEPTED_PLACES = 1_000
# The limits of one report, each named in its message and checked before any other work: one report, not a
# library (a hundred times the received one), and within them every stage of the build is linear in the text,
# so that the largest text they accept builds in under 3 minutes and 1 GB (tests/test_limits.py).
MAX_SOURCE_BYTES = 1_000_000
MAX_LINES = 40_000
# A paragraph of some 3,500 words: the received report's longest has 96.
MAX_LINE_CHARS = 20_000

# Explicit embeddings and overrides (U+202A-U+202E) and isolates
# (U+2066-U+2069) reorder text invisibly; the "Trojan Source" family of tricks.
BIDI_CONTROLS = frozenset(chr(code) for code in [*range(0x202A, 0x202F), *range(0x2066, 0x206A)])

# Unicode line and paragraph separators would split a line for some readers
# (str.splitlines, browsers' copy-paste) but not for others.
LINE_SEPARATORS = frozenset({"\u2028", "\u2029"})

# Format characters (Cf) that are drawn: they enclose the digits that follow them (U+06DD ARABIC END OF AYAH).
PREPENDED_CONCATENATION_MARKS = frozenset(
    chr(code) for code in [*range(0x0600, 0x0606), 0x06DD, 0x070F, 0x0890, 0x0891, 0x08E2, 0x110BD, 0x110CD]
)
# Unicode's Default_Ignorable_Code_Point (DerivedCoreProperties.txt): what renderers show as nothing, beyond
# the format characters: the soft hyphen, the combining grapheme joiner, Hangul fillers, Mongolian and other
# variation selectors, and the whole tag plane (U+E0000-U+E0FFF), in which a hidden sentence can be spelt.
DEFAULT_IGNORABLE = frozenset(
    chr(code)
    for low, high in [
        (0x00AD, 0x00AD),
        (0x034F, 0x034F),
        (0x061C, 0x061C),
        (0x115F, 0x1160),
        (0x17B4, 0x17B5),
        (0x180B, 0x180F),
        (0x200B, 0x200F),
        (0x202A, 0x202E),
        (0x2060, 0x206F),
        (0x3164, 0x3164),
        (0xFE00, 0xFE0F),
        (0xFEFF, 0xFEFF),
        (0xFFA0, 0xFFA0),
        (0xFFF0, 0xFFF8),
        (0x1BCA0, 0x1BCA3),
        (0x1D173, 0x1D17A),
        (0xE0000, 0xE0FFF),
    ]
    for code in range(low, high + 1)
)
# The invisible characters Arabic typography uses, kept in the report's text: ZWNJ and ZWJ (joining), and the
# direction marks LRM, RLM and ALM, which mark a direction without reordering anything (unlike BIDI_CONTROLS).
TYPOGRAPHIC_INVISIBLES = frozenset("\u200c\u200d\u200e\u200f\u061c")


@dataclass(frozen=True)
class Normalisation:
    """One change made to the bytes before conversion, reported to the user."""

    code: str
    description: str
    count: int


@dataclass(frozen=True)
class Occurrence:
    """Where one accepted invisible character stands in the text (1-based line and column)."""

    line: int
    column: int
    char: str


@dataclass(frozen=True)
class DecodedSource:
    """The received text, decoded, with the normalisations that were applied.

    ``accepted`` lists every occurrence of an invisible character that the
    caller accepted (decode_source's ``accepted``), in text order, to be shown.
    """

    text: str
    normalisations: tuple[Normalisation, ...]
    accepted: tuple[Occurrence, ...] = ()

    @property
    def lines(self) -> list[str]:
        """The lines of the text, split on LF only (never on U+2028 and the like)."""
        return self.text.split("\n")


def _line_and_column(data: bytes, byte_offset: int) -> tuple[int, int]:
    """1-based line and character column of a byte offset in undecoded data."""
    line_start = data.rfind(b"\n", 0, byte_offset) + 1
    line = data.count(b"\n", 0, byte_offset) + 1
    column = len(data[line_start:byte_offset].decode("utf-8", errors="replace")) + 1
    return line, column


def describe(char: str) -> str:
    """A character as its code point and Unicode name, for messages."""
    name = unicodedata.name(char, "unnamed character")
    return f"U+{ord(char):04X} {name}"


def decode_source(data: bytes, name: str, accepted: Collection[str] = frozenset()) -> DecodedSource:
    """Decode and check the received bytes.

    Accepts UTF-8 with or without a byte order mark and with LF or CRLF line
    ends; the BOM is dropped and CRLF becomes LF, and both are reported.
    An invisible character (``is_invisible``) is refused unless Arabic
    typography uses it (TYPOGRAPHIC_INVISIBLES) or it is in ``accepted``
    (none may have an ``acceptance_problem``); the accepted ones are listed with their
    places. Raises SourceError (file, line, column, problem) on anything else.
    """
    for char in accepted:
        if problem := acceptance_problem(char):
            raise ValueError(problem)
    if len(data) > MAX_SOURCE_BYTES:
        raise SourceError(name, 1, 1, f"the file is larger than {MAX_SOURCE_BYTES:,} bytes (MAX_SOURCE_BYTES)")
    normalisations: list[Normalisation] = []
    if data.startswith(UTF8_BOM):
        data = data[len(UTF8_BOM) :]
        normalisations.append(Normalisation("bom", "removed the UTF-8 byte order mark at the start", 1))
    try:
        text = data.decode("utf-8")
    except UnicodeDecodeError as error:
        line, column = _line_and_column(data, error.start)
        bad = data[error.start : error.end].hex(" ")
        raise SourceError(name, line, column, f"bytes that are not UTF-8 ({bad})") from None

    crlf_count = text.count("\r\n")
    if crlf_count:
        text = text.replace("\r\n", "\n")
        normalisations.append(Normalisation("crlf", "converted CRLF line ends to LF", crlf_count))

    if not text.strip():
        raise SourceError(name, 1, 1, "the file is empty or contains only whitespace")
    lines = text.count("\n") + (not text.endswith("\n"))
    if lines > MAX_LINES:
        raise SourceError(name, MAX_LINES + 1, 1, f"the file has {lines:,} lines; at most {MAX_LINES:,} (MAX_LINES)")

    # Each distinct character is judged once: a text has a few hundred of them, in up to a million places.
    distinct = set(text) - {"\n"}
    refused = {char: problem for char in distinct if (problem := _refusal(char, accepted))}
    present = frozenset(accepted) & distinct
    occurrences: list[Occurrence] = []
    for line_number, line in enumerate(text.split("\n"), start=1):
        if len(line) > MAX_LINE_CHARS:
            problem = f"the line has {len(line):,} characters; at most {MAX_LINE_CHARS:,} (MAX_LINE_CHARS)"
            raise SourceError(name, line_number, MAX_LINE_CHARS + 1, problem)
        if not refused.keys().isdisjoint(line):
            column, char = next((column, char) for column, char in enumerate(line, start=1) if char in refused)
            raise SourceError(name, line_number, column, refused[char])
        if not present.isdisjoint(line):
            occurrences += (Occurrence(line_number, column, c) for column, c in enumerate(line, 1) if c in present)
            if len(occurrences) > MAX_ACCEPTED_PLACES:
                place = occurrences[MAX_ACCEPTED_PLACES]
                raise SourceError(
                    name,
                    place.line,
                    place.column,
                    f"more than {MAX_ACCEPTED_PLACES:,} accepted invisible characters (MAX_ACCEPTED_PLACES);"
                    " each is listed where it stands",
                )
        if line.strip(" ") and not any(is_visible(char) for char in line):
            first = next(char for char in line if char != " ")
            raise SourceError(
                name,
                line_number,
                line.index(first) + 1,
                f"the line is blank only in appearance ({describe(first)}); leave it empty or give it text",
            )
    return DecodedSource(text, tuple(normalisations), tuple(occurrences))


def _refusal(char: str, accepted: Collection[str]) -> str | None:
    """Why the report's text may not hold ``char``, or None when it may (kept or ``accepted``)."""
    problem = character_problem(char)
    if problem is None and is_invisible(char) and char not in TYPOGRAPHIC_INVISIBLES and char not in accepted:
        return invisible_problem(char)
    return problem


def is_visible(char: str) -> bool:
    """Whether ``char`` shows as something: not white space (NBSP, U+3000...) nor an invisible format character."""
    return not char.isspace() and unicodedata.category(char) not in ("Cf", "Zs")


def is_noncharacter(char: str) -> bool:
    """Unicode's 66 noncharacters (U+FDD0..U+FDEF and the last two of every plane), never for interchange."""
    code = ord(char)
    return 0xFDD0 <= code <= 0xFDEF or (code & 0xFFFE) == 0xFFFE


def is_invisible(char: str) -> bool:
    """Whether ``char`` shows as nothing: a format character that is not drawn, private use, or default-ignorable.

    A private-use character shows as a box or as whatever a font happens to put there; both say nothing a reader
    can check.
    """
    if char in PREPENDED_CONCATENATION_MARKS:
        return False
    return unicodedata.category(char) in ("Cf", "Co") or char in DEFAULT_IGNORABLE


_CODE_POINT = re.compile(r"U\+([0-9A-F]{4,6})")


def parse_code_point(value: str) -> str | None:
    """The character ``value`` names as ``U+XXXX`` (4 to 6 upper-case hexadecimal digits), or None."""
    match = _CODE_POINT.fullmatch(value)
    if not match or int(match[1], 16) > 0x10FFFF:
        return None
    return chr(int(match[1], 16))


def acceptance_problem(char: str) -> str | None:
    """Why a text may not accept ``char`` by name, or None when it may: invisible, not one Arabic typography uses
    (kept without being listed), and not refused for everyone (character_problem)."""
    if char in TYPOGRAPHIC_INVISIBLES:
        return f"{describe(char)} cannot be accepted: the text keeps it without being listed"
    if not is_invisible(char) or character_problem(char) is not None:
        return f"{describe(char)} cannot be accepted: only format, private-use and tag characters can"
    return None


def invisible_problem(char: str) -> str:
    """The message for an invisible character that was not accepted."""
    if 0xE0000 <= ord(char) <= 0xE0FFF:
        kind = "a tag character"
    elif unicodedata.category(char) == "Co":
        kind = "a private use character"
    else:
        kind = "an invisible character"
    return f"{describe(char)} is {kind}: no reader sees it; if the text needs it, accept it by its code point"


def character_problem(char: str) -> str | None:
    """Why a character may not appear in the source (or any published text), or None when it may.

    Invisible characters (is_invisible) are the caller's to refuse or accept.
    """
    if char in BIDI_CONTROLS:
        return f"bidirectional control character {describe(char)} is not allowed"
    if char in LINE_SEPARATORS:
        return f"{describe(char)} is not allowed; lines are separated by LF"
    if char == "\r":
        return "carriage return (U+000D) outside a CRLF line end"
    if char == "\ufeff":
        return "byte order mark (U+FEFF) is only allowed at the very start of the file"
    if unicodedata.category(char) == "Cc":
        return f"control character {describe(char)} is not allowed"
    if is_noncharacter(char):
        return f"noncharacter U+{ord(char):04X} is not allowed"
    if unicodedata.category(char) in ("Cs", "Cn"):
        return f"{describe(char)} is not allowed: surrogate or unassigned"
    return None
