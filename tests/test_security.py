"""The page can do nothing it was not meant to: CSP, referrer, outside links, valid HTML, hashed pins."""

from __future__ import annotations

import base64
import contextlib
import hashlib
import json
import os
import re
import shutil
import socket
import subprocess
import sys
import threading
import time
import urllib.request
from collections.abc import Iterator
from pathlib import Path
from typing import IO
from urllib.parse import urlsplit

import pytest
from bs4 import BeautifulSoup
from conftest import copy_project, page_soup
from facts import HTML_PAGES, REPO
from playwright.sync_api import Browser
from serving import site_path_prefix

PAGES = list(HTML_PAGES)
VNU = REPO / "tests" / "node_modules" / "vnu-jar" / "build" / "dist" / "vnu.jar"
# In EXPECTED_DIRECTIVES: the address the site was built for, with its path; the one file of its host it may read
# (Lighthouse reads robots.txt from the page: finish/policy.py).
SITE, ROBOTS = "the site's address", "the host's robots.txt"
EXPECTED_DIRECTIVES = {
    "default-src": ["'none'"],
    "img-src": [SITE, "data:"],
    "font-src": [SITE, "data:"],
    "connect-src": [SITE, ROBOTS],
    "base-uri": ["'none'"],
    "form-action": ["'none'"],
}


def policy_of(document: BeautifulSoup) -> str:
    return document.find("meta", attrs={"http-equiv": "Content-Security-Policy"})["content"]


def directives(policy: str) -> dict[str, list[str]]:
    parsed = {}
    for directive in filter(None, (part.strip() for part in policy.split(";"))):
        name, *values = directive.split()
        parsed[name] = values
    return parsed


class TestContentSecurityPolicy:
    """Every page carries a strict policy whose hashes are those of its own inline scripts."""

    @pytest.mark.parametrize("page", PAGES)
    def test_policy_comes_before_every_style_and_script(self, site: Path, page: str) -> None:
        document = page_soup(site, page)
        policies = document.find_all("meta", attrs={"http-equiv": "Content-Security-Policy"})
        assert len(policies) == 1 and policies[0].parent.name == "head"
        governed = document.find_all(["script", "style"]) + document.find_all("link", rel="stylesheet")
        before = {id(element) for element in policies[0].find_all_previous()}
        assert governed and [element for element in governed if id(element) in before] == []

    @pytest.mark.parametrize("page", PAGES)
    def test_only_the_charset_precedes_it(self, site: Path, page: str) -> None:
        """First in <head>, where nothing it should govern can come before it."""
        elements = page_soup(site, page).head.find_all(True)
        policy = next(i for i, e in enumerate(elements) if e.get("http-equiv") == "Content-Security-Policy")
        assert policy == 1 and elements[0].get("charset") == "utf-8"

    @pytest.mark.parametrize("page", PAGES)
    def test_policy_allows_only_this_site(self, site: Path, server: str, page: str) -> None:
        """By its address with its path: never 'self', which on GitHub Pages is every project site of the owner."""
        policy = policy_of(page_soup(site, page))
        assert "unsafe-" not in policy and "'self'" not in policy and "*" not in policy
        parsed = directives(policy)
        script_src, style_src = parsed.pop("script-src"), parsed.pop("style-src")
        names = {SITE: server, ROBOTS: f"http://{urlsplit(server).netloc}/robots.txt"}
        assert parsed == {name: [names.get(s, s) for s in v] for name, v in EXPECTED_DIRECTIVES.items()}
        assert script_src[0] == server and style_src[0] == server and urlsplit(server).path == "/report/"
        assert all(source.startswith("'sha256-") for source in script_src[1:] + style_src[1:])

    @pytest.mark.parametrize("page", PAGES)
    def test_hashes_are_those_of_the_inline_scripts(self, site: Path, page: str) -> None:
        document = page_soup(site, page)
        scripts = [script for script in document.find_all("script") if not script.get("src")]
        runnable = [script for script in scripts if script.get("type", "text/javascript") == "text/javascript"]
        # Material writes three (base, palette, target); ours applies the system's palette before Material's.
        assert len(runnable) == 4, "four inline scripts expected; check what changed"
        # Data blocks (JSON-LD, Material's configuration) too: the Nu HTML Checker asks for them.
        bodies = [script.string or "" for script in scripts]
        expected = {f"'sha256-{base64.b64encode(hashlib.sha256(s.encode()).digest()).decode()}'" for s in bodies}
        assert set(directives(policy_of(document))["script-src"][1:]) == expected

    def test_first_script_differs_by_depth(self, site: Path) -> None:
        assert policy_of(page_soup(site, "index.html")) != policy_of(page_soup(site, "provenance/index.html"))


