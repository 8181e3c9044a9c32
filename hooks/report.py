"""Generate the site's pages from source/ at build time.

* index.md: the project's title and notice, then the converter's output.
* provenance/: the provenance page, its figures computed from the file.
* report.ar.txt: the received file, byte for byte, for download.
* robots.txt: allows everything and names the sitemap by its absolute URL.

Nothing in docs/ is a copy of the source, so nothing can drift from it.
Texts the project adds come from source/report.yml, facts about the origin
from source/provenance.yml; a bad field in either fails the build with a
PluginError naming the file and the field.
"""

from __future__ import annotations

import hashlib
import platform
from importlib.metadata import version
from pathlib import Path
from typing import Any

from markupsafe import Markup
from mkdocs.config.defaults import MkDocsConfig
from mkdocs.exceptions import PluginError
from mkdocs.livereload import LiveReloadServer
from mkdocs.plugins import event_priority
from mkdocs.structure.files import File, Files
from mkdocs.structure.pages import Page
from shared import project_root

import report2md
import sitefonts
from generate.additions import Additions, description, load_additions
from generate.data import DataError
from generate.linked_data import news_article, script_json
from generate.provenance import file_facts, load_provenance, render_provenance
from report2md import Conversion, SourceError, convert, escape_text
from report2md.coverage import check_drawable

SOURCE = Path("source/report.ar.txt")
ADDITIONS = Path("source/report.yml")
ORIGIN = Path("source/provenance.yml")
ARTICLE = "index.md"
PROVENANCE = "provenance.md"
DOWNLOAD = SOURCE.name
ROBOTS = "robots.txt"


def robots_txt(site_url: str) -> str:
    """Crawlers may read everything; the sitemap (written by MkDocs) is named absolutely."""
    return f"User-agent: *\nAllow: /\nSitemap: {site_url}sitemap.xml\n"


def article_markdown(conversion: Conversion, additions: Additions, page_description: str) -> str:
    """The article page: the project's title and notice, then the source text."""
    return (
        f'# {escape_text(additions.title)} {{ .report-title data-addition="title" }}\n\n'
        + f"{escape_text(additions.notice)} [{escape_text(additions.provenance_link)}]({PROVENANCE})\n"
        + '{: .report-notice data-addition="notice" }\n\n'
        + conversion.markdown
    )


ON_ARTICLE = "صفحة التقرير"
ON_EVERY_PAGE = "كل الصفحات"
ON_PROVENANCE = "صفحة مصدر النص"
ON_NOT_FOUND = "صفحة الخطأ 404"


def listed_additions(
    config: MkDocsConfig, additions: Additions, page_description: str, is_excerpt: bool
) -> list[tuple[str, str, str]]:
    """Every text the project added, as (what it is, where it shows, the text), for the provenance page."""
    described = "وصف الصفحة في محركات البحث ومعاينات الروابط"
    if is_excerpt:
        described += f": مقتطف من مطلع النص، وعلامة الاختصار «{additions.excerpt_mark}» منا"
    listed = [
        ("اسم الموقع", ON_EVERY_PAGE, additions.site_name),
        ("عنوان صفحة التقرير (النص الأصلي بلا عنوان)", ON_ARTICLE, additions.title),
        ("التنبيه تحت العنوان", ON_ARTICLE, additions.notice),
        ("نص الرابط إلى هذه الصفحة", ON_ARTICLE, additions.provenance_link),
        ("عنوان هذه الصفحة، وفي قائمة التصفح", ON_EVERY_PAGE, additions.provenance_title),
        (described, ON_ARTICLE, page_description),
        ("وصف هذه الصفحة في محركات البحث ومعاينات الروابط", ON_PROVENANCE, additions.provenance_description),
        ("تسمية رابط كل فقرة، يليها رقمها", ON_ARTICLE, additions.labels.permalink),
        ("تسمية رابط كل قسم، يليها عنوانه", ON_ARTICLE, additions.labels.heading_permalink),
        ("رسالة نسخ الرابط", ON_ARTICLE, additions.labels.copied),
        ("عنوان الصفحة على الويب، في النسخة المطبوعة فقط", ON_ARTICLE, config.site_url or ""),
        ("عنوان صفحة الخطأ", ON_NOT_FOUND, additions.not_found.title),
        ("نص صفحة الخطأ", ON_NOT_FOUND, additions.not_found.message),
        ("رابط العودة في صفحة الخطأ", ON_NOT_FOUND, additions.not_found.home_link),
    ]
    palette = config.theme.get("palette") or []
    for scheme in palette if isinstance(palette, list) else [palette]:
        toggle = scheme.get("toggle") or {}
        if toggle.get("name"):
            listed.append(("زر تبديل الألوان", ON_EVERY_PAGE, toggle["name"]))
    return listed


