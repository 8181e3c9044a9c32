"""Latin and Cyrillic inside the Arabic lines the project writes: each run isolated and tagged with its language.

An isolate (``<bdi dir="ltr">``) keeps ``tellerreport.com`` or a Russian title from reordering its Arabic
neighbours; ``lang`` lets a screen reader switch voice. Not for the report's own text, published as received.
"""

from __future__ import annotations

import re

from report2md import escape_text

_LATIN = r"A-Za-z\u00C0-\u024F\u1E00-\u1EFF"
_CYRILLIC = r"\u0400-\u052F"
# Inside a run: its letters, digits and the punctuation of a title or an address; a run ends on a letter, digit or
# sentence mark, so spaces and commas around it stay in the Arabic line. No brackets: they would be split in two.
_INSIDE = r"0-9 .,:;'’!?&/_\-–"
_END = r"0-9.?!/"
RUNS = re.compile(
    rf"(?P<en>[0-9]*[{_LATIN}](?:[{_LATIN}{_INSIDE}]*[{_LATIN}{_END}])?)"
    rf"|(?P<ru>[0-9]*[{_CYRILLIC}](?:[{_CYRILLIC}{_INSIDE}]*[{_CYRILLIC}{_END}])?)"
    r"|(?P<date>\b\d{4}-\d{2}-\d{2}\b)"
)


def ltr(text: str, lang: str | None = "en", css_class: str | None = None) -> str:
    """``text`` escaped inside a left-to-right isolate, with its language (none for a date or a number)."""
    attributes = ' dir="ltr"' + (f' lang="{lang}"' if lang else "") + (f' class="{css_class}"' if css_class else "")
    return f"<bdi{attributes}>{escape_text(text)}</bdi>"


def isolated(text: str) -> str:
    """``text`` escaped as Markdown that shows it verbatim, each Latin, Cyrillic or date run in an isolate."""
    out, position = [], 0
    for run in RUNS.finditer(text):
        out.append(escape_text(text[position : run.start()]))
        out.append(ltr(run[0], lang="ru" if run["ru"] else "en" if run["en"] else None))
        position = run.end()
    return "".join([*out, escape_text(text[position:])])
