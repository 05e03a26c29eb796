"""Loading with extraction in worker processes and one writer: streaming, ordered and resumable.

Decisions:
- Workers only run ``load.process`` (segmenting, tagging, claims, events: the CPU-bound part);
  this process alone writes, through ``load.store``, a batch of articles to a transaction
  (db.write_batch), in input order, so ids and actor resolution come out exactly as with a
  one-process load.
- Streaming: at most ``WINDOW_PER_JOB`` articles per worker are in flight (sent out, or done and
  waiting for their turn to be stored), so memory does not grow with the corpus.
- Resumable: an article whose identity (SHA-256 of its text) is already stored is reported
  unchanged without being sent out, so a re-run after an interruption only extracts the rest.
- Workers start with the ``spawn`` method (safe with threads in the parent and on every
  platform) and get the parent's extractors, pickled once to a private temporary file: the same
  gazetteer (the user's file and the names given to actors included) and the same tagger model.
  They ignore Ctrl-C; the parent stops, cancels what is queued, and re-applies the user's actor
  decisions as a one-process load does.
- After a bulk load (``OPTIMIZE_AFTER`` articles or more) the search index is merged into one
  b-tree (FTS5 ``optimize``): queries read one segment instead of dozens.
"""

from __future__ import annotations

import gc
import multiprocessing
import os
import pickle
import signal
import sqlite3
import tempfile
from collections import deque
from collections.abc import Iterable, Iterator
from concurrent.futures import Future, ProcessPoolExecutor
from concurrent.futures.process import BrokenProcessPool
from contextlib import contextmanager
from dataclasses import dataclass
from functools import partial

from sqlite_utils import Database

from qexplore.db import curation
from qexplore.db.connection import write_transaction
from qexplore.db.load import Extractors, LoadReport, process, store, stored
from qexplore.db.models import Article, Source
from qexplore.db.read import Failure, expand, read_path, shown
from qexplore.db.write_batch import LOAD_GC_THRESHOLD, LOAD_PRAGMAS, Listener, WriteBatch

WINDOW_PER_JOB = 8  # articles vary tenfold in length: a deeper queue keeps both workers busy
OPTIMIZE_AFTER = 500

_worker: dict[str, Extractors] = {}


def _start_worker(extractors_file: str) -> None:
    """Worker initialiser: read the parent's extractors; leave Ctrl-C to the parent."""
    signal.signal(signal.SIGINT, signal.SIG_IGN)
    with open(extractors_file, "rb") as fh:
        _worker["extractors"] = pickle.load(fh)  # noqa: S301 - written by the parent, readable only by us
    gc.freeze()  # as load.collect_less, for the worker's life
    gc.set_threshold(*LOAD_GC_THRESHOLD)


@contextmanager
def _shared_extractors(extractors: Extractors) -> Iterator[str]:
    """The extractors pickled to a private temporary file, for the workers to read as they start.

    Handing them over as the initialiser's argument instead would make each worker's start block
    this process until that worker had imported everything (about a second each, one after the other).
    """
    fd, name = tempfile.mkstemp(prefix="qexplore-extractors-", suffix=".pickle")
    try:
        with os.fdopen(fd, "wb") as fh:
            pickle.dump(extractors, fh, protocol=pickle.HIGHEST_PROTOCOL)
        yield name
    finally:
        os.unlink(name)


def _process(source: Source) -> Article:
    """Worker task: one article through the pipeline (no database)."""
    return process(source, _worker["extractors"])


@dataclass(frozen=True, slots=True)
class _FileDone:
    """A marker in the stream: every article of this file comes before it."""

    name: str


_Item = Source | Failure | _FileDone


def _stream(paths: Iterable[str]) -> Iterator[_Item]:
    """Every article of ``paths``, each file followed by its end marker."""
    for item in expand(paths):
        if isinstance(item, Failure):
            yield item
            continue
        yield from read_path(item)
        yield _FileDone(shown(item))


