"""SVG snapshots of the explorer at 80x24 (cursor blink off, workers awaited): the main screen, an
actor screen and the visual-bidi layout of wrapped Arabic sentences in the article reader.

Update after an intended change with: pytest tests/test_tui_snapshots.py --snapshot-update
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest
from textual.widgets import Input

from qexplore.tui.app import QexploreApp
from qexplore.tui.messages import Open

pytest.importorskip("pytest_textual_snapshot")


async def _settle(pilot: Any) -> None:
    for _ in range(3):
        await pilot.app.workers.wait_for_complete()
        await pilot.pause()
    for box in pilot.app.screen.query(Input):
        box.cursor_blink = False


def _app(seeded_path: Path, tmp_path: Path) -> QexploreApp:
    app = QexploreApp(seeded_path, bidi="visual", config_dir=tmp_path / "config")
    app.db_label = "seeds.db"  # the temporary path differs per run
    app.show_timings = False  # query times differ per run
    return app


def test_main_screen(snap_compare: Any, seeded_path: Path, tmp_path: Path) -> None:
    async def before(pilot: Any) -> None:
        await _settle(pilot)
        await pilot.press(*"الكاظمي")
        await _settle(pilot)

    assert snap_compare(_app(seeded_path, tmp_path), terminal_size=(80, 24), run_before=before)


def test_actor_screen(snap_compare: Any, seeded_path: Path, tmp_path: Path) -> None:
    async def before(pilot: Any) -> None:
        await _settle(pilot)
        await pilot.press(*"qaani")
        await _settle(pilot)
        await pilot.press("enter", "enter")
        await _settle(pilot)

    assert snap_compare(_app(seeded_path, tmp_path), terminal_size=(80, 24), run_before=before)


def _article_id(path: Path, prefix: str) -> int:
    """The id of the seed article whose file name begins with ``prefix`` (ids depend on load order)."""
    from qexplore.db.schema import open_db

    db = open_db(path, read_only=True)
    try:
        return int(db.execute("SELECT id FROM articles WHERE file LIKE ?", [prefix + "%"]).fetchone()[0])
    finally:
        db.close()


def test_visual_bidi_wrapped_sentence(snap_compare: Any, seeded_path: Path, tmp_path: Path) -> None:
    article = _article_id(seeded_path, "004_")

    async def before(pilot: Any) -> None:
        await _settle(pilot)
        pilot.app.post_message(Open("article", article, sentence_id=None, label="004"))
        await _settle(pilot)
        await pilot.press("j", "j", "j", "j", "j", "j")
        await _settle(pilot)

    assert snap_compare(_app(seeded_path, tmp_path), terminal_size=(80, 24), run_before=before)
