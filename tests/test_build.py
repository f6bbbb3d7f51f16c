import filecmp
import json
import os
import re
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from facttrack import search
from facttrack.build import build
from facttrack.checking import Options
from helpers import FIXTURES, ROOT, run_cli
from sitecheck import check_site, data_claim_links, parse_page


def tree_bytes(folder: Path) -> dict[str, bytes]:
    return {
        p.relative_to(folder).as_posix(): p.read_bytes()
        for p in sorted(folder.rglob("*"))
        if p.is_file()
    }


@pytest.fixture(scope="module")
def small_site(tmp_path_factory) -> Path:
    out = tmp_path_factory.mktemp("small") / "site"
    result = run_cli("build", "--data", FIXTURES / "small", "--out", out)
    assert result.returncode == 0, result.stderr
    return out


def test_build_writes_every_page_kind(small_site):
    expected = [
        "index.html",
        "timeline.html",
        "style.css",
        "figures/index.html",
        "figures/returns.html",
        "figures/undocumented.html",
        "speakers/index.html",
        "speakers/interior-ministry.html",
        "sources/index.html",
        "sources/dawn-2024-11-19.html",
        "claims/index.html",
        "claims/senate-returns.html",
        "claims/senate-remaining.html",
    ]
    for page in expected:
        assert (small_site / page).is_file(), page


def test_every_link_and_fragment_resolves_in_the_fixture_site(small_site):
    assert check_site(small_site) == []


def test_every_link_and_fragment_resolves_in_the_real_site(real_site):
    assert check_site(real_site) == []


def test_every_claim_is_linked_from_home_or_figure_and_its_own_page(real_site):
    claims = {p.stem for p in (real_site / "claims").glob("*.html") if p.stem != "index"}
    linked = data_claim_links(real_site)
    for claim_id in claims:
        assert claim_id in linked[f"claims/{claim_id}.html"]
    figure_links = set().union(*(v for k, v in linked.items() if k.startswith("figures/")))
    assert figure_links == claims
    assert linked["timeline.html"] == claims


def test_source_page_highlights_each_claim_with_its_number(small_site):
    info = parse_page(small_site / "sources/dawn-2024-11-19.html")
    for claim_id in ("senate-returns", "senate-more-than", "senate-undocumented"):
        assert claim_id in info.numbers_inside[f"claim-{claim_id}"]
    assert "event-deadline" in info.ids


def test_source_text_is_shown_in_full(small_site):
    page = (small_site / "sources/dawn-2024-11-19.html").read_text()
    assert "Integrated Border Management System, a further 110,064 had also left" in page


def test_month_precision_is_shown_as_a_month(small_site):
    page = (small_site / "claims/senate-returns.html").read_text()
    assert '<time datetime="2024-11">November 2024</time>' in page
    assert "1 November 2024" not in page


def test_two_builds_are_byte_identical(tmp_path):
    first, second = tmp_path / "a", tmp_path / "b"
    for out in (first, second):
        assert build(Options(data=ROOT / "data", out=out)).ok
    assert tree_bytes(first) == tree_bytes(second)


def test_rebuild_keeps_unchanged_files_untouched(tmp_path):
    out = tmp_path / "site"
    assert build(Options(data=FIXTURES / "small", out=out)).ok
    before = {p: p.stat().st_mtime_ns for p in out.rglob("*") if p.is_file()}
    result = build(Options(data=FIXTURES / "small", out=out))
    assert result.written is not None and result.written.written == 0
    assert {p: p.stat().st_mtime_ns for p in out.rglob("*") if p.is_file()} == before


def test_templates_can_be_overridden(tmp_path):
    templates = tmp_path / "templates"
    templates.mkdir()
    base = (ROOT / "templates" / "base.html").read_text()
    (templates / "base.html").write_text(base.replace("</main>", "</main><p>CUSTOM</p>"))
    out = tmp_path / "site"
    result = run_cli("build", "--data", FIXTURES / "small", "--out", out, "--templates", templates)
    assert result.returncode == 0, result.stderr
    assert "CUSTOM" in (out / "index.html").read_text()


