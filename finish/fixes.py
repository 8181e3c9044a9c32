"""Changes to a page's tree as Material writes it; a detail of Material's output gone fails with MaterialChanged."""

from __future__ import annotations

import json
from collections.abc import Sequence

from finish.html import Element, FinishError, element
from finish.material import BUNDLE_PREFIX, BUNDLE_SUFFIX, CONFIG_SCRIPT_ID, PALETTE_SCRIPT, MaterialChanged
from report2md import script_json

PALETTES_ID = "__report_palettes"
# The id of a page's last table, which the first paint waits for (hold_paint_for_tables).
LAST_TABLE_ID = "__report_last_table"
# With no saved choice (or none readable: storage blocked, a value that is not JSON, where Material's script
# throws), the choice Material's bundle makes later (watchPalette: the first palette whose media matches), from
# the palettes in the data block before it: the inputs it would read are not parsed yet. In a block, so that
# nothing it declares is global.
SYSTEM_PALETTE_SCRIPT = (
    '{let saved;try{saved=__md_get("__palette")}catch(error){}if(!(saved&&saved.color))'
    f'for(const option of JSON.parse(document.getElementById("{PALETTES_ID}").textContent))'
    "if(matchMedia(option.media).matches){"
    'for(const key in option)document.body.setAttribute("data-md-color-"+key,option[key]);break}}'
)
OUR_SCRIPTS = (SYSTEM_PALETTE_SCRIPT,)


def _one(found: list[Element], coupling: str, what: str) -> Element:
    if len(found) != 1:
        raise MaterialChanged(coupling, f"expected one {what}, found {len(found)}")
    return found[0]


def add_root_direction(root: Element) -> None:
    """Copy the direction Material gave ``<body>`` onto ``<html>``, where browsers and screen readers read it."""
    body = root.find("body")
    if body is None or body.get("dir") not in ("ltr", "rtl", "auto"):
        raise MaterialChanged("body dir", "no dir on <body>")
    root.set("dir", body.get("dir", ""))


def drop_checkbox_autocomplete(root: Element) -> None:
    """No ``autocomplete`` on checkboxes, where HTML does not allow it (Material sets it for Firefox's back button)."""
    for checkbox in root.iterfind(".//input[@type='checkbox']"):
        checkbox.attrib.pop("autocomplete", None)


def defer_material_script(root: Element) -> None:
    """Let Material's script wait until the page is parsed: nothing on the first paint needs it."""
    sources = [(script, script.get("src", "")) for script in root.iter("script")]
    bundles = [script for script, src in sources if BUNDLE_PREFIX in src and src.endswith(BUNDLE_SUFFIX)]
    _one(bundles, "bundle script", "bundle script").set("defer", "")


def hand_over_search_box(root: Element) -> None:
    """Material's search box detached from Material's engine (search.js answers it), its dialog named."""
    dialogs = root.findall(".//div[@data-md-component='search']")
    if not dialogs:
        return  # a page without search
    dialog = _one(dialogs, "search box", "search dialog")
    form = _one(dialog.findall(".//form[@name='search']"), "search box", "search form")
    fields = [i for i in dialog.iter("input") if "md-search__input" in i.get("class", "").split()]
    field = _one(fields, "search box", "search field")
    if dialog.get("role") != "dialog" or not field.get("aria-label"):
        raise MaterialChanged("search box", "the dialog has no role=dialog, or its field no label")
    del dialog.attrib["data-md-component"], form.attrib["name"]
    dialog.set("data-report-search", "")
    dialog.set("aria-label", field.get("aria-label", ""))
    config = _one(root.findall(f".//script[@id='{CONFIG_SCRIPT_ID}']"), "config script", "__config")
    settings = json.loads(config.text or "")
    settings.pop("search", None)
    translations = (settings.get("translations") or {}).items()
    settings["translations"] = {key: text for key, text in translations if not key.startswith("search.")}
    config.text = script_json(settings)


