"""The user's decisions about actors (merge, alias, split): logged, replayed after loads, undoable.

Each decision is a row of `curation` that names actors by stable references (gazetteer id, or type
and name key), never by row id alone. The effect on mentions is rebuilt from the resolver's own
choice (`mentions.auto_actor_id`) by replaying the active decisions in order, so an undo is just
"mark undone, rebuild", and a load of new articles is followed by the same replay.
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from datetime import UTC, datetime
from typing import Any

from sqlite_utils import Database

from qexplore.db.arabic import name_key, romanize
from qexplore.db.stories import rebuild_stories

ACTIONS = ("merge", "alias", "split")


class CurationError(Exception):
    """A decision that cannot be taken; str() says why in one line."""


@dataclass(frozen=True, slots=True)
class Decision:
    """One logged decision."""

    id: int
    at: str
    action: str
    payload: dict[str, Any]
    undone_at: str | None

    def describe(self) -> str:
        p = self.payload
        if self.action == "merge":
            return f"merge {p['from']['name']} into {p['into']['name']}"
        if self.action == "alias":
            return f"alias {p['name']} for {p['actor']['name']}"
        return f"split {p['name']} off {p['actor']['name']}"


def _now() -> str:
    return datetime.now(UTC).isoformat(timespec="seconds")


def ref(db: Database, actor_id: int) -> dict[str, Any]:
    """Return a stable reference to an actor: its gazetteer id, or its type and name key."""
    row = db.execute(
        "SELECT gid, type, key, name_ar FROM actors WHERE id = ?", [actor_id]
    ).fetchone()
    if row is None:
        raise CurationError(f"no actor with id {actor_id}")
    gid, kind, key, name = row
    return {"gid": gid, "type": kind, "key": key, "name": name}


def find(db: Database, reference: dict[str, Any]) -> int | None:
    """Return the actor a reference names now, or None."""
    if reference.get("gid"):
        row = db.execute("SELECT id FROM actors WHERE gid = ?", [reference["gid"]]).fetchone()
    else:
        row = db.execute(
            "SELECT id FROM actors WHERE type = ? AND key = ? ORDER BY origin = 'user' DESC, id "
            "LIMIT 1",
            [reference["type"], reference["key"]],
        ).fetchone()
    return int(row[0]) if row else None


def _log(db: Database, action: str, payload: dict[str, Any]) -> int:
    cursor = db.execute(
        "INSERT INTO curation (at, action, payload) VALUES (?,?,?)",
        [_now(), action, json.dumps(payload, ensure_ascii=False)],
    )
    return int(cursor.lastrowid or 0)


def merge(db: Database, into: int, other: int) -> Decision:
    """Merge actor ``other`` into ``into`` (same type); its mentions and names follow."""
    a, b = ref(db, into), ref(db, other)
    if into == other:
        raise CurationError("an actor cannot be merged with itself")
    if a["type"] != b["type"]:
        raise CurationError(f"cannot merge a {b['type']} into a {a['type']}")
    return _take(db, "merge", {"into": a, "from": b})


def alias(db: Database, actor_id: int, name: str) -> Decision:
    """Give an actor another name: its mentions join the actor, now and in later loads."""
    if not name_key(name):
        raise CurationError(f"{name!r} holds no letters to match")
    return _take(db, "alias", {"actor": ref(db, actor_id), "name": name.strip()})


def split(db: Database, actor_id: int, name: str) -> Decision:
    """Take the mentions written as ``name`` off an actor into a new actor of their own."""
    key = name_key(name)
    owned = db.execute(
        "SELECT count(*) FROM mentions WHERE actor_id = ? AND key = ?", [actor_id, key]
    ).fetchone()[0]
    if not owned:
        raise CurationError(f"actor {actor_id} has no mention written {name!r}")
    return _take(db, "split", {"actor": ref(db, actor_id), "name": name.strip()})


def _take(db: Database, action: str, payload: dict[str, Any]) -> Decision:
    with db.atomic():
        decision_id = _log(db, action, payload)
        rebuild(db)
    return _get(db, decision_id)


def _get(db: Database, decision_id: int) -> Decision:
    row = db.execute(
        "SELECT id, at, action, payload, undone_at FROM curation WHERE id = ?", [decision_id]
    ).fetchone()
    if row is None:
        raise CurationError(f"no decision {decision_id} in the history")
    return Decision(row[0], row[1], row[2], json.loads(row[3]), row[4])


def history(db: Database) -> list[Decision]:
    """Return every decision, oldest first, undone ones included."""
    return [
        Decision(r[0], r[1], r[2], json.loads(r[3]), r[4])
        for r in db.execute("SELECT id, at, action, payload, undone_at FROM curation ORDER BY id")
    ]


def undo(db: Database, decision_id: int | None = None) -> Decision:
    """Undo a decision (the latest active one by default) and rebuild actors without it."""
    if decision_id is None:
        active = [d for d in history(db) if d.undone_at is None]
        if not active:
            raise CurationError("nothing to undo")
        decision_id = active[-1].id
    decision = _get(db, decision_id)
    if decision.undone_at:
        raise CurationError(f"decision {decision_id} is already undone")
    with db.atomic():
        db.execute("UPDATE curation SET undone_at = ? WHERE id = ?", [_now(), decision_id])
        rebuild(db)
    return _get(db, decision_id)


def rebuild(db: Database) -> None:
    """Reset every mention to the resolver's actor, then apply the active decisions in order."""
    db.execute("UPDATE actors SET merged_into = NULL WHERE merged_into IS NOT NULL")
    db.execute("DELETE FROM actor_names WHERE source = 'user'")
    db.execute("UPDATE mentions SET actor_id = auto_actor_id")
    for decision in history(db):
        if decision.undone_at is None:
            _APPLY[decision.action](db, decision.payload)
        elif decision.action == "split":
            _unsplit(db, decision.payload)
    rebuild_stories(db)  # who an actor is decides which events are one story


