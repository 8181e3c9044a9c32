"""The site's stylesheets as one, cut to what its pages can use, and each page's first-screen share inlined.

Material's stylesheet styles every extension and feature it has; a page here
uses a fraction of it. ``prune`` keeps a rule when each class, id, element
and attribute its selector names occurs in a built page or in a string of a
script that builds elements at runtime (Material's bundle, search.js,
report.js), whatever the structure: a conservative test, since a rule lost
is a visual regression and a rule kept costs a few bytes.

``first_screen`` keeps, of that, what a screen narrower than Material's
"tablet landscape" breakpoint (``material.WIDE_SCREEN_EM``) shows as the
page loads: the rules that match the page's own elements as built, with
state pseudo-classes (``:hover``, ``:checked``, ``::before``...) ignored and
``data-*``, ``aria-*`` and ``hidden`` attributes read as present with any
value the site uses (Material's script changes them); not the elements
inside what Material keeps closed there (``material.CLOSED_WHEN_NARROW``:
the drawer, the search dialog, the table of contents), not ``@media`` that
holds only on wider screens, not print. That share goes inline in
``<head>``, allowed by its hash (finish/policy.py), and the whole stylesheet
comes at the end of the body, so that on a phone only the HTML (which
carries the fonts the first screen draws: finish/fonts.py) stands before
the first paint. Wider screens show the drawer, search and table of
contents in the first frame: there the share keeps the page unseen
until the whole stylesheet has arrived (``WAIT_FOR_STYLESHEET``), as a
render-blocking stylesheet would, and the stylesheet shows it. On any
screen, what the closed containers hold is not rendered until then, so that
the stylesheet's arrival starts none of its transitions.

``@media`` and ``@supports`` keep what they hold that is kept; ``@font-face``
and ``@keyframes`` stay when a kept rule names them; a custom property stays
when a kept declaration (or one it feeds) or a script reads it.
"""

from __future__ import annotations

import posixpath
import re
from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass, field
from html.parser import HTMLParser
from xml.etree import ElementTree

import cssselect2
import tinycss2
from tinycss2 import ast

from finish.errors import FinishError
from finish.material import CLOSED_WHEN_NARROW, WIDE_SCREEN_EM, MaterialChanged

# Elements with no end tag, so that the tree nests as a browser's does.
VOID_ELEMENTS = frozenset(
    {"area", "base", "br", "col", "embed", "hr", "img", "input", "link", "meta", "source", "track", "wbr"}
)
# Words in a script: class names, element names, attribute names and values it may write.
_WORD = re.compile(r"[A-Za-z_][\w-]*")
# A script's string literals, where the names of what it writes into a page are.
_STRING = re.compile(r'"(?:[^"\\\n]|\\.)*"|\'(?:[^\'\\\n]|\\.)*\'|`(?:[^`\\]|\\.)*`')
_PROPERTY = re.compile(r"--[A-Za-z_][\w-]*")
_VAR = re.compile(r"var\(\s*(--[A-Za-z_][\w-]*)")
# Attribute selectors that compare a whole value (or one word of it), which a value the site never uses fails.
_WHOLE_VALUE = {"=", "~="}
# Attributes Material's script sets or changes after load: matched as present, with any value the site uses.
_RUNTIME_ATTRIBUTE = re.compile(r"^(data-|aria-|hidden$)")
_SELECTOR_LISTS = frozenset({"is", "where", "matches", "-webkit-any", "-moz-any"})
_PRINT = re.compile(r"^\s*print\s*$", re.IGNORECASE)
_COMBINATORS = {">", "+", "~", ","}
# A media query's minimum width in em, the unit of Material's breakpoints.
_MIN_WIDTH_EM = re.compile(r"\(\s*min-width\s*:\s*(?P<em>\d+(?:\.\d+)?)em\s*\)", re.IGNORECASE)
_NOT = re.compile(r"\bnot\b", re.IGNORECASE)
_WIDE_SCREEN = f"screen and (min-width:{WIDE_SCREEN_EM}em)"
# What the closed containers hold, which the share has no rules for.
_CLOSED_CONTENT = ",".join(f"{container}>*" for container in CLOSED_WHEN_NARROW)
# Added to the share. On wide screens, the page unseen until the stylesheet shows it, or 3 s have passed
# without it. On any screen, what the closed containers hold not rendered until then: given its rules only
# when the stylesheet arrives, it would start their transitions (the drawer's table of contents fading out,
# colours changing), which a reader opening the drawer at once, or axe, would catch mid-way. In a cascade
# layer, so that the stylesheet's same rule can take it back with revert-layer, to whatever Material's
# rules (unlayered, which win over any layer) and the browser's give.
_LAYER = "report-first-screen"
WAIT_FOR_STYLESHEET = (
    f"@media {_WIDE_SCREEN}{{body{{opacity:0;animation:report-stylesheet-late 0s 3s forwards}}}}"
    "@keyframes report-stylesheet-late{to{opacity:1}}"
    f"@layer {_LAYER}{{{_CLOSED_CONTENT}{{display:none}}}}"
)
# Added to the whole stylesheet, last: later than the share's rules, so it wins.
STYLESHEET_ARRIVED = (
    f"@media {_WIDE_SCREEN}{{body{{opacity:1}}}}@layer {_LAYER}{{{_CLOSED_CONTENT}{{display:revert-layer}}}}"
)
# Block at-rules kept as they are: no selectors inside (@font-face and @keyframes are kept when named).
_OPAQUE_BLOCKS = frozenset({"font-face", "keyframes", "page"})


