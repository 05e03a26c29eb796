"""Preparing a search once for every list of the explorer: parsed, Latin names expanded, actors named.

Decisions:
- A query is prepared ONCE (``prepare``) and the result rides in ``Filter.prepared``: the panes' counts
  and pages never repeat that work (a Latin name costs a fuzzy pass over every name).
- What the explorer's panes show rides in a ``Filter`` (query, actor, story, type, the prepared
  query); a list's length in a ``Total`` (capped, or with a note on what it leaves out).
- Prepared queries are cached per database file, query and state of the actor tables (a load adding
  names changes it), PREPARED_CACHE of them.
"""

from __future__ import annotations

import threading
from collections import OrderedDict
from dataclasses import dataclass, field
from typing import Any

from sqlite_utils import Database

from qexplore.db.arabic import name_key
from qexplore.db.browse_cache import db_file
from qexplore.db.query import ParsedQuery, QueryError, expand_latin, parse_query
from qexplore.db.query_actors import actors_stamp, find_actors, names_beginning


@dataclass(frozen=True, slots=True)
class Prepared:
    """A query made ready once for every list: its FTS5 expression, parsed form and named actors.

    ``fts`` and ``parsed`` are None when the query holds no searchable word (or is empty).
    """

    query: str
    fts: str | None = None
    parsed: ParsedQuery | None = None
    named: tuple[int, ...] = ()


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


def prepared_for(db: Database, flt: Filter) -> Prepared:
    """The filter's prepared query, preparing it now if the caller did not."""
    if flt.prepared is not None and flt.prepared.query == flt.query.strip():
        return flt.prepared
    return prepare(db, flt.query)


_PREPARED: OrderedDict[tuple[Any, ...], Prepared] = OrderedDict()
_PREPARED_LOCK = threading.Lock()
PREPARED_CACHE = 64


def prepare(db: Database, query: str) -> Prepared:
    """Parse ``query``, expand the Latin names in it and find the actors it names, once.

    Cached per database file, query and state of the actor tables (a load adding names changes it).
    """
    query = query.strip()
    if not query:
        return Prepared("")
    file, version = _db_version(db)
    key = (file, version, query)
    with _PREPARED_LOCK:
        if key in _PREPARED:
            _PREPARED.move_to_end(key)
            return _PREPARED[key]
    try:
        parsed: ParsedQuery | None = expand_latin(db, parse_query(query))
    except QueryError:
        parsed = None
    prepared = Prepared(query, parsed.fts() if parsed else None, parsed, tuple(named_actors(db, query)))
    with _PREPARED_LOCK:
        _PREPARED[key] = prepared
        while len(_PREPARED) > PREPARED_CACHE:
            _PREPARED.popitem(last=False)
    return prepared


def _db_version(db: Database) -> tuple[str, tuple[Any, ...]]:
    file = db_file(db)
    return file or f"memory {id(db.conn)}", actors_stamp(db)


def fts_match(db: Database, query: str) -> tuple[str, ParsedQuery] | None:
    """Return the FTS5 expression and parsed form of a user query, or None when it holds no word."""
    prepared = prepare(db, query)
    if prepared.fts is None or prepared.parsed is None:
        return None
    return prepared.fts, prepared.parsed


def named_actors(db: Database, text: str) -> list[int]:
    """Actors the text names: by name key, by Latin spelling, or whose name begins with what is typed."""
    ids = list(find_actors(db, text))
    key = name_key(text)
    if key and len(key) >= 2:
        ids += [a for a in names_beginning(db, key, 200) if a not in ids]
    return ids
