"""The editorial data files are read strictly: each problem is one line naming the file, the field and what is wrong.

The cases are files in tests/hostile/<file name>/, collected automatically;
each one's first line says what the message must contain (``# expect: ...``).
"""

from __future__ import annotations

import hashlib
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest
import yaml
from facts import REPO, SOURCE

from generate.additions import load_additions
from generate.data import DataError, site_address
from generate.provenance import load_provenance

SHA256 = hashlib.sha256(SOURCE.read_bytes()).hexdigest()
HOSTILE = REPO / "tests" / "hostile"
LOADERS: dict[str, Callable[[Path, str, str], Any]] = {"report.yml": load_additions, "provenance.yml": load_provenance}
CASES = sorted((channel, path.name) for channel in LOADERS for path in (HOSTILE / channel).glob("*.yml"))


def expected(path: Path) -> str:
    first = path.read_bytes().split(b"\n", 1)[0].decode("utf-8")
    assert first.startswith("# expect: "), f"{path}: the first line must say what the message contains"
    return first.removeprefix("# expect: ")


class TestTheFilesAsTheyAre:
    def test_both_load(self) -> None:
        assert load_additions(REPO / "source" / "report.yml", "source/report.yml", SHA256).title
        assert load_provenance(REPO / "source" / "provenance.yml", "source/provenance.yml", SHA256)["events"]

    def test_the_corpus_is_there(self) -> None:
        assert {channel for channel, _ in CASES} == set(LOADERS) and len(CASES) >= 25


class TestEachBadFileIsRefused:
    @pytest.mark.parametrize(("channel", "case"), CASES)
    def test_one_line_naming_the_file_the_field_and_the_problem(self, channel: str, case: str) -> None:
        path = HOSTILE / channel / case
        name = f"source/{channel}"
        with pytest.raises(DataError) as error:
            LOADERS[channel](path, name, SHA256)
        message = str(error.value)
        assert message.startswith(f"{name}: ") and expected(path) in message, message
        assert "\n" not in message


SITE_URL_CASES = yaml.safe_load((HOSTILE / "site_url" / "cases.yml").read_text(encoding="utf-8"))


class TestTheSiteAddress:
    """site_url (SITE_URL) reaches attributes, an inline script and robots.txt: only a plain https address passes."""

    @pytest.mark.parametrize("value", SITE_URL_CASES["refused"])
    def test_refused_in_one_line(self, value: str) -> None:
        with pytest.raises(DataError) as error:
            site_address(value, "mkdocs.yml", "site_url")
        message = str(error.value)
        assert message.startswith("mkdocs.yml: site_url: ") and "https:" in message and "\n" not in message

    @pytest.mark.parametrize("value", SITE_URL_CASES["accepted"])
    def test_accepted(self, value: str) -> None:
        assert site_address(value, "mkdocs.yml", "site_url") == value
