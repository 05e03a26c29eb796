"""Resolve mentions into actors: one actor per referent, whatever the spelling.

Within an article, mentions cluster by gazetteer entry, by name key, and by a surname or short form
that ends a fuller name of the same type met in that article. Across articles, clusters meet the
stored actors through their name keys (`actor_names`), so user aliases and splits steer later loads.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field

from rapidfuzz.distance import Levenshtein
from sqlite_utils import Database

from qexplore.db.arabic import name_key, romanize
from qexplore.db.extract.gazetteer import Entry, Gazetteer
from qexplore.db.extract.rules import nationality_of
from qexplore.db.models import Mention

ACTOR_TYPES = ("PER", "ORG", "LOC")


@dataclass
class LocalActor:
    """The mentions of one referent within one article."""

    type: str
    gid: str | None
    keys: list[str] = field(default_factory=list)
    names: list[str] = field(default_factory=list)
    members: list[int] = field(default_factory=list)  # indexes into the article's mentions

    def add(self, index: int, name: str, key: str) -> None:
        self.members.append(index)
        if key not in self.keys:
            self.keys.append(key)
            self.names.append(name)

    @property
    def multiword(self) -> list[str]:
        return [k for k in self.keys if " " in k]


def _last_words(actor: LocalActor) -> set[str]:
    return {k.split()[-1] for k in actor.multiword}


def _near_spelling(a: str, b: str) -> bool:
    """Two multi-word keys with the same first word and last words one edit apart (السعدي/الساعدي)."""
    wa, wb = a.split(), b.split()
    return (
        len(wa) == len(wb) >= 2
        and wa[:-1] == wb[:-1]
        and min(len(wa[-1]), len(wb[-1])) >= 4
        and Levenshtein.distance(wa[-1], wb[-1]) <= 1
    )


def _find_local(actors: list[LocalActor], kind: str, gid: str | None, key: str) -> LocalActor | None:
    for actor in actors:
        if actor.type != kind:
            continue
        if (gid and actor.gid == gid) or key in actor.keys:
            return actor
    if " " in key:
        near = [
            a for a in actors
            if a.type == kind and (gid is None or a.gid in (None, gid))
            and any(_near_spelling(key, k) for k in a.multiword)
        ]
        if len(near) == 1:
            near[0].gid = near[0].gid or gid
            return near[0]
    return None


def _absorb_short_forms(actors: list[LocalActor]) -> list[LocalActor]:
    """Fold each one-word actor into the one fuller name of its type that ends with that word."""
    kept: list[LocalActor] = []
    for actor in actors:
        if actor.gid is None and not actor.multiword:
            owners = [
                a for a in actors
                if a is not actor and a.type == actor.type and set(actor.keys) & _last_words(a)
            ]
            if len(owners) == 1:
                owner = owners[0]
                owner.members.extend(actor.members)
                for name, key in zip(actor.names, actor.keys, strict=True):
                    if key not in owner.keys:
                        owner.keys.append(key)
                        owner.names.append(name)
                continue
        kept.append(actor)
    return kept


def cluster(mentions: Sequence[Mention], gaz: Gazetteer | None = None) -> list[LocalActor]:
    """Group an article's PER/ORG/LOC mentions into local actors (MISC mentions stay out)."""
    actors: list[LocalActor] = []
    for index, m in enumerate(mentions):
        if m.type not in ACTOR_TYPES:
            continue
        key = name_key(m.surface)
        if not key:
            continue
        actor = _find_local(actors, m.type, m.gid, key)
        if actor is None:
            actor = LocalActor(m.type, m.gid)
            actors.append(actor)
        actor.add(index, m.surface, key)
    return _qualified_forms(_absorb_short_forms(actors), gaz)


def _qualified_forms(actors: list[LocalActor], gaz: Gazetteer | None) -> list[LocalActor]:
    """Fold an organisation into the one whose name is it plus a country (حزب الله ـ العراق).

    An article that writes the qualified form uses the bare one as its short form; an article
    that names both without the qualifier (حزب الله and كتائب حزب الله) keeps them apart.
    """
    if gaz is None:
        return actors
    kept: list[LocalActor] = []
    for actor in actors:
        owner = next((o for o in actors if o is not actor and _qualifies(o, actor, gaz)), None)
        if owner is None:
            kept.append(actor)
            continue
        owner.members.extend(actor.members)
    return kept


