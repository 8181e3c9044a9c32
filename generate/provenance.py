"""The provenance page: facts about the received file, computed from its bytes so that they cannot drift from it,
and about its origin, from source/provenance.yml."""

from __future__ import annotations

import unicodedata
from collections.abc import Mapping, Sequence

import report2md
from generate import data
from generate.additions import Additions
from generate.bidi import isolated, ltr
from generate.inputs import Inputs
from generate.origin import RECEIVED_FILE, SECTIONS, STATUS_LABELS, Item
from report2md import MAX_HEADING_CHARS, MAX_HEADING_WORDS, SENTENCE_PUNCTUATION, Conversion, Kind, Reason
from report2md.markdown import escape_text
from report2md.source import TYPOGRAPHIC_INVISIBLES
from report2md.structure import title_anchor
from search_index import Block

REASON_LABELS = {
    Reason.FIRST_LINE: "السطر الأول يبقى فقرة",
    Reason.HAS_PUNCTUATION: "فيه علامة ترقيم تنهي الجملة",
    Reason.TOO_MANY_WORDS: f"أكثر من {MAX_HEADING_WORDS} كلمات",
    Reason.TOO_LONG: f"أطول من {MAX_HEADING_CHARS} حرفًا",
    Reason.SHORT_UNPUNCTUATED: "قصير وبلا علامة ترقيم تنهي الجملة",
}
KIND_LABELS = {Kind.HEADING: "عنوان قسم", Kind.PARAGRAPH: "فقرة"}
UTF8 = ltr("UTF-8")
PARAGRAPH_LINK = '<code dir="ltr" lang="en">#p&#45;{}</code>'
# Kept on one line: a break at its hyphen would leave "SHA-" and "256" on two lines.
SHA256_LABEL = ltr("SHA-256", css_class="provenance-nowrap")
INTRO = (
    "هذه الصفحة تتيح لك أن تتحقق بنفسك من أن النص المنشور هو الملف الذي وصلنا دون تغيير، "
    "وتعرض كل ما نعرفه، وما لا نعرفه، عن أصله. كل الأرقام فيها محسوبة من الملف عند بناء الموقع."
)
ORIGIN_HEADING = "ما نعرفه عن الأصل"
ORIGIN_INTRO = "لكل معلومة حالتها: إما أنها في الملف نفسه، وإما أنها دليل من خارجه لم يُؤكَّد على صفحة الناشر."
TITLE = "title"
# Figures, rules, tables and the verbatim copy are for checking, not for finding words: left out of the search
# index (which every page loads), which keeps to the origin sections and the report itself.
NOT_SEARCHED = " { data-search-exclude }\n"


def _link(url: str, label: str, *, external: bool = True) -> str:
    """A link; to another site (its address checked again), with no window reference and no referrer.

    The address is escaped as Markdown text, not with html.escape: Markdown's inline patterns (code spans, links,
    backslash escapes) run before raw HTML is set aside, so a ` or [x](y) in it would become markup inside the
    attribute. Every ASCII punctuation character as a character reference is inert to both.
    """
    if external and data.web_address_problem(url):
        raise ValueError(f"not a web address: {url!r}")
    rel = ' rel="noopener noreferrer"' if external else ""
    return f'<a href="{escape_text(url)}"{rel}>{isolated(label)}</a>'


def _table(header: Sequence[str], rows: Sequence[Sequence[str]]) -> str:
    lines = ["| " + " | ".join(header) + " |", "|" + "---|" * len(header)]
    return "\n".join(lines + ["| " + " | ".join(row) + " |" for row in rows]) + "\n"


def _items(items: Sequence[Item], download_url: str) -> str:
    """Each claim with its status and sources; a source that is the received file links to the download."""
    parts = []
    for item in items:
        date = f" ({isolated(item.date)})" if item.date else ""
        sources = "، ".join(
            _link(download_url, s.label, external=False) if s.url == RECEIVED_FILE else _link(s.url, s.label)
            for s in item.sources
        )
        status = f'<span class="provenance-status" data-status="{item.status}">{STATUS_LABELS[item.status]}</span>'
        parts.append(f"- {isolated(item.claim)}{date}<br>{status}: {sources}")
    return "\n".join(parts) + "\n"


