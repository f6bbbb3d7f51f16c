"""Shared fixtures: write a tiny project into tmp_path from a dict of file texts."""

from __future__ import annotations

import shutil
import subprocess
from collections.abc import Callable
from pathlib import Path

import pytest

from helpers import CLAIMS_YAML, FIXTURES, ROOT, run_cli, source_file


@pytest.fixture
def project(tmp_path: Path) -> Callable[..., Path]:
    """Write {relative path: text} under tmp_path/project; return the data folder.

    With no arguments it writes a small valid project; pass claims= or sources=
    to replace parts of it.
    """

    def make(
        claims: str | bytes | None = CLAIMS_YAML,
        sources: dict[str, str | bytes] | None = None,
        extra: dict[str, str | bytes] | None = None,
    ) -> Path:
        data = tmp_path / "project" / "data"
        (data / "sources").mkdir(parents=True, exist_ok=True)
        files: dict[str, str | bytes] = {}
        if claims is not None:
            files["claims.yaml"] = claims
        for source_id, text in (sources or {"dawn": source_file()}).items():
            files[f"sources/{source_id}.txt"] = text
        files.update(extra or {})
        for relative, content in files.items():
            path = data / relative
            path.parent.mkdir(parents=True, exist_ok=True)
            if isinstance(content, bytes):
                path.write_bytes(content)
            else:
                path.write_text(content, encoding="utf-8")
        return data

    return make


@pytest.fixture
def cli() -> Callable[..., subprocess.CompletedProcess[str]]:
    return run_cli


@pytest.fixture
def small_fixture(tmp_path: Path) -> Path:
    """A copy of tests/fixtures/small, safe to modify."""
    target = tmp_path / "small"
    shutil.copytree(FIXTURES / "small", target)
    return target


@pytest.fixture(scope="session")
def real_site(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The site built from data/ by the command line, once for every test that reads it."""
    out = tmp_path_factory.mktemp("real") / "site"
    result = run_cli("build", "--data", ROOT / "data", "--out", out)
    assert result.returncode == 0, result.stderr
    return out
