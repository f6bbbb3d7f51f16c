"""The GitHub Actions workflows: valid for actionlint, and doing what the README says."""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
from pathlib import Path
from typing import Any

import yaml

from helpers import ROOT

WORKFLOWS = ROOT / ".github" / "workflows"


def actionlint() -> str:
    """The actionlint installed with the test extras (beside this Python), or on PATH."""
    path = os.pathsep.join([str(Path(sys.executable).parent), os.environ.get("PATH", "")])
    found = shutil.which("actionlint", path=path)
    assert found, "actionlint is missing: run make test, which installs the test extras"
    return found


def lint(*files: Path) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [actionlint(), "-no-color", *map(str, files)],
        capture_output=True,
        text=True,
        cwd=ROOT,
        check=False,
    )


def load(name: str) -> dict[Any, Any]:
    workflow = yaml.safe_load((WORKFLOWS / name).read_text())
    workflow["on"] = workflow.pop(True, workflow.get("on"))  # YAML 1.1 reads 'on' as true
    return workflow


def steps(workflow: dict[Any, Any]) -> list[dict[str, Any]]:
    return [step for job in workflow["jobs"].values() for step in job.get("steps", [])]


def test_actionlint_accepts_every_workflow():
    files = sorted(WORKFLOWS.glob("*.yml"))
    assert [f.name for f in files] == ["publish.yml", "pull-request.yml"]
    result = lint(*files)
    assert result.returncode == 0, result.stdout + result.stderr


def test_actionlint_really_checks(tmp_path):
    broken = tmp_path / "broken.yml"
    broken.write_text(
        "on: push\njobs:\n  a:\n    runs-on: ubuntu-latest\n    steps:\n"
        "      - uses: actions/checkout@v6\n        with:\n          fetch-deph: 1\n"
    )
    result = lint(broken)
    assert result.returncode == 1
    assert 'input "fetch-deph" is not defined' in result.stdout


def test_pull_requests_run_the_tests_check_and_build():
    workflow = load("pull-request.yml")
    assert "pull_request" in workflow["on"]
    commands = [step.get("run", "") for step in steps(workflow)]
    assert "make test" in commands
    assert ".venv/bin/facttrack check --format github" in commands
    assert any(c.startswith(".venv/bin/facttrack build") for c in commands)
    assert workflow["permissions"] == {"contents": "read"}


def test_pushes_to_main_publish_with_the_official_pages_actions():
    workflow = load("publish.yml")
    assert workflow["on"]["push"] == {"branches": ["main"]}
    assert workflow["permissions"] == {"contents": "read", "pages": "write", "id-token": "write"}
    assert workflow["concurrency"] == {"group": "pages", "cancel-in-progress": False}
    uses = [step.get("uses", "").split("@")[0] for step in steps(workflow)]
    for action in ("configure-pages", "upload-pages-artifact", "deploy-pages"):
        assert f"actions/{action}" in uses
    upload = next(s for s in steps(workflow) if "upload-pages-artifact" in s.get("uses", ""))
    assert upload["with"] == {"path": "site"}
    deploy = workflow["jobs"]["deploy"]
    assert deploy["needs"] == "build"
    assert deploy["environment"]["name"] == "github-pages"
    assert "make site" in [step.get("run") for step in steps(workflow)]
