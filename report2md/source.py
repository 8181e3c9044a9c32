"""Reading the received file: decoding, validation and the two normalisations.

Everything here works on bytes and strings only. The rules are strict on
purpose: a character that could change how the text displays without being
visible (a bidirectional override, a control character) is refused, because a
publication that claims to be the source text verbatim cannot silently carry
or drop such characters.
"""

from __future__ import annotations

import unicodedata
from dataclasses import dataclass

from report2md.errors import SourceError

UTF8_BOM = b"\xef\xbb\xbf"
# One report, not a library: a hundred times this one. Keeps memory bounded (the
# conversion holds a few copies of the text) and refuses the wrong file early.
MAX_SOURCE_BYTES = 1_000_000

# Explicit embeddings and overrides (U+202A-U+202E) and isolates
# (U+2066-U+2069) reorder text invisibly; the "Trojan Source" family of tricks.
BIDI_CONTROLS = frozenset(chr(code) for code in [*range(0x202A, 0x202F), *range(0x2066, 0x206A)])

# Unicode line and paragraph separators would split a line for some readers
# (str.splitlines, browsers' copy-paste) but not for others.
LINE_SEPARATORS = frozenset({"\u2028", "\u2029"})


@dataclass(frozen=True)
class Normalisation:
    """One change made to the bytes before conversion, reported to the user."""

    code: str
    description: str
    count: int


@dataclass(frozen=True)
class DecodedSource:
    """The received text, decoded, with the normalisations that were applied."""

    text: str
    normalisations: tuple[Normalisation, ...]

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


def decode_source(data: bytes, name: str) -> DecodedSource:
    """Decode and check the received bytes.

    Accepts UTF-8 with or without a byte order mark and with LF or CRLF line
    ends; the BOM is dropped and CRLF becomes LF, and both are reported.
    Raises SourceError (file, line, column, problem) on anything else.
    """
    if len(data) > MAX_SOURCE_BYTES:
        raise SourceError(name, 1, 1, f"the file is larger than {MAX_SOURCE_BYTES} bytes, the most the converter takes")
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

    for line_number, line in enumerate(text.split("\n"), start=1):
        for column, char in enumerate(line, start=1):
            problem = character_problem(char)
            if problem:
                raise SourceError(name, line_number, column, problem)
        if line.strip(" ") and not any(is_visible(char) for char in line):
            first = next(char for char in line if char != " ")
            raise SourceError(
                name,
                line_number,
                line.index(first) + 1,
                f"the line is blank only in appearance ({describe(first)}); leave it empty or give it text",
            )
    return DecodedSource(text, tuple(normalisations))


def is_visible(char: str) -> bool:
    """Whether ``char`` shows as something: not white space (NBSP, U+3000...) nor an invisible format character."""
    return not char.isspace() and unicodedata.category(char) not in ("Cf", "Zs")


def is_noncharacter(char: str) -> bool:
    """Unicode's 66 noncharacters (U+FDD0..U+FDEF and the last two of every plane), never for interchange."""
    code = ord(char)
    return 0xFDD0 <= code <= 0xFDEF or (code & 0xFFFE) == 0xFFFE


def character_problem(char: str) -> str | None:
    """Why a character may not appear in the source (or any published text), or None when it may."""
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
    if unicodedata.category(char) in ("Co", "Cs", "Cn"):
        return f"{describe(char)} is not allowed: private use, surrogate or unassigned"
    return None