class StyleSourceError(FinishError):
    """A page links a stylesheet that is not one of the site's own, in its stylesheets' folder."""


class UnsafeStyle(FinishError):
    """A stylesheet holds what could end an inline ``<style>`` element."""


class _Tree(HTMLParser):
    """A page's elements as an ElementTree, nested as a browser nests them (void elements closed)."""

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.builder = ElementTree.TreeBuilder()
        self.open: list[str] = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        self.builder.start(tag, {name: value or "" for name, value in attrs})
        if tag in VOID_ELEMENTS:
            self.builder.end(tag)
        else:
            self.open.append(tag)

    def handle_startendtag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        self.builder.start(tag, {name: value or "" for name, value in attrs})
        self.builder.end(tag)

    def handle_endtag(self, tag: str) -> None:
        if tag in self.open:  # a stray end tag closes nothing
            while (closed := self.open.pop()) != tag:
                self.builder.end(closed)
            self.builder.end(tag)

    def tree(self) -> ElementTree.Element:
        self.close()
        while self.open:
            self.builder.end(self.open.pop())
        return self.builder.close()


def page_tree(html: str) -> ElementTree.Element:
    """The page's elements as a tree (text left out)."""
    parser = _Tree()
    parser.feed(html)
    return parser.tree()


@dataclass
class Vocabulary:
    """What the site's elements can be: names of classes, ids, elements, attributes, and attribute values."""

    words: set[str] = field(default_factory=set)  # classes, ids, tags, attribute names
    values: dict[str, set[str]] = field(default_factory=dict)  # attribute: values seen
    scripts: set[str] = field(default_factory=set)  # any word in a runtime script's strings
    properties: set[str] = field(default_factory=set)  # custom properties a script names

    def add_page(self, root: ElementTree.Element) -> None:
        for element in root.iter():
            self.words.add(element.tag)
            for name, value in element.attrib.items():
                self.words.add(name)
                self.values.setdefault(name, set()).add(value)
                if name == "class":
                    self.words.update(value.split())
                    self.values[name].update(value.split())
                elif name == "id":
                    self.words.add(value)

    def add_script(self, text: str) -> None:
        self.properties.update(_PROPERTY.findall(text))
        for literal in _STRING.finditer(text):
            self.scripts.update(_WORD.findall(literal[0]))

    def knows(self, word: str) -> bool:
        return word in self.words or word in self.scripts

    def knows_value(self, attribute: str, value: str) -> bool:
        return value in self.values.get(attribute, set()) or value in self.scripts


def site_vocabulary(pages: Iterable[ElementTree.Element], scripts: Iterable[str]) -> Vocabulary:
    vocabulary = Vocabulary()
    for root in pages:
        vocabulary.add_page(root)
    for text in scripts:
        vocabulary.add_script(text)
    return vocabulary


def _split_selectors(prelude: list[ast.Node]) -> list[list[ast.Node]]:
    selectors: list[list[ast.Node]] = [[]]
    for token in prelude:
        if isinstance(token, ast.Comment):
            continue
        if isinstance(token, ast.LiteralToken) and token.value == ",":
            selectors.append([])
        else:
            selectors[-1].append(token)
    return selectors


