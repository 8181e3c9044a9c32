"""What the build keeps between runs in .cache/: one file per key, named by the SHA-256 of all it depends on.

For work that takes a second or more and depends only on its inputs: the
checked font subsets (finish/fonts.py), the one stylesheet and each page's
share of it (finish/__init__.py), the card fonts and the analyser's answers
(hooks/render.py). A key holds what the bytes depend on (the
fonts' own bytes, read through their pins, and the libraries' versions),
and ``code`` the files of the code that makes them, hashed too: a change
to any of them gives a new file, never a stale one.
Here, beside the fonts whose work it mostly keeps, because sitefonts is a
helper every stage may import: no stage imports another for it.
"""

from __future__ import annotations

import hashlib
from collections.abc import Callable, Iterable
from pathlib import Path


def cache_file(folder: Path, key: object, code: Iterable[Path], suffix: str) -> Path:
    """Where ``folder`` keeps what ``key`` and the ``code`` that makes it give."""
    hashes = [hashlib.sha256(path.read_bytes()).hexdigest() for path in code]
    return folder / f"{hashlib.sha256(repr((key, hashes)).encode()).hexdigest()}{suffix}"


def kept(folder: Path | None, key: object, code: Iterable[Path], suffix: str, make: Callable[[], bytes]) -> bytes:
    """``make()``, kept in ``folder`` (``cache_file``) and read from there next time; None keeps nothing."""
    file = None if folder is None else cache_file(folder, key, code, suffix)
    if file is not None and file.is_file():
        return file.read_bytes()
    data = make()
    if file is not None:
        file.parent.mkdir(parents=True, exist_ok=True)
        file.write_bytes(data)
    return data
