"""The finishing stage (finish/) on the built site: fonts, fixes, theme colour, inline style, policy, in that order.

Runs once, after MkDocs and every plugin have written site/. Under
``mkdocs serve`` (``make serve``) the policy allows inline scripts instead
of hashing them: MkDocs adds its live-reload script to every response, a
different one each time.
"""

from __future__ import annotations

from pathlib import Path

from mkdocs.config.defaults import MkDocsConfig
from mkdocs.exceptions import PluginError
from mkdocs.plugins import event_priority, get_plugin_logger
from shared import project_root

from finish import FinishError, finish_site
from finish.theme_color import config_theme_color_metas
from sitefonts import missing_files

log = get_plugin_logger(__name__)


def on_startup(*, command: str, dirty: bool) -> None:
    """Note whether the site is being served by `mkdocs serve`, with live reload."""
    global _serving
    _serving = command == "serve"
    if _serving:
        log.info("mkdocs serve: inline scripts allowed, for live reload; a build allows only their hashes")


_serving = False


def _theme_color_metas(config: MkDocsConfig) -> str:
    return config_theme_color_metas(config.docs_dir, config.extra_css, config.theme.get("palette"))


def on_config(config: MkDocsConfig) -> MkDocsConfig:
    """Check the source fonts and the palettes' colours before anything is built."""
    missing = missing_files(project_root(config) / "fonts")
    if missing:
        raise PluginError(f"hooks/finish_site.py: missing source font(s) in fonts/: {', '.join(missing)}")
    try:
        _theme_color_metas(config)
    except FinishError as error:
        raise PluginError(f"hooks/finish_site.py: {error}") from None
    return config


@event_priority(-100)  # after every other hook and plugin has written site/
def on_post_build(config: MkDocsConfig) -> None:
    """Finish every page of site/; when that fails, remove the pages this build wrote.

    Left there, they would have no policy, and a page the policy step
    refused holds what it refused (for `make serve`, or an upload by hand).
    """
    site_dir = Path(config.site_dir)
    try:
        finish_site(
            site_dir,
            fonts_dir=project_root(config) / "fonts",
            theme_color_metas=_theme_color_metas(config),
            serving=_serving,
        )
    except FinishError as error:
        for page in site_dir.rglob("*.html"):
            page.unlink()
        raise PluginError(f"hooks/finish_site.py: {error}; the unfinished pages were removed from {site_dir}") from None
