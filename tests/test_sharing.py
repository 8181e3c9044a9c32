"""Link previews, cards, sitemap and robots.txt, and builds that are byte-for-byte reproducible."""

from __future__ import annotations

import base64
import filecmp
import io
import shutil
import subprocess
from pathlib import Path
from urllib.parse import urljoin
from xml.etree import ElementTree

import pytest
from bs4 import BeautifulSoup
from conftest import build_site, built, copy_project, page_soup
from facts import ADDED, CARD_FONT, REPO, SITE_URL
from fontTools.ttLib import TTFont
from fontTools.varLib.instancer import instantiateVariableFont
from PIL import Image, ImageDraw, ImageFont
from playwright.sync_api import Browser

# The card's title box (overrides/layouts/report.yml): 80 px from either side.
TITLE_BOX = (80, 170, 1120, 530)
# Text is white; anti-aliased edges on the blue background are not ink.
INK = 200


def meta(page: BeautifulSoup, key: str) -> list[str]:
    """Every value of a <meta property=key> or <meta name=key>."""
    return [tag["content"] for tag in page.find_all("meta") if key in (tag.get("property"), tag.get("name"))]


def one(page: BeautifulSoup, key: str) -> str:
    values = meta(page, key)
    assert len(values) == 1, f"{key}: {values}"
    return values[0]


def ink_components(image: Image.Image) -> int:
    """Connected shapes of ink (8-neighbour): joined Arabic has far fewer than letters."""
    grey = image.convert("L")
    width, height = grey.size
    pixels = grey.load()
    ink = {(x, y) for y in range(height) for x in range(width) if pixels[x, y] > INK}
    count = 0
    while ink:
        count += 1
        stack = [ink.pop()]
        while stack:
            x, y = stack.pop()
            for neighbour in ((x + dx, y + dy) for dx in (-1, 0, 1) for dy in (-1, 0, 1)):
                if neighbour in ink:
                    ink.remove(neighbour)
                    stack.append(neighbour)
    return count


PAGES = {"index.html": ADDED["title"], "provenance/index.html": ADDED["provenance_title"]}