def _attribute(block: ast.SquareBracketsBlock) -> tuple[str, str | None, str | None]:
    """(name, operator, value) of an attribute selector's block."""
    tokens = [t for t in block.content if not isinstance(t, (ast.WhitespaceToken, ast.Comment))]
    name = tokens[0].lower_value if isinstance(tokens[0], ast.IdentToken) else tinycss2.serialize(tokens[:1])
    if len(tokens) == 1:
        return name, None, None
    operator = "".join(t.value for t in tokens[1:] if isinstance(t, ast.LiteralToken))
    values = [t for t in tokens[1:] if isinstance(t, (ast.IdentToken, ast.StringToken))]
    return name, operator, values[0].value if values else None


def names_known(selector: list[ast.Node], vocabulary: Vocabulary) -> bool:
    """Whether every class, id, element and attribute ``selector`` names occurs somewhere in the site."""
    for index, token in enumerate(selector):
        previous = selector[index - 1] if index else None
        is_class = isinstance(previous, ast.LiteralToken) and previous.value == "."
        if isinstance(token, ast.IdentToken):
            after_colon = isinstance(previous, ast.LiteralToken) and previous.value == ":"
            if not after_colon and not vocabulary.knows(token.value if is_class else token.lower_value):
                return False
        elif isinstance(token, ast.HashToken) and not vocabulary.knows(token.value):
            return False
        elif isinstance(token, ast.SquareBracketsBlock):
            name, operator, value = _attribute(token)
            if not vocabulary.knows(name):
                return False
            if operator in _WHOLE_VALUE and value is not None and not vocabulary.knows_value(name, value):
                return False
        elif (
            isinstance(token, ast.FunctionBlock)
            and token.lower_name in _SELECTOR_LISTS
            and not any(names_known(alternative, vocabulary) for alternative in _split_selectors(token.arguments))
        ):
            return False  # a list inside: one known alternative is enough
    return True


def static_form(selector: list[ast.Node], vocabulary: Vocabulary) -> str | None:
    """``selector`` as it can match a page as built: pseudo-classes and elements gone, runtime attributes as present.

    None when it names an attribute value the site never uses.
    """
    out: list[str] = []
    tokens = list(selector)
    index = 0
    while index < len(tokens):
        token = tokens[index]
        if isinstance(token, ast.LiteralToken) and token.value == ":":
            index += 1
            if isinstance(tokens[index], ast.LiteralToken) and tokens[index].value == ":":
                index += 1
            index += 1  # the pseudo's name or function
            starts_compound = not out or out[-1].isspace() or out[-1] in _COMBINATORS
            ends_compound = (
                index >= len(tokens)
                or isinstance(tokens[index], ast.WhitespaceToken)
                or (isinstance(tokens[index], ast.LiteralToken) and tokens[index].value in _COMBINATORS)
            )
            if starts_compound and ends_compound:
                out.append("*")
            continue
        if isinstance(token, ast.SquareBracketsBlock):
            name, operator, value = _attribute(token)
            if _RUNTIME_ATTRIBUTE.match(name):
                if operator in _WHOLE_VALUE and value is not None and not vocabulary.knows_value(name, value):
                    return None
                out.append(f"[{name}]")
                index += 1
                continue
        out.append(tinycss2.serialize([token]))
        index += 1
    return "".join(out).strip() or "*"


Keep = Callable[[list[ast.Node]], bool]


def _rules(css: str) -> list[ast.Node]:
    return tinycss2.parse_stylesheet(css, skip_whitespace=True, skip_comments=True)


def _wide_only(media: str) -> bool:
    """Whether a media query list holds only on wide screens: each query asks for at least ``WIDE_SCREEN_EM``.

    Any other form (a range, another unit, a ``not``) counts as holding on narrow screens too.
    """
    return all(
        not _NOT.search(query) and any(float(width["em"]) >= WIDE_SCREEN_EM for width in _MIN_WIDTH_EM.finditer(query))
        for query in media.split(",")
    )


