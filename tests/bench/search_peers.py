"""`make bench-search`: two peer engines on our search's labelled query sets, scored as tests/test_search.py does.

Not a test: it prints figures (issue 28). The query sets, the ids scored and
the scoring are tests/test_search.py's own (``load_queries``/``report_text``,
``udhr_text``, ``scores`` and ``found_ids``): 87 queries on the report, 49 on
the second text, the UDHR in Arabic (tests/search/udhr.ar.txt, its expected
lines mapped to anchors by ``udhr_blocks``). Each peer stands in for the search
box there: ``type(query)`` gives the addresses its results open, ``#id`` for a
block of the text, the page's own address for a result that is on the page
but in no block.

The pages searched. Each text goes through the project's converter
(``report2md.convert``, as ``python -m report2md`` does) into the one page,
``docs/index.md``, of a plain Material for MkDocs build in a temporary
directory: ``theme.language: ar``, the ``search`` plugin with ``lang: ar``
(lunr-languages has Arabic; Material's Arabic translation sets its pipeline
to none, so lunr.ar's stemmer, stop words and trimmer stay off: that is stock
Material for an Arabic site), and only ``attr_list`` and ``toc``, which give
every paragraph and heading the id the converter writes (``p-1``…, heading
slugs): the ids the queries are labelled with. Both engines search that same
HTML.

Pagefind: its CLI (tests/bench/package.json) indexes that page
(``--glob index.html``; ``--root-selector article``, the text with the page's
title, not Material's header, navigation and table of contents). A harness
page of our own, served from the same local server, imports the bundle's
``pagefind.js`` and runs ``search(query)``, then ``data()`` of every result.
Material's pages carry no Content-Security-Policy (only our site's do), and
none of them is loaded. Two mappings:

* matched words → their blocks: Pagefind's sub_results split a page on
  headings with ids only, so the finer mapping is the one its documentation
  gives for custom sub results ("Multiple results per page"): each of the
  result's ``locations`` (the matched words) belongs to the last of the
  result's ``anchors`` (every element with an id, with its word position)
  at or before it that is one of our blocks (a paragraph or a heading);
* sub_results → their sections: each sub_result's ``anchor`` (a heading,
  or none: the page before its first heading) opens that section; it counts
  as every block of the section.

Stock Material: queries are typed into Material's own search box in Chromium
(the field filled, then a key released, on which Material sends the query
to its worker), and the worker's answers are read as they reach the page:
before the page's scripts run, its ``Worker`` is wrapped so that each QUERY
message sent and each RESULT received are kept, paired in order, and the
worker it starts is Material's own, loaded (``importScripts``) by a wrapper
written beside it that adds to each RESULT the positions lunr matched (lunr's
``matchData``, from which the worker marks words, untouched). Each result is
a section of the page (its ``location``: the page, and a heading's anchor).
Two mappings:

* matched words → their blocks: a match in the section's title is its
  heading; a match in its text is in one of its paragraphs (the text is the
  section's paragraphs, one ``<p>`` each, checked against the built index;
  lunr's position names the element, then the word). Not the words the
  result shows marked: Material shows at most two of a section's paragraphs,
  and would lose the third;
* results → their sections: each result's location opens its section; it
  counts as every block of the section. The page's own entry, which the
  worker adds with score 0 to head a group whose sections matched (it
  matched nothing itself), is not counted, in either mapping.

A query of several words: Pagefind wants every word on the page (not in one
block) and lunr any of them, and each matched word counts for its block; the
labels want a block to hold every word, so both lose precision there. Names
the text does not write (the report's "other names": Kazakhstan, NATO) are
ours alone: both peers find nothing for them.

Each engine answers each query once; both mappings read that answer. One
browser (Debian's Chromium, never a download) runs at a time.
"""

from __future__ import annotations

import json
import os
import re
import subprocess
import sys
import tempfile
import threading
from collections.abc import Iterator
from contextlib import contextmanager
from functools import partial
from http.server import SimpleHTTPRequestHandler, ThreadingHTTPServer
from importlib.metadata import version
from pathlib import Path
from typing import Any
from urllib.parse import unquote

REPO = Path(__file__).resolve().parents[2]
sys.path.insert(0, str(REPO / "tests"))
sys.path.insert(0, str(REPO))

from facts import CHROMIUM, CHROMIUM_ARGS, SOURCE  # noqa: E402
from playwright.sync_api import Browser, Page, sync_playwright  # noqa: E402
from test_search import PHONE, UDHR, SearchBox, Text, report_text, scores, udhr_text  # noqa: E402

