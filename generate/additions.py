"""The project's own additions (source/report.yml), every text it adds to the publication: loading, and the
page description."""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from generate import data


@dataclass(frozen=True)
class SearchLabels:
    """The search box's messages; in the counts (few, many, other), # stands for the number."""

    loading: str
    failed: str
    empty: str
    none: str
    one: str
    two: str
    few: str
    many: str
    other: str


COUNTED = ("few", "many", "other")


@dataclass(frozen=True)
class Labels:
    permalink: str
    heading_permalink: str
    copied: str
    search: SearchLabels


@dataclass(frozen=True)
class NotFound:
    title: str
    message: str
    home_link: str


@dataclass(frozen=True)
class AcceptedCharacter:
    """An invisible character the report's text may hold (report2md's ``accepted``), and why it is kept."""

    char: str  # the file names it by its code point, U+XXXX
    reason: str


@dataclass(frozen=True)
class Additions:
    """Texts written by the project, each shown on the site as an addition."""

    site_name: str
    title: str
    notice: str
    provenance_link: str
    provenance_title: str
    provenance_description: str
    description_max_chars: int
    excerpt_mark: str
    labels: Labels
    not_found: NotFound
    accepted_characters: tuple[AcceptedCharacter, ...] = ()
    # A name as the text writes it: its other names (Latin spellings, common variants), which search finds it by.
    other_names: dict[str, tuple[str, ...]] = field(default_factory=dict)


def _texts(*names: str) -> dict[str, data.Check]:
    return dict.fromkeys(names, data.text)


def _other_names(value: Any, file: str, field: str) -> dict[str, tuple[str, ...]]:
    if not isinstance(value, dict) or not value:
        raise data.DataError(file, field, "must map a name as the text writes it to a list of its other names")
    return {
        data.text(name, file, f"{field} (a name)"): tuple(data.items(data.text)(others, file, f"{field}.{name}"))
        for name, others in value.items()
    }


SCHEMA = data.mapping(
    {
        "source_sha256": data.sha256_hex,
        **_texts("site_name", "title", "notice", "provenance_link", "provenance_title", "provenance_description"),
        "description_max_chars": data.integer(40, 300),  # enough for a sentence, within what search engines show
        "excerpt_mark": data.text,
        "labels": data.mapping(
            {
                **_texts("permalink", "heading_permalink", "copied"),
                "search": data.mapping(_texts(*SearchLabels.__dataclass_fields__)),
            }
        ),
        "not_found": data.mapping(_texts("title", "message", "home_link")),
        "other_names": data.Optional(_other_names),
        # Invisible characters the text may hold, each with why (report2md refuses them otherwise).
        "accepted_characters": data.Optional(
            data.items(data.mapping({"code_point": data.accepted_character, "reason": data.text}))
        ),
    }
)


def load_additions(path: Path, name: str, source_sha256: str) -> Additions:
    """Read and check source/report.yml (``name`` in messages) for the text with ``source_sha256``."""
    fields = data.load(path, name, SCHEMA, source_sha256)
    if len(fields["excerpt_mark"]) >= fields["description_max_chars"]:
        raise data.DataError(name, "excerpt_mark", "must be shorter than description_max_chars")
    for key in COUNTED:
        if fields["labels"]["search"][key].count("#") != 1:
            raise data.DataError(name, f"labels.search.{key}", "must hold one # for the number")
    accepted: dict[str, AcceptedCharacter] = {}
    for index, item in enumerate(fields.pop("accepted_characters", [])):
        if item["code_point"] in accepted:
            raise data.DataError(name, f"accepted_characters[{index}].code_point", "listed twice")
        accepted[item["code_point"]] = AcceptedCharacter(item["code_point"], item["reason"])
    del fields["source_sha256"]
    labels = Labels(**{**fields["labels"], "search": SearchLabels(**fields["labels"]["search"])})
    return Additions(
        **{**fields, "labels": labels, "not_found": NotFound(**fields["not_found"])},
        accepted_characters=tuple(accepted.values()),
    )


def description(first_paragraph: str, additions: Additions) -> tuple[str, bool]:
    """The page description and whether it is an excerpt: then the longest run of whole words from the start
    (a prefix, never cut inside a word unless it is the first) within the limit, closed with the mark."""
    limit = additions.description_max_chars - len(additions.excerpt_mark)
    if len(first_paragraph) <= limit:
        return first_paragraph, False
    boundary = first_paragraph.rfind(" ", 0, limit + 1)
    words = first_paragraph[:boundary].rstrip(" ") if boundary > 0 else first_paragraph[:limit]
    return words + additions.excerpt_mark, True
