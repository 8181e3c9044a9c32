"""``python -m report2md SOURCE.txt [-o OUT.md] [--accept U+200B]``: exit status 0, 1 when the input is refused
or cannot be read or written (the output then left as it was), 2 on a usage error."""

import argparse
import os
import stat
import sys
import tempfile
from pathlib import Path

from report2md import SourceError, __version__, convert
from report2md.source import MAX_SOURCE_BYTES, acceptance_problem, check_drawable, describe, parse_code_point


def output_problem(output: Path, source: Path) -> str | None:
    """Why the CLI will not write ``output``: a symlink, not a regular file (a FIFO, a device), or the source."""
    if output.is_symlink():
        return f"{output}: is a symbolic link; name the file itself"
    if output.exists() and not stat.S_ISREG(output.stat().st_mode):
        return f"{output}: not a regular file"
    if output.exists() and output.samefile(source):
        return f"{output}: is the source file; the Markdown would replace it"
    return None


def write_atomically(path: Path, text: str) -> None:
    """Write ``text`` so that readers see the old file or the new one, never half; the new file gets the old one's
    permissions, or the usual ones for a new file (0666 less the umask)."""
    if path.exists():
        mode = stat.S_IMODE(path.stat().st_mode)
    else:
        umask = os.umask(0)
        os.umask(umask)
        mode = 0o666 & ~umask
    handle, temporary = tempfile.mkstemp(prefix=f".{path.name}.", suffix=".tmp", dir=path.resolve().parent)
    try:
        with os.fdopen(handle, "w", encoding="utf-8", newline="\n") as stream:
            stream.write(text)
        Path(temporary).chmod(mode)
        Path(temporary).replace(path)
    except BaseException:
        Path(temporary).unlink(missing_ok=True)
        raise


def write_stdout(text: str) -> bool:
    """Write to standard output; False when it is closed or its reader has gone (a closed pipe)."""
    if sys.stdout is None:
        return False
    try:
        sys.stdout.write(text)
        sys.stdout.flush()
    except (BrokenPipeError, ValueError):
        # Python would report the broken pipe again when it flushes at exit.
        os.dup2(os.open(os.devnull, os.O_WRONLY), 1)
        return False
    return True


def code_point(value: str) -> str:
    """The character a ``U+XXXX`` argument names, if a text may accept it (report2md.source.acceptance_problem)."""
    character = parse_code_point(value)
    if character is None:
        raise argparse.ArgumentTypeError(f"{value!r} is not a code point written U+XXXX")
    if problem := acceptance_problem(character):
        raise argparse.ArgumentTypeError(problem)
    return character


def one_line(message: str) -> str:
    """``message`` with its unprintable characters as escapes: a file name holding a newline must not forge a line."""
    return "".join(char if char.isprintable() else ascii(char)[1:-1] for char in message)


def _report(message: str, kind: str = "error") -> int:
    """Print an error (or a note) on standard error, when there is one; 1, the exit status of an error."""
    if sys.stderr is not None:
        print(f"report2md: {kind}: {one_line(message)}", file=sys.stderr)
    return 1


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(
        prog="python -m report2md",
        description="Convert a plain-text Arabic report into Markdown, every character kept literal.",
    )
    parser.add_argument("source", type=Path, help="the UTF-8 text file to convert")
    parser.add_argument(
        "-o", "--output", default="-", help="where to write the Markdown ('-', the default: standard output)"
    )
    parser.add_argument(
        "--no-font-check", action="store_true", help="do not check that the site's fonts (fonts/) draw every character"
    )
    parser.add_argument(
        "--accept",
        action="append",
        default=[],
        type=code_point,
        metavar="U+XXXX",
        help="an invisible (format, private-use or tag) character the text may hold; repeat for more",
    )
    parser.add_argument("--version", action="version", version=f"report2md {__version__}")
    arguments = parser.parse_args(argv)
    source: Path = arguments.source
    output = None if arguments.output == "-" else Path(arguments.output)
    try:
        if not source.is_file():  # a symlink to one is followed
            problem = "not a regular file" if source.exists() else "cannot read: no such file"
            return _report(f"{source}: {problem}")
        with source.open("rb") as stream:
            data = stream.read(MAX_SOURCE_BYTES + 1)  # the converter refuses more
        if output is not None and (problem := output_problem(output, source)):
            return _report(problem)
    except OSError as error:
        return _report(f"{source}: cannot read: {error.strerror}")
    try:
        conversion = convert(data, str(source), frozenset(arguments.accept))
        if not arguments.no_font_check:
            import sitefonts  # fontTools, only when checking

            check_drawable(conversion.source, str(source), sitefonts.covered(), "fonts/")
    except SourceError as error:
        return _report(str(error))
    except OSError as error:
        return _report(f"cannot read the site's fonts ({error.filename}): {error.strerror}; or use --no-font-check")
    for occurrence in conversion.source.accepted:
        _report(f"{source}:{occurrence.line}:{occurrence.column}: accepted {describe(occurrence.char)}", "note")
    for normalisation in conversion.source.normalisations:
        _report(f"{source}: {normalisation.description} ({normalisation.count}x)", "note")
    if output is None:
        return 0 if write_stdout(conversion.markdown) else _report("standard output is closed")
    try:
        write_atomically(output, conversion.markdown)
    except OSError as error:
        return _report(f"{output}: cannot write: {error.strerror}")
    return 0
