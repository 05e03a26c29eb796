"""Load articles into the database: read, process, and store each in one transaction."""

from __future__ import annotations

import hashlib
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from datetime import UTC, datetime
from pathlib import Path

from qexplore.db.arabic import index_forms, normalize, words
from qexplore.db.extract.dates import FoundDate, parse_date
from qexplore.db.meta import article_meta
from qexplore.db.models import Article, Source
from qexplore.db.read import Failure, expand, read_path
from qexplore.db.segment import segment
from sqlite_utils import Database


@dataclass
class LoadReport:
    """What a load did: articles added or already present, sentences written, inputs that failed."""

    added: int = 0
    unchanged: int = 0
    sentences: int = 0
    failed: list[Failure] = field(default_factory=list)


# (event, where, detail): event is "added", "unchanged", "failed" or "file" (a file is done).
Listener = Callable[[str, str, str], None]


def content_hash(text: str) -> str:
    """Return an article's identity: the SHA-256 of its decoded text."""
    return hashlib.sha256(text.encode("utf-8")).hexdigest()


def process(source: Source) -> Article:
    """Turn a decoded source into an article: sentences, metadata and identity (no database)."""
    sentences = segment(source.text)
    meta = article_meta(source.text, sentences)
    published, precision, basis = None, None, None
    if source.published and (found := parse_date(source.published)):
        if source.date_basis == "extracted" and found != meta.published:
            # HTML metadata dates are often wrong below the year unless the page states them.
            found = FoundDate(found.value[:4], "year")
        published, precision, basis = found.value, found.precision, source.date_basis
    elif meta.published:
        published, precision, basis = meta.published.value, meta.published.precision, "stated"
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
        sentences=tuple(sentences),
    )


def index_terms(text: str) -> tuple[str, str]:
    """Return the (art, bare) columns the search index stores for a sentence's raw text."""
    forms = [index_forms(w) for w in words(text)]
    return " ".join(f[0] for f in forms), " ".join(f[1] for f in forms)


def store(db: Database, article: Article) -> int | None:
    """Write an article and its sentences in one transaction; return its id, None if already there."""
    with db.atomic():
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
            "INSERT INTO sentences (id, article_id, seq, start, end, text, kind, boilerplate, norm) "
            "VALUES (?,?,?,?,?,?,?,?,?)",
            [
                (first + s.seq, article_id, s.seq, s.start, s.end, s.text, s.kind,
                 int(s.boilerplate), normalize(s.text))
                for s in article.sentences
            ],
        )
        db.conn.executemany(
            "INSERT INTO sentences_fts (rowid, art, bare) VALUES (?,?,?)",
            [(first + s.seq, *index_terms(s.text)) for s in article.sentences],
        )
    return article_id


def _next_sentence_id(db: Database) -> int:
    row = db.execute("SELECT coalesce(max(id), 0) + 1 FROM sentences").fetchone()
    return int(row[0])


def load_sources(
    db: Database, sources: Iterable[Source | Failure], report: LoadReport, on: Listener
) -> None:
    """Process and store each source; record failures and carry on."""
    for item in sources:
        if isinstance(item, Failure):
            report.failed.append(item)
            on("failed", item.where, item.reason)
            continue
        try:
            article = process(item)
            article_id = store(db, article)
        except (ValueError, RecursionError, MemoryError) as exc:
            report.failed.append(Failure(item.file, f"cannot process: {exc}"))
            on("failed", item.file, f"cannot process: {exc}")
            continue
        if article_id is None:
            report.unchanged += 1
            on("unchanged", item.file, "")
        else:
            report.added += 1
            report.sentences += len(article.sentences)
            on("added", item.file, f"{len(article.sentences)} sentences ({article.encoding})")


def load(db: Database, paths: Iterable[str], on: Listener | None = None) -> LoadReport:
    """Load every article named by ``paths`` (files, directories, globs) into ``db``.

    Each article goes in its own transaction, so a failure loses nothing already stored.
    Returns a LoadReport; ``on`` hears about each article and each finished file.
    """
    listener = on or (lambda event, where, detail: None)
    report = LoadReport()
    for item in expand(paths):
        if isinstance(item, Failure):
            load_sources(db, [item], report, listener)
            continue
        load_sources(db, read_path(item), report, listener)
        listener("file", str(item), "")
    return report


def load_files(db: Database, files: Iterable[Path], on: Listener | None = None) -> LoadReport:
    """Load already expanded article files (e.g. the shipped seeds)."""
    return load(db, [str(f) for f in files], on)
