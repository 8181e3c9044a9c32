"""Strict reading of the editorial data files (source/report.yml, source/provenance.yml).

Every problem is one line, ``FILE: field.path: problem``: bytes that are
not UTF-8, YAML that does not parse, duplicate or unknown keys, a value of
the wrong type, an empty or unsafe text, a number out of range, an address
that is not an absolute web address, and a ``source_sha256`` that is not the
SHA-256 of the text the file describes (so that replacing the text without
reviewing the file fails the build).
"""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit

import yaml

from report2md.source import character_problem, is_visible

# An editorial file is a page of facts: a bigger one is a mistake, and would stall every build in the parser.
MAX_DATA_BYTES = 1_000_000


class DataError(ValueError):
    """A data file is not as its schema says; names the file, the field and the problem."""

    def __init__(self, file: str, field: str, problem: str) -> None:
        self.file, self.field, self.problem = file, field, problem
        super().__init__(f"{file}: {field}: {problem}" if field else f"{file}: {problem}")


class _StrictLoader(yaml.SafeLoader):
    """PyYAML's safe loader, refusing a key given twice (PyYAML keeps the last one silently)."""

    def construct_mapping(self, node: yaml.MappingNode, deep: bool = False) -> dict[Any, Any]:
        seen: set[Any] = set()
        for key_node, _ in node.value:
            if key_node.tag == "tag:yaml.org,2002:merge":
                raise yaml.constructor.ConstructorError(
                    None, None, "a merge key (<<) is not accepted; write each field out", key_node.start_mark
                )
            key = self.construct_object(key_node, deep=deep)
            if not isinstance(key, str):
                raise yaml.constructor.ConstructorError(
                    None, None, f"a key must be a name, not {type(key).__name__}", key_node.start_mark
                )
            if key in seen:
                raise yaml.constructor.ConstructorError(None, None, f"duplicate key {key!r}", key_node.start_mark)
            seen.add(key)
        return super().construct_mapping(node, deep=deep)

    def construct_yaml_int(self, node: yaml.ScalarNode) -> int:
        try:
            return super().construct_yaml_int(node)
        except ValueError:  # more digits than Python converts (sys.get_int_max_str_digits)
            raise yaml.constructor.ConstructorError(None, None, "a number too long", node.start_mark) from None


_StrictLoader.add_constructor("tag:yaml.org,2002:int", _StrictLoader.construct_yaml_int)


def read_bounded(path: Path, name: str) -> bytes:
    """The bytes of the data file ``path``, refused unread past MAX_DATA_BYTES; ``name`` is used in messages."""
    with path.open("rb") as stream:
        data = stream.read(MAX_DATA_BYTES + 1)
    if len(data) > MAX_DATA_BYTES:
        raise DataError(name, "", f"over {MAX_DATA_BYTES:,} bytes; an editorial file is a page of facts, not more")
    return data


def read_yaml(path: Path, name: str) -> Any:
    """The YAML document in ``path``; ``name`` is used in messages, each one line."""
    data = read_bounded(path, name)
    try:
        text = data.decode("utf-8")
    except UnicodeDecodeError as error:
        raise DataError(name, "", f"bytes that are not UTF-8 at byte offset {error.start}") from None
    try:
        return yaml.load(text, Loader=_StrictLoader)
    except yaml.MarkedYAMLError as error:
        where = f"line {error.problem_mark.line + 1}" if error.problem_mark else ""
        raise DataError(name, where, error.problem or error.context or "YAML that does not parse") from None
    except yaml.reader.ReaderError as error:
        char = error.character if isinstance(error.character, str) else chr(error.character)
        where = f"line {text.count(chr(10), 0, error.position) + 1}"
        raise DataError(name, where, f"character U+{ord(char):04X}, which YAML does not accept") from None
    except RecursionError:
        raise DataError(name, "", "nested too deeply to read") from None


# A schema is a type check: a callable that returns the checked value or raises DataError.
Check = Callable[[Any, str, str], Any]


def text(value: Any, file: str, field: str) -> str:
    """A text that shows something (as the report's lines must), with no character the converter would refuse."""
    if not isinstance(value, str):
        raise DataError(file, field, f"must be a text, not {type(value).__name__}")
    if not any(map(is_visible, value)):
        raise DataError(file, field, "must not be empty or blank only in appearance")
    if "\n" in value:
        line = value.index("\n")
        raise DataError(file, field, f"character {line + 1}: a line break; a text is one line (YAML's '>' folds lines)")
    for index, char in enumerate(value):
        problem = character_problem(char)
        if problem:
            raise DataError(file, field, f"character {index + 1}: {problem}")
    return value


