"""finish/critical_css.py: the stylesheets cut to what the site can match, and each page's inline first screen."""

from __future__ import annotations

import base64
import hashlib
import json
import re
from pathlib import Path

import pytest
import tinycss2
from conftest import build_site, copy_project, page_soup
from facts import HTML_PAGES

from finish.critical_css import SiteCss, UnsafeStyle, inline_styles, inline_text, parse_css, site_vocabulary
from finish.html import parse
from finish.html import serialize as write_page
from finish.material import MaterialChanged

PAGE = """<!doctype html><html><head><title>t</title></head><body dir="rtl" data-md-color-scheme="default">
<input class="md-toggle" type="checkbox" data-md-color-scheme="slate">
<header class="md-header"><a class="md-header__button" href="#">x</a></header>
<main><article class="md-typeset"><h1>t</h1><p>p<br>q</p></article></main></body></html>"""
# What a runtime script writes: Material's bundle creates its search results, say.
SCRIPT = 'e.append(h("li",{class:"md-search-result__item"}));b.style.setProperty("--md-script-var","1")'


def site_css(css: str, page: str, script: str, closed: tuple[str, ...]) -> SiteCss:
    """The build's SiteCss of ``css`` for one page, ``page``."""
    root = parse(page)
    return SiteCss(parse_css(css), {"page": root}, site_vocabulary([root], [script]), closed)


def pruned(css: str, script: str = SCRIPT) -> str:
    return tinycss2.serialize(site_css(css, PAGE, script, ()).pruned)


def first(css: str, page: str = PAGE, closed: tuple[str, ...] = ()) -> str:
    return tinycss2.serialize(site_css(css, page, SCRIPT, closed).first_screen("page"))


# A drawer as Material's: closed on narrow screens, its content clipped off-screen.
DRAWER_PAGE = PAGE.replace(
    "<main>", '<nav class="md-drawer"><ul class="md-nav__list"><li class="md-nav__item">x</li></ul></nav><main>'
)


class TestPruneKeepsWhatTheSiteCanMatch:
    def test_a_rule_for_an_element_of_a_page_stays(self) -> None:
        assert pruned(".md-typeset h1{color:red}") == ".md-typeset h1{color:red}"

    def test_a_rule_for_a_class_no_page_or_script_has_goes(self) -> None:
        assert pruned(".admonition{color:red}.md-header{color:blue}") == ".md-header{color:blue}"

    def test_a_class_only_a_script_writes_stays(self) -> None:
        assert pruned(".md-search-result__item{color:red}") == ".md-search-result__item{color:red}"
        assert pruned(".md-search-result__item{color:red}", script="") == ""

    def test_a_word_outside_a_scripts_strings_does_not_count(self) -> None:
        assert pruned(".admonition{color:red}", script="var admonition=1") == ""

    def test_an_unknown_selector_leaves_the_list_the_known_one_stays(self) -> None:
        assert pruned(".tabbed-set,.md-header{color:red}") == ".md-header{color:red}"

    def test_state_pseudo_classes_do_not_hide_a_rule(self) -> None:
        css = '.md-header__button:hover{color:red}.md-typeset p::before{content:"x"}'
        assert pruned(css) == css

    def test_an_attribute_value_no_page_uses_goes(self) -> None:
        assert pruned("[data-md-color-scheme=slate]{color:red}[data-md-color-scheme=other]{color:blue}") == (
            "[data-md-color-scheme=slate]{color:red}"
        )


class TestPruneAtRules:
    def test_media_keeps_what_it_holds_that_is_kept(self) -> None:
        assert pruned("@media screen{.admonition{color:red}.md-header{color:blue}}") == (
            "@media screen{.md-header{color:blue}}"
        )

    def test_an_emptied_media_goes(self) -> None:
        assert pruned("@media screen{.admonition{color:red}}") == ""

    def test_keyframes_stay_only_when_a_kept_rule_names_them(self) -> None:
        css = "@keyframes spin{to{opacity:0}}@keyframes gone{to{opacity:0}}.md-header{animation:spin 1s}"
        assert pruned(css) == "@keyframes spin{to{opacity:0}}.md-header{animation:spin 1s}"

    def test_font_faces_stay_only_when_a_kept_rule_names_their_family(self) -> None:
        css = (
            '@font-face{font-family:"A";src:url(a.woff2)}@font-face{font-family:"B";src:url(b.woff2)}p{font-family:"A"}'
        )
        assert pruned(css) == '@font-face{font-family:"A";src:url(a.woff2)}p{font-family:"A"}'

    @pytest.mark.parametrize("at_rule", ["@layer base{.md-header{color:red}}", "@container (width>1px){p{color:red}}"])
    def test_a_block_at_rule_it_does_not_know_stops_the_build(self, at_rule: str) -> None:
        with pytest.raises(MaterialChanged, match="stylesheet at-rules"):
            pruned(at_rule)