from report2md import convert  # noqa: E402

BENCH = REPO / "tests" / "bench"
PAGEFIND = BENCH / "node_modules" / ".bin" / "pagefind"
PAGEFIND_PACKAGES = ("pagefind", "@pagefind/linux-x64")
STOCK_CONFIG = """# Stock Material for MkDocs, Arabic: its search plugin with lunr's Arabic support.
site_name: Report
theme:
  name: material
  language: ar
  font: false  # no Google Fonts (not reachable here; nothing to do with search)
plugins:
  - search:
      lang: ar
# The ids the converter writes on every paragraph and heading: the blocks the queries are labelled with.
markdown_extensions:
  - attr_list
  - toc
"""
# A block of the page as built: a paragraph or a section heading, with its id (as tests/test_search.py's report_blocks).
BLOCK = re.compile(r'<(p|h2) data-source-line="\d+" id="([^"]+)"')
PAGE = "index.html"  # what a result on the page but in none of its blocks opens
HARNESS = """<!doctype html>
<html lang="ar" dir="rtl">
<head><meta charset="utf-8"><title>Pagefind</title><link rel="icon" href="data:,"></head>
<body></body>
</html>
"""
PAGEFIND_SEARCH = """async query => {
  const search = await window.pagefind.search(query);
  const pages = await Promise.all(search.results.map(result => result.data()));
  return pages.map(page => ({
    url: page.url,
    locations: page.locations,
    anchors: page.anchors.map(anchor => ({id: anchor.id, location: anchor.location})),
    sections: page.sub_results.map(sub => sub.anchor ? sub.anchor.id : ""),
  }));
}"""
# Material's search worker, wrapped (written beside it, so that it loads lunr's languages from where it would): the
# worker itself, and with each RESULT the positions lunr matched, as its matchData gives them to the worker.
PEEK_WORKER = """importScripts(new URL(location).searchParams.get("worker"));
let matched = [];
const search = self.lunr.Index.prototype.search;
self.lunr.Index.prototype.search = function (query) {
  const results = search.call(this, query);
  matched = results.map(({ref, matchData}) => ({
    location: ref,
    fields: Object.values(matchData.metadata).flatMap(fields =>
      Object.entries(fields).flatMap(([field, data]) => data.position.map(position => [field, position]))),
  }));
  return results;
};
const post = self.postMessage.bind(self);
self.postMessage = message => {
  if (message.type === 3) message.data.matched = matched;
  post(message);
};
"""
PEEK = "peek.js"
# Before Material's scripts: its search worker replaced by the wrapper, each query sent to it and each answer kept,
# paired in order (Material's SearchMessageType: 1 READY, 2 QUERY, 3 RESULT).
WATCH_WORKER = """(() => {
  const Native = window.Worker;
  window.__sent = [];
  window.__answers = [];
  window.__ready = false;
  window.Worker = class extends Native {
    constructor(url, ...rest) {
      const worker = new URL(url, location.href);
      super(`${new URL("PEEK", worker)}?worker=${encodeURIComponent(worker.pathname.split("/").pop())}`, ...rest);
      this.addEventListener("message", event => {
        if (event.data.type === 1) window.__ready = true;
        if (event.data.type === 3)
          window.__answers.push({query: window.__sent[window.__answers.length], ...event.data.data});
      });
    }
    postMessage(message, ...rest) {
      if (message && message.type === 2) window.__sent.push(message.data);
      return super.postMessage(message, ...rest);
    }
  };
})()""".replace("PEEK", PEEK)
MATCHES, SECTIONS = "matches", "sections"


class Searched:
    """The page searched: its blocks in order, and each section's (the key of the part before any heading is "")."""

    def __init__(self, site: Path) -> None:
        self.blocks = BLOCK.findall((site / PAGE).read_text(encoding="utf-8"))
        self.order = {anchor: number for number, (_, anchor) in enumerate(self.blocks)} | {"": -1}
        self.sections: dict[str, list[str]] = {"": []}
        key = ""
        for kind, anchor in self.blocks:
            if kind == "h2":
                key = anchor
                self.sections[key] = []
            self.sections[key].append(anchor)

        # Material's index of the page: one document a section, whose text is its paragraphs, one <p> each.
        for doc in json.loads((site / "search" / "search_index.json").read_text(encoding="utf-8"))["docs"]:
            section = unquote(doc["location"].partition("#")[2])
            if re.sub(r"<p>.*?</p>", "", doc["text"], flags=re.S).strip() or doc["text"].count("<p>") != len(
                self.paragraphs(section)
            ):
                raise SystemExit(f"error: Material's index has section {section!r} other than its paragraphs")

    def paragraphs(self, section: str) -> list[str]:
        return [anchor for anchor in self.sections[section] if anchor != section]


