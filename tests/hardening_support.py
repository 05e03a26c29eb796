"""Helpers for the hardening tests: run the real command, generate a corpus, check a database whole."""

from __future__ import annotations

import os
import random
import re
import shutil
import sqlite3
import subprocess
import sys
import sysconfig
from functools import cache
from pathlib import Path

from qexplore.db.config import seed_files

# Runs the console script's entry point, exactly as the `qexplore` command does.
CLI = [sys.executable, "-c",
       "import sys; from qexplore.tui.cli import main; sys.argv[0] = 'qexplore'; main()"]
TRACEBACK = "Traceback (most recent call last)"


def cli_env(tmp: Path) -> dict[str, str]:
    """An environment for a qexplore subprocess that touches nothing of the user's."""
    env = dict(os.environ)
    env.update(QEXPLORE_CONFIG_DIR=str(tmp / "config"), NO_COLOR="1", CI="1", PYTHONUNBUFFERED="1")
    env.pop("QEXPLORE_DB", None)
    return env


def run_cli(tmp: Path, *args: str, timeout: float = 120) -> subprocess.CompletedProcess[str]:
    """Run ``qexplore ARGS`` in a subprocess; return the finished process (text output)."""
    return subprocess.run(
        [*CLI, *args], capture_output=True, text=True, timeout=timeout, env=cli_env(tmp),
        errors="replace",
    )


def popen_cli(tmp: Path, *args: str) -> subprocess.Popen[str]:
    """Start ``qexplore ARGS`` in a subprocess, stderr piped (line by line) and stdout captured."""
    return subprocess.Popen(
        [*CLI, *args], stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True, env=cli_env(tmp),
        errors="replace",
    )


@cache
def unprivileged_cli() -> list[str] | None:
    """The command that runs qexplore as an ordinary user (nobody), or None when that is impossible.

    Permissions do not bind root, so as root the permission tests drop to uid 65534 with setpriv.
    The interpreter must be one that user may execute (a venv under /root is not), with this
    environment's packages added to its path.
    """
    if os.geteuid() != 0:
        return CLI
    setpriv = shutil.which("setpriv")
    version = f"python{sys.version_info.major}.{sys.version_info.minor}"
    purelib = sysconfig.get_paths()["purelib"]
    code = (f"import site, sys; site.addsitedir({purelib!r}); from qexplore.tui.cli import main; "
            "sys.argv[0] = 'qexplore'; main()")
    for python in (os.path.realpath(sys.executable), shutil.which(version) or "", f"/usr/bin/{version}"):
        if not setpriv or not python or not os.path.exists(python):
            continue
        command = [setpriv, "--reuid=65534", "--regid=65534", "--clear-groups", python, "-c", code]
        probe = subprocess.run([*command, "--help"], capture_output=True, timeout=60)
        if probe.returncode == 0:
            return command
    return None


SKIP_ROOT = "running as root, which no file permission binds, and cannot drop to another user here"


def public_dir(prefix: str) -> Path:
    """A fresh folder in the system temp dir that the unprivileged user can reach (pytest's cannot)."""
    import tempfile

    path = Path(tempfile.mkdtemp(prefix=prefix))
    path.chmod(0o777)
    return path


def _seed_sentences() -> list[str]:
    parts: list[str] = []
    for seed in seed_files():
        for line in seed.read_text(encoding="utf-8").splitlines():
            parts.extend(p.strip() + "." for p in re.split(r"[.!؟?]\s", line) if len(p.split()) >= 4)
    return parts


def make_corpus(folder: Path, count: int, *, sentences: int = 4, seed: int = 7) -> list[Path]:
    """Write ``count`` distinct small articles made of seed sentences (seeded RNG) into ``folder``."""
    rng = random.Random(seed)
    pool = _seed_sentences()
    folder.mkdir(parents=True, exist_ok=True)
    files = []
    for i in range(count):
        body = " ".join(rng.sample(pool, sentences))
        path = folder / f"article_{i:04d}.txt"
        path.write_text(f"تقرير رقم {i}\n{body}\nوقال مصدر للتقرير {i} إن الوضع هادئ.\n", encoding="utf-8")
        files.append(path)
    return files