class TestPruneCustomProperties:
    def test_one_nothing_reads_goes(self) -> None:
        assert pruned(":root{--a:1;--b:2}p{margin:var(--a)}") == ":root{--a:1}p{margin:var(--a)}"

    def test_one_read_through_another_stays(self) -> None:
        assert pruned(":root{--a:var(--b);--b:2}p{margin:var(--a)}") == ":root{--a:var(--b);--b:2}p{margin:var(--a)}"

    def test_one_a_script_names_stays(self) -> None:
        assert pruned(":root{--md-script-var:1}") == ":root{--md-script-var:1}"

    def test_a_rule_left_with_no_declaration_goes(self) -> None:
        assert pruned(":root{--unused:1}") == ""


class TestFirstScreen:
    def test_only_rules_matching_the_page_as_built(self) -> None:
        css = ".md-typeset p{color:red}.md-search-result__item{color:blue}"
        assert first(css) == ".md-typeset p{color:red}"

    def test_a_state_matches_as_if_it_held(self) -> None:
        assert first(".md-header__button:hover{color:red}") == ".md-header__button:hover{color:red}"

    def test_a_palette_attribute_value_the_site_uses_matches(self) -> None:
        """Material's script sets the saved or system palette on <body> before the first paint."""
        css = "[data-md-color-scheme=slate]{color:red}"
        assert first(css) == css

    def test_print_is_left_out(self) -> None:
        assert first("@media print{.md-header{display:none}}.md-header{color:red}") == ".md-header{color:red}"


class TestFirstScreenIsForNarrowScreens:
    """The share serves screens narrower than Material's 60em breakpoint; wider ones wait for the whole stylesheet."""

    def test_what_only_a_closed_container_holds_is_left_out(self) -> None:
        css = ".md-drawer{position:fixed}.md-nav__item{color:red}.md-nav__list{margin:0}"
        assert first(css, DRAWER_PAGE, (".md-drawer",)) == ".md-drawer{position:fixed}"
        assert first(css, DRAWER_PAGE) == css

    def test_a_rule_that_also_matches_outside_stays(self) -> None:
        css = ".md-nav__item,.md-typeset h1{color:red}.md-drawer li,.md-drawer p{margin:0}"
        assert first(css, DRAWER_PAGE, (".md-drawer",)) == ".md-typeset h1{color:red}"

    @pytest.mark.parametrize(
        ("media", "wide_only"),
        [
            ("screen and (min-width:60em)", True),
            ("screen and (min-width:76.25em)", True),
            ("screen and (min-width:60em) and (max-width:76.234375em)", True),
            ("(min-width:100em),(min-width:125em)", True),
            ("screen and (max-width:76.234375em)", False),
            ("screen and (min-width:45em)", False),
            ("screen and (min-width:45em) and (max-width:59.984375em)", False),
            ("(min-width:60em),(max-width:30em)", False),
            # Forms the step does not read (a ``not``, a range, pixels): kept, to be safe.
            ("not screen and (min-width:60em)", False),
            ("(width>=60em)", False),
            ("(min-width:960px)", False),
        ],
    )
    def test_media_that_holds_only_on_wide_screens_is_left_out(self, media: str, wide_only: bool) -> None:
        css = f"@media {media}{{.md-header{{color:red}}}}.md-typeset h1{{margin:0}}"
        assert first(css) == (".md-typeset h1{margin:0}" if wide_only else css)

    def test_a_closed_container_no_page_has_stops_the_build(self) -> None:
        with pytest.raises(MaterialChanged, match=r"closed when narrow.*no element matches \.md-sidebar--primary"):
            first(".md-header{color:red}", PAGE, (".md-sidebar--primary",))


class TestInlineTextCannotEndTheStyleElement:
    """A value from a stylesheet (extra_css) that holds '</style>' stays CSS: escaped, or the build stops."""

    def test_markup_in_a_string_is_escaped_and_means_the_same(self) -> None:
        rules = tinycss2.parse_stylesheet('p::after{content:"</style><script>alert(1)</script>"}')
        text = inline_text(rules, "page.html", "assets/stylesheets/")
        assert "<" not in text
        declaration = tinycss2.parse_blocks_contents(tinycss2.parse_stylesheet(text)[0].content)[0]
        value = next(token for token in declaration.value if token.type == "string").value
        assert value == "</style><script>alert(1)</script>"

    def test_markup_in_a_url_is_escaped(self) -> None:
        rules = tinycss2.parse_stylesheet("""p{background:url('data:image/svg+xml;utf8,<svg></svg>')}""")
        text = inline_text(rules, "page.html", "assets/stylesheets/")
        assert "<" not in text and "\\3c svg" in text

    def test_markup_outside_strings_is_refused_naming_the_page(self) -> None:
        rules = tinycss2.parse_stylesheet("p{--palette:</style><script>alert(1)</script>}")
        with pytest.raises(UnsafeStyle, match=r"page\.html.*'<' outside a string"):
            inline_text(rules, "page.html", "assets/stylesheets/")


