"""Bad databases: a clear one-line message, and the file left exactly as it was."""

from __future__ import annotations

import shutil
import sqlite3
import subprocess
from pathlib import Path

import pytest
from hardening_support import SKIP_ROOT, TRACEBACK, public_dir, unprivileged_cli
from typer.testing import CliRunner

from qexplore.db.connection import BadDatabase
from qexplore.db.schema import SCHEMA_VERSION, SchemaTooNew, open_db
from qexplore.tui.cli import app

runner = CliRunner()
ARTICLE = "وصل الوفد إلى بغداد أمس لبحث التهدئة مع الحكومة."


def _state(folder: Path) -> dict[str, tuple[bytes, int]]:
    """Every file in the folder with its bytes and modification time (ns)."""
    return {p.name: (p.read_bytes(), p.stat().st_mtime_ns) for p in sorted(folder.iterdir()) if p.is_file()}


def _try_commands(tmp_path: Path, db: Path, expected: str) -> None:
    """load, stats and search all refuse ``db`` with one line holding ``expected``; nothing changes."""
    article = tmp_path / "a.txt"
    article.write_text(ARTICLE, encoding="utf-8")
    before = _state(db.parent)
    for args in (["load", str(article)], ["stats"], ["search", "بغداد"], ["export", "articles"]):
        result = runner.invoke(app, ["--db", str(db), *args])
        assert result.exit_code == 1, (args, result.output)
        assert result.output.startswith("qexplore: error: ") and result.output.count("\n") == 1, result.output
        assert expected in result.output and TRACEBACK not in result.output
        assert _state(db.parent) == before, args  # same files, same bytes, same mtimes


def test_a_file_that_is_not_sqlite(tmp_path: Path) -> None:
    (tmp_path / "d").mkdir()
    junk = tmp_path / "d" / "notes.db"
    junk.write_text("قائمة المقالات\n" * 200, encoding="utf-8")
    _try_commands(tmp_path, junk, "is not an SQLite database")


def test_a_truncated_database(tmp_path: Path, seeded_path: Path) -> None:
    (tmp_path / "d").mkdir()
    cut = tmp_path / "d" / "cut.db"
    data = seeded_path.read_bytes()
    cut.write_bytes(data[: len(data) // 2])
    _try_commands(tmp_path, cut, "is truncated")
    cut.write_bytes(data[:60])  # not even a whole header
    _try_commands(tmp_path, cut, "is truncated")


def test_a_database_from_a_newer_qexplore(tmp_path: Path, seeded_path: Path) -> None:
    (tmp_path / "d").mkdir()
    newer = tmp_path / "d" / "newer.db"
    shutil.copy(seeded_path, newer)
    conn = sqlite3.connect(newer)
    conn.execute("PRAGMA journal_mode=DELETE")  # rollback mode: switching to WAL would write the file
    conn.execute("UPDATE meta SET value = ? WHERE key = 'schema_version'", [str(SCHEMA_VERSION + 1)])
    conn.commit()
    conn.close()
    _try_commands(tmp_path, newer, f"schema version {SCHEMA_VERSION + 1}, newer than this qexplore")
    with pytest.raises(SchemaTooNew):
        open_db(newer, read_only=True)


def test_a_folder_given_as_the_database(tmp_path: Path) -> None:
    (tmp_path / "d" / "folder.db").mkdir(parents=True)
    result = runner.invoke(app, ["--db", str(tmp_path / "d" / "folder.db"), "stats"])
    assert result.exit_code == 1 and "is a folder, not a database file" in result.output


def test_open_db_refuses_before_writing(tmp_path: Path) -> None:
    junk = tmp_path / "x.db"
    junk.write_bytes(b"\x00" * 4096)
    with pytest.raises(BadDatabase, match="not an SQLite database"):
        open_db(junk)
    assert junk.read_bytes() == b"\x00" * 4096 and sorted(tmp_path.iterdir()) == [junk]


def _as_nobody(command: list[str], root: Path, *args: str) -> subprocess.CompletedProcess[str]:
    env = {"QEXPLORE_CONFIG_DIR": str(root / "config"), "CI": "1", "PATH": "/usr/bin:/bin"}
    return subprocess.run([*command, *args], capture_output=True, text=True, env=env, timeout=120)


@pytest.mark.parametrize("locked", ["file", "folder"])
def test_a_read_only_database_is_searched_but_not_written(locked: str, seeded_path: Path) -> None:
    command = unprivileged_cli()
    if command is None:
        pytest.skip(SKIP_ROOT)
    root = public_dir("qexplore-ro-")
    folder = root / "data"
    try:
        folder.mkdir(mode=0o777)
        folder.chmod(0o777)
        db = folder / "news.db"
        shutil.copy(seeded_path, db)
        (root / "a.txt").write_text(ARTICLE, encoding="utf-8")
        db.chmod(0o444 if locked == "file" else 0o644)
        folder.chmod(0o777 if locked == "file" else 0o555)
        before = (db.read_bytes(), db.stat().st_mtime_ns)
        load = _as_nobody(command, root, "--db", str(db), "load", str(root / "a.txt"))
        assert load.returncode == 1 and TRACEBACK not in load.stderr
        assert load.stderr.startswith("qexplore: error: cannot write to the database: ")
        assert "read-only" in load.stderr and load.stderr.count("\n") == 1
        found = _as_nobody(command, root, "--db", str(db), "search", "--json", "بغداد")
        assert found.returncode == 0, found.stderr
        assert '"total": ' in found.stdout and '"total": 0' not in found.stdout
        assert (db.read_bytes(), db.stat().st_mtime_ns) == before
    finally:
        folder.chmod(0o755)
        shutil.rmtree(root)
