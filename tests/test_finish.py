"""The finishing stage as pure functions: its order, the fonts it cuts, and its table of Material couplings."""

from __future__ import annotations

import base64
import io
import json
import re
import shutil
import subprocess
import sys
from html import escape
from pathlib import Path
from typing import ClassVar

import pytest
from bs4 import BeautifulSoup
from conftest import build_site, copy_project
from facts import REPO
from fontTools.ttLib import TTFont

from finish import OUR_SCRIPTS, PAGE_STEPS
from finish.errors import FinishError
from finish.fonts import first_fonts, page_faces, subset_site
from finish.html_fixes import (
    FONTS_READY_CLASS,
    PALETTES_ID,
    REVEAL_SCRIPT,
    apply_palette_before_paint,
    reveal_text_when_fonts_load,
)
from finish.material import COUPLINGS, TEMPLATES, MaterialChanged, inline_script_patterns
from finish.policy import checked_inline_scripts
from sitefonts import FONTS_DIR


def page(text: str) -> str:
    return f'<!doctype html><html><head><meta charset="utf-8"></head><body><p>{text}</p></body></html>'


class TestOrder:
    def test_the_policy_is_last_and_the_fixes_first(self) -> None:
        names = [name for name, _ in PAGE_STEPS]
        assert names[-1] == "Content-Security-Policy"
        assert (
            names.index("text shown when its fonts load")
            > names.index("first-screen CSS inline, one stylesheet last")
            > names.index("theme colour")
            > names.index("dir on <html>")
        )


class TestFontsKeepEveryCharacterTheSourceFontHas:
    def test_format_characters_reach_the_subset(self) -> None:
        """U+06DD ARABIC END OF AYAH is a format character that is drawn; ZWJ shapes the letters around it."""
        fonts = subset_site({"index.html": page("نص \u06dd١٢ و\u200dب")}, FONTS_DIR)
        cmap = TTFont(io.BytesIO(fonts.files["naskh-arabic.woff2"])).getBestCmap()
        assert 0x06DD in cmap and 0x0661 in cmap

    def test_a_character_no_font_has_fails(self) -> None:
        with pytest.raises(FinishError, match="no font in fonts/ has"):
            subset_site({"index.html": page("نص \U0001f600")}, FONTS_DIR)


# A page of Arabic, and one that also quotes a Cyrillic name.
TWO_PAGES = {"index.html": page("نص عربي"), "other/index.html": page("نص Царьград")}


class TestEachPageCarriesTheFacesItDraws:
    """The faces a page draws as it loads are inside its @font-face rules; the others stay files."""

    def test_the_faces_drawn_are_inside_the_rules(self) -> None:
        fonts = subset_site(TWO_PAGES, FONTS_DIR)
        arabic_only, with_cyrillic = (page_faces(fonts, path) for path in TWO_PAGES)
        assert arabic_only.count("data:font/woff2;base64,") == 1
        assert 'url("../fonts/serif-cyrillic.woff2")' in arabic_only
        assert with_cyrillic.count("data:font/woff2;base64,") == 2
        assert "serif-cyrillic.woff2" not in with_cyrillic
        inline = re.search(r'url\("data:font/woff2;base64,(?P<data>[^"]+)"\)', arabic_only)
        assert inline and base64.b64decode(inline["data"]) == fonts.files["naskh-arabic.woff2"]

    def test_the_reveal_loads_a_letter_of_each_face_drawn(self) -> None:
        fonts = subset_site(TWO_PAGES, FONTS_DIR)
        loaded = first_fonts(fonts, "other/index.html")
        assert loaded["font"] == '1em "Report Naskh"'
        assert len(loaded["text"]) == 2 and all(char.isalpha() for char in loaded["text"])
        faces = {name for char in loaded["text"] for name, points in fonts.faces.items() if ord(char) in points}
        assert faces == {"naskh-arabic", "serif-cyrillic"}


class TestMaterialCouplings:
    """Every coupling the code names is in the one table, and Material's inline scripts are where the table says."""

    def test_every_coupling_named_in_the_code_is_listed(self) -> None:
        code = "".join(path.read_text(encoding="utf-8") for path in (REPO / "finish").glob("*.py"))
        named = set(re.findall(r'MaterialChanged\(\s*"([^"]+)"', code))
        assert named and named <= set(COUPLINGS)

    def test_materials_inline_scripts_are_found(self) -> None:
        assert len(inline_script_patterns()) >= 3

    def test_a_change_is_reported_by_name(self) -> None:
        assert "Material for MkDocs changed: bundle script" in str(MaterialChanged("bundle script", "found 0"))


