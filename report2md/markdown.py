"""From blocks to Markdown, with every character of the text kept literal.

The escaping is deliberately blunt: every ASCII punctuation character becomes
a numeric character reference (``#`` -> ``&#35;``), and so does white
space at the start and end of a line. No Markdown construct, Python-Markdown extension or
HTML parser treats a character reference as syntax, and every HTML parser
turns it back into exactly that one character. Letters, digits, Arabic
punctuation and marks are written as they are. This holds for the site's
extensions today and for any extension added later, which context-sensitive
escaping (a backslash here, nothing there) could not promise.
"""

from __future__ import annotations

import re
import string
from collections.abc import Callable

from report2md.structure import Block, Kind

_ESCAPED = frozenset(string.punctuation)
# A dash that starts a word, before a letter ("تعتزم -ابتداء"), with its word: Chromium and
# WebKit never break after such a dash, Firefox does, leaving it at the end of
# a line. A span that does not wrap (report.css) keeps the two together in
# every engine, and no character of the text changes.
_DASH_WORD = re.compile(r"(?<!\S)(-(?=[^\W\d_])\S+)")
DASH_WORD_CLASS = "report-dash-word"


def _reference(char: str) -> str:
    return f"&#{ord(char)};"


def _escape_characters(text: str) -> str:
    return "".join(_reference(char) if char in _ESCAPED else char for char in text)


def _escape_keeping_dash_words(text: str) -> str:
    parts = _DASH_WORD.split(text)  # text, dash and word, text, ...: the dash words are at odd places
    return "".join(
        f'<span class="{DASH_WORD_CLASS}">{_escape_characters(part)}</span>' if place % 2 else _escape_characters(part)
        for place, part in enumerate(parts)
    )


def escape_text(text: str, *, keep_dash_words: bool = False) -> str:
    """Markdown (and HTML) that displays as exactly ``text``, never as markup.

    White space at either end of the text is written as references too:
    Markdown strips it (and reads two trailing spaces as a line break). With
    ``keep_dash_words``, each word-initial dash and its word are in a span
    that does not wrap.
    """
    body = text.strip()
    start = text.index(body) if body else len(text)
    leading, trailing = text[:start], text[start + len(body) :]
    escaped = (_escape_keeping_dash_words if keep_dash_words else _escape_characters)(body)
    return "".join(map(_reference, leading)) + escaped + "".join(map(_reference, trailing))


# A block's permalink: its accessible name, and what a reader is told once its address is copied.
Permalink = Callable[[Block], tuple[str, str]]


def render_block(block: Block, permalink: Permalink | None = None) -> str:
    """One block as Markdown, with its anchor, source line and permalink texts (report2md.permalinks) as attributes."""
    attributes = f'#{block.anchor} data-source-line="{block.line}"'
    if permalink is not None:
        label, copied = permalink(block)
        attributes += f' data-permalink="{escape_text(label)}" data-copied="{escape_text(copied)}"'
    text = escape_text(block.text, keep_dash_words=True)
    if block.kind is Kind.HEADING:
        return f"## {text} {{ {attributes} }}"
    return f"{text}\n{{: {attributes} }}"


def render_markdown(blocks: tuple[Block, ...], permalink: Permalink | None = None) -> str:
    """The whole report as Markdown: blocks separated by blank lines, final newline."""
    return "\n\n".join(render_block(block, permalink) for block in blocks) + "\n"
