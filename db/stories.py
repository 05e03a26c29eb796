"""Stories: one real-world event told by several articles, with the original sources that tell it.

Every stored event belongs to one story (``events.story_id``). An article's events are assigned when
the article is stored, in order, each to the best story it fits or to a new one; rebuild_stories()
recomputes everything the same way (after curation changes who an actor is).

An event fits a story when (decisions):

* The type is the same, and no event of the same article is in the story already (the per-article
  extractor did its own merging; two events it kept apart stay apart).
* Dates agree: every part both give (year, month, day; «--01-29» has no year) is equal. What they share
  must then be stronger the less the dates say:
  - both give year and month: a shared place or one shared participant;
  - the year alone agrees, or one date has no year: two shared things (place, participants);
  - one side undated: a shared participant plus another shared thing, and the story's date must fall in
    the month the article was published (an undated event in news is a recent one; an older event is
    told with its date); an article whose publication month is unknown cannot place it at all;
  - both undated: a shared place and a shared participant, and the articles published in one known
    month.
* An assassination whose named person (PER target) is the same is the same event whatever the dates say,
  as long as they do not disagree: a person is killed once (failed attempts aside, which the extractor
  does not tell apart).
* Nothing is dated after the article telling it: a story dated later than the article is not a fit.
* What a story shares is what at least a third of its events name: a big story does not gather every
  event of its day through an actor one of its events named in passing.

Actors are compared as they are now (coalesce(merged_into, id)). Among several fits, the one sharing
most wins, then the one whose date agrees more finely, then the oldest.
A story's date is the most precise date its events agree on (a year from one, a day from another are
combined), its place the most frequent place of its events, ``articles`` its distinct articles and
``sources`` the distinct original sources of those articles (db.sources).
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

from sqlite_utils import Database

from qexplore.db.sources import original_source

__all__ = ["assign_article", "original_source", "rebuild_stories"]

_FINE, _COARSE, _UNDATED = 2, 1, 0
_PRECISION = ("year", "month", "day")


@dataclass(frozen=True, slots=True)
class _Event:
    id: int
    type: str
    date: str | None
    precision: str | None
    basis: str | None
    place: int | None
    people: frozenset[int]
    victims: frozenset[int]


@dataclass(frozen=True, slots=True)
class _Fit:
    story: int
    shared: int
    level: int


Parts = tuple[str | None, str | None, str | None]


def date_parts(date: str | None) -> Parts:
    """Split an ISO date cut to its precision (or «--MM-DD» without a year) into (year, month, day)."""
    if not date:
        return (None, None, None)
    year = None if date.startswith("--") else date[:4]
    rest = date[2:].split("-") if year is None else date.split("-")[1:]
    rest += [""] * (2 - len(rest))
    return (year, rest[0] or None, rest[1] or None)


def agreement(a: str | None, b: str | None) -> int | None:
    """How finely two dates agree: _FINE (year and month), _COARSE, _UNDATED (one missing), None (clash)."""
    if not a or not b:
        return _UNDATED
    pa, pb = date_parts(a), date_parts(b)
    if any(x and y and x != y for x, y in zip(pa, pb, strict=True)):
        return None
    return _FINE if pa[0] and pb[0] and pa[1] and pb[1] else _COARSE


def combine(a: str | None, b: str | None) -> tuple[str | None, str | None]:
    """The most precise date two agreeing dates give together, and its precision."""
    pa, pb = date_parts(a), date_parts(b)
    year, month, day = (x or y for x, y in zip(pa, pb, strict=True))
    if month is None:
        return year, "year" if year else None
    head = year if year else "-"
    return (f"{head}-{month}-{day}", "day") if day else (f"{head}-{month}", "month")


def _not_after(story_date: str | None, published: str | None) -> bool:
    """False when the story is dated after the article's publication (compared at their common parts)."""
    if not story_date or not published or story_date.startswith("--"):
        return True
    n = min(len(story_date), len(published))
    return story_date[:n] <= published[:n]


def _same_month(a: str | None, b: str | None) -> bool:
    """True when two dates are known to the month and fall in the same one."""
    pa, pb = date_parts(a), date_parts(b)
    return bool(pa[0] and pa[1]) and pa[:2] == pb[:2]


