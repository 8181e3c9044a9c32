"""The Content-Security-Policy ``<meta>``, the last step, on the page's tree as it will be published.

A page may hold only what the build knows: hashing whatever is there would allow an injected script or style. The
policy names the site's address with its path, never the origin, which a project site shares with its siblings.
"""

from __future__ import annotations

import base64
import hashlib
import json
import posixpath
from collections.abc import Collection, Sequence
from dataclasses import dataclass
from urllib.parse import urlsplit

from finish.html import Element, FinishError, element, local_name
from finish.material import PALETTE_SCRIPT, SCOPE_SCRIPT, TARGET_SCRIPT

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
    """A page holds something no policy should allow; the message starts with the page."""


@dataclass(frozen=True)
class Known:
    """What the build wrote on a page, which the policy may allow."""

    own_scripts: Sequence[str]  # the texts of the inline scripts our steps write
    styles: Sequence[str]  # the texts of the page's inline styles, in order
    script_files: Collection[str]  # the site's own script files (paths in the site) a page may link
    site_url: str  # where the site is published (https://owner.github.io/report/), which the policy allows


def _scheme(value: str) -> str:
    """The scheme of an address as a browser reads it: tabs and newlines dropped, leading controls and spaces too."""
    return urlsplit(value.translate({9: None, 10: None, 13: None}).lstrip(_C0_AND_SPACE)).scheme.lower()


def _problems(root: Element) -> list[str]:
    """Comments, event handlers, srcdoc, script addresses, frames and the like, and http-equiv, on any element."""
    problems = []
    for node in root.iter():
        name = local_name(node)
        if not name:
            problems.append("a comment (no page needs one)")
            continue
        preload = name == "link" and node.get("rel") == "preload"
        for attribute, value in node.attrib.items():
            attribute = "xlink:href" if attribute == _XLINK_HREF else attribute
            if attribute.startswith("on"):
                problems.append(f"<{name}> has an event handler attribute {attribute}")
            elif attribute == "srcdoc":
                problems.append(f"<{name}> has srcdoc")
            elif (
                attribute in URL_ATTRIBUTES
                and _scheme(value) not in ("", "http", "https", "mailto")
                # The preload of a font inside the page (finish/fixes.preload_fonts): data that runs nothing.
                and not (preload and value.startswith(FONT_DATA))
            ):
                problems.append(f"<{name} {attribute}> has a {_scheme(value)}: address")
        if name in REFUSED_ELEMENTS:
            problems.append(f"<{name}> is not allowed")
        if name == "meta" and "http-equiv" in node.attrib:
            problems.append(f"<meta http-equiv={node.get('http-equiv')!r}> is not allowed")
    return problems


def _is_json(text: str, kind: type = object) -> bool:
    try:
        return isinstance(json.loads(text), kind)
    except ValueError:
        return False


def _known(script: Element, own_scripts: Sequence[str]) -> bool:
    """Ours, Material's word for word (the first with the page's base address as a JSON string), or JSON data."""
    body, kind = script.text or "", script.get("type")
    if kind in DATA_BLOCKS:
        return _is_json(body) and "<" not in body
    before, after = SCOPE_SCRIPT
    scope = body.startswith(before) and body.endswith(after) and _is_json(body[len(before) : -len(after)], str)
    return kind in JAVASCRIPT and (scope or body in (*own_scripts, PALETTE_SCRIPT, TARGET_SCRIPT))


def _site_path(page: str, src: str, site_path: str) -> str | None:
    """The path in the site of a script a page at ``page`` links as ``src``; None when it is not the site's."""
    parts = urlsplit(src)
    if parts.scheme or parts.netloc or parts.query or parts.fragment:
        return None
    if src.startswith("/"):
        return src[len(site_path) :] if src.startswith(site_path) else None
    path = posixpath.normpath(posixpath.join(posixpath.dirname(page), src))
    return None if path.startswith("..") else path