class TestInlineTextAddresses:
    def test_relative_urls_are_read_from_the_page(self) -> None:
        rules = tinycss2.parse_stylesheet('@font-face{src:url("../fonts/a.woff2")}p{background:url(../i.svg)}')
        text = inline_text(rules, "p/index.html", "../assets/stylesheets/")
        assert 'url("../assets/fonts/a.woff2")' in text and 'url("../assets/i.svg")' in text

    def test_a_rewritten_address_is_quoted_whatever_it_holds(self) -> None:
        # An unquoted url() ends at ')' and breaks at a quote, a space or a backslash.
        rules = tinycss2.parse_stylesheet(r"p{background:url(a\)b\ c\'d.svg)}")
        text = inline_text(rules, "p/index.html", "../assets/stylesheets/")
        (rule,) = tinycss2.parse_stylesheet(text)
        (url,) = [token for token in rule.content if token.type in ("url", "function")]
        assert (url.value if url.type == "url" else url.arguments[0].value) == "../assets/stylesheets/a)b c'd.svg"

    def test_data_and_absolute_urls_stay(self) -> None:
        rules = tinycss2.parse_stylesheet('p{background:url("data:image/png;base64,AA")}a{b:url(/x.svg)}')
        text = inline_text(rules, "p/index.html", "../assets/stylesheets/")
        assert 'url("data:image/png;base64,AA")' in text and "url(/x.svg)" in text


STEP_PAGE = """<html><head><meta charset="utf-8">
    <link rel="stylesheet" href="../assets/stylesheets/main.1.min.css">
    <link rel="stylesheet" href="../assets/stylesheets/palette.2.min.css">
    <link rel="stylesheet" href="../assets/stylesheets/report.css">
</head><body><p>x</p></body></html>"""


class TestInlineStylesStep:
    def test_head_links_become_one_style_the_stylesheet_for_wide_screens_and_last(self) -> None:
        root = parse(STEP_PAGE)
        inline_styles(root, "p{color:red}", "assets/stylesheets/report.css")
        head, body = write_page(root).split("</head>")
        assert "<style>p{color:red}</style>" in head
        assert re.findall(r"<link[^>]*>", head) == [
            '<link rel="stylesheet" href="../assets/stylesheets/report.css" media="screen and (min-width:60em)">'
        ]
        assert re.findall(r"<link[^>]*>", body) == [
            '<link rel="stylesheet" href="../assets/stylesheets/report.css" fetchpriority="low">'
        ]
        assert body.rstrip().endswith("</body></html>")

    def test_a_page_without_the_sites_stylesheet_fails(self) -> None:
        with pytest.raises(MaterialChanged, match="stylesheet links"):
            inline_styles(parse(STEP_PAGE.replace("report.css", "other.css")), "", "assets/stylesheets/report.css")


def sha256(text: str) -> str:
    return f"'sha256-{base64.b64encode(hashlib.sha256(text.encode()).digest()).decode()}'"