# ---- reading events -------------------------------------------------------------------------------


def _article_events(db: Database, article_id: int) -> list[_Event]:
    """The article's events with their actors resolved through user merges."""
    people: dict[int, set[int]] = {}
    victims: dict[int, set[int]] = {}
    for eid, actor, role, kind, etype in db.execute(
        "SELECT x.event_id, coalesce(a.merged_into, a.id), x.role, a.type, e.type "
        "FROM events e JOIN event_participants x ON x.event_id = e.id "
        "JOIN actors a ON a.id = x.actor_id WHERE e.article_id = ?",
        [article_id],
    ):
        people.setdefault(eid, set()).add(actor)
        if etype == "assassination" and role == "target" and kind == "PER":
            victims.setdefault(eid, set()).add(actor)
    rows = db.execute(
        "SELECT e.id, e.type, e.date, e.date_precision, e.date_basis, coalesce(p.merged_into, p.id) "
        "FROM events e LEFT JOIN actors p ON p.id = e.place_actor_id WHERE e.article_id = ? "
        "ORDER BY e.id",
        [article_id],
    ).fetchall()
    return [
        _Event(eid, kind, date, precision, basis, place, frozenset(people.get(eid, ())),
               frozenset(victims.get(eid, ())))
        for eid, kind, date, precision, basis, place in rows
    ]  # fmt: skip


def _actor_rows(event: _Event) -> list[tuple[int, str]]:
    """(actor, kind) pairs a story keeps for an event: its place, participants and victims."""
    rows = [(event.place, "place")] if event.place is not None else []
    rows += [(a, "participant") for a in sorted(event.people)]
    return rows + [(a, "victim") for a in sorted(event.victims)]


# ---- choosing a story -----------------------------------------------------------------------------


def _shared(db: Database, event: _Event) -> dict[int, list[str]]:
    """Stories of the event's type sharing one of its actors: story -> kinds of what they share.

    Goes through the (type, actor_id, kind) index of story_actors; a dated event looks only at
    stories of its year, of no year and undated ones. An actor counts only when at least a third of
    the story's events name it, so that a big story does not gather every event of its day through
    actors named once in passing.
    """
    year = date_parts(event.date)[0]
    dated = "AND (s.date IS NULL OR s.date < '0' OR substr(s.date, 1, 4) = ?)" if year else ""
    out: dict[int, list[str]] = {}
    for actor, kind in _actor_rows(event):
        for (story,) in db.execute(
            "SELECT x.story_id FROM story_actors x JOIN stories s ON s.id = x.story_id "
            f"WHERE x.type = ? AND x.actor_id = ? AND x.kind = ? AND 3 * x.events >= s.articles {dated}",
            [event.type, actor, kind, *([year] if year else [])],
        ):
            out.setdefault(int(story), []).append(kind)
    return out


def _enough(kinds: Sequence[str], level: int, both_undated: bool) -> bool:
    """Whether what an event shares with a story is enough at this date agreement (module docstring)."""
    people = kinds.count("participant")
    places = kinds.count("place")
    if level == _FINE:
        return people + places >= 1
    if level == _COARSE:
        return people + places >= 2
    if both_undated:
        return people >= 1 and places >= 1
    return people >= 1 and people + places >= 2


def _fit(db: Database, event: _Event, story: int, kinds: list[str], published: str | None) -> _Fit | None:
    """How well the event fits a story, or None when it does not (see the module docstring)."""
    date = db.execute("SELECT date FROM stories WHERE id = ?", [story]).fetchone()[0]
    level = agreement(event.date, date)
    if level is None or not _not_after(date, published):
        return None
    victim = "victim" in kinds
    if not victim and not _enough(kinds, level, not event.date and not date):
        return None
    if not victim and level == _UNDATED:
        if date and not _same_month(date, published):
            return None
        if not date and not _months_agree(db, story, published):
            return None
    return _Fit(story, len(kinds), level)


def _months_agree(db: Database, story: int, published: str | None) -> bool:
    """True when the story's articles were all published in the month of ``published``."""
    return all(
        _same_month(p, published)
        for (p,) in db.execute(
            "SELECT DISTINCT a.published FROM events e JOIN articles a ON a.id = e.article_id "
            "WHERE e.story_id = ?",
            [story],
        )
    )


