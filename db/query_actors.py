"""Read-only actor queries: find by Arabic or Latin name, list, merge suggestions, export rows.

Decision: look-ups typed a key at a time (Latin spellings, the beginning of a word of a name, merged
actors) use one in-memory NameIndex per database, rebuilt when actors_stamp changes, not table scans.
"""

from __future__ import annotations

import bisect
import json
import re
import sqlite3
import threading
from collections.abc import Iterator
from dataclasses import dataclass, field
from typing import Any

from rapidfuzz import fuzz, process
from sqlite_utils import Database

from qexplore.db.arabic import latin_skeleton, name_key, romanize

_LATIN = re.compile(r"^[A-Za-z][A-Za-z' .-]*$")
LATIN_MATCH = 88  # rapidfuzz ratio on consonant skeletons that counts as the same Latin name
LATIN_KEPT = 256  # Latin spellings whose matches a NameIndex keeps


@dataclass(frozen=True, slots=True)
class ActorRow:
    """An actor as the user sees it: names, description, and how much the corpus says of it."""

    id: int
    type: str
    name_ar: str
    name_en: str
    description: str
    origin: str
    mentions: int
    articles: int


_ROW_SQL = """
SELECT a.id, a.type, a.name_ar, a.name_en, coalesce(a.description, ''), a.origin,
       count(m.id), count(DISTINCT m.article_id)
FROM actors a LEFT JOIN mentions m ON m.actor_id = a.id
WHERE a.merged_into IS NULL {where}
GROUP BY a.id HAVING count(m.id) > 0 OR a.origin = 'user'
ORDER BY count(m.id) DESC, a.id
LIMIT ?
"""


def is_latin(text: str) -> bool:
    """True when ``text`` is written in Latin letters (a name typed in English)."""
    return bool(_LATIN.match(text.strip()))


def _latin_names(db: Database) -> Iterator[tuple[int, str]]:
    yield from db.execute("SELECT id, name_en FROM actors WHERE merged_into IS NULL")
    yield from db.execute(
        "SELECT n.actor_id, n.name FROM actor_names n JOIN actors a ON a.id = n.actor_id "
        "WHERE a.merged_into IS NULL AND n.name NOT GLOB '*[^ -~]*'"
    )


def actors_stamp(db: Database) -> tuple[Any, ...]:
    """A cheap fingerprint of the actor tables: it changes when a load adds actors or names and when
    the user curates (merge, alias, split, undo). Index look-ups only, no table scan."""
    row = db.execute(
        "SELECT (SELECT max(id) FROM actors), (SELECT max(rowid) FROM actor_names)").fetchone()
    try:  # the curation log is small: every decision (and undo) changes it
        curated = db.execute("SELECT count(*), max(id), count(undone_at) FROM curation").fetchone()
    except sqlite3.OperationalError:  # an older database without curation
        curated = ()
    return (*row, *curated)


@dataclass(frozen=True, slots=True)
class NameIndex:
    """The actors' names in memory, for look-ups typed a key at a time (built once per state).

    ``owners[i]`` owns ``skeletons[i]`` (Latin names as consonant skeletons, whole and word by word,
    scored in one rapidfuzz call: C speed, not one call per name). ``keys`` holds every name key of
    an unmerged actor, one a line (``key_owners`` by line, ``key_starts`` their offsets): a regular
    search finds names by a word's beginning in a few ms where ``LIKE '% x%'`` scanned the table.
    ``merged`` maps an actor to those merged into it. ``by_length`` holds the skeletons again by
    length, each with its position in ``skeletons``: a spelling is scored only against the lengths
    that can reach LATIN_MATCH (a third of them, or less). ``latin`` keeps what ``latin_matches``
    found (a query asks twice: for its search terms and for the actors it names).
    """

    owners: list[int]
    skeletons: list[str]
    keys: str
    key_starts: list[int]
    key_owners: list[int]
    merged: dict[int, list[int]]
    by_length: dict[int, tuple[list[str], list[int]]] = field(default_factory=dict)
    latin: dict[str, list[int]] = field(default_factory=dict)

    def key_matches(self, key: str, where: str = "word", limit: int | None = None) -> list[int]:
        """Actors owning a key in which ``key`` stands at the beginning of a word (``where="word"``),
        or as the key's first or last words (``"edge"``), in the names' order."""
        found: dict[int, None] = {}
        text, at = self.keys, self.keys.find(key)
        while at >= 0 and (limit is None or len(found) < limit):
            before = text[at - 1] if at else "\n"
            after = text[at + len(key)] if at + len(key) < len(text) else "\n"
            if (before in " \n") if where == "word" else (before + after in ("\n ", " \n")):
                found[self.key_owners[bisect.bisect_right(self.key_starts, at) - 1]] = None
            at = text.find(key, at + 1)
        return list(found)