def _walk(rules: list[ast.Node], keep: Keep, *, narrow_screen: bool) -> list[ast.Node]:
    """The rules with a selector ``keep`` keeps (the others left out of their lists), in @media and @supports too.

    Other at-rules stay as they are; with ``narrow_screen``, @media print and
    @media that holds only on wide screens go.
    """
    kept: list[ast.Node] = []
    for rule in rules:
        if isinstance(rule, ast.QualifiedRule):
            selectors = [selector for selector in _split_selectors(rule.prelude) if keep(selector)]
            if selectors:
                prelude = tinycss2.parse_component_value_list(",".join(tinycss2.serialize(s) for s in selectors))
                kept.append(ast.QualifiedRule(rule.source_line, rule.source_column, prelude, rule.content))
        elif isinstance(rule, ast.AtRule) and rule.lower_at_keyword in ("media", "supports") and rule.content:
            media = tinycss2.serialize(rule.prelude)
            if narrow_screen and rule.lower_at_keyword == "media" and (_PRINT.match(media) or _wide_only(media)):
                continue
            inner = _walk(_content_rules(rule), keep, narrow_screen=narrow_screen)
            if inner:
                kept.append(_with_content(rule, inner))
        elif isinstance(rule, ast.AtRule) and rule.lower_at_keyword == "charset":
            continue  # means nothing inside a page or after the start of a file
        elif isinstance(rule, ast.AtRule) and rule.content is not None and rule.lower_at_keyword not in _OPAQUE_BLOCKS:
            # @layer, @container, @scope... hold rules that pruning, custom properties and the first screen do not
            # look into: kept whole, they would hide what they read; walked, they need the code to know them.
            raise MaterialChanged("stylesheet at-rules", f"@{rule.at_keyword} is not one this step knows")
        elif not isinstance(rule, ast.ParseError):
            kept.append(rule)
    return kept


def _with_content(rule: ast.AtRule, content: list[ast.Node]) -> ast.AtRule:
    return ast.AtRule(
        rule.source_line, rule.source_column, rule.at_keyword, rule.lower_at_keyword, rule.prelude, content
    )


def _named(rules: list[ast.Node], used: str) -> list[ast.Node]:
    """``rules`` without the @font-face and @keyframes whose name ``used`` (the other rules' text) never gives."""
    kept: list[ast.Node] = []
    for rule in rules:
        if isinstance(rule, ast.AtRule) and rule.lower_at_keyword == "keyframes":
            if tinycss2.serialize(rule.prelude).strip() not in _WORD.findall(used):
                continue
        elif isinstance(rule, ast.AtRule) and rule.lower_at_keyword == "font-face":
            family = re.search(r"font-family\s*:\s*(?P<name>[^;]+)", tinycss2.serialize(rule.content or []))
            if family is None or family["name"].strip() not in used:
                continue
        elif isinstance(rule, ast.AtRule) and rule.lower_at_keyword in ("media", "supports") and rule.content:
            inner = _named(list(rule.content), used)
            if inner:
                kept.append(_with_content(rule, inner))
            continue
        kept.append(rule)
    return kept


def _used_text(rules: list[ast.Node]) -> str:
    """The declarations of every qualified rule in ``rules``, where @font-face and @keyframes names are given."""
    parts: list[str] = []
    for rule in rules:
        if isinstance(rule, ast.QualifiedRule):
            parts.append(tinycss2.serialize(rule.content))
        elif isinstance(rule, ast.AtRule) and rule.lower_at_keyword in ("media", "supports") and rule.content:
            parts.append(_used_text(list(rule.content)))
    return "\n".join(parts)


def _custom_properties(rules: list[ast.Node], read: set[str]) -> list[ast.Node]:
    """``rules`` without the custom properties that no kept declaration and no script (``read``) reads."""
    declarations = {
        id(rule): tinycss2.parse_blocks_contents(rule.content, skip_whitespace=True, skip_comments=True)
        for rule in _flatten(rules)
        if isinstance(rule, ast.QualifiedRule)
    }
    values: dict[str, list[str]] = {}
    needed = set(read)
    for declarations_of_rule in declarations.values():
        for declaration in declarations_of_rule:
            if isinstance(declaration, ast.Declaration):
                references = _VAR.findall(tinycss2.serialize(declaration.value))
                if declaration.name.startswith("--"):
                    values.setdefault(declaration.name, []).extend(references)
                else:
                    needed.update(references)
    pending = list(needed)
    while pending:  # what the properties read in turn
        for reference in values.get(pending.pop(), []):
            if reference not in needed:
                needed.add(reference)
                pending.append(reference)

    def trimmed(rules: list[ast.Node]) -> list[ast.Node]:
        out: list[ast.Node] = []
        for rule in rules:
            if isinstance(rule, ast.QualifiedRule):
                kept = [
                    d
                    for d in declarations[id(rule)]
                    if not (isinstance(d, ast.Declaration) and d.name.startswith("--") and d.name not in needed)
                ]
                if kept:
                    content = tinycss2.parse_component_value_list(
                        ";".join(tinycss2.serialize([d]).rstrip(";") for d in kept)
                    )
                    out.append(ast.QualifiedRule(rule.source_line, rule.source_column, rule.prelude, content))
            elif isinstance(rule, ast.AtRule) and rule.lower_at_keyword in ("media", "supports") and rule.content:
                inner = trimmed(list(rule.content))
                if inner:
                    out.append(_with_content(rule, inner))
            else:
                out.append(rule)
        return out

    return trimmed(rules)


