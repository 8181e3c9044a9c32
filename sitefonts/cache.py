"""What the build keeps between runs in .cache/: one file per key, named by the SHA-256 of all it depends on.

A key holds what the bytes depend on (the fonts' pinned bytes, the libraries' versions), and ``code`` the files of
the code that makes them, hashed too: a change to any of them gives a new file, never a stale one. It lives beside
the fonts, whose work it mostly keeps, because every stage may import sitefonts.
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
    if folder is None:
        return make()
    file = cache_file(folder, key, code, suffix)
    if not file.is_file():
        file.parent.mkdir(parents=True, exist_ok=True)
        file.write_bytes(make())
    return file.read_bytes()


def write_if_changed(path: Path, data: bytes) -> None:
    """Write ``data`` unless ``path`` holds it already, so that a build that changes nothing touches nothing."""
    if not path.is_file() or path.read_bytes() != data:
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_bytes(data)
