"""The site's stylesheets as one, cut to what its pages can use, and each page's first-screen share inlined.

``SiteCss.pruned`` keeps what a page or a runtime script can match; ``SiteCss.first_screen``, what a page shows
as it loads on a screen narrower than ``material.WIDE_SCREEN_EM``, outside what Material keeps closed there
(``material.CLOSED_WHEN_NARROW``): it goes inline, and the whole stylesheet last in ``<body>`` (DESIGN.md).
"""

from __future__ import annotations

import copy
import posixpath
import re
from collections.abc import Callable, Iterable, Iterator, Mapping
from dataclasses import dataclass, field
from itertools import pairwise
from urllib.parse import urlsplit

import cssselect2
import tinycss2
from tinycss2 import ast

from finish.html import Element, FinishError, element, local_name
from finish.material import CLOSED_WHEN_NARROW, NAMES_WE_USE, WIDE_SCREEN_EM, MaterialChanged

# Words in a script: class names, element names, attribute names and values it may write (a script, not CSS).
_WORD = re.compile(r"[A-Za-z_][\w-]*")
# A script's string literals, where the names of what it writes into a page are.
_STRING = re.compile(r'"(?:[^"\\\n]|\\.)*"|\'(?:[^\'\\\n]|\\.)*\'|`(?:[^`\\]|\\.)*`')
_PROPERTY = re.compile(r"--[A-Za-z_][\w-]*")
# Attribute selectors that compare a whole value (or one word of it), which a value the site never uses fails.
_WHOLE_VALUE = {"=", "~="}
_SELECTOR_LISTS = frozenset({"is", "where", "matches", "-webkit-any", "-moz-any"})
# What the closed containers hold, which the share has no rules for.
_CLOSED_CONTENT = ",".join(f"{container}>*" for container in CLOSED_WHEN_NARROW)
# Added to the share: what the closed containers hold is not rendered until the stylesheet arrives, which would
# otherwise start their transitions (caught mid-way by a reader or axe). In a cascade layer, so that the
# stylesheet's same rule can take it back with revert-layer (Material's rules, unlayered, win over any layer).
_LAYER = "report-first-screen"
WAIT_FOR_STYLESHEET = f"@layer {_LAYER}{{{_CLOSED_CONTENT}{{display:none}}}}"
# Added to the whole stylesheet, last: later than the share's rules, so it wins.
STYLESHEET_ARRIVED = f"@layer {_LAYER}{{{_CLOSED_CONTENT}{{display:revert-layer}}}}"
# Wide screens show the drawer, search and contents in the first frame, which the share has no rules for: there
# the stylesheet is linked in <head> too, render-blocking as stock Material's, for those screens only.
WIDE_SCREEN_MEDIA = f"screen and (min-width:{WIDE_SCREEN_EM}em)"
# Block at-rules kept as they are: no selectors inside (@font-face and @keyframes are kept when named).
_OPAQUE_BLOCKS = frozenset({"font-face", "keyframes", "page"})
_NESTING = ("media", "supports")


class UnsafeStyle(FinishError):
    """A stylesheet holds what could end an inline ``<style>`` element."""


@dataclass
class Vocabulary:
    """What the site's elements can be: names of classes, ids, elements, attributes, and attribute values."""

    words: set[str] = field(default_factory=set)  # classes, ids, tags, attribute names
    values: dict[str, set[str]] = field(default_factory=dict)  # attribute: values seen
    scripts: set[str] = field(default_factory=set)  # any word in a runtime script's strings
    properties: set[str] = field(default_factory=set)  # custom properties a script names

    def knows(self, word: str) -> bool:
        return word in self.words or word in self.scripts

    def may_hold(self, attribute: str, operator: str, value: str | None) -> bool:
        """Whether ``[attribute <operator> value]`` can hold for a value a page or a script gives ``attribute``."""
        values = self.values.get(attribute, set())
        return operator not in _WHOLE_VALUE or value is None or value in values or value in self.scripts


