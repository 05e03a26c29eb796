"""Shared fixtures: an in-memory database, and one database loaded with the seeds per session."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest
from sqlite_utils import Database

from qexplore.db.config import seed_files
from qexplore.db.load import load_files
from qexplore.db.schema import open_db

ROOT = Path(__file__).resolve().parents[1]
SHARED = ROOT.parent / "shared"


def shared_path(*parts: str) -> Path:
    """Return a path under ../shared, skipping the test when it is absent (a user's clone)."""
    path = SHARED.joinpath(*parts)
    if not path.exists():
        pytest.skip(f"{path} is absent: ../shared (gold, ANERcorp, bench) ships with CI only")
    return path


@pytest.fixture
def memdb() -> Iterator[Database]:
    db = open_db(":memory:")
    yield db
    db.close()


@pytest.fixture(scope="session")
def seeded_path(tmp_path_factory: pytest.TempPathFactory) -> Path:
    path = tmp_path_factory.mktemp("seeded") / "seeds.db"
    db = open_db(path)
    report = load_files(db, seed_files())
    assert report.added == len(seed_files()) and not report.failed
    db.close()
    return path


@pytest.fixture
def seeded(seeded_path: Path) -> Iterator[Database]:
    db = open_db(seeded_path, read_only=True)
    yield db
    db.close()


@pytest.fixture(scope="session")
def seed_texts() -> dict[str, str]:
    return {p.name: p.read_text(encoding="utf-8") for p in seed_files()}
