"""The whole generate stage: from source/ as read (generate.inputs) to the site's pages, files, metadata and JSON-LD.

Pure, and no MkDocs import: a test, ``python -m generate`` or another site generator can call it; hooks/render.py
hands the result to MkDocs.
"""

from __future__ import annotations

from collections.abc import MutableMapping
from dataclasses import asdict, dataclass
from urllib.parse import urlsplit

from generate import citation
from generate.additions import COUNTED, Additions, description
from generate.inputs import Inputs
from generate.origin import RECEIVED_FILE
from generate.provenance import render_provenance, search_blocks
from report2md import Block, Conversion, Kind, escape_text, script_json
from report2md.markdown import render_markdown
from report2md.structure import title_anchor
from search_index import Block as SearchBlock
from search_index import index_json

ARTICLE = "index.md"
PROVENANCE = "provenance.md"
ROBOTS = "robots.txt"
SEARCH_INDEX = "search/paragraphs.json"

ON_ARTICLE = "صفحة التقرير"
ON_EVERY_PAGE = "كل الصفحات"
ON_PROVENANCE = "صفحة مصدر النص"
ON_NOT_FOUND = "صفحة الخطأ 404"
ON_SEARCH = "البحث"


@dataclass(frozen=True)
class Site:
    """What the render stage publishes: pages as Markdown, their metadata, files as bytes, JSON-LD per page."""

    additions: Additions
    pages: dict[str, str]  # path in docs/: Markdown
    meta: dict[str, dict[str, str]]  # path in docs/: title and description, as text
    files: dict[str, bytes]  # path in the site: content
    json_ld: dict[str, str]  # path in docs/: JSON for <script type="application/ld+json">, escaped for it
    search_labels: str  # the search box's messages, JSON for <script type="application/json">, escaped for it
    citation_tags: dict[str, list[tuple[str, str]]]  # path in docs/: the <meta name content> pairs that cite it


def at_host_root(site_url: str) -> bool:
    """Whether the site is its host's whole (``https://host/``): crawlers read /robots.txt there only (RFC 9309).

    So a project site (``https://owner.github.io/repository/``) can publish no robots.txt, nor a sitemap through it.
    """
    return urlsplit(site_url).path == "/"


def title_id(conversion: Conversion, additions: Additions) -> str:
    """The article title's id: ours (title_anchor), never one of the page's own ids, nor a block's anchor."""
    return title_anchor(additions.title, [block.anchor for block in conversion.blocks])


def article_markdown(conversion: Conversion, additions: Additions) -> str:
    """The article page: the project's title and notice, then the source text, each block with its permalink."""
    labels = additions.labels

    def permalink(block: Block) -> tuple[str, str]:
        if block.kind is Kind.HEADING:
            return f"{labels.heading_permalink}: {block.text}", labels.copied
        return f"{labels.permalink} {block.anchor.removeprefix('p-')}", labels.copied

    title = f'{{ #{title_id(conversion, additions)} .report-title data-addition="title" }}'
    return (
        f"# {escape_text(additions.title)} {title}\n\n"
        + f"{escape_text(additions.notice)} [{escape_text(additions.provenance_link)}]({PROVENANCE})\n"
        + '{: .report-notice data-addition="notice" }\n\n'
        + render_markdown(conversion.blocks, permalink)
    )


def article_search_blocks(conversion: Conversion, additions: Additions) -> list[SearchBlock]:
    """The article's blocks as search finds them: the title, the notice, then every heading and paragraph."""
    title = f"#{title_id(conversion, additions)}"
    blocks = [
        SearchBlock(title, additions.title, additions.title),
        SearchBlock(title, additions.title, f"{additions.notice} {additions.provenance_link}"),
    ]
    section = additions.title
    for block in conversion.blocks:
        section = block.text if block.kind is Kind.HEADING else section
        blocks.append(SearchBlock(f"#{block.anchor}", section, block.text))
    return blocks


