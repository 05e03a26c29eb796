"""Paged, read-only lists for the explorer: actors, stories (or events) and sentences.

Decisions:
- Every list is a ``Filter`` plus ``count_*`` and a ``*_page(limit, offset)`` function: the UI asks only
  for the rows it shows, never for a whole table.
- A query goes through the search engine of ``qexplore search`` (``parse_query`` + ``expand_latin``), so
  Arabic normalisation, clitics, phrases and Latin names (``qaani``) behave the same everywhere.
- Stories: once the ``stories`` table and ``events.story_id`` exist, one row is one real-world story
  gathering events from several articles; on an older database each event is its own story (same id).
- Offsets in returned spans are relative to the sentence's raw text.
"""

from __future__ import annotations

import json
from dataclasses import dataclass, field
from typing import Any

from sqlite_utils import Database

from qexplore.db.arabic import name_key
from qexplore.db.models import Span
from qexplore.db.query import ParsedQuery, QueryError, expand_latin, match_spans, parse_query, search
from qexplore.db.query_actors import find_actors

HIT_CAP = 5_000  # matching sentences looked at to find the actors a search is about


@dataclass(frozen=True, slots=True)
class Filter:
    """What the panes show: a search query, an actor, a story; any may be unset."""

    query: str = ""
    actor_id: int | None = None
    story_id: int | None = None
    kind: str | None = None  # actor type: PER | ORG | LOC | MISC


@dataclass(frozen=True, slots=True)
class ActorItem:
    """One row of the Actors list."""

    id: int
    type: str
    name_ar: str
    name_en: str | None
    mentions: int
    named: bool = False  # the search names this actor (rather than finding it beside the words)


@dataclass(frozen=True, slots=True)
class StoryItem:
    """One row of the Events timeline: a story (one real-world event, reported once or many times)."""

    id: int
    type: str
    date: str | None
    date_precision: str | None
    place: str | None
    participants: str  # up to four names, "، "-separated
    articles: int
    sources: int
    sentences: int


@dataclass(frozen=True, slots=True)
class MentionSpan:
    """An entity mention inside a sentence: offsets into the sentence text, type and actor."""

    start: int
    end: int
    type: str
    actor_id: int | None


@dataclass(frozen=True, slots=True)
class SentenceItem:
    """A source sentence with its article, outlet and date, its matches and its entity mentions."""

    id: int
    article_id: int
    file: str
    outlet: str | None
    published: str | None
    seq: int
    kind: str
    text: str
    start: int  # offset of the sentence in its article
    matches: tuple[Span, ...] = ()
    mentions: tuple[MentionSpan, ...] = field(default=())


def has_stories(db: Database) -> bool:
    """True when the database groups events into stories (schema v5 and later)."""
    if "stories" not in db.table_names():
        return False
    return any(row[1] == "story_id" for row in db.execute("PRAGMA table_info(events)"))


def story_source(db: Database) -> tuple[str, str]:
    """Return (a FROM-able story relation named ``st``, the events column naming an event's story)."""
    if has_stories(db):
        return ("stories st", "e.story_id")
    return (
        "(SELECT id, type, date, date_precision, date_basis, place_actor_id, 1 AS articles, "
        "1 AS sources FROM events) st",
        "e.id",
    )


def fts_match(db: Database, query: str) -> tuple[str, ParsedQuery] | None:
    """Return the FTS5 expression and parsed form of a user query, or None when it holds no word."""
    if not query.strip():
        return None
    key = (str(db.execute("PRAGMA database_list").fetchone()[2]), query)
    if key not in _PARSED:
        try:
            parsed = expand_latin(db, parse_query(query))
        except QueryError:
            return None
        if len(_PARSED) > 16:
            _PARSED.clear()
        _PARSED[key] = (parsed.fts(), parsed)
    return _PARSED[key]


# Every pane's count and page parse the same query, each on its own connection: keyed by database file.
# (A name typed in Latin letters costs a fuzzy pass over all names.)
_PARSED: dict[tuple[str, str], tuple[str, ParsedQuery]] = {}


def _hits_sql(limit: int | None = None) -> str:
    cap = f" LIMIT {int(limit)}" if limit else ""
    return f"SELECT rowid FROM sentences_fts WHERE sentences_fts MATCH ?{cap}"


# ---- actors ---------------------------------------------------------------------------------------


def _named_actors(db: Database, text: str) -> list[int]:
    """Actors the text names: by name key, by Latin spelling, or whose name begins with what is typed."""
    ids = list(find_actors(db, text))
    key = name_key(text)
    if key and len(key) >= 2:
        rows = db.execute(
            "SELECT DISTINCT n.actor_id FROM actor_names n JOIN actors a ON a.id = n.actor_id "
            "WHERE a.merged_into IS NULL AND (n.key LIKE ? OR n.key LIKE ?) LIMIT 200",
            [key + "%", "% " + key + "%"],
        )
        ids += [int(r[0]) for r in rows if int(r[0]) not in ids]
    return ids


