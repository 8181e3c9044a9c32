"""The Content-Security-Policy ``<meta>``: the last finishing step, on the page's tree as it will be published.

The page is checked first: its inline scripts must be ones the build knows
(Material's, word for word, our own steps', and data blocks that parse as
JSON), its ``<script src>`` files the site's own known scripts, its inline
styles exactly the ones the build wrote, and no element may carry an event
handler, a ``javascript:`` address, a frame or a second ``http-equiv``.
Anything else fails the build naming the page, since hashing whatever is
there would allow an injected script or style. Only then is the policy
computed: this site's own files, and each inline script and style by its
SHA-256 (data blocks too: the Nu HTML Checker reads them as covered by
script-src). The tree is what the browser will parse: the page is written
from it (finish/html.py). Its cost in page load: DESIGN.md.
"""

from __future__ import annotations

import base64
import hashlib
import json
import posixpath
from collections.abc import Collection, Sequence
from dataclasses import dataclass
from urllib.parse import urlsplit

from finish.errors import FinishError
from finish.html import Element, element, local_name
from finish.material import PALETTE_SCRIPT, SCOPE_SCRIPT, TARGET_SCRIPT

# Everything but scripts, which get their hashes per page, and the inline style's hash, added to style-src.
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
_XLINK_HREF = "{http://www.w3.org/1999/xlink}href"
FONT_DATA = "data:font/woff2;base64,"
_C0_AND_SPACE = "".join(map(chr, range(0x21)))


class PolicyError(FinishError):
    """A page holds something no policy should allow; names the page."""

    def __init__(self, page: str, problem: str) -> None:
        super().__init__(f"{page}: {problem}")


def _scheme(value: str) -> str:
    """The scheme of an address as a browser reads it: tabs and newlines dropped, leading controls and spaces too."""
    return urlsplit(value.translate({9: None, 10: None, 13: None}).lstrip(_C0_AND_SPACE)).scheme.lower()


def _problems(root: Element) -> list[str]:
    problems = []
    for node in root.iter():
        name = local_name(node)
        if not name:
            problems.append("a comment (no page needs one)")
            continue
        for attribute, value in node.attrib.items():
            attribute = "xlink:href" if attribute == _XLINK_HREF else attribute
            if attribute.startswith("on"):
                problems.append(f"<{name}> has an event handler attribute {attribute}")
            elif attribute == "srcdoc":
                problems.append(f"<{name}> has srcdoc")
            elif (
                attribute in URL_ATTRIBUTES
                and _scheme(value) not in ("", "http", "https", "mailto")
                and not (
                    # The preload of a font inside the page (finish/fixes.preload_fonts): data that runs nothing.
                    name == "link" and node.get("rel") == "preload" and value.startswith(FONT_DATA)
                )
            ):
                problems.append(f"<{name} {attribute}> has a {_scheme(value)}: address")
        if name in REFUSED_ELEMENTS:
            problems.append(f"<{name}> is not allowed")
        if name == "meta" and "http-equiv" in node.attrib:
            problems.append(f"<meta http-equiv={node.get('http-equiv')!r}> is not allowed")
    return problems


def _material(text: str) -> bool:
    """One of Material's inline scripts, word for word; the first with the page's base address as a JSON string."""
    before, after = SCOPE_SCRIPT
    if text.startswith(before) and text.endswith(after):
        try:
            return isinstance(json.loads(text[len(before) : -len(after)]), str)
        except ValueError:
            return False
    return text in (PALETTE_SCRIPT, TARGET_SCRIPT)


def _known(script: Element, own_scripts: Sequence[str]) -> bool:
    body, kind = script.text or "", script.get("type")
    if kind in DATA_BLOCKS:
        try:
            json.loads(body)
        except ValueError:
            return False
        return "<" not in body
    return kind in JAVASCRIPT and (body in own_scripts or _material(body))


def _site_path(page: str, src: str, site_path: str) -> str | None:
    """The path in the site of a script a page at ``page`` links as ``src``; None when it is not the site's."""
    parts = urlsplit(src)
    if parts.scheme or parts.netloc or parts.query or parts.fragment:
        return None
    if src.startswith("/"):
        return src[len(site_path) :] if src.startswith(site_path) else None
    path = posixpath.normpath(posixpath.join(posixpath.dirname(page), src))
    return None if path.startswith("..") else path


@dataclass(frozen=True)
class Known:
    """What the build wrote on a page, which the policy may allow."""

    own_scripts: Sequence[str]  # the texts of the inline scripts our steps write
    styles: Sequence[str]  # the texts of the page's inline styles, in order
    script_files: Collection[str]  # the site's own script files (paths in the site) a page may link
    site_path: str = "/"  # the path the site lives under, from which the 404 page links them


def check_page(root: Element, page: str, known: Known) -> tuple[list[str], list[str]]:
    """The page's inline scripts and styles, once everything on it is ``known``; else PolicyError naming the page."""
    own_scripts, styles, script_files, site_path = known.own_scripts, known.styles, known.script_files, known.site_path
    problems = _problems(root)
    scripts = []
    for script in root.iter("script"):
        src = script.get("src")
        if src is not None:
            if _site_path(page, src, site_path) not in script_files:
                problems.append(f"<script src={src!r}> is not one of the site's scripts")
        elif not _known(script, own_scripts):
            problems.append(
                f"unknown inline <script type={script.get('type')!r}> starting {(script.text or '').strip()[:80]!r};"
                " only Material's, ours and JSON data"
            )
        else:
            scripts.append(script.text or "")
    found = [style.text or "" for style in root.iter("style")]
    if found != list(styles):
        problems.append(
            f"inline <style> elements that are not the ones the build wrote ({len(found)} found, {len(styles)} written)"
        )
    if problems:
        raise PolicyError(page, "; ".join(dict.fromkeys(problems)))
    return scripts, found


def source_hash(body: str) -> str:
    """The CSP source that allows an inline script or style with exactly this text."""
    digest = base64.b64encode(hashlib.sha256(body.encode("utf-8")).digest()).decode("ascii")
    return f"'sha256-{digest}'"


def policy(scripts: Sequence[str], styles: Sequence[str] = (), *, allow_inline_scripts: bool = False) -> str:
    """The policy text: ``allow_inline_scripts`` only under `mkdocs serve`, whose live-reload script no hash allows.

    Inline styles are allowed by their hashes, added to the fixed style-src.
    """
    sources = ["'unsafe-inline'"] if allow_inline_scripts else list(dict.fromkeys(map(source_hash, scripts)))
    script_src = " ".join(["script-src 'self'", *sources])
    style_hashes = list(dict.fromkeys(map(source_hash, styles)))
    fixed = [" ".join([d, *style_hashes]) if d.startswith("style-src ") else d for d in FIXED_DIRECTIVES]
    return "; ".join([fixed[0], script_src, *fixed[1:]])


def add_policy(root: Element, page: str, known: Known, *, serving: bool = False) -> None:
    """Check the page (``check_page``) and put its policy first in ``<head>``, after the charset."""
    scripts, found = check_page(root, page, known)
    head = root.find("head")
    if head is None or not len(head) or head[0].tag != "meta" or head[0].get("charset") != "utf-8":
        raise PolicyError(page, 'no <meta charset="utf-8"> first in <head>, before which nothing may come')
    content = policy(scripts, found, allow_inline_scripts=serving)
    head.insert(1, element("meta", {"http-equiv": POLICY_META, "content": content}, tail=head[0].tail))
