"""The explorer's Actors list: the actors a search names, then those beside its newest matches.

Decisions:
- A search lists first the actors it names (by name, Latin spelling or a name's beginning), then the
  actors mentioned in its newest ACTOR_HITS matching sentences (among those holding a mention), most
  such sentences first: past it a common word's actors are those of its newest matches, and its
  ``Total`` says so (the explorer shows it in the pane's title).
- Without a search, every unmerged actor with mentions, most mentioned first (kept per database).
- The actors beside a search's hits are counted in memory (``sentence_actors``, kept per database).
- The ranked list is kept for the connection (``memo``): its count follows its first page.
"""

from __future__ import annotations

import json
from collections import Counter
from dataclasses import dataclass

from sqlite_utils import Database

from qexplore.db.browse_cache import memo, mention_counts, mentioned_range, newest_hits, sentence_actors
from qexplore.db.browse_prepare import Filter, Total, prepared_for

# Matching sentences (the newest, among those holding some mention) looked at to find the actors a
# search is about: past it a common word's actors are those of its newest matches (the title says so).
ACTOR_HITS = 2_000


@dataclass(frozen=True, slots=True)
class ActorItem:
    """One row of the Actors list."""

    id: int
    type: str
    name_ar: str
    name_en: str | None
    mentions: int
    named: bool = False  # the search names this actor (rather than finding it beside the words)


Ranked = tuple[int, int, bool]  # actor id, mentions, named by the search


def _ranked_actors(db: Database, flt: Filter) -> tuple[list[Ranked], bool]:
    """Every actor of the list for ``flt`` in list order (kept for the connection: count, then page)."""
    return memo(db, ("actors", flt), lambda: _rank_actors(db, flt))


def _rank_actors(db: Database, flt: Filter) -> tuple[list[Ranked], bool]:
    """The actors of the list in list order, and whether the search had more than ACTOR_HITS
    matches holding a mention (only the newest were looked at)."""
    listed, counts = mention_counts(db)
    if not flt.query.strip():
        return [(a, n, False) for a, n, t in listed if not flt.kind or t == flt.kind], False
    prepared = prepared_for(db, flt)
    beside: dict[int, int] = {}  # actor -> search sentences naming it (among the newest ACTOR_HITS)
    more = False
    if prepared.fts is not None:
        hits = newest_hits(db, prepared.fts, mentioned_range(db), ACTOR_HITS + 1)
        more = len(hits) > ACTOR_HITS
        actors = sentence_actors(db)  # in memory: each hit's actors, each once
        beside = dict(Counter(a for sid in hits[:ACTOR_HITS] for a in actors.get(sid, ())))
    named = set(prepared.named)
    wanted = [a for a in named | set(beside) if a in counts]  # unmerged, with mentions
    if flt.kind:
        types = {int(a): t for a, t in db.execute(
            "SELECT id, type FROM actors WHERE id IN (SELECT value FROM json_each(?))", [json.dumps(wanted)])}
        wanted = [a for a in wanted if types.get(a) == flt.kind]
    found = [(a, counts[a], a in named) for a in wanted]
    return sorted(found, key=lambda r: (not r[2], -beside.get(r[0], 0), -r[1], r[0])), more


def count_actors(db: Database, flt: Filter) -> int:
    """Return how many actors the Actors list holds for ``flt`` (query and type)."""
    return actors_total(db, flt).n


def actors_total(db: Database, flt: Filter) -> Total:
    """How many actors the Actors list holds for ``flt``, noting when a common word's actors are
    those of its newest ACTOR_HITS matches only."""
    ranked, more = _ranked_actors(db, flt)
    return Total(len(ranked), note=f"from the newest {ACTOR_HITS:,} matches" if more else "")


def actors_page(db: Database, flt: Filter, limit: int = 100, offset: int = 0) -> list[ActorItem]:
    """Return a page of actors: named by the query first, then most mentioned (in the search's hits)."""
    page = _ranked_actors(db, flt)[0][offset:offset + limit]
    names = {int(r[0]): (str(r[1]), str(r[2]), r[3]) for r in db.execute(
        "SELECT id, type, name_ar, name_en FROM actors WHERE id IN (SELECT value FROM json_each(?))",
        [json.dumps([a for a, _, _ in page])])}
    return [ActorItem(a, names[a][0], names[a][1], names[a][2], n, named) for a, n, named in page]
