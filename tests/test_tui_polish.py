"""Explorer details: n/N jump between matching rows, the theme is remembered, a read-only database
opens, a year-less date reads the same everywhere, and the timeline puts dated stories first."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pytest
from rich.text import Text

from qexplore.db import browse
from qexplore.db.browse import Filter
from qexplore.tui.app import QexploreApp
from qexplore.tui.render import show_date
from qexplore.tui.widgets.paged import PAGE, Look, PagedList


async def settle(app: QexploreApp, pilot: Any) -> None:
    for _ in range(3):
        await app.workers.wait_for_complete()
        await pilot.pause()


@dataclass(frozen=True)
class Sevenths:
    """Three pages of numbers; multiples of 7 hold a match, except from 20 to PAGE + 50."""

    kind: str = "numbers"
    height: int = 1

    def count(self, db: Any) -> int:
        return 3 * PAGE

    def fetch(self, db: Any, offset: int, limit: int) -> Sequence[Any]:
        return list(range(offset, min(offset + limit, 3 * PAGE)))

    def render(self, item: int, width: int, look: Look) -> list[Text]:
        return [Text(str(item))]

    def record(self, item: int) -> dict[str, Any]:
        return {"n": item}

    def target(self, item: int) -> None:
        return None

    def copy_text(self, item: int) -> str | None:
        return str(item)

    def is_match(self, item: int) -> bool:
        return item % 7 == 0 and item > 0 and (item < 20 or item > PAGE + 50)


async def test_n_and_shift_n_jump_to_rows_holding_a_match(seeded_path: Path, tmp_path: Path) -> None:
    app = QexploreApp(seeded_path, config_dir=tmp_path / "config")
    async with app.run_test(size=(100, 30)) as pilot:
        await settle(app, pilot)
        paged = app.screen.query_one("#sentences", PagedList)
        paged.show(Sevenths())  # type: ignore[arg-type]
        await settle(app, pilot)
        paged.focus()
        await pilot.press("n")
        assert paged.cursor == 7  # not row 1: the next row holding a match
        await pilot.press("n", "n")
        await settle(app, pilot)
        far = next(i for i in range(PAGE + 51, 3 * PAGE) if i % 7 == 0)
        assert paged.cursor == far  # 14, then past the loaded page (found on a worker)
        await pilot.press("N")
        await settle(app, pilot)
        assert paged.cursor == 14
        await pilot.press("g", "N")
        assert paged.cursor == 0  # nothing before the first row: the cursor stays


async def test_a_chosen_theme_is_saved_and_restored(seeded_path: Path, tmp_path: Path) -> None:
    config = tmp_path / "config"
    app = QexploreApp(seeded_path, config_dir=config)
    async with app.run_test(size=(100, 30)) as pilot:
        await settle(app, pilot)
        other = next(name for name in sorted(app.available_themes) if name != app.theme)
        app.theme = other
        await settle(app, pilot)
    assert f'"theme": "{other}"' in (config / "explorer.json").read_text(encoding="utf-8")
    again = QexploreApp(seeded_path, config_dir=config)
    async with again.run_test(size=(100, 30)) as pilot:
        await settle(again, pilot)
        assert again.theme == other


def test_the_explorer_opens_a_database_it_cannot_write(
    seeded_path: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    from typer.testing import CliRunner

    from qexplore.db import connection, schema
    from qexplore.tui import app as app_mod
    from qexplore.tui.cli import app as cli

    def refuse(path: Path) -> None:
        raise connection.ReadOnlyDatabase(f"{path} is read-only (no write permission)")

    opened: list[Path] = []
    monkeypatch.setattr(schema, "check_writable", refuse)  # as for a file or folder without write access
    monkeypatch.setattr(app_mod, "run_app", lambda path, **kw: opened.append(path))
    monkeypatch.setenv("QEXPLORE_CONFIG_DIR", str(tmp_path / "config"))
    result = CliRunner().invoke(cli, ["--db", str(seeded_path)])
    assert result.exit_code == 0, result.output
    assert opened == [seeded_path]
    missing = CliRunner().invoke(cli, ["--db", str(tmp_path / "new.db")])
    assert missing.exit_code == 1 and "cannot write to the database" in missing.output


def test_a_year_less_date_reads_the_same_everywhere() -> None:
    assert show_date("--11-07") == "????-11-07"
    assert show_date("--11", "month") == "????-11 (month)"
    assert show_date("2020-06-29") == "2020-06-29" and show_date(None) == "undated"


def test_the_timeline_puts_dated_stories_first_then_year_less_then_undated(seeded: Any) -> None:
    stories = browse.stories_page(seeded, Filter(), limit=10_000)
    assert len(stories) == browse.count_stories(seeded, Filter())
    rank = [0 if s.date and not s.date.startswith("--") else 1 if s.date else 2 for s in stories]
    assert rank == sorted(rank) and 0 in rank and 1 in rank
    dated = [s.date for s in stories if s.date and not s.date.startswith("--")]
    assert dated == sorted(dated)


def test_a_prepared_query_gives_the_same_lists(seeded: Any) -> None:
    prepared = browse.prepare(seeded, "qaani")
    assert prepared.parsed is not None and prepared.named
    plain, ready = Filter("qaani"), Filter("qaani", prepared=prepared)
    assert browse.actors_page(seeded, plain) == browse.actors_page(seeded, ready)
    assert browse.count_sentences(seeded, plain) == browse.count_sentences(seeded, ready) > 0
    assert browse.count_stories(seeded, plain) == browse.count_stories(seeded, ready) > 0


async def test_help_lists_every_key_with_its_id_even_from_the_search_bar(
    seeded_path: Path, tmp_path: Path
) -> None:
    config = tmp_path / "config"
    config.mkdir()
    (config / "explorer.json").write_text('{"keymap": {"copy": "c"}}', encoding="utf-8")
    app = QexploreApp(seeded_path, config_dir=config)
    async with app.run_test(size=(100, 30)) as pilot:
        await settle(app, pilot)
        assert app.screen.focused is app.screen.query_one("#search")  # it takes n, j, y... as text
        rows = {binding_id: keys for keys, _, binding_id in app.key_rows()}
        for wanted in ("quit", "help", "bidi", "export", "palette", "search", "pane.next", "pane.actors",
                       "list.down", "list.next_match", "list.prev_match", "list.open", "main.back"):
            assert wanted in rows, wanted
        assert rows["copy"] == "c" and rows["list.next_match"] == "n"
        await pilot.press("f1")
        assert type(app.screen).__name__ == "HelpScreen"


async def test_refresh_shows_articles_loaded_while_the_explorer_is_open(
    seeded_path: Path, tmp_path: Path
) -> None:
    import shutil

    from qexplore.db.load import load_sources
    from qexplore.db.models import Source
    from qexplore.db.schema import open_db

    db_path = tmp_path / "live.db"
    shutil.copy(seeded_path, db_path)
    app = QexploreApp(db_path, config_dir=tmp_path / "config")
    async with app.run_test(size=(100, 30)) as pilot:
        await settle(app, pilot)
        before = app.screen.query_one("#sentences", PagedList).total
        assert before
        writer = open_db(db_path)  # a load writing while the explorer reads
        try:
            text = "زار وزير الخارجية العراقي طهران أمس. وبحث مع نظيره الإيراني ملف المياه."
            report = load_sources(writer, [Source(file="live.txt", text=text)])
            assert report.added == 1
        finally:
            writer.close()
        await settle(app, pilot)
        assert app.screen.query_one("#sentences", PagedList).total == before  # not re-read yet
        app.screen.query_one("#actors", PagedList).focus()
        await pilot.press("ctrl+r")
        await settle(app, pilot)
        assert app.screen.query_one("#sentences", PagedList).total == before + 2


async def test_a_list_shows_its_first_page_before_it_is_counted(seeded_path: Path, tmp_path: Path) -> None:
    import threading
    from dataclasses import field

    @dataclass(frozen=True)
    class Slow:
        release: threading.Event = field(default_factory=threading.Event)
        kind: str = "slow"
        height: int = 1

        def count(self, db: Any) -> int:
            self.release.wait(10)
            return 3 * PAGE

        def fetch(self, db: Any, offset: int, limit: int) -> list[int]:
            return list(range(offset, min(offset + limit, 3 * PAGE)))

        def render(self, item: int, width: int, look: Any) -> list[Any]:
            return [Text(str(item))]

    app = QexploreApp(seeded_path, config_dir=tmp_path / "config")
    async with app.run_test(size=(100, 30)) as pilot:
        await app.workers.wait_for_complete()
        paged = app.screen.query_one("#sentences", PagedList)
        listing = Slow()
        paged.show(listing)  # type: ignore[arg-type]
        for _ in range(200):
            await pilot.pause(0.01)
            if paged.rows:
                break
        assert paged.total is None and paged.rows == PAGE and paged.item(0) == 0
        listing.release.set()
        await app.workers.wait_for_complete()
        await pilot.pause()
        assert paged.total == paged.rows == 3 * PAGE


def test_an_actors_sentences_all_count_as_matches() -> None:
    from qexplore.db.browse import SentenceItem
    from qexplore.tui.widgets.listings import Sentences

    bare = SentenceItem(1, 1, "a.txt", None, None, 0, "body", "نص", 0)
    assert Sentences(Filter(actor_id=7)).is_match(bare)
    assert not Sentences(Filter("نص", actor_id=7)).is_match(bare)  # a search: its matches decide
    assert not Sentences(Filter()).is_match(bare)


@pytest.mark.parametrize("line", [
    "قال الكاظمي إن 50% من 1,000 (نحو 3.5 مليون) وصلوا في 2020-06-29",
    "«نعم» قال: [أ] {ب} <ج> ١٢٣ عربي ٤,٥٦ و 10+20=30 و-4 $5",
    "ذَهَبَ الوَلَدُ إلى المَدرَسَةِ",
])
def test_the_quick_right_to_left_layout_is_the_bidi_algorithms(line: str) -> None:
    from bidi import algorithm as bidi

    from qexplore.tui import render

    assert render._rtl_levels(line) is not None  # the quick path is taken
    storage = bidi.get_empty_storage()
    storage["base_level"], storage["base_dir"] = 1, "R"
    bidi.get_embedding_levels(line, storage)
    for i, ch in enumerate(storage["chars"]):
        ch["i"] = i
    for step in (bidi.explicit_embed_and_overrides, bidi.resolve_weak_types):
        step(storage)
    for rule in (bidi.resolve_neutral_types, bidi.resolve_implicit_levels, bidi.reorder_resolved_levels,
                 bidi.apply_mirroring):
        rule(storage, False)
    assert render._display_order(line, True) == [(ch["i"], ch["ch"]) for ch in storage["chars"]]
    assert render._rtl_levels("Iraq العراق") is None  # a left-to-right word: the full algorithm


def test_a_batch_holds_first_pages_until_every_list_has_one() -> None:
    from qexplore.tui.widgets.paging import Batch, Delivered

    got: list[str] = []

    class Target:
        def __init__(self, name: str) -> None:
            self.name = name

        def post_message(self, message: object) -> None:
            if isinstance(message, Delivered):  # one message for all: handled in one go, one frame
                got.append(f"{self.name}<-" + " ".join(f"{t.name}:{m}" for t, m in message.held))
            else:
                got.append(f"{self.name}:{message}")

    a, b = Target("a"), Target("b")
    batch = Batch(2)
    batch.post(a, "page", True)  # type: ignore[arg-type]
    batch.post(a, "count", False)  # type: ignore[arg-type]
    assert got == []
    batch.post(b, "page", True)  # type: ignore[arg-type]
    assert got == ["a<-a:page a:count b:page"]
    batch.post(b, "count", False)  # type: ignore[arg-type]
    assert got[-1] == "b:count"
    late = Batch(2)
    late.post(a, "page", True)  # type: ignore[arg-type]
    late.release()  # the other list is slow: show what came
    assert got[-1] == "a<-a:page"


def test_a_count_waits_for_the_batch_or_its_cancellation() -> None:
    import threading
    import time

    from qexplore.tui.widgets.paging import Batch

    batch = Batch(2)
    started = time.monotonic()
    batch.wait(5.0, lambda: time.monotonic() - started > 0.05)  # cancelled: stops waiting
    assert time.monotonic() - started < 1.0
    threading.Timer(0.05, batch.release).start()
    batch.wait(5.0, lambda: False)
    assert batch.released and time.monotonic() - started < 2.0
    started = time.monotonic()
    Batch(1).wait(0.05, lambda: False)  # never released: the timeout
    assert 0.04 < time.monotonic() - started < 1.0


def test_counts_show_pending_and_capped() -> None:
    from types import SimpleNamespace

    from qexplore.tui.screens.main import count_label

    assert count_label(SimpleNamespace(pending=True, total=5, capped=False)) == "…"  # type: ignore[arg-type]
    assert count_label(SimpleNamespace(pending=False, total=10_000, capped=True)) == "10,000+"  # type: ignore[arg-type]
    assert count_label(SimpleNamespace(pending=False, total=7, capped=False)) == "7"  # type: ignore[arg-type]


async def test_the_actors_title_says_when_they_come_from_the_newest_matches_only(
        seeded_path: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    from textual.widgets import Input

    from qexplore.db import browse_actors

    monkeypatch.setattr(browse_actors, "ACTOR_HITS", 1)
    app = QexploreApp(seeded_path, config_dir=tmp_path / "config")
    async with app.run_test(size=(140, 30)) as pilot:
        await settle(app, pilot)
        actors = app.screen.query_one("#actors", PagedList)
        assert "newest" not in str(actors.border_title)  # no search: every actor
        app.screen.query_one("#search", Input).value = "بغداد"
        await settle(app, pilot)
        await settle(app, pilot)
        assert "· from the newest 1 matches)" in str(actors.border_title)
