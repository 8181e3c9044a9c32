"""`make bench-limits`: how long the build takes over and at the limits of its inputs, against issue 27's budgets.

Not a test: it prints figures (tests/test_limits.py checks what the build does
with the same inputs, from tests/limit_inputs.py). Each input is built once,
in a copy of the project, by ``mkdocs build --strict``:

* just over each limit, and a sparse terabyte file in each folder the build
  reads: each must be refused, within seconds (wall clock, start included);
* two generated texts, the second four times the first and at MAX_LINES: the
  build is linear when the second takes at most 4.8 times the first's CPU
  time (the build process's own, which other work on a shared machine does
  not stretch as it stretches the wall clock), and the largest text the
  limits accept builds within 3 minutes of CPU and 1 GB.

About 2 minutes on two cores.
"""

from __future__ import annotations

import sys
import tempfile
from collections.abc import Callable
from functools import partial
from pathlib import Path

REPO = Path(__file__).resolve().parents[2]
sys.path.insert(0, str(REPO / "tests"))
sys.path.insert(0, str(REPO))

from conftest import copy_project  # noqa: E402
from limit_inputs import (  # noqa: E402
    LINEAR_SIZES,
    OVER_THE_LIMITS,
    TERABYTE_FILES,
    Build,
    build,
    generated_text,
    with_terabyte,
    with_text,
)

# Issue 27's budgets.
REFUSED_WITHIN_SECONDS = 10
MAX_TIME_RATIO = 4.8
MAX_BUILD_SECONDS = 180
MAX_BUILD_BYTES = 1_000_000_000


def built(workdir: Path, change: Callable[[Path], None]) -> Build:
    """The build of a copy of the project, in ``workdir``, changed by ``change``."""
    project = copy_project(workdir / "project")
    change(project)
    return build(project, workdir / "site")


def main() -> None:
    refusals: dict[str, Build] = {}
    texts: dict[int, Build] = {}
    with tempfile.TemporaryDirectory() as tmp:
        for limit, change in OVER_THE_LIMITS.items():
            print(f"over {limit}…", file=sys.stderr)
            refusals[f"just over {limit}"] = built(Path(tmp) / limit, change)
        for number, path in enumerate(TERABYTE_FILES):
            print(f"a terabyte at {path}…", file=sys.stderr)
            refusals[f"a terabyte at {path}"] = built(
                Path(tmp) / f"terabyte-{number}", partial(with_terabyte, path=path)
            )
        for lines in LINEAR_SIZES:
            print(f"a text of {lines:,} lines…", file=sys.stderr)
            text = generated_text(lines).encode()
            texts[lines] = built(Path(tmp) / f"lines-{lines}", partial(with_text, text=text))
    accepted = {f"a text of {lines:,} lines": result for lines, result in texts.items()}
    figures = ["| input | exit | wall s | CPU s | peak MB |", "|---|---:|---:|---:|---:|"]
    for name, result in {**refusals, **accepted}.items():
        if (result.returncode == 0) != (name in accepted):
            wrong = "failed" if result.returncode else "was not refused"
            raise SystemExit(f"error: {name}: the build {wrong}:\n{result.stderr[-2000:]}")
        figures.append(
            f"| {name} | {result.returncode} | {result.wall_seconds:.1f} | {result.cpu_seconds:.1f} "
            f"| {result.peak_bytes / 1e6:.0f} |"
        )
    print("\n".join(figures))
    print()

    slowest = max(refusals, key=lambda name: refusals[name].wall_seconds)
    small, large = (texts[lines] for lines in LINEAR_SIZES)
    ratio = large.cpu_seconds / small.cpu_seconds
    rows = [
        (
            f"refusal, wall clock, slowest ({slowest})",
            f"≤ {REFUSED_WITHIN_SECONDS} s",
            f"{refusals[slowest].wall_seconds:.1f} s",
            refusals[slowest].wall_seconds <= REFUSED_WITHIN_SECONDS,
        ),
        (
            f"CPU, {LINEAR_SIZES[1]:,} lines / {LINEAR_SIZES[0]:,} lines",
            f"≤ {MAX_TIME_RATIO}",
            f"{ratio:.2f}",
            ratio <= MAX_TIME_RATIO,
        ),
        (
            f"CPU, {LINEAR_SIZES[1]:,} lines (MAX_LINES)",
            f"≤ {MAX_BUILD_SECONDS} s",
            f"{large.cpu_seconds:.0f} s",
            large.cpu_seconds <= MAX_BUILD_SECONDS,
        ),
        (
            f"peak memory, {LINEAR_SIZES[1]:,} lines (also a test)",
            f"< {MAX_BUILD_BYTES / 1e9:.0f} GB",
            f"{large.peak_bytes / 1e6:.0f} MB",
            large.peak_bytes < MAX_BUILD_BYTES,
        ),
    ]
    table = ["| budget (issue 27) | target | this run | met |", "|---|---:|---:|---|"]
    table += [f"| {name} | {target} | {figure} | {'yes' if met else 'no'} |" for name, target, figure, met in rows]
    print("\n".join(table))


if __name__ == "__main__":
    main()
