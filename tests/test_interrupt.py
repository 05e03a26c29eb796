"""Interrupted loads: killed at random points, the database stays whole; Ctrl-C stops with a summary.

Every kill point is followed by PRAGMA integrity_check, a search for orphan rows, and a comparison of
each stored article's rows (sentences, index rows, mentions, claims, events) with an uninterrupted
load of the same corpus: an article is either all there or not there at all.

Most kill points hit `qexplore load` processes forked from this warmed-up test process (the same
entry point, main(), with the extractors already built), so that many points fit in seconds; a few
hit real `qexplore load` subprocesses from a cold start.
"""

from __future__ import annotations

import os
import random
import signal
import sys
import time
from pathlib import Path

import pytest
from hardening_support import TRACEBACK, check_whole, make_corpus, per_article, popen_cli, run_cli

from qexplore.db import write_batch
from qexplore.db.load import Extractors, load
from qexplore.db.schema import open_db

KILL_POINTS = int(os.environ.get("QEXPLORE_KILL_POINTS", "24"))
CLI_KILL_POINTS = 2
SEED = 20_240_607
CORPUS = 160
BATCHES = (1, 3, None)  # articles per write transaction in the killed loads; None: the default

pytestmark = pytest.mark.skipif(not hasattr(os, "fork"), reason="needs fork() and POSIX signals")


@pytest.fixture(scope="module")
def extractors() -> Extractors:
    return Extractors.default()


@pytest.fixture(scope="module")
def corpus(tmp_path_factory: pytest.TempPathFactory) -> Path:
    folder = tmp_path_factory.mktemp("corpus")
    make_corpus(folder, CORPUS, sentences=3, seed=SEED)
    return folder


@pytest.fixture(scope="module")
def reference(corpus: Path, extractors: Extractors, tmp_path_factory: pytest.TempPathFactory) -> dict[
    str, tuple[int, ...]
]:
    """Rows per article after one uninterrupted load of the corpus."""
    path = tmp_path_factory.mktemp("reference") / "ref.db"
    db = open_db(path)
    report = load(db, [str(corpus)], extractors=extractors)
    db.close()
    assert report.added == CORPUS and not report.failed
    rows = per_article(path)
    assert all(r[0] > 0 and r[0] == r[1] for r in rows.values())  # every article has indexed sentences
    return rows


def _fork_load(db: Path, corpus: Path, extractors: Extractors, batch: int | None = None) -> tuple[int, int]:
    """Start `qexplore --db DB load -v CORPUS` in a forked child; return its pid and its stderr (fd).

    ``batch`` sets the articles per write transaction (db.write_batch) in the child.
    """
    read_end, write_end = os.pipe()
    pid = os.fork()
    if pid:
        os.close(write_end)
        return pid, read_end
    code = 70
    try:
        os.close(read_end)
        os.dup2(os.open(os.devnull, os.O_WRONLY), 1)
        os.dup2(write_end, 2)
        # pytest's capture replaced sys.stdout/stderr with its own files: write to the fds instead.
        sys.stdout = open(1, "w", buffering=1, encoding="utf-8", closefd=False)  # noqa: SIM115
        sys.stderr = open(2, "w", buffering=1, encoding="utf-8", closefd=False)  # noqa: SIM115
        Extractors.default = classmethod(lambda cls, user=None: extractors)  # type: ignore[method-assign,assignment]
        if batch:
            write_batch.BATCH_ARTICLES = batch
        from qexplore.tui.cli import main

        sys.argv = ["qexplore", "--db", str(db), "load", "-v", str(corpus)]
        main()
        code = 0
    except SystemExit as stop:
        code = stop.code if isinstance(stop.code, int) else 1
    finally:
        os._exit(code)


def _first_article(stderr: int) -> None:
    """Wait until the child has named its first article (it is past opening and preparing)."""
    import select

    buffer = b""
    while b"added" not in buffer and b"unchanged" not in buffer:
        ready, _, _ = select.select([stderr], [], [], 60)
        chunk = os.read(stderr, 4096) if ready else b""
        if not chunk:
            return
        buffer += chunk


def _check(db: Path, reference: dict[str, tuple[int, ...]]) -> int:
    """Assert the database is whole and each stored article matches the reference; return the count."""
    if not db.exists():
        return 0
    count = check_whole(db)
    if count == 0:  # nothing stored yet (perhaps killed while migrating: later tables may not exist)
        return 0
    for content_hash, rows in per_article(db).items():
        assert rows == reference[content_hash], "an article was stored in part"
    return count


