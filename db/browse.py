"""Paged, read-only lists for the explorer: actors, stories (or events) and sentences.

Decisions:
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
  never read. The Events timeline of a search uses its newest STORY_HITS such matches (its ``Total``
  says so: the explorer shows it).
- A count that stops (a search past COUNT_LIMIT) comes back as a capped ``Total``: shown as "10,000+".
- Every sentence, unfiltered, comes in the order loaded (an index walk), not sorted by date.
- Offsets in returned spans are relative to the sentence's raw text.
"""

from __future__ import annotations

import json
from dataclasses import dataclass, field
from typing import Any

from sqlite_utils import Database

from qexplore.db.browse_cache import (
    evidence_range,
    evidence_stories,
    hits_sql,
    kept,
    memo,
    mention_counts,
    mentioned_range,
)
from qexplore.db.browse_cache import has_stories as has_stories
from qexplore.db.browse_cache import story_source as story_source
from qexplore.db.browse_prepare import Prepared as Prepared
from qexplore.db.browse_prepare import fts_match as fts_match
from qexplore.db.browse_prepare import prepare as prepare
from qexplore.db.models import Span
from qexplore.db.query import (
    ParsedQuery,
    QueryError,
    SearchResult,
    match_spans,
    search,
)

HIT_CAP = 5_000  # matching sentences looked at to find the actors a search is about
# Matching sentences (the newest, among those that are evidence of some event) whose stories the
# Events timeline shows: past it a common word's timeline is that of its newest matches.
STORY_HITS = 10_000


@dataclass(frozen=True, slots=True)
class Filter:
    """What the panes show: a search query, an actor, a story; any may be unset.

    ``prepared`` is ``prepare(db, query)`` done beforehand (the explorer does it once a keystroke).
    """

    query: str = ""
    actor_id: int | None = None
    story_id: int | None = None
    kind: str | None = None  # actor type: PER | ORG | LOC | MISC
    prepared: Prepared | None = field(default=None, compare=False)


@dataclass(frozen=True, slots=True)
class Total:
    """A list's length: ``n`` rows (at least ``n`` when ``capped``: counting stopped there) and a
    ``note`` saying what a list cut short leaves out (e.g. "newest 10,000 matches")."""

    n: int
    capped: bool = False
    note: str = ""


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


def prepared_for(db: Database, flt: Filter) -> Prepared:
    """The filter's prepared query, preparing it now if the caller did not."""
    if flt.prepared is not None and flt.prepared.query == flt.query.strip():
        return flt.prepared
    return prepare(db, flt.query)


# ---- actors ---------------------------------------------------------------------------------------


Ranked = tuple[int, int, bool]  # actor id, mentions, named by the search


def _ranked_actors(db: Database, flt: Filter) -> list[Ranked]:
    """Every actor of the list for ``flt`` in list order (kept for the connection: count, then page)."""
    return memo(db, ("actors", flt), lambda: _rank_actors(db, flt))


def _rank_actors(db: Database, flt: Filter) -> list[Ranked]:
    listed, counts = mention_counts(db)
    if not flt.query.strip():
        return [(a, n, False) for a, n, t in listed if not flt.kind or t == flt.kind]
    prepared = prepared_for(db, flt)
    beside: dict[int, int] = {}  # actor -> search sentences naming it (among the first HIT_CAP)
    if prepared.fts is not None:
        beside = {int(a): int(k) for a, k in db.execute(
            "SELECT actor_id, count(DISTINCT sentence_id) FROM mentions WHERE actor_id IS NOT NULL "
            f"AND sentence_id IN ({hits_sql(HIT_CAP)}) GROUP BY actor_id",
            [prepared.fts, *mentioned_range(db)])}
    named = set(prepared.named)
    wanted = [a for a in named | set(beside) if a in counts]  # unmerged, with mentions
    if flt.kind:
        types = {int(a): t for a, t in db.execute(
            "SELECT id, type FROM actors WHERE id IN (SELECT value FROM json_each(?))", [json.dumps(wanted)])}
        wanted = [a for a in wanted if types.get(a) == flt.kind]
    found = [(a, counts[a], a in named) for a in wanted]
    return sorted(found, key=lambda r: (not r[2], -beside.get(r[0], 0), -r[1], r[0]))


def count_actors(db: Database, flt: Filter) -> int:
    """Return how many actors the Actors list holds for ``flt`` (query and type)."""
    return len(_ranked_actors(db, flt))


def actors_page(db: Database, flt: Filter, limit: int = 100, offset: int = 0) -> list[ActorItem]:
    """Return a page of actors: named by the query first, then most mentioned (in the search's hits)."""
    page = _ranked_actors(db, flt)[offset:offset + limit]
    names = {int(r[0]): (str(r[1]), str(r[2]), r[3]) for r in db.execute(
        "SELECT id, type, name_ar, name_en FROM actors WHERE id IN (SELECT value FROM json_each(?))",
        [json.dumps([a for a, _, _ in page])])}
    return [ActorItem(a, names[a][0], names[a][1], names[a][2], n, named) for a, n, named in page]


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
        sql = hits_sql(STORY_HITS + 1, newest=True)
        hits = [int(r[0]) for r in db.execute(sql, [fts, *evidence_range(db)])]
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


def stories_page(db: Database, flt: Filter, limit: int = 100, offset: int = 0) -> list[StoryItem]:
    """Return a page of the timeline: dated stories in date order (a year before its months and days),
    then those dated without a year (``--11-07``: they cannot be placed on the timeline; by month and
    day), then the undated ones."""
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
        f"{sql} ORDER BY st.date IS NULL, st.date LIKE '--%', st.date, st.id LIMIT ? OFFSET ?",
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


def _plain_search(flt: Filter) -> bool:
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
    if _plain_search(flt):
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
    if _plain_search(flt):
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
