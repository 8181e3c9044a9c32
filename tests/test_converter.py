"""The converter, rule by rule: one test class per rule of report2md."""

from __future__ import annotations

import hashlib
import os
import stat
import subprocess
import sys
from pathlib import Path

import pytest
from facts import REPO, SOURCE

import sitefonts
from report2md import Kind, Reason, SourceError, convert
from report2md.cli import main
from report2md.source import check_drawable
from report2md.structure import classify, parse_blocks, title_anchor

GOLDEN = REPO / "tests" / "golden"
# The hash the received file was delivered with (PROVENANCE-NOTES.md), typed
# here on purpose: it is the outside fact the copy is checked against.
RECEIVED_SHA256 = "74edbfac6c3934f5d7c92cbfa816d989cc9296be5d9c3027cd9d450d3bc4fd73"


class TestSourceIsTheReceivedFile:
    def test_hash_is_the_received_hash(self) -> None:
        assert hashlib.sha256(SOURCE.read_bytes()).hexdigest() == RECEIVED_SHA256


@pytest.mark.parametrize("case", sorted(path.stem for path in GOLDEN.glob("*.txt")))
class TestGoldenPairs:
    """tests/golden/NAME.txt converts to exactly tests/golden/NAME.md (written by hand)."""

    def test_converts_to_expected_markdown(self, case: str) -> None:
        source = GOLDEN / f"{case}.txt"
        expected = (GOLDEN / f"{case}.md").read_text(encoding="utf-8")
        assert convert(source.read_bytes(), source.name).markdown == expected


class TestHeadingRule:
    """Short, unpunctuated, not first: a heading; anything else: a paragraph."""

    def test_the_report_has_four_headings_and_twelve_paragraphs(self) -> None:
        conversion = convert(SOURCE.read_bytes(), "report.ar.txt")
        assert [block.line for block in conversion.headings] == [4, 7, 10, 13]
        assert [block.text for block in conversion.headings] == [
            "تقدير كازاخي للدعم الأميركي",
            "كازاخستان تدعم أوكرانيا",
            "قلق كازاخستان",
            "طرق غير مجدية",
        ]
        assert len(conversion.paragraphs) == 12

    def test_first_line_is_never_a_heading(self) -> None:
        assert classify("قلق كازاخستان", is_first=True) == (Kind.PARAGRAPH, Reason.FIRST_LINE)

    @pytest.mark.parametrize("mark", list(".،؟!:؛?;…,"))
    def test_sentence_punctuation_anywhere_makes_a_paragraph(self, mark: str) -> None:
        assert classify(f"قلق {mark} كازاخستان", is_first=False) == (Kind.PARAGRAPH, Reason.HAS_PUNCTUATION)

    def test_eight_words_is_a_heading_nine_is_not(self) -> None:
        assert classify(" ".join(["كلمة"] * 8), is_first=False)[0] is Kind.HEADING
        assert classify(" ".join(["كلمة"] * 9), is_first=False) == (Kind.PARAGRAPH, Reason.TOO_MANY_WORDS)

    def test_sixty_characters_is_a_heading_sixty_one_is_not(self) -> None:
        assert classify("ب" * 60, is_first=False)[0] is Kind.HEADING
        assert classify("ب" * 61, is_first=False) == (Kind.PARAGRAPH, Reason.TOO_LONG)


class TestAnchors:
    """Paragraphs are p-1, p-2... in source order; headings get unique readable slugs."""

    def test_paragraph_anchors_follow_source_order(self) -> None:
        blocks = parse_blocks(["أ.", "عنوان", "ب.", "", "ج."])
        assert [(b.anchor, b.line) for b in blocks] == [("p-1", 1), ("عنوان", 2), ("p-2", 3), ("p-3", 5)]

    def test_heading_slug_drops_diacritics_and_joins_words(self) -> None:
        (_, heading) = parse_blocks(["أ.", "حثّ الغرب"])
        assert heading.anchor == "حث-الغرب"

    def test_repeated_headings_get_suffixes(self) -> None:
        anchors = [b.anchor for b in parse_blocks(["أ.", "قسم", "قسم", "قسم"])]
        assert anchors == ["p-1", "قسم", "قسم-2", "قسم-3"]

    def test_a_heading_never_takes_a_paragraph_anchor(self) -> None:
        anchors = [b.anchor for b in parse_blocks(["أ.", "p 1", "ب."])]
        assert anchors == ["p-1", "p-1-2", "p-2"]

    def test_a_heading_anchor_never_holds_an_underscore(self) -> None:
        """The page's own ids (Material's, the search labels') all do, so no heading can take one."""
        (_, heading) = parse_blocks(["أ.", "__search report_search_labels"])
        assert heading.anchor == "search-reportsearchlabels"

    def test_a_title_takes_no_id_of_the_page(self) -> None:
        """A page title's id: its words, never '_' (Material's ids), never a heading's or paragraph's anchor."""
        assert title_anchor("__config", []) == "config"
        assert title_anchor("__report_search_labels", []) == "reportsearchlabels"
        assert title_anchor("قسم", ["p-1", "قسم", "قسم-2"]) == "قسم-3"
        assert title_anchor("p 1", ["p-1"]) == "p-1-2"
        assert title_anchor("…", []) == "title"

    def test_a_heading_with_no_letters_still_gets_an_anchor(self) -> None:
        (_, heading) = parse_blocks(["أ.", "ً ٌ"])
        assert heading.anchor == "section"


