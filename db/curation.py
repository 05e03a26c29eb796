"""The user's decisions about actors (merge, alias, split), logged, replayed after loads, undoable."""

from __future__ import annotations

from sqlite_utils import Database


def replay(db: Database) -> None:
    """Re-apply every active decision so that actors made by a load follow them."""