def _select(css: str, keep: Keep, vocabulary: Vocabulary, *, narrow_screen: bool = False) -> list[ast.Node]:
    kept = _walk(_rules(css), keep, narrow_screen=narrow_screen)
    kept = _custom_properties(kept, vocabulary.properties)
    return _named(kept, _used_text(kept))


def _static_matches(
    css: str, roots: Iterable[ElementTree.Element], vocabulary: Vocabulary, unseen: frozenset[int] = frozenset()
) -> set[str]:
    """The static forms of ``css``'s selectors that match an element of a page in ``roots``, but those in ``unseen``.

    ``unseen`` holds elements' ``id()``. Forms cssselect2 cannot read are in the set too: kept, to be safe.
    """
    matcher = cssselect2.Matcher()
    matched: set[str] = set()
    seen: set[str] = set()
    for rule in _flatten(_rules(css)):
        if isinstance(rule, ast.QualifiedRule):
            for selector in _split_selectors(rule.prelude):
                form = static_form(selector, vocabulary)
                if form is None or form in seen:
                    continue
                seen.add(form)
                try:
                    for compiled in cssselect2.compile_selector_list(form):
                        matcher.add_selector(compiled, form)
                except cssselect2.SelectorError:
                    matched.add(form)
    for root in roots:
        for element in cssselect2.ElementWrapper.from_html_root(root).iter_subtree():
            if id(element.etree_element) not in unseen:
                matched.update(form for *_, form in matcher.match(element))
    return matched


def prune(css: str, roots: list[ElementTree.Element], vocabulary: Vocabulary) -> list[ast.Node]:
    """The rules of ``css`` that can match: an element of a page in ``roots``, or one a runtime script makes.

    A selector stays when it matches a page as built (states ignored), or
    when everything it names occurs in a page or a script: where the scripts
    put what they build is not known here (search results go under the
    page's own classes), so the structure is not asked for.
    """
    matched = _static_matches(css, roots, vocabulary)

    def keep(selector: list[ast.Node]) -> bool:
        return static_form(selector, vocabulary) in matched or names_known(selector, vocabulary)

    return _select(css, keep, vocabulary)


def closed_content(root: ElementTree.Element, closed: Iterable[str]) -> frozenset[int]:
    """The ``id()`` of every element inside one that a selector of ``closed`` matches (not of those themselves).

    MaterialChanged when a selector matches nothing: the share would be cut by a rule that no longer holds.
    """
    top = cssselect2.ElementWrapper.from_html_root(root)
    inside: set[int] = set()
    for selector in closed:
        containers = list(top.query_all(selector))
        if not containers:
            raise MaterialChanged("closed when narrow", f"no element matches {selector}")
        for container in containers:
            inside.update(id(element.etree_element) for element in container.iter_subtree())
            inside.discard(id(container.etree_element))
    return frozenset(inside)


def first_screen(
    css: str, root: ElementTree.Element, vocabulary: Vocabulary, closed: Iterable[str] = CLOSED_WHEN_NARROW
) -> list[ast.Node]:
    """The rules of ``css`` a narrow screen needs for the page ``root`` as it loads.

    Those that match an element of the page as built (states ignored), but
    not one inside what a selector of ``closed`` matches; neither print nor
    what holds only on wide screens.
    """
    matched = _static_matches(css, [root], vocabulary, closed_content(root, closed))
    return _select(css, lambda selector: static_form(selector, vocabulary) in matched, vocabulary, narrow_screen=True)


