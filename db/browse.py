"""Paged, read-only lists for the explorer: actors, stories (or events) and sentences.

Decisions:
- The Actors list lives in ``browse_actors``; ``Filter`` and ``Total`` in ``browse_prepare``.
- Every list is a ``Filter`` plus ``count_*`` and a ``*_page(limit, offset)`` function: the UI asks only
  for the rows it shows, never for a whole table.
- A query goes through the search engine of ``qexplore search`` (``parse_query`` + ``expand_latin``), so
  Arabic normalisation, clitics, phrases and Latin names (``qaani``) behave the same everywhere.
- A query is prepared ONCE (``browse_prepare.prepare``: parsed, Latin names expanded, the actors it
  names found) and the result rides in ``Filter.prepared``: the panes' counts and pages never repeat it.
- Filters by search hits or by actor are ``IN (subquery)`` sets computed once, never correlated
  ``EXISTS`` around an FTS subquery (SQLite re-ran the FTS match for every story: 40 s at 100k sentences).
- A list's count and first page run back to back on one connection: the work they share (the ranked
  search, the candidate actors, a search's stories) is kept for that connection only (``memo``).
- Stories: once the ``stories`` table and ``events.story_id`` exist, one row is one real-world story
  gathering events from several articles; on an older database each event is its own story (same id).
- Derived data that costs a scan (mentions per actor, the evidence's sentence range, the number of
  sentences) is kept per database file while a cheap stamp stays the same (``browse_cache``).
- A search joined to mentions or evidence reads only the stretch of rowids those can hold
  (``rowid BETWEEN``): on a database loaded partly for search only, a common word's other matches are
  never read. The Events timeline of a search uses its newest STORY_HITS such matches, the Actors
  list its newest ACTOR_HITS (their ``Total`` says so: the explorer shows it in the pane's title).
- Hit ids come back from SQLite as one JSON array, not one row each: a worker fetching rows waits for
  the GIL again at every row while the other panes build theirs (the actors beside them are counted
  in memory: ``browse_actors``).
- A timeline page picks its story ids first and only then works out their names and counts (SQLite
  would do it for every story the filter lets through before sorting them).
- A count that stops (a search past COUNT_LIMIT) comes back as a capped ``Total``: shown as "10,000+".
- Every sentence, unfiltered, comes in the order loaded (an index walk), not sorted by date.
- Offsets in returned spans are relative to the sentence's raw text.
"""

from __future__ import annotations

import json
from dataclasses import dataclass, field
from typing import Any

from sqlite_utils import Database

from qexplore.db.browse_actors import ACTOR_HITS as ACTOR_HITS
from qexplore.db.browse_actors import ActorItem as ActorItem
from qexplore.db.browse_actors import actors_page as actors_page
from qexplore.db.browse_actors import actors_total as actors_total
from qexplore.db.browse_actors import count_actors as count_actors
from qexplore.db.browse_cache import (
    evidence_range,
    evidence_stories,
    hits_sql,
    kept,
    memo,
    newest_hits,
)
from qexplore.db.browse_cache import has_stories as has_stories
from qexplore.db.browse_cache import story_source as story_source
from qexplore.db.browse_prepare import Filter as Filter
from qexplore.db.browse_prepare import Prepared as Prepared
from qexplore.db.browse_prepare import Total as Total
from qexplore.db.browse_prepare import fts_match as fts_match
from qexplore.db.browse_prepare import prepare as prepare
from qexplore.db.browse_prepare import prepared_for as prepared_for
from qexplore.db.models import Span
from qexplore.db.query import (
    ParsedQuery,
    QueryError,
    SearchResult,
    match_spans,
    search,
)

# Matching sentences (the newest, among those that are evidence of some event) whose stories the
# Events timeline shows: past it a common word's timeline is that of its newest matches.
STORY_HITS = 10_000


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


# ---- stories (the Events timeline) ------------------------------------------------------------------