# Per article: sentences, search-index rows, mentions, claims, events.
_PER_ARTICLE = """
SELECT a.content_hash,
  (SELECT count(*) FROM sentences s WHERE s.article_id = a.id),
  (SELECT count(*) FROM sentences_fts f
     WHERE f.rowid IN (SELECT id FROM sentences s WHERE s.article_id = a.id AND NOT s.boilerplate))
  + (SELECT count(*) FROM boilerplate_fts f
     WHERE f.rowid IN (SELECT id FROM sentences s WHERE s.article_id = a.id AND s.boilerplate)),
  (SELECT count(*) FROM mentions m WHERE m.article_id = a.id),
  (SELECT count(*) FROM claims c WHERE c.article_id = a.id),
  (SELECT count(*) FROM events e WHERE e.article_id = a.id)
FROM articles a
"""

# (what, child table, its column, parent table): rows whose parent is gone.
_LINKS = (
    ("sentences", "article_id", "articles"),
    ("mentions", "sentence_id", "sentences"),
    ("mentions", "article_id", "articles"),
    ("mentions", "actor_id", "actors"),
    ("claims", "sentence_id", "sentences"),
    ("claims", "article_id", "articles"),
    ("events", "sentence_id", "sentences"),
    ("events", "article_id", "articles"),
    ("claim_via", "claim_id", "claims"),
    ("claim_about", "claim_id", "claims"),
    ("event_participants", "event_id", "events"),
    ("event_evidence", "event_id", "events"),
)
_ORPHANS = {
    f"{child}.{column} without {parent}": (
        f"SELECT count(*) FROM {child} WHERE {column} IS NOT NULL "
        f"AND {column} NOT IN (SELECT id FROM {parent})"
    )
    for child, column, parent in _LINKS
} | {
    "index rows without sentence":
        "SELECT count(*) FROM sentences_fts WHERE rowid NOT IN "
        "(SELECT id FROM sentences WHERE NOT boilerplate)",
    "boilerplate index rows without boilerplate sentence":
        "SELECT count(*) FROM boilerplate_fts WHERE rowid NOT IN "
        "(SELECT id FROM sentences WHERE boilerplate)",
    "sentences not indexed":
        "SELECT count(*) FROM sentences WHERE id NOT IN "
        "(SELECT rowid FROM sentences_fts UNION ALL SELECT rowid FROM boilerplate_fts)",
}


def per_article(path: Path) -> dict[str, tuple[int, ...]]:
    """content hash -> (sentences, index rows, mentions, claims, events) of every stored article."""
    conn = sqlite3.connect(f"file:{path}?mode=ro", uri=True)
    try:
        if not conn.execute("SELECT 1 FROM sqlite_master WHERE name = 'articles'").fetchone():
            return {}  # killed before the first migration committed: an empty database, nothing stored
        return {row[0]: tuple(row[1:]) for row in conn.execute(_PER_ARTICLE)}
    finally:
        conn.close()


def check_whole(path: Path) -> int:
    """Assert the database passes integrity checks and holds no orphan rows; return its article count."""
    from qexplore.db.schema import SCHEMA_VERSION

    conn = sqlite3.connect(path)
    try:
        assert conn.execute("PRAGMA integrity_check").fetchall() == [("ok",)]
        assert conn.execute("PRAGMA foreign_key_check").fetchall() == []
        tables = {r[0] for r in conn.execute("SELECT name FROM sqlite_master WHERE type = 'table'")}
        version = conn.execute(
            "SELECT value FROM meta WHERE key = 'schema_version'"
        ).fetchone() if "meta" in tables else None
        if version is None or int(version[0]) < SCHEMA_VERSION:  # stopped while migrating
            assert "articles" not in tables or not conn.execute("SELECT count(*) FROM articles").fetchone()[0]
            return 0
        for what, sql in _ORPHANS.items():
            assert conn.execute(sql).fetchone()[0] == 0, what
        sql = "SELECT count(*), count(DISTINCT content_hash) FROM articles"
        total, distinct = conn.execute(sql).fetchone()
        assert total == distinct, "an article is stored twice"
        return int(total)
    finally:
        conn.close()