class TestLinkPreviews:
    """Every page tells a chat app or a search engine what it is, in Arabic, with absolute URLs."""

    @pytest.mark.parametrize(("path", "title"), PAGES.items())
    def test_open_graph_and_twitter(self, site: Path, server: str, path: str, title: str) -> None:
        page = page_soup(site, path)
        canonical = page.find("link", rel="canonical")["href"]
        assert canonical == urljoin(server, path.removesuffix("index.html"))  # the address it was built for
        assert one(page, "og:url") == canonical
        assert one(page, "og:type") == ("article" if path == "index.html" else "website")
        assert one(page, "og:locale") == "ar_AR"
        assert one(page, "og:site_name") == ADDED["site_name"]
        assert one(page, "og:title") == one(page, "twitter:title") == title
        description = page.find("meta", attrs={"name": "description"})["content"]
        assert one(page, "og:description") == one(page, "twitter:description") == description
        assert one(page, "twitter:card") == "summary_large_image"

    def test_report_description_is_its_opening_words(self, site: Path) -> None:
        description = one(page_soup(site, "index.html"), "og:description")
        first_line = (REPO / "source" / "report.ar.txt").read_text(encoding="utf-8").split("\n")[0]
        assert first_line.startswith(description.removesuffix(ADDED["excerpt_mark"]))

    @pytest.mark.parametrize("path", PAGES)
    def test_card_image_is_published_and_referenced(self, site: Path, server: str, path: str) -> None:
        page = page_soup(site, path)
        image_url = one(page, "og:image")
        assert one(page, "twitter:image") == image_url
        assert image_url.startswith(server)
        card = Image.open(site / image_url.removeprefix(server))
        assert card.format == "PNG" and card.size == (1200, 630)
        assert (one(page, "og:image:width"), one(page, "og:image:height")) == ("1200", "630")
        assert one(page, "og:image:alt") == PAGES[path]

    def test_404_page_has_a_preview_too(self, site: Path) -> None:
        page = page_soup(site, "404.html")
        assert one(page, "og:title") == ADDED["not_found"]["title"]
        assert one(page, "og:locale") == "ar_AR"

    def test_a_project_site_publishes_no_sitemap_and_no_robots(self, site: Path) -> None:
        """Crawlers read robots.txt at the host's root only (RFC 9309), and a sitemap only through it."""
        assert not (site / "sitemap.xml").exists() and not (site / "robots.txt").exists()

    def test_a_site_at_its_hosts_root_publishes_both_with_absolute_urls(self, tmp_path: Path) -> None:
        project = copy_project(tmp_path / "project")
        root = "https://example.org/"
        assert build_site(project, tmp_path / "site", env={"SITE_URL": root}).returncode == 0
        sitemap = ElementTree.parse(tmp_path / "site" / "sitemap.xml")
        locations = [loc.text for loc in sitemap.iter("{http://www.sitemaps.org/schemas/sitemap/0.9}loc")]
        assert locations == [root, f"{root}provenance/"]
        robots = (tmp_path / "site" / "robots.txt").read_text(encoding="utf-8").splitlines()
        assert f"Sitemap: {root}sitemap.xml" in robots

    def test_a_fork_sets_its_own_address(self, tmp_path: Path) -> None:
        project = copy_project(tmp_path / "project")
        fork = "https://example.org/fork/"
        result = build_site(project, tmp_path / "site", env={"SITE_URL": fork})
        assert result.returncode == 0, result.stderr
        page = page_soup(tmp_path / "site", "index.html")
        assert page.find("link", rel="canonical")["href"] == fork
        assert one(page, "og:url") == fork and one(page, "og:image").startswith(fork)
        assert SITE_URL not in "".join(path.read_text(encoding="utf-8") for path in (tmp_path / "site").rglob("*.html"))

    def test_a_hostile_address_fails_the_build_in_one_line_and_changes_nothing(self, tmp_path: Path) -> None:
        project = copy_project(tmp_path / "project")
        site = tmp_path / "site"
        site.mkdir()
        (site / "index.html").write_text("the site as it was", encoding="utf-8")
        result = build_site(project, site, env={"SITE_URL": 'https://example.org/"><script>alert(1)</script>/'})
        assert result.returncode != 0
        errors = [line for line in result.stderr.splitlines() if line.startswith("ERROR")]
        assert len(errors) == 1 and "mkdocs.yml: site_url" in errors[0], result.stderr
        assert "Traceback" not in result.stderr
        assert [path.name for path in site.iterdir()] == ["index.html"]
        assert (site / "index.html").read_text(encoding="utf-8") == "the site as it was"


@pytest.fixture(scope="module")
def title_box(site: Path) -> Image.Image:
    """The title's part of the report page's card."""
    return Image.open(site / "assets" / "images" / "social" / "index.png").convert("RGB").crop(TITLE_BOX)


