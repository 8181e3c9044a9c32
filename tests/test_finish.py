"""The finishing stage as pure functions on a page's tree: the fonts it cuts, the fixes, the table of couplings."""

from __future__ import annotations

import base64
import io
import json
import re
import subprocess
import sys
from html import escape
from pathlib import Path

import pytest
from conftest import build_site, copy_project
from facts import REPO
from fontTools.ttLib import TTFont

from finish.fixes import (
    OUR_SCRIPTS,
    PALETTES_ID,
    apply_palette_before_paint,
    preload_fonts,
)
from finish.fonts import page_characters, subset_site
from finish.html import FinishError, parse, serialize
from finish.material import COUPLINGS, PALETTE_SCRIPT, SCOPE_SCRIPT, TARGET_SCRIPT, MaterialChanged
from finish.policy import Known, check_page
from sitefonts import FONTS_DIR

MATERIAL_TEMPLATES = (
    Path(sys.prefix)
    / "lib"
    / f"python{sys.version_info[0]}.{sys.version_info[1]}"
    / ("site-packages/material/templates/partials/javascripts")
)


def page(text: str) -> str:
    return f'<!doctype html><html><head><meta charset="utf-8"></head><body><p>{text}</p></body></html>'


def characters(pages: dict[str, str]) -> dict:
    return {path: page_characters(parse(html)) for path, html in pages.items()}


class TestFontsKeepEveryCharacterTheSourceFontHas:
    def test_format_characters_reach_the_subset(self) -> None:
        """U+06DD ARABIC END OF AYAH is a format character that is drawn; ZWJ shapes the letters around it."""
        fonts = subset_site(characters({"index.html": page("نص \u06dd١٢ و\u200dب")}), FONTS_DIR)
        cmap = TTFont(io.BytesIO(fonts.files["naskh-arabic.woff2"])).getBestCmap()
        assert 0x06DD in cmap and 0x0661 in cmap

    def test_a_character_no_font_has_fails(self) -> None:
        with pytest.raises(FinishError, match="no font in fonts/ has"):
            subset_site(characters({"index.html": page("نص \U0001f600")}), FONTS_DIR)


# A page of Arabic, and one that also quotes a Cyrillic name.
TWO_PAGES = {"index.html": page("نص عربي"), "other/index.html": page("نص Царьград")}


class TestEachPageCarriesTheFacesItDraws:
    """The faces a page draws as it loads are inside its @font-face rules; the others stay files."""

    def test_the_faces_drawn_are_inside_the_rules(self) -> None:
        fonts = subset_site(characters(TWO_PAGES), FONTS_DIR)
        arabic_only, with_cyrillic = (fonts.page_faces(path) for path in TWO_PAGES)
        assert arabic_only.count("data:font/woff2;base64,") == 1
        assert 'url("../fonts/serif-cyrillic.woff2")' in arabic_only
        assert with_cyrillic.count("data:font/woff2;base64,") == 2
        assert "serif-cyrillic.woff2" not in with_cyrillic
        inline = re.search(r'url\("data:font/woff2;base64,(?P<data>[^"]+)"\)', arabic_only)
        assert inline and base64.b64decode(inline["data"]) == fonts.files["naskh-arabic.woff2"]


class TestMaterialCouplings:
    """Every coupling the code names is in the one table, and Material's inline scripts are what its templates write."""

    def test_every_coupling_named_in_the_code_is_listed(self) -> None:
        code = "".join(
            path.read_text(encoding="utf-8") for path in [*(REPO / "finish").glob("*.py"), REPO / "hooks" / "render.py"]
        )
        named = set(re.findall(r'MaterialChanged\(\s*"([^"]+)"', code))
        assert named and named <= set(COUPLINGS)

    def test_materials_inline_scripts_are_word_for_word_those_of_its_templates(self) -> None:
        """Read from Material's own partials: the table's copies must be what Material 9.8.2 writes."""
        bodies = [
            found
            for name in ("base.html", "palette.html", "content.html")
            for found in re.findall(r"<script>(.*?)</script>", (MATERIAL_TEMPLATES / name).read_text(encoding="utf-8"))
        ]
        scope = next(body for body in bodies if body.startswith(SCOPE_SCRIPT[0]))
        assert scope.endswith(SCOPE_SCRIPT[1])
        assert PALETTE_SCRIPT in bodies and TARGET_SCRIPT in bodies