def _content_rules(rule: ast.AtRule) -> list[ast.Node]:
    """The rules inside a block at-rule: as parsed, or as an earlier step left them."""
    content = rule.content or []
    if all(isinstance(node, (ast.QualifiedRule, ast.AtRule)) for node in content):
        return list(content)
    return _rules(tinycss2.serialize(content))


def _flatten(rules: list[ast.Node]) -> list[ast.Node]:
    """``rules`` with those nested in @media and @supports, at any depth, in their place."""
    nested: list[ast.Node] = []
    for rule in rules:
        if isinstance(rule, ast.AtRule) and rule.lower_at_keyword in ("media", "supports") and rule.content:
            nested += _flatten(_content_rules(rule))
        else:
            nested.append(rule)
    return nested


def _url(node: ast.Node) -> tuple[str, Callable[[str], ast.Node]] | None:
    """A url()'s address and how to write it anew, or None for other nodes."""
    if isinstance(node, ast.URLToken):
        line, column = node.source_line, node.source_column
        return node.value, lambda value: ast.URLToken(line, column, value, f"url({_quoted(value)})")
    if isinstance(node, ast.FunctionBlock) and node.lower_name == "url":
        strings = [argument for argument in node.arguments if isinstance(argument, ast.StringToken)]
        if len(strings) == 1:
            string = strings[0]
            return string.value, lambda value: ast.FunctionBlock(
                node.source_line,
                node.source_column,
                node.name,
                [ast.StringToken(string.source_line, string.source_column, value, _quoted(value))],
            )
    return None


def _quoted(value: str) -> str:
    return '"' + value.replace("\\", "\\\\").replace('"', '\\"').replace("\n", "\\a ") + '"'


def _inline_node(node: ast.Node, base: str) -> ast.Node:
    """``node`` for a ``<style>`` in a page: relative url()s from ``base`` (the stylesheet's folder, from the page),
    '<' and '>' in strings and url()s as CSS escapes, which mean the same there."""
    url = _url(node)
    if url is not None:
        value, rewrite = url
        if not re.match(r"^([a-zA-Z][a-zA-Z0-9+.-]*:|/|#)", value):
            value = posixpath.normpath(posixpath.join(base, value))
            node = rewrite(value)
        if "<" in value or ">" in value:
            node = _escaped(rewrite(value))
        return node
    if isinstance(node, ast.StringToken):
        return _escaped(node)
    for attribute in ("prelude", "content", "arguments"):
        children = getattr(node, attribute, None)
        if isinstance(children, list):
            setattr(node, attribute, [_inline_node(child, base) for child in children])
    return node


def _escaped(node: ast.Node) -> ast.Node:
    if isinstance(node, ast.FunctionBlock):
        node.arguments = [_escaped(argument) for argument in node.arguments]
        return node
    if isinstance(node, (ast.StringToken, ast.URLToken)) and ("<" in node.value or ">" in node.value):
        escaped = node.representation.replace("<", "\\3c ").replace(">", "\\3e ")
        return type(node)(node.source_line, node.source_column, node.value, escaped)
    return node


def serialize(rules: list[ast.Node]) -> str:
    return tinycss2.serialize(rules)


def inline_text(rules: list[ast.Node], where: str, base: str) -> str:
    """``rules`` as the text of a ``<style>`` element of a page whose stylesheets are in ``base`` (from the page).

    No '<' in it, so nothing can end the element: in strings and url()s it
    is escaped; anywhere else (a custom property's value, say) no escape means
    the same, and UnsafeStyle names ``where``.
    """
    text = tinycss2.serialize([_inline_node(rule, base) for rule in rules])
    if "<" in text:
        at = text.index("<")
        raise UnsafeStyle(
            f"{where}: a '<' outside a string or url() in the stylesheets ({text[max(0, at - 40) : at + 20]!r})"
        )
    return text


# Material's stylesheet links, then the site's (mkdocs.yml's extra_css), all in <head>.
_STYLESHEET_LINK = re.compile(r'\n?[ \t]*<link rel="stylesheet" href="(?P<href>[^"]+\.css)">')
_HEAD_END = "</head>"
_BODY_END = "</body>"


def linked_stylesheets(html: str) -> list[str]:
    """The addresses of the stylesheets a page links in ``<head>``, in order."""
    head = html[: html.find(_HEAD_END)]
    return [link["href"] for link in _STYLESHEET_LINK.finditer(head)]