def check_page(root: Element, page: str, known: Known) -> tuple[list[str], list[str]]:
    """The page's inline scripts and styles, once everything on it is ``known``; else PolicyError naming the page."""
    site_path = urlsplit(known.site_url).path  # from which the 404 page, served at any depth, links its files
    problems = _problems(root)
    scripts = []
    for script in root.iter("script"):
        src = script.get("src")
        if src is None and _known(script, known.own_scripts):
            scripts.append(script.text or "")
        elif src is None:
            problems.append(
                f"unknown inline <script type={script.get('type')!r}> starting {(script.text or '').strip()[:80]!r};"
                " only Material's, ours and JSON data"
            )
        elif _site_path(page, src, site_path) not in known.script_files:
            problems.append(f"<script src={src!r}> is not one of the site's scripts")
    styles = [style.text or "" for style in root.iter("style")]
    if styles != list(known.styles):
        problems.append(
            f"inline <style> elements that are not the ones the build wrote ({len(styles)} found,"
            f" {len(known.styles)} written)"
        )
    if problems:
        raise PolicyError(f"{page}: {'; '.join(dict.fromkeys(problems))}")
    return scripts, styles


def source_hash(body: str) -> str:
    """The CSP source that allows an inline script or style with exactly this text."""
    digest = base64.b64encode(hashlib.sha256(body.encode("utf-8")).digest()).decode("ascii")
    return f"'sha256-{digest}'"


def policy(site_url: str, scripts: Sequence[str], styles: Sequence[str] = (), *, serving: bool = False) -> str:
    """The policy text: the site's files by ``site_url`` (its path only: it ends in "/"), inline ones by hash.

    Under `mkdocs serve`, the live-reload script, which no hash can allow, runs inline and asks for /livereload/.
    """
    parts = urlsplit(site_url)
    # Checked where it is read (generate.data.site_address; mkdocs serve's --dev-addr): here, as a source, again.
    if parts.scheme not in ("http", "https") or not parts.path.endswith("/") or set(site_url) & set(" \t\n;,'\""):
        raise FinishError(f"site_url {site_url!r} cannot be a Content-Security-Policy source")
    if serving and parts.hostname == "0.0.0.0":  # `mkdocs serve -a 0.0.0.0:PORT`: reached by any of its addresses
        parts = parts._replace(netloc=parts.netloc.replace("0.0.0.0", "*", 1))
        site_url = parts.geturl()
    origin = f"{parts.scheme}://{parts.netloc}"
    # The host's robots.txt, that one file: Lighthouse and PageSpeed Insights read it from the page, under its
    # policy, and call a project site's SEO broken when they cannot (crawlers read it on their own).
    robots = [] if parts.path == "/" else [f"{origin}/robots.txt"]
    directives = {
        "default-src": ["'none'"],
        "script-src": [site_url, *(["'unsafe-inline'"] if serving else map(source_hash, scripts))],
        "style-src": [site_url, *map(source_hash, styles)],
        "img-src": [site_url, "data:"],
        # The faces a page draws as it loads are inside its <style> (finish/fonts.py), which only a hash allows.
        "font-src": [site_url, "data:"],
        "connect-src": [site_url, *robots, *([f"{origin}/livereload/"] if serving else [])],
        # What no page needs at all.
        "base-uri": ["'none'"],
        "form-action": ["'none'"],
    }
    return "; ".join(" ".join([name, *dict.fromkeys(sources)]) for name, sources in directives.items())


def add_policy(root: Element, page: str, known: Known, *, serving: bool = False) -> None:
    """Check the page (``check_page``) and put its policy first in ``<head>``, after the charset."""
    scripts, styles = check_page(root, page, known)
    head = root.find("head")
    if head is None or not len(head) or head[0].tag != "meta" or head[0].get("charset") != "utf-8":
        raise PolicyError(f'{page}: no <meta charset="utf-8"> first in <head>, before which nothing may come')
    content = policy(known.site_url, scripts, styles, serving=serving)
    head.insert(1, element("meta", {"http-equiv": POLICY_META, "content": content}, tail=head[0].tail))
