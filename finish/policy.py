"""The Content-Security-Policy ``<meta>``: the last finishing step, on the page's tree as it will be published.

The page is checked first: its inline scripts must be ones the build knows
(Material's, word for word, our own steps', and data blocks that parse as
JSON), its ``<script src>`` files the site's own known scripts, its inline
styles exactly the ones the build wrote, and no element may carry an event
handler, a ``javascript:`` address, a frame or a second ``http-equiv``.
Anything else fails the build naming the page, since hashing whatever is
there would allow an injected script or style. Only then is the policy
computed: this site's own files, by its address with its path (never the
whole origin, which a GitHub Pages project site shares with every other
project of its owner), and each inline script and style by its SHA-256
(data blocks too: the Nu HTML Checker reads them as covered by script-src).
The tree is what the browser will parse: the page is written from it
(finish/html.py). Its cost in page load: DESIGN.md.
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

# What no page needs at all; everything else is allowed by the site's own address or by hash (policy()).
CLOSED_DIRECTIVES = ("base-uri 'none'", "form-action 'none'")
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
    site_url: str  # where the site is published (https://owner.github.io/report/), which the policy allows


def check_page(root: Element, page: str, known: Known) -> tuple[list[str], list[str]]:
    """The page's inline scripts and styles, once everything on it is ``known``; else PolicyError naming the page."""
    own_scripts, styles, script_files = known.own_scripts, known.styles, known.script_files
    site_path = urlsplit(known.site_url).path  # from which the 404 page, served at any depth, links its files
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


def policy(site_url: str, scripts: Sequence[str], styles: Sequence[str] = (), *, serving: bool = False) -> str:
    """The policy text: the site's files by ``site_url``, its inline scripts and styles by their hashes.

    ``site_url`` ends in "/", so it allows what lies under its path and nothing
    else on its host. Under `mkdocs serve` (``serving``) the live-reload script,
    which no hash can allow, runs inline and asks the server at /livereload/.
    """
    parts = urlsplit(site_url)
    # Checked where it is read (generate.data.site_address; mkdocs serve's --dev-addr): here, as a source, again.
    if parts.scheme not in ("http", "https") or not parts.path.endswith("/") or set(site_url) & set(" \t\n;,'\""):
        raise FinishError(f"site_url {site_url!r} cannot be a Content-Security-Policy source")
    script_sources = ["'unsafe-inline'"] if serving else list(dict.fromkeys(map(source_hash, scripts)))
    if serving and parts.hostname == "0.0.0.0":  # `mkdocs serve -a 0.0.0.0:PORT`: reached by any of its addresses
        parts = parts._replace(netloc=parts.netloc.replace("0.0.0.0", "*", 1))
        site_url = parts.geturl()
    origin = f"{parts.scheme}://{parts.netloc}"
    live_reload = [f"{origin}/livereload/"] if serving else []
    # The host's robots.txt, that one file: Lighthouse and PageSpeed Insights read it from the page, under its
    # policy, and call a project site's SEO broken when they cannot (crawlers read it on their own).
    robots = [] if parts.path == "/" else [f"{origin}/robots.txt"]
    return "; ".join(
        [
            "default-src 'none'",
            " ".join(["script-src", site_url, *script_sources]),
            " ".join(["style-src", site_url, *dict.fromkeys(map(source_hash, styles))]),
            f"img-src {site_url} data:",
            # The faces a page draws as it loads are inside its <style> (finish/fonts.py), which only a hash allows.
            f"font-src {site_url} data:",
            " ".join(["connect-src", site_url, *robots, *live_reload]),
            *CLOSED_DIRECTIVES,
        ]
    )


def add_policy(root: Element, page: str, known: Known, *, serving: bool = False) -> None:
    """Check the page (``check_page``) and put its policy first in ``<head>``, after the charset."""
    scripts, found = check_page(root, page, known)
    head = root.find("head")
    if head is None or not len(head) or head[0].tag != "meta" or head[0].get("charset") != "utf-8":
        raise PolicyError(page, 'no <meta charset="utf-8"> first in <head>, before which nothing may come')
    content = policy(known.site_url, scripts, found, serving=serving)
    head.insert(1, element("meta", {"http-equiv": POLICY_META, "content": content}, tail=head[0].tail))