class TestStagesRunWithoutMkDocs:
    """convert, generate and finish are plain Python: another site generator could call them."""

    def test_no_stage_imports_mkdocs(self) -> None:
        code = (
            "import sys, report2md, generate.site, finish, sitefonts\n"
            "from pathlib import Path\n"
            "site = generate.site.generate_site(generate.site.read_inputs(Path('.')),"
            " site_url='https://example.org/', palette_toggles=[], versions={})\n"
            "assert site.pages and site.files\n"
            "print(sorted(name for name in sys.modules if name.split('.')[0] in ('mkdocs', 'material')))"
        )
        result = subprocess.run([sys.executable, "-c", code], cwd=REPO, capture_output=True, text=True, check=False)
        assert result.returncode == 0, result.stderr
        assert result.stdout.strip() == "['material']", "only finish/material.py reads Material's templates"

    def test_generate_writes_the_pages(self, tmp_path: Path) -> None:
        result = subprocess.run(
            [sys.executable, "-m", "generate", str(tmp_path)], cwd=REPO, capture_output=True, text=True, check=False
        )
        assert result.returncode == 0, result.stderr
        assert sorted(path.name for path in tmp_path.iterdir()) == [
            "index.md",
            "provenance.md",
            "report.ar.txt",
            "robots.txt",
        ]


class TestAFailedFinishLeavesNoUnfinishedPage:
    """A page the policy step refuses is not left in site/ without its policy, and neither is any other page."""

    def test_an_unknown_script_fails_the_build_and_no_page_stays(self, tmp_path: Path) -> None:
        project = copy_project(tmp_path / "project")
        template = project / "overrides" / "404.html"
        template.write_text(
            template.read_text(encoding="utf-8").replace("{% endblock %}", "<script>alert(1)</script>{% endblock %}"),
            encoding="utf-8",
        )
        site = tmp_path / "site"
        result = build_site(project, site)
        assert result.returncode != 0
        assert "404.html: unknown inline <script type=None> starting 'alert(1)'" in result.stderr
        assert "the unfinished pages were removed" in result.stderr
        assert sorted(site.rglob("*.html")) == []

    def test_the_command_changes_nothing_when_a_page_fails(self, site: Path, tmp_path: Path) -> None:
        """`python -m finish` over a site already finished fails (Material's script is deferred already)."""
        copy = tmp_path / "site"
        shutil.copytree(site, copy)
        before = {path: path.read_bytes() for path in copy.rglob("*") if path.is_file()}
        result = subprocess.run(
            [sys.executable, "-m", "finish", str(copy)], cwd=REPO, capture_output=True, text=True, check=False
        )
        assert result.returncode == 1 and result.stderr.startswith("finish: error: "), result.stderr
        assert {path: path.read_bytes() for path in copy.rglob("*") if path.is_file()} == before


def palette_page(*palettes: dict[str, str], saved_choice_script: str | None = None) -> str:
    """A page shaped as Material writes it: palette inputs in the header, then its palette script."""
    script = (
        saved_choice_script
        or (TEMPLATES / "partials" / "javascripts" / "palette.html")
        .read_text(encoding="utf-8")
        .split("-#}")[-1]
        .strip()
    )
    inputs = "".join(
        f'<input class="md-option" data-md-color-media="{escape(p["media"])}"'
        f' data-md-color-scheme="{escape(p["scheme"])}" type="radio" name="__palette">'
        for p in palettes
    )
    return (
        '<!doctype html><html><head></head><body dir="rtl" data-md-color-scheme="default">'
        f'<header><a class="md-logo">logo</a><form data-md-component="palette">{inputs}</form>{script}</header>'
        "<main><p>text</p></main></body></html>"
    )


LIGHT = {"media": "(prefers-color-scheme: light)", "scheme": "default"}
DARK = {"media": "(prefers-color-scheme: dark)", "scheme": "slate"}


