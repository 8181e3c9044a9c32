"""Reading the received file: decoding, validation (strict: a text published verbatim cannot silently carry or
drop a character that changes how it displays unseen) and the two normalisations (a BOM, CRLF line ends)."""

import re
import unicodedata
from collections.abc import Collection
from dataclasses import dataclass

# The most places of accepted invisible characters: each is listed, with its place, for readers to see.
MAX_ACCEPTED_PLACES = 1_000
# The limits of one report, each named in its message and checked before any other work: one report, not a
# library (a hundred times the received one), and within them every stage of the build is linear in the text,
# so that the largest text they accept builds in under 3 minutes (make bench-limits) and 1 GB (tests/test_limits.py).
MAX_SOURCE_BYTES = 1_000_000
MAX_LINES = 40_000
# A paragraph of some 3,500 words: the received report's longest has 96.
MAX_LINE_CHARS = 20_000


def _code_points(spans: str) -> frozenset[str]:
    """The characters of ``spans``, written as in Unicode's data files: "0600..0605 06DD"."""
    bounds = (span.split("..") for span in spans.split())
    return frozenset(chr(code) for span in bounds for code in range(int(span[0], 16), int(span[-1], 16) + 1))


# Explicit embeddings, overrides and isolates reorder text invisibly: the "Trojan Source" family of tricks.
BIDI_CONTROLS = _code_points("202A..202E 2066..2069")
# Format characters (Cf) that are drawn: they enclose the digits that follow them (U+06DD ARABIC END OF AYAH).
PREPENDED_CONCATENATION_MARKS = _code_points("0600..0605 06DD 070F 0890..0891 08E2 110BD 110CD")
# Default_Ignorable_Code_Point (DerivedCoreProperties.txt): what renderers show as nothing, such as the soft
# hyphen, variation selectors and the whole tag plane, in which a hidden sentence can be spelt.
DEFAULT_IGNORABLE = _code_points(
    "00AD 034F 061C 115F..1160 17B4..17B5 180B..180F 200B..200F 202A..202E 2060..206F 3164 FE00..FE0F FEFF FFA0"
    " FFF0..FFF8 1BCA0..1BCA3 1D173..1D17A E0000..E0FFF"
)
# The invisible characters Arabic typography uses, kept in the text: ZWNJ and ZWJ (joining), and the direction
# marks LRM, RLM and ALM, which mark a direction without reordering anything (unlike BIDI_CONTROLS).
TYPOGRAPHIC_INVISIBLES = frozenset("\u200c\u200d\u200e\u200f\u061c")


class SourceError(ValueError):
    """The input cannot be converted; names the file, line, column and problem."""

    def __init__(self, file: str, line: int, column: int, problem: str) -> None:
        self.file, self.line, self.column, self.problem = file, line, column, problem
        super().__init__(f"{file}:{line}:{column}: {problem}")


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
    """The received text, decoded, with the normalisations applied and each place of an accepted character."""

    text: str
    normalisations: tuple[Normalisation, ...]
    accepted: tuple[Occurrence, ...] = ()

    @property
    def lines(self) -> list[str]:
        """The lines of the text, split on LF only (never on U+2028 and the like)."""
        return self.text.split("\n")


def describe(char: str) -> str:
    """A character as its code point and Unicode name, for messages."""
    return f"U+{ord(char):04X} {unicodedata.name(char, 'unnamed character')}"


def decode_source(data: bytes, name: str, accepted: Collection[str] = frozenset()) -> DecodedSource:
    """Decode and check UTF-8 bytes (a BOM dropped, CRLF made LF); raise SourceError on anything refused, such as
    an invisible character that Arabic typography does not use and ``accepted`` does not hold."""
    for char in accepted:
        if problem := acceptance_problem(char):
            raise ValueError(problem)
    check_size(data, name)
    normalisations: list[Normalisation] = []
    if data.startswith(b"\xef\xbb\xbf"):
        data = data[3:]
        normalisations.append(Normalisation("bom", "removed the UTF-8 byte order mark at the start", 1))
    try:
        text = data.decode("utf-8")
    except UnicodeDecodeError as error:
        line_start = data.rfind(b"\n", 0, error.start) + 1
        column = len(data[line_start : error.start].decode("utf-8", errors="replace")) + 1
        problem = f"bytes that are not UTF-8 ({data[error.start : error.end].hex(' ')})"
        raise SourceError(name, data.count(b"\n", 0, error.start) + 1, column, problem) from None
    if crlf_count := text.count("\r\n"):
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
                problem = f"more than {MAX_ACCEPTED_PLACES:,} accepted invisible characters (MAX_ACCEPTED_PLACES);"
                raise SourceError(name, place.line, place.column, f"{problem} each is listed where it stands")
        if line.strip(" ") and not any(is_visible(char) for char in line):
            first = line.lstrip(" ")[0]
            problem = f"the line is blank only in appearance ({describe(first)}); leave it empty or give it text"
            raise SourceError(name, line_number, line.index(first) + 1, problem)
    return DecodedSource(text, tuple(normalisations), tuple(occurrences))