def inline_styles(html: str, style: str, stylesheet: str) -> str:
    """The page with ``style`` inline where its first stylesheet link was, and only ``stylesheet`` (its path in the
    site) linked, last.

    At the end of ``<body>``, with a low priority, the stylesheet takes no
    bandwidth from what the first screen needs, and on a narrow screen no
    paint waits for it (a wide one waits, by the share's
    ``WAIT_FOR_STYLESHEET``); Material's deferred script still runs after it
    has arrived (scripts wait for stylesheets).
    """
    head_end = html.find(_HEAD_END)
    links = list(_STYLESHEET_LINK.finditer(html, 0, head_end))
    if not links or html.count(_BODY_END) != 1:
        raise MaterialChanged(
            "Material stylesheet links", "a page links no stylesheet in <head>, or has no one </body>"
        )
    ours = [link["href"] for link in links if link["href"].endswith(stylesheet)]
    if len(ours) != 1:
        raise MaterialChanged("Material stylesheet links", f"a page does not link {stylesheet} once")
    head = html[:head_end]
    for link in reversed(links):
        replacement = f"\n    <style>{style}</style>" if link is links[0] else ""
        head = head[: link.start()] + replacement + head[link.end() :]
    body = html[head_end:].replace(
        _BODY_END, f'  <link rel="stylesheet" href="{ours[0]}" fetchpriority="low">\n  {_BODY_END}'
    )
    return head + body


@dataclass
class SiteStyles:
    """The site's one stylesheet, and each page's inline share of it."""

    css: str
    inline: dict[str, str]  # page path: its <style> text
    replaced: list[str]  # stylesheets in site/ (paths) that the one stylesheet replaces


def site_styles(
    pages: dict[str, str],
    stylesheet: str,
    texts: Callable[[str], str],
    scripts: list[str],
    page_rules: Mapping[str, str] | None = None,
) -> SiteStyles:
    """The stylesheets ``pages`` link (read by ``texts``, their path in the site) as ``stylesheet``, pruned, and
    each page's share to inline; ``scripts`` are the texts of the scripts that build elements at runtime.

    ``page_rules`` (page path: CSS, its url()s from the stylesheet's folder) go
    first in that page's share, whole: its @font-face rules (finish/fonts.py).
    """
    roots = {path: page_tree(html) for path, html in pages.items()}
    vocabulary = site_vocabulary(roots.values(), scripts)
    sources: list[str] = []
    bases: dict[str, str] = {}
    for path, html in pages.items():
        hrefs = linked_stylesheets(html)
        ours = [href for href in hrefs if href.endswith(stylesheet)]
        if len(ours) != 1:
            raise MaterialChanged("Material stylesheet links", f"{path} does not link {stylesheet} once")
        # The way from the page to the site's root: "../", or "/report/" on the 404 page, served at any depth.
        root = ours[0][: -len(stylesheet)]
        bases[path] = root + posixpath.dirname(stylesheet) + "/"
        files = [href[len(root) :] if href.startswith(root) else href for href in hrefs]
        for file, href in zip(files, hrefs, strict=True):
            if posixpath.dirname(file) != posixpath.dirname(stylesheet):
                # Merged into one file there, read from site/ and then deleted: nothing else may be named.
                raise StyleSourceError(
                    f"mkdocs.yml extra_css: {href!r} ({path}) is not a stylesheet of the site's"
                    f" {posixpath.dirname(stylesheet)}/ folder; put it in docs/{posixpath.dirname(stylesheet)}/"
                )
        if sources and files != sources:
            raise MaterialChanged("Material stylesheet links", f"{path} links other stylesheets than the other pages")
        sources = files
    css = "\n".join(texts(source) for source in sources)
    pruned = serialize(prune(css, list(roots.values()), vocabulary))
    wait = _rules(WAIT_FOR_STYLESHEET)
    inline = {
        path: inline_text(
            _rules((page_rules or {}).get(path, "")) + first_screen(pruned, root, vocabulary) + wait,
            f"{path} (inline style)",
            bases[path],
        )
        for path, root in roots.items()
    }
    replaced = [source for source in sources if source != stylesheet]
    return SiteStyles(pruned + STYLESHEET_ARRIVED, inline, replaced)
