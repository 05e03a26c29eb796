"""Read-only actor queries: find by Arabic or Latin name, list, merge suggestions, export rows."""

from __future__ import annotations

import re
from collections.abc import Iterator
from dataclasses import dataclass
from typing import Any

from rapidfuzz import fuzz, process
from sqlite_utils import Database

from qexplore.db.arabic import latin_skeleton, name_key, romanize

_LATIN = re.compile(r"^[A-Za-z][A-Za-z' .-]*$")
LATIN_MATCH = 88  # rapidfuzz ratio on consonant skeletons that counts as the same Latin name


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


_SKELETONS: dict[tuple[int, int, int], list[tuple[int, str, tuple[str, ...]]]] = {}


def _skeletons(db: Database) -> list[tuple[int, str, tuple[str, ...]]]:
    """Latin names as consonant skeletons, whole and word by word; cached until actors change."""
    version = db.execute(
        "SELECT (SELECT count(*) FROM actors), (SELECT count(*) FROM actor_names), "
        "(SELECT count(*) FROM actors WHERE merged_into IS NOT NULL)"
    ).fetchone()
    key = (id(db.conn), *version)
    if key not in _SKELETONS:
        _SKELETONS.clear()
        _SKELETONS[key] = [
            (actor_id, latin_skeleton(name),
             tuple(sk for w in re.split(r"[\s-]+", name) if w and (sk := latin_skeleton(w))))
            for actor_id, name in _latin_names(db)
        ]
    return _SKELETONS[key]


def latin_matches(db: Database, text: str) -> list[int]:
    """Return the actors whose English name, Latin alias or romanisation fits ``text``.

    Spellings are compared on consonant skeletons (Kadhimi ~ Kazimi, Qaani ~ Ghaani), word by word:
    "qaani" finds "Esmail Qaani".
    """
    wanted = latin_skeleton(text)
    if len(wanted) < 2:
        return []
    owners, choices = _flat(_skeletons(db))
    hits = process.extract(wanted, choices, scorer=fuzz.ratio, score_cutoff=LATIN_MATCH, limit=None)
    found: dict[int, float] = {}
    for _, score, index in sorted(hits, key=lambda h: h[2]):  # in the names' order, as ties are
        found[owners[index]] = max(score, found.get(owners[index], 0))
    return sorted(found, key=lambda a: -found[a])


_FLAT: list[tuple[list[tuple[int, str, tuple[str, ...]]], list[int], list[str]]] = []


def _flat(skeletons: list[tuple[int, str, tuple[str, ...]]]) -> tuple[list[int], list[str]]:
    """The skeletons as one list (whole names and their words) and the actor owning each: scored
    in one rapidfuzz call (C speed, 30k names in a few ms) instead of one call per name."""
    if not _FLAT or _FLAT[0][0] is not skeletons:  # the list itself is kept: no id() reuse
        pairs = [(a, sk) for a, whole, parts in skeletons for sk in (whole, *parts)]
        _FLAT[:] = [(skeletons, [a for a, _ in pairs], [sk for _, sk in pairs])]
    return _FLAT[0][1], _FLAT[0][2]


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
    rows = db.execute(base + "(n.key LIKE ? OR n.key LIKE ?)", [key + " %", "% " + key])
    return [int(r[0]) for r in rows]


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
    rows = db.execute(
        "SELECT DISTINCT n.name FROM actor_names n JOIN actors a ON a.id = n.actor_id "
        "WHERE (a.id = ? OR a.merged_into = ?) AND n.name GLOB '*[ء-ي]*'",
        [actor_id, actor_id],
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
