"""A built page as a tree: parsed once, as browsers parse it (tinyhtml5), and written back once.

Every finishing step reads and changes the same ``xml.etree`` tree; the
page is serialized only at the end, by the HTML standard's algorithm for
serializing a document. Writing the published page from the tree is also
what makes the policy step sound: what a browser parses is exactly the tree
the policy step checked (an element the parser would read differently
cannot come out of the serializer; raw text that would end its element
early is refused).
"""

from __future__ import annotations

from xml.etree import ElementTree

import tinyhtml5

from finish.errors import FinishError

Element = ElementTree.Element
SVG = "{http://www.w3.org/2000/svg}"
# Elements with no end tag, and elements whose content is text that is not escaped (the HTML standard's lists).
VOID_ELEMENTS = frozenset(
    [
        "area",
        "base",
        "basefont",
        "bgsound",
        "br",
        "col",
        "embed",
        "frame",
        "hr",
        "img",
        "input",
        "keygen",
        "link",
        "meta",
        "param",
        "source",
        "track",
        "wbr",
    ]
)
# <noscript> is not among them: parsed here as a browser without scripts parses it (its children as elements),
# it is written back as markup, whose escaped text a browser with scripts reads as the raw text it ignores.
RAW_TEXT_ELEMENTS = frozenset(["style", "script", "xmp", "iframe", "noembed", "noframes", "plaintext"])
_NAMESPACES = {"{http://www.w3.org/1999/xlink}": "xlink:", "{http://www.w3.org/XML/1998/namespace}": "xml:"}
_TEXT_ESCAPES = str.maketrans({"&": "&amp;", "\u00a0": "&nbsp;", "<": "&lt;", ">": "&gt;"})
_ATTRIBUTE_ESCAPES = str.maketrans({"&": "&amp;", "\u00a0": "&nbsp;", '"': "&quot;", "<": "&lt;", ">": "&gt;"})


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


def _write(element: Element, out: list[str]) -> None:
    if not isinstance(element.tag, str):
        raise FinishError(f"a comment or processing instruction in the page ({element.text!r:.40}): no page needs one")
    name = local_name(element)
    attributes = "".join(
        f' {_attribute_name(key)}="{value.translate(_ATTRIBUTE_ESCAPES)}"' for key, value in element.attrib.items()
    )
    out.append(f"<{name}{attributes}>")
    if not element.tag.startswith("{") and name in VOID_ELEMENTS:
        if element.text or len(element):
            raise FinishError(f"<{name}> holds content, which HTML cannot write")
    elif not element.tag.startswith("{") and name in RAW_TEXT_ELEMENTS:
        text = element.text or ""
        if len(element) or f"</{name}" in text.lower():
            raise FinishError(f"<{name}> holds what would end it early: {text[:60]!r}")
        out.append(text)
        out.append(f"</{name}>")
    else:
        out.append((element.text or "").translate(_TEXT_ESCAPES))
        for child in element:
            _write(child, out)
        out.append(f"</{name}>")
    out.append((element.tail or "").translate(_TEXT_ESCAPES))


def _attribute_name(key: str) -> str:
    """An attribute's name as HTML writes it: ``xlink:href`` for the XLink namespace's ``href``, ``xmlns``..."""
    namespace, _, name = key.rpartition("}")
    if namespace == "{http://www.w3.org/2000/xmlns/":
        return "xmlns" if name == "xmlns" else f"xmlns:{name}"
    return _NAMESPACES.get(namespace + "}", "") + name if namespace else key


def element(
    tag: str, attributes: dict[str, str] | None = None, text: str | None = None, tail: str | None = None
) -> Element:
    """A new element, with its text and the text after it."""
    new = Element(tag, attributes or {})
    new.text, new.tail = text, tail
    return new


def parents(root: Element) -> dict[Element, Element]:
    """Each element's parent, for the steps that move or remove elements."""
    return {child: parent for parent in root.iter() for child in parent}
