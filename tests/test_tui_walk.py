"""Pilot walks through every key path of the explorer on the seeds: search, drill down, back."""

from __future__ import annotations

from pathlib import Path

from qexplore.db.browse import ActorItem
from qexplore.tui.app import QexploreApp
from qexplore.tui.screens.article import ArticleScreen
from qexplore.tui.screens.detail import ActorScreen, ClaimScreen, StoryScreen
from qexplore.tui.screens.main import MainScreen
from qexplore.tui.widgets.article import ArticleView
from qexplore.tui.widgets.paged import PagedList


async def settle(app: QexploreApp, pilot: object) -> None:
    """Let the workers finish and their messages land."""
    for _ in range(3):
        await app.workers.wait_for_complete()
        await pilot.pause()  # type: ignore[attr-defined]


def app_for(path: Path, tmp_path: Path, bidi: str = "visual") -> QexploreApp:
    return QexploreApp(path, bidi=bidi, config_dir=tmp_path / "config")


async def test_search_actor_event_article_and_back(seeded_path: Path, tmp_path: Path) -> None:
    app = app_for(seeded_path, tmp_path)
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(app, pilot)
        assert isinstance(app.screen, MainScreen)
        await pilot.press(*"الكاظمي")
        await settle(app, pilot)
        actors = app.screen.query_one("#actors", PagedList)
        first = actors.item(0)
        assert isinstance(first, ActorItem) and first.name_ar == "مصطفى الكاظمي"
        await pilot.press("enter")  # from the search bar to the Actors pane
        assert app.screen.focused is actors
        await pilot.press("enter")  # open the actor
        await settle(app, pilot)
        assert isinstance(app.screen, ActorScreen) and app.screen.record_id == first.id
        events = app.screen.current_list()
        assert events.total and events.total > 0
        await pilot.press("enter")  # open its first event (a story)
        await settle(app, pilot)
        assert isinstance(app.screen, StoryScreen)
        evidence = app.screen.current_list()
        assert evidence.total and evidence.total >= 1
        await pilot.press("enter")  # read the article at the evidence sentence
        await settle(app, pilot)
        assert isinstance(app.screen, ArticleScreen)
        view = app.screen.query_one(ArticleView)
        assert view.doc is not None and view.current() is not None
        assert view.current().id == evidence.item(0).id  # type: ignore[union-attr]
        for screen in (StoryScreen, ActorScreen, MainScreen):
            await pilot.press("escape")
            await settle(app, pilot)
            assert isinstance(app.screen, screen)
        await pilot.press("escape")  # clears the search: back at the start
        await settle(app, pilot)
        assert app.screen.query_one("#search").value == ""  # type: ignore[attr-defined]
        everything = app.screen.query_one("#sentences", PagedList).total
        assert everything is not None and everything > 23  # every sentence, not only the search's


async def test_panes_keys_and_actor_filter(seeded_path: Path, tmp_path: Path) -> None:
    app = app_for(seeded_path, tmp_path)
    async with app.run_test(size=(120, 40)) as pilot:
        await settle(app, pilot)
        screen = app.screen
        assert isinstance(screen, MainScreen)
        all_sentences = screen.query_one("#sentences", PagedList).total
        await pilot.press("escape", "1")
        actors = screen.query_one("#actors", PagedList)
        assert screen.focused is actors
        await pilot.press("j", "j", "k")
        await settle(app, pilot)
        assert actors.cursor == 1 and screen.actor_id == actors.item(1).id  # type: ignore[union-attr]
        filtered = screen.query_one("#sentences", PagedList).total
        assert filtered is not None and all_sentences is not None and 0 < filtered < all_sentences
        await pilot.press("G")
        assert actors.cursor == (actors.total or 0) - 1
        await pilot.press("g", "2")
        assert screen.focused is screen.query_one("#events")
        await pilot.press("3")
        assert screen.focused is screen.query_one("#sentences")
        await pilot.press("shift+tab")
        assert screen.focused is screen.query_one("#events")
        await pilot.press("tab")
        assert screen.focused is screen.query_one("#sentences")
        await pilot.press("n", "n", "N")
        assert screen.query_one("#sentences", PagedList).cursor == 1
        await pilot.press("escape")  # clears the actor filter
        await settle(app, pilot)
        assert screen.actor_id is None
        assert screen.query_one("#sentences", PagedList).total == all_sentences
        await pilot.press("1", "t")
        await settle(app, pilot)
        kinds = {actors.item(i).type for i in range(min(5, actors.total or 0))}  # type: ignore[union-attr]
        assert kinds == {"PER"}
        await pilot.press("slash")
        assert screen.focused is screen.query_one("#search")


