"""The files the build reads and publishes from the repository's folders: what they may be; source/ read.

Each check raises DataError naming the file, before the render stage reads anything: ``check_tree`` refuses any
entry that is not a regular file or a folder (a symbolic link could publish /etc/passwd, a FIFO hang the build),
``check_published`` any file of ``docs/`` that is not a kind the site publishes or is an SVG that can run a script
(an .xhtml file or an SVG with a <script> is a page of the site's origin, outside every page's policy).
``read_inputs`` reads and checks source/ into the ``Inputs`` every later step starts from.
"""

from __future__ import annotations

import hashlib
import os
import re
import stat
from collections.abc import Collection, Iterator, Sequence
from dataclasses import asdict, dataclass, is_dataclass
from datetime import date
from pathlib import Path, PurePosixPath
from xml.parsers import expat

from generate import citation
from generate.additions import Additions, load_additions
from generate.data import DataError
from generate.origin import RECEIVED_FILE, Item, load_provenance
from report2md import Conversion, convert
from report2md.cli import one_line
from report2md.source import MAX_SOURCE_BYTES, check_size, undrawn_problem

SOURCE = Path("source", RECEIVED_FILE)
ADDITIONS = Path("source/report.yml")
ORIGIN = Path("source/provenance.yml")
# The folders of the repository the build reads or publishes from.
BUILD_FOLDERS = ("source", "fonts", "docs", "overrides")
# A file of the build is a text, a template, a stylesheet, a script, a font or an icon (today's largest, a font, is
# 170 KB): a larger one is refused by its size, unread (a sparse terabyte would exhaust memory or fill the disk).
MAX_FILE_BYTES = 10_000_000

# What docs/ may publish. A browser opens an HTML-like file as a page of the site's origin, and MkDocs renders a
# Markdown file as a page: add a kind here only with a reason it cannot run.
PUBLISHED_SUFFIXES = frozenset(
    {".css", ".js", ".svg", ".png", ".jpg", ".jpeg", ".gif", ".webp", ".avif", ".ico", ".woff2", ".woff"}
)
# Named in the message, so that the refusal says why, not only that it is not listed.
HTML_LIKE_SUFFIXES = frozenset(
    {".htm", ".html", ".xhtml", ".xht", ".shtml", ".shtm", ".stm", ".mht", ".mhtml", ".xml", ".xsl", ".xslt", ".php"}
)

# SVG elements that run or embed active content: scripts (SVG's and HTML's), SVG Tiny's handler and listener,
# foreignObject (HTML inside SVG) and HTML's frames and plug-ins.
ACTIVE_SVG_ELEMENTS = frozenset(
    {"script", "handler", "listener", "foreignobject", "iframe", "frame", "object", "embed", "applet"}
)
# Address schemes that run code, or open a document that can, wherever they stand in a value: an <a href>, an
# <animate values="...;javascript:..."> or <set to=...> that writes one into an href.
_ACTIVE_ADDRESS = re.compile(r"(?:javascript|vbscript):|data:(?!image/(?:png|jpeg|gif|webp|avif)[;,])", re.I)
# Browsers drop ASCII tabs and newlines inside a scheme ("java\tscript:"), and ignore control characters.
_DROPPED_IN_SCHEMES = re.compile(r"[\x00-\x20]")
# What an entry that is neither a file, a folder nor a link is, by the type letter ``stat.filemode`` gives it.
_KINDS = {"p": "a FIFO (named pipe)", "s": "a socket", "c": "a character device", "b": "a block device"}


def _entries(folder: Path) -> Iterator[Path]:
    """Every entry under ``folder`` (``folder`` first), in a stable order, never following a symbolic link."""
    yield folder
    if folder.is_symlink() or not folder.is_dir():
        return
    for directory, folders, files in os.walk(folder):
        folders.sort()  # os.walk descends in this order
        for name in [*folders, *sorted(files)]:
            yield Path(directory, name)