def site_vocabulary(pages: Iterable[Element], scripts: Iterable[str]) -> Vocabulary:
    """The names on the pages and in the string literals of the scripts that build elements."""
    vocabulary = Vocabulary()
    for node in (node for root in pages for node in root.iter()):
        vocabulary.words.add(local_name(node))
        for name, value in node.attrib.items():
            vocabulary.words.add(name)
            vocabulary.values.setdefault(name, set()).add(value)
            if name == "class":
                vocabulary.words.update(value.split())
                vocabulary.values[name].update(value.split())
            elif name == "id":
                vocabulary.words.add(value)
    for text in scripts:
        vocabulary.properties.update(_PROPERTY.findall(text))
        for literal in _STRING.finditer(text):
            vocabulary.scripts.update(_WORD.findall(literal[0]))
    return vocabulary


def _significant(tokens: list[ast.Node]) -> list[ast.Node]:
    return [t for t in tokens if not isinstance(t, (ast.WhitespaceToken, ast.Comment))]


def _split(tokens: list[ast.Node]) -> list[list[ast.Node]]:
    """A selector list's selectors (or a media query list's queries): ``tokens`` split at commas, no comments."""
    parts: list[list[ast.Node]] = [[]]
    for token in tokens:
        if token == ",":
            parts.append([])
        elif not isinstance(token, ast.Comment):
            parts[-1].append(token)
    return parts


def _attribute(block: ast.SquareBracketsBlock) -> tuple[str, str, str | None]:
    """(name, operator, value) of an attribute selector's block; ``[name]`` has no operator ("") and no value."""
    tokens = _significant(block.content)
    name = tokens[0].lower_value if isinstance(tokens[0], ast.IdentToken) else tinycss2.serialize(tokens[:1])
    operator = "".join(t.value for t in tokens[1:] if isinstance(t, ast.LiteralToken))
    values = [t.value for t in tokens[1:] if isinstance(t, (ast.IdentToken, ast.StringToken))]
    return name, operator, values[0] if values else None


def names_known(selector: list[ast.Node], vocabulary: Vocabulary) -> bool:
    """Whether every class, id, element and attribute ``selector`` names occurs somewhere in the site."""
    for previous, token in pairwise([None, *selector]):
        if isinstance(token, ast.IdentToken) and previous != ":":
            known = vocabulary.knows(token.value if previous == "." else token.lower_value)
        elif isinstance(token, ast.HashToken):
            known = vocabulary.knows(token.value)
        elif isinstance(token, ast.SquareBracketsBlock):
            name, operator, value = _attribute(token)
            known = vocabulary.knows(name) and vocabulary.may_hold(name, operator, value)
        elif isinstance(token, ast.FunctionBlock) and token.lower_name in _SELECTOR_LISTS:
            # A list inside: one known alternative is enough.
            known = any(names_known(alternative, vocabulary) for alternative in _split(token.arguments))
        else:
            known = True
        if not known:
            return False
    return True


def static_form(selector: list[ast.Node], vocabulary: Vocabulary) -> str | None:
    """``selector`` as it can match a page as built, or None if it names an attribute value the site never uses.

    States ignored: each pseudo-class or pseudo-element becomes ``:is(*)``,
    which any element matches; ``data-*``, ``aria-*`` and ``hidden``, which
    Material's script sets or changes after load, only need to be present.
    """
    out: list[str] = []
    tokens = iter(selector)
    for token in tokens:
        if token == ":":
            if next(tokens, None) == ":":  # then the name or function
                next(tokens, None)
            out.append(":is(*)")
            continue
        if isinstance(token, ast.SquareBracketsBlock):
            name, operator, value = _attribute(token)
            if name.startswith(("data-", "aria-")) or name == "hidden":
                if not vocabulary.may_hold(name, operator, value):
                    return None
                out.append(f"[{name}]")
                continue
        out.append(tinycss2.serialize([token]))
    return "".join(out).strip() or "*"


def parse_css(css: str) -> list[ast.Node]:
    """The stylesheet's rules, those inside @media and @supports parsed as rules too: the one parse of the build."""
    rules = tinycss2.parse_stylesheet(css, skip_whitespace=True, skip_comments=True)
    return [
        _with(rule, content=parse_css(tinycss2.serialize(rule.content))) if _nests(rule) else rule for rule in rules
    ]


def _with(rule: ast.Node, **parts: list[ast.Node]) -> ast.Node:
    """A copy of ``rule`` with ``parts`` (its prelude, its content) in place of its own."""
    changed = copy.copy(rule)
    for name, value in parts.items():
        setattr(changed, name, value)
    return changed


