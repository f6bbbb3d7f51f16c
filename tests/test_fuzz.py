"""Random damage to valid input gives a clean error or a clean build, never a traceback.

Hypothesis mutates a valid claims.yaml and source file (delete, duplicate and
swap lines, insert characters or raw bytes, truncate, change numbers) and
builds the result through the library; a few examples go through the CLI too.
"""

from __future__ import annotations

import re
import subprocess
import sys
import tempfile
from pathlib import Path

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from facttrack.build import build
from facttrack.checking import Options
from helpers import CLAIMS_YAML, source_file

BASE = {"claims.yaml": CLAIMS_YAML.encode(), "sources/dawn.txt": source_file().encode()}
YAML_CHARACTERS = ":-[]{}#&*!|>'\"%@`,?\t\n\r \ufeff\x00\x85\u2028é”"

index = st.integers(min_value=0, max_value=10_000)
operation = st.one_of(
    st.tuples(st.just("delete line"), index),
    st.tuples(st.just("duplicate line"), index),
    st.tuples(st.just("swap lines"), index, index),
    st.tuples(
        st.just("insert text"),
        index,
        st.text(alphabet=YAML_CHARACTERS, max_size=6) | st.text(max_size=6),
    ),
    st.tuples(st.just("insert bytes"), index, st.binary(min_size=1, max_size=4)),
    st.tuples(st.just("truncate"), index),
    st.tuples(
        st.just("change number"),
        index,
        st.sampled_from(["0", "-1", "1e400", "0x1F", ".nan", "1,000", "99999999999999999999"])
        | st.integers(min_value=-(10**12), max_value=10**12).map(str),
    ),
)
mutations = st.lists(st.tuples(st.sampled_from(sorted(BASE)), operation), min_size=1, max_size=4)


def mutate(content: bytes, op: tuple) -> bytes:  # type: ignore[type-arg]
    kind, at, *rest = op
    lines = content.split(b"\n")
    line = at % len(lines)
    if kind == "delete line":
        del lines[line]
    elif kind == "duplicate line":
        lines.insert(line, lines[line])
    elif kind == "swap lines":
        other = rest[0] % len(lines)
        lines[line], lines[other] = lines[other], lines[line]
    elif kind in ("insert text", "insert bytes"):
        extra = rest[0].encode() if kind == "insert text" else rest[0]
        cut = at % (len(content) + 1)
        return content[:cut] + extra + content[cut:]
    elif kind == "truncate":
        return content[: at % (len(content) + 1)]
    elif kind == "change number":
        numbers = list(re.finditer(rb"\d+", content))
        if not numbers:
            return content
        found = numbers[at % len(numbers)]
        return content[: found.start()] + rest[0].encode() + content[found.end() :]
    return b"\n".join(lines)


def write_project(root: Path, changes: list[tuple[str, tuple]]) -> Path:  # type: ignore[type-arg]
    files = dict(BASE)
    for name, op in changes:
        files[name] = mutate(files[name], op)
    data = root / "data"
    for name, content in files.items():
        (data / name).parent.mkdir(parents=True, exist_ok=True)
        (data / name).write_bytes(content)
    return data


@settings(
    max_examples=150,
    deadline=None,
    suppress_health_check=[HealthCheck.too_slow],
)
@given(mutations)
def test_mutated_input_gives_a_clean_error_or_a_clean_build(changes):
    with tempfile.TemporaryDirectory() as folder:
        root = Path(folder)
        data = write_project(root, changes)
        out = root / "site"
        result = build(Options(data=data, out=out))
        if result.ok:
            assert (out / "index.html").is_file()
        else:
            assert not out.exists()  # nothing written
            assert result.problems.errors
            for problem in result.problems.errors:
                assert problem.file and problem.message
                problem.format()


@settings(max_examples=6, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(mutations)
def test_mutated_input_through_the_command_line(changes):
    with tempfile.TemporaryDirectory() as folder:
        root = Path(folder)
        data = write_project(root, changes)
        out = root / "site"
        result = subprocess.run(
            [sys.executable, "-m", "facttrack", "build", "--data", data, "--out", out],
            capture_output=True,
            text=True,
            check=False,
        )
        assert "Traceback" not in result.stderr
        assert result.returncode in (0, 1), result.stderr
        if result.returncode == 1:
            assert result.stderr.rstrip().endswith("nothing was written.")
            assert not out.exists()
        else:
            assert (out / "index.html").is_file()
