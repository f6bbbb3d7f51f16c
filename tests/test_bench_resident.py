"""bench/resident.py, at a small N: the rebuild it times is a real one-claim rebuild."""

from __future__ import annotations

from bench import resident
from bench.generate import corpus, write_project


def test_the_resident_rebuild_writes_a_few_files_and_restores_the_data(tmp_path, capsys):
    data = write_project(corpus(200, seed=3), tmp_path / "data")
    claims = (data / "claims.yaml").read_bytes()
    resident.main(data, tmp_path / "site", repeat=2)
    seconds, written = capsys.readouterr().out.split()
    files = sum(1 for path in (tmp_path / "site").rglob("*") if path.is_file())
    assert float(seconds) > 0
    assert 0 < int(written) < files // 4  # the claim's pages and the lists that show it
    assert (data / "claims.yaml").read_bytes() == claims  # the change was undone
