"""Search that costs nothing until used, and finds the paragraph.

Material's search plugin stays for its search box (header button, dialog,
field, result list); its engine goes: the dialog is handed over to
docs/assets/javascripts/search.js (loaded by report.js when the reader opens
or focuses search), which normalises Arabic on both sides and links each
result to its paragraph; the finishing step finish/search_box.py hands
it the box. This hook:

* writes ``search/paragraphs.json``: every block of every page, verbatim,
  with the address that opens it (``search_index/``);
* removes Material's ``search_index.json``: nothing loads it (hooks/prune.py
  leaves out Material's worker and lunr).
"""

from __future__ import annotations

from pathlib import Path

from mkdocs.config.defaults import MkDocsConfig
from mkdocs.exceptions import PluginError
from mkdocs.plugins import event_priority
from mkdocs.structure.pages import Page

from search_index import Block, PageError, blocks, index_json

INDEX = "search/paragraphs.json"
_MATERIAL_INDEX = "search/search_index.json"
_blocks: dict[str, list[Block]] = {}


def on_pre_build(config: MkDocsConfig) -> None:
    """Start each build (`mkdocs serve` rebuilds) with no page indexed."""
    _blocks.clear()


def on_post_page(output: str, page: Page, config: MkDocsConfig) -> str:
    """Index the page's blocks."""
    try:
        _blocks[page.url] = blocks(output, page.url, page.title or "")
    except PageError as error:
        raise PluginError(f"hooks/search.py: {error}") from error
    return output


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
