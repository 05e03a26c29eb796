"""Concurrent use: readers keep working while a load writes; two loads at once stay correct."""

from __future__ import annotations

import sqlite3
import time
from pathlib import Path

import pytest
from hardening_support import TRACEBACK, check_whole, make_corpus, popen_cli
from typer.testing import CliRunner

from qexplore.db import connection
from qexplore.db.query import search, stats
from qexplore.db.schema import open_db
from qexplore.tui.cli import app


def test_a_reader_keeps_working_and_sees_new_articles_while_a_load_writes(tmp_path: Path) -> None:
    corpus = tmp_path / "corpus"
    make_corpus(corpus, 50, sentences=3, seed=11)
    db_path = tmp_path / "live.db"
    open_db(db_path).close()
    reader = open_db(db_path, read_only=True)
    proc = popen_cli(tmp_path, "--db", str(db_path), "load", str(corpus))
    seen: list[int] = []
    while proc.poll() is None:
        seen.append(stats(reader)["tables"]["articles"])
        hits = search(reader, "تقرير", limit=5)  # every article's first line says تقرير
        assert hits.total >= seen[-1]
        time.sleep(0.05)
    _, err = proc.communicate()
    assert proc.returncode == 0 and TRACEBACK not in err
    seen.append(stats(reader)["tables"]["articles"])  # a new query sees the finished load
    reader.close()
    assert seen == sorted(seen) and seen[-1] == 50
    assert len(set(seen)) > 2, f"the reader should have seen the load progress: {seen}"


def test_two_loads_at_once_neither_corrupts_nor_duplicates(tmp_path: Path) -> None:
    corpus = tmp_path / "corpus"
    files = make_corpus(corpus, 60, sentences=3, seed=12)
    first, second = tmp_path / "a", tmp_path / "b"
    for folder, chosen in ((first, files[:40]), (second, files[20:])):  # 20 articles in both
        folder.mkdir()
        for path in chosen:
            (folder / path.name).write_bytes(path.read_bytes())
    db_path = tmp_path / "both.db"  # new: both processes race to create and migrate it
    procs = [popen_cli(tmp_path, "--db", str(db_path), "load", str(f)) for f in (first, second)]
    outputs = [p.communicate(timeout=180) for p in procs]
    for proc, (_, err) in zip(procs, outputs, strict=True):
        assert proc.returncode == 0, err
        assert TRACEBACK not in err
    added = [int(out.split(" added")[0]) for out, _ in outputs]
    unchanged = [int(out.split("added, ")[1].split(" unchanged")[0]) for out, _ in outputs]
    assert sum(added) == 60 and sum(unchanged) == 20  # each shared article stored once
    assert check_whole(db_path) == 60


def test_a_load_that_cannot_get_the_lock_says_why(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    db_path = tmp_path / "busy.db"
    open_db(db_path).close()
    article = tmp_path / "a.txt"
    article.write_text("وصل الوفد إلى بغداد أمس.", encoding="utf-8")
    monkeypatch.setattr(connection, "BUSY_TIMEOUT_S", 0.5)
    holder = sqlite3.connect(db_path, isolation_level=None)
    holder.execute("BEGIN IMMEDIATE")  # another program holds the write lock
    try:
        result = CliRunner().invoke(app, ["--db", str(db_path), "load", str(article)])
    finally:
        holder.execute("ROLLBACK")
        holder.close()
    assert result.exit_code == 1 and TRACEBACK not in result.output
    assert result.output.startswith("qexplore: error: ") and "it is locked" in result.output
    assert result.output.count("\n") == 1
    again = CliRunner().invoke(app, ["--db", str(db_path), "load", str(article)])
    assert again.exit_code == 0 and again.output.startswith("1 added")
