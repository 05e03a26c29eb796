"""The benchmark runs end to end at its smallest size (the shipped seeds), so it cannot rot.

No time is asserted: CI machines vary. What must hold is that every stage ran and the figures
it prints are the ones it measured.
"""

from __future__ import annotations

from pathlib import Path

import bench
import pytest


def test_bench_runs_at_a_tiny_size(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    results = bench.main(["--sizes", "300", "--seeds", "--jobs", "1,2", "--load-cap", "300",
                          "--workdir", str(tmp_path)])
    (result,) = results
    assert result["sentences"] >= 300  # the five seeds hold fewer: copies were added
    loads = result["load"]["jobs"]
    assert loads[1]["sentences"] == loads[2]["sentences"] == result["sentences"]
    assert loads[1]["rss"] > 0 and loads[2]["seconds"] > 0
    assert len(result["search"]["app"]) == len(bench.QUERIES) >= 50
    assert "first" in result["tui"] or "error" in result["tui"]
    out = capsys.readouterr().out
    assert "2 cores" in out or "cores (os.cpu_count)" in out
    assert "search, app path: ms p50 / p95" in out and "load --jobs 2: articles/s" in out


def test_bench_sizes_and_rough_counts() -> None:
    assert [bench.parse_size(s) for s in ("10k", "1m", "300", "1.5k")] == [10_000, 1_000_000, 300, 1500]
    assert bench.rough_sentences("جملة أولى. جملة ثانية؟\n\nسطر") == 3
    assert bench.rg_patterns('"حزب الله" -بيروت نفط* OR x') == ["حزب الله", "نفط", "x"]
