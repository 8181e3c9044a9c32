"""Permalinks on every heading and every paragraph of the report.

Python-Markdown's toc extension can only put permalinks on headings, with
no accessible name of their own. This hook adds one link per anchored block
instead: an empty <a> (its sign is drawn by CSS, so copying the text never
copies it) with an Arabic aria-label from source/report.yml (read through
generate/, not from another hook). report.js
turns a click into "copy the URL" with a short confirmation; without
JavaScript the link still works as a plain link.
"""

from __future__ import annotations

import html
import re

from mkdocs.config.defaults import MkDocsConfig
from mkdocs.structure.files import Files
from mkdocs.structure.pages import Page
from shared import project_root

from generate.site import read_inputs

# Headings with an id (every page), and the report's paragraphs (data-source-line).
_ANCHORED = re.compile(
    r'<(?P<tag>h[2-6]|p)(?P<attrs>[^>]*?\bid="(?P<id>[^"]+)"[^>]*)>(?P<body>.*?)</(?P=tag)>',
    re.DOTALL,
)
_TAGS = re.compile(r"<[^>]+>")


def permalink(anchor: str, label: str, copied: str) -> str:
    return (
        f'<a class="permalink" href="#{html.escape(anchor)}" aria-label="{html.escape(label)}"'
        f' data-copied="{html.escape(copied)}"></a>'
    )


def on_page_content(content: str, page: Page, config: MkDocsConfig, files: Files) -> str:
    """Append a permalink to each heading with an id and to each source paragraph."""
    labels = read_inputs(project_root(config)).additions.labels

    def add(match: re.Match[str]) -> str:
        tag, attrs, anchor, body = match["tag"], match["attrs"], match["id"], match["body"]
        if tag == "p":
            if "data-source-line" not in attrs:
                return match[0]
            label = f"{labels.permalink} {anchor.removeprefix('p-')}"
        else:
            heading = html.unescape(_TAGS.sub("", body)).strip()
            label = f"{labels.heading_permalink}: {heading}"
        return f"<{tag}{attrs}>{body}{permalink(anchor, label, labels.copied)}</{tag}>"

    return _ANCHORED.sub(add, content)