def addresses(ids: Iterator[str]) -> list[str]:
    """Each block once, in the order found, as an address (``PAGE`` for a match in no block)."""
    return list(dict.fromkeys(f"#{anchor}" if anchor else PAGE for anchor in ids))


class Peer(SearchBox):
    """A peer engine in place of the search box: ``type`` answers with the addresses its results map to."""

    def __init__(self, page: Page, searched: Searched) -> None:
        super().__init__(page)
        self.searched = searched
        self.mapping = MATCHES
        self.answers: dict[str, Any] = {}

    def answer(self, query: str) -> Any:
        raise NotImplementedError

    def map_matches(self, answer: Any) -> list[str]:
        raise NotImplementedError

    def map_sections(self, answer: Any) -> list[str]:
        raise NotImplementedError

    def type(self, query: str) -> list[str]:
        if query not in self.answers:
            self.answers[query] = self.answer(query)
        answer = self.answers[query]
        return self.map_matches(answer) if self.mapping == MATCHES else self.map_sections(answer)


class Pagefind(Peer):
    """Pagefind's JS API on a harness page of our own, beside the bundle it wrote."""

    def open(self, url: str) -> None:
        self.page.goto(url + "harness.html")
        self.page.evaluate(
            "async url => { window.pagefind = await import(url); await window.pagefind.init(); }",
            url + "pagefind/pagefind.js",
        )

    def answer(self, query: str) -> Any:
        return self.page.evaluate(PAGEFIND_SEARCH, query)

    def map_matches(self, answer: Any) -> list[str]:
        blocks = {anchor for _, anchor in self.searched.blocks}
        found = []
        for result in answer:
            anchors = sorted((a["location"], a["id"]) for a in result["anchors"] if a["id"] in blocks)
            for location in result["locations"] or [-1]:
                found.append(next((anchor for start, anchor in reversed(anchors) if start <= location), ""))
        return addresses(iter(found))

    def map_sections(self, answer: Any) -> list[str]:
        return addresses(
            anchor for result in answer for section in result["sections"] for anchor in self.searched.sections[section]
        )


class Material(Peer):
    """Stock Material's search box, typed into; its worker's answers, and lunr's matches, as they reach the page."""

    def open(self, url: str) -> None:
        self.page.add_init_script(WATCH_WORKER)
        super().open(url)
        self.page.wait_for_function("() => window.__ready")

    def answer(self, query: str) -> Any:
        start = self.page.evaluate("window.__answers.length")
        field = self.page.locator("input.md-search__input")
        field.fill(query)
        field.press("End")  # Material sends the query on a key released
        self.page.wait_for_function(
            "([query, start]) => window.__answers.slice(start).some(answer => answer.query === query)",
            arg=[query, start],
        )
        answers = self.page.evaluate("start => window.__answers.slice(start)", start)
        answer = next(answer for answer in answers if answer["query"] == query)
        # The sections the results open; the page's entry padded in with score 0 matched nothing.
        sections = [self.section(item["location"]) for group in answer["items"] for item in group if item["score"] > 0]
        matched = [(self.section(match["location"]), match["fields"]) for match in answer["matched"]]
        if sorted(sections) != sorted(section for section, _ in matched):
            raise SystemExit(f"error: Material's results for {query!r} are not the documents lunr matched")
        return {"sections": sections, "matched": matched}

    @staticmethod
    def section(location: str) -> str:
        return unquote(location.partition("#")[2])

    def map_matches(self, answer: Any) -> list[str]:
        found = []
        for section, fields in answer["matched"]:
            paragraphs = self.searched.paragraphs(section)
            blocks = []
            for field, position in fields:
                if field == "title":  # the heading; the page's own title is none of its blocks
                    blocks.append(section)
                elif field == "text":  # position: the element of the section's text (one <p> a paragraph), the word
                    blocks.append(paragraphs[position >> 20])
            found += sorted(blocks, key=self.searched.order.__getitem__) or [""]
        return addresses(iter(found))

    def map_sections(self, answer: Any) -> list[str]:
        return addresses(anchor for section in answer["sections"] for anchor in self.searched.sections[section])


# Each engine, and the name of each mapping of its results.
ENGINES: tuple[tuple[type[Peer], str, dict[str, str]], ...] = (
    (Pagefind, "Pagefind", {MATCHES: "matched words → their blocks", SECTIONS: "sub_results → their sections"}),
    (Material, "stock Material", {MATCHES: "matched words → their blocks", SECTIONS: "results → their sections"}),
)


