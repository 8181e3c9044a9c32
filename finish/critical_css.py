"""The site's stylesheets as one, cut to what its pages can use, and each page's first-screen share inlined.

Material's stylesheet styles every extension and feature it has; a page here
uses a fraction of it. ``SiteCss.pruned`` keeps a rule when each class, id, element
and attribute its selector names occurs in a built page or in a string of a
script that builds elements at runtime (Material's bundle, search.js,
report.js), whatever the structure: a conservative test, since a rule lost
is a visual regression and a rule kept costs a few bytes.

``SiteCss.first_screen`` keeps, of that, what a screen narrower than Material's
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

import copy
import posixpath
import re
from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass, field
from typing import Generic, TypeVar
from urllib.parse import urlsplit

import cssselect2
import tinycss2
from tinycss2 import ast

from finish.errors import FinishError
from finish.html import Element, element, local_name
from finish.material import CLOSED_WHEN_NARROW, NAMES_WE_USE, WIDE_SCREEN_EM, MaterialChanged

# Words in a script: class names, element names, attribute names and values it may write (a script, not CSS).
_WORD = re.compile(r"[A-Za-z_][\w-]*")
# A script's string literals, where the names of what it writes into a page are.
_STRING = re.compile(r'"(?:[^"\\\n]|\\.)*"|\'(?:[^\'\\\n]|\\.)*\'|`(?:[^`\\]|\\.)*`')
_PROPERTY = re.compile(r"--[A-Za-z_][\w-]*")
# Attribute selectors that compare a whole value (or one word of it), which a value the site never uses fails.
_WHOLE_VALUE = {"=", "~="}
_SELECTOR_LISTS = frozenset({"is", "where", "matches", "-webkit-any", "-moz-any"})
_COMBINATORS = {">", "+", "~", ","}
# What the closed containers hold, which the share has no rules for.
_CLOSED_CONTENT = ",".join(f"{container}>*" for container in CLOSED_WHEN_NARROW)
# Added to the share: what the closed containers hold is not rendered until the stylesheet arrives. Given its
# rules only then, it would start their transitions (the drawer's table of contents fading out, colours
# changing), which a reader opening the drawer at once, or axe, would catch mid-way. In a cascade layer, so that
# the stylesheet's same rule can take it back with revert-layer, to whatever Material's rules (unlayered, which
# win over any layer) and the browser's give.
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
T = TypeVar("T")


class StyleSourceError(FinishError):
    """A page links a stylesheet that is not one of the site's own, in its stylesheets' folder."""


class UnsafeStyle(FinishError):
    """A stylesheet holds what could end an inline ``<style>`` element."""


@dataclass
class Vocabulary:
    """What the site's elements can be: names of classes, ids, elements, attributes, and attribute values."""

    words: set[str] = field(default_factory=set)  # classes, ids, tags, attribute names
    values: dict[str, set[str]] = field(default_factory=dict)  # attribute: values seen
    scripts: set[str] = field(default_factory=set)  # any word in a runtime script's strings
    properties: set[str] = field(default_factory=set)  # custom properties a script names

    def add_page(self, root: Element) -> None:
        for node in root.iter():
            self.words.add(local_name(node))
            for name, value in node.attrib.items():
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


def site_vocabulary(pages: Iterable[Element], scripts: Iterable[str]) -> Vocabulary:
    """The vocabulary of the pages and the scripts that build elements; the names our own files use must be in it."""
    vocabulary = Vocabulary()
    for root in pages:
        vocabulary.add_page(root)
    for text in scripts:
        vocabulary.add_script(text)
    return vocabulary


def check_names_we_use(vocabulary: Vocabulary) -> None:
    """MaterialChanged unless every name of Material's output that our files use is still somewhere."""
    gone = sorted(name for name in NAMES_WE_USE if not vocabulary.knows(name))
    if gone:
        raise MaterialChanged("names we use", f"not on any page nor in Material's bundle: {', '.join(gone)}")


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
    tokens = _significant(block.content)
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


def _runtime_attribute(name: str) -> bool:
    """Attributes Material's script sets or changes after load: matched as present, with any value the site uses."""
    return name.startswith(("data-", "aria-")) or name == "hidden"


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
            if _runtime_attribute(name):
                if operator in _WHOLE_VALUE and value is not None and not vocabulary.knows_value(name, value):
                    return None
                out.append(f"[{name}]")
                index += 1
                continue
        out.append(tinycss2.serialize([token]))
        index += 1
    return "".join(out).strip() or "*"


