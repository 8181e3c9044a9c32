"""The limits of the inputs: anything over one is refused naming it; at them, the build is accepted within 1 GB.

Each test builds a copy of the project with an input from
tests/limit_inputs.py: just over a limit, a sparse terabyte file, or a
generated text at MAX_LINES (a build of about a minute on two cores). How
long each takes is a figure of `make bench-limits` (tests/bench/limits.py),
with issue 27's time budgets: a refusal within seconds, the build linear in
the text, the largest text within 3 minutes.
"""

from __future__ import annotations

from pathlib import Path

import pytest
from conftest import copy_project, site_that_was
from limit_inputs import (
    FIRST_LINE,
    HEADING_EVERY,
    OVER_THE_LIMITS,
    TERABYTE_FILES,
    build,
    generated_text,
    with_terabyte,
    with_text,
)

from report2md import MAX_HEADINGS, convert
from report2md.source import MAX_LINE_CHARS, MAX_LINES, MAX_SOURCE_BYTES

# Issue 27: whatever the limits accept builds with a peak memory under 1 GB, and a refusal stays under it too.
MAX_BUILD_BYTES = 1_000_000_000

WHERE = {
    "MAX_TEXT_CHARS": "source/report.yml: title: ",
    "MAX_DATA_BYTES": "source/report.yml: ",
    "MAX_FILE_BYTES": "docs/big.css: ",
}


class TestOverALimitIsRefused:
    """Each limit: an input just over it stops the build, naming the file, the place and the limit."""

    @pytest.mark.parametrize("limit", OVER_THE_LIMITS)
    def test_refused_naming_the_limit(self, tmp_path: Path, limit: str) -> None:
        project = copy_project(tmp_path / "project")
        OVER_THE_LIMITS[limit](project)
        site = site_that_was(tmp_path)
        result = build(project, site)
        errors = [line for line in result.stderr.splitlines() if line.startswith("ERROR")]
        assert result.returncode != 0 and len(errors) == 1, result.stderr
        assert f"({limit})" in errors[0] and WHERE.get(limit, "source/report.ar.txt:") in errors[0], errors[0]
        assert [path.name for path in site.iterdir()] == ["index.html"]

    @pytest.mark.parametrize("path", TERABYTE_FILES)
    def test_a_terabyte_file_is_refused_unread(self, tmp_path: Path, path: str) -> None:
        """A sparse file of a terabyte in each folder the build reads: refused by its size before a stage reads it."""
        project = copy_project(tmp_path / "project")
        with_terabyte(project, path)
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


class TestTheLargestTextBuilds:
    def test_a_text_at_max_lines_builds_within_1_gb(self, tmp_path: Path) -> None:
        project = copy_project(tmp_path / "project")
        with_text(project, generated_text(MAX_LINES).encode())
        result = build(project, tmp_path / "site")
        assert result.returncode == 0, result.stderr
        assert result.peak_bytes < MAX_BUILD_BYTES, result
