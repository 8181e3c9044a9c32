"""From lines to blocks: each line not blank (empty or ASCII spaces) is a section heading or a paragraph, by the
rule of classify (README, provenance page), with its anchor."""

import re
from collections.abc import Collection
from dataclasses import dataclass
from enum import StrEnum

MAX_HEADING_WORDS = 8
MAX_HEADING_CHARS = 60
# The most section headings a report may have (the received one has 4): each is an entry of the table of
# contents, which every page's navigation repeats, so past this the build would grow faster than the text.
MAX_HEADINGS = 2_000
# Marks that end or split a sentence, Arabic and Latin: a line holding any of them reads as prose, not as a title.
SENTENCE_PUNCTUATION = frozenset(".،؟!:؛?;…,")
_PARAGRAPH_ANCHOR = re.compile(r"p-\d+")


class Kind(StrEnum):
    HEADING = "heading"
    PARAGRAPH = "paragraph"


class Reason(StrEnum):
    """Why a line became what it became; one reason per decision."""

    FIRST_LINE = "first-line"
    TOO_MANY_WORDS = "too-many-words"
    TOO_LONG = "too-long"
    HAS_PUNCTUATION = "has-punctuation"
    SHORT_UNPUNCTUATED = "short-unpunctuated"


@dataclass(frozen=True)
class Block:
    """One block of the report: its kind, text as received, line, anchor, and why it is of its kind."""

    kind: Kind
    text: str
    line: int
    anchor: str
    reason: Reason


def classify(text: str, is_first: bool) -> tuple[Kind, Reason]:
    """A heading when not on the first line, without SENTENCE_PUNCTUATION and short; else a paragraph."""
    if is_first:
        return Kind.PARAGRAPH, Reason.FIRST_LINE
    if any(char in SENTENCE_PUNCTUATION for char in text):
        return Kind.PARAGRAPH, Reason.HAS_PUNCTUATION
    if len(text.split()) > MAX_HEADING_WORDS:
        return Kind.PARAGRAPH, Reason.TOO_MANY_WORDS
    if len(text.strip()) > MAX_HEADING_CHARS:
        return Kind.PARAGRAPH, Reason.TOO_LONG
    return Kind.HEADING, Reason.SHORT_UNPUNCTUATED


def parse_blocks(lines: list[str]) -> tuple[Block, ...]:
    """The blocks of the received lines: paragraphs numbered p-1, p-2... in source order, headings their slug made
    unique and never of the p-N form, so that a link to a paragraph keeps working across rebuilds."""
    blocks: list[Block] = []
    used: set[str] = set()
    next_suffix: dict[str, int] = {}
    paragraphs = 0
    for line_number, text in enumerate(lines, start=1):
        if not text.strip(" "):
            continue
        kind, reason = classify(text, is_first=not blocks)
        if kind is Kind.PARAGRAPH:
            paragraphs += 1
            anchor = f"p-{paragraphs}"
        else:
            anchor = _anchor(text, "section", used, next_suffix)
        used.add(anchor)
        blocks.append(Block(kind, text, line_number, anchor, reason))
    return tuple(blocks)


def title_anchor(text: str, used: Collection[str]) -> str:
    """The id of a page's title, unique among ``used``: not the toc extension's slug, which keeps '_' (a title
    "__config" would take the id of Material's script); ours never has it, as every id of Material's does."""
    return _anchor(text, "title", set(used), {})


def _anchor(text: str, fallback: str, used: set[str], next_suffix: dict[str, int]) -> str:
    """The words of ``text`` (else ``fallback``), letters and digits only, joined by '-' as pymdownx.slugs joins
    them for Arabic (\\w drops marks such as shadda); then -2, -3... till it is not used nor a paragraph's. Each
    slug's count resumes where it stopped (``next_suffix``): n repeats of a heading cost n steps, not n squared."""
    words = ("".join(char for char in word if char.isalnum()) for word in text.lower().split())
    slug = "-".join(word for word in words if word) or fallback
    suffix = next_suffix.get(slug, 1)
    candidate = slug if suffix == 1 else f"{slug}-{suffix}"
    while candidate in used or _PARAGRAPH_ANCHOR.fullmatch(candidate):
        suffix += 1
        candidate = f"{slug}-{suffix}"
    next_suffix[slug] = suffix + 1
    return candidate
