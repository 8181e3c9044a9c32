"""The editorial data files are read strictly: each problem is one line naming the file, the field and what is wrong."""

from __future__ import annotations

import hashlib
from pathlib import Path

import pytest
from facts import REPO, SOURCE

from generate.additions import load_additions
from generate.data import DataError
from generate.provenance import load_provenance

SHA256 = hashlib.sha256(SOURCE.read_bytes()).hexdigest()
REPORT_YML = (REPO / "source" / "report.yml").read_text(encoding="utf-8")
PROVENANCE_YML = (REPO / "source" / "provenance.yml").read_text(encoding="utf-8")

# name: (text of report.yml, expected message after "source/report.yml: ")
REPORT_CASES = {
    "duplicate key": (
        REPORT_YML + "title: عنوان آخر\n",
        f"line {REPORT_YML.count(chr(10)) + 1}: duplicate key 'title'",
    ),
    "unknown key": (REPORT_YML + "subtitle: عنوان\n", "subtitle: unknown field"),
    "unknown nested key": (REPORT_YML.replace("  copied:", "  copy: x\n  copied:"), "labels.copy: unknown field"),
    "missing field": (REPORT_YML.replace("notice:", "notes:"), "notes: unknown field"),
    "wrong type": (
        REPORT_YML.replace("description_max_chars: 155", "description_max_chars: '155'"),
        "description_max_chars: must be a whole number",
    ),
    "zero": (
        REPORT_YML.replace("description_max_chars: 155", "description_max_chars: 0"),
        "description_max_chars: must be between 40 and 300, not 0",
    ),
    "negative": (
        REPORT_YML.replace("description_max_chars: 155", "description_max_chars: -5"),
        "must be between 40 and 300",
    ),
    "empty text": (REPORT_YML.replace('excerpt_mark: "…"', 'excerpt_mark: "  "'), "excerpt_mark: must not be empty"),
    "a date is not a text": (
        REPORT_YML.replace("  copied: نُسخ الرابط", "  copied: 2023-03-30"),
        "labels.copied: must be a text, not date",
    ),
    "delete character": (
        REPORT_YML.replace('excerpt_mark: "…"', 'excerpt_mark: "…\\x7f"'),
        "excerpt_mark: character 2: control character U+007F",
    ),
    "noncharacter": (
        REPORT_YML.replace('excerpt_mark: "…"', 'excerpt_mark: "…\\uffff"'),
        "excerpt_mark: character 2: noncharacter U+FFFF",
    ),
    "override": (
        REPORT_YML.replace('excerpt_mark: "…"', 'excerpt_mark: "…\\u202e"'),
        "bidirectional control character U+202E",
    ),
    "not a mapping": ("- a\n- b\n", "must be a mapping of fields, not list"),
    "text changed without the file": (
        REPORT_YML.replace(SHA256, "a" * 64),
        "source_sha256: this file describes the text with SHA-256 aaaa",
    ),
}
BAD_ADDRESSES = [
    "javascript:alert(1)",
    "data:text/html,x",
    "file:///etc/passwd",
    "//example.org/",
    "report.txt",
    "https:///x",
]
PROVENANCE_CASES = {
    **{
        f"address {url}": (
            PROVENANCE_YML.replace("https://tsargrad.tv/", url),
            "cited_source[0].sources[0].url: must be an absolute https: or http: address",
        )
        for url in BAD_ADDRESSES
    },
    "unknown status": (
        PROVENANCE_YML.replace("status: in-file", "status: confirmed", 1),
        "file_facts[0].status: must be one of",
    ),
    "duplicate status flips a claim": (
        PROVENANCE_YML.replace("    status: in-file\n", "    status: in-file\n    status: outside-evidence\n", 1),
        "duplicate key 'status'",
    ),
    "no sources": (
        PROVENANCE_YML.replace(
            "    sources:\n      - url: https://tsargrad.tv/\n        label: tsargrad.tv\n", "    sources: []\n"
        ),
        "cited_source[0].sources: must be a list of at least one item",
    ),
    "claim without a status": (PROVENANCE_YML.replace("    status: in-file\n", "", 1), "file_facts[0].status: missing"),
    "claim without sources": (
        PROVENANCE_YML.replace("    sources:\n      - url: https://tsargrad.tv/\n        label: tsargrad.tv\n", ""),
        "cited_source[0].sources: missing",
    ),
    "event without a date": (PROVENANCE_YML.replace("    date: 28 فبراير/شباط 2023\n", ""), "events[1].date: missing"),
    "no hash": (
        PROVENANCE_YML.replace(f"source_sha256: {SHA256}", "source_sha256: abc"),
        "source_sha256: must be a SHA-256",
    ),
}


def write(tmp_path: Path, text: str | bytes) -> Path:
    path = tmp_path / "data.yml"
    path.write_bytes(text if isinstance(text, bytes) else text.encode("utf-8"))
    return path


class TestTheFilesAsTheyAre:
    def test_both_load(self) -> None:
        assert load_additions(REPO / "source" / "report.yml", "source/report.yml", SHA256).title
        assert load_provenance(REPO / "source" / "provenance.yml", "source/provenance.yml", SHA256)["events"]


class TestReportYml:
    @pytest.mark.parametrize("case", REPORT_CASES)
    def test_refused_with_file_field_and_problem(self, tmp_path: Path, case: str) -> None:
        text, message = REPORT_CASES[case]
        with pytest.raises(DataError) as error:
            load_additions(write(tmp_path, text), "source/report.yml", SHA256)
        assert str(error.value).startswith("source/report.yml: ") and message in str(error.value), str(error.value)
        assert "\n" not in str(error.value)

    def test_bytes_that_are_not_utf8(self, tmp_path: Path) -> None:
        with pytest.raises(DataError, match=r"^source/report\.yml: bytes that are not UTF-8 at byte offset 7$"):
            load_additions(write(tmp_path, b"title: \xff\n"), "source/report.yml", SHA256)


class TestProvenanceYml:
    @pytest.mark.parametrize("case", PROVENANCE_CASES)
    def test_refused_with_file_field_and_problem(self, tmp_path: Path, case: str) -> None:
        text, message = PROVENANCE_CASES[case]
        assert text != PROVENANCE_YML
        with pytest.raises(DataError) as error:
            load_provenance(write(tmp_path, text), "source/provenance.yml", SHA256)
        assert message in str(error.value) and str(error.value).startswith("source/provenance.yml: ")
