"""Load articles into the database: read, process, and store each whole (a savepoint of a batch)."""

from __future__ import annotations

import hashlib
import sqlite3
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from datetime import UTC, datetime
from functools import partial
from importlib import resources
from pathlib import Path
from typing import Any

from sqlite_utils import Database

from qexplore.db import curation
from qexplore.db.arabic import index_forms, name_key, words
from qexplore.db.connection import write_transaction
from qexplore.db.extract import actors, crf, gazetteer
from qexplore.db.extract.claims import extract_claims
from qexplore.db.extract.dates import FoundDate, parse_date
from qexplore.db.extract.entities import article_mentions
from qexplore.db.extract.events import extract_events
from qexplore.db.extract.gazetteer import Entry, Gazetteer
from qexplore.db.meta import article_meta
from qexplore.db.models import Article, Sentence, Source
from qexplore.db.pipeline import Pipeline, Step
from qexplore.db.read import Failure, expand, read_path, shown
from qexplore.db.segment import segment
from qexplore.db.store_extracts import store_claims, store_events
from qexplore.db.write_batch import LOAD_PRAGMAS, Listener, WriteBatch, collect_less


@dataclass
class LoadReport:
    """What a load did: articles added or already present, sentences written, inputs that failed."""

    added: int = 0
    unchanged: int = 0
    sentences: int = 0
    failed: list[Failure] = field(default_factory=list)


def content_hash(text: str) -> str:
    """Return an article's identity: the SHA-256 of its decoded text."""
    return hashlib.sha256(text.encode("utf-8")).hexdigest()


@dataclass
class Extractors:
    """What the pipeline extracts with: the gazetteer and, when its model ships, the CRF tagger."""

    gazetteer: Gazetteer
    tagger: crf.Tagger | None

    @classmethod
    def default(cls, user_gazetteer: Path | None = None) -> Extractors:
        return cls(gazetteer.build(user_gazetteer), _shipped_tagger())

    def with_user_names(self, db: Database) -> Extractors:
        """Add the names the user gave actors (qexplore actors alias) to what the finder looks for."""
        rows = db.execute(
            "SELECT a.id, a.type, n.name FROM actor_names n JOIN actors a ON a.id = n.actor_id "
            "WHERE n.source = 'user'"
        ).fetchall()
        if not rows:
            return self
        extra = [Entry(f"user:{aid}", kind, name, name, "", (), ()) for aid, kind, name in rows]
        return Extractors(Gazetteer([*self.gazetteer.entries.values(), *extra]), self.tagger)


def _shipped_tagger() -> crf.Tagger | None:
    """The CRF over the shipped model, or None when the model file is not there."""
    model = resources.files("qexplore.db") / "data" / "ner" / crf.MODEL_NAME
    return crf.default_tagger() if model.is_file() else None


def _segment(state: Mapping[str, Any]) -> dict[str, Any]:
    return {"sentences": segment(state["source"].text)}


def _meta(state: Mapping[str, Any]) -> dict[str, Any]:
    return {"meta": article_meta(state["source"].text, state["sentences"])}


def _mentions(state: Mapping[str, Any]) -> dict[str, Any]:
    ex: Extractors = state["extractors"]
    return {"mentions": article_mentions(state["sentences"], ex.gazetteer, ex.tagger)}


def _claims(state: Mapping[str, Any]) -> dict[str, Any]:
    publisher = state["source"].outlet or state["meta"].outlet
    return {"claims": extract_claims(state["sentences"], state["mentions"], publisher)}


def _date(state: Mapping[str, Any]) -> dict[str, Any]:
    return {"dating": _dating(state["source"], state["meta"].published)}


def _events(state: Mapping[str, Any]) -> dict[str, Any]:
    published, precision, _ = state["dating"]
    reference = FoundDate(published, precision) if published and precision else None
    return {"events": extract_events(state["sentences"], state["mentions"], state["claims"], reference)}