def test_sigkill_at_random_points_leaves_only_whole_articles(
    tmp_path: Path, corpus: Path, extractors: Extractors, reference: dict[str, tuple[int, ...]]
) -> None:
    rng = random.Random(SEED)
    generation, killed, completed, seen = 0, 0, 0, []
    db = tmp_path / "k0.db"
    for _ in range(4 * KILL_POINTS):  # bounded: a load that always finishes first must not loop
        if killed == KILL_POINTS:
            break
        # Commits come a batch at a time: small batches spread the kills over many stored counts,
        # the default one puts them in the middle of open batches.
        pid, stderr = _fork_load(db, corpus, extractors, batch=rng.choice(BATCHES))
        if killed % 4 == 0:  # while opening, migrating, syncing the gazetteer, or soon after
            time.sleep(rng.uniform(0.0, 1.5))
        else:  # while storing articles
            _first_article(stderr)
            time.sleep(rng.uniform(0.0, 0.5))
        os.kill(pid, signal.SIGKILL)
        _, status = os.waitpid(pid, 0)
        os.close(stderr)
        stored = _check(db, reference)
        if os.WIFSIGNALED(status):
            killed += 1
            seen.append((generation, stored))
            continue
        assert os.WEXITSTATUS(status) == 0 and stored == CORPUS  # it finished before the kill
        completed += 1
        generation += 1
        db = tmp_path / f"k{generation}.db"
    assert killed == KILL_POINTS, f"only {killed} kills landed before a load finished"
    pid, stderr = _fork_load(db, corpus, extractors)  # the re-run completes the load
    while os.read(stderr, 65536):
        pass
    _, status = os.waitpid(pid, 0)
    os.close(stderr)
    assert os.WEXITSTATUS(status) == 0
    assert per_article(db) == reference  # every article once, each whole
    print(f"\nSIGKILL: {killed} kill points survived ({completed} loads finished first); "
          f"(database, articles stored) at each kill: {seen}")
    # Kills while opening repeat the count before them, and a faster machine finishes sooner, so the
    # check asks for spread, not for every kill at a new point: (database, articles stored) pairs.
    assert len(set(seen)) >= KILL_POINTS // 3, "the kills should fall at many different points"


def test_sigkill_of_real_qexplore_processes(
    tmp_path: Path, corpus: Path, reference: dict[str, tuple[int, ...]]
) -> None:
    rng = random.Random(SEED + 1)
    db = tmp_path / "cli.db"
    small = tmp_path / "small"
    small.mkdir()
    for path in sorted(corpus.iterdir())[:60]:
        (small / path.name).write_bytes(path.read_bytes())
    for _ in range(CLI_KILL_POINTS):  # from a cold start: migration, gazetteer sync and articles
        proc = popen_cli(tmp_path, "--db", str(db), "load", str(small))
        time.sleep(rng.uniform(0.3, 4.0))
        proc.kill()
        proc.communicate()
        _check(db, reference)
    done = run_cli(tmp_path, "--db", str(db), "load", str(small))
    assert done.returncode == 0, done.stderr
    assert ", 0 failed; " in done.stdout and TRACEBACK not in done.stderr
    rows = per_article(db)
    assert len(rows) == 60 and all(reference[h] == r for h, r in rows.items())


def _stop_after_first_article(tmp_path: Path, db: Path, corpus: Path, sig: int) -> tuple[int, str]:
    proc = popen_cli(tmp_path, "--db", str(db), "load", "-v", str(corpus))
    assert proc.stderr is not None
    lines = []
    for line in proc.stderr:
        lines.append(line)
        if line.startswith("added"):
            break
    time.sleep(0.3)
    proc.send_signal(sig)
    rest = proc.stderr.read()  # the same buffered file: the lines it read ahead are not lost
    proc.communicate(timeout=60)
    return proc.returncode, "".join(lines) + rest


@pytest.mark.parametrize("sig", [signal.SIGINT, signal.SIGTERM], ids=["ctrl-c", "kill"])
def test_ctrl_c_and_kill_stop_cleanly_with_a_summary(
    tmp_path: Path, corpus: Path, reference: dict[str, tuple[int, ...]], sig: int
) -> None:
    db = tmp_path / "int.db"
    code, err = _stop_after_first_article(tmp_path, db, corpus, sig)
    assert code == 130 and TRACEBACK not in err
    summary = [line for line in err.splitlines() if line.startswith("qexplore: interrupted after ")]
    assert len(summary) == 1 and "run the same command again" in summary[0]
    added = int(summary[0].split("after ")[1].split(" added")[0])
    assert added == sum(line.startswith("added") for line in err.splitlines()) > 0
    assert _check(db, reference) == added
