"""SQLite connections that are safe to share: file checks first, WAL, busy timeouts, write locks.

Decisions: a file that is not an SQLite database, is cut short, or cannot be written is refused
with a one-line BadDatabase before SQLite touches it, so the file stays exactly as it was. Writers
wait up to BUSY_TIMEOUT_S for another writer: each article is its own short transaction, so two loads
interleave instead of failing. Write transactions begin IMMEDIATE, so a check-then-write inside
one (is this article stored yet? is the schema migrated yet?) sees the latest commit and never
fails on a stale read snapshot; the lock is awaited in short steps so Ctrl-C is heard at once.
"""

from __future__ import annotations

import os
import signal
import sqlite3
import time
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from urllib.parse import quote

from sqlite_utils import Database

BUSY_TIMEOUT_S = 30.0
_STEP_MS = 200
_HEADER = b"SQLite format 3\x00"


class BadDatabase(Exception):
    """A database file qexplore cannot use; str() is a one-line reason. The file is left untouched."""


class ReadOnlyDatabase(BadDatabase):
    """A database that can be read but not written (file or folder permissions, read-only media)."""


def check_file(path: Path) -> None:
    """Raise BadDatabase if ``path`` exists but is not a whole SQLite database. Never writes.

    An empty or missing file is fine: it becomes a new database.
    """
    try:
        with open(path, "rb") as fh:
            header, size = fh.read(100), os.fstat(fh.fileno()).st_size
    except FileNotFoundError:
        return
    except IsADirectoryError as exc:
        raise BadDatabase(f"{path} is a folder, not a database file") from exc
    except OSError as exc:
        raise BadDatabase(f"cannot read {path}: {exc.strerror or exc}") from exc
    if not header:
        return
    if not header.startswith(_HEADER):
        raise BadDatabase(f"{path} is not an SQLite database (is --db pointing at the right file?)")
    if len(header) < 100:
        raise BadDatabase(f"{path} is truncated ({size} bytes): restore it from a copy")
    page = int.from_bytes(header[16:18], "big")
    page = 65536 if page == 1 else page
    expected = page * int.from_bytes(header[28:32], "big")
    size_is_valid = header[92:96] == header[24:28]  # the header's page count is kept up to date
    if size_is_valid and size < expected and not _nonempty(Path(f"{path}-wal")):
        raise BadDatabase(
            f"{path} is truncated ({size:,} of {expected:,} bytes): restore it from a copy"
        )


def _nonempty(path: Path) -> bool:
    try:
        return path.stat().st_size > 0
    except OSError:
        return False


def check_writable(path: Path) -> None:
    """Raise ReadOnlyDatabase when the database, or its folder (for the journal), cannot be written.

    A missing folder is created. Root passes every permission check; SQLite's own error then
    says the same when the medium itself is read-only.
    """
    folder = path.parent
    try:
        folder.mkdir(parents=True, exist_ok=True)
    except OSError as exc:
        raise ReadOnlyDatabase(f"cannot create folder {folder}: {exc.strerror or exc}") from exc
    if path.exists() and not os.access(path, os.W_OK):
        raise ReadOnlyDatabase(f"{path} is read-only (no write permission)")
    if not os.access(folder, os.W_OK | os.X_OK):
        raise ReadOnlyDatabase(
            f"folder {folder} is read-only: SQLite must write its journal beside the database"
        )


# Read-only connections read pages through a memory map: a search touching one row per match then
# costs about half as much (no read() call and copy a page). Mapped pages count as the process's
# resident memory, so a writer (a load: its memory must stay flat) and the explorer's pooled
# readers (tui.app) do without.
MMAP_BYTES = 1 << 30


def connect(path: Path | str, *, read_only: bool = False) -> sqlite3.Connection:
    """Open a connection with the busy timeout; read-only ones never create or change a file."""
    conn = _open(path, read_only)
    if read_only:
        conn.execute(f"PRAGMA mmap_size = {MMAP_BYTES}")
    return conn


def _open(path: Path | str, read_only: bool) -> sqlite3.Connection:
    if str(path) == ":memory:" or not read_only:
        return sqlite3.connect(str(path), timeout=BUSY_TIMEOUT_S, check_same_thread=False)
    target = Path(path).resolve()
    conn = _connect_uri(target, "mode=ro")
    try:
        conn.execute("SELECT count(*) FROM sqlite_master").fetchone()
    except sqlite3.OperationalError:
        # A WAL database in a folder we cannot write: SQLite cannot make its -shm file there.
        # Nobody using our permissions can be writing it, so read the file as it stands.
        conn.close()
        if os.access(target.parent, os.W_OK) or not target.exists():
            raise
        conn = _connect_uri(target, "mode=ro&immutable=1")
    return conn


def _connect_uri(path: Path, params: str) -> sqlite3.Connection:
    uri = f"file:{quote(str(path))}?{params}"  # quoted: a name may hold ?, # or %
    return sqlite3.connect(uri, uri=True, timeout=BUSY_TIMEOUT_S, check_same_thread=False)


@contextmanager
def write_transaction(db: Database) -> Iterator[Database]:
    """Run the block as one transaction that holds the write lock from its start.

    Nested in an open transaction it becomes a savepoint of it. Waiting for another writer's
    lock ends with sqlite3.OperationalError ("database is locked") after BUSY_TIMEOUT_S.
    """
    if db.conn.in_transaction:
        with db.atomic():
            yield db
        return
    begin_immediate(db.conn)
    try:
        yield db
    except BaseException:
        db.conn.rollback()
        raise
    try:
        db.conn.execute("COMMIT")
    except BaseException:
        db.conn.rollback()
        raise


def begin_immediate(conn: sqlite3.Connection) -> None:
    """BEGIN IMMEDIATE, waiting for the lock in short steps so that signals are handled between them."""
    deadline = time.monotonic() + BUSY_TIMEOUT_S
    conn.execute(f"PRAGMA busy_timeout = {_STEP_MS}")
    try:
        while True:
            try:
                conn.execute("BEGIN IMMEDIATE")
                return
            except sqlite3.OperationalError as exc:
                if "locked" not in str(exc) or time.monotonic() > deadline:
                    raise
    finally:
        conn.execute(f"PRAGMA busy_timeout = {int(BUSY_TIMEOUT_S * 1000)}")


@contextmanager
def deferred_interrupts() -> Iterator[None]:
    """Hold Ctrl-C and SIGTERM until the block ends, then raise KeyboardInterrupt.

    A load wraps each article's commit and its counting in this, so an interrupted load's summary
    counts exactly the articles it stored. Off the main thread, signals cannot be caught: no-op.
    """
    caught: list[int] = []

    def hold(signum: int, frame: object) -> None:
        caught.append(signum)

    try:
        previous = {sig: signal.signal(sig, hold) for sig in (signal.SIGINT, signal.SIGTERM)}
    except ValueError:  # not the main thread
        yield
        return
    try:
        yield
    finally:
        for sig, handler in previous.items():
            signal.signal(sig, handler)
    if caught:
        raise KeyboardInterrupt
