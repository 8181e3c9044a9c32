"""The Content-Security-Policy ``<meta>`` on every page, last of all changes (finish/policy.py).

Under ``mkdocs serve`` (``make serve``) only, inline scripts are allowed
instead: MkDocs adds its live-reload script to every response it serves,
different each time, so no hash computed here could allow it.
"""

from __future__ import annotations

from mkdocs.config.defaults import MkDocsConfig
from mkdocs.exceptions import PluginError
from mkdocs.plugins import event_priority, get_plugin_logger
from mkdocs.structure.pages import Page

from finish.html_fixes import SYSTEM_PALETTE
from finish.material import MaterialChanged
from finish.policy import PolicyError, add_policy

log = get_plugin_logger(__name__)
# Set by on_startup: `mkdocs serve` injects a live-reload script no hash can allow.
_serving = False


def _add_policy(html: str, page: str) -> str:
    try:
        return add_policy(html, page, additions=(SYSTEM_PALETTE,), serving=_serving)
    except (PolicyError, MaterialChanged) as error:
        raise PluginError(f"hooks/csp.py: {error}") from None


def on_startup(*, command: str, dirty: bool) -> None:
    """Note whether the site is being served by `mkdocs serve`, with live reload."""
    global _serving
    _serving = command == "serve"
    if _serving:
        log.info("mkdocs serve: inline scripts allowed, for live reload; a build allows only their hashes")


@event_priority(-100)  # last, after every change to the HTML
def on_post_page(output: str, page: Page, config: MkDocsConfig) -> str:
    """Add the policy to each Markdown page."""
    return _add_policy(output, page.file.dest_uri)


@event_priority(-100)
def on_post_template(output_content: str, template_name: str, config: MkDocsConfig) -> str:
    """Add it to the static HTML templates too (404.html)."""
    return _add_policy(output_content, template_name) if template_name.endswith(".html") else output_content
