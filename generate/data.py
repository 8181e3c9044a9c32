"""Strict reading of the editorial data files (source/report.yml, source/provenance.yml).

Every problem is one line, ``FILE: field.path: problem``. A ``source_sha256`` that is not the SHA-256 of the
text the file describes fails the build, so the text cannot be replaced without reviewing the file.
"""

from __future__ import annotations

import ipaddress
import re
import unicodedata
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit

import idna
import yaml

from report2md.source import (
    acceptance_problem,
    character_problem,
    describe,
    is_invisible,
    is_visible,
    parse_code_point,
)

# An editorial file is a page of facts (today's are 3 and 7 KB); a megabyte of YAML stalls the parser for seconds.
MAX_DATA_BYTES = 100_000
# A claim is a sentence or two (today's longest text is 192); a title of 800 KB, in every page, took minutes.
MAX_TEXT_CHARS = 1_000


class DataError(ValueError):
    """A data file is not as its schema says; names the file, the field and the problem."""

    def __init__(self, file: str, field: str, problem: str) -> None:
        super().__init__(f"{file}: {field}: {problem}" if field else f"{file}: {problem}")


class _StrictLoader(yaml.SafeLoader):
    """PyYAML's safe loader, refusing a key given twice (PyYAML keeps the last one silently), merge keys and
    keys that are not names."""

    def construct_mapping(self, node: yaml.MappingNode, deep: bool = False) -> dict[Any, Any]:
        seen: set[Any] = set()
        for key_node, _ in node.value:
            if key_node.tag == "tag:yaml.org,2002:merge":
                problem = "a merge key (<<) is not accepted; write each field out"
            elif not isinstance(key := self.construct_object(key_node, deep=deep), str):
                problem = f"a key must be a name, not {type(key).__name__}"
            elif key in seen:
                problem = f"duplicate key {key!r}"
            else:
                seen.add(key)
                continue
            raise yaml.constructor.ConstructorError(None, None, problem, key_node.start_mark)
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
        raise DataError(
            name, "", f"over {MAX_DATA_BYTES:,} bytes (MAX_DATA_BYTES); an editorial file is a page of facts, not more"
        )
    return data


def read_yaml(path: Path, name: str) -> Any:
    """The YAML document in ``path``; ``name`` is used in messages, each one line."""
    try:
        text = read_bounded(path, name).decode("utf-8")
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
    """One line that shows something, of at most MAX_TEXT_CHARS, with no character the converter refuses and
    no invisible one: not even ZWNJ, ZWJ or a direction mark, which the report keeps; what ours says, it shows."""
    if not isinstance(value, str):
        raise DataError(file, field, f"must be a text, not {type(value).__name__}")
    if len(value) > MAX_TEXT_CHARS:
        limit = f"a text has at most {MAX_TEXT_CHARS:,} (MAX_TEXT_CHARS)"
        raise DataError(file, field, f"{len(value):,} characters; {limit}")
    if not any(map(is_visible, value)):
        raise DataError(file, field, "must not be empty or blank only in appearance")
    if "\n" in value:
        where = f"character {value.index(chr(10)) + 1}"
        raise DataError(file, field, f"{where}: a line break; a text is one line (YAML's '>' folds lines)")
    for index, char in enumerate(value, 1):
        problem = character_problem(char)
        if not problem and is_invisible(char):
            problem = f"{describe(char)} is invisible; no reader would see it"
        if problem:
            raise DataError(file, field, f"character {index}: {problem}")
    return value


def accepted_character(value: Any, file: str, field: str) -> str:
    """A character the report's text may hold although invisible, named ``U+XXXX``: only a format, private-use
    or tag character (report2md.source.acceptance_problem); ZWNJ, ZWJ and the direction marks need no acceptance."""
    char = parse_code_point(value) if isinstance(value, str) else None
    if char is None:
        raise DataError(file, field, "must be a code point written U+XXXX (upper-case hexadecimal), e.g. U+200B")
    if problem := acceptance_problem(char):
        raise DataError(file, field, problem)
    return char


NOT_A_WEB_ADDRESS = "must be an absolute https: or http: address"


def web_address_problem(url: str) -> str | None:
    """Why ``url`` is not an absolute http(s) address with a plain host (host_problem), or None when it is."""
    try:
        parts = urlsplit(url)
        port = parts.port
    except ValueError as error:  # a bracket not closed, a port that is not a number, a netloc NFKC would change
        return f"{NOT_A_WEB_ADDRESS} ({error})"
    if parts.scheme not in ("https", "http") or not parts.hostname or not url.isprintable() or " " in url:
        return NOT_A_WEB_ADDRESS
    if "@" in parts.netloc:  # https://aljazeera.net@example.org/ goes to example.org, whatever its label says
        return "must not name a user (user@host or user:password@host): the address would go elsewhere than it seems to"
    if port == 0:
        return "port 0 is not a port a site is served on"
    return host_problem(parts.hostname)


# A host name as DNS has it: labels of ASCII letters, digits and hyphens (LDH), not starting or ending with one.
_LDH_LABEL = re.compile(r"[a-z0-9](?:[a-z0-9-]{0,61}[a-z0-9])?")
# A last label that WHATWG URL parsers read as a number, making the whole host an IPv4 address.
_NUMERIC_LABEL = re.compile(r"[0-9]+|0x[0-9a-f]*")