def _nests(rule: ast.Node | None) -> bool:
    """Whether ``rule`` is an @media or @supports that holds rules."""
    return isinstance(rule, ast.AtRule) and rule.lower_at_keyword in _NESTING and bool(rule.content)


def _qualified(rules: list[ast.Node]) -> Iterator[ast.QualifiedRule]:
    """The style rules of ``rules``, those in @media and @supports too."""
    for rule in rules:
        if _nests(rule):
            yield from _qualified(rule.content)
        elif isinstance(rule, ast.QualifiedRule):
            yield rule


def _filtered(rules: list[ast.Node], kept: Callable[[ast.Node], ast.Node | None]) -> list[ast.Node]:
    """Each rule as ``kept`` gives it (None: left out), in the @media and @supports it keeps too, emptied ones gone."""
    out: list[ast.Node] = []
    for rule in rules:
        rule = kept(rule)
        if _nests(rule):
            inner = _filtered(rule.content, kept)
            rule = _with(rule, content=inner) if inner else None
        if rule is not None:
            out.append(rule)
    return out


def _wide_only(prelude: list[ast.Node]) -> bool:
    """Print, or media queries that each ask for at least ``WIDE_SCREEN_EM`` (no ``not``); any other form (a range,
    another unit) counts as holding on narrow screens too."""
    queries = _split(_significant(prelude))
    if len(queries) == 1 and [getattr(t, "lower_value", None) for t in queries[0]] == ["print"]:
        return True
    return all(
        not any(isinstance(t, ast.IdentToken) and t.lower_value == "not" for t in query)
        and any(_min_width_em(t) >= WIDE_SCREEN_EM for t in query)
        for query in queries
    )


def _min_width_em(block: ast.Node) -> float:
    """The ``em`` of a ``(min-width: <n>em)`` feature, else 0."""
    match _significant(block.content) if isinstance(block, ast.ParenthesesBlock) else []:
        case [ast.IdentToken(lower_value="min-width"), _, ast.DimensionToken(lower_unit="em", value=value)]:
            return float(value)
    return 0


def _tokens(tokens: Iterable[ast.Node]) -> Iterator[ast.Node]:
    """``tokens`` and every token inside them (blocks and functions), at any depth."""
    for token in tokens:
        yield token
        for attribute in ("content", "arguments"):
            inner = getattr(token, attribute, None)
            if isinstance(inner, list):
                yield from _tokens(inner)


def _var_references(tokens: Iterable[ast.Node]) -> Iterator[str]:
    """The custom properties ``var()`` reads in ``tokens``, at any depth."""
    for token in _tokens(tokens):
        if isinstance(token, ast.FunctionBlock) and token.lower_name == "var":
            first = _significant(token.arguments)[:1]
            if first and isinstance(first[0], ast.IdentToken):
                yield first[0].value