@contextmanager
def serve(site: Path) -> Iterator[str]:
    """``site`` on 127.0.0.1, on a free port, while the block runs: its base address."""

    class Quiet(SimpleHTTPRequestHandler):
        def log_message(self, format: str, *args: Any) -> None:
            pass

    server = ThreadingHTTPServer(("127.0.0.1", 0), partial(Quiet, directory=str(site)))
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        yield f"http://127.0.0.1:{server.server_address[1]}/"
    finally:
        server.shutdown()
        server.server_close()


def build(text: Path, workdir: Path) -> Path:
    """``text`` converted by report2md into a stock Material project's one page, built, indexed by Pagefind too."""
    project, site = workdir / "project", workdir / "site"
    (project / "docs").mkdir(parents=True)
    (project / "docs" / "index.md").write_text(convert(text.read_bytes(), str(text)).markdown, encoding="utf-8")
    (project / "mkdocs.yml").write_text(STOCK_CONFIG, encoding="utf-8")
    subprocess.run(
        [sys.executable, "-m", "mkdocs", "build", "--strict", "--quiet", "--site-dir", str(site)],
        cwd=project,
        env={**os.environ, "NO_MKDOCS_2_WARNING": "1"},
        check=True,
    )
    subprocess.run(
        [str(PAGEFIND), "--site", str(site), "--glob", PAGE, "--root-selector", "article", "--silent"],
        check=True,
    )
    (site / "harness.html").write_text(HARNESS, encoding="utf-8")
    (site / "assets" / "javascripts" / "workers" / PEEK).write_text(PEEK_WORKER, encoding="utf-8")
    return site


def package_version(name: str) -> str:
    return json.loads((BENCH / "node_modules" / name / "package.json").read_text(encoding="utf-8"))["version"]


def row(text: Text, engine: str, peer: Peer) -> str:
    figures = scores(peer, text)
    wanted = sum(bool(query["expected"]) for query in text.queries)
    empty = [query["query"] for query in text.queries if query["expected"] and not peer.type(query["query"])]
    assert len(empty) == figures["empty"]
    named = f" ({', '.join(empty)})" if 0 < len(empty) <= 3 else ""
    return (
        f"| {text.name} ({len(text.queries)}; {wanted}) | {engine} | {figures['recall']:.2f} | "
        f"{figures['precision']:.2f} | {len(empty)}{named} |"
    )


def measure(browser: Browser, site: Path, text: Text) -> list[str]:
    """The rows of one text: each engine, each mapping."""
    searched = Searched(site)
    missing = text.scored - {anchor for _, anchor in searched.blocks}
    if missing:
        raise SystemExit(f"error: the built page of {text.name} lacks the blocks {sorted(missing)}")
    rows = []
    with serve(site) as base:
        for kind, engine, names in ENGINES:
            context = browser.new_context(viewport=PHONE)
            peer = kind(context.new_page(), searched)
            peer.open(base)
            for mapping, name in names.items():
                peer.mapping = mapping
                rows.append(row(text, f"{engine}: {name}", peer))
            context.close()
            if peer.errors:
                raise SystemExit(f"error: console errors with {engine} on {text.name}: {peer.errors}")
    return rows


def main() -> None:
    for tool, hint in (
        (CHROMIUM, "install Debian's chromium"),
        (PAGEFIND, "run `make bench-search`, which installs it"),
    ):
        if not tool.exists():
            raise SystemExit(f"error: {tool} is missing: {hint}")
    rows = []
    with tempfile.TemporaryDirectory() as tmp, sync_playwright() as playwright:
        sites = {"report": build(SOURCE, Path(tmp) / "report"), "udhr": build(UDHR, Path(tmp) / "udhr")}
        texts = [report_text(sites["report"]), udhr_text()]
        browser = playwright.chromium.launch(executable_path=str(CHROMIUM), args=CHROMIUM_ARGS)
        for text in texts:
            print(f"searching {text.name}…", file=sys.stderr)
            rows += measure(browser, sites[text.name], text)
        chromium = browser.version
        browser.close()
    versions = ", ".join(f"{name} {package_version(name)}" for name in PAGEFIND_PACKAGES)
    print(f"Pagefind: {versions}; Material for MkDocs {version('mkdocs-material')}; Chromium {chromium}")
    print()
    print("| text (queries; that should find) | engine | recall | precision | positive queries with no result |")
    print("|---|---|---:|---:|---:|")
    print("\n".join(rows))


if __name__ == "__main__":
    main()