def parse_css(css: str) -> list[ast.Node]:
    """The stylesheet's rules, those inside @media and @supports parsed as rules too: the one parse of the build."""
    rules = tinycss2.parse_stylesheet(css, skip_whitespace=True, skip_comments=True)
    return [
        _with_content(rule, parse_css(tinycss2.serialize(rule.content)))
        if isinstance(rule, ast.AtRule) and rule.lower_at_keyword in _NESTING and rule.content is not None
        else rule
        for rule in rules
    ]


def _significant(tokens: list[ast.Node]) -> list[ast.Node]:
    return [t for t in tokens if not isinstance(t, (ast.WhitespaceToken, ast.Comment))]


def _min_width_em(block: ast.Node) -> float | None:
    """The ``em`` of a ``(min-width: <n>em)`` feature, else None."""
    if not isinstance(block, ast.ParenthesesBlock):
        return None
    tokens = _significant(block.content)
    if (
        len(tokens) == 3
        and isinstance(tokens[0], ast.IdentToken)
        and tokens[0].lower_value == "min-width"
        and isinstance(tokens[2], ast.DimensionToken)
        and tokens[2].lower_unit == "em"
    ):
        return float(tokens[2].value)
    return None


def _not_for_narrow_screens(prelude: list[ast.Node]) -> bool:
    """Print, or a media query list each of whose queries asks for at least ``WIDE_SCREEN_EM`` (no ``not``).

    Any other form (a range, another unit) counts as holding on narrow screens too.
    """
    queries = _split_selectors(_significant(prelude))  # a media query list splits at its commas, as selectors do
    if len(queries) == 1 and [getattr(t, "lower_value", None) for t in queries[0]] == ["print"]:
        return True
    return all(
        not any(isinstance(t, ast.IdentToken) and t.lower_value == "not" for t in query)
        and any((_min_width_em(t) or 0) >= WIDE_SCREEN_EM for t in query)
        for query in queries
    )


Keep = Callable[[list[ast.Node]], bool]


def _walk(
    rules: list[ast.Node],
    keep: Keep,
    *,
    narrow_screen: bool,
    split: Callable[[list[ast.Node]], list[list[ast.Node]]],
) -> list[ast.Node]:
    """The rules with a selector ``keep`` keeps (the others left out of their lists), in @media and @supports too.

    Other at-rules stay as they are; with ``narrow_screen``, @media print and
    @media that holds only on wide screens go. ``split`` gives a rule's selectors.
    """
    kept: list[ast.Node] = []
    for rule in rules:
        if isinstance(rule, ast.QualifiedRule):
            every = split(rule.prelude)
            selectors = [selector for selector in every if keep(selector)]
            if len(selectors) == len(every):
                kept.append(rule)
            elif selectors:
                prelude = tinycss2.parse_component_value_list(",".join(tinycss2.serialize(s) for s in selectors))
                kept.append(ast.QualifiedRule(rule.source_line, rule.source_column, prelude, rule.content))
        elif isinstance(rule, ast.AtRule) and rule.lower_at_keyword in _NESTING and rule.content:
            if narrow_screen and rule.lower_at_keyword == "media" and _not_for_narrow_screens(rule.prelude):
                continue
            inner = _walk(rule.content, keep, narrow_screen=narrow_screen, split=split)
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


def _tokens(tokens: Iterable[ast.Node]) -> Iterable[ast.Node]:
    """``tokens`` and every token inside them (blocks and functions), at any depth."""
    for token in tokens:
        yield token
        for attribute in ("content", "arguments"):
            inner = getattr(token, attribute, None)
            if isinstance(inner, list):
                yield from _tokens(inner)


class _Once(Generic[T]):
    """A function of a list of nodes (a prelude, a selector, a rule's content), computed once per list per build.

    A list is not hashable: it is known by its id(), and kept beside its result, so the id is never reused meanwhile.
    """

    def __init__(self, function: Callable[[list[ast.Node]], T]) -> None:
        self._function = function
        self._results: dict[int, tuple[list[ast.Node], T]] = {}

    def __call__(self, nodes: list[ast.Node]) -> T:
        if id(nodes) not in self._results:
            self._results[id(nodes)] = (nodes, self._function(nodes))
        return self._results[id(nodes)][1]