class TestBuiltPages:
    @pytest.mark.parametrize("page", HTML_PAGES)
    def test_no_render_blocking_stylesheet_in_head_for_narrow_screens(self, site: Path, page: str) -> None:
        document = page_soup(site, page)
        assert [link.get("media") for link in document.head.find_all("link", rel="stylesheet")] == [
            "screen and (min-width:60em)"
        ]
        links = document.body.find_all("link", rel="stylesheet")
        assert [link.get("fetchpriority") for link in links] == ["low"]

    @pytest.mark.parametrize("page", HTML_PAGES)
    def test_the_inline_style_is_allowed_by_its_hash(self, site: Path, server: str, page: str) -> None:
        document = page_soup(site, page)
        styles = document.find_all("style")
        assert len(styles) == 1 and styles[0].parent.name == "head"
        policy = document.find("meta", attrs={"http-equiv": "Content-Security-Policy"})["content"]
        style_src = re.search(r"style-src ([^;]*)", policy)[1].split()
        assert style_src == [server, sha256(styles[0].string)]

    def test_the_webfont_faces_block_so_no_line_moves_when_they_arrive(self, site: Path) -> None:
        """Text drawn before its font, in another face, would break its lines elsewhere, then move."""
        style = page_soup(site, "index.html").find("style").string
        faces = re.findall(r'@font-face\{font-family:"Report Naskh";[^}]*\}', style)
        assert faces and all("font-display:block" in face for face in faces)

    @pytest.mark.parametrize("page", HTML_PAGES)
    def test_the_share_has_no_rule_for_what_narrow_screens_keep_closed(self, site: Path, page: str) -> None:
        style = page_soup(site, page).find("style").string
        stylesheet = (site / "assets" / "stylesheets" / "report.css").read_text(encoding="utf-8")
        for name in (".md-nav__link", ".md-search__input", ".md-search-result__meta", ".md-sidebar__inner"):
            assert name in stylesheet and name not in style, name

    @pytest.mark.parametrize("page", HTML_PAGES)
    def test_wide_screens_wait_for_the_whole_stylesheet(self, site: Path, page: str) -> None:
        """From 60em the stylesheet is linked in <head> too, after the share: render-blocking there, as stock's."""
        head = page_soup(site, page).head
        links = head.find_all("link", rel="stylesheet")
        assert [link.get("media") for link in links] == ["screen and (min-width:60em)"]
        assert head.find("style").find_next_sibling("link", rel="stylesheet") is links[0]

    @pytest.mark.parametrize("page", HTML_PAGES)
    def test_what_the_closed_containers_hold_waits_for_the_whole_stylesheet(self, site: Path, page: str) -> None:
        """Not rendered before (the share has no rule for it); given back, in the same cascade layer, after."""
        style = page_soup(site, page).find("style").string
        stylesheet = (site / "assets" / "stylesheets" / "report.css").read_text(encoding="utf-8")
        closed = ".md-sidebar--primary .md-sidebar__scrollwrap>*,.md-search__inner>*,.md-sidebar--secondary>*"
        assert f"@layer report-first-screen{{{closed}{{display:none}}}}" in style
        assert stylesheet.endswith(f"@layer report-first-screen{{{closed}{{display:revert-layer}}}}")

    def test_materials_stylesheets_are_merged_into_one(self, site: Path) -> None:
        assert sorted(path.name for path in (site / "assets" / "stylesheets").iterdir()) == ["report.css"]


class TestHostileStylesheet:
    """A stylesheet of extra_css with a '</style>' in a value: escaped in the inline copy, or the build stops."""

    def test_in_a_string_the_page_holds_it_escaped(self, tmp_path: Path) -> None:
        project = copy_project(tmp_path / "project")
        css = project / "docs" / "assets" / "stylesheets" / "report.css"
        css.write_text(css.read_text() + '\n.md-typeset h1::after{content:"</style><script>alert(1)</script>"}\n')
        result = build_site(project, tmp_path / "site")
        assert result.returncode == 0, result.stderr
        style = page_soup(tmp_path / "site", "index.html").find("style").string
        assert "\\3c /style\\3e \\3c script\\3e alert(1)" in style
        assert "</style><script>" not in (tmp_path / "site" / "index.html").read_text()

    def test_outside_a_string_the_build_fails_naming_the_page(self, tmp_path: Path) -> None:
        project = copy_project(tmp_path / "project")
        css = project / "docs" / "assets" / "stylesheets" / "report.css"
        css.write_text(css.read_text() + "\n.md-typeset h1{--x:</style><script>alert(1)</script>;color:var(--x)}\n")
        result = build_site(project, tmp_path / "site")
        assert result.returncode != 0
        assert re.search(r"\S+\.html \(inline style\): a '<' outside a string", result.stderr), result.stderr

    @pytest.mark.parametrize("href", ["OUTSIDE", "css/extra.css", "https://example.org/x.css"])
    def test_a_stylesheet_from_elsewhere_is_refused_and_nothing_is_deleted(self, tmp_path: Path, href: str) -> None:
        """Every linked stylesheet is merged, then deleted from site/: one outside its folder would be read and lost."""
        outside = tmp_path / "outside.css"
        outside.write_text("body{color:red}\n")
        href = str(outside) if href == "OUTSIDE" else href
        project = copy_project(tmp_path / "project")
        (project / "docs" / "css").mkdir()
        (project / "docs" / "css" / "extra.css").write_text("body{color:blue}\n")
        config = project / "mkdocs.yml"
        text = config.read_text(encoding="utf-8")
        config.write_text(text.replace("extra_css:\n", f"extra_css:\n  - {json.dumps(href)}\n", 1), encoding="utf-8")
        result = build_site(project, tmp_path / "site")
        assert result.returncode != 0
        assert "is not a stylesheet of the site's assets/stylesheets/ folder" in result.stderr, result.stderr
        assert re.search(r"mkdocs\.yml extra_css: '[^']*(outside|extra|x)\.css' \(\S+\.html\)", result.stderr)
        assert outside.read_text() == "body{color:red}\n"
