"""What keeps a keystroke fast must not change what the explorer shows: word-by-word shaping, the
quick layout of one-style lines, in-memory actor counts, Latin look-ups by length, counts that come
with a search's rows, panes loaded in lanes, and garbage collection held until the results show."""

from __future__ import annotations

import gc
import json
from collections import Counter
from pathlib import Path
from types import SimpleNamespace
from typing import Any

import pytest
from rapidfuzz import fuzz, process
from rich.style import Style
from rich.text import Span, Text
from sqlite_utils import Database

from qexplore.db import browse, query_actors
from qexplore.db.arabic import latin_skeleton
from qexplore.db.browse import Filter
from qexplore.db.browse_cache import forget_memo, mentioned_range, newest_hits, sentence_actors
from qexplore.tui import render
from qexplore.tui.app import QexploreApp
from qexplore.tui.widgets.paged import PagedList


async def settle(app: QexploreApp, pilot: Any) -> None:
    for _ in range(3):
        await app.workers.wait_for_complete()
        await pilot.pause()


def _texts(db: Database) -> list[str]:
    sentences = [r[0] for r in db.execute("SELECT text FROM sentences ORDER BY id LIMIT 400")]
    return sentences + [r[0] for r in db.execute("SELECT name_ar FROM actors LIMIT 400")]


def test_shaping_a_word_at_a_time_is_shaping_the_line(seeded: Database) -> None:
    reshaper = render._reshaper()
    texts = [render.clean(t).replace("\n", " ") for t in _texts(seeded)]
    texts += ["لا إله إلا الله", "  بين  مسافتين  ", "مـحـمـد", "abc لا def", ""]
    for text in texts:
        assert render.shape(text) == reshaper.reshape(text), text


def test_a_line_of_one_style_lays_out_as_a_styled_line_does(seeded: Database) -> None:
    bold = Style(bold=True)
    for text in _texts(seeded)[:300]:
        plain = render.clean(text).replace("\n", " ")[:70]
        quick = render.visual_text(Text(plain, style=bold))
        # the same line through the per-character path (a span of no style changes nothing)
        full = render.visual_text(Text(plain, style=bold, spans=[Span(0, len(plain), Style.null())]))
        assert (quick.plain, quick.spans, quick.style) == (full.plain, full.spans, full.style), plain


def test_wrapping_stops_after_the_lines_asked_for(seeded: Database) -> None:
    for text in _texts(seeded)[:200]:
        whole = render.wrap_offsets(text, 37)
        assert render.wrap_offsets(text, 37, 2) == whole[:2]


def test_latin_spellings_match_as_scoring_every_name_does(seeded: Database) -> None:
    index = query_actors.name_index(seeded)

    def every_name(text: str) -> list[int]:  # the look-up before skeletons were split by length
        hits = process.extract(latin_skeleton(text), index.skeletons, scorer=fuzz.ratio,
                               score_cutoff=query_actors.LATIN_MATCH, limit=None)
        found: dict[int, float] = {}
        for _, score, at in sorted(hits, key=lambda h: h[2]):
            found[index.owners[at]] = max(score, found.get(index.owners[at], 0))
        return sorted(found, key=lambda a: -found[a])

    names = [r[0] for r in seeded.execute("SELECT name_en FROM actors WHERE name_en IS NOT NULL")]
    found_some = 0
    for text in ["qaani", "kadhimi", "kazimi", "sistani", "baghdad", "iran", "trump", *names[:150]]:
        if len(latin_skeleton(text)) < 2:
            continue
        expected = every_name(text)
        assert query_actors.latin_matches(seeded, text) == expected, text
        assert query_actors.latin_matches(seeded, text) == expected, text  # kept, the same
        found_some += bool(expected)
    assert found_some > 20


def test_the_actors_beside_a_search_are_counted_as_sqlite_counts_them(seeded: Database) -> None:
    actors = sentence_actors(seeded)
    for query in ["بغداد", "الكاظمي", "إيران", "قال"]:
        hits = newest_hits(seeded, browse.prepare(seeded, query).fts or "", mentioned_range(seeded), 500)
        assert hits, query
        in_memory = Counter(a for sid in hits for a in actors.get(sid, ()))
        found = seeded.execute(
            "SELECT json_group_array(json_array(actor_id, n)) FROM (SELECT actor_id, "
            "count(DISTINCT sentence_id) AS n FROM mentions WHERE actor_id IS NOT NULL "
            "AND sentence_id IN (SELECT value FROM json_each(?)) GROUP BY actor_id)",
            [json.dumps(hits)]).fetchone()[0]
        assert dict(in_memory) == {int(a): int(n) for a, n in json.loads(found)}, query


