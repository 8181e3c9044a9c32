"""The policy step allows only the inline scripts the build knows, and refuses a page with anything else."""

from __future__ import annotations

from pathlib import Path

import pytest
from facts import HTML_PAGES

from finish import OUR_SCRIPT_ADDITIONS
from finish.policy import PolicyError, add_policy, checked_inline_scripts

PAGES = list(HTML_PAGES)


def unfinished(site: Path, page: str) -> str:
    """A built page without its policy <meta>, as the policy step receives it."""
    html = (site / page).read_text(encoding="utf-8")
    start = html.index('\n    <meta http-equiv="Content-Security-Policy"')
    return html[:start] + html[html.index(">", start) + 1 :]


class TestKnownScripts:
    @pytest.mark.parametrize("page", PAGES)
    def test_every_built_page_passes_and_keeps_its_policy(self, site: Path, page: str) -> None:
        html = unfinished(site, page)
        assert add_policy(html, page, additions=OUR_SCRIPT_ADDITIONS) == (site / page).read_text(encoding="utf-8")

    def test_materials_palette_script_without_our_addition_is_known_only_when_asked(self, site: Path) -> None:
        html = unfinished(site, "index.html")
        # Material: base, palette, target and __config; ours: the palettes, JSON-LD and the search messages.
        assert len(checked_inline_scripts(html, "index.html", OUR_SCRIPT_ADDITIONS)) == 7
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
            add_policy(html, "index.html", additions=OUR_SCRIPT_ADDITIONS)