_INDEX: dict[str, tuple[tuple[Any, ...], sqlite3.Connection | None, NameIndex]] = {}
_INDEX_LOCK = threading.Lock()


def name_index(db: Database) -> NameIndex:
    """The NameIndex of ``db``, kept per database file until the actor tables change (actors_stamp).

    One index at a time: a database opened again (another connection) finds it built.
    """
    stamp = actors_stamp(db)
    file = str(db.execute("PRAGMA database_list").fetchone()[2])
    conn = None if file else db.conn  # in memory: only this connection sees the database
    with _INDEX_LOCK:
        kept = _INDEX.get(file)
        if kept is not None and kept[0] == stamp and kept[1] is conn:
            return kept[2]
    index = _build_index(db)
    with _INDEX_LOCK:
        _INDEX.clear()
        _INDEX[file] = (stamp, conn, index)
    return index


def _build_index(db: Database) -> NameIndex:
    owners, skeletons = [], []
    for actor_id, name in _latin_names(db):
        words = [sk for w in re.split(r"[\s-]+", name) if w and (sk := latin_skeleton(w))]
        for sk in (latin_skeleton(name), *words):
            owners.append(int(actor_id))
            skeletons.append(sk)
    lines, starts, key_owners, at = [], [], [], 0
    for actor_id, key in db.execute(
        "SELECT n.actor_id, n.key FROM actor_names n JOIN actors a ON a.id = n.actor_id "
        "WHERE a.merged_into IS NULL AND n.key != '' ORDER BY n.rowid"
    ):
        key = str(key).replace("\n", " ")
        lines.append(key)
        starts.append(at)
        key_owners.append(int(actor_id))
        at += len(key) + 1
    merged: dict[int, list[int]] = {}
    for actor_id, into in db.execute("SELECT id, merged_into FROM actors WHERE merged_into IS NOT NULL"):
        merged.setdefault(int(into), []).append(int(actor_id))
    by_length: dict[int, tuple[list[str], list[int]]] = {}
    for at, sk in enumerate(skeletons):
        bucket = by_length.setdefault(len(sk), ([], []))
        bucket[0].append(sk)
        bucket[1].append(at)
    return NameIndex(owners, skeletons, "\n".join(lines), starts, key_owners, merged, by_length)


def _best_ratio(a: int, b: int) -> float:
    """The highest rapidfuzz ``fuzz.ratio`` two strings of lengths ``a`` and ``b`` can score: it is
    100 * (1 - indel distance / (a + b)), and the distance is at least the difference of lengths."""
    return 100.0 if a + b == 0 else 100.0 * (1 - abs(a - b) / (a + b))


def latin_matches(db: Database, text: str) -> list[int]:
    """Return the actors whose English name, Latin alias or romanisation fits ``text``.

    Spellings are compared on consonant skeletons (Kadhimi ~ Kazimi, Qaani ~ Ghaani), word by word:
    "qaani" finds "Esmail Qaani".
    """
    wanted = latin_skeleton(text)
    if len(wanted) < 2:
        return []
    index = name_index(db)
    kept = index.latin.get(wanted)
    if kept is not None:
        return list(kept)
    hits: list[tuple[int, float]] = []  # (position in skeletons, score)
    for length, (skeletons, positions) in index.by_length.items():
        if _best_ratio(len(wanted), length) + 1e-9 < LATIN_MATCH:
            continue  # no skeleton of this length can score enough
        for _, score, i in process.extract(wanted, skeletons, scorer=fuzz.ratio, score_cutoff=LATIN_MATCH,
                                           limit=None):
            hits.append((positions[i], score))
    found: dict[int, float] = {}
    for at, score in sorted(hits):  # in the names' order, as ties are
        found[index.owners[at]] = max(score, found.get(index.owners[at], 0))
    result = sorted(found, key=lambda a: -found[a])
    if len(index.latin) >= LATIN_KEPT:
        index.latin.clear()
    index.latin[wanted] = result
    return list(result)


