"""source/provenance.yml, read and checked: what is known of the report's origin, each claim with its status and
sources."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from generate import data

# The received file's name: in source/, as published for download, and as a source below may name it (status
# in-file), to link to the download.
RECEIVED_FILE = "report.ar.txt"
STATUS_LABELS = {"in-file": "في الملف نفسه", "outside-evidence": "دليل من خارج الملف، غير مؤكد"}
SECTIONS = {
    "file_facts": "ما يقوله الملف نفسه",
    "origin": "الناشر والتاريخ والعنوان",
    "cited_source": "المصدر الذي ينقل عنه التقرير",
    "events": "الأحداث التي يذكرها التقرير وتواريخها",
}


@dataclass(frozen=True)
class Source:
    url: str
    label: str


@dataclass(frozen=True)
class Item:
    claim: str
    status: str
    sources: tuple[Source, ...]
    date: str | None = None


def _item_schema(dated: bool) -> data.Check:
    date = data.text if dated else data.Optional(data.text)
    source = data.mapping({"url": data.address(RECEIVED_FILE), "label": data.text})
    return data.mapping(
        {"claim": data.text, "status": data.one_of(*STATUS_LABELS), "sources": data.items(source), "date": date}
    )


SCHEMA = data.mapping(
    {"source_sha256": data.sha256_hex} | {key: data.items(_item_schema(dated=key == "events")) for key in SECTIONS}
)


def load_provenance(path: Path, name: str, source_sha256: str) -> dict[str, tuple[Item, ...]]:
    """Read and check source/provenance.yml (``name`` in messages) for the text with ``source_sha256``."""
    fields = data.load(path, name, SCHEMA, source_sha256)
    return {
        key: tuple(Item(**item | {"sources": tuple(Source(**s) for s in item["sources"])}) for item in fields[key])
        for key in SECTIONS
    }