class TestThePaletteIsAppliedBeforeAnythingCanPaint:
    """The palettes, a script applying the system's, and Material's palette script open <body>, before the header."""

    def test_the_scripts_open_the_body_and_leave_the_header(self) -> None:
        material_script = BeautifulSoup(palette_page(LIGHT, DARK), "html.parser").header.script.string
        finished = apply_palette_before_paint(palette_page(LIGHT, DARK))
        soup = BeautifulSoup(finished[finished.index("<body") :], "html.parser")
        data, system, material = soup.body.find_all(True, recursive=False)[:3]
        assert data.name == "script" and data["type"] == "application/json" and data["id"] == PALETTES_ID
        assert json.loads(data.string) == [
            {"media": LIGHT["media"], "scheme": "default", "primary": "", "accent": ""},
            {"media": DARK["media"], "scheme": "slate", "primary": "", "accent": ""},
        ]
        assert system.name == "script" and system.string in OUR_SCRIPTS
        assert material.name == "script" and material.string == material_script, "Material's script, unchanged"
        assert soup.header.find("script") is None, "the palette script must leave the header"

    def test_a_page_without_a_palette_toggle_is_unchanged(self) -> None:
        assert apply_palette_before_paint(page("نص")) == page("نص")

    def test_a_palette_value_cannot_close_the_data_block(self) -> None:
        hostile = {"media": '</script><script>alert(1)</script> & "', "scheme": "slate"}
        finished = apply_palette_before_paint(palette_page(LIGHT, hostile))
        assert finished.count("<script") == 3 and "alert(1)</script>" not in finished
        data = BeautifulSoup(finished, "html.parser").find(id=PALETTES_ID).string
        assert json.loads(data)[1]["media"] == hostile["media"]
        assert checked_inline_scripts(finished, "index.html", OUR_SCRIPTS)

    def test_materials_automatic_palette_is_refused_by_name(self) -> None:
        automatic = {"media": "(prefers-color-scheme)", "scheme": "default"}
        with pytest.raises(FinishError, match=r"mkdocs\.yml theme\.palette: media '\(prefers-color-scheme\)'"):
            apply_palette_before_paint(palette_page(automatic, LIGHT, DARK))

    def test_a_changed_palette_script_is_reported_by_name(self) -> None:
        with pytest.raises(MaterialChanged, match="palette script"):
            apply_palette_before_paint(palette_page(LIGHT, DARK, saved_choice_script="<script>var palette=1</script>"))


class TestTheTextIsShownByAnInlineScriptAfterTheFonts:
    """The script that shows the text once its fonts have loaded is inline, right after the <style> with the faces."""

    STYLE = '<style>@font-face{font-family:"Report Naskh";src:url("data:font/woff2;base64,AAAA")}</style>'
    FIRST_FONTS: ClassVar[dict[str, str]] = {"font": '1em "Report Naskh"', "text": "ءT</script>"}

    def head(self, style: str) -> str:
        return f'<!doctype html><html><head><meta charset="utf-8">{style}</head><body><p>نص</p></body></html>'

    def test_it_goes_right_after_the_style(self) -> None:
        finished = reveal_text_when_fonts_load(self.head(self.STYLE), self.FIRST_FONTS)
        soup = BeautifulSoup(finished, "html.parser")
        data, reveal = soup.style.find_next_siblings("script")
        assert reveal.string in OUR_SCRIPTS and data.get("type") == "application/json"
        assert json.loads(data.string) == self.FIRST_FONTS  # "</script>" in it escaped, so the block holds
        assert f'getElementById("{data["id"]}")' in reveal.string
        assert checked_inline_scripts(finished, "index.html", OUR_SCRIPTS)

    @pytest.mark.parametrize("styles", ["", "<style>p{}</style><style>a{}</style>"])
    def test_without_one_style_in_head_the_build_stops(self, styles: str) -> None:
        with pytest.raises(FinishError, match=r"inline <style> in <head>"):
            reveal_text_when_fonts_load(self.head(styles), self.FIRST_FONTS)

    def test_the_class_it_adds_is_the_one_the_stylesheet_waits_for(self) -> None:
        css = (REPO / "docs" / "assets" / "stylesheets" / "report.css").read_text(encoding="utf-8")
        assert f"html:not(.{FONTS_READY_CLASS}) .md-container {{" in css
        assert f'classList.add("{FONTS_READY_CLASS}")' in REVEAL_SCRIPT
