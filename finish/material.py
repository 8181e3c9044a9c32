"""Every place where the site relies on Material for MkDocs' output, in one table, each checked at build.

Material reaches its end of life on 2027-05-05: a move to its successor changes its output. Each row of
``COUPLINGS`` fails the build with a ``MaterialChanged`` error naming it where it is relied on.
"""

from __future__ import annotations

from finish.html import FinishError


class MaterialChanged(FinishError):
    """Material's output no longer has a detail this site relies on."""

    def __init__(self, coupling: str, found: str) -> None:
        super().__init__(f"Material for MkDocs changed: {coupling} ({COUPLINGS[coupling]}): {found}")


CONFIG_SCRIPT_ID = "__config"
BUNDLE_PREFIX, BUNDLE_SUFFIX = "assets/javascripts/bundle.", ".min.js"
# Material's inline scripts (partials/javascripts/base.html, palette.html, content.html), as 9.8.2 writes them;
# base.html's names the page's base URL between the two halves, as a JSON string.
SCOPE_SCRIPT = (
    "__md_scope=new URL(",
    ",location),__md_hash=e=>[...e].reduce(((e,_)=>(e<<5)-e+_.charCodeAt(0)),0),__md_get=(e,_=localStorage,"
    't=__md_scope)=>JSON.parse(_.getItem(t.pathname+"."+e)),__md_set=(e,_,t=localStorage,a=__md_scope)=>{try{t.'
    'setItem(a.pathname+"."+e,JSON.stringify(_))}catch(e){}}',
)
PALETTE_SCRIPT = (
    'var palette=__md_get("__palette");if(palette&&palette.color){if("(prefers-color-scheme)"===palette.color.media)'
    '{var media=matchMedia("(prefers-color-scheme: light)"),input=document.querySelector(media.matches?"[data-md-'
    "color-media='(prefers-color-scheme: light)']\":\"[data-md-color-media='(prefers-color-scheme: dark)']\");palette"
    '.color.media=input.getAttribute("data-md-color-media"),palette.color.scheme=input.getAttribute("data-md-color-'
    'scheme"),palette.color.primary=input.getAttribute("data-md-color-primary"),palette.color.accent=input.'
    'getAttribute("data-md-color-accent")}for(var[key,value]of Object.entries(palette.color))document.body.'
    'setAttribute("data-md-color-"+key,value)}'
)
TARGET_SCRIPT = (
    "var target=document.getElementById(location.hash.slice(1));target&&target.name&&"
    '(target.checked=target.name.startsWith("__tabbed_"))'
)
# Material's "tablet landscape" breakpoint. Narrower, what CLOSED_WHEN_NARROW selects shows nothing of its
# content until the reader opens it: the drawer (its content clipped off-screen), the search dialog (clipped
# to nothing) and the table of contents' sidebar (not displayed). From it up, all three show in the first frame.
WIDE_SCREEN_EM = 60
CLOSED_WHEN_NARROW = (".md-sidebar--primary .md-sidebar__scrollwrap", ".md-search__inner", ".md-sidebar--secondary")
# Theme files no page uses, left out of site/ (hooks/render.py): each must exist, or Material changed.
UNUSED_THEME_FILES = ("assets/images/favicon.png",)
UNUSED_THEME_FOLDERS = ("assets/javascripts/lunr/", "assets/javascripts/workers/")
# Names of Material's output that the site's own files use: each must be on a built page or in Material's bundle.
NAMES_WE_USE = frozenset(
    # docs/assets/javascripts/search.js and report.js
    {"__search", "md-search__input", "md-search-result__meta", "md-search-result__list", "md-search-result__item"}
    | {"md-search-result__link", "md-search-result__article", "md-typeset", "data-md-scrolllock"}
    # docs/assets/stylesheets/report.css
    | {"md-container", "md-ellipsis", "md-footer", "md-header", "md-header__ellipsis", "md-nav__title", "md-search"}
    | {"md-sidebar", "md-skip", "data-md-color-scheme"}
)

# name: what the site relies on, and where it is used.
COUPLINGS = {
    "inline scripts": "the only inline scripts Material writes are SCOPE_SCRIPT, PALETTE_SCRIPT and TARGET_SCRIPT,"
    " word for word; the policy allows them by hash (finish/policy.py)",
    "config script": f'<script id="{CONFIG_SCRIPT_ID}" type="application/json"> holds the search worker and texts'
    " (finish/fixes.py)",
    "bundle script": f"one <script src=...{BUNDLE_PREFIX}<hash>{BUNDLE_SUFFIX}> in base.html (finish/fixes.py)",
    "stylesheet links": "base.html links main.<hash>.min.css, palette.<hash>.min.css, then extra_css, each as"
    ' <link rel="stylesheet"> in <head> (finish/critical_css.py)',
    "palette script": "partials/javascripts/palette.html writes PALETTE_SCRIPT in the header, and its __md_get"
    " (SCOPE_SCRIPT) reads a saved palette; ours, before it, uses __md_get too (finish/fixes.py)",
    "body dir": 'base.html puts dir="rtl" on <body> only; copied onto <html> (finish/fixes.py)',
    "search box": 'div.md-search[data-md-component="search"][role="dialog"] and form[name="search"] start'
    " Material's search worker; renamed to hand the box to search.js, the dialog named with its"
    " input.md-search__input's aria-label (finish/fixes.py)",
    "search plugin": "Material's search plugin must stay on for base.html to draw the search box; its index is not"
    " used, so the render stage takes its page_context and post_build events out (hooks/render.py)",
    "viewport meta": '<meta name="viewport"> in base.html, after which theme-color goes (finish/fixes.py)',
    "social font cache": "the social plugin reads <cache_dir>/fonts/<family>/<style>.ttf (hooks/render.py)",
    "template blocks": "overrides/main.html extends the blocks extrahead, content and scripts of base.html;"
    " base.html prints site_name, site_description, page.meta title and description unescaped (hooks/render.py)",
    "closed when narrow": "below 60em, base.html's drawer, search dialog and table of contents (CLOSED_WHEN_NARROW)"
    " show none of their content until opened, and every page has them (finish/critical_css.py)",
    "stylesheet at-rules": "Material's stylesheets hold only @media, @supports, @font-face, @keyframes, @page and"
    " @charset, which the pruning knows (finish/critical_css.py)",
    "palette inputs": "input[data-md-color-media] in the header, one per palette of mkdocs.yml (finish/fixes.py)",
    "unused theme files": "UNUSED_THEME_FILES and UNUSED_THEME_FOLDERS are among Material's files (hooks/render.py)",
    "names we use": "NAMES_WE_USE, the ids, classes and attributes of Material's output that search.js, report.js"
    " and report.css use, are on a built page or in Material's bundle (finish/critical_css.py)",
}