def check_tree(root: Path, folders: Sequence[str] = BUILD_FOLDERS) -> None:
    """Raise DataError at the first entry of ``folders`` (under ``root``) that is not a regular file or folder.

    Each entry is lstat'ed, never followed or opened; a file with a second name (a hard link) or over
    MAX_FILE_BYTES is refused too.
    A folder that does not exist is left to the stage that needs it.
    """
    for name in folders:
        if not (root / name).is_symlink() and not (root / name).exists():
            continue
        for path in _entries(root / name):
            status = path.lstat()
            where = one_line(path.relative_to(root).as_posix())
            if stat.S_ISLNK(status.st_mode):
                target = one_line(str(path.readlink()))
                raise DataError(where, "", f"is a symbolic link (to {target}); put the file itself in the repository")
            if stat.S_ISREG(status.st_mode) and status.st_nlink > 1:
                # A second name of a file that may live anywhere on the same disk: no checkout makes one.
                raise DataError(where, "", f"has {status.st_nlink} hard links; put a copy of its own in the repository")
            if stat.S_ISREG(status.st_mode) and status.st_size > MAX_FILE_BYTES:
                limit = f"a file of the build has at most {MAX_FILE_BYTES:,} (MAX_FILE_BYTES)"
                raise DataError(where, "", f"is {status.st_size:,} bytes; {limit}")
            if not stat.S_ISREG(status.st_mode) and not stat.S_ISDIR(status.st_mode):
                kind = _KINDS.get(stat.filemode(status.st_mode)[0], "not a regular file")
                raise DataError(where, "", f"is {kind}; only regular files are read or published")


def check_published(docs_dir: Path, shown_as: str = "docs") -> None:
    """Raise DataError at the first file of ``docs_dir`` the site does not mean to publish, or an active SVG.

    Files whose name starts with '.' are skipped, as MkDocs leaves them out (its default exclude_docs).
    ``shown_as`` names the folder in messages.
    """
    for path in _entries(docs_dir):
        relative = path.relative_to(docs_dir)
        if any(part.startswith(".") for part in relative.parts) or path.is_dir():
            continue
        where = one_line(str(PurePosixPath(shown_as, relative.as_posix())))
        suffix = path.suffix.lower()
        if suffix in HTML_LIKE_SUFFIXES:
            problem = f"a {suffix} file opens as a page of the site, outside its policy; docs/ holds no pages"
        elif suffix not in PUBLISHED_SUFFIXES:
            problem = f"not a kind of file the site publishes (docs/ holds {' '.join(sorted(PUBLISHED_SUFFIXES))} only)"
        else:
            problem = svg_problem(path.read_bytes()) if suffix == ".svg" else None
        if problem:
            raise DataError(where, "", problem)


class _Refused(Exception):
    """Stops expat at the first problem (raised from a handler, it ends Parse)."""


