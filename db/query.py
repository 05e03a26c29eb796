"""Read-only queries: Arabic-aware search with highlight spans, statistics and exports.

A search is a count and a page of ids from the FTS5 index (see _page and _count), one query for the
page's sentences and articles, and the highlight spans of the page's sentences (db.highlight).
"""

from __future__ import annotations

import sqlite3
import time
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from typing import Any

from sqlite_utils import Database

from qexplore.db.highlight import highlighter
from qexplore.db.highlight import match_spans as match_spans  # the article screen and browse use it
from qexplore.db.models import Hit, Span
from qexplore.db.query_parse import MAX_TERMS as MAX_TERMS
from qexplore.db.query_parse import ParsedQuery as ParsedQuery
from qexplore.db.query_parse import QueryError as QueryError
from qexplore.db.query_parse import Term as Term
from qexplore.db.query_parse import expand_latin as expand_latin
from qexplore.db.query_parse import parse_query as parse_query

# bm25 costs about 2.5 µs a matching row (CPU; more on a busy machine): a query matching more than
# this many sentences lists the latest loaded first (FTS5 reads them from the end of its index, under
# 1 ms), so that a search stays a few milliseconds at a million sentences. Fewer matches, which is
# what a name with a second word, a phrase or an AND gives, are ranked by relevance.
RANK_LIMIT = 1_000
# Counting reads the index alone, about 0.1 µs a match: past this many the count stops and
# SearchResult.total is a lower bound (exact is False).
COUNT_LIMIT = 10_000
TIME_LIMIT_S = 5.0

@dataclass(frozen=True, slots=True)
class SearchResult:
    """A page of hits, the number of matching sentences and how they were ordered."""

    query: str
    total: int  # matching sentences; at least this many when not exact
    order: str  # "rank" (bm25) or "newest": the latest loaded first (too many matches to rank)
    hits: tuple[Hit, ...]
    exact: bool = True  # False past COUNT_LIMIT matches: counting them all costs too much


# Boilerplate sentences have their own index (schema v6), so neither counting nor ranking joins
# a match to its sentence: both read the index alone.
_INDEXES = ("sentences_fts",)
_WITH_BOILERPLATE = ("sentences_fts", "boilerplate_fts")
_RANKED_SQL = "SELECT rowid, rank FROM {t} WHERE {t} MATCH ? ORDER BY rank LIMIT ?"
_NEWEST_SQL = "SELECT rowid FROM {t} WHERE {t} MATCH ? ORDER BY rowid DESC LIMIT ?"
_COUNT_SQL = "SELECT count(*) FROM (SELECT 1 FROM {t} WHERE {t} MATCH ? LIMIT ?)"
_PLAIN_COUNT_SQL = "SELECT count(*) FROM {t} WHERE {t} MATCH ?"
_PAST_SQL = "SELECT 1 FROM {t} WHERE {t} MATCH ? LIMIT 1 OFFSET ?"
_SAMPLE = 20  # the fewest newest matches that tell how dense the matches are (see _count)
# A sentence's text is its slice of the article's text (the sentences view, schema v6): taken from the
# article row the join reads anyway, rather than by the view's own lookup of that row.
_HIT_SQL = """
SELECT s.id, s.article_id, a.file, a.title, a.outlet, a.published, s.seq, s.kind,
       substr(a.text, s.start + 1, s.end - s.start), s.start, s.end
FROM sentences s JOIN articles a ON a.id = s.article_id WHERE s.id IN ({ids})
"""


class _Deadline:
    """A progress handler that stops a query running past its time limit."""

    def __init__(self, conn: sqlite3.Connection, seconds: float) -> None:
        self.conn, self.until = conn, time.monotonic() + seconds

    def __enter__(self) -> None:
        self.conn.set_progress_handler(lambda: int(time.monotonic() > self.until), 20_000)

    def __exit__(self, *exc: object) -> None:
        self.conn.set_progress_handler(None, 0)


@contextmanager
def _query_errors(query: str, time_limit: float) -> Iterator[None]:
    """Turn SQLite's errors into QueryError: a search past its time limit, or one SQLite refuses."""
    try:
        yield
    except sqlite3.OperationalError as exc:
        if "interrupted" in str(exc):
            raise QueryError(f"search took over {time_limit:g}s: add words to narrow it") from exc
        raise QueryError(f"cannot search for {query!r}: {exc}") from exc


def search(
    db: Database,
    query: str,
    *,
    limit: int = 20,
    offset: int = 0,
    include_boilerplate: bool = False,
    time_limit: float = TIME_LIMIT_S,
    parsed: ParsedQuery | None = None,
) -> SearchResult:
    """Search sentences with an Arabic-aware query (see parse_query); best matches first.

    Past RANK_LIMIT matches the latest loaded come first; past COUNT_LIMIT the count stops (``exact``).
    ``parsed`` is ``expand_latin(db, parse_query(query))`` when the caller has it already.

    Raises QueryError for a query with nothing to find or one that runs past ``time_limit``.
    """
    parsed = parsed or expand_latin(db, parse_query(query))
    indexes = _WITH_BOILERPLATE if include_boilerplate else _INDEXES
    with _query_errors(query, time_limit), _Deadline(db.conn, time_limit):
        total, hits = _search(db, parsed, indexes, limit, offset)
    ranked = total <= RANK_LIMIT
    exact = total <= COUNT_LIMIT
    return SearchResult(query, min(total, COUNT_LIMIT), "rank" if ranked else "newest", hits, exact)