async def test_latin_name_finds_the_arabic_actor(seeded_path: Path, tmp_path: Path) -> None:
    app = app_for(seeded_path, tmp_path)
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(app, pilot)
        await pilot.press(*"qaani")
        await settle(app, pilot)
        first = app.screen.query_one("#actors", PagedList).item(0)
        assert first is not None and first.name_en == "Esmail Qaani"
        assert (app.screen.query_one("#sentences", PagedList).total or 0) > 10


async def test_claim_screen_from_an_actor(seeded_path: Path, tmp_path: Path) -> None:
    app = app_for(seeded_path, tmp_path)
    async with app.run_test(size=(100, 30)) as pilot:
        await settle(app, pilot)
        await pilot.press(*"qaani")
        await settle(app, pilot)
        await pilot.press("enter", "enter")
        await settle(app, pilot)
        assert isinstance(app.screen, ActorScreen)
        await pilot.press("2")  # claims by Qaani
        await settle(app, pilot)
        assert (app.screen.current_list().total or 0) > 0
        await pilot.press("enter")
        await settle(app, pilot)
        assert isinstance(app.screen, ClaimScreen)
        await pilot.press("a")
        await settle(app, pilot)
        assert isinstance(app.screen, ArticleScreen)
        await pilot.press("enter")  # the sentence holds the claim: back to a claim screen
        await settle(app, pilot)
        assert isinstance(app.screen, ClaimScreen)


async def test_help_bidi_copy_export_palette(seeded_path: Path, tmp_path: Path, monkeypatch: object) -> None:
    app = app_for(seeded_path, tmp_path)
    copied: list[str] = []
    app.copy_to_clipboard = copied.append  # type: ignore[method-assign]
    async with app.run_test(size=(100, 30)) as pilot:
        await settle(app, pilot)
        await pilot.press("escape", "3")
        await pilot.press("question_mark")
        assert type(app.screen).__name__ == "HelpScreen"
        await pilot.press("escape")
        await pilot.press("f1")
        assert type(app.screen).__name__ == "HelpScreen"
        await pilot.press("escape", "b")
        assert app.bidi_mode == "logical"
        saved = (tmp_path / "config" / "explorer.json").read_text()
        assert '"bidi": "logical"' in saved
        await pilot.press("y")
        first = app.screen.query_one("#sentences", PagedList).item(0)
        assert copied == [first.text]  # type: ignore[union-attr]
        await pilot.press("e")
        target = tmp_path / "out.jsonl"
        box = app.screen.query_one("#export-file")
        box.value = str(target)  # type: ignore[attr-defined]
        await pilot.press("enter")
        await settle(app, pilot)
        lines = target.read_text(encoding="utf-8").splitlines()
        assert len(lines) == app.screen.query_one("#sentences", PagedList).total
        await pilot.press("ctrl+p")
        await pilot.pause()
        assert type(app.screen).__name__ == "CommandPalette"
        await pilot.press(*"kadhimi")
        await pilot.pause(0.5)
        await settle(app, pilot)
        await pilot.press("enter")
        await settle(app, pilot)
        assert isinstance(app.screen, ActorScreen)
        await pilot.press("q")
    assert not app.is_running