def _actor_where(db: Database, flt: Filter) -> tuple[str, list[Any]]:
    """FROM/WHERE for the actor list; columns n (mentions), named and k (search sentences)."""
    params: list[Any] = []
    kind = ""
    if flt.kind:
        kind, params = " AND a.type = ?", [flt.kind]
    fts = fts_match(db, flt.query)
    if not flt.query.strip():
        sql = (
            "FROM (SELECT actor_id, count(*) AS n FROM mentions WHERE actor_id IS NOT NULL "
            "GROUP BY actor_id) c JOIN actors a ON a.id = c.actor_id "
            f"WHERE a.merged_into IS NULL{kind}"
        )
        return sql, params
    named = json.dumps(_named_actors(db, flt.query))
    co = "SELECT NULL AS actor_id, 0 AS k WHERE 0"
    co_params: list[Any] = []
    if fts is not None:
        co = (
            "SELECT actor_id, count(DISTINCT sentence_id) AS k FROM mentions WHERE actor_id IS NOT NULL "
            f"AND sentence_id IN ({_hits_sql(HIT_CAP)}) GROUP BY actor_id"
        )
        co_params = [fts[0]]
    sql = (
        f"FROM actors a LEFT JOIN ({co}) co ON co.actor_id = a.id "
        "LEFT JOIN (SELECT value AS id, 1 AS named FROM json_each(?)) nm ON nm.id = a.id "
        f"WHERE a.merged_into IS NULL AND (nm.id IS NOT NULL OR co.actor_id IS NOT NULL){kind} "
        "AND (co.actor_id IS NOT NULL OR EXISTS (SELECT 1 FROM mentions WHERE actor_id = a.id))"
    )
    return sql, [*co_params, named, *params]


def count_actors(db: Database, flt: Filter) -> int:
    """Return how many actors the Actors list holds for ``flt`` (query and type)."""
    sql, params = _actor_where(db, flt)
    return int(db.execute(f"SELECT count(*) {sql}", params).fetchone()[0])


def actors_page(db: Database, flt: Filter, limit: int = 100, offset: int = 0) -> list[ActorItem]:
    """Return a page of actors: named by the query first, then most mentioned (in the search's hits)."""
    sql, params = _actor_where(db, flt)
    if flt.query.strip():
        cols = "coalesce(nm.named, 0) AS named, coalesce(co.k, 0) AS k, " \
            "(SELECT count(*) FROM mentions m WHERE m.actor_id = a.id) AS n"
        order = "named DESC, k DESC, n DESC, a.id"
    else:
        cols, order = "0 AS named, 0 AS k, c.n AS n", "c.n DESC, a.id"
    rows = db.execute(
        f"SELECT a.id, a.type, a.name_ar, a.name_en, {cols} {sql} ORDER BY {order} LIMIT ? OFFSET ?",
        [*params, limit, offset],
    ).fetchall()
    return [ActorItem(r[0], r[1], r[2], r[3], int(r[6]), bool(r[4])) for r in rows]


# ---- stories (the Events timeline) ------------------------------------------------------------------


def _story_where(db: Database, flt: Filter) -> tuple[str, list[Any]]:
    relation, member = story_source(db)
    where, params = ["1"], list[Any]()
    if flt.actor_id is not None:
        where.append(
            f"(st.place_actor_id = ? OR EXISTS (SELECT 1 FROM events e JOIN event_participants p "
            f"ON p.event_id = e.id WHERE {member} = st.id AND p.actor_id = ?))"
        )
        params += [flt.actor_id, flt.actor_id]
    fts = fts_match(db, flt.query)
    if fts is not None:
        where.append(
            f"EXISTS (SELECT 1 FROM events e JOIN event_evidence v ON v.event_id = e.id "
            f"WHERE {member} = st.id AND v.sentence_id IN ({_hits_sql()}))"
        )
        params.append(fts[0])
    return f"FROM {relation} WHERE {' AND '.join(where)}", params


def count_stories(db: Database, flt: Filter) -> int:
    """Return how many stories the Events timeline holds for ``flt`` (actor and query)."""
    sql, params = _story_where(db, flt)
    return int(db.execute(f"SELECT count(*) {sql}", params).fetchone()[0])