def _unsplit(db: Database, p: dict[str, Any]) -> None:
    """Send back mentions that later loads resolved to the actor an undone split made."""
    actor = find(db, p["actor"])
    row = db.execute(
        "SELECT id FROM actors WHERE type = ? AND key = ? AND origin = 'user'",
        [p["actor"]["type"], name_key(p["name"])],
    ).fetchone()
    if actor is not None and row:
        db.execute("UPDATE mentions SET actor_id = ? WHERE actor_id = ?", [actor, row[0]])


def replay(db: Database) -> None:
    """Re-apply the active decisions after a load (nothing to do when there are none)."""
    if db.execute("SELECT 1 FROM curation WHERE undone_at IS NULL LIMIT 1").fetchone():
        with db.atomic():
            rebuild(db)


def _apply_merge(db: Database, p: dict[str, Any]) -> None:
    into, other = find(db, p["into"]), find(db, p["from"])
    if into is None or other is None or into == other:
        return
    db.execute("UPDATE actors SET merged_into = ? WHERE id = ?", [into, other])
    db.execute("UPDATE actors SET merged_into = ? WHERE merged_into = ?", [into, other])
    db.execute("UPDATE mentions SET actor_id = ? WHERE actor_id = ?", [into, other])


def _apply_alias(db: Database, p: dict[str, Any]) -> None:
    actor = find(db, p["actor"])
    if actor is None:
        return
    key = name_key(p["name"])
    db.execute(
        "INSERT OR REPLACE INTO actor_names (actor_id, name, key, source) VALUES (?,?,?, 'user')",
        [actor, p["name"], key],
    )
    db.execute(
        "UPDATE mentions SET actor_id = ? WHERE key = ? AND type = ?", [actor, key, p["actor"]["type"]]
    )


def _apply_split(db: Database, p: dict[str, Any]) -> None:
    actor = find(db, p["actor"])
    if actor is None:
        return
    key, kind = name_key(p["name"]), p["actor"]["type"]
    row = db.execute(
        "SELECT id FROM actors WHERE type = ? AND key = ? AND origin = 'user'", [kind, key]
    ).fetchone()
    if row:
        new = int(row[0])
    else:
        cursor = db.execute(
            "INSERT INTO actors (type, name_ar, name_en, description, key, origin) "
            "VALUES (?,?,?, '', ?, 'user')",
            [kind, p["name"], romanize(p["name"]), key],
        )
        new = int(cursor.lastrowid or 0)
    db.execute(
        "INSERT OR REPLACE INTO actor_names (actor_id, name, key, source) VALUES (?,?,?, 'user')",
        [new, p["name"], key],
    )
    db.execute("UPDATE mentions SET actor_id = ? WHERE actor_id = ? AND key = ?", [new, actor, key])


_APPLY = {"merge": _apply_merge, "alias": _apply_alias, "split": _apply_split}
