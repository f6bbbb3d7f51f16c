"""Test helpers: a small valid project, and running the CLI as a user would."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
FIXTURES = ROOT / "tests" / "fixtures"
SOURCE_TEXT = (
    "Officials said on Tuesday that 541,210 people have been sent back since October. "
    "Around 1.7 million illegal aliens are living in the country.\n\n"
    "The government had set up 49 holding centers across the country. "
    "Eight crossing points would be used.\n"
)


def source_file(text: str = SOURCE_TEXT, **meta: str) -> str:
    fields = {
        "title": "Senate told of deportations",
        "publisher": "Dawn",
        "published": "2024-11-19",
        "kind": "news article",
        **meta,
    }
    header = "".join(f"{key}: {value}\n" for key, value in fields.items())
    return f"---\n{header}---\n{text}"


CLAIMS_YAML = """\
figures:
  - id: returns
    label: Returns to Afghanistan
    unit: people
    kind: cumulative
    description: People who went back.
speakers:
  - id: ministry
    name: Ministry of Interior
    role: ministry
claims:
  - id: senate-returns
    figure: returns
    value: 541210
    as_of: "2024-11"
    speaker: ministry
    source: dawn
    quote: 541,210 people have been sent back since October.
events:
  - id: centres
    date: "2023-10"
    title: Holding centres set up
    source: dawn
    quote: The government had set up 49 holding centers across the country.
"""


def run_cli(*args: str | Path, cwd: Path | None = None) -> subprocess.CompletedProcess[str]:
    """Run the facttrack command as a user would, capturing its output."""
    return subprocess.run(
        [sys.executable, "-m", "facttrack", *map(str, args)],
        capture_output=True,
        text=True,
        cwd=cwd,
        stdin=subprocess.DEVNULL,
        check=False,
    )
