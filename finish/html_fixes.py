"""Fixes to the HTML that Material's templates produce, made on the output rather than on copies of its templates.

So that an update of Material (or a move to its successor) keeps the fix or
makes it visibly unnecessary: each fix that relies on a detail of Material's
output fails with MaterialChanged when the detail is gone.
"""

from __future__ import annotations

import re

from finish.material import MaterialChanged

_HTML_TAG = re.compile(r"<html\b(?P<attrs>[^>]*)>")
_BODY_DIR = re.compile(r'<body\b[^>]*\bdir="(?P<dir>ltr|rtl|auto)"')


def add_root_direction(output: str) -> str:
    """Copy the direction Material gave ``<body>`` onto ``<html>``, where browsers and screen readers read it."""
    body = _BODY_DIR.search(output)
    root = _HTML_TAG.search(output)
    if body is None or root is None:
        raise MaterialChanged("body dir", "no <html> tag or no dir on <body>")
    if "dir=" in root["attrs"]:
        return output
    return f'{output[: root.end() - 1]} dir="{body["dir"]}">{output[root.end() :]}'


_CHECKBOX = re.compile(r'<input\b[^>]*\btype="checkbox"[^>]*>')
_META_SLASH = re.compile(r"(<meta\b[^>]*?)\s*/>")


def drop_checkbox_autocomplete(output: str) -> str:
    """Remove ``autocomplete`` from checkbox inputs, where HTML does not allow it.

    Material sets it so that Firefox does not reopen the drawer after going back; valid HTML wins.
    """
    return _CHECKBOX.sub(lambda tag: re.sub(r'\s+autocomplete="[^"]*"', "", tag[0]), output)


def drop_meta_trailing_slash(output: str) -> str:
    """``<meta ... />`` (the social plugin's) as ``<meta ...>``: the slash means nothing in HTML."""
    return _META_SLASH.sub(r"\1>", output)


_BUNDLE_SCRIPT = re.compile(r'<script src="(?P<src>[^"]*assets/javascripts/bundle\.[0-9a-f]+\.min\.js)"></script>')


def defer_material_script(output: str) -> str:
    """Let Material's script wait until the page is parsed: nothing on the first paint needs it.

    Still run before DOMContentLoaded, on which Material starts; mkdocs.yml defers report.js too, keeping the order.
    """
    output, count = _BUNDLE_SCRIPT.subn(r'<script defer src="\g<src>"></script>', output)
    if count != 1:
        raise MaterialChanged("bundle script", f"expected one, found {count}")
    return output


# Material's palette script (partials/header.html) applies a saved choice:
# "if(palette&&palette.color){...}" ends the script. The else makes the choice
# Material's bundle makes when nothing is saved (watchPalette: the first
# input whose media matches).
_PALETTE_SCRIPT = re.compile(
    r'(?P<script><script>var palette=__md_get\("__palette"\);if\(palette&&palette\.color\)\{.*?'
    r'document\.body\.setAttribute\("data-md-color-"\+key,value\)\})</script>'
)
SYSTEM_PALETTE = (
    'else for(var input of document.querySelectorAll("input[data-md-color-media]"))'
    'if(matchMedia(input.getAttribute("data-md-color-media")).matches){'
    'for(var key of["media","scheme","primary","accent"])'
    'document.body.setAttribute("data-md-color-"+key,input.getAttribute("data-md-color-"+key));break}'
)


def apply_system_palette_before_paint(output: str) -> str:
    """With no saved choice, apply the palette that matches the system before the first paint.

    Material does so only when its bundle runs, so a dark-mode reader saw the
    light page first. The ``else`` goes into Material's own palette script:
    Chromium may paint between two scripts, and a separate one came too late.
    """
    if 'data-md-component="palette"' not in output:
        return output  # no palette toggle configured
    output, count = _PALETTE_SCRIPT.subn(lambda m: f"{m['script']}{SYSTEM_PALETTE}</script>", output)
    if count != 1:
        raise MaterialChanged("palette script", f"expected one, found {count}")
    return output
