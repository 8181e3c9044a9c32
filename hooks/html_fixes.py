"""Fixes to the HTML that Material's templates produce (finish/html_fixes.py), on every page and 404.html."""

from __future__ import annotations

from mkdocs.config.defaults import MkDocsConfig
from mkdocs.exceptions import PluginError
from mkdocs.structure.pages import Page

from finish.html_fixes import fix_page
from finish.material import MaterialChanged


def _fix(html: str, page: str) -> str:
    try:
        return fix_page(html)
    except MaterialChanged as error:
        raise PluginError(f"hooks/html_fixes.py: {page}: {error}") from None


def on_post_page(output: str, page: Page, config: MkDocsConfig) -> str:
    """Fix each Markdown page."""
    return _fix(output, page.file.dest_uri)


def on_post_template(output_content: str, template_name: str, config: MkDocsConfig) -> str:
    """Fix the static HTML templates too (404.html); leave sitemap.xml alone."""
    return _fix(output_content, template_name) if template_name.endswith(".html") else output_content