def names_beginning(db: Database, key: str, limit: int = 200) -> list[int]:
    """Return the unmerged actors with a name key of which a word begins with ``key`` (a name key)."""
    if not key:
        return []
    return name_index(db).key_matches(key, "word", limit)


def arabic_matches(db: Database, text: str) -> list[int]:
    """Return the actors with a name whose key is that of ``text``; failing that, names that begin or
    end with it (كاظمي finds مصطفى الكاظمي)."""
    key = name_key(text)
    if not key:
        return []
    base = (
        "SELECT DISTINCT a.id FROM actor_names n JOIN actors a ON a.id = n.actor_id "
        "WHERE a.merged_into IS NULL AND "
    )
    exact = [int(r[0]) for r in db.execute(base + "n.key = ?", [key])]
    if exact:
        return exact
    return name_index(db).key_matches(key, "edge")  # كاظمي finds مصطفى الكاظمي


def find_actors(db: Database, text: str) -> list[int]:
    """Return the ids of the actors ``text`` names, in Arabic or Latin letters."""
    return latin_matches(db, text) if is_latin(text) else arabic_matches(db, text)


def actor_rows(
    db: Database, text: str | None = None, kind: str | None = None, limit: int = 50
) -> list[ActorRow]:
    """Return actors with mentions (and the user's own), most mentioned first, optionally filtered."""
    where, params = "", list[object]()
    if text:
        ids = find_actors(db, text)
        if not ids:
            return []
        where += f" AND a.id IN ({','.join('?' * len(ids))})"
        params += ids
    if kind:
        where += " AND a.type = ?"
        params.append(kind)
    rows = db.execute(_ROW_SQL.format(where=where), [*params, limit]).fetchall()
    return [ActorRow(*r) for r in rows]


def arabic_names(db: Database, actor_id: int) -> list[str]:
    """Return an actor's names written in Arabic letters (its own and those merged into it)."""
    ids = [actor_id, *name_index(db).merged.get(actor_id, ())]
    rows = db.execute(
        "SELECT DISTINCT name FROM actor_names WHERE actor_id IN (SELECT value FROM json_each(?)) "
        "AND name GLOB '*[ء-ي]*'",
        [json.dumps(ids)],
    )
    return [r[0] for r in rows]


@dataclass(frozen=True, slots=True)
class Suggestion:
    """Two actors of one type whose names look alike: a merge for the user to consider."""

    score: float
    a: ActorRow
    b: ActorRow


def suggest_merges(db: Database, limit: int = 30, threshold: float = 85) -> list[Suggestion]:
    """Propose merges between same-type actors with near-identical name keys; never merge.

    Scores use rapidfuzz's plain ratio on keys and on romanised skeletons; token-set scores are not
    used because they rate a name nested in a longer one (حزب الله in كتائب حزب الله) at 100.
    """
    actors = actor_rows(db, limit=100_000)
    out: list[Suggestion] = []
    by_type: dict[str, list[ActorRow]] = {}
    for row in actors:
        by_type.setdefault(row.type, []).append(row)
    for rows in by_type.values():
        keys = [(r, name_key(r.name_ar), latin_skeleton(romanize(r.name_ar))) for r in rows]
        for i, (ra, ka, sa) in enumerate(keys):
            for rb, kb, sb in keys[i + 1 :]:
                if ra.origin == rb.origin == "gazetteer":
                    continue  # curated entries are distinct by construction
                score = max(fuzz.ratio(ka, kb), fuzz.ratio(sa, sb) if len(sa) > 3 else 0)
                if score >= threshold and ka != kb:
                    out.append(Suggestion(round(score, 1), ra, rb))
    return sorted(out, key=lambda s: -s.score)[:limit]


def export_actor_rows(db: Database) -> Iterator[dict[str, Any]]:
    """Yield each actor with mentions: id, type, names, description, aliases, articles, mentions."""
    for row in actor_rows(db, limit=10_000_000):
        files = [
            r[0]
            for r in db.execute(
                "SELECT DISTINCT a.file FROM mentions m JOIN articles a ON a.id = m.article_id "
                "WHERE m.actor_id = ? ORDER BY a.file",
                [row.id],
            )
        ]
        aliases = [n for n in arabic_names(db, row.id) if n != row.name_ar]
        yield {
            "id": row.id, "type": row.type, "name_ar": row.name_ar, "name_en": row.name_en,
            "description": row.description, "aliases": aliases, "articles": files,
            "mentions": row.mentions,
        }
