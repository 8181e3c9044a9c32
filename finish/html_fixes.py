"""Fixes to the HTML that Material's templates produce, made on the output rather than on copies of its templates.

So that an update of Material (or a move to its successor) keeps the fix or
makes it visibly unnecessary: each fix that relies on a detail of Material's
output fails with MaterialChanged when the detail is gone.
"""

from __future__ import annotations

import re
from html.parser import HTMLParser

from finish.errors import FinishError
from finish.material import MaterialChanged
from generate.linked_data import script_json

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

    Still run before DOMContentLoaded, on which Material starts.
    """
    output, count = _BUNDLE_SCRIPT.subn(r'<script defer src="\g<src>"></script>', output)
    if count != 1:
        raise MaterialChanged("bundle script", f"expected one, found {count}")
    return output


# Material's palette script (partials/javascripts/palette.html, included in
# the header after the palette inputs) applies a saved choice.
_PALETTE_SCRIPT = re.compile(
    r'<script>var palette=__md_get\("__palette"\);if\(palette&&palette\.color\)\{.*?'
    r'document\.body\.setAttribute\("data-md-color-"\+key,value\)\}</script>'
)
_BODY_START = re.compile(r"<body\b[^>]*>")
PALETTES_ID = "__report_palettes"
# With no saved choice (or none readable: storage blocked, a value that is not
# JSON, where Material's script throws), the choice Material's bundle makes
# later (watchPalette: the first palette whose media matches), from the
# palettes in the data block before it: the inputs it would read are not
# parsed yet. In a block, so that nothing it declares is global.
SYSTEM_PALETTE_SCRIPT = (
    '{let saved;try{saved=__md_get("__palette")}catch(error){}if(!(saved&&saved.color))'
    f'for(const option of JSON.parse(document.getElementById("{PALETTES_ID}").textContent))'
    "if(matchMedia(option.media).matches){"
    'for(const key in option)document.body.setAttribute("data-md-color-"+key,option[key]);break}}'
)
_PALETTE_KEYS = ("media", "scheme", "primary", "accent")
FONTS_READY_CLASS = "report-fonts-ready"
FIRST_FONTS_ID = "__report_first_fonts"
# Loads the faces the page draws as it loads (inline in its <style>, as data: URLs: finish/fonts.py), named
# by the data block before it, then shows the text. In <head>, right after the <style>: the faces are ready
# before the body is laid out, which is then laid out once, in them (a layout forced after the content, to
# find which faces the text needs, cost a layout in the fallback face). A font that fails to load shows the
# text too: then in the fallback face, as font-display: block would after 3 s.
REVEAL_SCRIPT = (
    f'{{const show=()=>document.documentElement.classList.add("{FONTS_READY_CLASS}"),'
    f'fonts=JSON.parse(document.getElementById("{FIRST_FONTS_ID}").textContent);'
    "document.fonts.load(fonts.font,fonts.text).then(show,show)}"
)
# Material's "automatic" palette, whose saved choice its script resolves by querying the inputs.
_AUTOMATIC_MEDIA = "(prefers-color-scheme)"


class _PaletteInputs(HTMLParser):
    """The ``data-md-color-*`` attributes of each palette input, in order."""

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.palettes: list[dict[str, str]] = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        values = dict(attrs)
        if tag == "input" and values.get("data-md-color-media") is not None:
            self.palettes.append({key: values.get(f"data-md-color-{key}") or "" for key in _PALETTE_KEYS})


def palette_options(output: str) -> list[dict[str, str]]:
    """The palettes a page offers, as Material writes them on its palette inputs."""
    inputs = _PaletteInputs()
    inputs.feed(output)
    inputs.close()
    return inputs.palettes


def apply_palette_before_paint(output: str) -> str:
    """Apply the reader's palette, saved or the system's, first thing in ``<body>``, before anything can paint.

    Material applies a saved choice in the header, after the logo and title,
    and the system's only when its bundle runs; Chromium can paint the header
    (or the whole page, for a dark-mode reader on a first visit) in between.
    A data block with the palettes, our script applying the system's when
    nothing readable is saved, then Material's own script, unchanged and
    moved from the header, open ``<body>``.
    """
    if 'data-md-component="palette"' not in output:
        return output  # no palette toggle configured
    palettes = palette_options(output)
    if not palettes:
        raise MaterialChanged("palette inputs", "a palette toggle without input[data-md-color-media]")
    if any(palette["media"] == _AUTOMATIC_MEDIA for palette in palettes):
        raise FinishError(
            f"mkdocs.yml theme.palette: media {_AUTOMATIC_MEDIA!r} (Material's automatic mode) is not supported:"
            " the page follows the system itself; give each palette a (prefers-color-scheme: light/dark) media"
        )
    scripts = _PALETTE_SCRIPT.findall(output)
    body = _BODY_START.search(output)
    if len(scripts) != 1 or body is None:
        raise MaterialChanged("palette script", f"expected one after <body>, found {len(scripts)}")
    output = _PALETTE_SCRIPT.sub("", output)
    data = f'<script type="application/json" id="{PALETTES_ID}">{script_json(palettes)}</script>'
    head, rest = output[: body.end()], output[body.end() :]
    return f"{head}\n    {data}<script>{SYSTEM_PALETTE_SCRIPT}</script>{scripts[0]}{rest}"


def reveal_text_when_fonts_load(output: str, first_fonts: dict[str, str]) -> str:
    """Show the text under the header once its fonts have loaded, from an inline script right after the ``<style>``.

    report.css keeps it unseen until then (so that no line moves when a
    webfont replaces a fallback). ``first_fonts`` is what ``document.fonts.load``
    needs to load the faces the page draws as it loads (``fonts.first_fonts``).
    Inline, not in a file: an external script would add a request and a
    round trip before the text.
    """
    head_end = output.find("</head>")
    found = output.count("</style>", 0, head_end)
    if found != 1:
        raise FinishError(f"expected the one inline <style> in <head>, found {found}")
    data = f'<script type="application/json" id="{FIRST_FONTS_ID}">{script_json(first_fonts)}</script>'
    return output.replace("</style>", f"</style>\n    {data}<script>{REVEAL_SCRIPT}</script>", 1)
