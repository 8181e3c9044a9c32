"""The converter, rule by rule: one test class per rule of report2md."""

from __future__ import annotations

import hashlib
from pathlib import Path

import pytest
from conftest import REPO, SOURCE

from report2md import Kind, Reason, SourceError, convert
from report2md.cli import main
from report2md.structure import classify, parse_blocks

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

    def test_a_heading_with_no_letters_still_gets_an_anchor(self) -> None:
        (_, heading) = parse_blocks(["أ.", "ً ٌ"])
        assert heading.anchor == "section"


BAD_INPUTS = {
    "empty": (b"", 1, 1, "empty"),
    "whitespace only": (b"  \n \n", 1, 1, "empty or contains only whitespace"),
    "not UTF-8": ("أول.\nثان".encode() + b"\xff\xfe" + b".", 2, 4, "not UTF-8 (ff)"),
    "Latin-1": ("سطر.\ncaf\u00e9".encode("utf-8")[:-2] + b"\xe9", 2, 4, "not UTF-8"),
    "NUL": ("أول.\nثا\x00ن".encode(), 2, 3, "U+0000"),
    "bell": ("أول\x07".encode(), 1, 4, "control character U+0007"),
    "tab": ("أول.\n\tثان".encode(), 2, 1, "U+0009"),
    "C1 control": ("أول\x85.".encode(), 1, 4, "U+0085"),
    "lone CR": ("أول.\rثان".encode(), 1, 5, "carriage return"),
    "RLO U+202E": ("أول \u202eنص".encode(), 1, 5, "bidirectional control character U+202E"),
    "LRE U+202A": ("\u202aأول".encode(), 1, 1, "U+202A"),
    "PDF U+202C": ("أول.\nثان\u202c".encode(), 2, 4, "U+202C"),
    "LRI U+2066": ("أول.\nثان\u2066".encode(), 2, 4, "U+2066"),
    "PDI U+2069": ("أول.\n\u2069".encode(), 2, 1, "U+2069"),
    "line separator": ("أول\u2028ثان".encode(), 1, 4, "U+2028"),
    "stray BOM": ("أول.\n\ufeffثان".encode(), 2, 1, "byte order mark"),
}


class TestBadInputIsRefused:
    """Each bad input: the file, line, column and problem named; exit 1; output untouched."""

    @pytest.mark.parametrize("case", list(BAD_INPUTS))
    def test_error_names_file_line_and_problem(self, case: str) -> None:
        data, line, column, problem = BAD_INPUTS[case]
        with pytest.raises(SourceError) as raised:
            convert(data, "input.txt")
        assert (raised.value.file, raised.value.line, raised.value.column) == ("input.txt", line, column)
        assert problem in raised.value.problem
        assert str(raised.value).startswith(f"input.txt:{line}:{column}: ")

    @pytest.mark.parametrize("case", list(BAD_INPUTS))
    def test_cli_exits_non_zero_and_leaves_output_alone(
        self, case: str, tmp_path: Path, capsys: pytest.CaptureFixture[str]
    ) -> None:
        data, line, column, problem = BAD_INPUTS[case]
        source, output = tmp_path / "bad.txt", tmp_path / "out.md"
        source.write_bytes(data)
        output.write_text("previous output\n", encoding="utf-8")
        assert main([str(source), "-o", str(output)]) == 1
        error = capsys.readouterr().err
        assert f"{source}:{line}:{column}: " in error and problem in error
        assert output.read_text(encoding="utf-8") == "previous output\n"
        assert sorted(path.name for path in tmp_path.iterdir()) == ["bad.txt", "out.md"]

    def test_missing_file(self, tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
        assert main([str(tmp_path / "absent.txt")]) == 1
        assert "absent.txt: cannot read" in capsys.readouterr().err

    def test_bidi_marks_that_do_not_override_are_accepted(self) -> None:
        # LRM, RLM and ALM mark direction without reordering anything.
        text = "نص \u200f(Tsargrad)\u200e و\u061c."
        assert convert(text.encode(), "ok.txt").blocks[0].text == text


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
        import subprocess
        import sys

        result = subprocess.run(
            [sys.executable, "-m", "report2md", str(SOURCE)], cwd=REPO, capture_output=True, check=False
        )
        assert result.returncode == 0
        assert result.stdout.decode("utf-8").count('data-source-line="') == 16