def page_ids(additions: Additions) -> dict[str, str]:
    """The ids of the headings search opens: the title's, the origin's and its sections' (``search_blocks``).

    Made from the words (``title_anchor``: never an "_", so never one of Material's ``__`` ids), each unique; the
    title's first, as the toc extension's slug of "__report_search_labels" would be that script's id.
    """
    ids: dict[str, str] = {}
    for key, text in {TITLE: additions.provenance_title, ORIGIN_HEADING: ORIGIN_HEADING, **SECTIONS}.items():
        ids[key] = title_anchor(text, ids.values())
    return ids


def search_blocks(additions: Additions, origin: Mapping[str, Sequence[Item]], page_url: str) -> list[Block]:
    """The provenance page's blocks search finds: its opening, and what is known of the origin (each item as the
    page shows it: claim, date, status, sources' names). The rest is NOT_SEARCHED."""
    ids = {key: f"{page_url}#{value}" for key, value in page_ids(additions).items()}
    blocks = [
        Block(ids[TITLE], additions.provenance_title, additions.provenance_title),
        Block(ids[TITLE], additions.provenance_title, INTRO),
        Block(ids[ORIGIN_HEADING], ORIGIN_HEADING, ORIGIN_HEADING),
        Block(ids[ORIGIN_HEADING], ORIGIN_HEADING, ORIGIN_INTRO),
    ]
    for key, title in SECTIONS.items():
        blocks.append(Block(ids[key], title, title))
        for item in origin[key]:
            date = f" ({item.date})" if item.date else ""
            sources = "، ".join(source.label for source in item.sources)
            blocks.append(Block(ids[key], title, f"{item.claim}{date} {STATUS_LABELS[item.status]}: {sources}"))
    return blocks


def accepted_invisibles(conversion: Conversion, additions: Additions) -> str:
    """Each accepted invisible character of the text in its place (line, column, code point, name, why).

    No reader sees them on the page, so they are shown here; the converter refused every other invisible
    character but those Arabic typography uses.
    """
    occurrences = conversion.source.accepted
    kept = "، ".join(ltr(f"U+{ord(char):04X}") for char in sorted(TYPOGRAPHIC_INVISIBLES))
    intro = (
        f"**محارف غير مرئية قبلناها:** {len(occurrences) or 'لا شيء'}. يرفض المحوّل كل محرف لا يُرى "
        f"إلا ما تستعمله الكتابة العربية ({kept}) وما قبلناه بالاسم هنا.\n"
    )
    if not occurrences:
        return intro
    reasons = {accepted.char: accepted.reason for accepted in additions.accepted_characters}
    rows = []
    for o in occurrences:
        name = ltr(unicodedata.name(o.char, "PRIVATE USE CHARACTER"))
        rows.append([str(o.line), str(o.column), ltr(f"U+{ord(o.char):04X}"), name, isolated(reasons[o.char])])
    return intro + "\n" + _table(["السطر", "العمود", "المحرف", "اسمه في يونيكود", "سبب قبوله"], rows)


