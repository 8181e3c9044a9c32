"""The limits of the inputs: anything over one is refused within seconds naming it; within them, the build is linear.

Each limit is a constant where its input is read (report2md/source.py,
report2md/structure.py, generate/data.py); each test here builds a copy of
the project with a text or an editorial file just over one, and the
linearity test builds two generated texts, of 10,000 and 40,000 lines, and
compares the time the build took (CPU time of the build's process, which
other work on a shared machine does not stretch as it stretches the wall
clock). The two builds take about 20 s and 70 s on two cores; each refusal
about 2 s.
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

import pytest
import yaml
from conftest import copy_project, site_that_was
from facts import SOURCE

from generate.data import MAX_TEXT_CHARS
from generate.inputs import MAX_FILE_BYTES
from report2md import MAX_HEADINGS, convert
from report2md.source import MAX_ACCEPTED_PLACES, MAX_LINE_CHARS, MAX_LINES, MAX_SOURCE_BYTES

# How long a refusal may take, start of the build included: "within seconds".
REFUSED_WITHIN_SECONDS = 10
# The bound: four times the text, at most 4.8 times the time.
LINEAR_SIZES = (10_000, 40_000)
MAX_TIME_RATIO = 4.8
# Every text the limits accept builds within these (README); the larger linear build is held to them.
MAX_BUILD_SECONDS = 180
MAX_BUILD_BYTES = 1_000_000_000

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
WHERE = {
    "MAX_TEXT_CHARS": "source/report.yml: title: ",
    "MAX_DATA_BYTES": "source/report.yml: ",
    "MAX_FILE_BYTES": "docs/big.css: ",
}


class TestOverALimitIsRefusedWithinSeconds:
    """Each limit: an input just over it stops the build within seconds, naming the file, the place and the limit."""

    @pytest.mark.parametrize("limit", OVER_THE_LIMITS)
    def test_refused_naming_the_limit(self, tmp_path: Path, limit: str) -> None:
        project = copy_project(tmp_path / "project")
        OVER_THE_LIMITS[limit](project)
        site = site_that_was(tmp_path)
        result = build(project, site)
        errors = [line for line in result.stderr.splitlines() if line.startswith("ERROR")]
        assert result.returncode != 0 and len(errors) == 1, result.stderr
        assert f"({limit})" in errors[0] and WHERE.get(limit, "source/report.ar.txt:") in errors[0], errors[0]
        assert result.wall_seconds < REFUSED_WITHIN_SECONDS, result
        assert [path.name for path in site.iterdir()] == ["index.html"]

    @pytest.mark.parametrize("path", TERABYTE_FILES)
    def test_a_terabyte_file_is_refused_unread(self, tmp_path: Path, path: str) -> None:
        """A sparse file of a terabyte in each folder the build reads: refused by its size before a stage reads it."""
        project = copy_project(tmp_path / "project")
        (project / path).parent.mkdir(parents=True, exist_ok=True)
        with (project / path).open("ab") as stream:
            stream.truncate(2**40)
        result = build(project, site_that_was(tmp_path))
        errors = [line for line in result.stderr.splitlines() if line.startswith("ERROR")]
        assert result.returncode != 0 and len(errors) == 1, result.stderr[-2000:]
        assert f"{path}: is 1,099,511,627,776 bytes; a file of the build has at most" in errors[0], errors[0]
        assert "(MAX_FILE_BYTES)" in errors[0] and result.peak_bytes < MAX_BUILD_BYTES, result


class TestAtTheLimitsIsAccepted:
    """Just at each limit of the text, the converter takes it (the limits are where they say)."""

    def test_lines_line_length_and_headings(self) -> None:
        text = generated_text(MAX_LINES)
        assert text.count("\n") == MAX_LINES and len(text.encode()) <= MAX_SOURCE_BYTES
        assert len(convert(text.encode(), "t.txt").headings) == (MAX_LINES - 1) // HEADING_EVERY
        assert convert((FIRST_LINE + "\n" + "ب" * (MAX_LINE_CHARS - 1) + ".").encode(), "t.txt")
        headings = FIRST_LINE + "\n" + "عنوان\n" * MAX_HEADINGS
        assert len(convert(headings.encode(), "t.txt").headings) == MAX_HEADINGS


@pytest.fixture(scope="module")
def linear_builds(tmp_path_factory: pytest.TempPathFactory) -> dict[int, Build]:
    builds = {}
    for lines in LINEAR_SIZES:
        project = copy_project(tmp_path_factory.mktemp(f"lines-{lines}") / "project")
        with_text(project, generated_text(lines).encode())
        builds[lines] = build(project, project.parent / "site")
        assert builds[lines].returncode == 0, builds[lines].stderr
    return builds


class TestTheBuildIsLinearInTheText:
    def test_four_times_the_lines_at_most_4_8_times_the_time(self, linear_builds: dict[int, Build]) -> None:
        small, large = (linear_builds[lines] for lines in LINEAR_SIZES)
        assert large.cpu_seconds <= MAX_TIME_RATIO * small.cpu_seconds, (small, large)

    def test_the_largest_builds_in_3_minutes_and_1_gb(self, linear_builds: dict[int, Build]) -> None:
        large = linear_builds[max(LINEAR_SIZES)]
        assert large.cpu_seconds < MAX_BUILD_SECONDS and large.peak_bytes < MAX_BUILD_BYTES, large
