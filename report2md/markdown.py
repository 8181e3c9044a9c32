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

import string

from report2md.structure import Block, Kind

_ESCAPED = frozenset(string.punctuation)


def _reference(char: str) -> str:
    return f"&#{ord(char)};"


def escape_text(text: str) -> str:
    """Markdown (and HTML) that displays as exactly ``text``, never as markup.

    White space at either end of the text is written as references too:
    Markdown strips it (and reads two trailing spaces as a line break).
    """
    body = text.strip()
    start = text.index(body) if body else len(text)
    leading, trailing = text[:start], text[start + len(body) :]
    escaped = "".join(_reference(char) if char in _ESCAPED else char for char in body)
    return "".join(map(_reference, leading)) + escaped + "".join(map(_reference, trailing))


def render_block(block: Block) -> str:
    """One block as Markdown, with its anchor and source line as attributes."""
    attributes = f'#{block.anchor} data-source-line="{block.line}"'
    text = escape_text(block.text)
    if block.kind is Kind.HEADING:
        return f"## {text} {{ {attributes} }}"
    return f"{text}\n{{: {attributes} }}"


def render_markdown(blocks: tuple[Block, ...]) -> str:
    """The whole report as Markdown: blocks separated by blank lines, final newline."""
    return "\n\n".join(render_block(block) for block in blocks) + "\n"
