"""The policy step allows only the scripts and styles the build knows, and refuses a page with anything else."""

from __future__ import annotations

import re
from pathlib import Path

import pytest
import yaml
from conftest import build_site, copy_project, site_that_was
from facts import HTML_PAGES, REPO

from finish.fixes import OUR_SCRIPTS
from finish.html import Element, FinishError, parse
from finish.policy import Known, PolicyError, check_page, policy, source_hash

PAGES = list(HTML_PAGES)


def unfinished(site: Path, page: str, change: tuple[str, str] = ("", "")) -> Element:
    """A built page without its policy <meta>, as the policy step receives it, with ``change`` made to its text."""
    html = (site / page).read_text(encoding="utf-8").replace(*change, 1)
    root = parse(html)
    head = root.find("head")
    head.remove(next(m for m in head if m.get("http-equiv") == "Content-Security-Policy"))
    return root


def scripts(site: Path) -> set[str]:
    """The site's own script files, found in the built site."""
    return {path.relative_to(site).as_posix() for path in (site / "assets" / "javascripts").glob("*.js")}


def check(site: Path, root: Element, page: str = "index.html", own_scripts: tuple[str, ...] = OUR_SCRIPTS) -> list:
    styles = [style.text for style in parse((site / page).read_text(encoding="utf-8")).iter("style")]
    return check_page(root, page, Known(own_scripts, styles, scripts(site), "https://example.org/report/"))[0]


class TestKnownScripts:
    @pytest.mark.parametrize("page", PAGES)
    def test_every_built_page_passes(self, site: Path, page: str) -> None:
        assert check(site, unfinished(site, page), page)

    def test_our_scripts_are_known_only_when_asked(self, site: Path) -> None:
        # Material: base, palette, target and __config; ours: the system palette, and the palettes, JSON-LD and
        # the search messages (JSON).
        assert len(check(site, unfinished(site, "index.html"))) == 8
        with pytest.raises(PolicyError, match=r"index\.html: unknown inline <script"):
            check(site, unfinished(site, "index.html"), own_scripts=())


HOSTILE = {
    "unknown script": ("<script>alert(1)</script>", "unknown inline <script"),
    "script in a data block's clothing": ('<script type="text/plain">alert(1)</script>', "unknown inline"),
    "JSON-LD that closes its element": ('<script type="application/ld+json">{"a": "<"}</script>', "unknown inline"),
    "a script file from a sibling site": ('<script src="../../other-project/x.js"></script>', "not one of the site's"),
    "a script file from another site": ('<script src="https://example.org/x.js"></script>', "not one of the site's"),
    "the download as a script": ('<script src="report.ar.txt"></script>', "not one of the site's scripts"),
    "event handler": ("<img src=x onerror=alert(1)>", "event handler attribute onerror"),
    "script address": ("<a href='javascript:alert(1)'>x</a>", "javascript: address"),
    "script address behind a tab": ("<a href='java&#9;script:alert(1)'>x</a>", "javascript: address"),
    "script address behind a newline": ("<a href='\njavas\ncript:alert(1)'>x</a>", "javascript: address"),
    "script after <!-->": ("<!--><script>alert(1)</script>-->", "a comment"),
    "script after --!>": ("<!-- x --!><script>alert(1)</script>-->", "unknown inline <script"),
    "script after a CDATA's first >": ("<![CDATA[ x><script>alert(1)</script>]]>", "unknown inline <script"),
    "refresh": ("<meta http-equiv=refresh content='0;url=https://example.org/'>", "http-equiv"),
    "frame with a document": ("<iframe srcdoc='x'></iframe>", "srcdoc"),
    "frame": ("<iframe src='https://example.org/'></iframe>", "<iframe> is not allowed"),
    "base address": ("<base href='https://example.org/'>", "<base> is not allowed"),
    "object": ("<object data='https://example.org/x.swf'></object>", "<object> is not allowed"),
    "embed": ("<embed src='https://example.org/x.swf'>", "<embed> is not allowed"),
}


class TestAnythingElseFailsNamingThePage:
    @pytest.mark.parametrize("case", HOSTILE)
    def test_refused(self, site: Path, case: str) -> None:
        injected, problem = HOSTILE[case]
        root = unfinished(site, "index.html", ("</article>", injected + "</article>"))
        with pytest.raises(PolicyError, match=f"^index.html: .*{problem}"):
            check(site, root)