def apply_palette_before_paint(root: Element, palettes: Sequence[dict[str, str]]) -> None:
    """Open ``<body>`` with the palettes, our script applying the system's when none is saved, and Material's own.

    Material applies a saved palette after the logo and title, the system's when its bundle runs: paint comes between.
    """
    if any(p["media"] == "(prefers-color-scheme)" for p in palettes):
        # Material's script resolves such a saved choice by querying the inputs, not parsed yet here.
        raise FinishError(
            "mkdocs.yml theme.palette: media '(prefers-color-scheme)' (Material's automatic mode) is not supported:"
            " the page follows the system itself; give each palette a (prefers-color-scheme: light/dark) media"
        )
    inputs = [i.get("data-md-color-media") for i in root.iterfind(".//input[@data-md-color-media]")]
    if inputs != [palette["media"] for palette in palettes]:
        raise MaterialChanged(
            "palette inputs", f"the page offers {inputs}, mkdocs.yml {[p['media'] for p in palettes]}"
        )
    if not palettes:
        return
    script = _one([s for s in root.iter("script") if s.text == PALETTE_SCRIPT], "palette script", "palette script")
    next(parent for parent in root.iter() if script in parent).remove(script)
    body = root.find("body")
    assert body is not None  # add_root_direction found it
    data = element("script", {"type": "application/json", "id": PALETTES_ID}, script_json(list(palettes)))
    script.tail, body.text = body.text, "\n    "
    body[0:0] = [data, element("script", {}, SYSTEM_PALETTE_SCRIPT), script]


def theme_colors(palettes: Sequence[dict[str, str]], colours: dict[str, str]) -> list[tuple[str, str]]:
    """Each palette's media query and its scheme's header colour; FinishError naming the scheme without one."""
    schemes = [palette.get("scheme", "default") for palette in palettes]
    for scheme in schemes:
        if scheme not in colours:
            raise FinishError(
                f'no --md-primary-fg-color for [data-md-color-scheme="{scheme}"] in the site\'s stylesheet'
            )
    return [(palette["media"], colours[scheme]) for palette, scheme in zip(palettes, schemes, strict=True)]


def add_theme_color(root: Element, theme_colors: Sequence[tuple[str, str]]) -> None:
    """One ``<meta name="theme-color">`` per palette, by its media query, right after the viewport ``<meta>``.

    Material's script adds its own, a second later on a slow phone network: Chrome on Android's own bar colour
    until then. report.js hands over to Material's once it is there.
    """
    viewport = _one(root.findall("head/meta[@name='viewport']"), "viewport meta", '<meta name="viewport"> in <head>')
    head = root.find("head")
    at = list(head).index(viewport) + 1
    head[at:at] = [
        element("meta", {"name": "theme-color", "media": media, "content": colour}, tail="\n    ")
        for media, colour in theme_colors
    ]


def _put_before(root: Element, style: Element, links: Sequence[dict[str, str]]) -> None:
    """A ``<link>`` with each of ``links``' attributes, in ``<head>`` right before the page's inline ``style``."""
    head = root.find("head")
    if head is None or style not in list(head):
        raise FinishError("the inline <style> is not in <head>")
    at = list(head).index(style)
    head[at:at] = [element("link", attributes, tail="\n    ") for attributes in links]


def hold_paint_for_tables(root: Element, style: Element) -> None:
    """On a page with tables, a render-blocking ``expect`` link to its last table, right before ``style``.

    Chromium paints a page it is still parsing, and a table painted before its last rows were parsed widens as
    they come (automatic table layout): its rows move. The link holds the first paint until the last table is
    parsed, as the standard says; Chromium 156 lifts it once that table has begun, which still keeps every table
    before it whole. Firefox ignores it. A page without a table is painted as soon as it can be.
    """
    tables = root.findall(".//table")
    if not tables:
        return
    tables[-1].set("id", LAST_TABLE_ID)
    _put_before(root, style, [{"rel": "expect", "href": f"#{LAST_TABLE_ID}", "blocking": "render"}])


def preload_fonts(root: Element, style: Element, fonts: Sequence[str]) -> None:
    """A preload of each font the page draws as it loads (``fonts``: their data: URLs), right before ``style``.

    Else the faces in the <style> load at the first layout, made in a fallback face and again when they arrive: lines
    move (gzip finds their second copy in its window). No ``crossorigin``: WebKit fails a CORS preload of a data:
    URL, and the face named by the same URL with it.
    """
    _put_before(root, style, [{"rel": "preload", "as": "font", "type": "font/woff2", "href": url} for url in fonts])