def _best(db: Database, event: _Event, taken: set[int], published: str | None) -> int | None:
    fits = [
        fit
        for story, kinds in sorted(_shared(db, event).items())
        if story not in taken and (fit := _fit(db, event, story, kinds, published)) is not None
    ]
    if not fits:
        return None
    return min(fits, key=lambda f: (-f.shared, -f.level, f.story)).story


# ---- writing --------------------------------------------------------------------------------------


def _new_story(db: Database, event: _Event) -> int:
    cursor = db.execute(
        "INSERT INTO stories (type, date, date_precision, date_basis, place_actor_id, articles, sources) "
        "VALUES (?,?,?,?,?,1,1)",
        [event.type, event.date, event.precision, event.basis, event.place],
    )
    return int(cursor.lastrowid or 0)


def _join(db: Database, story: int, event: _Event) -> None:
    """Put the event in the story: its date refines the story's, its actors join the story's."""
    date, precision, basis = db.execute(
        "SELECT date, date_precision, date_basis FROM stories WHERE id = ?", [story]
    ).fetchone()
    if event.date:
        new, new_precision = combine(date, event.date)
        if new != date:
            finer = _rank(event.date, event.precision) >= _rank(date, precision)
            db.execute(
                "UPDATE stories SET date = ?, date_precision = ?, date_basis = ? WHERE id = ?",
                [new, new_precision, event.basis if finer else basis, story],
            )
    db.execute("UPDATE events SET story_id = ? WHERE id = ?", [story, event.id])
    db.conn.executemany(
        "INSERT INTO story_actors (story_id, actor_id, kind, type, events) VALUES (?,?,?,?,1) "
        "ON CONFLICT DO UPDATE SET events = events + 1",
        [(story, actor, kind, event.type) for actor, kind in _actor_rows(event)],
    )


def _rank(date: str | None, precision: str | None) -> tuple[bool, int]:
    has_year = bool(date) and not (date or "").startswith("--")
    return has_year, _PRECISION.index(precision) if precision in _PRECISION else -1


def refresh(db: Database, story: int) -> None:
    """Recount a story's articles and original sources and pick its most frequent place."""
    db.execute(
        "UPDATE stories SET "
        "articles = (SELECT count(DISTINCT article_id) FROM events WHERE story_id = :s), "
        "sources = (SELECT count(DISTINCT a.original_source) FROM events e "
        "  JOIN articles a ON a.id = e.article_id WHERE e.story_id = :s), "
        "place_actor_id = (SELECT coalesce(p.merged_into, p.id) FROM events e "
        "  JOIN actors p ON p.id = e.place_actor_id WHERE e.story_id = :s "
        "  GROUP BY 1 ORDER BY count(*) DESC, min(e.id) LIMIT 1) "
        "WHERE id = :s",
        {"s": story},
    )


def assign_article(db: Database, article_id: int, *, keep_source: bool = False) -> None:
    """Set the article's original source and put each of its events in a story (caller's transaction).

    ``keep_source`` keeps an original source already worked out (it does not depend on actors).
    """
    published, known = db.execute(
        "SELECT published, original_source FROM articles WHERE id = ?", [article_id]
    ).fetchone()
    if not (keep_source and known):
        db.execute(
            "UPDATE articles SET original_source = ? WHERE id = ?",
            [original_source(db, article_id), article_id],
        )
    taken: set[int] = set()
    for event in _article_events(db, article_id):
        story = _best(db, event, taken, published)
        if story is None:
            story = _new_story(db, event)
        _join(db, story, event)
        taken.add(story)
    for story in sorted(taken):
        refresh(db, story)


def rebuild_stories(db: Database) -> None:
    """Recompute every story from the stored events, articles in the order they were stored.

    Call it inside a transaction after actor identities changed (curation); the result is the
    same as loading the articles again with today's actors.
    """
    db.execute("UPDATE events SET story_id = NULL")
    db.execute("DELETE FROM story_actors")
    db.execute("DELETE FROM stories")
    for (article_id,) in db.execute("SELECT id FROM articles ORDER BY id").fetchall():
        assign_article(db, int(article_id), keep_source=True)
