"""finish: the built site's pages, each parsed once, changed by ordered steps on its tree, written once.

The fixes to Material's output first, then what the whole site needs at once (the fonts, the one stylesheet), then
each ``<head>``'s inline style and preloads, and the policy last, so that it sees the page as published. Nothing is
written until every page is finished: a FinishError leaves ``site_dir`` as it was.
"""

from __future__ import annotations

import dataclasses
import json
from collections.abc import Sequence
from dataclasses import dataclass
from importlib.metadata import version
from pathlib import Path

import rcssmin

from finish import critical_css, fixes, html, material
from finish.critical_css import SiteStyles, inline_styles, parse_css, site_styles
from finish.fonts import OUTPUT_DIR, STYLESHEET, SiteFonts, page_characters, subset_site
from finish.html import Element, FinishError, parse, serialize
from finish.material import BUNDLE_PREFIX, BUNDLE_SUFFIX
from finish.policy import Known, add_policy
from sitefonts import FontError
from sitefonts.cache import kept, write_if_changed

__all__ = ["FinishError", "SiteFacts", "finish_site"]

# The site's own scripts a page may link, besides Material's bundle (mkdocs.yml extra_javascript).
OWN_SCRIPT_FILES = ("assets/javascripts/report.js",)


@dataclass(frozen=True)
class SiteFacts:
    """What the earlier stages know that finishing needs, handed forward (hooks/render.py fills it)."""

    palettes: Sequence[dict[str, str]]  # mkdocs.yml's palettes: media, scheme, primary, accent
    fonts_dir: Path
    site_url: str  # where the site is published: the policy allows its files by it (finish/policy.py)
    cache_dir: Path | None = None  # where checked font subsets and the styles are kept between builds (sitefonts.cache)
    serving: bool = False  # under `mkdocs serve`, whose live-reload script no hash can allow


def _styles(site_dir: Path, roots: dict[str, Element], fonts: SiteFonts, cache_dir: Path | None) -> SiteStyles:
    """The one stylesheet and each page's share (critical_css.site_styles), kept in ``cache_dir`` by all they read.

    They take most of a build's second: a build that changes none of what they read reads them back instead.
    """
    sheets = {
        file.relative_to(site_dir).as_posix(): file.read_text(encoding="utf-8") for file in site_dir.rglob("*.css")
    }
    scripts = [file.read_text(encoding="utf-8") for file in sorted(site_dir.rglob("*.js"))]
    faces = {path: fonts.page_faces(path) for path in roots}

    def make() -> bytes:
        # Every stylesheet of the site, ours with the fonts' rules first: site_styles refuses a page linking another.
        parsed = {
            path: parse_css(rcssmin.cssmin(fonts.rules + text if path == STYLESHEET else text))
            for path, text in sheets.items()
        }
        return json.dumps(dataclasses.asdict(site_styles(roots, STYLESHEET, parsed, scripts, faces))).encode()

    pages = {path: serialize(root) for path, root in roots.items()}
    libraries = [version(name) for name in ("tinycss2", "cssselect2", "rcssmin", "tinyhtml5")]
    key = ("site styles", pages, sorted(sheets.items()), fonts.rules, scripts, faces, STYLESHEET, libraries)
    code = [Path(module.__file__ or "") for module in (critical_css, material, html)] + [Path(__file__)]
    return SiteStyles(**json.loads(kept(cache_dir, key, code, ".json", make)))


def finish_site(site_dir: Path, facts: SiteFacts) -> None:
    """Finish every page of the built site in ``site_dir``; a failing page is named with its step."""
    roots: dict[str, Element] = {}
    for file in sorted(site_dir.rglob("*.html")):
        path = file.relative_to(site_dir).as_posix()
        try:
            roots[path] = parse(file.read_text(encoding="utf-8"))
        except UnicodeDecodeError as error:
            raise FinishError(f"{path}: not UTF-8 ({error.reason})") from None
    step = "the fixes to Material's output"
    try:
        characters = {path: page_characters(root) for path, root in roots.items()}
        for root in roots.values():
            fixes.add_root_direction(root)
            fixes.hand_over_search_box(root)
            fixes.drop_checkbox_autocomplete(root)
            fixes.defer_material_script(root)
            fixes.apply_palette_before_paint(root, facts.palettes)
        step = "the fonts"
        fonts = subset_site(characters, facts.fonts_dir, facts.cache_dir)
        step = "the one stylesheet and each page's share of it"
        styles = _styles(site_dir, roots, fonts, facts.cache_dir)
        colours = fixes.theme_colors(facts.palettes, styles.header_colours)
        bundle = [p.relative_to(site_dir).as_posix() for p in site_dir.glob(f"{BUNDLE_PREFIX}*{BUNDLE_SUFFIX}")]
        pages = {}
        for path, root in roots.items():
            step = "theme colour, inline style, the fonts' preloads and the hold for tables"
            fixes.add_theme_color(root, colours)
            style = inline_styles(root, styles.inline[path], STYLESHEET)
            fixes.preload_fonts(root, style, fonts.drawn_font_urls(path))
            fixes.hold_paint_for_tables(root, style)
            step = "Content-Security-Policy"
            known = Known(fixes.OUR_SCRIPTS, [styles.inline[path]], {*OWN_SCRIPT_FILES, *bundle}, facts.site_url)
            add_policy(root, path, known, serving=facts.serving)
            pages[path] = serialize(root)
    except (FinishError, FontError) as error:
        raise FinishError(f"{error} (step: {step})") from None
    output = site_dir / OUTPUT_DIR
    for name, data in fonts.published_files().items():
        write_if_changed(output / name, data)
    write_if_changed(site_dir / STYLESHEET, styles.css.encode())
    for replaced in styles.replaced:
        (site_dir / replaced).unlink()
    for path, text in pages.items():
        write_if_changed(site_dir / path, text.encode())