def _search(
    db: Database, parsed: ParsedQuery, indexes: tuple[str, ...], limit: int, offset: int
) -> tuple[int, tuple[Hit, ...]]:
    """Return (matches counted up to COUNT_LIMIT + 1, the page of hits)."""
    total, page = _page(db, parsed.fts(), indexes, limit, offset, words_only=parsed.words_only())
    return total, _hits(db, parsed, page)


def _hits(db: Database, parsed: ParsedQuery, page: list[tuple[int, Any]]) -> tuple[Hit, ...]:
    rows = _details(db, page)
    spans = highlighter(parsed).spans_of([rows[sid][8] for sid, _ in page])
    return tuple(_hit(rows[sid], score, marks) for (sid, score), marks in zip(page, spans, strict=True))


def _page(
    db: Database, match: str, indexes: tuple[str, ...], limit: int, offset: int, *, words_only: bool = False
) -> tuple[int, list[tuple[int, Any]]]:
    """Return (matches counted up to COUNT_LIMIT + 1, [(sentence id, bm25 or None)] of the page).

    Counting reads the index alone (about 0.1 µs a match) and decides the order: up to RANK_LIMIT
    matches are ranked by bm25, more come latest loaded first (FTS5 reads them from the end of its
    index). For a word, or words OR-ed (``words_only``), reading the latest is reading a few entries of
    each word's list whatever the count, so they come first and tell how to count (see _count); for
    other queries (phrases, prefixes, AND, NOT) it can cost as much as the count: only when needed.
    """
    want = offset + limit
    newest: list[int] | None = [] if words_only else None
    total = 0
    for t in indexes:
        if newest is None:
            total += int(db.execute(_COUNT_SQL.format(t=t), [match, COUNT_LIMIT + 1]).fetchone()[0])
        else:
            ids = [int(row[0]) for row in db.execute(_NEWEST_SQL.format(t=t), [match, want])]
            total += _count(db, match, t, ids, want)
            newest += ids
    if total > RANK_LIMIT:
        return total, _newest(db, match, indexes, limit, offset, newest)
    return total, _ranked(db, match, indexes, limit, offset)


def _newest(
    db: Database, match: str, indexes: tuple[str, ...], limit: int, offset: int, ids: list[int] | None = None
) -> list[tuple[int, Any]]:
    """The page of the latest loaded matches; ``ids``: the ``offset + limit`` latest of each index."""
    want = offset + limit
    if ids is None:
        ids = [int(row[0]) for t in indexes for row in db.execute(_NEWEST_SQL.format(t=t), [match, want])]
    return [(sid, None) for sid in sorted(ids, reverse=True)[offset:want]]


def _ranked(
    db: Database, match: str, indexes: tuple[str, ...], limit: int, offset: int
) -> list[tuple[int, Any]]:
    """The page of the matches ranked by bm25."""
    want = offset + limit
    scored = sorted(
        (float(row[1]), int(row[0]))
        for t in indexes for row in db.execute(_RANKED_SQL.format(t=t), [match, want])
    )
    return [(sid, score) for score, sid in scored[offset:want]]


def _past(db: Database, match: str, table: str, skip: int) -> bool:
    """Whether ``table`` holds more than ``skip`` matches."""
    return db.execute(_PAST_SQL.format(t=table), [match, skip]).fetchone() is not None


def _count(db: Database, match: str, table: str, newest: list[int], want: int) -> int:
    """Count the matches in ``table`` up to COUNT_LIMIT + 1, given the ``want`` newest (ids, latest first).

    Fewer than ``want`` are all of them. Counting with a LIMIT costs a third more a match than skipping
    matches does, so when the newest are dense enough for all of them together to pass COUNT_LIMIT
    (sentence ids grow by one from 1), the cap is tested by skipping COUNT_LIMIT matches, and an
    exact count, which then stops below the cap anyway, is left for when that finds none.
    """
    cap = COUNT_LIMIT + 1
    if len(newest) < want:
        return min(len(newest), cap)
    if want >= _SAMPLE and newest[0] * want >= cap * (newest[0] - newest[-1] + 1):
        if _past(db, match, table, COUNT_LIMIT):
            return cap
        return min(int(db.execute(_PLAIN_COUNT_SQL.format(t=table), [match]).fetchone()[0]), cap)
    return int(db.execute(_COUNT_SQL.format(t=table), [match, cap]).fetchone()[0])


def _details(db: Database, page: list[tuple[int, Any]]) -> dict[int, tuple[Any, ...]]:
    """The hits' sentences and articles by sentence id."""
    if not page:
        return {}
    sql = _HIT_SQL.format(ids=",".join("?" * len(page)))
    return {int(row[0]): row for row in db.execute(sql, [sid for sid, _ in page])}


