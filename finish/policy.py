"""The Content-Security-Policy ``<meta>``: the last finishing step, after every change to a page.

The page is checked first: its inline scripts must be ones the build knows
(Material's, recognised by their text, our own, by theirs, and data blocks
that parse as JSON), its inline styles exactly the ones the build wrote, and
no element may carry an event handler, a ``javascript:`` address or a second
``http-equiv``. Anything else fails the build naming the page, since hashing
whatever is there would allow an injected script or style. Only then is the
policy computed: this site's own files, and each inline script and style by
its SHA-256 (data blocks too: the Nu HTML Checker reads them as covered by
script-src). Its cost in page load is explained in the README ("Size, speed
and safety").
"""

from __future__ import annotations

import base64
import hashlib
import json
import re
from collections.abc import Sequence
from dataclasses import dataclass
from html.parser import HTMLParser

from finish.errors import FinishError
from finish.material import MaterialChanged, inline_script_patterns

# Everything but scripts, which get their hashes per page, and the inline style's hash, added to style-src. The
# search worker falls under script-src, its index under connect-src.
FIXED_DIRECTIVES = (
    "default-src 'none'",
    "style-src 'self'",
    "img-src 'self' data:",
    # The faces a page draws as it loads are inside its <style> (finish/fonts.py); only a hashed style can name any.
    "font-src 'self' data:",
    "connect-src 'self'",
    "base-uri 'none'",
    "form-action 'none'",
)
POLICY_META = "Content-Security-Policy"
JAVASCRIPT = {None, "", "text/javascript", "module"}
DATA_BLOCKS = {"application/json", "application/ld+json"}
# Elements that load or run something the policy does not see through scripts.
REFUSED_ELEMENTS = frozenset({"base", "iframe", "frame", "object", "embed", "applet", "portal"})
URL_ATTRIBUTES = frozenset({"href", "src", "action", "formaction", "poster", "data", "xlink:href", "ping"})
# The policy goes first in <head>, after the charset, which must come within its first 1024 bytes.
_HEAD = re.compile(r'<head>\s*(<meta charset="utf-8">)?')
_SCHEME = re.compile(r"^([a-zA-Z][a-zA-Z0-9+.\-]*):")
_C0_AND_SPACE = "".join(map(chr, range(0x21)))


class PolicyError(FinishError):
    """A page holds something no policy should allow; names the page."""

    def __init__(self, page: str, problem: str) -> None:
        super().__init__(f"{page}: {problem}")


@dataclass
class InlineScript:
    type: str | None
    body: str


class _Inventory(HTMLParser):
    """What of a page the policy must know: inline scripts, and anything that could run or redirect."""

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.scripts: list[InlineScript] = []
        self.styles: list[str] = []
        self.problems: list[str] = []
        self._script: InlineScript | None = None
        self._in_style = False

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        for name, value in attrs:
            if name.startswith("on"):
                self.problems.append(f"<{tag}> has an event handler attribute {name}")
            elif name == "srcdoc":
                self.problems.append(f"<{tag}> has srcdoc")
            elif name in URL_ATTRIBUTES and value is not None:
                # As a browser reads an address: without tabs and newlines, and leading controls and spaces.
                scheme = _SCHEME.match(re.sub(r"[\t\n\r]", "", value).lstrip(_C0_AND_SPACE))
                if scheme and scheme[1].lower() not in ("http", "https", "mailto"):
                    self.problems.append(f"<{tag} {name}> has a {scheme[1]}: address")
        attributes = dict(attrs)
        if tag in REFUSED_ELEMENTS:
            self.problems.append(f"<{tag}> is not allowed")
        if tag == "meta" and "http-equiv" in attributes:
            self.problems.append(f"<meta http-equiv={attributes['http-equiv']!r}> is not allowed")
        if tag == "style":
            self._in_style = True
            self.styles.append("")
        if tag == "script" and "src" not in attributes:
            self._script = InlineScript(attributes.get("type"), "")
            self.scripts.append(self._script)

    def handle_comment(self, data: str) -> None:
        # Browsers end a comment at "<!-->", "<!--->" or "--!>", where this parser does not: whatever follows would
        # run unseen. No page has a comment; one that holds '<' or '>' is refused.
        if "<" in data or ">" in data:
            self.problems.append(f"a comment holding '<' or '>' ({data[:40]!r}), which browsers may end earlier")

    def unknown_decl(self, data: str) -> None:
        # "<![CDATA[" outside SVG and MathML is a comment that browsers end at the first '>', this parser at "]]>".
        self.problems.append(f"<![{data[:40]}...> is not allowed (browsers end it at the first '>')")

    def handle_data(self, data: str) -> None:
        if self._script is not None:
            self._script.body += data
        elif self._in_style:
            self.styles[-1] += data

    def handle_endtag(self, tag: str) -> None:
        if tag == "script":
            self._script = None
        elif tag == "style":
            self._in_style = False