def render_provenance(
    inputs: Inputs, versions: Mapping[str, str], listed_additions: Sequence[tuple[str, str, str]], cite_block: str
) -> str:
    """The provenance page as Markdown; every text of the report inside it escaped."""
    e = escape_text
    conversion, additions, text = inputs.conversion, inputs.additions, inputs.conversion.source.text
    download_url = f"../{RECEIVED_FILE}"
    headings = "، ".join(f"«{e(b.text)}» (السطر {b.line})" for b in conversion.headings) or "لا شيء"
    lines = str(text.count("\n") + (0 if text.endswith("\n") else 1))
    if not text.endswith("\n"):
        lines += " (بلا سطر جديد في آخره)"
    normalisations = conversion.source.normalisations
    normalised = (
        "<br>".join(f"{ltr(n.description)} ({n.count})" for n in normalisations)
        if normalisations
        else f"لا شيء: الملف كان {UTF8} بلا علامة ترتيب البايتات وبنهايات أسطر {ltr('LF')}"
    )
    punctuation = " ".join(f"<code>{e(char)}</code>" for char in sorted(SENTENCE_PUNCTUATION))
    decisions = []
    for b in conversion.blocks:
        link = f'<a href="../#{b.anchor}">#{isolated(b.anchor)}</a>'
        decisions.append([str(b.line), KIND_LABELS[b.kind], REASON_LABELS[b.reason], link])
    added = [
        [e(what), e(where), f'<span class="provenance-addition">{isolated(text)}</span>']
        for what, where, text in listed_additions
    ]
    ids = page_ids(additions)
    out = [
        f"# {e(additions.provenance_title)} {{ #{ids[TITLE]} }}\n",
        f"{INTRO}\n",
        "## الملف كما ورد" + NOT_SEARCHED,
        _table(
            ["الخاصية", "القيمة"],
            [
                ["اسم الملف", ltr(RECEIVED_FILE)],
                ["الحجم", f"{len(inputs.data)} بايت"],
                ["عدد المحارف", str(len(text))],
                ["عدد الكلمات", str(len(text.split()))],
                ["عدد الأسطر", lines],
                ["الفقرات", str(len(conversion.paragraphs))],
                ["عناوين الأقسام", headings],
                ["الترميز", UTF8],
                [f"بصمة {SHA256_LABEL}", f'<code class="provenance-sha256">{ltr(inputs.sha256)}</code>'],
                ["التنزيل", _link(download_url, "نزّل الملف كما ورد، بايتًا ببايت", external=False)],
            ],
        ),
        "للتحقق بعد التنزيل: <code>" + ltr(f"sha256sum {RECEIVED_FILE}") + "</code> يجب أن يطبع البصمة أعلاه.\n",
        "## ما فعله المحوّل" + NOT_SEARCHED,
        f"حوّل المحوّل <code>{ltr(f'report2md {report2md.__version__}')}</code> الملف إلى صفحة بهذه القواعد:\n",
        "- كل سطر غير فارغ كتلة واحدة، والأسطر الفارغة تفصل فقط.\n"
        f"- السطر عنوان قسم إذا لم يكن الأول، وكان فيه {MAX_HEADING_WORDS} كلمات أو أقل "
        f"و{MAX_HEADING_CHARS} حرفًا أو أقل، ولم تكن فيه أي من علامات الترقيم هذه: {punctuation}. "
        "وما عدا ذلك فقرة.\n"
        f"- لكل فقرة رابط ثابت بترتيبها ({PARAGRAPH_LINK.format(1)}، {PARAGRAPH_LINK.format(2)}…)، "
        "ولكل عنوان رابط من كلماته.\n"
        "- كل حرف ينشر كما هو: لا يُصحَّح ولا يُحذف ولا يُعاد ترتيبه، ولا يُقرأ أي رمز فيه على أنه تنسيق.\n",
        "### قرار كل سطر" + NOT_SEARCHED,
        _table(["السطر", "صار", "السبب", "الرابط"], decisions),
        f"**ما طُبّع قبل التحويل:** {normalised}.\n",
        accepted_invisibles(conversion, additions),
        "### أدوات البناء" + NOT_SEARCHED,
        _table(["الأداة", "الإصدار"], [[ltr(name), ltr(version)] for name, version in versions.items()]),
        "## ما أضافه فريق النشر" + NOT_SEARCHED,
        "هذه النصوص كتبناها نحن، وليست في الملف الذي وصلنا:\n",
        _table(["الإضافة", "أين تظهر", "النص"], added),
        f"## {ORIGIN_HEADING} {{ #{ids[ORIGIN_HEADING]} }}\n",
        f"{ORIGIN_INTRO}\n",
    ]
    for key, title in SECTIONS.items():
        out += [f"### {title} {{ #{ids[key]} }}\n", _items(inputs.origin[key], download_url)]
    verbatim = "\n".join(e(line) for line in conversion.source.lines)
    out += [
        cite_block,  # how to cite this edition (generate/citation.py), before the verbatim copy
        "## النص كما ورد" + NOT_SEARCHED,
        '<details class="provenance-source">\n<summary>اعرض النص الكامل كما ورد</summary>\n'
        f'<pre dir="rtl" lang="ar">{verbatim}</pre>\n</details>\n',
    ]
    return "\n".join(out)
