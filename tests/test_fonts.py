"""The source fonts are the pinned files, and a shipped subset draws each word as its pinned original does.

A font decides which shapes a reader sees for the text: a copy of the
Naskh font whose character map draws "2" as "7" and ن as ت makes
"25 مليون" read "75 مليوت" with every byte of the HTML unchanged. The
hostile cases are tests/hostile/fonts/cases.yml: each poisons a copy of a
real font with fontTools (no font binary is committed).
"""

from __future__ import annotations

import hashlib
import io
import shutil
from pathlib import Path
from typing import Any

import pytest
import yaml
from conftest import build_site, copy_project
from facts import REPO, SOURCE
from fontTools import subset
from fontTools.ttLib import TTFont
from fontTools.varLib.instancer import instantiateVariableFont

import sitefonts
from sitefonts import FACES, PAGE_FACES, FontError, check_pins, check_subset, subset_font

FONTS = REPO / "fonts"
CASES: list[dict[str, Any]] = yaml.safe_load((REPO / "tests" / "hostile" / "fonts" / "cases.yml").read_text("utf-8"))
# The case: the Naskh font drawing "2" as "7" and ن as ت.
NASKH_CASE = next(case for case in CASES if case["name"] == "naskh-draws-2-as-7-and-noon-as-teh")
# The report's words, as a reader sees them (white space apart).
REPORT_WORDS = SOURCE.read_text(encoding="utf-8").split()


