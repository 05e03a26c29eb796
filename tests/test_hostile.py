"""Hostile text: strange queries never break search or the app; hostile articles are stored exactly,
shown inert and change nothing else. Property tests state their example counts (see README)."""

from __future__ import annotations

import asyncio
import json
import re
import sqlite3
from pathlib import Path

import pytest
from hypothesis import HealthCheck, Phase, given, settings
from hypothesis import strategies as st
from sqlite_utils import Database
from typer.testing import CliRunner

from qexplore.db.load import Extractors, load_sources, ready
from qexplore.db.models import Source
from qexplore.db.query import QueryError, SearchResult, search
from qexplore.db.schema import open_db
from qexplore.tui.cli import app
from qexplore.tui.render import clean, safe_text

# No explain phase: it re-runs failing examples a hundred times, minutes for the app test.
PHASES = (Phase.explicit, Phase.reuse, Phase.generate, Phase.shrink)
FIXTURES = [HealthCheck.function_scoped_fixture]  # the fixtures are read-only or rebuilt per example
SEARCH_EXAMPLES = 200
LONG_EXAMPLES = 30
APP_EXAMPLES = 3
ARTICLE_EXAMPLES = 400
DISPLAY_EXAMPLES = 500

UNSAFE = re.compile("[\x00-\x08\x0b-\x1f\x7f-\x9f\u202a-\u202e\u2066-\u2069]")
ANY_CHAR = st.characters(codec=None, exclude_categories=())  # every code point, lone surrogates too
FTS_BITS = st.sampled_from([
    '"', "'", "*", "-", "+", "^", ":", "(", ")", "{", "}", "[", "]", "OR", "AND", "NOT", "NEAR",
    "NEAR(", "art:", "bare :", "rank", "\x00", "\\", ";", "--", "DROP TABLE articles;", "%", "_",
    "بغداد", "الكاظمي", '"حزب الله"', "قاآني*", "-بيروت", "Qaani", "كَاظِمِي", "ـــ", "\u200f", "\u202e",
])
QUERIES = st.one_of(
    st.text(ANY_CHAR, max_size=60),
    st.lists(FTS_BITS, max_size=12).map(" ".join),
    st.lists(FTS_BITS, max_size=12).map("".join),
)
LONG_QUERIES = st.builds(
    lambda unit, fill: ((unit + fill) * 10_000)[:10_000],
    st.one_of(FTS_BITS, st.text(ANY_CHAR, min_size=1, max_size=8)),
    st.sampled_from(["", " ", " OR ", '"']),
)


def _check_answer(db: Database, query: str) -> None:
    """A search gives a result whose spans point into its sentences, or a one-line QueryError."""
    try:
        result = search(db, query, limit=30)
    except QueryError as exc:
        assert str(exc) and "\n" not in str(exc) and len(str(exc)) < 500
        return
    assert isinstance(result, SearchResult) and result.total >= len(result.hits)
    for hit in result.hits:
        assert all(0 <= s.start < s.end <= len(hit.text) for s in hit.spans)


@settings(max_examples=SEARCH_EXAMPLES, deadline=None, suppress_health_check=FIXTURES, phases=PHASES)
@given(QUERIES)
def test_any_query_gives_a_result_or_a_clear_message(seeded: Database, query: str) -> None:
    _check_answer(seeded, query)


@settings(max_examples=LONG_EXAMPLES, deadline=None, suppress_health_check=FIXTURES, phases=PHASES)
@given(LONG_QUERIES)
def test_10000_character_queries_are_answered_quickly(seeded: Database, query: str) -> None:
    import time

    started = time.monotonic()
    _check_answer(seeded, query)
    assert time.monotonic() - started < 10


async def _type_queries(path: Path, queries: list[str]) -> None:
    from textual.widgets import Input

    from qexplore.tui.app import QexploreApp

    application = QexploreApp(path)
    async with application.run_test(size=(100, 30)) as pilot:
        await pilot.pause()
        box = application.screen.query(Input).first()  # the first search box, wherever it sits
        box.focus()
        await pilot.press(*"بغد")  # typed keys, then pasted strings
        for query in queries:
            box.value = query
            await pilot.pause()
            await application.workers.wait_for_complete()
            await pilot.pause()
            assert application.is_running
        await pilot.press("backspace")
        await application.workers.wait_for_complete()
        assert application.is_running


@settings(max_examples=APP_EXAMPLES, deadline=None, phases=PHASES)
@given(st.lists(st.one_of(QUERIES, LONG_QUERIES), min_size=4, max_size=6))
def test_the_app_search_box_survives_any_input(seeded_path: Path, queries: list[str]) -> None:
    asyncio.run(_type_queries(seeded_path, queries))  # an exception in the app fails run_test


@pytest.fixture(scope="module")
def extractors() -> Extractors:
    return Extractors.default()


def _schema(db: Database) -> list[tuple[str, str]]:
    return db.execute("SELECT name, sql FROM sqlite_master ORDER BY name").fetchall()


