"""Facts the tests share, each typed once: the site's address, its pages, the project's texts.

The texts are read through generate/, as the build reads them, so a test
never parses source/report.yml differently from the site.
"""

from __future__ import annotations

import dataclasses
from pathlib import Path

from mkdocs.config import load_config

from generate.inputs import read_inputs
from sitefonts import CARD_FACES, source_path

REPO = Path(__file__).resolve().parent.parent
SOURCE = REPO / "source" / "report.ar.txt"
# Debian's Chromium (Playwright's own download is not used) and axe-core, for the browser tests.
CHROMIUM = Path("/usr/bin/chromium")
# How the tests launch it: no sandbox (root in containers), no GPU, no background requests of its own.
CHROMIUM_ARGS = ["--no-sandbox", "--disable-gpu", "--disable-background-networking"]
AXE = REPO / "tests" / "node_modules" / "axe-core" / "axe.min.js"

# Where a build without SITE_URL publishes (mkdocs.yml's default).
SITE_URL: str = load_config(str(REPO / "mkdocs.yml"))["site_url"]
# Every page of the built site, as its file, and as a reader's address under the site (for the browser).
HTML_PAGES = ("index.html", "provenance/index.html", "404.html")
PAGE_ADDRESSES = {"report": "", "provenance": "provenance/", "not-found": "no-such-page/"}
# Each page's name, as PAGE_ADDRESSES gives it: its file in site/.
PAGE_FILES = dict(zip(PAGE_ADDRESSES, HTML_PAGES, strict=True))
# The project's additions (source/report.yml), as a mapping.
ADDED = dataclasses.asdict(read_inputs(REPO).additions)
LABELS = ADDED["labels"]
# The font the link-preview cards draw the Arabic title with.
CARD_FONT = source_path(CARD_FACES[0])