@contextlib.contextmanager
def serving_once_ready(command: list[str], cwd: Path, timeout_s: float) -> Iterator[None]:
    """Run ``command`` (mkdocs serve) until the block ends; enter once its log says "Serving on" (it listens then).

    Fails, with the log, if the command ends or ``timeout_s`` passes first. The log is read to its end
    in the background, so that the server never blocks writing it.
    """
    server = subprocess.Popen(
        command,
        cwd=cwd,
        env={**os.environ, "NO_MKDOCS_2_WARNING": "1"},
        stdout=subprocess.DEVNULL,
        stderr=subprocess.PIPE,
        encoding="utf-8",
        errors="replace",
    )
    lines: list[str] = []
    serving, ended = threading.Event(), threading.Event()

    def read(stream: IO[str]) -> None:
        with stream:
            for line in stream:
                lines.append(line)
                if "Serving on http" in line:
                    serving.set()
        ended.set()
        serving.set()

    assert server.stderr
    reader = threading.Thread(target=read, args=(server.stderr,), daemon=True)
    reader.start()
    try:
        if not serving.wait(timeout_s) or ended.is_set():
            said = "".join(lines)
            why = (
                f"ended (exit {server.wait(timeout=10)}) before saying 'Serving on'"
                if ended.is_set()
                else f"did not say 'Serving on' in {timeout_s} s"
            )
            pytest.fail(f"the server {why}; its log:\n{said}", pytrace=False)
        yield
    finally:
        server.terminate()
        server.wait(timeout=30)
        reader.join(timeout=30)


class TestLiveReloadUnderServe:
    """`make serve` (mkdocs serve) injects a live-reload script that no build-time hash can allow."""

    def test_live_reload_runs_and_nothing_is_blocked(self, tmp_path: Path, site: Path, browser: Browser) -> None:
        project = copy_project(tmp_path / "project")
        with socket.socket() as probe:
            probe.bind(("127.0.0.1", 0))
            port = probe.getsockname()[1]
        command = [sys.executable, "-m", "mkdocs", "serve", "--strict", "--dev-addr", f"127.0.0.1:{port}"]
        messages: list[tuple[str, str]] = []
        # The first build comes first: bounded generously for a loaded machine.
        with serving_once_ready(command, project, timeout_s=180):
            page = browser.new_page()
            page.on("console", lambda message: messages.append((message.type, message.text)))
            # Waits for the live-reload script to say it runs (or fails after Playwright's timeout).
            with page.expect_console_message(lambda message: message.text == "Enabled live reload"):
                page.goto(f"http://127.0.0.1:{port}{site_path_prefix(site)}")
            page.close()
        assert [text for kind, text in messages if kind == "error"] == []
        assert ("log", "Enabled live reload") in messages

    def test_a_bad_edit_shows_its_error_and_no_request_waits(self, tmp_path: Path, site: Path) -> None:
        """MkDocs' server holds every request until a build succeeds: the error is the page instead, at once."""
        project = copy_project(tmp_path / "project")
        with socket.socket() as probe:
            probe.bind(("127.0.0.1", 0))
            port = probe.getsockname()[1]
        command = [sys.executable, "-m", "mkdocs", "serve", "--strict", "--dev-addr", f"127.0.0.1:{port}"]
        address = f"http://127.0.0.1:{port}{site_path_prefix(site)}"
        with serving_once_ready(command, project, timeout_s=180):
            additions = project / "source" / "report.yml"
            additions.write_text(
                additions.read_text(encoding="utf-8").replace("title:", "title: [", 1), encoding="utf-8"
            )
            deadline = time.monotonic() + 120
            while time.monotonic() < deadline:
                # Each request answers within seconds (a held one would time out here).
                page = urllib.request.urlopen(address, timeout=30).read().decode("utf-8")
                if "source/report.yml" in page:
                    break
                time.sleep(1)
            assert "source/report.yml: line" in page, page[:500]

    def test_a_server_that_ends_before_serving_fails_with_its_log(self, tmp_path: Path) -> None:
        command = [sys.executable, "-c", "import sys; sys.exit('no mkdocs.yml here')"]
        expected = r"ended \(exit 1\) before saying 'Serving on'; its log:\n.*no mkdocs\.yml here"
        with (
            pytest.raises(pytest.fail.Exception, match=expected),
            serving_once_ready(command, tmp_path, timeout_s=60),
        ):
            pass


