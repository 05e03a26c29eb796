"""Write batches: several articles to a transaction, each undone alone, reported only once committed."""

from __future__ import annotations

import sqlite3
from pathlib import Path

import pytest
from sqlite_utils import Database

from qexplore.db.connection import write_transaction
from qexplore.db.load import LoadReport
from qexplore.db.write_batch import WriteBatch


@pytest.fixture
def pair(tmp_path: Path) -> tuple[Database, Database]:
    """A writer and a second connection that sees only committed rows."""
    path = tmp_path / "b.db"
    writer = Database(sqlite3.connect(path, isolation_level=None))
    writer.execute("PRAGMA journal_mode=WAL")
    writer.execute("CREATE TABLE t (x TEXT UNIQUE)")
    return writer, Database(sqlite3.connect(path))


def _writer(db: Database, value: str) -> int | None:
    """A stand-in for load.store: one row in a savepoint; None when the value is there already."""
    with write_transaction(db):
        if db.execute("SELECT 1 FROM t WHERE x = ?", [value]).fetchone():
            return None
        return int(db.execute("INSERT INTO t (x) VALUES (?)", [value]).lastrowid or 0)


def _rows(db: Database) -> list[str]:
    return [r[0] for r in db.execute("SELECT x FROM t ORDER BY rowid")]


def test_articles_are_reported_once_committed_in_input_order(pair: tuple[Database, Database]) -> None:
    writer, reader = pair
    heard: list[tuple[str, str]] = []
    report = LoadReport()
    with WriteBatch(writer, report, lambda e, w, d: heard.append((e, w)), articles=3, seconds=60) as batch:
        batch.store("a", "", 2, lambda: _writer(writer, "a"))
        batch.note("failed", "bad.txt", "cannot read")
        batch.store("b", "", 5, lambda: _writer(writer, "b"))
        assert heard == [] and report.added == 0 and _rows(reader) == []  # nothing committed yet
        batch.store("a again", "", 2, lambda: _writer(writer, "a"))  # unchanged: not an article stored
        batch.store("c", "", 1, lambda: _writer(writer, "c"))  # the third stored: the batch commits
        assert _rows(reader) == ["a", "b", "c"]
        assert heard == [("added", "a"), ("failed", "bad.txt"), ("added", "b"), ("unchanged", "a again"),
                         ("added", "c")]
        assert (report.added, report.sentences) == (3, 8)
        batch.store("d", "", 1, lambda: _writer(writer, "d"))
    assert _rows(reader) == ["a", "b", "c", "d"] and report.added == 4  # the end commits the rest


def test_a_failing_article_is_undone_alone(pair: tuple[Database, Database]) -> None:
    writer, reader = pair

    def half_then_fail() -> int | None:
        with write_transaction(writer):
            writer.execute("INSERT INTO t (x) VALUES ('half')")
            raise sqlite3.IntegrityError("second half refused")

    report = LoadReport()
    with WriteBatch(writer, report, lambda e, w, d: None, articles=10, seconds=60) as batch:
        batch.store("a", "", 1, lambda: _writer(writer, "a"))
        with pytest.raises(sqlite3.IntegrityError):
            batch.store("broken", "", 1, half_then_fail)
        batch.store("b", "", 1, lambda: _writer(writer, "b"))
    assert _rows(reader) == ["a", "b"] and report.added == 2


def test_ctrl_c_commits_the_whole_articles_of_the_open_batch(pair: tuple[Database, Database]) -> None:
    writer, reader = pair
    report = LoadReport()
    heard: list[str] = []
    with pytest.raises(KeyboardInterrupt):
        with WriteBatch(writer, report, lambda e, w, d: heard.append(w), articles=10, seconds=60) as batch:
            batch.store("a", "", 1, lambda: _writer(writer, "a"))
            batch.store("b", "", 1, lambda: _writer(writer, "b"))
            raise KeyboardInterrupt  # as Ctrl-C while the next article is extracted
    assert _rows(reader) == ["a", "b"] and report.added == 2 and heard == ["a", "b"]


def test_another_error_rolls_the_batch_back_without_counting_it(pair: tuple[Database, Database]) -> None:
    writer, reader = pair
    report = LoadReport()
    heard: list[tuple[str, str]] = []

    def on(event: str, where: str, detail: str) -> None:
        heard.append((event, where))

    with pytest.raises(sqlite3.OperationalError):
        with WriteBatch(writer, report, on, articles=10, seconds=60) as batch:
            batch.store("a", "", 1, lambda: _writer(writer, "a"))
            batch.note("failed", "bad.txt", "cannot read")
            raise sqlite3.OperationalError("disk I/O error")
    assert _rows(reader) == [] and report.added == 0
    assert heard == [("failed", "bad.txt")]  # still true; the article that was not kept is not named


def test_a_batch_open_long_enough_commits_at_the_next_tick(pair: tuple[Database, Database]) -> None:
    writer, reader = pair
    with WriteBatch(writer, LoadReport(), lambda e, w, d: None, articles=100, seconds=1e-9) as batch:
        batch.store("a", "", 1, lambda: _writer(writer, "a"))
        assert _rows(reader) == ["a"] and not writer.conn.in_transaction
        batch.tick()  # nothing open: nothing to do
        assert not writer.conn.in_transaction
