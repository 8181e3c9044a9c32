"""The project's own additions (source/report.yml): loading and checking.

Every text the project adds to the publication lives in that one file. This
module checks its shape and derives the page description from the source;
it knows nothing about MkDocs (the hook turns MetadataError into PluginError).
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path
from typing import Any

import yaml


class MetadataError(ValueError):
    """A data file is missing a field or has one of the wrong kind."""

    def __init__(self, file: str, problem: str) -> None:
        self.file = file
        self.problem = problem
        super().__init__(f"{file}: {problem}")


@dataclass(frozen=True)
class Labels:
    permalink: str
    heading_permalink: str
    copied: str


@dataclass(frozen=True)
class NotFound:
    title: str
    message: str
    home_link: str


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


def load_yaml_mapping(path: Path) -> dict[str, Any]:
    """A YAML file whose top level must be a mapping."""
    try:
        data = yaml.safe_load(path.read_text(encoding="utf-8"))
    except (OSError, yaml.YAMLError) as error:
        raise MetadataError(str(path), f"cannot be read as YAML: {error}") from None
    if not isinstance(data, dict):
        raise MetadataError(str(path), "the top level must be a mapping of fields")
    return data


def require(data: dict[str, Any], key: str, kind: type, where: str) -> Any:
    """``data[key]``, checked to be a non-empty value of ``kind``."""
    if key not in data or data[key] is None:
        raise MetadataError(where, f"missing required field '{key}'")
    value = data[key]
    if not isinstance(value, kind) or isinstance(value, bool) or (isinstance(value, str) and not value.strip()):
        raise MetadataError(where, f"field '{key}' must be a non-empty {kind.__name__}")
    return value


def load_additions(path: Path) -> Additions:
    """Read and check source/report.yml."""
    data = load_yaml_mapping(path)
    where = str(path)
    labels = require(data, "labels", dict, where)
    not_found = require(data, "not_found", dict, where)
    return Additions(
        site_name=require(data, "site_name", str, where),
        title=require(data, "title", str, where),
        notice=require(data, "notice", str, where),
        provenance_link=require(data, "provenance_link", str, where),
        provenance_title=require(data, "provenance_title", str, where),
        provenance_description=require(data, "provenance_description", str, where),
        description_max_chars=require(data, "description_max_chars", int, where),
        excerpt_mark=require(data, "excerpt_mark", str, where),
        labels=Labels(
            permalink=require(labels, "permalink", str, f"{where}: labels"),
            heading_permalink=require(labels, "heading_permalink", str, f"{where}: labels"),
            copied=require(labels, "copied", str, f"{where}: labels"),
        ),
        not_found=NotFound(
            title=require(not_found, "title", str, f"{where}: not_found"),
            message=require(not_found, "message", str, f"{where}: not_found"),
            home_link=require(not_found, "home_link", str, f"{where}: not_found"),
        ),
    )


def opening_words(text: str, max_chars: int) -> str:
    """The longest run of whole words from the start of ``text`` within ``max_chars``.

    Returns the text unchanged when it fits. Never cuts inside a word and never
    alters a character: the result is always a prefix of ``text``.
    """
    if len(text) <= max_chars:
        return text
    cut = text[: max_chars + 1]
    boundary = cut.rfind(" ")
    return text[:boundary].rstrip(" ") if boundary > 0 else text[:max_chars]


def description(first_paragraph: str, additions: Additions) -> tuple[str, bool]:
    """The page description and whether it is an excerpt (then closed with the mark)."""
    limit = additions.description_max_chars - len(additions.excerpt_mark)
    words = opening_words(first_paragraph, limit)
    if words == first_paragraph:
        return words, False
    return words + additions.excerpt_mark, True