class TestStagesRunWithoutMkDocs:
    """convert, generate and finish are plain Python: another site generator could call them."""

    def test_no_stage_imports_mkdocs_or_material(self) -> None:
        code = (
            "import sys, report2md, report2md.permalinks, generate.inputs, generate.site, finish, sitefonts\n"
            "from pathlib import Path\n"
            "site = generate.site.generate_site(generate.inputs.read_inputs(Path('.')),"
            " site_url='https://example.org/', palette_toggles=[], versions={})\n"
            "assert site.pages and site.files\n"
            "print(sorted(name for name in sys.modules if name.split('.')[0] in ('mkdocs', 'material')))"
        )
        result = subprocess.run([sys.executable, "-c", code], cwd=REPO, capture_output=True, text=True, check=False)
        assert result.returncode == 0, result.stderr
        assert result.stdout.strip() == "[]"

    def test_generate_writes_the_pages(self, tmp_path: Path) -> None:
        result = subprocess.run(
            [sys.executable, "-m", "generate", str(tmp_path)], cwd=REPO, capture_output=True, text=True, check=False
        )
        assert result.returncode == 0, result.stderr
        assert sorted(path.relative_to(tmp_path).as_posix() for path in tmp_path.rglob("*") if path.is_file()) == [
            "index.md",
            "provenance.md",
            "report.ar.txt",
            "robots.txt",  # https://example.org/ is a whole host, whose /robots.txt crawlers read
            "search/paragraphs.json",
        ]


class TestAFailedBuildLeavesTheLastSite:
    """A build the finishing stage refuses leaves the last good site/ exactly as it was (built beside, swapped)."""

    def test_an_unknown_script_fails_the_build_and_the_site_stays(self, tmp_path: Path) -> None:
        project = copy_project(tmp_path / "project")
        site = project / "site"
        assert build_site(project, site).returncode == 0
        before = {path: path.read_bytes() for path in site.rglob("*") if path.is_file()}
        template = project / "overrides" / "404.html"
        template.write_text(
            template.read_text(encoding="utf-8").replace("{% endblock %}", "<script>alert(1)</script>{% endblock %}"),
            encoding="utf-8",
        )
        result = build_site(project, site)
        assert result.returncode != 0
        assert "404.html: unknown inline <script type=None> starting 'alert(1)'" in result.stderr
        assert {path: path.read_bytes() for path in site.rglob("*") if path.is_file()} == before
        assert sorted(path.name for path in project.iterdir() if path.name.startswith("site.")) == []


def palette_page(*palettes: dict[str, str], saved_choice_script: str = PALETTE_SCRIPT) -> str:
    """A page shaped as Material writes it: palette inputs in the header, then its palette script."""
    inputs = "".join(
        f'<input class="md-option" data-md-color-media="{escape(p["media"])}"'
        f' data-md-color-scheme="{escape(p["scheme"])}" type="radio" name="__palette">'
        for p in palettes
    )
    return (
        '<!doctype html><html><head></head><body dir="rtl" data-md-color-scheme="default">'
        f'<header><a class="md-logo">logo</a><form data-md-component="palette">{inputs}</form>'
        f"<script>{saved_choice_script}</script></header><main><p>text</p></main></body></html>"
    )


LIGHT = {"media": "(prefers-color-scheme: light)", "scheme": "default", "primary": "", "accent": ""}
DARK = {"media": "(prefers-color-scheme: dark)", "scheme": "slate", "primary": "", "accent": ""}


def with_palettes(html: str, *palettes: dict[str, str]) -> str:
    root = parse(html)
    apply_palette_before_paint(root, list(palettes))
    return serialize(root)