class TestLinksAndReferrer:
    @pytest.mark.parametrize("page", PAGES)
    def test_referrer_policy(self, site: Path, page: str) -> None:
        tag = page_soup(site, page).find("meta", attrs={"name": "referrer"})
        assert tag["content"] == "strict-origin-when-cross-origin"

    @pytest.mark.parametrize("page", PAGES)
    def test_links_to_other_sites_carry_noopener_noreferrer(self, site: Path, server: str, page: str) -> None:
        outside = [
            link
            for link in page_soup(site, page).find_all("a", href=True)
            if urlsplit(link["href"]).netloc not in ("", urlsplit(server).netloc)
        ]
        assert all({"noopener", "noreferrer"} <= set(link.get("rel", [])) for link in outside)
        if page == "provenance/index.html":
            assert outside, "the provenance page cites other sites"


# What the checker says where it lags the HTML standard, which allows blocking="render" on a <link rel="expect">
# (the link type "expect", potentially render-blocking): the provenance page's hold for its tables
# (finish/fixes.hold_paint_for_tables). Only this exact message is passed over.
CHECKER_BEHIND_THE_STANDARD = (
    "A “link” element with a “blocking” attribute must have a “rel” attribute whose value is “stylesheet”."
)


class TestValidHtml:
    """The Nu HTML Checker finds no error and no warning on any page (but CHECKER_BEHIND_THE_STANDARD)."""

    def test_nu_html_checker(self, server: str) -> None:
        """Checked as served over HTTP, so that 'self' in the policy means the site's origin."""
        java = shutil.which("java")
        if java is None:
            pytest.fail("java is missing: the Nu HTML Checker needs Java 17 (`make test` installs it)", pytrace=False)
        if not VNU.is_file():
            pytest.fail(f"{VNU} is missing: run `make test` (npm ci in tests/)", pytrace=False)
        # The 404 page by its own name: the checker does not read a page served with status 404.
        pages = [server, f"{server}provenance/", f"{server}404.html"]
        result = subprocess.run(
            # Allow 127.0.0.1, which the checker refuses by default.
            [java, "-Dnu.validator.servlet.allow-forbidden-hosts=true", "-jar", str(VNU), "--format", "json", *pages],
            capture_output=True,
            text=True,
            check=False,
        )
        messages = json.loads(result.stderr)["messages"]
        problems = [
            f"{m['url']}:{m.get('lastLine')}: {m['type']}: {m['message']}"
            for m in messages
            if (m["type"] in ("error", "non-document-error") or m.get("subType") == "warning")
            and m["message"] != CHECKER_BEHIND_THE_STANDARD
        ]
        assert problems == []


class TestPinnedWithHashes:
    """Every Python dependency is pinned exactly, with hashes, and installed requiring them."""

    @pytest.mark.parametrize("name", ["requirements.txt", "requirements-dev.txt"])
    def test_every_requirement_pinned_with_a_hash(self, name: str) -> None:
        text = (REPO / name).read_text(encoding="utf-8")
        requirements = re.findall(
            r"^([A-Za-z0-9_.\-\[\]]+)(==[^\s\\]+)?\s*\\\n((?:\s+--hash=sha256:[0-9a-f]{64}.*\n)+)", text, re.M
        )
        names = re.findall(r"^[A-Za-z0-9]", text, re.M)
        assert requirements and len(requirements) == len(names)
        assert all(version for _, version, _ in requirements)

    def test_installed_with_require_hashes(self) -> None:
        makefile = (REPO / "Makefile").read_text(encoding="utf-8")
        installs = [line for line in makefile.splitlines() if "install" in line and "-r requirements" in line]
        assert installs and all("--require-hashes" in line for line in installs)