PIPELINE = Pipeline(
    [
        Step("segment", ("source",), ("sentences",), _segment),
        Step("meta", ("source", "sentences"), ("meta",), _meta),
        Step("mentions", ("sentences", "extractors"), ("mentions",), _mentions),
        Step("claims", ("sentences", "mentions", "meta"), ("claims",), _claims),
        Step("dating", ("source", "meta"), ("dating",), _date),
        Step("events", ("sentences", "mentions", "claims", "dating"), ("events",), _events),
    ],
    inputs=("source", "extractors"),
)


def _dating(source: Source, stated: FoundDate | None) -> tuple[str | None, str | None, str | None]:
    """Return (published, precision, basis): metadata first, else the date the text states as its own,
    else the month of the latest date the text reports (basis "inferred", see
    article_date.article_date_from_text)."""
    from qexplore.db.extract.article_date import article_date_from_text

    if source.published and (found := parse_date(source.published)):
        if source.date_basis == "extracted" and found != stated:
            # HTML metadata dates are often wrong below the year unless the page states them.
            found = FoundDate(found.value[:4], "year")
        return found.value, found.precision, source.date_basis
    if stated:
        return stated.value, stated.precision, "stated"
    if inferred := article_date_from_text(source.text):
        return inferred.value, inferred.precision, inferred.basis
    return None, None, None


def process(source: Source, extractors: Extractors) -> Article:
    """Turn a decoded source into an article: sentences, metadata, mentions (no database)."""
    state = PIPELINE(source=source, extractors=extractors)
    meta = state["meta"]
    published, precision, basis = state["dating"]
    return Article(
        content_hash=content_hash(source.text),
        file=source.file,
        text=source.text,
        encoding=source.encoding,
        title=source.title or meta.title,
        outlet=source.outlet or meta.outlet,
        url=source.url,
        published=published,
        date_precision=precision,
        date_basis=basis,
        sentences=tuple(state["sentences"]),
        mentions=tuple(state["mentions"]),
        claims=tuple(state["claims"]),
        events=tuple(state["events"]),
        index=tuple(index_terms(s.text) for s in state["sentences"]),
        local_actors=tuple(actors.cluster(state["mentions"], extractors.gazetteer)),
    )


def index_terms(text: str) -> tuple[str, str]:
    """Return the (art, bare) columns the search index stores for a sentence's raw text."""
    forms = [index_forms(w) for w in words(text)]
    return " ".join(f[0] for f in forms), " ".join(f[1] for f in forms)


def index_sentences(
    db: Database, first: int, sentences: Sequence[Sentence], terms: Sequence[tuple[str, str]] | None = None
) -> None:
    """Add sentences to the search index (numbered from ``first``); boilerplate has its own.

    ``terms`` are the sentences' index_terms when the caller has them already.
    """
    rows: dict[bool, list[tuple[int, str, str]]] = {False: [], True: []}
    for s, (art, bare) in zip(sentences, terms or [index_terms(s.text) for s in sentences], strict=True):
        rows[s.boilerplate].append((first + s.seq, art, bare))
    for boilerplate, table in ((False, "sentences_fts"), (True, "boilerplate_fts")):
        if rows[boilerplate]:
            db.conn.executemany(f"INSERT INTO {table} (rowid, art, bare) VALUES (?,?,?)", rows[boilerplate])