HOSTILE = REPO / "tests" / "hostile" / "text"
# Each hostile input beside the message it must get: <case>.txt and <case>.error ("LINE:COLUMN: part of the problem").
HOSTILE_CASES = sorted(path.stem for path in HOSTILE.glob("*.txt"))


def expected_error(case: str) -> tuple[int, int, str]:
    line, column, problem = (HOSTILE / f"{case}.error").read_text(encoding="utf-8").strip().split(":", 2)
    return int(line), int(column), problem.strip()


def convert_and_check_fonts(data: bytes, name: str) -> None:
    """What the CLI and the build do with a source: convert it, then check the site's fonts draw it."""
    check_drawable(convert(data, name).source, name, sitefonts.covered(), "fonts/")


class TestBadInputIsRefused:
    """Each input of tests/hostile/text/: the file, line, column and problem named; exit 1; output untouched."""

    def test_the_corpus_is_there(self) -> None:
        assert len(HOSTILE_CASES) >= 30
        assert all((HOSTILE / f"{case}.error").is_file() for case in HOSTILE_CASES)

    @pytest.mark.parametrize("case", HOSTILE_CASES)
    def test_error_names_file_line_and_problem(self, case: str) -> None:
        line, column, problem = expected_error(case)
        with pytest.raises(SourceError) as raised:
            convert_and_check_fonts((HOSTILE / f"{case}.txt").read_bytes(), "input.txt")
        assert (raised.value.file, raised.value.line, raised.value.column) == ("input.txt", line, column)
        assert problem in raised.value.problem
        assert str(raised.value).startswith(f"input.txt:{line}:{column}: ")

    @pytest.mark.parametrize("case", HOSTILE_CASES)
    def test_cli_exits_non_zero_and_leaves_output_alone(
        self, case: str, tmp_path: Path, capsys: pytest.CaptureFixture[str]
    ) -> None:
        line, column, problem = expected_error(case)
        source, output = tmp_path / "bad.txt", tmp_path / "out.md"
        source.write_bytes((HOSTILE / f"{case}.txt").read_bytes())
        output.write_text("previous output\n", encoding="utf-8")
        assert main([str(source), "-o", str(output)]) == 1
        error = capsys.readouterr().err
        assert f"{source}:{line}:{column}: " in error and problem in error
        assert output.read_text(encoding="utf-8") == "previous output\n"
        assert sorted(path.name for path in tmp_path.iterdir()) == ["bad.txt", "out.md"]

    def test_too_large(self, tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
        source = tmp_path / "large.txt"
        source.write_bytes(("نص " * 400_000).encode())
        assert main([str(source)]) == 1
        assert f"{source}:1:1: the file is larger than 1,000,000 bytes (MAX_SOURCE_BYTES)" in capsys.readouterr().err

    def test_missing_file(self, tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
        assert main([str(tmp_path / "absent.txt")]) == 1
        assert "absent.txt: cannot read" in capsys.readouterr().err

    def test_bidi_marks_that_do_not_override_are_accepted(self) -> None:
        # LRM, RLM and ALM mark direction without reordering anything.
        text = "نص \u200f(Tsargrad)\u200e و\u061c."
        assert convert(text.encode(), "ok.txt").blocks[0].text == text

    def test_the_end_of_ayah_mark_is_drawn(self) -> None:
        """U+06DD is a format character that is drawn: the fonts have it, and the subset keeps it (test_site)."""
        convert_and_check_fonts("أول.\nنص \u06dd١٢".encode(), "ok.txt")


class TestNormalisation:
    """A BOM and CRLF line ends are accepted, removed and reported; nothing else changes."""

    def test_bom_and_crlf_give_the_same_markdown_as_clean_input(self) -> None:
        clean = "أول.\nعنوان\nثان.".encode()
        messy = b"\xef\xbb\xbf" + clean.replace(b"\n", b"\r\n")
        assert convert(messy, "m.txt").markdown == convert(clean, "c.txt").markdown
        assert [(n.code, n.count) for n in convert(messy, "m.txt").source.normalisations] == [("bom", 1), ("crlf", 2)]
        assert convert(clean, "c.txt").source.normalisations == ()

    def test_cli_reports_the_normalisation(self, tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
        source = tmp_path / "crlf.txt"
        source.write_bytes("أول.\r\nثان.".encode())
        assert main([str(source)]) == 0
        captured = capsys.readouterr()
        assert "converted CRLF line ends to LF (1x)" in captured.err
        assert "\r" not in captured.out


class TestCommandLine:
    """`python -m report2md SOURCE -o OUT`: stdout by default or with -o -, atomic file otherwise."""

    def test_output_that_is_the_source_is_refused(self, tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
        source = tmp_path / "a.txt"
        source.write_bytes(SOURCE.read_bytes())
        assert main([str(source), "-o", str(tmp_path / "." / "a.txt")]) == 1
        assert "is the source file" in capsys.readouterr().err
        assert source.read_bytes() == SOURCE.read_bytes()

    def test_output_symlink_is_refused_and_kept(self, tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
        target, link = tmp_path / "target.md", tmp_path / "link.md"
        target.write_text("kept\n", encoding="utf-8")
        link.symlink_to(target)
        assert main([str(SOURCE), "-o", str(link)]) == 1
        assert "symbolic link" in capsys.readouterr().err
        assert link.is_symlink() and target.read_text(encoding="utf-8") == "kept\n"

    def test_special_files_are_refused(self, tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
        fifo = tmp_path / "fifo"
        os.mkfifo(fifo)
        assert main([str(SOURCE), "-o", str(fifo)]) == 1
        assert main([str(fifo)]) == 1
        assert main([str(SOURCE), "-o", "/dev/null"]) == 1
        assert capsys.readouterr().err.count("not a regular file") == 3
        assert stat.S_ISFIFO(fifo.lstat().st_mode)

    def test_a_name_with_a_newline_gives_one_line(self, tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
        source = tmp_path / "a\nreport2md: note: fine.txt"
        source.write_bytes(b"\xff")
        assert main([str(source)]) == 1
        assert main([str(SOURCE), "-o", str(tmp_path / "no\ndir" / "out.md")]) == 1
        err = capsys.readouterr().err
        assert err.count("\n") == 2 and err.count("report2md: error: ") == 2 and "a\\nreport2md" in err, err

    def test_a_source_symlink_is_followed(self, tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
        link = tmp_path / "link.txt"
        link.symlink_to(SOURCE)
        assert main([str(link)]) == 0
        assert capsys.readouterr().out == convert(SOURCE.read_bytes(), "x").markdown

    def test_an_existing_file_keeps_its_mode(self, tmp_path: Path) -> None:
        output = tmp_path / "report.md"
        output.write_text("old\n", encoding="utf-8")
        output.chmod(0o644)
        assert main([str(SOURCE), "-o", str(output)]) == 0
        assert stat.S_IMODE(output.stat().st_mode) == 0o644
        assert output.read_text(encoding="utf-8").startswith("نقل")

    def test_a_new_file_gets_the_usual_mode(self, tmp_path: Path) -> None:
        output = tmp_path / "new.md"
        umask = os.umask(0o022)
        try:
            assert main([str(SOURCE), "-o", str(output)]) == 0
        finally:
            os.umask(umask)
        assert stat.S_IMODE(output.stat().st_mode) == 0o644

    @pytest.mark.parametrize("stdout", ["closed", "broken pipe"])
    def test_closed_stdout_exits_cleanly(self, stdout: str) -> None:
        if stdout == "closed":
            result = subprocess.run(
                [sys.executable, "-m", "report2md", str(SOURCE)],
                cwd=REPO,
                stdout=subprocess.DEVNULL,
                stderr=subprocess.PIPE,
                text=True,
                check=False,
                preexec_fn=lambda: os.close(1),
            )
        else:
            reader, writer = os.pipe()
            os.close(reader)
            try:
                result = subprocess.run(
                    [sys.executable, "-m", "report2md", str(SOURCE)],
                    cwd=REPO,
                    stdout=writer,
                    stderr=subprocess.PIPE,
                    text=True,
                    check=False,
                )
            finally:
                os.close(writer)
        assert result.returncode == 1
        assert result.stderr == "report2md: error: standard output is closed\n"

    def test_stdout_by_default_and_with_dash(self, capsys: pytest.CaptureFixture[str]) -> None:
        expected = convert(SOURCE.read_bytes(), "x").markdown
        assert main([str(SOURCE)]) == 0
        assert capsys.readouterr().out == expected
        assert main([str(SOURCE), "-o", "-"]) == 0
        assert capsys.readouterr().out == expected

    def test_writes_the_file_and_nothing_else(self, tmp_path: Path) -> None:
        output = tmp_path / "report.md"
        assert main([str(SOURCE), "-o", str(output)]) == 0
        assert output.read_text(encoding="utf-8") == convert(SOURCE.read_bytes(), "x").markdown
        assert [path.name for path in tmp_path.iterdir()] == ["report.md"]

    def test_runs_as_a_module(self, tmp_path: Path) -> None:
        result = subprocess.run(
            [sys.executable, "-m", "report2md", str(SOURCE)], cwd=REPO, capture_output=True, check=False
        )
        assert result.returncode == 0
        assert result.stdout.decode("utf-8").count('data-source-line="') == 16


class TestInvisibleCharacters:
    """ZWNJ, ZWJ, LRM, RLM and ALM are kept; any other invisible character only when accepted by code point."""

    def test_the_ones_arabic_typography_uses_are_kept(self) -> None:
        text = "نص \u200c\u200d\u200e\u200f\u061c."
        conversion = convert(text.encode(), "ok.txt")
        assert conversion.blocks[0].text == text and conversion.source.accepted == ()

    def test_an_accepted_one_passes_and_each_place_is_listed(self) -> None:
        text = "أول.\nكاز\u200bاخستان\u200b\u200b و\U000e0041."
        conversion = convert(text.encode(), "ok.txt", frozenset({"\u200b", "\U000e0041"}))
        assert conversion.blocks[1].text == text.split("\n")[1]
        places = [(o.line, o.column, f"U+{ord(o.char):04X}") for o in conversion.source.accepted]
        assert places == [(2, 4, "U+200B"), (2, 11, "U+200B"), (2, 12, "U+200B"), (2, 15, "U+E0041")]

    def test_accepting_one_leaves_the_others_refused(self) -> None:
        with pytest.raises(SourceError, match=r"^ok.txt:2:5: U\+2060 WORD JOINER is an invisible character"):
            convert("أول.\nنص\u200b \u2060.".encode(), "ok.txt", frozenset({"\u200b"}))

    @pytest.mark.parametrize("char", ["\u202e", "\ufeff", "\u200c", "a", "\ufdd0"])
    def test_only_format_private_use_and_tag_characters_can_be_accepted(self, char: str) -> None:
        """A bidirectional override stays refused whatever is accepted; the typographic ones need no acceptance."""
        with pytest.raises(ValueError, match="cannot be accepted"):
            convert("نص.".encode(), "ok.txt", frozenset({char}))

    def test_the_cli_accepts_by_code_point_and_notes_each_place(
        self, tmp_path: Path, capsys: pytest.CaptureFixture[str]
    ) -> None:
        source = tmp_path / "a.txt"
        source.write_text("أول.\nنص\u200b آخر.", encoding="utf-8")
        assert main([str(source), "--no-font-check"]) == 1
        assert f"{source}:2:3: U+200B ZERO WIDTH SPACE is an invisible character" in capsys.readouterr().err
        assert main([str(source), "--no-font-check", "--accept", "U+200B"]) == 0
        assert f"note: {source}:2:3: accepted U+200B ZERO WIDTH SPACE" in capsys.readouterr().err

    @pytest.mark.parametrize("value", ["200B", "U+200b", "U+202E", "U+110000", "U+0041"])
    def test_the_cli_refuses_a_code_point_it_cannot_accept(
        self, value: str, capsys: pytest.CaptureFixture[str]
    ) -> None:
        with pytest.raises(SystemExit) as exit_status:
            main([str(SOURCE), "--accept", value])
        assert exit_status.value.code == 2 and "--accept" in capsys.readouterr().err