class TestOnlyTheStyleTheBuildWrote:
    """An inline style gets a hash only when it is the one the build wrote: an injected one would be allowed too."""

    @pytest.mark.parametrize(
        "where", ["</article>", "</head>", "<body"], ids=["in the article", "a second in <head>", "before <body>"]
    )
    def test_another_style_is_refused(self, site: Path, where: str) -> None:
        root = unfinished(site, "index.html", (where, "<style>body{display:none}</style>" + where))
        with pytest.raises(
            PolicyError,
            match=r"^index\.html: inline <style> elements that are not the ones the build wrote \(2 found, 1 written\)",
        ):
            check(site, root)

    def test_a_changed_style_is_refused(self, site: Path) -> None:
        root = unfinished(site, "index.html", ("<style>", "<style>body{display:none}"))
        with pytest.raises(
            PolicyError, match=r"^index\.html: inline <style> elements that are not .* \(1 found, 1 written\)"
        ):
            check(site, root)


def directives(text: str) -> dict[str, list[str]]:
    return {name: values for name, *values in (part.split() for part in text.split("; "))}


class TestTheSitesOwnAddress:
    """Files are allowed by the site's address with its path: a project site shares its origin with its siblings."""

    def test_each_kind_of_file_by_the_address_never_the_origin(self) -> None:
        site = "https://owner.github.io/report/"
        found = directives(policy(site, ["a()"], ["p{}"]))
        assert found["script-src"] == [site, source_hash("a()")]
        assert found["style-src"] == [site, source_hash("p{}")]
        assert found["img-src"] == found["font-src"] == [site, "data:"]
        assert found["connect-src"] == [site, "https://owner.github.io/robots.txt"]  # that one file of the host
        assert found["default-src"] == found["base-uri"] == found["form-action"] == ["'none'"]
        assert not [s for values in found.values() for s in values if s in ("'self'", "https://owner.github.io/")]

    def test_under_serve_the_live_reload_script_and_its_requests(self) -> None:
        site = "http://127.0.0.1:8000/report/"
        served, built = directives(policy(site, ["a()"], serving=True)), directives(policy(site, ["a()"]))
        assert served["script-src"] == [site, "'unsafe-inline'"]
        assert served["connect-src"] == [site, "http://127.0.0.1:8000/robots.txt", "http://127.0.0.1:8000/livereload/"]
        assert "/livereload/" not in str(built["connect-src"]) and "'unsafe-inline'" not in built["script-src"]

    @pytest.mark.parametrize("site", ["https://example.org/a;script-src/", "https://example.org/a b/", "/report/"])
    def test_an_address_that_is_not_one_source_is_refused(self, site: str) -> None:
        with pytest.raises(FinishError, match="cannot be a Content-Security-Policy source"):
            policy(site, [])

    def test_served_on_every_interface_it_is_allowed_at_whichever_address_reaches_it(self) -> None:
        """`mkdocs serve -a 0.0.0.0:8000`, opened from a phone at the machine's own address: its port and path."""
        found = directives(policy("http://0.0.0.0:8000/report/", [], serving=True))
        assert found["script-src"][0] == found["img-src"][0] == "http://*:8000/report/"
        assert found["connect-src"][::2] == ["http://*:8000/report/", "http://*:8000/livereload/"]


OVERRIDES = yaml.safe_load((REPO / "tests" / "hostile" / "overrides" / "cases.yml").read_text(encoding="utf-8"))


class TestWhatATemplateAddsIsCheckedToo:
    """overrides/ is an input like the others: what a template adds to the pages meets the policy step at build."""

    @pytest.mark.parametrize("case", OVERRIDES, ids=[case["name"] for case in OVERRIDES])
    def test_refused_naming_the_page_and_the_site_left_as_it_was(self, tmp_path: Path, case: dict[str, str]) -> None:
        project = copy_project(tmp_path / "project")
        template = project / "overrides" / "main.html"
        added = "{% block footer %}{{ super() }}" + case["html"] + "{% endblock %}\n"
        template.write_text(template.read_text(encoding="utf-8") + added, encoding="utf-8")
        site = site_that_was(tmp_path)
        result = build_site(project, site)
        assert result.returncode != 0
        assert re.search(r"ERROR +- +hooks/render\.py: 404\.html: .*" + re.escape(case["refused"]), result.stderr), (
            result.stderr
        )
        assert "(step: Content-Security-Policy)" in result.stderr
        assert [p.name for p in site.iterdir()] == ["index.html"]
        assert (site / "index.html").read_text(encoding="utf-8") == "the site as it was"