def _qualifies(owner: LocalActor, short: LocalActor, gaz: Gazetteer) -> bool:
    if owner.type != "ORG" or short.type != "ORG" or not owner.gid or owner.gid == short.gid:
        return False
    for long_key in owner.keys:
        head, _, last = long_key.rpartition(" ")
        if head in short.keys and (
            any(kind == "LOC" for kind, _ in gaz.lookup(last)) or nationality_of(last, gaz)
        ):
            return True
    return False


# ---- the database side -------------------------------------------------------------------------


def sync_gazetteer(db: Database, gaz: Gazetteer) -> None:
    """Make every gazetteer entry an actor (by gid) with all its names; keeps user edits of names."""
    existing = {gid: aid for aid, gid in db.execute("SELECT id, gid FROM actors WHERE gid IS NOT NULL")}
    for entry in gaz.entries.values():
        if entry.id.startswith("user:"):
            continue  # names the user gave stored actors (see load.Extractors.with_user_names)
        values = [entry.type, entry.name_ar, entry.name_en, entry.description, name_key(entry.name_ar)]
        if entry.id in existing:
            db.execute(
                "UPDATE actors SET type=?, name_ar=?, name_en=?, description=?, key=? WHERE id=?",
                [*values, existing[entry.id]],
            )
            actor_id = existing[entry.id]
        else:
            cursor = db.execute(
                "INSERT INTO actors (type, name_ar, name_en, description, key, origin, gid) "
                "VALUES (?,?,?,?,?, 'gazetteer', ?)",
                [*values, entry.id],
            )
            actor_id = int(cursor.lastrowid or 0)
        _add_names(db, actor_id, _entry_names(entry), "gazetteer")


def _entry_names(entry: Entry) -> list[str]:
    return [*entry.names, *entry.aliases_en, entry.name_en]


def _add_names(db: Database, actor_id: int, names: Sequence[str], source: str) -> None:
    rows = [(actor_id, n, k, source) for n in names if (k := name_key(n))]
    db.conn.executemany(
        "INSERT OR IGNORE INTO actor_names (actor_id, name, key, source) VALUES (?,?,?,?)", rows
    )


def final_actor(db: Database, actor_id: int) -> int:
    """Follow user merges to the actor that now stands for ``actor_id``."""
    seen = set()
    while actor_id not in seen:
        seen.add(actor_id)
        row = db.execute("SELECT merged_into FROM actors WHERE id = ?", [actor_id]).fetchone()
        if not row or row[0] is None:
            return actor_id
        actor_id = int(row[0])
    return actor_id


def _by_keys(db: Database, kind: str, keys: Sequence[str]) -> int | None:
    """The stored actor of this type that most of these name keys belong to, if any."""
    marks = ",".join("?" * len(keys))
    row = db.execute(
        f"SELECT n.actor_id, max(n.source = 'user') AS u, count(*) AS c FROM actor_names n "
        f"JOIN actors a ON a.id = n.actor_id WHERE a.type = ? AND n.key IN ({marks}) "
        f"GROUP BY n.actor_id ORDER BY u DESC, c DESC, a.gid IS NULL, n.actor_id LIMIT 1",
        [kind, *keys],
    ).fetchone()
    return int(row[0]) if row else None


def resolve(db: Database, local: LocalActor) -> int:
    """Return the stored actor for a local cluster, creating it when nothing matches.

    The answer ignores user merges (see final_actor); names the user gave win ties.
    """
    actor_id = None
    if local.gid:
        row = db.execute("SELECT id FROM actors WHERE gid = ?", [local.gid]).fetchone()
        actor_id = int(row[0]) if row else None
    if actor_id is None:
        actor_id = _by_keys(db, local.type, local.keys)
    if actor_id is None:
        name = max(local.names, key=lambda n: (len(name_key(n).split()), len(n)))
        cursor = db.execute(
            "INSERT INTO actors (type, name_ar, name_en, description, key, origin) "
            "VALUES (?,?,?,'', ?, 'extracted')",
            [local.type, name, romanize(name), name_key(name)],
        )
        actor_id = int(cursor.lastrowid or 0)
    _add_names(db, actor_id, local.names, "text")
    return actor_id