def _var_references(tokens: Iterable[ast.Node]) -> Iterable[str]:
    """The custom properties ``var()`` reads in ``tokens``, at any depth."""
    for token in _tokens(tokens):
        if isinstance(token, ast.FunctionBlock) and token.lower_name == "var":
            first = _significant(token.arguments)[:1]
            if first and isinstance(first[0], ast.IdentToken):
                yield first[0].value


def _flatten(rules: list[ast.Node]) -> list[ast.Node]:
    """``rules`` with those nested in @media and @supports, at any depth, in their place."""
    nested: list[ast.Node] = []
    for rule in rules:
        if isinstance(rule, ast.AtRule) and rule.lower_at_keyword in _NESTING and rule.content:
            nested += _flatten(rule.content)
        else:
            nested.append(rule)
    return nested


def _trim(rules: list[ast.Node], read: set[str], declarations: _Once[list[ast.Node]]) -> list[ast.Node]:
    """``rules`` without the custom properties nothing kept (nor a script) reads, nor @font-face/@keyframes unnamed."""
    values: dict[str, list[str]] = {}
    needed = set(read)
    for rule in _flatten(rules):
        if isinstance(rule, ast.QualifiedRule):
            for declaration in declarations(rule.content):
                if isinstance(declaration, ast.Declaration):
                    references = list(_var_references(declaration.value))
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
    # Where @font-face and @keyframes names are given: the kept declarations' values.
    kept_values = [
        declaration.value
        for rule in _flatten(rules)
        if isinstance(rule, ast.QualifiedRule)
        for declaration in declarations(rule.content)
        if isinstance(declaration, ast.Declaration)
        and (not declaration.name.startswith("--") or declaration.name in needed)
    ]
    # Their identifiers and strings, at any depth: where @font-face and @keyframes names are given.
    used_names = {
        token.value
        for value in kept_values
        for token in _tokens(value)
        if isinstance(token, (ast.IdentToken, ast.StringToken))
    }
    used_text = "\n".join(tinycss2.serialize(value) for value in kept_values)

    def trimmed(rules: list[ast.Node]) -> list[ast.Node]:
        out: list[ast.Node] = []
        for rule in rules:
            if isinstance(rule, ast.QualifiedRule):
                parsed = declarations(rule.content)
                kept = [
                    d
                    for d in parsed
                    if not (isinstance(d, ast.Declaration) and d.name.startswith("--") and d.name not in needed)
                ]
                if len(kept) == len(parsed):
                    out.append(rule)
                elif kept:
                    content = tinycss2.parse_component_value_list(
                        ";".join(tinycss2.serialize([d]).rstrip(";") for d in kept)
                    )
                    out.append(ast.QualifiedRule(rule.source_line, rule.source_column, rule.prelude, content))
            elif isinstance(rule, ast.AtRule) and rule.lower_at_keyword in _NESTING and rule.content:
                inner = trimmed(rule.content)
                if inner:
                    out.append(_with_content(rule, inner))
            elif isinstance(rule, ast.AtRule) and rule.lower_at_keyword == "keyframes":
                if tinycss2.serialize(rule.prelude).strip() in used_names:
                    out.append(rule)
            elif isinstance(rule, ast.AtRule) and rule.lower_at_keyword == "font-face":
                families = [
                    tinycss2.serialize(d.value).strip()
                    for d in tinycss2.parse_blocks_contents(rule.content or [], skip_whitespace=True)
                    if isinstance(d, ast.Declaration) and d.lower_name == "font-family"
                ]
                if families and families[0] in used_text:
                    out.append(rule)
            else:
                out.append(rule)
        return out

    return trimmed(rules)