def _known(script: InlineScript, own_scripts: Sequence[str]) -> bool:
    if script.type in DATA_BLOCKS:
        try:
            json.loads(script.body)
        except ValueError:
            return False
        return "<" not in script.body
    if script.type in JAVASCRIPT:
        return script.body in own_scripts or any(pattern.fullmatch(script.body) for pattern in inline_script_patterns())
    return False


def _inventory(html: str, page: str) -> _Inventory:
    inventory = _Inventory()
    inventory.feed(html)
    inventory.close()
    if inventory.problems:
        raise PolicyError(page, "; ".join(dict.fromkeys(inventory.problems)))
    return inventory


def _checked_styles(inventory: _Inventory, page: str, expected: Sequence[str]) -> list[str]:
    """The page's ``<style>`` texts, once they are exactly ``expected`` (what the build wrote)."""
    if inventory.styles != list(expected):
        raise PolicyError(
            page,
            f"inline <style> elements that are not the ones the build wrote ({len(inventory.styles)} found,"
            f" {len(expected)} written)",
        )
    return inventory.styles


def _checked_scripts(inventory: _Inventory, page: str, own_scripts: Sequence[str]) -> list[InlineScript]:
    for script in inventory.scripts:
        if not _known(script, own_scripts):
            start = script.body.strip()[:80]
            raise PolicyError(
                page, f"unknown inline <script type={script.type!r}> starting {start!r}; only Material's and JSON data"
            )
    return inventory.scripts


def checked_inline_scripts(html: str, page: str, own_scripts: Sequence[str] = ()) -> list[InlineScript]:
    """The page's inline scripts, once each is known: Material's, ``own_scripts`` (our steps' texts), JSON data.

    Raises PolicyError naming the page on an unknown inline script or on
    anything else that could run code or send the reader elsewhere.
    """
    return _checked_scripts(_inventory(html, page), page, own_scripts)


def source_hash(body: str) -> str:
    """The CSP source that allows an inline script or style with exactly this text."""
    digest = base64.b64encode(hashlib.sha256(body.encode("utf-8")).digest()).decode("ascii")
    return f"'sha256-{digest}'"


def policy(scripts: list[InlineScript], styles: Sequence[str] = (), *, allow_inline_scripts: bool = False) -> str:
    """The policy text: ``allow_inline_scripts`` only under `mkdocs serve`, whose live-reload script no hash allows.

    Inline styles are allowed by their hashes, added to the fixed style-src.
    """
    sources = ["'unsafe-inline'"] if allow_inline_scripts else list(dict.fromkeys(source_hash(s.body) for s in scripts))
    script_src = " ".join(["script-src 'self'", *sources])
    style_hashes = list(dict.fromkeys(source_hash(style) for style in styles))
    fixed = [" ".join([d, *style_hashes]) if d.startswith("style-src ") else d for d in FIXED_DIRECTIVES]
    return "; ".join([fixed[0], script_src, *fixed[1:]])


def add_policy(
    html: str, page: str, *, own_scripts: Sequence[str] = (), styles: Sequence[str] = (), serving: bool = False
) -> str:
    """The page with its policy first in ``<head>``, after the charset.

    ``own_scripts`` are the inline scripts our steps write; ``styles`` the inline styles, in order.
    """
    head = _HEAD.search(html)
    if head is None:
        raise MaterialChanged("template blocks", f"{page} has no <head>")
    inventory = _inventory(html, page)  # one parse for both checks
    scripts = _checked_scripts(inventory, page, own_scripts)
    content = policy(scripts, _checked_styles(inventory, page, styles), allow_inline_scripts=serving)
    meta = f'\n    <meta http-equiv="{POLICY_META}" content="{content}">'
    return f"{html[: head.end()]}{meta}{html[head.end() :]}"
