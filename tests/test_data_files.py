"""The editorial data files are read strictly: each problem is one line naming the file, the field and what is wrong.

The cases are files in tests/hostile/<file name>/, collected automatically;
each one's first line says what the message must contain (``# expect: ...``).
"""

from __future__ import annotations

import hashlib
from collections.abc import Callable
from dataclasses import replace
from pathlib import Path
from typing import Any

import pytest
import yaml
from conftest import build_site, built, copy_project, page_soup, site_that_was
from facts import REPO, SOURCE

import sitefonts
from generate.additions import load_additions
from generate.data import MAX_DATA_BYTES, DataError, address, site_address
from generate.inputs import Inputs, check_drawable_texts, read_inputs
from generate.origin import RECEIVED_FILE, load_provenance
from report2md import SourceError

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


class TestNoSymbolicLinks:
    @pytest.mark.parametrize("name", ["report.ar.txt", "report.yml", "provenance.yml"])
    def test_a_link_in_source_is_refused(self, tmp_path: Path, name: str) -> None:
        project = copy_project(tmp_path / "project")
        path = project / "source" / name
        target = tmp_path / name
        path.rename(target)
        path.symlink_to(target)
        with pytest.raises(DataError, match=f"^source/{name}: is a symbolic link"):
            read_inputs(project)


class TestSize:
    def test_a_file_over_the_limit_is_refused_unread(self, tmp_path: Path) -> None:
        path = tmp_path / "report.yml"
        path.write_bytes(b"# " + b"x" * MAX_DATA_BYTES + b"\n")
        with pytest.raises(DataError, match=r"^source/report.yml: over 100,000 bytes \(MAX_DATA_BYTES\)"):
            load_additions(path, "source/report.yml", SHA256)


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


ADDRESS_CASES = yaml.safe_load((HOSTILE / "addresses" / "cases.yml").read_text(encoding="utf-8"))
SOURCE_FIELD = "origin[0].sources[0].url"


class TestSourceAddresses:
    """A source's address: absolute http(s), no user, a plain ASCII host (punycode suggested for others)."""

    @pytest.mark.parametrize(("value", "problem"), ADDRESS_CASES["refused"].items())
    def test_refused_in_one_line_naming_the_problem(self, value: str, problem: str) -> None:
        with pytest.raises(DataError) as error:
            address(RECEIVED_FILE)(value, "source/provenance.yml", SOURCE_FIELD)
        message = str(error.value)
        assert message.startswith(f"source/provenance.yml: {SOURCE_FIELD}: ") and "\n" not in message
        assert problem in message, message

    @pytest.mark.parametrize("value", ADDRESS_CASES["accepted"])
    def test_accepted(self, value: str) -> None:
        assert address(RECEIVED_FILE)(value, "source/provenance.yml", SOURCE_FIELD) == value