def host_problem(host: str) -> str | None:
    """Why ``host`` (lower case, as urlsplit gives it) is not plain, or None when it is.

    Plain: ASCII LDH labels, punycode (xn--) only when valid, a final number only in a dotted-decimal IPv4
    address. Anything else can read as one site and lead to another ('а' for 'a', '0x7f.1' for 127.0.0.1).
    """
    if not host.isascii():
        return _non_ascii_host_problem(host)
    if ":" in host:
        return f"the host {host!r} is an IPv6 address; write the site's host name"
    labels = host.split(".")
    if _NUMERIC_LABEL.fullmatch(labels[-1]):
        try:
            if str(ipaddress.IPv4Address(host)) == host:
                return None
        except ValueError:
            pass
        return (
            f"the host {host!r} ends in a number, so browsers read it as an IP address: write"
            " an IPv4 address as four decimal numbers (a.b.c.d) or the host name"
        )
    if len(host) > 253:
        return f"the host is {len(host)} characters long; a host name has at most 253"
    for index, label in enumerate(labels, 1):
        if not _LDH_LABEL.fullmatch(label):
            return (
                f"the host {host!r}: label {index} ({label!r}) must be 1 to 63 ASCII letters, digits and hyphens,"
                " not starting or ending with a hyphen"
            )
        if label.startswith("xn--") and not _is_punycode(label):
            return f"the host {host!r}: label {index} ({label!r}) starts with xn-- but is not valid punycode"
    return None


def _is_punycode(label: str) -> bool:
    """``label`` (xn--...) is the IDNA 2008 encoding of a non-ASCII label, as browsers read it (xn--strae-oqa too)."""
    try:
        decoded = idna.decode(label)
        return not decoded.isascii() and idna.encode(decoded).decode("ascii") == label
    except (idna.IDNAError, UnicodeError):
        return False


def _non_ascii_host_problem(host: str) -> str:
    """The message for a host with characters outside ASCII: which, whether it mixes scripts, its punycode form."""
    index, char = next((i, c) for i, c in enumerate(host, 1) if not c.isascii())
    problem = f"the host {host!r} is not plain ASCII: character {index} is {describe(char)}"
    for label in host.split("."):
        scripts = sorted({unicodedata.name(c, "?").split()[0].title() for c in label if c.isalpha()})
        if len(scripts) > 1:
            problem += f"; {label!r} mixes {' and '.join(scripts)} letters, as look-alike addresses do"
            break
    try:
        # As a browser's URL parser maps and encodes a host (UTS 46, non-transitional: 'ß' stays 'ß').
        punycode = idna.encode(host, uts46=True, transitional=False).decode("ascii")
        if idna.decode(punycode) == host:
            return f"{problem}; if it is the site meant, write its host in punycode, {punycode}"
    except (idna.IDNAError, UnicodeError):
        pass
    return (
        f"{problem}; IDNA would change some of its characters (browsers differ on where it leads):"
        " write the host in ASCII as the site itself gives it"
    )


# The site's own address: https (or this machine's over http, for `make serve` and the tests), a host, a port, a
# path of plain segments ending in '/'. Nothing needing escaping where it goes (attributes, JSON-LD, robots.txt,
# the sitemap, an inline script), and no user, query or fragment, which would not survive paths appended.
_SITE_ADDRESS = re.compile(
    r"(?:https://[A-Za-z0-9-]+(?:\.[A-Za-z0-9-]+)*|http://(?:127\.0\.0\.1|localhost))"
    r"(?::[0-9]{1,5})?/(?:(?:[A-Za-z0-9._~-]|%[0-9A-Fa-f]{2})+/)*"
)


def site_address(value: str, file: str, field: str) -> str:
    """The address the site is published at (``site_url``), refused unless it is plain (``_SITE_ADDRESS``)."""
    if not _SITE_ADDRESS.fullmatch(value):
        raise DataError(
            file,
            field,
            f"{value!r} must be an absolute https: address ending in '/', of letters, digits and - . _ ~ %"
            " (e.g. https://owner.github.io/repository/), or http://127.0.0.1:PORT/… on this machine",
        )
    return value


def address(*local: str) -> Check:
    """An absolute web address, or one of the ``local`` names."""

    def check(value: Any, file: str, field: str) -> str:
        problem = web_address_problem(text(value, file, field))
        if problem and value not in local:
            alternative = f" (or {', '.join(local)})" if local and problem.startswith(NOT_A_WEB_ADDRESS) else ""
            raise DataError(file, field, problem + alternative)
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


def sha256_hex(value: Any, file: str, field: str) -> str:
    if not isinstance(value, str) or not re.fullmatch(r"[0-9a-f]{64}", value):
        raise DataError(file, field, "must be a SHA-256 in 64 lower-case hexadecimal digits")
    return value


@dataclass(frozen=True)
class Optional:
    check: Check


def mapping(fields: dict[str, Check | Optional]) -> Check:
    """A mapping with exactly these fields (an Optional one may be left out), checked in this order."""

    def check(value: Any, file: str, field: str) -> dict[str, Any]:
        if not isinstance(value, dict):
            raise DataError(file, field, f"must be a mapping of fields, not {type(value).__name__}")
        prefix = f"{field}." if field else ""
        for key in value:
            if key not in fields:
                raise DataError(file, f"{prefix}{key}", f"unknown field (known: {', '.join(fields)})")
        checked = {}
        for key, schema in fields.items():
            if value.get(key) is not None:
                inner = schema.check if isinstance(schema, Optional) else schema
                checked[key] = inner(value[key], file, f"{prefix}{key}")
            elif not isinstance(schema, Optional):
                raise DataError(file, f"{prefix}{key}", "missing")
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