def store(db: Database, article: Article, gaz: Gazetteer | None = None) -> int | None:
    """Write an article and its sentences in one transaction; return its id, None if already there."""
    with write_transaction(db):  # holds the write lock: no other load can store it in between
        if db.execute(
            "SELECT 1 FROM articles WHERE content_hash = ?", [article.content_hash]
        ).fetchone():
            return None
        cursor = db.execute(
            "INSERT INTO articles (content_hash, file, title, outlet, url, published, "
            "date_precision, date_basis, encoding, text, loaded_at) VALUES (?,?,?,?,?,?,?,?,?,?,?)",
            [
                article.content_hash, article.file, article.title, article.outlet, article.url,
                article.published, article.date_precision, article.date_basis, article.encoding,
                article.text, datetime.now(UTC).isoformat(timespec="seconds"),
            ],
        )
        article_id = int(cursor.lastrowid or 0)
        first = _next_sentence_id(db)
        db.conn.executemany(
            "INSERT INTO sentence_rows (id, article_id, seq, start, end, kind, boilerplate) "
            "VALUES (?,?,?,?,?,?,?)",
            [
                (first + s.seq, article_id, s.seq, s.start, s.end, s.kind, int(s.boilerplate))
                for s in article.sentences
            ],
        )
        index_sentences(db, first, article.sentences, article.index)
        actor_of = _store_mentions(db, article, article_id, first, gaz)
        store_claims(db, article, article_id, first, actor_of)
        store_events(db, article, article_id, first, actor_of)
    return article_id


def _store_mentions(
    db: Database, article: Article, article_id: int, first_sentence: int, gaz: Gazetteer | None
) -> dict[int, int]:
    """Store an article's mentions with their actors; return mention index -> actor id."""
    actor_of: dict[int, tuple[int, int]] = {}
    local_actors = article.local_actors
    if local_actors is None:
        local_actors = tuple(actors.cluster(article.mentions, gaz))
    for local in local_actors:
        auto = actors.resolve(db, local)
        actor_of.update(dict.fromkeys(local.members, (auto, actors.final_actor(db, auto))))
    db.conn.executemany(
        "INSERT INTO mentions (sentence_id, article_id, start, end, surface, key, type, source, "
        "confidence, auto_actor_id, actor_id) VALUES (?,?,?,?,?,?,?,?,?,?,?)",
        [
            (first_sentence + m.sentence_seq, article_id, m.start, m.end, m.surface,
             name_key(m.surface), m.type, m.source, m.confidence, *actor_of.get(i, (None, None)))
            for i, m in enumerate(article.mentions)
        ],
    )
    return {i: final for i, (_, final) in actor_of.items()}


def stored(db: Database, text: str) -> bool:
    """True when an article with this text is already in the database."""
    row = db.execute("SELECT 1 FROM articles WHERE content_hash = ?", [content_hash(text)]).fetchone()
    return row is not None


def _next_sentence_id(db: Database) -> int:
    row = db.execute("SELECT coalesce(max(id), 0) + 1 FROM sentence_rows").fetchone()
    return int(row[0])


def load_sources(
    db: Database,
    sources: Iterable[Source | Failure],
    report: LoadReport | None = None,
    on: Listener | None = None,
    extractors: Extractors | None = None,
    replay: bool = True,
    batch: WriteBatch | None = None,
) -> LoadReport:
    """Process and store each source; record failures and carry on. Returns the report.

    ``extractors``, when given, must have been through ready(); by default they are made here.

    ``replay`` re-applies the user's actor decisions at the end (a caller storing many batches
    may do it once, after the last). ``batch``, when given, is the caller's open write batch
    (see db.write_batch), which the caller commits; by default the articles are committed here.
    """
    report = report if report is not None else LoadReport()
    on = on or _quiet
    extractors = extractors or ready(db, Extractors.default())
    if batch is None:
        with WriteBatch(db, report, on) as own:
            load_sources(db, sources, report, on, extractors, replay, own)
        return report
    for item in sources:
        if isinstance(item, Failure):
            report.failed.append(item)
            batch.note("failed", item.where, item.reason)
            continue
        try:
            if stored(db, item.text):  # a re-run after an interruption skips the work, not just the write
                article_id = None
                batch.note("unchanged", item.file)
            else:
                batch.tick()  # an open batch is committed before a long extraction holds its lock
                article = process(item, extractors)
                article_id = batch.store(
                    item.file, f"{len(article.sentences)} sentences ({article.encoding})",
                    len(article.sentences), partial(store, db, article, extractors.gazetteer),
                )
        except Exception as exc:  # noqa: BLE001 - one article's text or an extractor bug must not stop a load
            if isinstance(exc, sqlite3.DatabaseError) and not isinstance(exc, sqlite3.IntegrityError):
                raise  # the database itself failed (locked, full, read-only, damaged): stop here
            reason = f"cannot process: {exc}" if isinstance(exc, ValueError) else (
                f"cannot process ({type(exc).__name__}): {exc}")
            report.failed.append(Failure(item.file, reason))
            batch.note("failed", item.file, reason)
            continue
        if article_id is None:
            report.unchanged += 1
    if replay:
        batch.commit()
        curation.replay(db)
    return report


