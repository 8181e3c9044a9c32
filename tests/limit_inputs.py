"""Inputs at and just over the limits of the build, and a build of them that reports its cost.

Shared by tests/test_limits.py, which checks what the build does with them,
and tests/bench/limits.py (`make bench-limits`), which prints how long it
takes. Each limit is a constant where its input is read
(report2md/source.py, report2md/structure.py, generate/data.py,
generate/inputs.py).
"""

from __future__ import annotations

import hashlib
import os
import subprocess
import sys
import time
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

import yaml
from facts import SOURCE

from generate.data import MAX_TEXT_CHARS
from generate.inputs import MAX_FILE_BYTES
from report2md import MAX_HEADINGS
from report2md.source import MAX_ACCEPTED_PLACES, MAX_LINE_CHARS, MAX_LINES, MAX_SOURCE_BYTES

# Issue 27's texts for "the build is linear": the second four times the first, at MAX_LINES (40,000).
LINEAR_SIZES = (MAX_LINES // 4, MAX_LINES)
WORDS = SOURCE.read_text(encoding="utf-8").replace(".", " ").replace("،", " ").split()
HEADING_EVERY = 20


def generated_text(lines: int) -> str:
    """A text of ``lines`` lines: the report's words one to a paragraph, and a section heading every 20th line.

    At 40,000 lines: MAX_LINES and just under MAX_HEADINGS, in about half a megabyte.
    """
    out = [" ".join(WORDS[:12]) + "."]
    for number in range(1, lines):
        out.append(f"قسم {number}" if number % HEADING_EVERY == 0 else f"{WORDS[number % len(WORDS)]}.")
    return "\n".join(out) + "\n"


@dataclass(frozen=True)
class Build:
    returncode: int
    stderr: str
    wall_seconds: float
    cpu_seconds: float
    peak_bytes: int


def build(project: Path, site: Path) -> Build:
    """``mkdocs build --strict`` of ``project``, with its own process's CPU time and peak memory (wait4)."""
    start = time.monotonic()
    process = subprocess.Popen(
        [sys.executable, "-m", "mkdocs", "build", "--strict", "--site-dir", str(site)],
        cwd=project,
        env={**os.environ, "NO_MKDOCS_2_WARNING": "1"},
        stdout=subprocess.DEVNULL,
        stderr=subprocess.PIPE,
        text=True,
    )
    assert process.stderr is not None
    stderr = process.stderr.read()
    _, status, usage = os.wait4(process.pid, 0)
    process.returncode = os.waitstatus_to_exitcode(status)
    wall = time.monotonic() - start
    return Build(process.returncode, stderr, wall, usage.ru_utime + usage.ru_stime, usage.ru_maxrss * 1024)


def with_text(project: Path, text: bytes) -> None:
    """Give the copy at ``project`` the text ``text``, and both editorial files its SHA-256.

    The other names for search name names of the received text: reviewed for another text, they go.
    """
    old = hashlib.sha256((project / "source" / "report.ar.txt").read_bytes()).hexdigest()
    (project / "source" / "report.ar.txt").write_bytes(text)
    new = hashlib.sha256(text).hexdigest()
    for name in ("report.yml", "provenance.yml"):
        path = project / "source" / name
        path.write_text(path.read_text(encoding="utf-8").replace(old, new), encoding="utf-8")
    path = project / "source" / "report.yml"
    data = yaml.safe_load(path.read_text(encoding="utf-8"))
    data.pop("other_names", None)
    path.write_text(yaml.safe_dump(data, allow_unicode=True), encoding="utf-8")


def with_title(project: Path, title: str) -> None:
    path = project / "source" / "report.yml"
    data = yaml.safe_load(path.read_text(encoding="utf-8"))
    path.write_text(yaml.safe_dump(data | {"title": title}, allow_unicode=True), encoding="utf-8")


FIRST_LINE = " ".join(WORDS[:12]) + "."


def with_accepted_spaces(project: Path) -> None:
    """A zero width space accepted (report.yml), in more places than MAX_ACCEPTED_PLACES."""
    with_text(project, (FIRST_LINE + "\n" + "نص\u200b. " * (MAX_ACCEPTED_PLACES + 1)).encode())
    with (project / "source" / "report.yml").open("a", encoding="utf-8") as stream:
        stream.write("accepted_characters:\n  - code_point: U+200B\n    reason: للاختبار\n")


# Each limit, by its name in the message, with how to put an input just over it into a copy of the project.
OVER_THE_LIMITS: dict[str, Callable[[Path], None]] = {
    "MAX_SOURCE_BYTES": lambda project: with_text(project, (FIRST_LINE + "\n" + "نص. " * MAX_SOURCE_BYTES).encode()),
    "MAX_LINES": lambda project: with_text(project, (FIRST_LINE + "\n" + "نص.\n" * MAX_LINES).encode()),
    "MAX_LINE_CHARS": lambda project: with_text(project, (FIRST_LINE + "\n" + "ب" * MAX_LINE_CHARS + "ب.").encode()),
    "MAX_HEADINGS": lambda project: with_text(project, (FIRST_LINE + "\n" + "عنوان\n" * (MAX_HEADINGS + 1)).encode()),
    "MAX_ACCEPTED_PLACES": with_accepted_spaces,
    "MAX_TEXT_CHARS": lambda project: with_title(project, "ب" * (MAX_TEXT_CHARS + 1)),
    # The title of 800 KB: refused by the file's size, before it is parsed.
    "MAX_DATA_BYTES": lambda project: with_title(project, "ب" * 400_000),
    "MAX_FILE_BYTES": lambda project: (project / "docs" / "big.css").write_bytes(b" " * (MAX_FILE_BYTES + 1)),
}
# A file of each folder the build reads, each read by another stage: the report by the converter, a font by
# sitefonts, an SVG by the docs/ check, a template by MkDocs.
TERABYTE_FILES = [
    "source/report.ar.txt",
    "fonts/noto-naskh-arabic/NotoNaskhArabic-Regular.ttf",
    "docs/assets/images/big.svg",
    "overrides/main.html",
]


def with_terabyte(project: Path, path: str) -> None:
    """A sparse file of a terabyte at ``path`` in the copy at ``project``: no disk space, and no read of it ends."""
    (project / path).parent.mkdir(parents=True, exist_ok=True)
    with (project / path).open("ab") as stream:
        stream.truncate(2**40)
