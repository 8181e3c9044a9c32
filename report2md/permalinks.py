"""A Python-Markdown extension: a block with ``data-permalink`` (its accessible name) and ``data-copied`` (what a
reader is told once the address is copied) gets an empty ``<a class="permalink" href="#id">`` at its end, whose sign
report.css draws (so copying the text never copies it) and which report.js makes copy the address."""

from xml.etree import ElementTree

from markdown import Extension, Markdown
from markdown.treeprocessors import Treeprocessor


class _Permalinks(Treeprocessor):
    def run(self, root: ElementTree.Element) -> None:
        for block in root.iter():
            label = block.attrib.pop("data-permalink", None)
            if label is None:
                continue
            anchor = block.get("id")
            if not anchor:
                raise ValueError(f"a block asks for a permalink but has no id: {label!r}")
            link = ElementTree.SubElement(block, "a", {"class": "permalink", "href": f"#{anchor}", "aria-label": label})
            link.set("data-copied", block.attrib.pop("data-copied", ""))


class PermalinkExtension(Extension):
    def extendMarkdown(self, md: Markdown) -> None:
        # After attr_list (8), which sets the attributes, and toc (5), which reads the headings' text.
        md.treeprocessors.register(_Permalinks(md), "report_permalinks", 4)


makeExtension = PermalinkExtension  # what Python-Markdown calls to load the extension by its module's name