def _hit(row: tuple[Any, ...], score: Any, spans: tuple[Span, ...]) -> Hit:
    sid, aid, file, title, outlet, published, seq, kind, text, start, end = row
    return Hit(
        sid, aid, file, title, outlet, published, seq, kind, text, start, end,
        spans, None if score is None else float(score),
    )


def stats(db: Database) -> dict[str, Any]:
    """Return row counts per table, and article and sentence counts per outlet and per year."""
    tables = ("articles", "sentences")
    present = {*db.table_names(), *db.view_names()}
    counts = {t: db[t].count for t in tables if t in present}
    per_outlet = db.execute(
        "SELECT coalesce(a.outlet, '(unknown)'), count(DISTINCT a.id), count(s.id) FROM articles a "
        "LEFT JOIN sentences s ON s.article_id = a.id GROUP BY 1 ORDER BY 2 DESC, 1"
    ).fetchall()
    per_year = db.execute(
        "SELECT coalesce(substr(a.published, 1, 4), '(undated)'), count(DISTINCT a.id), "
        "count(s.id) FROM articles a LEFT JOIN sentences s ON s.article_id = a.id "
        "GROUP BY 1 ORDER BY 1"
    ).fetchall()
    return {
        "tables": counts,
        "outlets": [{"outlet": o, "articles": a, "sentences": s} for o, a, s in per_outlet],
        "years": [{"year": y, "articles": a, "sentences": s} for y, a, s in per_year],
    }


EXPORTS: dict[str, str] = {
    "articles": (
        "SELECT a.id, a.file, a.content_hash, a.title, a.outlet, a.original_source, a.url, a.published, "
        "a.date_precision, a.date_basis, a.encoding, a.loaded_at, a.text FROM articles a "
        "ORDER BY a.id"
    ),
    "sentences": (
        "SELECT s.id, s.article_id, a.file, s.seq, s.start, s.end, s.kind, s.boilerplate, s.text "
        "FROM sentences s JOIN articles a ON a.id = s.article_id ORDER BY s.id"
    ),
}


KINDS = (*EXPORTS, "actors", "claims", "events")

_CLAIMS_SQL = """
SELECT c.id, a.file, c.sentence_id, s.text, c.kind, c.cue, c.cue_lemma, c.quote_type, c.speaker_text,
       sp.name_ar, c.anonymity, c.descriptor, c.plural, c.outlet_text, o.name_ar, c.content,
       c.carried_over, c.cue_start, c.cue_end, c.content_start, c.content_end
FROM claims c JOIN articles a ON a.id = c.article_id JOIN sentences s ON s.id = c.sentence_id
LEFT JOIN actors sp ON sp.id = c.speaker_actor_id LEFT JOIN actors o ON o.id = c.outlet_actor_id
ORDER BY c.id
"""


def _claim_rows(db: Database) -> Iterator[dict[str, Any]]:
    """Claims and declined comments with their relay chain and the actors they are about."""
    for row in db.execute(_CLAIMS_SQL).fetchall():
        (cid, file, sid, sentence, kind, cue, lemma, qtype, speaker, speaker_actor, anonymity,
         descriptor, plural, outlet_text, outlet, content, carried, cs, ce, ts, te) = row
        via = [r[0] for r in db.execute(
            "SELECT text FROM claim_via WHERE claim_id = ? ORDER BY seq", [cid])]
        about = [r[0] for r in db.execute(
            "SELECT a.name_ar FROM claim_about x JOIN actors a ON a.id = x.actor_id "
            "WHERE x.claim_id = ? ORDER BY a.name_ar", [cid])]
        yield {
            "id": cid, "file": file, "article": file, "sentence": sentence, "sentence_id": sid,
            "kind": kind, "cue": cue, "cue_lemma": lemma, "quote_type": qtype,
            "speaker_text": speaker, "speaker_actor": speaker_actor, "anonymity": anonymity,
            "descriptor": descriptor, "plural": bool(plural), "outlet": outlet or outlet_text,
            "via": via, "content": content, "about": about, "carried_over": bool(carried),
            "cue_start": cs, "cue_end": ce, "content_start": ts, "content_end": te,
        }


def export_rows(db: Database, kind: str) -> Iterator[dict[str, Any]]:
    """Yield every row of ``kind`` (see EXPORTS) as a dict, each with its article's file name."""
    if kind == "actors":
        from qexplore.db.query_actors import export_actor_rows

        yield from export_actor_rows(db)
        return
    if kind == "claims":
        yield from _claim_rows(db)
        return
    if kind == "events":
        from qexplore.db.query_events import story_rows

        yield from story_rows(db)
        return
    if kind not in EXPORTS:
        raise QueryError(f"unknown kind {kind!r}: choose one of {', '.join(KINDS)}")
    cursor = db.execute(EXPORTS[kind])
    names = [d[0] for d in cursor.description]
    for row in cursor:
        record = dict(zip(names, row, strict=True))
        if "boilerplate" in record:
            record["boilerplate"] = bool(record["boilerplate"])
        yield record