class SiteCss:
    """The site's stylesheet, parsed once, and the static forms of its selectors that match each page, found once.

    ``pruned`` keeps a rule when a page matches it as built or when all it names occurs in a page or a script
    (where scripts put what they build is not known); ``first_screen`` keeps what matches a page outside what
    a selector of ``closed`` matches, neither print nor what holds only on wide screens.
    """

    def __init__(
        self,
        rules: list[ast.Node],
        roots: Mapping[str, Element],
        vocabulary: Vocabulary,
        closed: Iterable[str] = CLOSED_WHEN_NARROW,
    ) -> None:
        self.rules = rules
        self.read = vocabulary.properties
        # Each rule's selectors with their static forms, and its declarations, found once per build: by the id of
        # a list of ``rules`` (which keeps it), whatever selection holds the rule.
        qualified = list(_qualified(rules))
        self._selectors = {
            id(rule.prelude): [(selector, static_form(selector, vocabulary)) for selector in _split(rule.prelude)]
            for rule in qualified
        }
        self._declarations = {
            id(rule.content): tinycss2.parse_blocks_contents(rule.content, skip_whitespace=True, skip_comments=True)
            for rule in qualified
        }
        matcher = cssselect2.Matcher()
        unreadable: set[str] = set()  # forms cssselect2 cannot read: kept, to be safe
        forms = (form for pairs in self._selectors.values() for _, form in pairs if form is not None)
        for form in dict.fromkeys(forms):
            try:
                for compiled in cssselect2.compile_selector_list(form):
                    matcher.add_selector(compiled, form)
            except cssselect2.SelectorError:
                unreadable.add(form)
        self.matched: dict[str, set[str]] = {}  # page: the forms that match an element of it not in ``closed``
        everywhere = set(unreadable)
        for page, root in roots.items():
            top = cssselect2.ElementWrapper.from_html_root(root)
            for selector in closed:
                if top.query(selector) is None:  # the share would be cut by a rule that no longer holds
                    raise MaterialChanged("closed when narrow", f"no element matches {selector}")
            hidden = {id(inner.etree_element) for selector in closed for inner in top.query_all(f"{selector} *")}
            self.matched[page] = set(unreadable)
            for wrapper in top.iter_subtree():
                found = {form for *_, form in matcher.match(wrapper)}
                everywhere |= found
                if id(wrapper.etree_element) not in hidden:
                    self.matched[page] |= found
        self.pruned = self._select(lambda s, form: form in everywhere or names_known(s, vocabulary), narrow=False)

    def first_screen(self, page: str) -> list[ast.Node]:
        # What a page matches is in ``pruned``, so selecting from ``rules`` gives the same as from ``pruned``.
        return self._select(lambda _, form: form in self.matched[page], narrow=True)

    def _select(self, keep: Callable[[list[ast.Node], str | None], bool], *, narrow: bool) -> list[ast.Node]:
        """The rules with a selector that ``keep`` keeps (given it and its static form), with those only; with
        ``narrow``, not @media print nor what holds only on wide screens. Then trimmed: no custom property that
        nothing kept (nor a script) reads, no @font-face or @keyframes that no kept declaration names."""

        def selected(rule: ast.Node) -> ast.Node | None:
            if isinstance(rule, ast.QualifiedRule):
                every = self._selectors[id(rule.prelude)]
                selectors = [selector for selector, form in every if keep(selector, form)]
                if len(selectors) < len(every):
                    joined = ",".join(map(tinycss2.serialize, selectors))
                    return _with(rule, prelude=tinycss2.parse_component_value_list(joined)) if selectors else None
                return rule
            if _nests(rule):
                return None if narrow and rule.lower_at_keyword == "media" and _wide_only(rule.prelude) else rule
            if isinstance(rule, ast.ParseError) or rule.lower_at_keyword == "charset":
                return None  # @charset means nothing inside a page or after the start of a file
            if rule.content is not None and rule.lower_at_keyword not in _OPAQUE_BLOCKS:
                # @layer, @container, @scope... hold rules that pruning, custom properties and the first screen do
                # not look into: kept whole, they would hide what they read; walked, they need the code to know them.
                raise MaterialChanged("stylesheet at-rules", f"@{rule.at_keyword} is not one this step knows")
            return rule

        rules = _filtered(self.rules, selected)
        reads = [
            (declaration, set(_var_references(declaration.value)))
            for rule in _qualified(rules)
            for declaration in self._declarations[id(rule.content)]
            if isinstance(declaration, ast.Declaration)
        ]
        needed = set(self.read)

        def unread(d: ast.Node) -> bool:
            return isinstance(d, ast.Declaration) and d.name.startswith("--") and d.name not in needed

        size = -1
        while size < len(needed):  # what kept declarations read, then what that reads in turn
            size = len(needed)
            needed.update(*(read for declaration, read in reads if not unread(declaration)))
        # Where @font-face and @keyframes names are given: the kept declarations' values, at any depth.
        values = [declaration.value for declaration, _ in reads if not unread(declaration)]
        names = {
            t.value for value in values for t in _tokens(value) if isinstance(t, (ast.IdentToken, ast.StringToken))
        }
        text = "\n".join(map(tinycss2.serialize, values))

        def kept(rule: ast.Node) -> ast.Node | None:
            if isinstance(rule, ast.QualifiedRule):
                every = self._declarations[id(rule.content)]
                kept = [declaration for declaration in every if not unread(declaration)]
                if len(kept) < len(every):
                    # Each declaration written alone ends with a ';'.
                    joined = ";".join(tinycss2.serialize([declaration]).rstrip(";") for declaration in kept)
                    return _with(rule, content=tinycss2.parse_component_value_list(joined)) if kept else None
                return rule
            if isinstance(rule, ast.AtRule) and rule.lower_at_keyword == "keyframes":
                return rule if tinycss2.serialize(rule.prelude).strip() in names else None
            if isinstance(rule, ast.AtRule) and rule.lower_at_keyword == "font-face":
                families = [
                    tinycss2.serialize(d.value).strip()
                    for d in tinycss2.parse_blocks_contents(rule.content or [], skip_whitespace=True)
                    if isinstance(d, ast.Declaration) and d.lower_name == "font-family"
                ]
                return rule if families and families[0] in text else None
            return rule

        return _filtered(rules, kept)

    def header_colours(self) -> dict[str, str]:
        """``--md-primary-fg-color`` for each ``[data-md-color-scheme=...]`` a top-level rule sets it for."""
        colours: dict[str, str] = {}
        for rule in self.rules:
            if not isinstance(rule, ast.QualifiedRule):
                continue
            values = [
                tinycss2.serialize(d.value).strip()
                for d in self._declarations[id(rule.content)]
                if isinstance(d, ast.Declaration) and d.name == "--md-primary-fg-color"
            ]
            if not values:
                continue
            for selector, _ in self._selectors[id(rule.prelude)]:
                match _significant(selector):
                    case [ast.SquareBracketsBlock() as block]:
                        name, operator, scheme = _attribute(block)
                        if name == "data-md-color-scheme" and operator == "=" and scheme is not None:
                            colours[scheme] = values[0]
        return colours


