"""The policy step allows only the inline scripts and styles the build knows, and refuses a page with anything else."""

from __future__ import annotations

from pathlib import Path

import pytest
from facts import HTML_PAGES

from finish import OUR_SCRIPTS
from finish.policy import PolicyError, add_policy, checked_inline_scripts

PAGES = list(HTML_PAGES)


def unfinished(site: Path, page: str) -> str:
    """A built page without its policy <meta>, as the policy step receives it."""
    html = (site / page).read_text(encoding="utf-8")
    start = html.index('\n    <meta http-equiv="Content-Security-Policy"')
    return html[:start] + html[html.index(">", start) + 1 :]


def written_style(site: Path, page: str) -> list[str]:
    """The inline style the build wrote on a built page: the text between its one <style> and </style>."""
    html = (site / page).read_text(encoding="utf-8")
    return [html[html.index("<style>") + len("<style>") : html.index("</style>")]]


class TestKnownScripts:
    @pytest.mark.parametrize("page", PAGES)
    def test_every_built_page_passes_and_keeps_its_policy(self, site: Path, page: str) -> None:
        html = unfinished(site, page)
        published = (site / page).read_text(encoding="utf-8")
        assert add_policy(html, page, own_scripts=OUR_SCRIPTS, styles=written_style(site, page)) == published

    def test_our_palette_script_is_known_only_when_asked(self, site: Path) -> None:
        html = unfinished(site, "index.html")
        # Material: base, palette, target and __config; ours: the system palette and the text's reveal, and the
        # palettes, the first fonts, JSON-LD and the search messages (JSON).
        assert len(checked_inline_scripts(html, "index.html", OUR_SCRIPTS)) == 10
        with pytest.raises(PolicyError, match=r"index\.html: unknown inline <script"):
            checked_inline_scripts(html, "index.html")


HOSTILE = {
    "unknown script": ("<script>alert(1)</script>", "unknown inline <script"),
    "script in a data block's clothing": ('<script type="text/plain">alert(1)</script>', "unknown inline"),
    "JSON-LD that closes its element": ('<script type="application/ld+json">{"a": "<"}</script>', "unknown inline"),
    "event handler": ("<img src=x onerror=alert(1)>", "event handler attribute onerror"),
    "script address": ("<a href='javascript:alert(1)'>x</a>", "javascript: address"),
    "script address behind a tab": ("<a href='java&#9;script:alert(1)'>x</a>", "javascript: address"),
    "script address behind a newline": ("<a href='\njavas\ncript:alert(1)'>x</a>", "javascript: address"),
    "script after <!-->": ("<!--><script>alert(1)</script>-->", "comment holding"),
    "script after <!--->": ("<!---><script>alert(1)</script>-->", "comment holding"),
    "script after --!>": ("<!-- x --!><script>alert(1)</script>-->", "comment holding"),
    "script after a CDATA's first >": ("<![CDATA[ x><script>alert(1)</script>]]>", "CDATA"),
    "refresh": ("<meta http-equiv=refresh content='0;url=https://example.org/'>", "http-equiv"),
    "frame": ("<iframe srcdoc='x'></iframe>", "srcdoc"),
}


class TestAnythingElseFailsNamingThePage:
    @pytest.mark.parametrize("case", HOSTILE)
    def test_refused(self, site: Path, case: str) -> None:
        injected, problem = HOSTILE[case]
        html = unfinished(site, "index.html").replace("</article>", injected + "</article>", 1)
        with pytest.raises(PolicyError, match=f"^index.html: .*{problem}"):
            add_policy(html, "index.html", own_scripts=OUR_SCRIPTS, styles=written_style(site, "index.html"))


class TestOnlyTheStyleTheBuildWrote:
    """An inline style gets a hash only when it is the one the build wrote: an injected one would be allowed too."""

    @pytest.mark.parametrize(
        "where", ["</article>", "</head>", "<body"], ids=["in the article", "a second in <head>", "before <body>"]
    )
    def test_another_style_is_refused(self, site: Path, where: str) -> None:
        injected = "<style>body{display:none}</style>"
        html = unfinished(site, "index.html").replace(where, injected + where, 1)
        with pytest.raises(
            PolicyError,
            match=r"^index\.html: inline <style> elements that are not the ones the build wrote \(2 found, 1 written\)",
        ):
            add_policy(html, "index.html", own_scripts=OUR_SCRIPTS, styles=written_style(site, "index.html"))

    def test_a_changed_style_is_refused(self, site: Path) -> None:
        html = unfinished(site, "index.html").replace("<style>", "<style>body{display:none}", 1)
        with pytest.raises(
            PolicyError, match=r"^index\.html: inline <style> elements that are not .* \(1 found, 1 written\)"
        ):
            add_policy(html, "index.html", own_scripts=OUR_SCRIPTS, styles=written_style(site, "index.html"))