class TestCardText:
    """The title on the card is set right to left, right-aligned, its letters joined."""

    def test_every_line_ends_at_the_right_edge(self, title_box: Image.Image) -> None:
        grey = title_box.convert("L")
        width, height = grey.size
        pixels = grey.load()
        inked_rows = [y for y in range(height) if any(pixels[x, y] > INK for x in range(width))]
        lines: list[list[int]] = []
        for y in inked_rows:
            if lines and y - lines[-1][-1] <= 12:
                lines[-1].append(y)
            else:
                lines.append([y])
        assert len(lines) >= 2, "the title should take more than one line on the card"
        rights, lefts = [], []
        for rows in lines:
            columns = [x for x in range(width) if any(pixels[x, y] > INK for y in rows)]
            rights.append(columns[-1])
            lefts.append(columns[0])
        assert all(right >= width - 12 for right in rights), rights
        assert lefts[-1] > 100, "the last line should be short and start away from the left edge"

    def test_letters_are_joined_as_chromium_joins_them(self, title_box: Image.Image, browser: Browser) -> None:
        title = ADDED["title"]
        font = base64.b64encode(CARD_FONT.read_bytes()).decode()
        page = browser.new_page(viewport={"width": 2400, "height": 300})
        page.set_content(
            f"<style>@font-face{{font-family:Card;src:url(data:font/woff2;base64,{font})}}"
            "body{margin:0;background:#000}p{display:inline-block;margin:20px;white-space:nowrap;"
            f'font:700 72px Card;color:#fff}}</style><p dir="rtl" lang="ar">{title}</p>'
        )
        page.evaluate("document.fonts.ready")
        chromium = Image.open(io.BytesIO(page.locator("p").screenshot()))
        page.close()

        # What the card would look like without shaping: every letter alone.
        static = TTFont(CARD_FONT)
        static.flavor = None
        buffer = io.BytesIO()
        instantiateVariableFont(static, {"wght": 700}).save(buffer)
        unshaped_font = ImageFont.truetype(io.BytesIO(buffer.getvalue()), 72, layout_engine=ImageFont.Layout.BASIC)
        unshaped = Image.new("RGB", (2400, 200), "black")
        ImageDraw.Draw(unshaped).text((20, 20), title, font=unshaped_font, fill="white")

        on_card, in_chromium, without_shaping = map(ink_components, (title_box, chromium, unshaped))
        assert abs(on_card - in_chromium) <= 2, (on_card, in_chromium)
        assert without_shaping - in_chromium >= 15, "the control should show what unjoined letters look like"


class TestReproducibleBuild:
    """Two builds of the same commit, in different folders at different times, are identical.

    The second starts from the first's .cache/ (font subsets, the styles, the
    analyser's answers): what the cache gives back is what the work gives.
    """

    def test_two_builds_are_byte_identical(self, tmp_path: Path) -> None:
        epoch = subprocess.run(
            ["git", "log", "-1", "--format=%ct"], cwd=REPO, capture_output=True, text=True, check=True
        ).stdout.strip()
        sites = []
        for name in ("first", "second"):
            project = copy_project(tmp_path / name / "project")
            if sites:
                shutil.copytree(tmp_path / "first" / "project" / ".cache", project / ".cache")
            site_dir = tmp_path / name / "site"
            result = build_site(project, site_dir, env={"SOURCE_DATE_EPOCH": epoch})
            assert result.returncode == 0, result.stderr
            sites.append(site_dir)
        assert list((tmp_path / "second" / "project" / ".cache" / "finish").glob("*.json")), "no styles kept"
        differences = compare_trees(*sites)
        assert differences == []
        assert str(tmp_path) not in "".join(
            path.read_text(encoding="utf-8", errors="replace") for path in sites[0].rglob("*") if path.is_file()
        )

    def test_a_changed_stylesheet_is_never_answered_from_the_cache(self, tmp_path: Path) -> None:
        project = copy_project(tmp_path / "project")
        assert built(project).is_dir()
        stylesheet = project / "docs" / "assets" / "stylesheets" / "report.css"
        rule = ".md-typeset p{word-spacing:.01em}"
        stylesheet.write_text(stylesheet.read_text(encoding="utf-8") + rule + "\n", encoding="utf-8")
        site = built(project)
        published = "".join(path.read_text(encoding="utf-8") for path in (site / "assets").rglob("*.css"))
        # In the stylesheet, and in the report page's share of it: the paragraphs are on its first screen.
        assert "word-spacing:.01em" in published and "word-spacing:.01em" in (site / "index.html").read_text("utf-8")


def compare_trees(left: Path, right: Path) -> list[str]:
    """Paths that differ between two folders, by content, or exist in only one."""
    left_files = {path.relative_to(left) for path in left.rglob("*") if path.is_file()}
    right_files = {path.relative_to(right) for path in right.rglob("*") if path.is_file()}
    differences = [f"only in one: {path}" for path in sorted(left_files ^ right_files)]
    for path in sorted(left_files & right_files):
        if not filecmp.cmp(left / path, right / path, shallow=False):
            differences.append(str(path))
    return differences