def _url(node: ast.Node) -> str | None:
    """A url()'s address, ``url(a)`` or ``url("a")``, or None for other nodes."""
    if isinstance(node, ast.URLToken):
        return node.value
    if isinstance(node, ast.FunctionBlock) and node.lower_name == "url":
        strings = [argument for argument in node.arguments if isinstance(argument, ast.StringToken)]
        if len(strings) == 1:
            return strings[0].value
    return None


def _inline_node(node: ast.Node, base: str) -> ast.Node:
    """``node`` for a ``<style>`` in a page: relative url()s from ``base`` (the stylesheet's folder, from the page),
    '<' and '>' in strings and url()s as CSS escapes, which mean the same there. A copy: the rules are shared."""
    address = _url(node)
    if address is not None:
        if not (urlsplit(address).scheme or address.startswith(("/", "#"))):
            address = posixpath.normpath(posixpath.join(base, address))
        elif "<" not in address and ">" not in address:
            return node
        # Written anew and quoted, whatever the address holds: unquoted, it would end at ')' and break at a quote,
        # a space or a backslash.
        quoted = address.replace("\\", "\\\\").replace('"', '\\"').replace("\n", "\\a ")
        node = ast.URLToken(node.source_line, node.source_column, address, f'url("{quoted}")')
    if isinstance(node, (ast.StringToken, ast.URLToken)):
        escaped = node.representation.replace("<", "\\3c ").replace(">", "\\3e ")
        return type(node)(node.source_line, node.source_column, node.value, escaped)
    changed = copy.copy(node)
    for attribute in ("prelude", "content", "arguments"):
        children = getattr(node, attribute, None)
        if isinstance(children, list):
            setattr(changed, attribute, [_inline_node(child, base) for child in children])
    return changed


def inline_text(rules: list[ast.Node], where: str, base: str) -> str:
    """``rules`` as the text of a ``<style>`` of a page whose stylesheets are in ``base`` (from the page), with no '<'
    to end the element: escaped in strings and url()s; anywhere else no escape means the same: UnsafeStyle."""
    text = tinycss2.serialize([_inline_node(rule, base) for rule in rules])
    at = text.find("<")
    if at >= 0:
        raise UnsafeStyle(
            f"{where}: a '<' outside a string or url() in the stylesheets ({text[max(0, at - 40) : at + 20]!r})"
        )
    return text


def _stylesheet_links(root: Element, stylesheet: str, page: str) -> tuple[list[Element], str]:
    """The page's stylesheet links in ``<head>``, and the address of its one link to ``stylesheet``."""
    links = root.findall("head/link[@rel='stylesheet']")
    ours = [link.get("href", "") for link in links if link.get("href", "").endswith(stylesheet)]
    if len(ours) != 1:
        raise MaterialChanged("stylesheet links", f"{page} does not link {stylesheet} once in <head>")
    return links, ours[0]


