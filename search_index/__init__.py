"""The search index: every block of text a page shows, with the address that opens it.

Pure functions, no MkDocs import. A block is a paragraph, a list item, a
table row or a heading of the page's article; its address is its own ``id``
(``#p-3``, a heading's slug) or else the nearest heading's before it. A
heading marked ``data-search-exclude`` leaves its section out, up to the next
heading of the same or a higher level, as Material's search does. The text is
kept verbatim (diacritics, hamza, punctuation): the browser normalises it, in
the same code that normalises the query (docs/assets/javascripts/search.js).
"""

from __future__ import annotations

import json
from collections.abc import Mapping, Sequence
from dataclasses import asdict, dataclass
from html.parser import HTMLParser
from types import MappingProxyType

from search_index.keys import broken_forms

__all__ = ["Block", "OtherNameError", "PageError", "blocks", "index_json"]

_HEADINGS = {"h1", "h2", "h3", "h4", "h5", "h6"}
_BLOCKS = _HEADINGS | {"p", "li", "tr", "dt", "dd", "figcaption"}
# Elements whose text is not part of the page's reading text.
_SKIPPED = {"script", "style", "template", "svg", "button"}
# Between table cells: their texts are separate, not one word.
_CELLS = {"td", "th"}
_VOID = {"br", "hr", "img", "input", "meta", "link", "wbr"}
# Shown only in print (the page's address, overrides/main.html): not reading text.
# Shown only on paper (report.css): the page's address after the text.
PRINT_ONLY_CLASS = "print-url"


class PageError(ValueError):
    """A page the index cannot be built from (no article)."""


@dataclass(frozen=True)
class Block:
    """One block of a page: ``url`` opens it, ``section`` is its heading's text, ``text`` its own."""

    url: str
    section: str
    text: str


class _Article(HTMLParser):
    """Collects the blocks of the first ``<article>`` of a page."""

    def __init__(self, page_url: str, page_title: str) -> None:
        super().__init__(convert_charrefs=True)
        self.page_url = page_url
        self.found = False
        self.depth = 0  # inside the article, element depth (0: outside)
        self.skip = 0
        self.stack: list[dict] = []  # open blocks: tag, id, parts
        self.anchor = ""
        self.section = page_title
        self.excluded_level = 0  # level of the excluding heading, 0 if none
        self.blocks: list[Block] = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        if self.depth == 0:
            if tag == "article" and not self.found:
                self.found = True
                self.depth = 1
            return
        if tag in _VOID:
            if tag == "br" and self.stack and not self.skip:
                self.stack[-1]["parts"].append(" ")
            return
        self.depth += 1
        attributes = dict(attrs)
        classes = set((attributes.get("class") or "").split())
        if self.skip or tag in _SKIPPED or PRINT_ONLY_CLASS in classes:
            self.skip += 1
            return
        if tag in _CELLS and self.stack:
            self.stack[-1]["parts"].append(" ")
        if tag in _HEADINGS:
            level = int(tag[1])
            if self.excluded_level and level <= self.excluded_level:
                self.excluded_level = 0
            if "data-search-exclude" in attributes and not self.excluded_level:
                self.excluded_level = level
        if tag in _BLOCKS:
            self.stack.append({"tag": tag, "id": attributes.get("id") or "", "parts": [], "depth": self.depth})

    def handle_endtag(self, tag: str) -> None:
        if self.depth == 0 or tag in _VOID:
            return
        if self.skip:
            self.skip -= 1
            self.depth -= 1
            return
        if self.stack and self.stack[-1]["depth"] == self.depth and self.stack[-1]["tag"] == tag:
            self._close(self.stack.pop())
        self.depth -= 1

    def handle_data(self, data: str) -> None:
        if self.depth and not self.skip and self.stack:
            self.stack[-1]["parts"].append(data)

    def _close(self, block: dict) -> None:
        text = " ".join("".join(block["parts"]).split())
        if block["tag"] in _HEADINGS:
            if block["id"]:
                self.anchor = block["id"]
            self.section = text
        if self.excluded_level or not text:
            return
        anchor = block["id"] or self.anchor
        self.blocks.append(Block(f"{self.page_url}#{anchor}" if anchor else self.page_url, self.section, text))


def blocks(html: str, page_url: str, page_title: str) -> list[Block]:
    """The blocks of a rendered page at ``page_url`` (relative to the site's root), in page order."""
    parser = _Article(page_url, page_title)
    parser.feed(html)
    parser.close()
    if not parser.found:
        raise PageError(f"{page_url or 'index'}: no <article> in the page")
    return parser.blocks


class OtherNameError(ValueError):
    """An other name given for a name the text does not hold."""


def index_json(all_blocks: Sequence[Block], other_names: Mapping[str, Sequence[str]] = MappingProxyType({})) -> bytes:
    """The index file, compact UTF-8 JSON: the blocks in site order, and what search needs beyond their text.

    ``blocks``: one object per block (url, section, text), verbatim.
    ``forms``: for each word of the text that is a broken plural, its singulars
    (search_index.keys): the browser keys the word by them too, as no light
    rule can reach them, and it does no analysis of its own.
    ``names``: each other name of a name of the text (a Latin spelling, a
    common variant; from the editors: ``other_names`` maps the name as the
    text writes it to its other names) -> that name: a search for the other
    name finds, and highlights, the name where it stands.
    """
    texts = [text for block in all_blocks for text in (block.section, block.text)]
    names: dict[str, str] = {}
    for name, others in other_names.items():
        if not any(name in text for text in texts):
            raise OtherNameError(f"other names of «{name}»: the text does not hold «{name}»")
        for other in others:
            if not other.strip():
                raise OtherNameError(f"other names of «{name}»: an empty name")
            names[other.strip()] = name
    index = {"blocks": [asdict(block) for block in all_blocks], "forms": broken_forms(texts), "names": names}
    return json.dumps(index, ensure_ascii=False, separators=(",", ":")).encode("utf-8")


def site_index(pages: dict[str, str], not_found: str = "404.html") -> bytes:
    """The index of a built site's pages (path in the site: HTML), in path order, the 404 page left out.

    A page's address is its path without ``index.html``; the page title is
    not needed, as each page's article opens with its heading.
    """
    indexed = [
        block
        for path in sorted(pages)
        if path != not_found
        for block in blocks(pages[path], path.removesuffix("index.html"), "")
    ]
    return index_json(indexed)