def svg_problem(data: bytes) -> str | None:
    """Why the SVG document ``data`` could run a script when opened, or None when it cannot.

    Expat is given no DTD, entity or processing instruction (a DOCTYPE can declare entities that expand into
    markup or read files; an <?xml-stylesheet?> can apply XSLT that writes a script); then no element may be
    active (ACTIVE_SVG_ELEMENTS), no attribute an event handler (on...), no value a javascript:, vbscript: or
    non-image data: address.
    """
    parser = expat.ParserCreate(namespace_separator=" ")

    def refuse(problem: str) -> None:
        raise _Refused(f"line {parser.CurrentLineNumber}: {problem}")

    def start(name: str, attributes: dict[str, str]) -> None:
        local = name.rsplit(" ", 1)[-1]
        if local.lower() in ACTIVE_SVG_ELEMENTS:
            refuse(f"a <{local}> element, which can run a script")
        for attribute, value in attributes.items():
            attribute_local = attribute.rsplit(" ", 1)[-1]
            if attribute_local.lower().startswith("on"):
                refuse(f"an event-handler attribute ({attribute_local}= on <{local}>), which runs a script")
            if _ACTIVE_ADDRESS.search(_DROPPED_IN_SCHEMES.sub("", value)):
                refuse(f"the {attribute_local}= of <{local}> holds a javascript:, vbscript: or data: address")

    parser.StartElementHandler = start
    parser.StartDoctypeDeclHandler = lambda *_: refuse("a DOCTYPE (it can declare entities); an SVG needs none")
    parser.EntityDeclHandler = lambda *_: refuse("an entity declaration")
    parser.ProcessingInstructionHandler = lambda target, _: refuse(
        f"a processing instruction (<?{one_line(target)}?>), which can apply a stylesheet that runs scripts"
    )
    parser.ExternalEntityRefHandler = lambda *_: refuse("a reference to an external entity")
    try:
        parser.Parse(data, True)
    except _Refused as refused:
        return str(refused)
    except expat.ExpatError as error:
        return f"not well-formed XML ({one_line(str(error))}); a browser would not draw it"
    return None


@dataclass(frozen=True)
class Inputs:
    """source/, read and checked: the received bytes, their conversion, and the two editorial files."""

    data: bytes
    sha256: str  # of data
    conversion: Conversion
    additions: Additions
    origin: dict[str, tuple[Item, ...]]
    edition_date: date | None = None  # this edition's (generate.citation.edition_date); None: not known


def read_inputs(root: Path) -> Inputs:
    """Read and check source/ under ``root``; SourceError or DataError name the file and the problem.

    Only regular files are read (check_tree): a symbolic link could publish any file of the building machine.
    """
    check_tree(root, ["source"])
    with (root / SOURCE).open("rb") as stream:
        data = stream.read(MAX_SOURCE_BYTES + 1)
    check_size(data, str(SOURCE))  # before its hash is compared: a larger text is refused, and never read whole
    sha256 = hashlib.sha256(data).hexdigest()
    # report.yml first: it names the invisible characters the text may hold (accepted_characters).
    added = load_additions(root / ADDITIONS, str(ADDITIONS), sha256)
    conversion = convert(data, str(SOURCE), frozenset(accepted.char for accepted in added.accepted_characters))
    for name in added.other_names:  # search finds the name where it stands: it must stand somewhere
        if name not in conversion.source.text:
            raise DataError(str(ADDITIONS), f"other_names.{name}", "the text does not hold this name")
    return Inputs(
        data=data,
        sha256=sha256,
        conversion=conversion,
        additions=added,
        origin=load_provenance(root / ORIGIN, str(ORIGIN), sha256),
        edition_date=citation.edition_date(os.environ, root),
    )


def _texts(value: object, field: str = "") -> Iterator[tuple[str, str]]:
    """Every text in ``value`` (dataclasses, mappings, sequences) with its field path, as the data files spell it."""
    if is_dataclass(value) and not isinstance(value, type):
        value = asdict(value)
    if isinstance(value, dict):
        for key, inner in value.items():
            yield from _texts(inner, f"{field}.{key}" if field else key)
    elif isinstance(value, (list, tuple)):
        for index, inner in enumerate(value):
            yield from _texts(inner, f"{field}[{index}]")
    elif isinstance(value, str):
        yield field, value


def check_drawable_texts(inputs: Inputs, drawable: Collection[int], fonts: str) -> None:
    """DataError at the first shown text of the data files with a character no font (``fonts``) draws.

    Found here, naming the field, rather than as a box on the page or in the finishing stage. Addresses are not shown.
    """
    for name, value in ((ADDITIONS, inputs.additions), (ORIGIN, inputs.origin)):
        for field, text in _texts(value):
            if field.endswith(".url"):
                continue
            for index, char in enumerate(text, start=1):
                if problem := undrawn_problem(char, drawable, fonts):
                    raise DataError(str(name), field, f"character {index}: {problem}")
