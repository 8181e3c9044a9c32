"""A built page as a tree: parsed once as browsers parse it (tinyhtml5), every step changes it, written once.

Written by the HTML standard's serialization, so that a browser parses exactly the tree the policy step checked.
"""

from __future__ import annotations

from xml.etree import ElementTree

import tinyhtml5
from tinyhtml5.constants import adjust_foreign_attributes

Element = ElementTree.Element
# Elements written with no end tag: the HTML standard's void elements, and the obsolete ones its serializer adds.
VOID_ELEMENTS = frozenset(
    {"area", "base", "br", "col", "embed", "hr", "img", "input", "link", "meta", "source", "track", "wbr"}
    | {"basefont", "bgsound", "frame", "keygen", "param"}
)
# Elements whose content is text that is not escaped (the HTML standard's list).
# <noscript> is not among them: parsed here as a browser without scripts parses it (its children as elements),
# it is written back as markup, whose escaped text a browser with scripts reads as the raw text it ignores.
RAW_TEXT_ELEMENTS = frozenset(["style", "script", "xmp", "iframe", "noembed", "noframes", "plaintext"])
# The namespaced attributes the parser makes in SVG and MathML, by the names HTML writes (xlink:href, xmlns...).
_FOREIGN_ATTRIBUTES = {f"{{{space}}}{local}": name for name, (_, local, space) in adjust_foreign_attributes.items()}
_TEXT_ESCAPES = str.maketrans({"&": "&amp;", "\u00a0": "&nbsp;", "<": "&lt;", ">": "&gt;"})
_ATTRIBUTE_ESCAPES = str.maketrans({"&": "&amp;", "\u00a0": "&nbsp;", '"': "&quot;", "<": "&lt;", ">": "&gt;"})


class FinishError(ValueError):
    """A built page or the site's configuration cannot be finished; the hook turns it into MkDocs' PluginError."""


def parse(html: str) -> Element:
    """The page's ``<html>`` element, HTML elements by their plain names, SVG ones as ``{namespace}name``."""
    return tinyhtml5.parse(html, namespace_html_elements=False)


def local_name(element: Element) -> str:
    """``svg`` for ``{http://www.w3.org/2000/svg}svg``; comments and the like have no name."""
    return element.tag.rpartition("}")[2] if isinstance(element.tag, str) else ""


def serialize(root: Element) -> str:
    """The document as HTML: the doctype, then ``root`` (HTML standard, "serializing HTML fragments")."""
    out = ["<!doctype html>\n"]
    _write(root, out)
    return "".join(out)


def _write(node: Element, out: list[str]) -> None:
    if not isinstance(node.tag, str):
        raise FinishError(f"a comment or processing instruction in the page ({node.text!r:.40}): no page needs one")
    name, html = local_name(node), not node.tag.startswith("{")
    attributes = "".join(
        f' {_FOREIGN_ATTRIBUTES.get(key, key)}="{value.translate(_ATTRIBUTE_ESCAPES)}"'
        for key, value in node.attrib.items()
    )
    out.append(f"<{name}{attributes}>")
    if html and name in VOID_ELEMENTS:
        if node.text or len(node):
            raise FinishError(f"<{name}> holds content, which HTML cannot write")
    elif html and name in RAW_TEXT_ELEMENTS:
        if len(node) or f"</{name}" in (node.text or "").lower():
            raise FinishError(f"<{name}> holds what would end it early: {(node.text or '')[:60]!r}")
        out.append(f"{node.text or ''}</{name}>")
    else:
        out.append((node.text or "").translate(_TEXT_ESCAPES))
        for child in node:
            _write(child, out)
        out.append(f"</{name}>")
    out.append((node.tail or "").translate(_TEXT_ESCAPES))


def element(
    tag: str, attributes: dict[str, str] | None = None, text: str | None = None, tail: str | None = None
) -> Element:
    """A new element, with its text and the text after it."""
    new = Element(tag, attributes or {})
    new.text, new.tail = text, tail
    return new
