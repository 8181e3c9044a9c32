"""schema.org NewsArticle for the article page, from the same facts as the pages."""

from __future__ import annotations

import json
from datetime import date
from typing import Any


def news_article(
    *,
    title: str,
    description: str,
    page_url: str,
    provenance_url: str,
    provenance_title: str,
    download_url: str,
    source_name: str,
    source_sha256: str,
    word_count: int,
    edition_date: date | None = None,
) -> dict[str, Any]:
    """The article's structured data. No author and no original date: the source names neither.

    ``edition_date`` (generate/citation.py) is given as dateModified, not datePublished, which readers of a
    NewsArticle take for the report's own date, which is not known.
    """
    dated = {} if edition_date is None else {"dateModified": edition_date.isoformat()}
    return {
        "@context": "https://schema.org",
        "@type": "NewsArticle",
        "headline": title,
        "description": description,
        "inLanguage": "ar",
        "url": page_url,
        "mainEntityOfPage": page_url,
        "wordCount": word_count,
        "isAccessibleForFree": True,
        "isBasedOn": {
            "@type": "DigitalDocument",
            "name": source_name,
            "url": download_url,
            "encodingFormat": "text/plain; charset=utf-8",
            "inLanguage": "ar",
            "identifier": {"@type": "PropertyValue", "propertyID": "SHA-256", "value": source_sha256},
        },
        "subjectOf": {"@type": "WebPage", "name": provenance_title, "url": provenance_url},
        **dated,
    }


def script_json(data: dict[str, Any] | list[Any]) -> str:
    """JSON safe to place inside <script>: no '<', '>' or '&' can close or open a tag."""
    text = json.dumps(data, ensure_ascii=False, indent=None, separators=(",", ":"))
    return text.replace("&", "\\u0026").replace("<", "\\u003c").replace(">", "\\u003e")
