"""The command line: read a file, convert it, write the Markdown atomically.

    python -m report2md SOURCE.txt -o OUT.md     # or -o - / no -o: stdout

Exit status: 0 on success, 1 when the input is refused (the message names the
file, line, column and problem), 2 on a usage error. On failure the output
file is left exactly as it was: the Markdown is written to a temporary file
beside it and renamed over it only when complete.
"""

from __future__ import annotations

import argparse
import os
import sys
import tempfile
from pathlib import Path

from report2md import SourceError, __version__, convert


def write_atomically(path: Path, text: str) -> None:
    """Write ``text`` to ``path`` so that readers see the old file or the new one, never half."""
    directory = path.resolve().parent
    handle, temporary = tempfile.mkstemp(prefix=f".{path.name}.", suffix=".tmp", dir=directory)
    try:
        with os.fdopen(handle, "w", encoding="utf-8", newline="\n") as stream:
            stream.write(text)
        Path(temporary).replace(path)
    except BaseException:
        Path(temporary).unlink(missing_ok=True)
        raise


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="python -m report2md",
        description="Convert a plain-text Arabic report into Markdown, every character kept literal.",
    )
    parser.add_argument("source", type=Path, help="the UTF-8 text file to convert")
    parser.add_argument(
        "-o", "--output", default="-", help="where to write the Markdown ('-', the default: standard output)"
    )
    parser.add_argument("--version", action="version", version=f"report2md {__version__}")
    return parser


def main(argv: list[str] | None = None) -> int:
    arguments = build_parser().parse_args(argv)
    source: Path = arguments.source
    try:
        data = source.read_bytes()
    except OSError as error:
        print(f"report2md: error: {source}: cannot read: {error.strerror}", file=sys.stderr)
        return 1
    try:
        conversion = convert(data, str(source))
    except SourceError as error:
        print(f"report2md: error: {error}", file=sys.stderr)
        return 1
    for normalisation in conversion.source.normalisations:
        print(f"report2md: note: {source}: {normalisation.description} ({normalisation.count}x)", file=sys.stderr)
    if arguments.output == "-":
        sys.stdout.write(conversion.markdown)
    else:
        try:
            write_atomically(Path(arguments.output), conversion.markdown)
        except OSError as error:
            print(f"report2md: error: {arguments.output}: cannot write: {error.strerror}", file=sys.stderr)
            return 1
    return 0