def web_address_problem(url: str) -> str | None:
    """Why ``url`` is not an absolute http(s) address with a host, or None when it is."""
    parts = urlsplit(url)
    if parts.scheme not in ("https", "http") or not parts.hostname or not url.isprintable() or " " in url:
        return "must be an absolute https: or http: address"
    if "@" in parts.netloc:
        # https://aljazeera.net@example.org/ goes to example.org, whatever its label says.
        return "must not name a user (user@host): the address would go elsewhere than it seems to"
    return None


# The site's own address: https, a host, an optional port, a path of plain segments ending in '/'. Nothing that
# needs escaping anywhere it goes (attributes, JSON-LD, robots.txt, the sitemap, Material's inline script), and no
# user, query or fragment, which would not survive having paths appended.
_SITE_ADDRESS = re.compile(
    r"https://[A-Za-z0-9-]+(?:\.[A-Za-z0-9-]+)*(?::[0-9]{1,5})?/(?:(?:[A-Za-z0-9._~-]|%[0-9A-Fa-f]{2})+/)*"
)


def site_address(value: str, file: str, field: str) -> str:
    """The address the site is published at (``site_url``), refused unless it is plain (``_SITE_ADDRESS``)."""
    if not _SITE_ADDRESS.fullmatch(value):
        raise DataError(
            file,
            field,
            f"{value!r} must be an absolute https: address ending in '/', of letters, digits and - . _ ~ %"
            " (e.g. https://owner.github.io/repository/)",
        )
    return value


def address(*local: str) -> Check:
    """An absolute web address, or one of the ``local`` names."""

    def check(value: Any, file: str, field: str) -> str:
        value = text(value, file, field)
        problem = web_address_problem(value)
        if problem and value not in local:
            raise DataError(file, field, problem + (f" (or {', '.join(local)})" if local else ""))
        return value

    return check


def integer(low: int, high: int) -> Check:
    def check(value: Any, file: str, field: str) -> int:
        if not isinstance(value, int) or isinstance(value, bool):
            raise DataError(file, field, f"must be a whole number, not {type(value).__name__}")
        if not low <= value <= high:
            raise DataError(file, field, f"must be between {low} and {high}, not {value}")
        return value

    return check


def one_of(*choices: str) -> Check:
    def check(value: Any, file: str, field: str) -> str:
        if value not in choices:
            raise DataError(file, field, f"must be one of {', '.join(choices)}, not {value!r}")
        return value

    return check


_SHA256 = re.compile(r"[0-9a-f]{64}")


def sha256_hex(value: Any, file: str, field: str) -> str:
    if not isinstance(value, str) or not _SHA256.fullmatch(value):
        raise DataError(file, field, "must be a SHA-256 in 64 lower-case hexadecimal digits")
    return value


@dataclass(frozen=True)
class Optional:
    check: Check


def mapping(fields: dict[str, Check | Optional]) -> Check:
    """A mapping with exactly these fields (an Optional one may be left out)."""

    def check(value: Any, file: str, field: str) -> dict[str, Any]:
        if not isinstance(value, dict):
            raise DataError(file, field, f"must be a mapping of fields, not {type(value).__name__}")
        prefix = f"{field}." if field else ""
        for key in value:
            if key not in fields:
                raise DataError(file, f"{prefix}{key}", f"unknown field (known: {', '.join(fields)})")
        checked = {}
        for key, schema in fields.items():
            if key not in value or value[key] is None:
                if isinstance(schema, Optional):
                    continue
                raise DataError(file, f"{prefix}{key}", "missing")
            inner = schema.check if isinstance(schema, Optional) else schema
            checked[key] = inner(value[key], file, f"{prefix}{key}")
        return checked

    return check


def items(schema: Check) -> Check:
    """A non-empty list, each item checked by ``schema``."""

    def check(value: Any, file: str, field: str) -> list[Any]:
        if not isinstance(value, list) or not value:
            raise DataError(file, field, "must be a list of at least one item")
        return [schema(item, file, f"{field}[{index}]") for index, item in enumerate(value)]

    return check


def load(path: Path, name: str, schema: Check, source_sha256: str) -> dict[str, Any]:
    """Read ``path``, check it against ``schema`` and against the SHA-256 of the text it describes."""
    data = schema(read_yaml(path, name), name, "")
    if data["source_sha256"] != source_sha256:
        raise DataError(
            name,
            "source_sha256",
            f"this file describes the text with SHA-256 {data['source_sha256']}, but the text now has"
            f" {source_sha256}: review the file for the new text, then set source_sha256 to the new value",
        )
    return data
