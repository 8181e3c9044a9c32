"""Lossless: any text of Arabic, Latin, digits, diacritics and markup characters
comes back as the same visible text after rendering with the site's own
Markdown extensions, one block per line."""

from __future__ import annotations

import markdown
import pytest
from bs4 import BeautifulSoup
from conftest import REPO
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from mkdocs.config import load_config

from report2md import convert

ARABIC_LETTERS = "".join(chr(code) for code in range(0x0621, 0x064B))
DIACRITICS = "".join(chr(code) for code in range(0x064B, 0x0653))
MARKUP = "#*_[]()<>&|\\`~=^+{}:!-./\"'%@$;?,،؟؛“”«»"
ALPHABET = ARABIC_LETTERS + DIACRITICS + "abcXYZ" + "0123456789٠١٢٣" + MARKUP + " \u00a0"

# Not white space only (a no-break space is white space too): the converter refuses a file of such lines.
LINE = st.text(alphabet=ALPHABET, min_size=1, max_size=80).filter(lambda line: line.strip())
# Lines that a Markdown reader would take for syntax, mixed into the random ones.
HOSTILE = st.sampled_from(
    [
        "1. بند",
        "- بند",
        "> اقتباس",
        "    كود؟",
        '--8<-- "mkdocs.yml"',
        "!!! note",
        ":smile:",
        "<script>alert(1)</script>",
        "&amp; &lt;",
        "***",
        "===",
        "| a | b |",
        "{: #x }",
        "[^1]: حاشية",
        "<!-- تعليق -->",
        "  سطر بمسافتين  ",
    ]
)


@pytest.fixture(scope="module")
def site_markdown() -> markdown.Markdown:
    config = load_config(str(REPO / "mkdocs.yml"))
    return markdown.Markdown(extensions=config["markdown_extensions"], extension_configs=config["mdx_configs"])


def rendered_blocks(md: markdown.Markdown, text: str) -> list[tuple[int, str]]:
    md.reset()
    html = md.convert(convert(text.encode("utf-8"), "generated.txt").markdown)
    soup = BeautifulSoup(html, "html.parser")
    return [(int(tag["data-source-line"]), tag.get_text()) for tag in soup.find_all(attrs={"data-source-line": True})]


class TestEveryLineComesBackAsItself:
    @settings(max_examples=300, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
    @given(lines=st.lists(st.one_of(LINE, HOSTILE), min_size=1, max_size=6))
    def test_random_text(self, site_markdown: markdown.Markdown, lines: list[str]) -> None:
        expected = [(number, line) for number, line in enumerate(lines, start=1)]
        assert rendered_blocks(site_markdown, "\n".join(lines)) == expected

    def test_no_live_element_from_the_text(self, site_markdown: markdown.Markdown) -> None:
        site_markdown.reset()
        text = "أول.\n<script>alert(1)</script>\n<img src=x onerror=alert(1)>\n[رابط](javascript:alert(1))\n:smile:"
        html = site_markdown.convert(convert(text.encode(), "x.txt").markdown)
        soup = BeautifulSoup(html, "html.parser")
        assert soup.find_all(["script", "img", "a", "code", "em", "strong", "blockquote", "ol", "ul", "pre"]) == []
