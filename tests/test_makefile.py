"""The Makefile's set-up: `make venv` leaves facttrack's modules compiled to bytecode
(an editable install does not, and under PYTHONDONTWRITEBYTECODE no import does), and
compiles a module again once it changes."""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
from pathlib import Path

from helpers import ROOT


def project(tmp_path: Path) -> Path:
    """A copy of the project's Makefile and modules, with a set-up .venv/ that runs
    this Python (the virtual environment itself is not what is tested)."""
    shutil.copy(ROOT / "Makefile", tmp_path)
    shutil.copy(ROOT / "pyproject.toml", tmp_path)
    shutil.copytree(ROOT / "src" / "facttrack", tmp_path / "src" / "facttrack",
                    ignore=shutil.ignore_patterns("__pycache__"))  # fmt: skip
    bin_dir = tmp_path / ".venv" / "bin"
    bin_dir.mkdir(parents=True)
    (bin_dir / "python").symlink_to(sys.executable)
    (bin_dir / "facttrack").touch()  # newer than pyproject.toml: installed
    return tmp_path


def make_venv(folder: Path) -> str:
    done = subprocess.run(
        ["make", "--no-print-directory", "venv"],
        cwd=folder,
        capture_output=True,
        text=True,
        check=True,
        env={**os.environ, "PYTHONDONTWRITEBYTECODE": "1"},
    )
    return done.stdout


def bytecode(folder: Path, module: str) -> Path:
    tag = sys.implementation.cache_tag
    return folder / "src" / "facttrack" / "__pycache__" / f"{module}.{tag}.pyc"


def test_make_venv_compiles_facttrack_and_recompiles_a_changed_module(tmp_path: Path) -> None:
    folder = project(tmp_path)
    make_venv(folder)
    modules = sorted(path.stem for path in (folder / "src" / "facttrack").glob("*.py"))
    assert all(bytecode(folder, module).is_file() for module in modules)

    assert "compileall" not in make_venv(folder)  # nothing changed: nothing compiled

    compiled = bytecode(folder, "link").stat().st_mtime_ns
    source = folder / "src" / "facttrack" / "link.py"
    source.write_text(source.read_text() + "\nCHANGED = True\n")
    later = compiled + 2_000_000_000  # past the stamp, whatever the clock's resolution
    os.utime(source, ns=(later, later))
    assert "compileall" in make_venv(folder)
    assert bytecode(folder, "link").stat().st_mtime_ns > compiled
