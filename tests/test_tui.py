"""The explorer, driven by Textual's Pilot: typing a query shows the matching sentences."""

from __future__ import annotations

from pathlib import Path

from qexplore.tui.app import QexploreApp, Results


async def test_typing_a_query_lists_matching_sentences(seeded_path: Path) -> None:
    app = QexploreApp(seeded_path)
    async with app.run_test(size=(100, 30)) as pilot:
        await pilot.press(*"الخزعلي")
        await app.workers.wait_for_complete()
        await pilot.pause()
        results = app.query_one("#results", Results)
        assert results.option_count > 0
        status = str(app.query_one("#status").render())
        assert status.startswith(f"{results.option_count} sentences")


async def test_markup_in_article_text_stays_text(tmp_path: Path) -> None:
    from qexplore.db.load import load_sources
    from qexplore.db.models import Source
    from qexplore.db.schema import open_db

    path = tmp_path / "m.db"
    db = open_db(path)
    text = "زار الوفد بغداد [@click=app.quit]اضغط[/] \x1b]0;pwned\x07 هنا."
    load_sources(db, [Source("m.txt", text)])
    db.close()
    app = QexploreApp(path)
    async with app.run_test(size=(100, 30)) as pilot:
        await pilot.press(*"الوفد")
        await app.workers.wait_for_complete()
        await pilot.pause()
        results = app.query_one("#results", Results)
        assert results.option_count == 1
        await pilot.click("#results")
        await pilot.pause()
        assert app.is_running
        shown = str(results.get_option_at_index(0).prompt)
        assert "click=app.quit" in shown  # shown as text (laid out right to left), not run
        assert "\x1b" not in shown and "\x07" not in shown


def test_header_fields_keep_their_order_and_the_date_its_digits() -> None:
    from qexplore.tui.render import visual_fields

    line = visual_fields(["004.txt", "الجريدة", "2020-06-29"])
    assert line.startswith("004.txt · ") and line.endswith(" · 2020-06-29")
