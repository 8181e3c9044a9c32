"""Search that costs nothing until used, and finds the paragraph.

Material's search plugin stays for its search box (header button, dialog,
field, result list); its engine goes: the dialog is handed over to
docs/assets/javascripts/search.js (loaded by report.js when the reader opens
or focuses search), which normalises Arabic on both sides and links each
result to its paragraph. So this hook:

* writes ``search/paragraphs.json``: every block of every page, verbatim,
  with the address that opens it (``search_index/``);
* renames the dialog's ``data-md-component="search"`` and the form's
  ``name="search"``, so that Material's bundle neither starts its worker nor
  fetches its index, and drops the worker's address and the labels of
  Material's results from ``__config``;
* leaves out Material's worker, lunr and ``search_index.json``: nothing loads them.
"""

from __future__ import annotations

import json
import re
from pathlib import Path

from jinja2.utils import htmlsafe_json_dumps
from mkdocs.config.defaults import MkDocsConfig
from mkdocs.exceptions import PluginError
from mkdocs.plugins import event_priority
from mkdocs.structure.files import Files
from mkdocs.structure.pages import Page

from search_index import Block, PageError, blocks, index_json

INDEX = "search/paragraphs.json"
_MATERIAL_INDEX = "search/search_index.json"
_MATERIAL_ENGINE = re.compile(r"^assets/javascripts/(workers/search\.[0-9a-f]+\.min\.js|lunr/.*)$")
_DIALOG = 'data-md-component="search" role="dialog"'
_FORM = '<form class="md-search__form" name="search">'
_CONFIG = re.compile(r'(<script id="__config" type="application/json">)(?P<json>.*?)(</script>)', re.DOTALL)

_blocks: dict[str, list[Block]] = {}


def take_over_search_box(html: str, name: str) -> str:
    """Material's search box, detached from Material's engine, for search.js."""
    if _DIALOG not in html and _FORM not in html:
        return html  # a page without search
    if html.count(_DIALOG) != 1 or html.count(_FORM) != 1:
        raise PluginError(
            f"hooks/search.py: {name}: expected one search dialog and form; did Material's search.html change?"
        )
    html = html.replace(_DIALOG, 'data-report-search role="dialog"').replace(_FORM, '<form class="md-search__form">')
    config = _CONFIG.search(html)
    if config is None:
        raise PluginError(f"hooks/search.py: {name}: no __config script; did Material's base.html change?")
    settings = json.loads(config["json"])
    settings.pop("search", None)
    translations = settings.get("translations") or {}
    settings["translations"] = {key: text for key, text in translations.items() if not key.startswith("search.")}
    return f"{html[: config.start('json')]}{htmlsafe_json_dumps(settings)}{html[config.end('json') :]}"


def on_pre_build(config: MkDocsConfig) -> None:
    """Start each build (`mkdocs serve` rebuilds) with no page indexed."""
    _blocks.clear()


def on_files(files: Files, config: MkDocsConfig) -> Files:
    """Leave Material's search worker and lunr out: no page loads them."""
    docs_dir = str(config.docs_dir)
    for file in list(files):
        from_theme = file.abs_src_path is not None and not file.abs_src_path.startswith(docs_dir)
        if from_theme and file.generated_by is None and _MATERIAL_ENGINE.match(file.src_uri):
            files.remove(file)
    return files


@event_priority(-50)  # after the other hooks' changes, before hooks/csp.py hashes the page
def on_post_page(output: str, page: Page, config: MkDocsConfig) -> str:
    """Index the page's blocks; hand its search box to search.js."""
    try:
        _blocks[page.url] = blocks(output, page.url, page.title or "")
    except PageError as error:
        raise PluginError(f"hooks/search.py: {error}") from error
    return take_over_search_box(output, page.file.src_uri)


@event_priority(-50)
def on_post_template(output_content: str, template_name: str, config: MkDocsConfig) -> str:
    """The 404 page's search box too."""
    return take_over_search_box(output_content, template_name) if template_name.endswith(".html") else output_content


@event_priority(-100)  # after Material's search plugin has written its index
def on_post_build(config: MkDocsConfig) -> None:
    """Write the index, pages in build order (the navigation's), only when changed; remove Material's."""
    site = Path(config.site_dir)
    (site / _MATERIAL_INDEX).unlink(missing_ok=True)
    data = index_json([block for page_blocks in _blocks.values() for block in page_blocks])
    target = site / INDEX
    if not target.is_file() or target.read_bytes() != data:
        target.parent.mkdir(parents=True, exist_ok=True)
        target.write_bytes(data)
