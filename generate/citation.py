"""How to cite this edition: its date, the Highwire ``citation_*`` tags and a RIS entry, from the same facts.

An edition is what one build publishes: the report at the site's address,
on the date of the commit it was built from (``SOURCE_DATE_EPOCH``, which
the Makefile sets to the last commit's time, as MkDocs reads it too). The
clock is never read: two builds of one commit give the same pages. The
report's author, publisher and original date are not known (see
source/provenance.yml), so no citation names them.
"""

from __future__ import annotations

import subprocess
from collections.abc import Mapping
from dataclasses import dataclass
from datetime import UTC, date, datetime
from pathlib import Path

from generate.bidi import isolated, ltr
from generate.data import DataError
from report2md import escape_text

EPOCH_VARIABLE = "SOURCE_DATE_EPOCH"
# Highwire Press tags as Google Scholar documents them ("YYYY/MM/DD"), which Zotero's translator also reads.
HIGHWIRE_DATE = "%Y/%m/%d"
# RIS: "TY  - " opens an entry and "ER  - " closes it; ELEC is a web page.
RIS_TYPE = "ELEC"

# The provenance page's citation block. Texts of the page, like its other headings (generate/provenance.py);
# each is listed as an addition.
CITE_HEADING = "كيف تستشهد بهذا النص"
# The sentence around the edition's date and address (each set in a left-to-right isolate between the parts).
CITE_INTRO = (
    "هذه طبعة الموقع بتاريخ ",
    "، على العنوان ",
    ". لا نعرف كاتب التقرير ولا ناشره الأصلي ولا تاريخ نشره، فلا يذكرها الاستشهاد. "
    "انسخ هذا المدخل إلى برنامج المراجع؛ بصمة الملف فيه تثبت أي نص تستشهد به:",
)
UNDATED = "غير مؤرخة"
RIS_NOTE = "النص كما ورد: {name}، بصمة SHA-256: {sha256}"


@dataclass(frozen=True)
class Edition:
    """This build's publication of the report: what a citation of it names."""

    title: str  # the project's title (an addition: the report has none)
    url: str  # the article page's absolute address
    date: date | None  # the commit's date; None when neither SOURCE_DATE_EPOCH nor git gives one
    file_name: str  # the received file, as published for download
    sha256: str  # of the received file
    language: str = "ar"


def epoch_date(value: str) -> date:
    """The UTC date of ``value``, seconds since 1970 as SOURCE_DATE_EPOCH holds them; DataError when it is not."""
    if not value.isascii() or not value.isdigit() or len(value) > 11:
        raise DataError(EPOCH_VARIABLE, "", f"{value!r} is not a whole number of seconds since 1970")
    return datetime.fromtimestamp(int(value), UTC).date()


def edition_date(environ: Mapping[str, str], root: Path) -> date | None:
    """The edition's date: SOURCE_DATE_EPOCH's, else the last commit's in ``root`` (as the Makefile sets it).

    A copy without git history and without the variable has no known date: None, never the clock's.
    """
    if EPOCH_VARIABLE in environ:
        return epoch_date(environ[EPOCH_VARIABLE])
    try:
        result = subprocess.run(
            ["git", "-C", str(root), "log", "-1", "--format=%ct"],
            capture_output=True,
            text=True,
            check=False,
            timeout=30,
        )
    except (OSError, subprocess.TimeoutExpired):
        return None
    stamp = result.stdout.strip()
    return epoch_date(stamp) if result.returncode == 0 and stamp else None


def highwire_tags(edition: Edition) -> list[tuple[str, str]]:
    """The ``<meta name content>`` pairs reference managers and scholarly indexes read, in order.

    The date is this edition's publication date, as the JSON-LD's datePublished; no author, publisher or
    original date, which are not known.
    """
    tags = [("citation_title", edition.title), ("citation_language", edition.language)]
    if edition.date is not None:
        tags.append(("citation_publication_date", edition.date.strftime(HIGHWIRE_DATE)))
    tags += [("citation_public_url", edition.url), ("citation_fulltext_html_url", edition.url)]
    return tags


def ris_note(edition: Edition) -> str:
    """The entry's note: which file, by its SHA-256, the edition publishes."""
    return RIS_NOTE.format(name=edition.file_name, sha256=edition.sha256)


def ris_entry(edition: Edition) -> str:
    """The edition as one RIS entry (UTF-8 text, one field a line): type, title, language, date, address, hash.

    The values are single lines: the title is a checked text (no line break) and the address a checked URL.
    """
    fields = [("TY", RIS_TYPE), ("TI", edition.title), ("LA", edition.language)]
    if edition.date is not None:
        fields += [("PY", f"{edition.date.year:04d}"), ("DA", edition.date.strftime(HIGHWIRE_DATE))]
    fields += [
        ("UR", edition.url),
        ("N1", ris_note(edition)),
        ("ER", ""),
    ]
    return "".join(f"{tag}  - {value}\n" for tag, value in fields)


def shown_date(edition: Edition) -> str:
    """The edition's date as the page shows it: ISO 8601, the form the JSON-LD gives, or 'undated'."""
    return edition.date.isoformat() if edition.date is not None else UNDATED


def cite_markdown(edition: Edition) -> str:
    """The provenance page's citation block: heading, what is cited (and what is not known), the RIS entry.

    Written as the provenance page writes raw HTML: every text escaped, the entry in a
    ``<pre>`` that keeps its lines for copying, left to right as the format's tags read.
    """
    before_date, before_url, after_url = CITE_INTRO
    intro = isolated(before_date) + ltr(shown_date(edition), lang=None) + isolated(before_url)
    intro += ltr(edition.url) + isolated(after_url)
    return (
        f"## {escape_text(CITE_HEADING)} {{ data-search-exclude }}\n\n{intro}\n\n"
        f'<pre class="provenance-citation" dir="ltr">{escape_text(ris_entry(edition))}</pre>\n'
    )
