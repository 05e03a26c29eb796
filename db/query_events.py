"""Read-only queries over stories: one record per real-world event, however many articles tell it."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

from sqlite_utils import Database

_STORIES_SQL = """
SELECT s.id, s.type, s.date, s.date_precision, s.date_basis, p.name_ar, s.articles, s.sources
FROM stories s LEFT JOIN actors p ON p.id = s.place_actor_id ORDER BY s.id
"""

_ARTICLES_SQL = """
SELECT DISTINCT a.id, a.file, a.outlet, a.original_source FROM events e
JOIN articles a ON a.id = e.article_id WHERE e.story_id = ? ORDER BY a.id
"""

_PEOPLE_SQL = """
SELECT DISTINCT r.name_ar, x.role FROM events e JOIN event_participants x ON x.event_id = e.id
JOIN actors a ON a.id = x.actor_id JOIN actors r ON r.id = coalesce(a.merged_into, a.id)
WHERE e.story_id = ? ORDER BY x.role, r.name_ar
"""

_SENTENCES_SQL = """
SELECT DISTINCT s.id, s.text FROM events e JOIN event_evidence v ON v.event_id = e.id
JOIN sentences s ON s.id = v.sentence_id WHERE e.story_id = ? ORDER BY s.id
"""


def _distinct(values: list[Any]) -> list[Any]:
    """The non-empty values in first-seen order, each once."""
    return list(dict.fromkeys(v for v in values if v))


def story_rows(db: Database) -> Iterator[dict[str, Any]]:
    """Yield one record per story: its events merged across articles, with their sources.

    Fields: id, file (the first article's), type, date, date_precision, date_basis, place,
    participants[{actor, role}], articles[] (file names), outlets[], original_sources[], sources (how
    many distinct original sources), sentences[] and sentence_ids[] (evidence), events[] (per-article
    event ids) and triggers[].
    """
    for sid, kind, date, precision, basis, place, _, sources in db.execute(_STORIES_SQL).fetchall():
        arts = db.execute(_ARTICLES_SQL, [sid]).fetchall()
        people = [{"actor": n, "role": r} for n, r in db.execute(_PEOPLE_SQL, [sid])]
        evidence = db.execute(_SENTENCES_SQL, [sid]).fetchall()
        events = db.execute("SELECT id, trigger FROM events WHERE story_id = ? ORDER BY id", [sid]).fetchall()
        files = [f for _, f, _, _ in arts]
        yield {
            "id": sid, "file": files[0] if files else None, "type": kind, "date": date,
            "date_precision": precision, "date_basis": basis, "place": place, "participants": people,
            "articles": files, "outlets": _distinct([o for _, _, o, _ in arts]),
            "original_sources": _distinct([s for _, _, _, s in arts]), "sources": sources,
            "sentences": [t for _, t in evidence], "sentence_ids": [i for i, _ in evidence],
            "events": [e for e, _ in events], "triggers": _distinct([t for _, t in events]),
        }  # fmt: skip