class SiteCss:
    """The site's stylesheet, parsed once, and the static forms of its selectors that match each page, found once.

    ``pruned`` keeps a rule when a page matches it as built (states ignored)
    or when everything it names occurs in a page or a script: where the
    scripts put what they build is not known here (search results go under
    the page's own classes), so the structure is not asked for.
    ``first_screen`` keeps, for one page, what matches it outside what a
    selector of ``closed`` matches; neither print nor what holds only on wide
    screens.
    """

    def __init__(
        self,
        rules: list[ast.Node],
        roots: Mapping[str, Element],
        vocabulary: Vocabulary,
        closed: Iterable[str] = CLOSED_WHEN_NARROW,
    ) -> None:
        self.vocabulary = vocabulary
        self.rules = rules
        # Each rule's selectors and declarations, and each selector's static form, found once per build whatever
        # selection holds them.
        self._split = _Once(_split_selectors)
        self._form = _Once(lambda selector: static_form(selector, vocabulary))
        self._declarations = _Once(
            lambda content: tinycss2.parse_blocks_contents(content, skip_whitespace=True, skip_comments=True)
        )
        matcher = cssselect2.Matcher()
        unreadable: set[str] = set()  # forms cssselect2 cannot read: kept, to be safe
        compiled_forms: set[str] = set()
        for rule in _flatten(self.rules):
            if isinstance(rule, ast.QualifiedRule):
                for selector in self._split(rule.prelude):
                    form = self._form(selector)
                    if form is None or form in compiled_forms:
                        continue
                    compiled_forms.add(form)
                    try:
                        for compiled in cssselect2.compile_selector_list(form):
                            matcher.add_selector(compiled, form)
                    except cssselect2.SelectorError:
                        unreadable.add(form)
        self.matched: dict[str, set[str]] = {}  # page: the forms that match an element of it not in ``closed``
        everywhere = set(unreadable)
        for page, root in roots.items():
            hidden = _closed_content(root, closed)
            seen = set(unreadable)
            for wrapper in cssselect2.ElementWrapper.from_html_root(root).iter_subtree():
                found = {form for *_, form in matcher.match(wrapper)}
                everywhere |= found
                if id(wrapper.etree_element) not in hidden:
                    seen |= found
            self.matched[page] = seen
        self.pruned = self._select(
            self.rules, lambda s: self._form(s) in everywhere or names_known(s, vocabulary), narrow_screen=False
        )

    def _select(self, rules: list[ast.Node], keep: Keep, *, narrow_screen: bool) -> list[ast.Node]:
        kept = _walk(rules, keep, narrow_screen=narrow_screen, split=self._split)
        return _trim(kept, self.vocabulary.properties, self._declarations)

    def first_screen(self, page: str) -> list[ast.Node]:
        matched = self.matched[page]
        return self._select(self.pruned, lambda s: self._form(s) in matched, narrow_screen=True)

    def header_colours(self) -> dict[str, str]:
        """``--md-primary-fg-color`` for each ``[data-md-color-scheme=...]`` a top-level rule sets it for."""
        colours: dict[str, str] = {}
        for rule in self.rules:
            if not isinstance(rule, ast.QualifiedRule):
                continue
            value = next(
                (
                    tinycss2.serialize(d.value).strip()
                    for d in self._declarations(rule.content)
                    if isinstance(d, ast.Declaration) and d.name == "--md-primary-fg-color"
                ),
                None,
            )
            for selector in self._split(rule.prelude):
                tokens = _significant(selector)
                if value is not None and len(tokens) == 1 and isinstance(tokens[0], ast.SquareBracketsBlock):
                    name, operator, scheme = _attribute(tokens[0])
                    if name == "data-md-color-scheme" and operator == "=" and scheme is not None:
                        colours[scheme] = value
        return colours


def _closed_content(root: Element, closed: Iterable[str]) -> frozenset[int]:
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
            inside.update(id(found.etree_element) for found in container.iter_subtree())
            inside.discard(id(container.etree_element))
    return frozenset(inside)


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
    value = _url(node)
    if value is not None:
        if not (urlsplit(value).scheme or value.startswith(("/", "#"))):
            value = posixpath.normpath(posixpath.join(base, value))
        elif "<" not in value and ">" not in value:
            return node
        # Written anew and quoted, whatever the address holds: unquoted, it would end at ')' and break at a quote,
        # a space or a backslash.
        quoted = value.replace("\\", "\\\\").replace('"', '\\"').replace("\n", "\\a ")
        return _escaped(ast.URLToken(node.source_line, node.source_column, value, f'url("{quoted}")'))
    if isinstance(node, ast.StringToken):
        return _escaped(node)
    changed = copy.copy(node)
    for attribute in ("prelude", "content", "arguments"):
        children = getattr(node, attribute, None)
        if isinstance(children, list):
            setattr(changed, attribute, [_inline_node(child, base) for child in children])
    return changed