def _quiet(event: str, where: str, detail: str) -> None:
    """A listener that ignores everything."""


def ready(db: Database, extractors: Extractors) -> Extractors:
    """Prepare the database for these extractors; return them with the user's names added."""
    prepare(db, extractors)
    return extractors.with_user_names(db)


def prepare(db: Database, extractors: Extractors) -> None:
    """Bring the gazetteer's actors into the database before articles refer to them (once a version)."""
    version = extractors.gazetteer.digest
    row = db.execute("SELECT value FROM meta WHERE key = 'gazetteer'").fetchone()
    if row and row[0] == version:
        return
    with write_transaction(db):
        actors.sync_gazetteer(db, extractors.gazetteer)
        db.table("meta").upsert({"key": "gazetteer", "value": version}, pk="key")


def load(
    db: Database,
    paths: Iterable[str],
    on: Listener | None = None,
    extractors: Extractors | None = None,
    report: LoadReport | None = None,
    jobs: int = 1,
) -> LoadReport:
    """Load every article named by ``paths`` (files, directories, globs) into ``db``.

    Articles are committed a few at a time, each whole (db.write_batch), so a failure or an
    interruption (Ctrl-C, a kill) loses nothing reported as stored and never leaves part of an
    article; Ctrl-C commits the articles stored so far. Returns the LoadReport
    (``report`` when given, which then also holds the counts so far if the load is interrupted);
    ``on`` hears about each article and each finished file. With ``jobs`` > 1 the extraction
    runs in that many worker processes and this one writes, in the same order (db.parallel).
    """
    listener = on or _quiet
    ex = ready(db, extractors or Extractors.default())
    report = report if report is not None else LoadReport()
    with collect_less():
        if jobs > 1:  # extraction in worker processes, this one writing (see db.parallel)
            from qexplore.db.parallel import load_parallel

            return load_parallel(db, paths, ex, jobs, report, listener)
        return _load_here(db, paths, ex, report, listener)


def _load_here(
    db: Database, paths: Iterable[str], ex: Extractors, report: LoadReport, listener: Listener
) -> LoadReport:
    """load() in this process alone."""
    for pragma in LOAD_PRAGMAS:
        db.execute(pragma)
    try:
        with WriteBatch(db, report, listener) as batch:
            for item in expand(paths):
                if isinstance(item, Failure):
                    load_sources(db, [item], report, listener, ex, replay=False, batch=batch)
                    continue
                load_sources(db, read_path(item), report, listener, ex, replay=False, batch=batch)
                batch.note("file", shown(item))
    except KeyboardInterrupt:
        curation.replay(db)  # the articles stored so far get the user's actor decisions too
        raise
    curation.replay(db)
    from qexplore.db.parallel import optimize_index

    optimize_index(db, report.added)
    return report


def load_files(
    db: Database, files: Iterable[Path], on: Listener | None = None, extractors: Extractors | None = None
) -> LoadReport:
    """Load already expanded article files (e.g. the shipped seeds)."""
    return load(db, [str(f) for f in files], on, extractors)