def check_size(data: bytes, name: str) -> None:
    """SourceError when ``data`` is over MAX_SOURCE_BYTES: a reader stops one byte past it, leaving the rest unread."""
    if len(data) > MAX_SOURCE_BYTES:
        raise SourceError(name, 1, 1, f"the file is larger than {MAX_SOURCE_BYTES:,} bytes (MAX_SOURCE_BYTES)")


def _refusal(char: str, accepted: Collection[str]) -> str | None:
    """Why the report's text may not hold ``char``, or None when it may (kept or ``accepted``)."""
    problem = character_problem(char)
    if problem or not is_invisible(char) or char in TYPOGRAPHIC_INVISIBLES or char in accepted:
        return problem
    if 0xE0000 <= ord(char) <= 0xE0FFF:
        kind = "a tag character"
    elif unicodedata.category(char) == "Co":
        kind = "a private use character"
    else:
        kind = "an invisible character"
    return f"{describe(char)} is {kind}: no reader sees it; if the text needs it, accept it by its code point"


def is_visible(char: str) -> bool:
    """Whether ``char`` shows as something: not white space (NBSP, U+3000...) nor an invisible format character."""
    return not char.isspace() and unicodedata.category(char) not in ("Cf", "Zs")


def is_invisible(char: str) -> bool:
    """Whether ``char`` shows as nothing (or, private use, as whatever a font puts there): a format character that
    is not drawn, private use, or default-ignorable."""
    if char in PREPENDED_CONCATENATION_MARKS:
        return False
    return unicodedata.category(char) in ("Cf", "Co") or char in DEFAULT_IGNORABLE


def needs_glyph(char: str) -> bool:
    """Whether a font must have ``char`` for it to show: white space and invisible format characters (ZWJ, the
    direction marks) need none, but the drawn ones such as U+06DD ARABIC END OF AYAH do."""
    return is_visible(char) or char in PREPENDED_CONCATENATION_MARKS


def undrawn_problem(char: str, drawable: Collection[int], fonts: str) -> str | None:
    """Why ``char`` would not show: it needs a glyph none of ``drawable`` has (``fonts`` names them); else None."""
    if ord(char) in drawable or not needs_glyph(char):
        return None
    return f"{char!r} {describe(char)} is in no font of {fonts} (README: adding a font)"


def check_drawable(source: DecodedSource, name: str, drawable: Collection[int], fonts: str) -> None:
    """Raise SourceError at the first character that needs a glyph none of ``drawable`` has: found at conversion
    rather than in the built site."""
    # Each distinct character is looked up once; the text is searched only when one is missing.
    missing = {
        char: problem for char in set(source.text) - {"\n"} if (problem := undrawn_problem(char, drawable, fonts))
    }
    if not missing:
        return
    for line_number, line in enumerate(source.lines, start=1):
        for column, char in enumerate(line, start=1):
            if char in missing:
                raise SourceError(name, line_number, column, missing[char])


def parse_code_point(value: str) -> str | None:
    """The character ``value`` names as ``U+XXXX`` (4 to 6 upper-case hexadecimal digits), or None."""
    match = re.fullmatch(r"U\+([0-9A-F]{4,6})", value)
    if not match or int(match[1], 16) > 0x10FFFF:
        return None
    return chr(int(match[1], 16))


def acceptance_problem(char: str) -> str | None:
    """Why a text may not accept ``char`` by name (it must be invisible, not kept anyway, not refused for all)."""
    if char in TYPOGRAPHIC_INVISIBLES:
        return f"{describe(char)} cannot be accepted: the text keeps it without being listed"
    if not is_invisible(char) or character_problem(char) is not None:
        return f"{describe(char)} cannot be accepted: only format, private-use and tag characters can"
    return None


def character_problem(char: str) -> str | None:
    """Why a character may not appear in any published text, or None (invisible ones are the caller's to judge)."""
    code, category = ord(char), unicodedata.category(char)
    if char in BIDI_CONTROLS:
        return f"bidirectional control character {describe(char)} is not allowed"
    if char in "\u2028\u2029":  # they would split a line for some readers (str.splitlines, copy-paste) only
        return f"{describe(char)} is not allowed; lines are separated by LF"
    if char == "\r":
        return "carriage return (U+000D) outside a CRLF line end"
    if char == "\ufeff":
        return "byte order mark (U+FEFF) is only allowed at the very start of the file"
    if category == "Cc":
        return f"control character {describe(char)} is not allowed"
    if 0xFDD0 <= code <= 0xFDEF or (code & 0xFFFE) == 0xFFFE:  # Unicode's 66 noncharacters
        return f"noncharacter U+{code:04X} is not allowed"
    if category in ("Cs", "Cn"):
        return f"{describe(char)} is not allowed: surrogate or unassigned"
    return None