def _escaped(token: ast.StringToken | ast.URLToken) -> ast.Node:
    """``token`` with its '<' and '>' as CSS escapes."""
    if "<" in token.value or ">" in token.value:
        escaped = token.representation.replace("<", "\\3c ").replace(">", "\\3e ")
        return type(token)(token.source_line, token.source_column, token.value, escaped)
    return token


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


def linked_stylesheets(root: Element) -> list[Element]:
    """The ``<link rel="stylesheet">`` elements of the page's ``<head>``, in order."""
    head = root.find("head")
    return [
        link for link in (head if head is not None else []) if link.tag == "link" and link.get("rel") == "stylesheet"
    ]


def inline_styles(root: Element, style: str, stylesheet: str) -> Element:
    """The page with ``style`` inline where its first stylesheet link was, and only ``stylesheet`` (its path in the
    site) linked: in ``<head>`` for wide screens (``WIDE_SCREEN_MEDIA``), and last in ``<body>``; returns the
    ``<style>`` element.

    At the end of ``<body>``, with a low priority, the stylesheet takes no
    bandwidth from what the first screen needs, and on a narrow screen no
    paint waits for it; Material's deferred script still runs after it has
    arrived (scripts wait for stylesheets). A saved copy without the file
    waits for nothing: a missing stylesheet blocks no paint.
    """
    links = linked_stylesheets(root)
    ours = [link for link in links if link.get("href", "").endswith(stylesheet)]
    head, body = root.find("head"), root.find("body")
    if len(ours) != 1 or head is None or body is None:
        raise MaterialChanged("stylesheet links", f"a page does not link {stylesheet} once in <head>")
    link = {"rel": "stylesheet", "href": ours[0].get("href", "")}
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
    parsed: Callable[[str], list[ast.Node]],
    scripts: list[str],
    page_rules: Mapping[str, str] | None = None,
) -> SiteStyles:
    """The stylesheets the pages link (``parsed``, by their path in the site) as ``stylesheet``, pruned, and
    each page's share to inline; ``scripts`` are the texts of the scripts that build elements at runtime.

    ``page_rules`` (page path: CSS, its url()s from the stylesheet's folder) go
    first in that page's share, whole: its @font-face rules (finish/fonts.py).
    """
    vocabulary = site_vocabulary(roots.values(), scripts)
    check_names_we_use(vocabulary)
    sources: list[str] = []
    bases: dict[str, str] = {}
    for path, root in roots.items():
        hrefs = [link.get("href", "") for link in linked_stylesheets(root)]
        ours = [href for href in hrefs if href.endswith(stylesheet)]
        if len(ours) != 1:
            raise MaterialChanged("stylesheet links", f"{path} does not link {stylesheet} once")
        # The way from the page to the site's root: "../", or "/report/" on the 404 page, served at any depth.
        site_root = ours[0][: -len(stylesheet)]
        bases[path] = site_root + posixpath.dirname(stylesheet) + "/"
        files = [href[len(site_root) :] if href.startswith(site_root) else href for href in hrefs]
        for file, href in zip(files, hrefs, strict=True):
            if posixpath.dirname(file) != posixpath.dirname(stylesheet):
                # Merged into one file there, read from site/ and then deleted: nothing else may be named.
                raise StyleSourceError(
                    f"mkdocs.yml extra_css: {href!r} ({path}) is not a stylesheet of the site's"
                    f" {posixpath.dirname(stylesheet)}/ folder; put it in docs/{posixpath.dirname(stylesheet)}/"
                )
        if sources and files != sources:
            raise MaterialChanged("stylesheet links", f"{path} links other stylesheets than the other pages")
        sources = files
    site = SiteCss([rule for source in sources for rule in parsed(source)], roots, vocabulary)
    wait = parse_css(WAIT_FOR_STYLESHEET)
    inline = {
        path: inline_text(
            parse_css((page_rules or {}).get(path, "")) + site.first_screen(path) + wait,
            f"{path} (inline style)",
            bases[path],
        )
        for path in roots
    }
    replaced = [source for source in sources if source != stylesheet]
    return SiteStyles(tinycss2.serialize(site.pruned) + STYLESHEET_ARRIVED, inline, replaced, site.header_colours())