def sha256(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


def poison(font: TTFont, case: dict[str, Any]) -> None:
    """Change ``font`` as ``case`` says (see cases.yml): its character map, an advance, or an outline."""
    nominal = font.getBestCmap()
    for table in font["cmap"].tables:
        if table.isUnicode():
            for char, other in case.get("cmap", {}).items():
                table.cmap[ord(char)] = nominal[ord(other)]
    for char, advance in case.get("advance", {}).items():
        _, left_side_bearing = font["hmtx"][nominal[ord(char)]]
        font["hmtx"][nominal[ord(char)]] = (advance, left_side_bearing)
    for char in case.get("shift", []):
        glyph = font["glyf"][nominal[ord(char)]]
        glyph.coordinates.translate((0, 40))
        glyph.recalcBounds(font["glyf"])


def poisoned_fonts(destination: Path, case: dict[str, Any]) -> Path:
    """A copy of fonts/ at ``destination`` whose font ``case["font"]`` is poisoned as the case says."""
    shutil.copytree(FONTS, destination)
    path = destination / case["font"]
    font = TTFont(path)
    poison(font, case)
    font.save(path)
    return destination


def subset_of(path: Path, text: str, weight: int | None) -> bytes:
    """A WOFF2 subset of the font at ``path`` (pinned or not) for the characters of ``text``, made as the build makes
    its subsets (sitefonts.subset_font: an instance at ``weight``, sitefonts' subset options); subset_font
    itself refuses a font that is not pinned."""
    font = TTFont(path, recalcTimestamp=False)
    font.flavor = None
    if weight is not None and "fvar" in font:
        font = instantiateVariableFont(font, {"wght": weight}, updateFontNames=False)
    options = sitefonts.subset_options()
    options.flavor = "woff2"
    subsetter = subset.Subsetter(options)
    subsetter.populate(unicodes={ord(char) for char in text})
    subsetter.subset(font)
    buffer = io.BytesIO()
    subset.save_font(font, buffer, options)
    return buffer.getvalue()


class TestThePinsHold:
    def test_for_the_files_as_they_are(self) -> None:
        check_pins(FONTS)

    def test_every_font_and_licence_in_fonts_is_pinned(self) -> None:
        """Only the notes on where the files come from are not pinned: the build reads none of them."""
        files = {path.relative_to(FONTS).as_posix() for path in FONTS.rglob("*") if path.is_file()}
        assert {name for name in files if not name.endswith(".md")} == set(sitefonts.PINS)

    def test_every_face_and_family_has_a_pin_with_its_origin(self) -> None:
        for face in FACES:
            assert len(face.pin.sha256) == 64 and face.pin.origin, face.source
        for family in sitefonts.FAMILIES:
            assert f"{family}/{sitefonts.LICENCE}" in sitefonts.PINS


class TestAChangedFileIsRefused:
    @pytest.mark.parametrize("case", CASES, ids=lambda case: case["name"])
    def test_by_check_pins_naming_it_and_both_hashes(self, tmp_path: Path, case: dict[str, Any]) -> None:
        fonts = poisoned_fonts(tmp_path / "fonts", case)
        with pytest.raises(FontError) as refused:
            check_pins(fonts)
        message = str(refused.value)
        assert str(fonts / case["font"]) in message
        assert f"expected SHA-256 {sha256(FONTS / case['font'])}" in message
        assert f"found {sha256(fonts / case['font'])}" in message
        assert "\n" not in message

    @pytest.mark.parametrize("reader", ["covered", "codepoints", "subset_font", "check_subset"])
    def test_by_every_reader_of_the_fonts(self, tmp_path: Path, reader: str) -> None:
        fonts = poisoned_fonts(tmp_path / "fonts", NASKH_CASE)
        poisoned = fonts / NASKH_CASE["font"]
        read = {
            "covered": lambda: sitefonts.covered(fonts),
            "codepoints": lambda: sitefonts.codepoints(poisoned),
            "subset_font": lambda: subset_font(poisoned, {ord("2")}),
            "check_subset": lambda: check_subset(poisoned, subset_of(poisoned, "25", None), ["25"], weight=None),
        }[reader]
        with pytest.raises(FontError, match=f"found {sha256(poisoned)}"):
            read()

    def test_a_changed_licence(self, tmp_path: Path) -> None:
        fonts = tmp_path / "fonts"
        shutil.copytree(FONTS, fonts)
        licence = fonts / "noto-serif" / sitefonts.LICENCE
        licence.write_text(licence.read_text(encoding="utf-8") + "\nAnd anyone may sell it alone.\n", "utf-8")
        with pytest.raises(FontError, match=f"{licence} is not the pinned file: expected SHA-256 "):
            check_pins(fonts)

    def test_a_terabyte_file_unread(self, tmp_path: Path) -> None:
        """A sparse file of a terabyte in place of a font: refused by its size, without reading it into memory."""
        fonts = tmp_path / "fonts"
        shutil.copytree(FONTS, fonts)
        with (fonts / FACES[0].source).open("ab") as stream:
            stream.truncate(2**40)
        with pytest.raises(FontError, match=rf"^{fonts / FACES[0].source}: over 10,000,000 bytes \(MAX_FONT_BYTES\)"):
            check_pins(fonts)

    def test_a_missing_file_and_a_link_to_the_pinned_bytes(self, tmp_path: Path) -> None:
        fonts = tmp_path / "fonts"
        shutil.copytree(FONTS, fonts)
        (fonts / FACES[0].source).unlink()
        linked = fonts / FACES[1].source
        linked.unlink()
        linked.symlink_to(FONTS / FACES[1].source)
        with pytest.raises(FontError) as refused:
            check_pins(fonts)
        assert f"{fonts / FACES[0].source}: missing" in str(refused.value)
        assert f"{linked}: a link" in str(refused.value)


class TestSubsetsDrawAsTheOriginal:
    @pytest.mark.parametrize("weight", [None, 400, 700])
    @pytest.mark.parametrize("face", PAGE_FACES, ids=lambda face: face.name)
    def test_the_build_subsets_of_the_report_pass(self, face: sitefonts.Face, weight: int | None) -> None:
        source = sitefonts.source_path(face)
        characters = {ord(char) for char in "".join(REPORT_WORDS) + "0123456789"} & sitefonts.codepoints(source)
        check_subset(source, subset_font(source, characters, weight=weight), REPORT_WORDS, weight=weight)

    @pytest.mark.parametrize("case", CASES, ids=lambda case: case["name"])
    @pytest.mark.parametrize("weight", [None, 700])
    def test_a_subset_of_a_poisoned_font_is_refused_naming_the_word(
        self, tmp_path: Path, case: dict[str, Any], weight: int | None
    ) -> None:
        poisoned = poisoned_fonts(tmp_path / "fonts", case) / case["font"]
        for word, difference in case["words"].items():
            shipped = subset_of(poisoned, word, weight)
            with pytest.raises(FontError) as refused:
                check_subset(FONTS / case["font"], shipped, ["-", word], weight=weight)
            assert str(refused.value).startswith(f"{word!r}"), refused.value
            assert difference in str(refused.value)

    def test_a_poisoned_character_no_word_uses_is_refused_naming_it(self, tmp_path: Path) -> None:
        poisoned = poisoned_fonts(tmp_path / "fonts", NASKH_CASE) / NASKH_CASE["font"]
        with pytest.raises(FontError, match=r"^U\+0032 '2': the subset draws it as U\+0037 '7'"):
            check_subset(FONTS / NASKH_CASE["font"], subset_of(poisoned, "25", None), ["5"], weight=None)

    def test_a_subset_at_another_weight_is_refused(self) -> None:
        source = sitefonts.source_path(next(face for face in PAGE_FACES if face.split))
        with pytest.raises(FontError, match=r"^'data', at its U\+0064 'd': the subset draws a glyph of no character"):
            check_subset(source, subset_font(source, set(map(ord, "data")), weight=700), ["data"], weight=400)

    @pytest.mark.parametrize(("made_at", "checked_at"), [(None, 400), (400, None)])
    def test_a_variable_subset_checked_as_static_and_back_is_refused(
        self, made_at: int | None, checked_at: int | None
    ) -> None:
        source = sitefonts.source_path(next(face for face in PAGE_FACES if face.split))
        shipped = subset_font(source, set(map(ord, "data")), weight=made_at)
        with pytest.raises(FontError, match=f"^the subset is {'variable' if made_at is None else 'static'}"):
            check_subset(source, shipped, ["data"], weight=checked_at)


class TestTheBuild:
    def test_a_poisoned_font_stops_it_naming_the_file_and_both_hashes(self, tmp_path: Path) -> None:
        """Fails until the build catches sitefonts.FontError as it does its other input errors (one line)."""
        project = copy_project(tmp_path / "project")
        shutil.rmtree(project / "fonts")
        poisoned_fonts(project / "fonts", NASKH_CASE)
        result = build_site(project, tmp_path / "site")
        assert result.returncode != 0
        assert f"fonts/{NASKH_CASE['font']}" in result.stderr
        assert sha256(FONTS / NASKH_CASE["font"]) in result.stderr
        assert sha256(project / "fonts" / NASKH_CASE["font"]) in result.stderr
        assert "Traceback" not in result.stderr, result.stderr
        assert not (tmp_path / "site" / "index.html").exists()