def _story_where(db: Database, flt: Filter) -> tuple[str, list[Any]]:
    relation, member = story_source(db)
    where, params = ["1"], list[Any]()
    if flt.actor_id is not None:
        where.append(
            f"(st.place_actor_id = ? OR st.id IN (SELECT {member} FROM events e JOIN event_participants p "
            "ON p.event_id = e.id WHERE p.actor_id = ?))"
        )
        params += [flt.actor_id, flt.actor_id]
    searched = _searched_stories(db, flt)
    if searched is not None:
        where.append("st.id IN (SELECT value FROM json_each(?))")
        params.append(json.dumps(searched[0]))
    return f"FROM {relation} WHERE {' AND '.join(where)}", params


def _searched_stories(db: Database, flt: Filter) -> tuple[list[int], bool] | None:
    """The stories of the search's newest STORY_HITS evidence sentences, and whether there were more
    such sentences; None without a search. Kept for the connection: the count follows the page."""
    fts = prepared_for(db, flt).fts
    if fts is None:
        return None

    def compute() -> tuple[list[int], bool]:
        hits = newest_hits(db, fts, evidence_range(db), STORY_HITS + 1)
        stories = evidence_stories(db)
        ids = sorted({story for h in hits[:STORY_HITS] for story in stories.get(h, ())})
        return ids, len(hits) > STORY_HITS

    return memo(db, ("stories", fts), compute)


def count_stories(db: Database, flt: Filter) -> int:
    """Return how many stories the Events timeline holds for ``flt`` (actor and query)."""
    return stories_total(db, flt).n


def stories_total(db: Database, flt: Filter) -> Total:
    """How many stories the Events timeline holds for ``flt``, noting when a common word's timeline is
    that of its newest STORY_HITS matching evidence sentences only."""
    sql, params = _story_where(db, flt)
    n = int(db.execute(f"SELECT count(*) {sql}", params).fetchone()[0])
    searched = _searched_stories(db, flt)
    if searched is not None and searched[1]:
        return Total(n, note=f"newest {STORY_HITS:,} matches")
    return Total(n)


_STORY_ORDER = "ORDER BY st.date IS NULL, st.date LIKE '--%', st.date, st.id"


