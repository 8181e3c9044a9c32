"""finish: the built site's HTML pages, changed by one ordered list of pure steps, the policy last.

``finish_site`` runs over a built ``site/`` folder (MkDocs' or any other
generator's output of the same templates): it subsets the fonts to what the
pages show, then runs ``PAGE_STEPS`` on every page, 404.html included, in
order. Each step is a pure function of the page's HTML and its ``Page``
facts. The order matters: the fixes come first, then what goes into
``<head>`` (theme colour, inline style with the fonts, the script that loads
them), and the policy last, so that it sees the page as it is published.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

import rcssmin

from finish import html_fixes
from finish.critical_css import inline_styles, site_styles
from finish.errors import FinishError
from finish.fonts import OUTPUT_DIR, STYLESHEET, first_fonts, page_faces, published_files, subset_site
from finish.policy import add_policy
from finish.search_box import hand_over_search_box
from finish.theme_color import add_theme_color
from search_index import PageError, site_index

__all__ = ["PAGE_STEPS", "FinishError", "Page", "finish_site"]

# The inline scripts our own steps write, which the policy must know.
OUR_SCRIPTS = (html_fixes.SYSTEM_PALETTE_SCRIPT, html_fixes.REVEAL_SCRIPT)


@dataclass(frozen=True)
class Page:
    """What the steps know of one page besides its HTML."""

    path: str  # in the site, e.g. "provenance/index.html"
    theme_color_metas: str  # the <meta name="theme-color"> elements, one per palette
    first_fonts: dict[str, str]  # what document.fonts.load needs to load the faces it draws as it loads
    serving: bool  # under `mkdocs serve`, whose live-reload script no hash can allow
    style: str  # its @font-face rules and the CSS of its first screen, for an inline <style> (finish/critical_css.py)


Step = Callable[[str, Page], str]

PAGE_STEPS: tuple[tuple[str, Step], ...] = (
    ("dir on <html>", lambda html, page: html_fixes.add_root_direction(html)),
    ("search box to search.js, named", lambda html, page: hand_over_search_box(html)),
    ("no autocomplete on checkboxes", lambda html, page: html_fixes.drop_checkbox_autocomplete(html)),
    ("no slash in <meta/>", lambda html, page: html_fixes.drop_meta_trailing_slash(html)),
    ("defer Material's script", lambda html, page: html_fixes.defer_material_script(html)),
    ("palette before the first paint", lambda html, page: html_fixes.apply_palette_before_paint(html)),
    ("theme colour", lambda html, page: add_theme_color(html, page.theme_color_metas)),
    ("first-screen CSS inline, one stylesheet last", lambda html, page: inline_styles(html, page.style, STYLESHEET)),
    (
        "text shown when its fonts load",
        lambda html, page: html_fixes.reveal_text_when_fonts_load(html, page.first_fonts),
    ),
    (
        "Content-Security-Policy",
        lambda html, page: add_policy(
            html, page.path, own_scripts=OUR_SCRIPTS, styles=[page.style], serving=page.serving
        ),
    ),
)


def finish_page(html: str, page: Page) -> str:
    """``html`` after every step, in order; a failing step's message names the page and the step."""
    for name, step in PAGE_STEPS:
        try:
            html = step(html, page)
        except FinishError as error:
            message = str(error) if str(error).startswith(page.path) else f"{page.path}: {error}"
            raise FinishError(f"{message} (step: {name})") from None
    return html


SEARCH_INDEX = "search/paragraphs.json"
MATERIAL_SEARCH_INDEX = "search/search_index.json"


def _write_if_changed(path: Path, data: bytes) -> None:
    """Write ``data`` unless ``path`` holds it already, so that a build that changes nothing touches nothing."""
    if not path.is_file() or path.read_bytes() != data:
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_bytes(data)


def finish_site(site_dir: Path, *, fonts_dir: Path, theme_color_metas: str, serving: bool = False) -> None:
    """Finish every page of the built site in ``site_dir``: fonts first (every page's characters), then the steps.

    Writes the search index (search.js reads it; Material's own index goes),
    the subset fonts and their licences, one stylesheet in place of Material's
    two and the site's (pruned; each page inlines its first screen of it,
    after its own @font-face rules: finish/critical_css.py, finish/fonts.py),
    and each page, only once every page is finished: a FinishError leaves
    ``site_dir`` as it was.
    """
    files = sorted(site_dir.rglob("*.html"))
    pages = {file.relative_to(site_dir).as_posix(): file.read_text(encoding="utf-8") for file in files}
    fonts = subset_site(pages, fonts_dir)

    def stylesheet_text(path: str) -> str:
        text = (site_dir / path).read_text(encoding="utf-8")
        return rcssmin.cssmin(fonts.rules + text if path == STYLESHEET else text)

    scripts = [file.read_text(encoding="utf-8") for file in sorted(site_dir.rglob("*.js"))]
    faces = {path: page_faces(fonts, path) for path in pages}
    styles = site_styles(pages, STYLESHEET, stylesheet_text, scripts, faces)
    finished = {
        path: finish_page(
            html,
            Page(
                path,
                theme_color_metas,
                first_fonts(fonts, path),
                serving,
                styles.inline[path],
            ),
        )
        for path, html in pages.items()
    }
    try:
        index = site_index(pages)
    except PageError as error:
        raise FinishError(f"search index: {error}") from None
    output = site_dir / OUTPUT_DIR
    output.mkdir(parents=True, exist_ok=True)
    (site_dir / MATERIAL_SEARCH_INDEX).unlink(missing_ok=True)
    _write_if_changed(site_dir / SEARCH_INDEX, index)
    for name, data in published_files(fonts).items():
        _write_if_changed(output / name, data)
    _write_if_changed(site_dir / STYLESHEET, styles.css.encode())
    for replaced in styles.replaced:
        (site_dir / replaced).unlink()
    for path, html in finished.items():
        _write_if_changed(site_dir / path, html.encode())
