"""The files the build reads and publishes (generate/inputs.py): regular files only, and docs/ only what is meant.

The cases are files: tests/hostile/tree/cases.yml lists links, FIFOs and
sockets to put into a copy of the project; each file under tests/hostile/docs/
is put at its place in a copy of docs/, its first line saying what the
message must contain.
"""

from __future__ import annotations

import os
import shutil
import socket
from pathlib import Path

import pytest
import yaml
from conftest import build_site, copy_project
from facts import REPO

from generate.data import DataError
from generate.inputs import BUILD_FOLDERS, check_published, check_tree

HOSTILE = REPO / "tests" / "hostile"
TREE_CASES = yaml.safe_load((HOSTILE / "tree" / "cases.yml").read_text(encoding="utf-8"))
DOCS_CASES = sorted(path.relative_to(HOSTILE / "docs").as_posix() for path in (HOSTILE / "docs").rglob("*.*"))


def copy_folders(destination: Path) -> Path:
    """A copy of the folders the build reads, to change without touching the repository."""
    for name in BUILD_FOLDERS:
        shutil.copytree(REPO / name, destination / name)
    return destination


def make_entry(path: Path, kind: str, target: str | None) -> None:
    """Put a symbolic link, FIFO or socket at ``path``, replacing what is there."""
    if path.is_dir() and not path.is_symlink():
        shutil.rmtree(path)
    else:
        path.unlink(missing_ok=True)
    path.parent.mkdir(parents=True, exist_ok=True)
    if kind == "symlink":
        assert target is not None
        path.symlink_to(target)
    elif kind == "fifo":
        os.mkfifo(path)
    else:
        with socket.socket(socket.AF_UNIX) as server:
            server.bind(str(path))


def expected(path: Path) -> str:
    first = path.read_text(encoding="utf-8").split("\n", 1)[0]
    assert first.startswith("<!-- expect: ") and first.endswith(" -->"), f"{path}: first line must say the message"
    return first.removeprefix("<!-- expect: ").removesuffix(" -->")


class TestTheRepositoryAsItIs:
    def test_every_entry_is_a_regular_file_or_folder(self) -> None:
        check_tree(REPO)

    def test_docs_publishes_only_what_it_means_to(self) -> None:
        check_published(REPO / "docs")

    def test_the_corpora_are_there(self) -> None:
        assert len(TREE_CASES) >= 6 and {case["kind"] for case in TREE_CASES} == {"symlink", "fifo", "socket"}
        assert {"evil.htm", "evil.xhtml", "assets/evil.svg", "assets/onload.svg", "assets/favicon.svg"} <= set(
            DOCS_CASES
        )


class TestOnlyRegularFiles:
    """A link, a FIFO, a socket or a device anywhere in source/, fonts/, docs/, overrides/: refused, named."""

    @pytest.mark.parametrize("case", TREE_CASES, ids=lambda case: case["path"])
    def test_refused_naming_the_path_and_what_it_is(self, tmp_path: Path, case: dict[str, str]) -> None:
        root = copy_folders(tmp_path)
        make_entry(root / case["path"], case["kind"], case.get("target"))
        with pytest.raises(DataError) as error:
            check_tree(root)
        assert str(error.value) == f"{case['path']}: {case['expect']}" + (
            "; put the file itself in the repository"
            if case["kind"] == "symlink"
            else "; only regular files are read or published"
        )

    def test_a_device(self) -> None:
        with pytest.raises(DataError, match=r"^dev/null: is a character device;"):
            check_tree(Path("/"), ["dev/null"])

    def test_a_folder_that_is_a_link(self, tmp_path: Path) -> None:
        (tmp_path / "docs").symlink_to(REPO / "docs")
        with pytest.raises(DataError, match=r"^docs: is a symbolic link \(to /"):
            check_tree(tmp_path, ["docs"])

    def test_a_link_is_never_followed(self, tmp_path: Path) -> None:
        """A link to a FIFO is refused as a link, without opening the FIFO (which would block)."""
        os.mkfifo(tmp_path / "pipe")
        (tmp_path / "docs").mkdir()
        (tmp_path / "docs" / "a.css").symlink_to(tmp_path / "pipe")
        with pytest.raises(DataError, match=r"^docs/a\.css: is a symbolic link"):
            check_tree(tmp_path, ["docs"])

    def test_a_hard_link_to_a_file_elsewhere(self, tmp_path: Path) -> None:
        (tmp_path / "secret").write_text("not for the site", encoding="utf-8")
        (tmp_path / "docs").mkdir()
        (tmp_path / "docs" / "a.css").hardlink_to(tmp_path / "secret")
        with pytest.raises(DataError, match=r"^docs/a\.css: has 2 hard links; put a copy of its own"):
            check_tree(tmp_path, ["docs"])

    def test_a_name_with_a_newline_gives_one_line(self, tmp_path: Path) -> None:
        (tmp_path / "docs").mkdir()
        (tmp_path / "docs" / "a\nb").symlink_to("/etc/passwd")
        with pytest.raises(DataError) as error:
            check_tree(tmp_path, ["docs"])
        assert str(error.value).startswith("docs/a\\nb: is a symbolic link") and "\n" not in str(error.value)

    def test_a_folder_that_is_absent_is_left_to_its_stage(self, tmp_path: Path) -> None:
        check_tree(tmp_path)


