"""Where qexplore keeps its database and the user's own files (XDG paths, env overrides)."""

from __future__ import annotations

import os
from dataclasses import dataclass
from importlib import resources
from pathlib import Path

from platformdirs import user_config_path, user_data_path

APP = "qexplore"
DB_ENV = "QEXPLORE_DB"
CONFIG_ENV = "QEXPLORE_CONFIG_DIR"


@dataclass(frozen=True, slots=True)
class Paths:
    """The database file and the configuration folder in use."""

    db: Path
    config_dir: Path


def default_paths(db: str | None = None) -> Paths:
    """Return the paths to use: ``db`` if given, else $QEXPLORE_DB, else the XDG data dir."""
    chosen = db or os.environ.get(DB_ENV)
    db_path = Path(chosen).expanduser() if chosen else user_data_path(APP) / "qexplore.db"
    config = os.environ.get(CONFIG_ENV)
    config_dir = Path(config).expanduser() if config else user_config_path(APP)
    return Paths(db_path, config_dir)


def seed_files() -> list[Path]:
    """Return the seed articles shipped inside the package, in name order."""
    root = resources.files("qexplore.seeds")
    return sorted(Path(str(p)) for p in root.iterdir() if p.name.endswith(".txt"))