def stories_page(db: Database, flt: Filter, limit: int = 100, offset: int = 0) -> list[StoryItem]:
    """Return a page of the timeline: dated stories in date order, then the undated ones."""
    sql, params = _story_where(db, flt)
    _, member = story_source(db)
    rows = db.execute(
        "SELECT st.id, st.type, st.date, st.date_precision, "
        "(SELECT name_ar FROM actors WHERE id = st.place_actor_id), "
        "(SELECT group_concat(name_ar, '، ') FROM (SELECT DISTINCT a.name_ar FROM events e "
        f" JOIN event_participants p ON p.event_id = e.id JOIN actors a ON a.id = p.actor_id "
        f" WHERE {member} = st.id LIMIT 4)), st.articles, st.sources, "
        "(SELECT count(DISTINCT v.sentence_id) FROM events e JOIN event_evidence v ON v.event_id = e.id "
        f" WHERE {member} = st.id) "
        f"{sql} ORDER BY st.date IS NULL, st.date, st.id LIMIT ? OFFSET ?",
        [*params, limit, offset],
    ).fetchall()
    return [StoryItem(r[0], r[1], r[2], r[3], r[4], r[5] or "", int(r[6] or 0), int(r[7] or 0),
                      int(r[8] or 0)) for r in rows]


# ---- sentences ---------------------------------------------------------------------------------------


def _sentence_where(db: Database, flt: Filter) -> tuple[str, list[Any], ParsedQuery | None]:
    where, params = ["s.boilerplate = 0"], list[Any]()
    if flt.actor_id is not None:
        where.append("s.id IN (SELECT sentence_id FROM mentions WHERE actor_id = ?)")
        params.append(flt.actor_id)
    if flt.story_id is not None:
        _, member = story_source(db)
        where[0] = "1"  # evidence is shown whatever its kind
        where.append(
            "s.id IN (SELECT v.sentence_id FROM events e JOIN event_evidence v ON v.event_id = e.id "
            f"WHERE {member} = ?)"
        )
        params.append(flt.story_id)
    fts = fts_match(db, flt.query)
    if fts is not None:
        where.append(f"s.id IN ({_hits_sql()})")
        params.append(fts[0])
    sql = "FROM sentences s JOIN articles a ON a.id = s.article_id WHERE " + " AND ".join(where)
    return sql, params, None if fts is None else fts[1]


def _plain_search(flt: Filter) -> bool:
    return bool(flt.query.strip()) and flt.actor_id is None and flt.story_id is None


def count_sentences(db: Database, flt: Filter) -> int:
    """Return how many sentences the Sentences list holds for ``flt``."""
    if _plain_search(flt):
        try:
            return search(db, flt.query, limit=1).total
        except QueryError:
            return 0
    sql, params, _ = _sentence_where(db, flt)
    return int(db.execute(f"SELECT count(*) {sql}", params).fetchone()[0])


def sentences_page(db: Database, flt: Filter, limit: int = 100, offset: int = 0) -> list[SentenceItem]:
    """Return a page of sentences: a plain search best first (as ``qexplore search``), else in
    article order; with the spans the query (or the chosen actor's mentions) matches."""
    if _plain_search(flt):
        try:
            result = search(db, flt.query, limit=limit, offset=offset)
        except QueryError:
            return []
        rows = [(h.sentence_id, h.article_id, h.file, h.outlet, h.published, h.seq, h.kind, h.text,
                 h.start) for h in result.hits]
        spans = {h.sentence_id: h.spans for h in result.hits}
        return _with_mentions(db, rows, spans, flt)
    sql, params, parsed = _sentence_where(db, flt)
    rows = db.execute(
        "SELECT s.id, s.article_id, a.file, a.outlet, a.published, s.seq, s.kind, s.text, s.start "
        f"{sql} ORDER BY a.published IS NULL, a.published, s.article_id, s.seq LIMIT ? OFFSET ?",
        [*params, limit, offset],
    ).fetchall()
    found = {r[0]: match_spans(r[7], parsed) for r in rows} if parsed else {}
    return _with_mentions(db, rows, found, flt)


def sentence_mentions(db: Database, ids: list[int]) -> dict[int, list[MentionSpan]]:
    """Return the mentions of each sentence in ``ids``, offsets relative to the sentence."""
    out: dict[int, list[MentionSpan]] = {i: [] for i in ids}
    if not ids:
        return out
    rows = db.execute(
        "SELECT m.sentence_id, m.start - s.start, m.end - s.start, m.type, m.actor_id FROM mentions m "
        "JOIN sentences s ON s.id = m.sentence_id WHERE m.sentence_id IN (SELECT value FROM json_each(?)) "
        "ORDER BY m.sentence_id, m.start",
        [json.dumps(ids)],
    )
    for sid, start, end, kind, actor in rows:
        out[sid].append(MentionSpan(start, end, kind, actor))
    return out


def _with_mentions(
    db: Database, rows: list[Any], spans: dict[int, tuple[Span, ...]], flt: Filter
) -> list[SentenceItem]:
    mentions = sentence_mentions(db, [r[0] for r in rows])
    out = []
    for r in rows:
        found = mentions[r[0]]
        matches = spans.get(r[0], ())
        if not matches and flt.actor_id is not None:
            matches = tuple(Span(m.start, m.end) for m in found if m.actor_id == flt.actor_id)
        sid, aid, file, outlet, published, seq, kind, text, start = r
        out.append(SentenceItem(sid, aid, file, outlet, published, seq, kind, text, start,
                                matches, tuple(found)))
    return out