class TestDocsPublishesOnlyWhatItMeans:
    """HTML-like files, pages, and SVG that can run a script (the favicon too): refused, naming file and problem."""

    @pytest.mark.parametrize("case", DOCS_CASES)
    def test_refused_naming_the_file_and_the_problem(self, tmp_path: Path, case: str) -> None:
        docs = shutil.copytree(REPO / "docs", tmp_path / "docs")
        hostile = HOSTILE / "docs" / case
        (docs / case).parent.mkdir(parents=True, exist_ok=True)
        shutil.copyfile(hostile, docs / case)
        with pytest.raises(DataError) as error:
            check_published(docs)
        message = str(error.value)
        assert message.startswith(f"docs/{case}: ") and expected(hostile) in message, message
        assert "\n" not in message

    @pytest.mark.parametrize(
        "svg",
        [
            b'<svg xmlns="http://www.w3.org/2000/svg"><a href="https://example.org/"><text>x</text></a></svg>',
            b'<?xml version="1.0" encoding="UTF-8"?><svg xmlns="http://www.w3.org/2000/svg"><style>a{}</style></svg>',
            b'<svg xmlns="http://www.w3.org/2000/svg"><image href="data:image/png;base64,iVBORw0KGgo="/></svg>',
        ],
    )
    def test_a_plain_svg_passes(self, tmp_path: Path, svg: bytes) -> None:
        (tmp_path / "picture.svg").write_bytes(svg)
        check_published(tmp_path)

    def test_files_starting_with_a_dot_are_left_out(self, tmp_path: Path) -> None:
        """MkDocs does not publish them (its default exclude_docs), so they are not checked."""
        (tmp_path / ".notes.html").write_text("<script>alert(1)</script>", encoding="utf-8")
        check_published(tmp_path)


class TestTheBuildRefuses:
    """The render stage runs both checks before it reads anything: the build stops naming the file, site/ kept."""

    @pytest.mark.parametrize("channel", ["a link out of the tree", "an HTML-like file in docs/"])
    def test_it_stops_naming_the_file_and_keeps_the_last_site(self, tmp_path: Path, channel: str) -> None:
        project = copy_project(tmp_path / "project")
        site = project / "site"
        assert build_site(project, site).returncode == 0
        before = {path: path.read_bytes() for path in site.rglob("*") if path.is_file()}
        if channel == "a link out of the tree":
            licence = project / "fonts" / "noto-serif" / "OFL.txt"
            licence.unlink()
            licence.symlink_to("/etc/passwd")
            named = "fonts/noto-serif/OFL.txt: is a symbolic link"
        else:
            shutil.copy2(HOSTILE / "docs" / "evil.htm", project / "docs" / "evil.htm")
            named = "docs/evil.htm: "
        result = build_site(project, site)
        assert result.returncode != 0 and named in result.stderr, result.stderr
        assert "Traceback" not in result.stderr
        assert {path: path.read_bytes() for path in site.rglob("*") if path.is_file()} == before