@pytest.fixture(scope="module")
def article_db(extractors: Extractors) -> tuple[Database, Extractors]:
    db = open_db(":memory:")
    return db, ready(db, extractors)


@settings(max_examples=ARTICLE_EXAMPLES, deadline=None, suppress_health_check=FIXTURES, phases=PHASES)
@given(st.text(ANY_CHAR, min_size=1, max_size=300))
def test_any_article_text_is_stored_exactly_or_refused_in_one_line(
    article_db: tuple[Database, Extractors], text: str
) -> None:
    db, ex = article_db
    schema, count = _schema(db), db.execute("SELECT count(*) FROM articles").fetchone()[0]
    report = load_sources(db, [Source(f"h{count}.txt", text)], extractors=ex, replay=False)
    if report.failed:
        assert report.added == 0 and "\n" not in report.failed[0].reason
        unstorable = any("\ud800" <= c <= "\udfff" for c in text)  # lone surrogates: not UTF-8
        assert unstorable or not text.strip()  # only unstorable or blank text is refused
    elif report.added:
        stored = db.execute("SELECT text FROM articles WHERE file = ?", [f"h{count}.txt"]).fetchone()[0]
        assert stored == text and stored.encode("utf-8") == text.encode("utf-8")
    else:
        assert report.unchanged == 1  # the same text came before: stored once
    assert _schema(db) == schema
    assert db.execute("SELECT count(*) FROM articles").fetchone()[0] == count + report.added


@settings(max_examples=DISPLAY_EXAMPLES, deadline=None, phases=PHASES)
@given(st.text(ANY_CHAR, max_size=200))
def test_the_display_layer_leaves_no_control_character(text: str) -> None:
    shown = clean(text)
    assert not UNSAFE.search(shown) and clean(shown) == shown
    rendered = safe_text(text)
    assert rendered.plain == shown and not rendered.spans  # markup in the text is never parsed


HOSTILE = (
    "زار الوفد بغداد [bold red]عاجل[/] [@click=app.quit]اضغط[/] [link=https://evil]هنا[/link] "
    "\x1b[2J\x1b[31mأحمر\x1b[0m \x1b]0;pwned\x07 \x1b]8;;https://evil\x1b\\رابط\x1b]8;;\x1b\\ \x9b31m "
    "\u202eمعكوس\u202c \u2066معزول\u2069 "
    "'); DROP TABLE articles; -- \" OR 1=1; DELETE FROM sentences WHERE 1; "
    "sentences_fts MATCH 'x'; ATTACH DATABASE '/tmp/x' AS y; وانتهى اللقاء."
)


def test_a_hostile_article_is_stored_exactly_shown_inert_and_changes_nothing_else(
    tmp_path: Path,
) -> None:
    from qexplore.db.config import seed_files
    from qexplore.db.load import load_files

    path = tmp_path / "h.db"
    db = open_db(path)
    load_files(db, seed_files()[:1])
    schema = _schema(db)
    before = db.execute("SELECT id, text FROM articles").fetchall()
    sentences = db.execute("SELECT count(*) FROM sentences").fetchone()[0]
    report = load_sources(db, [Source("hostile.txt", HOSTILE, title="[blink]x\x1b[5m")])
    assert report.added == 1
    assert db.execute("SELECT text FROM articles WHERE file = 'hostile.txt'").fetchone()[0] == HOSTILE
    assert _schema(db) == schema and db.execute("SELECT id, text FROM articles").fetchall()[:1] == before
    assert db.execute("SELECT count(*) FROM sentences WHERE article_id = 1").fetchone()[0] == sentences
    assert db.execute("PRAGMA integrity_check").fetchone() == ("ok",)
    db.close()
    runner = CliRunner()
    found = runner.invoke(app, ["--db", str(path), "search", "الوفد"])
    assert found.exit_code == 0 and "[bold red]عاجل[/]" in found.output
    assert not UNSAFE.search(found.output.replace("\n", ""))
    exported = runner.invoke(app, ["--db", str(path), "export", "articles"]).output.splitlines()
    assert [json.loads(line)["text"] for line in exported][-1] == HOSTILE  # data out is exact
    asyncio.run(_shown_inert(path))
    conn = sqlite3.connect(path)
    assert conn.execute("SELECT count(*) FROM articles").fetchone()[0] == 2
    conn.close()


async def _shown_inert(path: Path) -> None:
    from textual.widgets import Input

    from qexplore.tui.app import QexploreApp

    application = QexploreApp(path)
    async with application.run_test(size=(120, 40)) as pilot:
        await pilot.pause()
        application.screen.query(Input).first().value = "الوفد"
        await pilot.pause()
        await application.workers.wait_for_complete()
        await pilot.pause()
        for key in ("tab", "down", "enter", "tab", "enter"):
            await pilot.press(key)
            await pilot.pause()
        assert application.is_running  # [@click=app.quit] did not quit it
        screen = application.export_screenshot()
        assert "pwned" not in screen  # the OSC sequence went, with its payload