def test_installed_package_builds_from_any_folder(tmp_path):
    """The templates ship inside the wheel: an installed facttrack works outside the checkout."""
    wheels, target = tmp_path / "wheels", tmp_path / "lib"
    pip = [sys.executable, "-m", "pip", "--disable-pip-version-check"]
    subprocess.run(
        [*pip, "wheel", "-q", "--no-deps", "--no-build-isolation", "-w", wheels, ROOT],
        check=True,
        capture_output=True,
    )
    wheel = next(wheels.glob("facttrack-*.whl"))
    subprocess.run(
        [*pip, "install", "-q", "--no-deps", "--target", target, wheel],
        check=True,
        capture_output=True,
    )
    data = tmp_path / "elsewhere" / "data"
    shutil.copytree(FIXTURES / "small", data)
    env = {**os.environ, "PYTHONPATH": str(target)}
    run = [sys.executable, "-m", "facttrack"]
    result = subprocess.run(
        [*run, "build", "--data", "data", "--out", "out"],
        cwd=data.parent,
        env=env,
        capture_output=True,
        text=True,
        check=False,
    )
    assert result.returncode == 0, result.stderr
    where = subprocess.run(
        [sys.executable, "-c", "import facttrack.render as r; print(r.default_templates_dir())"],
        cwd=data.parent,
        env=env,
        capture_output=True,
        text=True,
        check=True,
    )
    assert where.stdout.startswith(str(target))
    assert filecmp.cmp(data.parent / "out" / "style.css", ROOT / "templates/static/style.css")


def test_check_writes_nothing(tmp_path):
    result = run_cli("check", "--data", FIXTURES / "small", cwd=tmp_path)
    assert result.returncode == 0, result.stderr
    assert "OK: 4 claims, 1 event, 2 figures, 1 speaker, 1 source" in result.stdout
    assert list(tmp_path.iterdir()) == []


def test_check_imports_none_of_the_modules_only_a_build_runs(tmp_path):
    """`facttrack check` starts sooner without the renderer, the page cache, the
    downloads and the rest of what a build goes on with (checking.py)."""
    only_built = [
        "facttrack.build", "facttrack.cache", "facttrack.history", "facttrack.opendata",
        "facttrack.pages", "facttrack.render", "facttrack.search", "jinja2", "markdown",
    ]  # fmt: skip
    script = (
        "import sys\n"
        "from facttrack.cli import main\n"
        "status = main(['check', '--data', sys.argv[1]])\n"
        f"print(status, [name for name in {only_built!r} if name in sys.modules])\n"
    )
    done = subprocess.run(
        [sys.executable, "-c", script, str(FIXTURES / "small")],
        capture_output=True,
        text=True,
        cwd=tmp_path,
    )
    assert done.stdout.splitlines()[-1] == "0 []", done.stderr


def test_help_lists_the_commands_and_options():
    result = run_cli("--help")
    assert "build" in result.stdout and "check" in result.stdout
    for command in ("build", "check"):
        text = run_cli(command, "--help").stdout
        assert "--data" in text and "--templates" in text
    assert "--out" in run_cli("build", "--help").stdout
    json.dumps(result.stdout)  # printable


def test_claim_page_links_numbers_of_other_claims_in_its_excerpt(small_site):
    linked = data_claim_links(small_site)
    assert {"senate-remaining", "senate-returns"} <= linked["claims/senate-remaining.html"]
    # the excerpt itself: the page's checks may link further claims (here a conflict)
    page = (small_site / "claims/senate-remaining.html").read_text()
    excerpt = page[page.index('<figure class="excerpt">') : page.index("</figure>")]
    assert set(re.findall(r'data-claim="([^"]+)"', excerpt)) == {
        "senate-remaining",
        "senate-returns",
    }


def test_the_site_folder_is_readable_like_any_other_new_folder(tmp_path):
    umask = os.umask(0o022)
    try:
        out = tmp_path / "site"
        assert build(Options(data=FIXTURES / "small", out=out)).ok
    finally:
        os.umask(umask)
    assert out.stat().st_mode & 0o777 == 0o755


def test_a_search_index_updated_in_place_is_readable_like_the_site(tmp_path):
    """facttrack serve brings the index up to date beside the pages (update_index): its
    new folder takes the old one's place, and a web server must read it too."""
    umask = os.umask(0o022)
    try:
        out = tmp_path / "site"
        assert build(Options(data=FIXTURES / "small", out=out)).ok
        search.update_index(out)
    finally:
        os.umask(umask)
    assert (out / "pagefind").stat().st_mode & 0o777 == 0o755