def tool_versions() -> dict[str, str]:
    return {
        "Python": platform.python_version(),
        "MkDocs": version("mkdocs"),
        "Material for MkDocs": version("mkdocs-material"),
        "pymdown-extensions": version("pymdown-extensions"),
        "Python-Markdown": version("markdown"),
        "fontTools": version("fonttools"),
        "report2md": report2md.__version__,
    }


def on_config(config: MkDocsConfig) -> MkDocsConfig:
    """Load and check the source and both data files; set the site name and description."""
    root = project_root(config)
    try:
        data = (root / SOURCE).read_bytes()
        conversion = convert(data, str(SOURCE))
        check_drawable(conversion.source, str(SOURCE), sitefonts.covered(root / "fonts"), "fonts/")
        sha256 = hashlib.sha256(data).hexdigest()
        additions = load_additions(root / ADDITIONS, str(ADDITIONS), sha256)
        origin = load_provenance(root / ORIGIN, str(ORIGIN), sha256)
    except (SourceError, DataError) as error:
        raise PluginError(f"hooks/report.py: {error}") from None
    except OSError as error:
        raise PluginError(f"hooks/report.py: cannot read {error.filename}: {error.strerror}") from None
    page_description, is_excerpt = description(conversion.paragraphs[0].text, additions)
    # Escaped once here, as Markup: Material's templates print these without
    # escaping, and Jinja's escape leaves Markup as it is where they do escape.
    config.site_name = as_html_text(additions.site_name)
    config.site_description = as_html_text(page_description)
    facts = file_facts(DOWNLOAD, data, conversion)
    site_url = config.site_url or ""
    provenance = render_provenance(
        facts=facts,
        conversion=conversion,
        additions=additions,
        origin=origin,
        versions=tool_versions(),
        listed_additions=listed_additions(config, additions, page_description, is_excerpt),
        download_url=f"../{DOWNLOAD}",
        converter_version=report2md.__version__,
    )
    # Kept in config.extra so that the templates and the other hooks see one
    # conversion, done once per build.
    config.extra["report"] = {
        "conversion": conversion,
        "additions": additions,
        "description": page_description,
        "pages": {
            ARTICLE: article_markdown(conversion, additions, page_description),
            PROVENANCE: provenance,
        },
        # Each page's title and description, as text: see on_page_markdown.
        "meta": {
            ARTICLE: {"title": additions.title, "description": page_description},
            PROVENANCE: {"title": additions.provenance_title, "description": additions.provenance_description},
        },
        "download": data,
        # Structured data per page, placed by overrides/main.html.
        "json_ld": {
            ARTICLE: script_json(
                news_article(
                    title=additions.title,
                    description=page_description,
                    page_url=site_url,
                    provenance_url=f"{site_url}provenance/",
                    provenance_title=additions.provenance_title,
                    download_url=f"{site_url}{DOWNLOAD}",
                    source_name=DOWNLOAD,
                    source_sha256=facts.sha256,
                    word_count=facts.words,
                )
            )
        },
    }
    return config


def as_html_text(text: str) -> Markup:
    """``text`` escaped for HTML element text and quoted attributes, marked as such for Jinja.

    The social plugin unescapes what it draws on a card, so the card shows the text itself.
    """
    return Markup.escape(text)


@event_priority(100)  # before the social plugin reads page.meta for the card
def on_page_markdown(markdown: str, page: Page, config: MkDocsConfig, files: Files) -> str:
    """Give each generated page its title and description as escaped text (no YAML front matter).

    Passed in code rather than as front matter, which MkDocs silently drops when
    a value has a character YAML refuses.
    """
    meta = config.extra["report"]["meta"].get(page.file.src_uri)
    if meta is not None:
        page.meta = {key: as_html_text(value) for key, value in meta.items()}
    return markdown


def on_files(files: Files, config: MkDocsConfig) -> Files:
    """Add the generated pages and the download; refuse hand-written files that would shadow them."""
    report: dict[str, Any] = config.extra["report"]
    for path in [*report["pages"], DOWNLOAD, ROBOTS]:
        if files.get_file_from_path(path) is not None:
            raise PluginError(f"hooks/report.py: docs/{path} must not exist; it is generated from source/")
    for path, content in report["pages"].items():
        files.append(File.generated(config, path, content=content))
    files.append(File.generated(config, DOWNLOAD, content=report["download"]))
    if not config.site_url:
        raise PluginError("hooks/report.py: site_url is not set; link previews and the sitemap need absolute URLs")
    files.append(File.generated(config, ROBOTS, content=robots_txt(config.site_url)))
    return files


def on_serve(server: LiveReloadServer, config: MkDocsConfig, builder: Any) -> LiveReloadServer:
    """Rebuild when the source or the data files change.

    The converter and the hooks are Python modules, imported once per
    process: after changing them, restart `make serve`.
    """
    server.watch(str(project_root(config) / "source"))
    return server
