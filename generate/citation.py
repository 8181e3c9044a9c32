"""How to cite this edition, the report as one build publishes it: its date, the Highwire ``citation_*`` tags,
a RIS entry and the schema.org NewsArticle, from the same facts.

The date is the commit's (``SOURCE_DATE_EPOCH``), never the clock's: two builds of one commit give the same pages.
The report's author, publisher and original date are not known (source/provenance.yml): no citation names them.
"""

from __future__ import annotations

import subprocess
from collections.abc import Mapping
from dataclasses import dataclass
from datetime import UTC, date, datetime
from pathlib import Path
from typing import Any

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


def edition_date(environ: Mapping[str, str], root: Path) -> date | None:
    """The edition's date: SOURCE_DATE_EPOCH's, else the last commit's in ``root`` (as the Makefile sets it), else
    None (a copy without git history), never the clock's."""
    stamp = environ.get(EPOCH_VARIABLE)
    if stamp is None:
        try:
            git = ["git", "-C", str(root), "log", "-1", "--format=%ct"]
            result = subprocess.run(git, capture_output=True, text=True, check=False, timeout=30)
        except (OSError, subprocess.TimeoutExpired):
            return None
        stamp = result.stdout.strip() if result.returncode == 0 else ""
        if not stamp:
            return None
    if not stamp.isascii() or not stamp.isdigit() or len(stamp) > 11:
        raise DataError(EPOCH_VARIABLE, "", f"{stamp!r} is not a whole number of seconds since 1970")
    return datetime.fromtimestamp(int(stamp), UTC).date()


def highwire_tags(edition: Edition) -> list[tuple[str, str]]:
    """The ``<meta name content>`` pairs reference managers and scholarly indexes read, in order."""
    tags = [("citation_title", edition.title), ("citation_language", "ar")]
    if edition.date is not None:
        tags.append(("citation_publication_date", edition.date.strftime(HIGHWIRE_DATE)))
    tags += [("citation_public_url", edition.url), ("citation_fulltext_html_url", edition.url)]
    return tags


def ris_note(edition: Edition) -> str:
    """The entry's note: which file, by its SHA-256, the edition publishes."""
    return RIS_NOTE.format(name=edition.file_name, sha256=edition.sha256)


def ris_entry(edition: Edition) -> str:
    """The edition as one RIS entry (UTF-8 text, one field a line; the title and address are checked one-liners)."""
    fields = [("TY", RIS_TYPE), ("TI", edition.title), ("LA", "ar")]
    if edition.date is not None:
        fields += [("PY", f"{edition.date.year:04d}"), ("DA", edition.date.strftime(HIGHWIRE_DATE))]
    fields += [("UR", edition.url), ("N1", ris_note(edition)), ("ER", "")]
    return "".join(f"{tag}  - {value}\n" for tag, value in fields)


def shown_date(edition: Edition) -> str:
    """The edition's date as the page shows it: ISO 8601, the form the JSON-LD gives, or 'undated'."""
    return edition.date.isoformat() if edition.date is not None else UNDATED


def cite_markdown(edition: Edition) -> str:
    """The provenance page's citation block: heading, what is cited (and what is not), the RIS entry, escaped
    as the page's other raw HTML, in a left-to-right ``<pre>`` that keeps its lines for copying."""
    before_date, before_url, after_url = CITE_INTRO
    intro = isolated(before_date) + ltr(shown_date(edition), lang=None) + isolated(before_url)
    intro += ltr(edition.url) + isolated(after_url)
    return (
        f"## {escape_text(CITE_HEADING)} {{ data-search-exclude }}\n\n{intro}\n\n"
        f'<pre class="provenance-citation" dir="ltr">{escape_text(ris_entry(edition))}</pre>\n'
    )


def news_article(edition: Edition, description: str, provenance_title: str, word_count: int) -> dict[str, Any]:
    """The article's structured data. No author and no original date: the source names neither.

    The edition's date is given as dateModified, not datePublished, which readers of a NewsArticle take for the
    report's own date, which is not known.
    """
    dated = {} if edition.date is None else {"dateModified": edition.date.isoformat()}
    return {
        "@context": "https://schema.org",
        "@type": "NewsArticle",
        "headline": edition.title,
        "description": description,
        "inLanguage": "ar",
        "url": edition.url,
        "mainEntityOfPage": edition.url,
        "wordCount": word_count,
        "isAccessibleForFree": True,
        "isBasedOn": {
            "@type": "DigitalDocument",
            "name": edition.file_name,
            "url": f"{edition.url}{edition.file_name}",
            "encodingFormat": "text/plain; charset=utf-8",
            "inLanguage": "ar",
            "identifier": {"@type": "PropertyValue", "propertyID": "SHA-256", "value": edition.sha256},
        },
        "subjectOf": {"@type": "WebPage", "name": provenance_title, "url": f"{edition.url}provenance/"},
        **dated,
    }
