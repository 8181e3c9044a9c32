"""Changes to the tree of a page as Material writes it, each a small function of the tree and the site's facts.

Made on the output rather than on copies of Material's templates, so that a
move to another generator keeps the fix or shows it unnecessary: each fix
that relies on a detail of Material's output fails with MaterialChanged,
naming the row of finish/material.py, when the detail is gone.
"""

from __future__ import annotations

import json
from collections.abc import Sequence

from finish.errors import FinishError
from finish.html import Element, element, parents
from finish.material import (
    BUNDLE_PREFIX,
    BUNDLE_SUFFIX,
    CONFIG_SCRIPT_ID,
    PALETTE_SCRIPT,
    MaterialChanged,
)
from generate.linked_data import script_json  # generate writes its JSON data blocks with it too

PALETTES_ID = "__report_palettes"
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
    for found in root.iter("input"):
        if found.get("type") == "checkbox":
            found.attrib.pop("autocomplete", None)


def defer_material_script(root: Element) -> None:
    """Let Material's script wait until the page is parsed: nothing on the first paint needs it."""
    bundle = _one(
        [
            s
            for s in root.iter("script")
            if s.get("src", "").endswith(BUNDLE_SUFFIX) and BUNDLE_PREFIX in s.get("src", "")
        ],
        "bundle script",
        "bundle script",
    )
    bundle.set("defer", "")


def hand_over_search_box(root: Element) -> None:
    """Material's search box detached from Material's engine (search.js answers it), its dialog named."""
    dialogs = [d for d in root.iter("div") if d.get("data-md-component") == "search"]
    if not dialogs:
        return  # a page without search
    dialog = _one(dialogs, "search box", "search dialog")
    form = _one([f for f in dialog.iter("form") if f.get("name") == "search"], "search box", "search form")
    field = _one(
        [i for i in dialog.iter("input") if "md-search__input" in i.get("class", "").split()],
        "search box",
        "search field",
    )
    if dialog.get("role") != "dialog" or not field.get("aria-label"):
        raise MaterialChanged("search box", "the dialog has no role=dialog, or its field no label")
    del dialog.attrib["data-md-component"]
    dialog.set("data-report-search", "")
    dialog.set("aria-label", field.get("aria-label", ""))
    del form.attrib["name"]
    config = _one([s for s in root.iter("script") if s.get("id") == CONFIG_SCRIPT_ID], "config script", "__config")
    settings = json.loads(config.text or "")
    settings.pop("search", None)
    settings["translations"] = {
        k: v for k, v in (settings.get("translations") or {}).items() if not k.startswith("search.")
    }
    config.text = script_json(settings)


def apply_palette_before_paint(root: Element, palettes: Sequence[dict[str, str]]) -> None:
    """Apply the reader's palette, saved or the system's, first thing in ``<body>``, before anything can paint.

    Material applies a saved choice in the header, after the logo and title,
    and the system's only when its bundle runs; Chromium can paint in between.
    A data block with the palettes of mkdocs.yml, our script applying the
    system's when nothing readable is saved, then Material's own script,
    moved from the header, open ``<body>``.
    """
    automatic = [p["media"] for p in palettes if p["media"] == "(prefers-color-scheme)"]
    if automatic:  # its saved choice Material's script resolves by querying the inputs, not parsed yet here
        raise FinishError(
            "mkdocs.yml theme.palette: media '(prefers-color-scheme)' (Material's automatic mode) is not supported:"
            " the page follows the system itself; give each palette a (prefers-color-scheme: light/dark) media"
        )
    inputs = [i.get("data-md-color-media") for i in root.iter("input") if i.get("data-md-color-media") is not None]
    if inputs != [palette["media"] for palette in palettes]:
        raise MaterialChanged(
            "palette inputs", f"the page offers {inputs}, mkdocs.yml {[p['media'] for p in palettes]}"
        )
    if not palettes:
        return
    up = parents(root)
    script = _one([s for s in root.iter("script") if s.text == PALETTE_SCRIPT], "palette script", "palette script")
    up[script].remove(script)
    body = root.find("body")
    assert body is not None  # add_root_direction found it
    data = element("script", {"type": "application/json", "id": PALETTES_ID}, script_json(list(palettes)))
    ours = element("script", {}, SYSTEM_PALETTE_SCRIPT)
    script.tail = body.text
    body.text = "\n    "
    body[0:0] = [data, ours, script]


def theme_colors(palettes: Sequence[dict[str, str]], colours: dict[str, str]) -> list[tuple[str, str]]:
    """Each palette's media query and its scheme's header colour; FinishError naming the scheme without one."""
    found = []
    for palette in palettes:
        scheme = palette.get("scheme", "default")
        if scheme not in colours:
            raise FinishError(
                f'no --md-primary-fg-color for [data-md-color-scheme="{scheme}"] in the site\'s stylesheet'
            )
        found.append((palette["media"], colours[scheme]))
    return found


def add_theme_color(root: Element, theme_colors: Sequence[tuple[str, str]]) -> None:
    """One ``<meta name="theme-color">`` per palette, by its media query, right after the viewport ``<meta>``.

    Material adds its own from its script, in the header's colour; until then (about a second on a slow phone
    network) Chrome on Android shows its own bar colour. report.js hands over to Material's once it is there.
    """
    head = root.find("head")
    viewports = [m for m in (head if head is not None else []) if m.tag == "meta" and m.get("name") == "viewport"]
    viewport = _one(viewports, "viewport meta", '<meta name="viewport"> in <head>')
    assert head is not None
    at = list(head).index(viewport) + 1
    head[at:at] = [
        element("meta", {"name": "theme-color", "media": media, "content": colour}, tail="\n    ")
        for media, colour in theme_colors
    ]


def preload_fonts(root: Element, style: Element, fonts: Sequence[str]) -> None:
    """A preload of each font the page draws as it loads (``fonts``: their data: URLs), right before ``style``.

    The faces inside the <style> start loading only at the first layout, which is then made in a fallback face and
    made again when they arrive: lines move. Preloaded from <head>, they are ready for the first layout, with or
    without scripts. The bytes twice cost nothing on the wire: gzip finds the second copy within its window.
    No ``crossorigin``: WebKit fails a CORS preload of a data: URL, and the face named by the same URL with it.
    """
    head = root.find("head")
    if head is None or style not in list(head):
        raise FinishError("the inline <style> is not in <head>")
    at = list(head).index(style)
    link = {"rel": "preload", "as": "font", "type": "font/woff2"}
    head[at:at] = [element("link", {**link, "href": url}, tail="\n    ") for url in fonts]