def inline_styles(root: Element, style: str, stylesheet: str) -> Element:
    """The ``<style>`` put with ``style`` where the page's first stylesheet link was; only ``stylesheet`` (its path
    in the site) stays linked: in ``<head>`` for wide screens (``WIDE_SCREEN_MEDIA``), and last in ``<body>``, with
    a low priority, where no paint waits for it (Material's deferred script still does: scripts wait for it)."""
    links, href = _stylesheet_links(root, stylesheet, "a page")
    # Both are there: the link was found in <head>, and an HTML parser always makes a <body>.
    head, body = root.find("head"), root.find("body")
    link = {"rel": "stylesheet", "href": href}
    inline = element("style", {}, style, tail=links[0].tail)
    wide = element("link", {**link, "media": WIDE_SCREEN_MEDIA}, tail=links[0].tail)
    at = list(head).index(links[0])
    head[at : at + 1] = [inline, wide]
    for old in links[1:]:
        head.remove(old)
    last = element("link", {**link, "fetchpriority": "low"}, tail="\n  ")
    if len(body):
        body[-1].tail = (body[-1].tail or "") + "  "
    body.append(last)
    return inline


@dataclass
class SiteStyles:
    """The site's one stylesheet, each page's inline share of it, and the stylesheets it replaces."""

    css: str
    inline: dict[str, str]  # page path: its <style> text
    replaced: list[str]  # stylesheets in site/ (paths) that the one stylesheet replaces
    header_colours: dict[str, str]  # scheme: its header colour (SiteCss.header_colours)


def site_styles(
    roots: Mapping[str, Element],
    stylesheet: str,
    sheets: Mapping[str, list[ast.Node]],
    scripts: list[str],
    page_rules: Mapping[str, str] | None = None,
) -> SiteStyles:
    """The stylesheets the pages link (parsed, in ``sheets`` by path) as ``stylesheet``, pruned, and each page's share
    to inline, after its ``page_rules`` (its @font-face rules, url()s from the stylesheet's folder: finish/fonts.py),
    whole; ``scripts`` are the texts of the scripts that build elements at runtime."""
    vocabulary = site_vocabulary(roots.values(), scripts)
    gone = sorted(name for name in NAMES_WE_USE if not vocabulary.knows(name))
    if gone:
        raise MaterialChanged("names we use", f"not on any page nor in Material's bundle: {', '.join(gone)}")
    sources: list[str] = []
    bases: dict[str, str] = {}
    folder = posixpath.dirname(stylesheet)
    for path, root in roots.items():
        links, ours = _stylesheet_links(root, stylesheet, path)
        hrefs = [link.get("href", "") for link in links]
        # The way from the page to the site's root: "../", or "/report/" on the 404 page, served at any depth.
        site_root = ours[: -len(stylesheet)]
        bases[path] = f"{site_root}{folder}/"
        files = [href[len(site_root) :] if href.startswith(site_root) else href for href in hrefs]
        for file, href in zip(files, hrefs, strict=True):
            if posixpath.dirname(file) != folder or file not in sheets:
                # Merged into one file there, read from site/ and then deleted: nothing else may be named.
                raise FinishError(
                    f"mkdocs.yml extra_css: {href!r} ({path}) is not a stylesheet of the site's"
                    f" {folder}/ folder; put it in docs/{folder}/"
                )
        if sources and files != sources:
            raise MaterialChanged("stylesheet links", f"{path} links other stylesheets than the other pages")
        sources = files
    site = SiteCss([rule for source in sources for rule in sheets[source]], roots, vocabulary)
    wait = parse_css(WAIT_FOR_STYLESHEET)
    inline = {}
    for path in roots:
        rules = parse_css((page_rules or {}).get(path, "")) + site.first_screen(path) + wait
        inline[path] = inline_text(rules, f"{path} (inline style)", bases[path])
    replaced = [source for source in sources if source != stylesheet]
    return SiteStyles(tinycss2.serialize(site.pruned) + STYLESHEET_ARRIVED, inline, replaced, site.header_colours())
