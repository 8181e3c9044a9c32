"""The browser's bar in the header's colour from the first paint (``theme-color``).

Material adds ``<meta name="theme-color">`` from its script, in the colour
of the header, so until that script has run (about a second on a slow phone
network) Chrome on Android shows its own bar colour above the page. This
step writes, on every page, one ``<meta name="theme-color">`` per palette of
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

from finish.errors import FinishError
from finish.material import MaterialChanged

_COMMENT = re.compile(r"/\*.*?\*/", re.DOTALL)
_RULE = re.compile(r"(?P<selectors>[^{}]+)\{(?P<declarations>[^{}]*)\}")
_HEADER_COLOUR = re.compile(r"--md-primary-fg-color\s*:\s*(?P<value>[^;}]+?)\s*(?:;|$)")
_VIEWPORT = re.compile(r'<meta name="viewport"[^>]*>')


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
            raise FinishError("every palette in mkdocs.yml needs a media query")
        if scheme not in colours:
            raise FinishError(
                f'no --md-primary-fg-color for [data-md-color-scheme="{scheme}"] in the stylesheets of extra_css'
            )
        metas.append(f'<meta name="theme-color" media="{escape(media)}" content="{escape(colours[scheme])}">')
    return "".join(f"\n    {meta}" for meta in metas)


def config_theme_color_metas(docs_dir: str, extra_css: list[str], palettes: Any) -> str:
    """The metas for an MkDocs configuration's palettes (theme.palette) and its stylesheets (extra_css)."""
    return site_theme_color_metas(palettes or [], [Path(docs_dir) / str(stylesheet) for stylesheet in extra_css])


def site_theme_color_metas(palettes: Any, stylesheets: list[Path]) -> str:
    """The theme-color <meta>s for mkdocs.yml's ``palettes`` (a list, or one), with the colours of ``stylesheets``."""
    colours: dict[str, str] = {}
    for stylesheet in stylesheets:
        if stylesheet.is_file():
            colours |= header_colours(stylesheet.read_text(encoding="utf-8"))
    return theme_color_metas(palettes if isinstance(palettes, list) else [palettes], colours)


def add_theme_color(output: str, metas: str) -> str:
    """The page with ``metas`` right after its viewport ``<meta>``."""
    output, count = _VIEWPORT.subn(lambda viewport: viewport[0] + metas, output, count=1)
    if count != 1:
        raise MaterialChanged("viewport meta", 'a page has no <meta name="viewport">')
    return output