def test_a_search_is_counted_with_its_first_page_other_filters_later(seeded: Database) -> None:
    from qexplore.tui.widgets.listings import Actors, Sentences, Stories

    actor = browse.actors_page(seeded, Filter("qaani"), limit=1)[0].id
    for flt in [Filter("بغداد"), Filter("qaani"), Filter(), Filter(kind="PER")]:
        for listing in (Actors(flt), Stories(flt), Sentences(flt)):
            forget_memo(seeded)
            listing.fetch(seeded, 0, 50)
            now = listing.count_now(seeded)
            if isinstance(listing, Sentences) and not flt.query:
                assert now is None  # every sentence: a count of its own
                continue
            forget_memo(seeded)
            assert now == listing.count(seeded), (type(listing).__name__, flt)
    with_actor = Filter("بغداد", actor_id=actor)
    assert Stories(with_actor).count_now(seeded) is None
    assert Sentences(with_actor).count_now(seeded) is None


def test_a_lane_loads_every_page_before_any_count_and_stops_when_cancelled(
        monkeypatch: pytest.MonkeyPatch) -> None:
    from qexplore.tui.widgets import paged_load

    worker = SimpleNamespace(is_cancelled=False)
    monkeypatch.setattr(paged_load, "get_current_worker", lambda: worker)
    done: list[str] = []

    def job(name: str, counts_later: bool) -> Any:
        def load() -> Any:
            done.append(f"page {name}")
            return (lambda: done.append(f"count {name}")) if counts_later else None
        return load

    paged_load.run_lane([job("a", True), job("b", False), job("c", True)])
    assert done == ["page a", "page b", "page c", "count a", "count c"]
    done.clear()

    def cancel() -> None:
        worker.is_cancelled = True

    paged_load.run_lane([job("a", True), lambda: cancel(), job("c", True)])
    assert done == ["page a", "count a"]  # a count left behind still runs (it gives its connection back)


async def test_a_search_shows_rows_and_counts_together_without_a_sideways_scroll_bar(
        seeded_path: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    from textual.widgets import Input

    seen: list[tuple[str, bool]] = []  # (pane, counted) of each first page of the search
    loaded = PagedList.on_paged_list_page_loaded

    def spy(self: PagedList, message: PagedList.PageLoaded) -> None:
        fresh = self._next is not None
        loaded(self, message)
        if fresh and getattr(self.listing, "flt", Filter()).query == "الكاظمي":
            seen.append((str(self.id), message.total is not None))

    monkeypatch.setattr(PagedList, "on_paged_list_page_loaded", spy)
    app = QexploreApp(seeded_path, config_dir=tmp_path / "config")
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(app, pilot)
        app.screen.query_one("#search", Input).focus()
        await pilot.press(*"الكاظمي")  # a list emptied, then filled again, showed one
        await settle(app, pilot)
        assert sorted(seen) == [("actors", True), ("events", True), ("sentences", True)]
        panes = list(app.screen.query(PagedList))
        assert panes and not any(p.show_horizontal_scrollbar for p in panes)
        assert any(p.show_vertical_scrollbar for p in panes)  # the last rows stay visible beside it
        redrawn: list[str] = []
        for pane in panes:
            monkeypatch.setattr(pane, "refresh", lambda *a, p=pane, **k: redrawn.append(str(p.id)))
        app.screen.show_counts()  # type: ignore[attr-defined]
        assert redrawn == []  # titles unchanged: no pane redrawn for them


async def test_garbage_is_collected_again_once_a_searchs_results_are_drawn(
        seeded_path: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    from textual.widgets import Input

    from qexplore.tui import app as app_module

    monkeypatch.setattr(app_module, "GC_HOLD_S", 0.2)
    app = QexploreApp(seeded_path, config_dir=tmp_path / "config")
    try:
        async with app.run_test(size=(100, 30)) as pilot:
            await settle(app, pilot)
            app.screen.query_one("#search", Input).value = "بغداد"
            await pilot.pause(0)
            assert not gc.isenabled()  # held from the keystroke...
            await settle(app, pilot)
            assert gc.isenabled()  # ...until its results are drawn
            app.hold_collections()  # results that never come: collected again after GC_HOLD_S
            assert not gc.isenabled()
            await pilot.pause(0.4)
            assert gc.isenabled()
            app.hold_collections()
        assert gc.isenabled()  # and when the explorer closes
    finally:
        gc.enable()
