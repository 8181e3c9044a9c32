"""A Python-Markdown extension: a permalink at the end of each block that asks for one.

The generated Markdown marks a block with ``data-permalink`` (its accessible
name) and ``data-copied`` (what a reader is told once the address is
copied), through attr_list; this extension turns the two into an empty
``<a class="permalink" href="#id">`` inside the block, whose sign report.css
draws (so copying the text never copies it) and which report.js turns into
"copy the address". Any Python-Markdown site generator runs it: list
``report2md.permalinks`` under ``markdown_extensions``.
"""

from __future__ import annotations

from xml.etree import ElementTree

from markdown import Extension, Markdown
from markdown.treeprocessors import Treeprocessor

LABEL, COPIED = "data-permalink", "data-copied"


class _Permalinks(Treeprocessor):
    def run(self, root: ElementTree.Element) -> None:
        for block in root.iter():
            label = block.attrib.pop(LABEL, None)
            if label is None:
                continue
            anchor = block.get("id")
            if not anchor:
                raise ValueError(f"a block asks for a permalink but has no id: {label!r}")
            link = ElementTree.SubElement(block, "a", {"class": "permalink", "href": f"#{anchor}", "aria-label": label})
            link.set(COPIED, block.attrib.pop(COPIED, ""))


class PermalinkExtension(Extension):
    def extendMarkdown(self, md: Markdown) -> None:
        # After attr_list (8), which sets the attributes, and toc (5), which reads the headings' text.
        md.treeprocessors.register(_Permalinks(md), "report_permalinks", 4)


def makeExtension(**kwargs: object) -> PermalinkExtension:
    return PermalinkExtension(**kwargs)