@pytest.fixture(scope="module")
def site_citing_every_accepted_address(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The site built with the first origin item citing each accepted address, in order."""
    project = copy_project(tmp_path_factory.mktemp("addresses") / "project")
    path = project / "source" / "provenance.yml"
    fields = yaml.safe_load(path.read_text(encoding="utf-8"))
    sources = [{"url": url, "label": f"source {index}"} for index, url in enumerate(ADDRESS_CASES["accepted"], 1)]
    fields["origin"][0]["sources"] = sources
    path.write_text(yaml.safe_dump(fields, allow_unicode=True), encoding="utf-8")
    return built(project)


class TestAcceptedAddressesArePublishedExactly:
    def test_each_link_goes_to_the_address_as_written(self, site_citing_every_accepted_address: Path) -> None:
        page = page_soup(site_citing_every_accepted_address, "provenance/index.html")
        links = [link for link in page.select("article a[rel~=noopener]") if link.get_text().startswith("source ")]
        assert [link["href"] for link in links] == ADDRESS_CASES["accepted"]


class TestEveryShownTextIsDrawn:
    """A text no font in fonts/ draws is refused naming its file and field, before anything is built."""

    @pytest.mark.parametrize(
        ("name", "field", "change"),
        [
            ("source/report.yml", "labels.search.none", lambda inputs: with_label(inputs, "لا 🙂")),
            ("source/report.yml", "title", lambda inputs: with_title(inputs, "تقرير 中文")),
            ("source/provenance.yml", "events[1].claim", lambda inputs: with_claim(inputs, "ادعاء ☃")),
        ],
    )
    def test_refused_naming_the_field(self, name: str, field: str, change: Callable[[Inputs], Inputs]) -> None:
        with pytest.raises(DataError) as error:
            check_drawable_texts(change(read_inputs(REPO)), sitefonts.covered(), "fonts/")
        message = str(error.value)
        assert message.startswith(f"{name}: {field}: character ") and "is in no font of fonts/" in message

    def test_the_files_as_they_are_pass(self) -> None:
        check_drawable_texts(read_inputs(REPO), sitefonts.covered(), "fonts/")


def with_title(inputs: Inputs, text: str) -> Inputs:
    return replace(inputs, additions=replace(inputs.additions, title=text))


def with_label(inputs: Inputs, text: str) -> Inputs:
    labels = inputs.additions.labels
    labels = replace(labels, search=replace(labels.search, none=text))
    return replace(inputs, additions=replace(inputs.additions, labels=labels))


def with_claim(inputs: Inputs, text: str) -> Inputs:
    events = list(inputs.origin["events"])
    events[1] = replace(events[1], claim=text)
    return replace(inputs, origin={**inputs.origin, "events": tuple(events)})


class TestInTheBuild:
    def test_an_undrawable_label_stops_the_build_before_it_writes(self, tmp_path: Path) -> None:
        project = copy_project(tmp_path / "project")
        path = project / "source" / "report.yml"
        fields = yaml.safe_load(path.read_text(encoding="utf-8"))
        fields["labels"]["search"]["none"] = "لا 🙂"
        path.write_text(yaml.safe_dump(fields, allow_unicode=True), encoding="utf-8")
        site = site_that_was(tmp_path)
        result = build_site(project, site)
        errors = [line for line in result.stderr.splitlines() if line.startswith("ERROR")]
        assert result.returncode != 0 and len(errors) == 1, result.stderr
        assert "source/report.yml: labels.search.none: character 4: '🙂' U+1F642" in errors[0]
        assert [p.name for p in site.iterdir()] == ["index.html"]
        assert (site / "index.html").read_text(encoding="utf-8") == "the site as it was"


def with_text(project: Path, text: str, accepted: str = "") -> None:
    """Give the copy at ``project`` the text ``text``, both data files its SHA-256, report.yml ``accepted`` appended."""
    (project / "source" / "report.ar.txt").write_text(text, encoding="utf-8")
    new = hashlib.sha256(text.encode()).hexdigest()
    for name in ("report.yml", "provenance.yml"):
        path = project / "source" / name
        path.write_text(path.read_text(encoding="utf-8").replace(SHA256, new), encoding="utf-8")
    with (project / "source" / "report.yml").open("a", encoding="utf-8") as stream:
        stream.write(accepted)


# The report with a zero width space after the fifth character of line 2, and another as its line 4's first.
ZWSP_LINES = SOURCE.read_text(encoding="utf-8").split("\n")
ZWSP_LINES[1] = ZWSP_LINES[1][:5] + "\u200b" + ZWSP_LINES[1][5:]
ZWSP_LINES[3] = "\u200b" + ZWSP_LINES[3]
ZWSP_TEXT = "\n".join(ZWSP_LINES)
ZWSP_REASON = "مسافة بلا عرض في الملف كما ورد"
ACCEPT_ZWSP = f"accepted_characters:\n  - code_point: U+200B\n    reason: {ZWSP_REASON}\n"


class TestAcceptedInvisibleCharacters:
    """An invisible character in the text stops the build unless report.yml accepts it; then each place is shown."""

    def test_refused_unless_accepted(self, tmp_path: Path) -> None:
        project = copy_project(tmp_path / "project")
        with_text(project, ZWSP_TEXT)
        with pytest.raises(SourceError, match=r"^source/report\.ar\.txt:2:6: U\+200B ZERO WIDTH SPACE is an invisible"):
            read_inputs(project)

    def test_accepted_ones_are_published_and_listed_in_their_places(self, tmp_path: Path) -> None:
        project = copy_project(tmp_path / "project")
        with_text(project, ZWSP_TEXT, ACCEPT_ZWSP)
        site = tmp_path / "site"
        result = build_site(project, site)
        assert result.returncode == 0, result.stderr
        paragraphs = [p.get_text() for p in page_soup(site, "index.html").select("article [data-source-line]")]
        assert ZWSP_LINES[1] in paragraphs and ZWSP_LINES[3] in paragraphs
        tables = page_soup(site, "provenance/index.html").select("article table")
        rows = [
            [cell.get_text() for cell in row.find_all("td")]
            for table in tables
            if "U+200B" in table.get_text()
            for row in table.select("tbody tr")
        ]
        assert rows == [
            ["2", "6", "U+200B", "ZERO WIDTH SPACE", ZWSP_REASON],
            ["4", "1", "U+200B", "ZERO WIDTH SPACE", ZWSP_REASON],
        ]
