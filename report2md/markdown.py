"""From blocks to Markdown, every character kept literal: each ASCII punctuation character becomes a character
reference (``#`` -> ``&#35;``), which no Markdown extension, today's or a later one, reads as syntax, and every HTML
parser reads as that one character. Also JSON made safe for a page's <script> data blocks, which every stage writes."""

import json
import re
import string
from collections.abc import Callable
from typing import Any

from report2md.structure import Block, Kind

_REFERENCES = {ord(char): f"&#{ord(char)};" for char in string.punctuation}
# A dash that starts a word, before a letter ("تعتزم -ابتداء"), with its word: Chromium and WebKit never break
# after such a dash, Firefox does, leaving it at the end of a line. A span that does not wrap (report.css) keeps
# the two together in every engine, and no character of the text changes.
_DASH_WORD = re.compile(r"(?<!\S)(-(?=[^\W\d_])\S+)")


def escape_text(text: str, *, keep_dash_words: bool = False) -> str:
    """Markdown (and HTML) that displays as exactly ``text``, white space at either end too (Markdown would strip
    it); with ``keep_dash_words``, each word-initial dash and its word are in a span that does not wrap."""
    body = text.strip()
    start = len(text) - len(text.lstrip())
    parts = _DASH_WORD.split(body) if keep_dash_words else [body]  # text, dash word, text...: dash words at odd places
    escaped = [part.translate(_REFERENCES) for part in parts]
    escaped[1::2] = [f'<span class="report-dash-word">{part}</span>' for part in escaped[1::2]]
    return _references(text[:start]) + "".join(escaped) + _references(text[start + len(body) :])


def script_json(data: dict[str, Any] | list[Any]) -> str:
    """JSON safe to place inside <script>: no '<', '>' or '&' can close or open a tag."""
    text = json.dumps(data, ensure_ascii=False, indent=None, separators=(",", ":"))
    return text.replace("&", "\\u0026").replace("<", "\\u003c").replace(">", "\\u003e")


def _references(text: str) -> str:
    return "".join(f"&#{ord(char)};" for char in text)


def render_markdown(blocks: tuple[Block, ...], permalink: Callable[[Block], tuple[str, str]] | None = None) -> str:
    """The report as Markdown: blocks separated by blank lines, each with its anchor, source line and ``permalink``
    texts (report2md.permalinks: its accessible name, and what a reader is told once its address is copied)."""
    rendered = []
    for block in blocks:
        attributes = f'#{block.anchor} data-source-line="{block.line}"'
        if permalink is not None:
            label, copied = permalink(block)
            attributes += f' data-permalink="{escape_text(label)}" data-copied="{escape_text(copied)}"'
        text = escape_text(block.text, keep_dash_words=True)
        rendered.append(
            f"## {text} {{ {attributes} }}" if block.kind is Kind.HEADING else f"{text}\n{{: {attributes} }}"
        )
    return "\n\n".join(rendered) + "\n"
