"""Fixes to the HTML that Material's templates produce, made on the output.

Done here rather than by copying Material's templates, so that an update of
Material (or a move to its successor) keeps working with the fix or makes
it visibly unnecessary:

* ``dir`` on ``<html>``: Material puts it only on ``<body>``; browsers, the
  Nu HTML Checker and screen readers read the document's direction from the
  root element.
"""

from __future__ import annotations

import re

from mkdocs.config.defaults import MkDocsConfig
from mkdocs.exceptions import PluginError
from mkdocs.structure.pages import Page

_HTML_TAG = re.compile(r"<html\b(?P<attrs>[^>]*)>")
_BODY_DIR = re.compile(r'<body\b[^>]*\bdir="(?P<dir>ltr|rtl|auto)"')


def add_root_direction(output: str) -> str:
    """Copy the direction Material gave ``<body>`` onto ``<html>``."""
    body = _BODY_DIR.search(output)
    root = _HTML_TAG.search(output)
    if body is None or root is None:
        raise PluginError("hooks/html_fixes.py: no <html> tag or no dir on <body>; did Material's base.html change?")
    if "dir=" in root["attrs"]:
        return output
    return f'{output[: root.end() - 1]} dir="{body["dir"]}">{output[root.end() :]}'


def fix_page(output: str) -> str:
    """Apply every fix to one rendered HTML document."""
    return add_root_direction(output)


def on_post_page(output: str, page: Page, config: MkDocsConfig) -> str:
    """Fix each Markdown page."""
    return fix_page(output)


def on_post_template(output_content: str, template_name: str, config: MkDocsConfig) -> str:
    """Fix the static HTML templates too (404.html); leave sitemap.xml alone."""
    return fix_page(output_content) if template_name.endswith(".html") else output_content
