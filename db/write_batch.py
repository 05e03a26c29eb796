"""Several articles to one write transaction, each article in a savepoint of it.

Decisions:
- A commit costs more than storing a short article (the WAL and the search index are flushed at
  every commit), so a load commits after ``BATCH_ARTICLES`` articles or ``BATCH_SECONDS``,
  whichever comes first. Each article is stored in its own savepoint: one that fails is undone
  alone and the batch goes on.
- The report counts an article, and the listener hears of it, only once its commit is done.
  Notices of unchanged and failed inputs, and of finished files, wait in the same queue, so the
  listener hears everything in input order.
- Ctrl-C or SIGTERM: every stored article is whole (its store holds signals until it is done), so
  the open batch is committed, counted and reported before KeyboardInterrupt goes on. Any other
  error rolls the open batch back; none of its articles had been reported as added.
- The write lock is held from a batch's first article to its commit: about ``BATCH_SECONDS`` plus
  one article's extraction. Another load, or an actor edit in the explorer, waits that long at most.
- The settings a load runs with are here too: SQLite's (``LOAD_PRAGMAS``) and the garbage
  collector's (``collect_less``).
"""

from __future__ import annotations

import gc
import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from types import TracebackType
from typing import Protocol

from sqlite_utils import Database

from qexplore.db.connection import begin_immediate, deferred_interrupts

BATCH_ARTICLES = 32
BATCH_SECONDS = 0.5

# A larger page cache while a load adds many rows (the index b-trees stay in memory).
LOAD_PRAGMAS = ("PRAGMA cache_size = -65536", "PRAGMA temp_store = MEMORY")

# A load allocates many short-lived objects beside millions of long-lived ones (the gazetteer, the
# tagger's model and caches): those are frozen out of the collector and young collections run every
# 50,000 allocations instead of 700, which saves about 4% of a load's time.
LOAD_GC_THRESHOLD = (50_000, 20, 100)


@contextmanager
def collect_less() -> Iterator[None]:
    """Run the block with the objects made so far frozen and young collections less often."""
    previous = gc.get_threshold()
    gc.freeze()
    gc.set_threshold(*LOAD_GC_THRESHOLD)
    try:
        yield
    finally:
        gc.set_threshold(*previous)
        gc.unfreeze()


# (event, where, detail): event is "added", "unchanged", "failed" or "file" (a file is done).
Listener = Callable[[str, str, str], None]


class Counts(Protocol):
    """What a batch updates in a load's report."""

    added: int
    sentences: int


class WriteBatch:
    """An open write transaction that stores articles and reports them once they are committed."""

    def __init__(
        self, db: Database, report: Counts, on: Listener,
        articles: int | None = None, seconds: float | None = None,
    ) -> None:
        self.db, self.report, self.on = db, report, on
        self.articles = articles or BATCH_ARTICLES  # the module's value when made (a test may change it)
        self.seconds = seconds or BATCH_SECONDS
        self._notices: list[tuple[str, str, str, int]] = []  # event, where, detail, sentences added
        self._stored = 0
        self._began = 0.0

    def __enter__(self) -> WriteBatch:
        return self

    def __exit__(
        self, kind: type[BaseException] | None, exc: BaseException | None, tb: TracebackType | None
    ) -> None:
        if kind is None or issubclass(kind, KeyboardInterrupt):
            self.commit()
        else:
            self.rollback()

    def store(self, where: str, detail: str, sentences: int, write: Callable[[], int | None]) -> int | None:
        """Run ``write`` (one article's store) in the batch; queue its notice: "unchanged" if it gave None."""
        with deferred_interrupts():  # an article is stored whole or not at all, even on Ctrl-C
            if not self.db.conn.in_transaction:
                begin_immediate(self.db.conn)
                self._began = time.monotonic()
            article_id = write()
            if article_id is None:
                self._notices.append(("unchanged", where, "", 0))
            else:
                self._notices.append(("added", where, detail, sentences))
                self._stored += 1
        self.tick()
        return article_id

    def note(self, event: str, where: str, detail: str = "") -> None:
        """Tell the listener about a failed input, an unchanged one or a finished file, in its turn."""
        self._notices.append((event, where, detail, 0))
        if not self.db.conn.in_transaction:
            self._flush(added=True)

    def tick(self) -> None:
        """Commit when the batch is full or has been open long enough."""
        if self._stored >= self.articles or (
            self._stored and time.monotonic() - self._began >= self.seconds
        ):
            self.commit()

    def commit(self) -> None:
        """Commit the open batch, then count and report what it stored."""
        with deferred_interrupts():
            if self.db.conn.in_transaction:
                try:
                    self.db.conn.execute("COMMIT")
                except BaseException:
                    self.rollback()
                    raise
            self._flush(added=True)

    def rollback(self) -> None:
        """Undo the open batch; report what it holds except the articles it would have added."""
        if self.db.conn.in_transaction:
            self.db.conn.rollback()
        self._flush(added=False)

    def _flush(self, added: bool) -> None:
        notices, self._notices, self._stored = self._notices, [], 0
        for event, where, detail, sentences in notices:
            if event == "added":
                if not added:
                    continue
                self.report.added += 1
                self.report.sentences += sentences
            self.on(event, where, detail)