def listed_additions(
    additions: Additions,
    palette_toggles: list[str],
    page_description: str,
    is_excerpt: bool,
    edition: citation.Edition,
) -> list[tuple[str, str, str]]:
    """Every text the project added, as (what it is, where it shows, the text), for the provenance page."""
    described = "وصف الصفحة في محركات البحث ومعاينات الروابط"
    if is_excerpt:
        described += f": مقتطف من مطلع النص، وعلامة الاختصار «{additions.excerpt_mark}» منا"
    return [
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
        *(
            (f"رسالة في مربع البحث{' (# مكان العدد)' if key in COUNTED else ''}", ON_EVERY_PAGE, text)
            for key, text in asdict(additions.labels.search).items()
        ),
        ("عنوان الصفحة على الويب، في النسخة المطبوعة فقط", ON_ARTICLE, edition.url),
        ("عنوان صفحة الخطأ", ON_NOT_FOUND, additions.not_found.title),
        ("نص صفحة الخطأ", ON_NOT_FOUND, additions.not_found.message),
        ("رابط العودة في صفحة الخطأ", ON_NOT_FOUND, additions.not_found.home_link),
        *(("زر تبديل الألوان", ON_EVERY_PAGE, name) for name in palette_toggles),
        *(
            (f"اسم آخر لـ«{name}» يجده البحث", ON_SEARCH, other)
            for name, others in additions.other_names.items()
            for other in others
        ),
        ("عنوان قسم الاستشهاد", ON_PROVENANCE, citation.CITE_HEADING),
        *(("شرح الاستشهاد، حول تاريخ الطبعة وعنوانها", ON_PROVENANCE, part) for part in citation.CITE_INTRO),
        (
            "تاريخ هذه الطبعة (تاريخ آخر تعديل في المستودع)، وفي بيانات صفحة التقرير لبرامج المراجع",
            ON_PROVENANCE,
            citation.shown_date(edition),
        ),
        ("ملاحظة مدخل الاستشهاد (بعد العنوان والتاريخ والعنوان على الويب)", ON_PROVENANCE, citation.ris_note(edition)),
    ]


def generate_site(
    inputs: Inputs,
    *,
    site_url: str,
    palette_toggles: list[str],
    versions: dict[str, str],
    known_singulars: MutableMapping[str, list[str]] | None = None,
) -> Site:
    """Every page and file of the site that comes from source/, published at ``site_url``.

    ``known_singulars``: the morphological analyser's answers kept from earlier builds (search_index.keys).
    ``site_url`` ends in '/' and is plain (checked by ``generate.data.site_address`` where it is read): it goes
    unescaped into robots.txt and, through Material, into attributes and an inline script.
    """
    additions, conversion = inputs.additions, inputs.conversion
    page_description, is_excerpt = description(conversion.paragraphs[0].text, additions)
    edition = citation.Edition(
        title=additions.title, url=site_url, date=inputs.edition_date, file_name=RECEIVED_FILE, sha256=inputs.sha256
    )
    listed = listed_additions(additions, palette_toggles, page_description, is_excerpt, edition)
    provenance = render_provenance(inputs, versions, listed, citation.cite_markdown(edition))
    words = len(conversion.source.text.split())
    article = citation.news_article(edition, page_description, additions.provenance_title, words)
    blocks = article_search_blocks(conversion, additions) + search_blocks(additions, inputs.origin, "provenance/")
    blocks = [SearchBlock(b.url, " ".join(b.section.split()), " ".join(b.text.split())) for b in blocks]
    # Crawlers may read everything; the sitemap (written by MkDocs) is named absolutely.
    robots = f"User-agent: *\nAllow: /\nSitemap: {site_url}sitemap.xml\n".encode()
    return Site(
        additions=additions,
        pages={ARTICLE: article_markdown(conversion, additions), PROVENANCE: provenance},
        meta={
            ARTICLE: {"title": additions.title, "description": page_description},
            PROVENANCE: {"title": additions.provenance_title, "description": additions.provenance_description},
        },
        files={
            RECEIVED_FILE: inputs.data,
            SEARCH_INDEX: index_json(blocks, additions.other_names, known_singulars),
            **({ROBOTS: robots} if at_host_root(site_url) else {}),
        },
        json_ld={ARTICLE: script_json(article)},
        search_labels=script_json(asdict(additions.labels.search)),
        citation_tags={ARTICLE: citation.highwire_tags(edition)},
    )