def stories_page(db: Database, flt: Filter, limit: int = 100, offset: int = 0) -> list[StoryItem]:
    """Return a page of the timeline: dated stories in date order (a year before its months and days),
    then those dated without a year (``--11-07``: they cannot be placed on the timeline; by month and
    day), then the undated ones."""
    sql, params = _story_where(db, flt)
    relation, member = story_source(db)
    # The page's ids first: SQLite would otherwise work out the names and counts of every story the
    # filter lets through before sorting them (thousands for a common word), not of the page alone.
    rows = db.execute(
        "SELECT st.id, st.type, st.date, st.date_precision, "
        "(SELECT name_ar FROM actors WHERE id = st.place_actor_id), "
        "(SELECT group_concat(name_ar, '، ') FROM (SELECT DISTINCT a.name_ar FROM events e "
        f" JOIN event_participants p ON p.event_id = e.id JOIN actors a ON a.id = p.actor_id "
        f" WHERE {member} = st.id LIMIT 4)), st.articles, st.sources, "
        "(SELECT count(DISTINCT v.sentence_id) FROM events e JOIN event_evidence v ON v.event_id = e.id "
        f" WHERE {member} = st.id) "
        f"FROM (SELECT st.id AS pick {sql} {_STORY_ORDER} LIMIT ? OFFSET ?) AS page "
        f"JOIN {relation} ON st.id = page.pick {_STORY_ORDER}",
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
    prepared = prepared_for(db, flt)
    if prepared.fts is not None:
        where.append(f"s.id IN ({hits_sql()})")
        params += [prepared.fts, *_sentence_range(db, flt)]
    sql = "FROM sentences s JOIN articles a ON a.id = s.article_id WHERE " + " AND ".join(where)
    return sql, params, prepared.parsed


def _sentence_range(db: Database, flt: Filter) -> tuple[int, int]:
    """Bounds on the ids of the sentences an actor or story filter lets through (index look-ups)."""
    if flt.story_id is not None:
        return evidence_range(db)
    if flt.actor_id is not None:
        lo, hi = db.execute("SELECT min(sentence_id), max(sentence_id) FROM mentions WHERE actor_id = ?",
                            [flt.actor_id]).fetchone()
        return (int(lo), int(hi)) if lo is not None else (1, 0)
    return (0, 1 << 62)


def _unfiltered(flt: Filter) -> bool:
    return not flt.query.strip() and flt.actor_id is None and flt.story_id is None


def plain_search(flt: Filter) -> bool:
    """True for a search alone (no actor, no story): the Sentences list is then that of ``search``."""
    return bool(flt.query.strip()) and flt.actor_id is None and flt.story_id is None


FIRST_PAGE = 50  # the explorer's page (tui PagedList.PAGE): counting a search ranks it, kept for the page


def _search(db: Database, flt: Filter, limit: int, offset: int) -> SearchResult | None:
    """The plain search of ``flt`` (None when it cannot run), through ``qexplore search``'s engine."""
    prepared = prepared_for(db, flt)
    if prepared.parsed is None:
        return None
    try:
        return search(db, flt.query, limit=limit, offset=offset, parsed=prepared.parsed)
    except QueryError:
        return None


def count_sentences(db: Database, flt: Filter) -> int:
    """Return how many sentences the Sentences list holds for ``flt`` (a search's count stops at
    COUNT_LIMIT: see ``sentences_total``)."""
    return sentences_total(db, flt).n


def sentences_total(db: Database, flt: Filter) -> Total:
    """How many sentences the Sentences list holds for ``flt``; capped when a search's count stopped."""
    if plain_search(flt):
        result = memo(db, ("search", flt, FIRST_PAGE, 0), lambda: _search(db, flt, FIRST_PAGE, 0))
        return Total(result.total, capped=not result.exact) if result else Total(0)
    return Total(_count_sentences(db, flt))


def _count_sentences(db: Database, flt: Filter) -> int:
    sql, params, _ = _sentence_where(db, flt)
    if _unfiltered(flt):  # a scan of every sentence: once a session
        stamp = db.execute("SELECT max(id) FROM sentences").fetchone()[0]
        return kept(db, "sentences", stamp, lambda: int(db.execute(f"SELECT count(*) {sql}").fetchone()[0]))
    return int(db.execute(f"SELECT count(*) {sql}", params).fetchone()[0])


def sentences_page(db: Database, flt: Filter, limit: int = 100, offset: int = 0) -> list[SentenceItem]:
    """Return a page of sentences: a plain search best first (as ``qexplore search``), else in
    article order (by date; every sentence, unfiltered: in the order loaded); with the spans the
    query (or the chosen actor's mentions) matches."""
    if plain_search(flt):
        result = memo(db, ("search", flt, limit, offset), lambda: _search(db, flt, limit, offset))
        if result is None:
            return []
        rows = [(h.sentence_id, h.article_id, h.file, h.outlet, h.published, h.seq, h.kind, h.text,
                 h.start) for h in result.hits]
        spans = {h.sentence_id: h.spans for h in result.hits}
        return _with_mentions(db, rows, spans, flt)
    sql, params, parsed = _sentence_where(db, flt)
    # Every sentence: in the order loaded (an index walk); sorting a million by date costs seconds.
    order = "a.published IS NULL, a.published, s.article_id, s.seq"
    if _unfiltered(flt):
        order = "s.article_id, s.seq"
    rows = db.execute(
        "SELECT s.id, s.article_id, a.file, a.outlet, a.published, s.seq, s.kind, s.text, s.start "
        f"{sql} ORDER BY {order} LIMIT ? OFFSET ?",
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
