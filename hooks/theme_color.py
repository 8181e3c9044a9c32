"""The browser's bar in the header's colour from the first paint (``theme-color``).

Material adds ``<meta name="theme-color">`` from its script, in the colour
of the header, so until that script has run (about a second on a slow phone
network) Chrome on Android shows its own bar colour above the page. This
hook writes, on every page, one ``<meta name="theme-color">`` per palette of
``mkdocs.yml`` with that palette's media query, in the colour the header has
in it: ``--md-primary-fg-color`` of the palette's scheme, read from the
site's own stylesheets (``extra_css``), so the colours stay typed once,
there. When Material's own ``<meta>`` has its colour, docs/assets/javascripts/
report.js removes these, and the palette in use (a reader's choice too)
decides from then on.
"""

from __future__ import annotations

import re
from html import escape
from pathlib import Path
from typing import Any

from mkdocs.config.defaults import MkDocsConfig
from mkdocs.exceptions import PluginError
from mkdocs.structure.pages import Page

_COMMENT = re.compile(r"/\*.*?\*/", re.DOTALL)
_RULE = re.compile(r"(?P<selectors>[^{}]+)\{(?P<declarations>[^{}]*)\}")
_HEADER_COLOUR = re.compile(r"--md-primary-fg-color\s*:\s*(?P<value>[^;}]+?)\s*(?:;|$)")
_VIEWPORT = re.compile(r'<meta name="viewport"[^>]*>')

# Set by on_config: the <meta> elements every page gets.
_metas = ""


def header_colours(css: str) -> dict[str, str]:
    """``--md-primary-fg-color`` for each ``[data-md-color-scheme=...]`` the stylesheet sets it for (last wins)."""
    colours: dict[str, str] = {}
    for rule in _RULE.finditer(_COMMENT.sub("", css)):
        colour = _HEADER_COLOUR.search(rule["declarations"])
        if colour is None:
            continue
        for selector in rule["selectors"].split(","):
            scheme = re.fullmatch(r"""\s*\[data-md-color-scheme=["']?(?P<scheme>[\w-]+)["']?\]\s*""", selector)
            if scheme:
                colours[scheme["scheme"]] = colour["value"]
    return colours


def theme_color_metas(palettes: list[dict[str, Any]], colours: dict[str, str]) -> str:
    """One ``<meta name="theme-color">`` per palette: its media query, its scheme's header colour."""
    metas = []
    for palette in palettes:
        media, scheme = palette.get("media"), palette.get("scheme", "default")
        if not media:
            raise PluginError("hooks/theme_color.py: every palette in mkdocs.yml needs a media query")
        if scheme not in colours:
            raise PluginError(
                f'hooks/theme_color.py: no --md-primary-fg-color for [data-md-color-scheme="{scheme}"]'
                " in the stylesheets of extra_css"
            )
        metas.append(f'<meta name="theme-color" media="{escape(media)}" content="{escape(colours[scheme])}">')
    return "".join(f"\n    {meta}" for meta in metas)


def add_theme_color(output: str, metas: str) -> str:
    """The page with ``metas`` right after its viewport ``<meta>``."""
    output, count = _VIEWPORT.subn(lambda viewport: viewport[0] + metas, output, count=1)
    if count != 1:
        raise PluginError('hooks/theme_color.py: a page has no <meta name="viewport">; did Material change?')
    return output


def on_config(config: MkDocsConfig) -> None:
    """Read the header colours and the palettes once per build."""
    global _metas
    palettes = config.theme.get("palette") or []
    if isinstance(palettes, dict):
        palettes = [palettes]
    colours: dict[str, str] = {}
    for stylesheet in config.extra_css:
        path = Path(config.docs_dir) / str(stylesheet)
        if path.is_file():
            colours |= header_colours(path.read_text(encoding="utf-8"))
    _metas = theme_color_metas(palettes, colours)


def on_post_page(output: str, page: Page, config: MkDocsConfig) -> str:
    """Each Markdown page."""
    return add_theme_color(output, _metas)


def on_post_template(output_content: str, template_name: str, config: MkDocsConfig) -> str:
    """The static HTML templates too (404.html); not sitemap.xml."""
    return add_theme_color(output_content, _metas) if template_name.endswith(".html") else output_content