class _Writer:
    """Stores finished articles in input order, a batch to a transaction; tells the listener of each item."""

    def __init__(self, db: Database, extractors: Extractors, report: LoadReport, batch: WriteBatch) -> None:
        self.db, self.extractors, self.report, self.batch = db, extractors, report, batch

    def finish(self, item: _Item, future: Future[Article] | None) -> None:
        """Store (or report) one item of the stream; ``future`` holds its article when it was sent."""
        if isinstance(item, _FileDone):
            self.batch.note("file", item.name)
        elif isinstance(item, Failure):
            self.report.failed.append(item)
            self.batch.note("failed", item.where, item.reason)
        elif future is None:
            self._unchanged(item)
        else:
            self._store(item, future)

    def _unchanged(self, source: Source) -> None:
        self.report.unchanged += 1
        self.batch.note("unchanged", source.file)

    def _store(self, source: Source, future: Future[Article]) -> None:
        try:
            self.batch.tick()  # an open batch is committed before waiting on a slow article
            article = future.result()
            article_id = self.batch.store(
                source.file, f"{len(article.sentences)} sentences ({article.encoding})",
                len(article.sentences), partial(store, self.db, article, self.extractors.gazetteer),
            )
        except BrokenProcessPool:
            raise
        except Exception as exc:  # noqa: BLE001 - one article's text or an extractor bug must not stop a load
            if isinstance(exc, sqlite3.DatabaseError) and not isinstance(exc, sqlite3.IntegrityError):
                raise  # the database itself failed (locked, full, read-only, damaged): stop here
            reason = f"cannot process: {exc}" if isinstance(exc, ValueError) else (
                f"cannot process ({type(exc).__name__}): {exc}")
            self.report.failed.append(Failure(source.file, reason))
            self.batch.note("failed", source.file, reason)
            return
        if article_id is None:
            self.report.unchanged += 1


def load_stream(
    db: Database, items: Iterable[_Item], extractors: Extractors, jobs: int,
    report: LoadReport | None = None, on: Listener | None = None,
) -> LoadReport:
    """Process ``items`` in ``jobs`` worker processes and store them here, in order.

    ``extractors`` must have been through load.ready(). The user's actor decisions are not
    replayed here (load_parallel does it at the end). Returns the report.
    """
    report = report if report is not None else LoadReport()
    with WriteBatch(db, report, on or _quiet) as batch:
        _feed(db, items, _Writer(db, extractors, report, batch), extractors, jobs)
    return report


def _feed(db: Database, items: Iterable[_Item], writer: _Writer, extractors: Extractors, jobs: int) -> None:
    """Send the articles to the workers, at most a window of them in flight; store them in order."""
    window = max(1, jobs) * WINDOW_PER_JOB
    pending: deque[tuple[_Item, Future[Article] | None]] = deque()
    in_flight = 0
    for pragma in LOAD_PRAGMAS:
        db.execute(pragma)
    context = multiprocessing.get_context("spawn")
    with _shared_extractors(extractors) as shared, ProcessPoolExecutor(
        jobs, context, initializer=_start_worker, initargs=(shared,)
    ) as pool:
        try:
            for item in items:
                future = None
                if isinstance(item, Source) and not stored(db, item.text):
                    future = pool.submit(_process, item)
                    in_flight += 1
                pending.append((item, future))
                while in_flight >= window or len(pending) > 4 * window:
                    done, fut = pending.popleft()
                    in_flight -= fut is not None
                    writer.finish(done, fut)
            while pending:
                writer.finish(*pending.popleft())
        except BaseException:
            pool.shutdown(wait=False, cancel_futures=True)
            raise


def load_parallel(
    db: Database, paths: Iterable[str], extractors: Extractors, jobs: int,
    report: LoadReport | None = None, on: Listener | None = None,
) -> LoadReport:
    """Load every article named by ``paths`` as load.load() does, extracting in ``jobs`` processes.

    ``extractors`` must have been through load.ready(). Interrupted, every stored article is
    whole and the user's actor decisions are re-applied before KeyboardInterrupt goes on.
    """
    report = report if report is not None else LoadReport()
    try:
        load_stream(db, _stream(paths), extractors, jobs, report, on)
    except KeyboardInterrupt:
        curation.replay(db)
        raise
    curation.replay(db)
    optimize_index(db, report.added)
    return report


def optimize_index(db: Database, added: int) -> None:
    """Merge the search index into one b-tree after a bulk load of ``added`` articles (FTS5 optimize)."""
    if added >= OPTIMIZE_AFTER:
        with write_transaction(db):
            db.execute("INSERT INTO sentences_fts (sentences_fts) VALUES ('optimize')")


def _quiet(event: str, where: str, detail: str) -> None:
    """A listener that ignores everything."""