class TestThePaletteIsAppliedBeforeAnythingCanPaint:
    """The palettes, a script applying the system's, and Material's palette script open <body>, before the header."""

    def test_the_scripts_open_the_body_and_leave_the_header(self) -> None:
        root = parse(with_palettes(palette_page(LIGHT, DARK), LIGHT, DARK))
        body = root.find("body")
        data, system, material = list(body)[:3]
        assert data.tag == "script" and data.get("type") == "application/json" and data.get("id") == PALETTES_ID
        assert json.loads(data.text) == [LIGHT, DARK]
        assert system.tag == "script" and system.text in OUR_SCRIPTS
        assert material.tag == "script" and material.text == PALETTE_SCRIPT, "Material's script, unchanged"
        assert body.find("header").find("script") is None, "the palette script must leave the header"

    def test_a_page_without_a_palette_toggle_is_unchanged(self) -> None:
        assert with_palettes(page("نص")) == serialize(parse(page("نص")))

    def test_a_palette_value_cannot_close_the_data_block(self) -> None:
        hostile = {**DARK, "media": '</script><script>alert(1)</script> & "'}
        finished = with_palettes(palette_page(LIGHT, hostile), LIGHT, hostile)
        assert finished.count("<script") == 3 and "alert(1)</script>" not in finished
        root = parse(finished)
        data = next(s for s in root.iter("script") if s.get("id") == PALETTES_ID)
        assert json.loads(data.text)[1]["media"] == hostile["media"]
        assert check_page(root, "index.html", Known(OUR_SCRIPTS, [], (), "https://example.org/report/"))

    def test_materials_automatic_palette_is_refused_by_name(self) -> None:
        automatic = {**LIGHT, "media": "(prefers-color-scheme)"}
        with pytest.raises(FinishError, match=r"mkdocs\.yml theme\.palette: media '\(prefers-color-scheme\)'"):
            with_palettes(palette_page(automatic, LIGHT, DARK), automatic, LIGHT, DARK)

    def test_a_changed_palette_script_is_reported_by_name(self) -> None:
        with pytest.raises(MaterialChanged, match="palette script"):
            with_palettes(palette_page(LIGHT, DARK, saved_choice_script="var palette=1"), LIGHT, DARK)

    def test_palettes_other_than_the_pages_are_reported_by_name(self) -> None:
        with pytest.raises(MaterialChanged, match="palette inputs"):
            with_palettes(palette_page(LIGHT), LIGHT, DARK)


class TestTheFontsArePreloaded:
    """Each face the page draws as it loads is preloaded from <head>, right before the <style> that holds it."""

    def test_a_preload_per_face_right_before_the_style(self) -> None:
        root = parse('<!doctype html><html><head><meta charset="utf-8"><style>p{}</style></head><body></body></html>')
        urls = ["data:font/woff2;base64,AAAA", "data:font/woff2;base64,BBBB"]
        preload_fonts(root, root.find("head").find("style"), urls)
        head = list(parse(serialize(root)).find("head"))
        assert [(e.tag, e.get("rel"), e.get("as"), e.get("href")) for e in head[1:3]] == [
            ("link", "preload", "font", url) for url in urls
        ]
        assert head[3].tag == "style"
        assert check_page(
            parse(serialize(root)), "index.html", Known(OUR_SCRIPTS, ["p{}"], (), "https://example.org/report/")
        )

    def test_the_urls_are_the_faces_inside_the_rules(self) -> None:
        fonts = subset_site(characters(TWO_PAGES), FONTS_DIR)
        urls = fonts.drawn_font_urls("other/index.html")
        rules = fonts.page_faces("other/index.html")
        assert len(urls) == 2 and all(f'url("{url}")' in rules for url in urls)

    def test_nothing_in_the_stylesheet_hides_the_text(self) -> None:
        css = (REPO / "docs" / "assets" / "stylesheets" / "report.css").read_text(encoding="utf-8")
        assert "visibility: hidden" not in css and "report-fonts-ready" not in css
