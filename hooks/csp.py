"""A Content-Security-Policy for every page, computed from the page itself.

GitHub Pages cannot send headers, so the policy is a ``<meta>`` element,
the first thing in ``<head>`` after the charset, so that it covers every
style and script after it. Only the font preloads that hooks/fonts.py adds
later go in front of it (see there). The ``<meta>`` has a cost: on a page
with one, Chromium's preload scanner starts no fetch, before the ``<meta>``
or after it, until the parser has read it (``AllowPreloading()`` in Blink's
html_document_parser.cc), so the stylesheets are asked for 40 to 80 ms later
on a 4x slower CPU; `make bench` shows the cost in its own column. It
allows only this site's own files, and of inline scripts only those on the
page when it was built: each is allowed by its SHA-256 (Material writes
three; the first differs with the page's depth). Nothing is allowed by
'unsafe-inline' or 'unsafe-eval'. Scripts that only carry data (JSON-LD,
Material's configuration) are never run, but their hashes are listed too:
the Nu HTML Checker reads every inline script as covered by script-src, and
allowing a JSON text to run as a script can do nothing.

Runs after every other hook and plugin has changed the page, so the hashes
are those of the HTML that is published.

Under ``mkdocs serve`` (``make serve``) only, inline scripts are allowed
instead: MkDocs adds its live-reload script to every response it serves,
different each time, so no hash computed here could allow it.
"""

from __future__ import annotations

import base64
import hashlib
import re

from mkdocs.config.defaults import MkDocsConfig
from mkdocs.exceptions import PluginError
from mkdocs.plugins import event_priority, get_plugin_logger
from mkdocs.structure.pages import Page

_SCRIPT = re.compile(r"<script\b(?P<attrs>[^>]*)>(?P<body>.*?)</script>", re.DOTALL)
_HEAD = re.compile(r"<head>\s*(<meta charset=\"utf-8\">)?")

# Everything but scripts, which get their hashes per page. The search worker
# falls under script-src, its index under connect-src.
FIXED_DIRECTIVES = (
    "default-src 'none'",
    "style-src 'self'",
    "img-src 'self' data:",
    "font-src 'self'",
    "connect-src 'self'",
    "base-uri 'none'",
    "form-action 'none'",
)


log = get_plugin_logger(__name__)
# Set by on_startup: `mkdocs serve` injects a live-reload script no hash can allow.
_serving = False


def inline_script_hashes(html: str) -> list[str]:
    """CSP source expressions for every inline script (code or data), in page order."""
    hashes = []
    for script in _SCRIPT.finditer(html):
        if "src=" in script["attrs"]:
            continue
        digest = base64.b64encode(hashlib.sha256(script["body"].encode("utf-8")).digest()).decode("ascii")
        hashes.append(f"'sha256-{digest}'")
    return list(dict.fromkeys(hashes))


def policy(html: str, *, allow_inline_scripts: bool = False) -> str:
    sources = ["'unsafe-inline'"] if allow_inline_scripts else inline_script_hashes(html)
    script_src = " ".join(["script-src 'self'", *sources])
    return "; ".join([FIXED_DIRECTIVES[0], script_src, *FIXED_DIRECTIVES[1:]])


def add_policy(html: str) -> str:
    """The page with its policy as the first element of ``<head>`` (after the charset)."""
    head = _HEAD.search(html)
    if head is None:
        raise PluginError("hooks/csp.py: no <head> in a page; did Material's base.html change?")
    if 'http-equiv="Content-Security-Policy"' in html:
        raise PluginError("hooks/csp.py: a page already has a Content-Security-Policy")
    meta = f'\n    <meta http-equiv="Content-Security-Policy" content="{policy(html, allow_inline_scripts=_serving)}">'
    return f"{html[: head.end()]}{meta}{html[head.end() :]}"


def on_startup(*, command: str, dirty: bool) -> None:
    """Note whether the site is being served by `mkdocs serve`, with live reload."""
    global _serving
    _serving = command == "serve"
    if _serving:
        log.info("mkdocs serve: inline scripts allowed, for live reload; a build allows only their hashes")


@event_priority(-100)  # last, after every change to the HTML
def on_post_page(output: str, page: Page, config: MkDocsConfig) -> str:
    """Add the policy to each Markdown page."""
    return add_policy(output)


@event_priority(-100)
def on_post_template(output_content: str, template_name: str, config: MkDocsConfig) -> str:
    """Add it to the static HTML templates too (404.html)."""
    return add_policy(output_content) if template_name.endswith(".html") else output_content
