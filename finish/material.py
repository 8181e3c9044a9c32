"""Every place where the site relies on Material for MkDocs' internal output, in one table.

Each coupling is checked where it is used and fails the build with a
``MaterialChanged`` error naming it, so an update of Material (or a move to
its successor) shows exactly what to look at. ``COUPLINGS`` lists them all.
"""

from __future__ import annotations

import re
from functools import cache
from pathlib import Path

import material

from finish.errors import FinishError


class MaterialChanged(FinishError):
    """Material's output no longer has a detail this site relies on."""

    def __init__(self, coupling: str, found: str) -> None:
        super().__init__(f"Material for MkDocs changed: {coupling} ({COUPLINGS[coupling]}): {found}")


TEMPLATES = Path(material.__file__).parent / "templates"
# Where Material's configuration block starts (base.html, block config): right after the page's content.
CONFIG_SCRIPT_ID = "__config"
CONFIG_SCRIPT_START = f'<script id="{CONFIG_SCRIPT_ID}" type="application/json">'
# Material's "tablet landscape" breakpoint. Narrower, what CLOSED_WHEN_NARROW selects shows nothing of its
# content until the reader opens it: the drawer (its content clipped off-screen), the search dialog (clipped
# to nothing) and the table of contents' sidebar (not displayed). From it up, all three show in the first frame.
WIDE_SCREEN_EM = 60
CLOSED_WHEN_NARROW = (".md-sidebar--primary .md-sidebar__scrollwrap", ".md-search__inner", ".md-sidebar--secondary")

# name: what the site relies on, and where it is used.
COUPLINGS = {
    "inline scripts": "partials/javascripts/{base,palette,content}.html write the only inline scripts;"
    " the policy allows them by hash (finish/policy.py)",
    "config script": '<script id="__config" type="application/json"> carries the search texts'
    " (finish/search_box.py, finish/fonts.py)",
    "bundle script": "one <script src=.../bundle.<hash>.min.js> in base.html, deferred (finish/html_fixes.py)",
    "Material stylesheet links": "base.html links main.<hash>.min.css, palette.<hash>.min.css, then extra_css, each as"
    ' <link rel="stylesheet" href="..."> in <head>; inlined in part and merged into one, and the link to'
    " assets/stylesheets/report.css gives the way from the page to the site's root (finish/critical_css.py)",
    "palette script": "partials/javascripts/palette.html applies a saved palette; moved to the start of <body>,"
    " after ours, which applies the system's"
    " (finish/html_fixes.py)",
    "body dir": 'base.html puts dir="rtl" on <body> only; copied onto <html> (finish/html_fixes.py)',
    "search box": 'div.md-search data-md-component="search" role="dialog" and form.md-search__form name="search"'
    " start Material's search worker; renamed to hand the box to search.js, and the dialog named with its"
    " input.md-search__input's aria-label (finish/search_box.py)",
    "viewport meta": '<meta name="viewport"> in base.html, after which theme-color goes (finish/theme_color.py)',
    "social font cache": "the social plugin reads <cache_dir>/fonts/<family>/<style>.ttf (hooks/social.py)",
    "template blocks": "overrides/main.html extends the blocks extrahead and content of base.html;"
    " base.html prints site_name, site_description, page.meta title and description unescaped (hooks/pages.py)",
    "search texts": "the __config script's translations are what search shows (finish/fonts.py reads them)",
    "closed when narrow": "below 60em, base.html's drawer (.md-sidebar--primary .md-sidebar__scrollwrap), search"
    " dialog (.md-search__inner) and table of contents (.md-sidebar--secondary) show none of their content until"
    " opened, and every page has them; the inline share leaves out what only they hold (finish/critical_css.py)",
    "stylesheet at-rules": "Material's stylesheets hold only @media, @supports, @font-face, @keyframes, @page and"
    " @charset, which the pruning knows (finish/critical_css.py)",
    "palette inputs": "input[data-md-color-media] and data-md-color-* on <body> (finish/html_fixes.py, report.js)",
}

# Stands for a template expression inside a script: a path Material writes in a JS string.
_TEMPLATE_VALUE = r'[^"\\<>\n]*'
_EXPRESSION = re.compile(r"\{\{.*?\}\}")
_SCRIPT = re.compile(r"<script>(?P<body>.*?)</script>", re.DOTALL)
INLINE_SCRIPT_PARTIALS = ("base.html", "palette.html", "content.html")


def _script_patterns(template: str) -> list[str]:
    """Patterns for the inline scripts of one of Material's partials, template values as wildcards."""
    bodies = [found["body"] for found in _SCRIPT.finditer(template)]
    if not bodies or any("{%" in body for body in bodies):
        raise MaterialChanged("inline scripts", "a partial has no plain <script> of the expected shape")
    return [_TEMPLATE_VALUE.join(re.escape(part) for part in _EXPRESSION.split(body)) for body in bodies]


@cache
def inline_script_patterns() -> tuple[re.Pattern[str], ...]:
    """Patterns of the inline scripts Material writes, template values as wildcards."""
    patterns = []
    for name in INLINE_SCRIPT_PARTIALS:
        path = TEMPLATES / "partials" / "javascripts" / name
        if not path.is_file():
            raise MaterialChanged("inline scripts", f"{path} is missing")
        patterns += [re.compile(body) for body in _script_patterns(path.read_text(encoding="utf-8"))]
    return tuple(patterns)
