"""What the explorer's lists keep between calls: derived data per database file, values per connection.

Decisions:
- Derived data that costs a scan (mentions per actor, the actors of each sentence, the evidence's
  stories and sentence range, the number of sentences) is kept per database file while a cheap stamp
  (max ids, the curation log) stays the same (``kept``); an in-memory database keeps it for its own
  connection only. The explorer builds the costlier ones ahead, once its first lists are shown.
- A list's count and first page run back to back on one connection: the work they share (the ranked
  search, the candidate actors, a search's stories) is kept for that connection only (``memo``), so it
  is never stale and never crosses threads; ``forget_memo`` drops it before the connection is reused.
"""

from __future__ import annotations

import json
import threading
from collections.abc import Callable
from typing import Any, TypeVar

from sqlite_utils import Database

from qexplore.db.query_actors import actors_stamp

T = TypeVar("T")
_MEMO_ATTR = "_qexplore_memo"
_KEPT: dict[tuple[str, str], tuple[Any, Any, Any]] = {}
_KEPT_LOCK = threading.Lock()


def db_file(db: Database) -> str:
    """The database's file name ("" in memory)."""
    return str(db.execute("PRAGMA database_list").fetchone()[2])


def kept(db: Database, name: str, stamp: Any, compute: Callable[[], T]) -> T:
    """``compute()``, kept per database file (any connection) while ``stamp`` stays the same.

    For derived data that costs a scan (mention counts, the evidence's sentence range) and is
    small: computed once a session rather than once a keystroke.
    """
    file = db_file(db)
    conn = None if file else db.conn  # in memory: only this connection sees the database
    with _KEPT_LOCK:
        found = _KEPT.get((file, name))
        if found is not None and found[0] == stamp and found[1] is conn:
            return found[2]  # type: ignore[no-any-return]
    value = compute()
    with _KEPT_LOCK:
        _KEPT[(file, name)] = (stamp, conn, value)
    return value


def memo(db: Database, key: Any, compute: Callable[[], T]) -> T:
    """The last value computed on connection ``db`` for ``key`` (a count and its page share it).

    Kept on the connection object, so a value never outlives it nor crosses threads.
    """
    found = getattr(db, _MEMO_ATTR, None)
    if found is not None and found[0] == key:
        return found[1]  # type: ignore[no-any-return]
    value = compute()
    setattr(db, _MEMO_ATTR, (key, value))
    return value


def forget_memo(db: Database) -> None:
    """Drop what ``db`` kept for the last list it counted (before reusing the connection later)."""
    if hasattr(db, _MEMO_ATTR):
        delattr(db, _MEMO_ATTR)


def mentioned_range(db: Database) -> tuple[int, int]:
    """The lowest and highest sentence ids holding a mention (index look-ups)."""
    lo, hi = db.execute(  # one aggregate a SELECT: each is then a single index look-up
        "SELECT (SELECT min(sentence_id) FROM mentions), (SELECT max(sentence_id) FROM mentions)").fetchone()
    return (int(lo), int(hi)) if lo is not None else (1, 0)


def evidence_range(db: Database) -> tuple[int, int]:
    """The lowest and highest sentence ids that are evidence of an event (kept: a scan of the table)."""
    stamp = db.execute("SELECT max(id) FROM events").fetchone()

    def compute() -> tuple[int, int]:
        lo, hi = db.execute("SELECT min(sentence_id), max(sentence_id) FROM event_evidence").fetchone()
        return (int(lo), int(hi)) if lo is not None else (1, 0)

    return kept(db, "evidence", tuple(stamp), compute)


def evidence_stories(db: Database) -> dict[int, tuple[int, ...]]:
    """The stories each evidence sentence supports, by sentence id (kept: a pass over the evidence).

    A search's timeline maps its hits through it: event_evidence has no index on sentence_id, and
    SQLite would otherwise scan the evidence (or, events first, look every hit up for every event).
    """
    stamp = db.execute("SELECT max(id) FROM events").fetchone()

    def compute() -> dict[int, tuple[int, ...]]:
        _, member = story_source(db)
        found: dict[int, set[int]] = {}
        sql = (f"SELECT DISTINCT v.sentence_id, {member} FROM event_evidence v "
               "JOIN events e ON e.id = v.event_id")
        for sid, story in db.execute(sql):
            found.setdefault(int(sid), set()).add(int(story))
        return {sid: tuple(stories) for sid, stories in found.items()}

    return kept(db, "evidence stories", tuple(stamp), compute)


def sentence_actors(db: Database) -> dict[int, tuple[int, ...]]:
    """The actors each sentence names (those its mentions were resolved to), by sentence id, each
    once (kept: a pass over the mentions; again after a load or a curation).

    The Actors list of a search counts them over its newest hits here, in about a millisecond: SQLite
    would look each hit up in the mentions' index, then each mention in the table (10 ms a keystroke).
    """
    stamp = (actors_stamp(db), db.execute("SELECT max(id) FROM mentions").fetchone()[0])

    def compute() -> dict[int, tuple[int, ...]]:
        found: dict[int, list[int]] = {}
        for sid, actor in db.execute("SELECT DISTINCT sentence_id, actor_id FROM mentions "
                                     "WHERE actor_id IS NOT NULL AND sentence_id IS NOT NULL"):
            found.setdefault(int(sid), []).append(int(actor))
        return {sid: tuple(actors) for sid, actors in found.items()}

    return kept(db, "sentence actors", stamp, compute)


Counted = tuple[list[tuple[int, int, str]], dict[int, int]]


def mention_counts(db: Database) -> Counted:
    """Every unmerged actor with mentions, most mentioned first, as (id, mentions, type), and the
    mentions by actor id: one pass over the mentions a session (and again after a load or a curation)."""
    stamp = (actors_stamp(db), db.execute("SELECT max(id) FROM mentions").fetchone()[0])

    def compute() -> Counted:
        rows = [(int(a), int(n), str(t)) for a, n, t in db.execute(
            "SELECT a.id, c.n, a.type FROM (SELECT actor_id, count(*) AS n FROM mentions "
            "WHERE actor_id IS NOT NULL GROUP BY actor_id) c JOIN actors a ON a.id = c.actor_id "
            "WHERE a.merged_into IS NULL ORDER BY c.n DESC, a.id")]
        return rows, {a: n for a, n, _ in rows}

    return kept(db, "mentions", stamp, compute)


def hits_sql(limit: int | None = None, newest: bool = False) -> str:
    """Matching sentence ids between two bounds (``MATCH ? AND rowid BETWEEN ? AND ?``).

    The bounds are those of the sentences the other side of the join can hold (mentions, evidence):
    FTS5 then reads only that stretch of each doclist, not every match of a common word.
    """
    order = " ORDER BY rowid DESC" if newest else ""
    cap = f" LIMIT {int(limit)}" if limit else ""
    return ("SELECT rowid FROM sentences_fts WHERE sentences_fts MATCH ? AND rowid BETWEEN ? AND ?"
            f"{order}{cap}")


def newest_hits(db: Database, fts: str, bounds: tuple[int, int], limit: int) -> list[int]:
    """The ids of the newest ``limit`` sentences matching ``fts`` between ``bounds``, newest first.

    They come back as one JSON array (one step of the statement, not one per id: a thread fetching
    rows gives the GIL up and waits for it again at every row while the other panes build theirs).
    """
    sql = f"SELECT json_group_array(rowid) FROM ({hits_sql(limit, newest=True)})"
    return [int(i) for i in json.loads(db.execute(sql, [fts, *bounds]).fetchone()[0])]


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
