"""The explorer, driven by Textual's Pilot: typing a query shows the matching sentences; hostile
article text stays inert."""

from __future__ import annotations

from pathlib import Path

from qexplore.tui.app import QexploreApp
from qexplore.tui.widgets.paged import PagedList


async def _settle(app: QexploreApp, pilot: object) -> None:
    for _ in range(3):
        await app.workers.wait_for_complete()
        await pilot.pause()  # type: ignore[attr-defined]


async def test_typing_a_query_lists_matching_sentences(seeded_path: Path, tmp_path: Path) -> None:
    app = QexploreApp(seeded_path, config_dir=tmp_path)
    async with app.run_test(size=(100, 30)) as pilot:
        await pilot.press(*"الخزعلي")
        await _settle(app, pilot)
        results = app.screen.query_one("#sentences", PagedList)
        assert results.total and results.total > 0
        status = str(app.screen.query_one("#status").render())
        assert f"{results.total} sentences" in status


async def test_markup_and_escapes_in_article_text_stay_text(tmp_path: Path) -> None:
    from qexplore.db.load import load_sources
    from qexplore.db.models import Source
    from qexplore.db.schema import open_db
    from qexplore.tui.screens.article import ArticleScreen
    from qexplore.tui.widgets.article import ArticleView

    path = tmp_path / "m.db"
    db = open_db(path)
    text = ("زار الوفد بغداد [@click=app.quit]اضغط[/] [link=https://x.example]هنا[/link] "
            "\x1b[2J \x1b]0;pwned\x07 \u202eنص مقلوب.")
    load_sources(db, [Source("m.txt", text)])
    db.close()
    for bidi in ("visual", "logical"):
        app = QexploreApp(path, bidi=bidi, config_dir=tmp_path / "cfg")
        async with app.run_test(size=(100, 30)) as pilot:
            await pilot.press(*"الوفد")
            await _settle(app, pilot)
            results = app.screen.query_one("#sentences", PagedList)
            assert results.total == 1
            await pilot.click("#sentences")
            await pilot.press("3", "enter")
            await _settle(app, pilot)
            assert app.is_running and isinstance(app.screen, ArticleScreen)
            view = app.screen.query_one(ArticleView)
            shown = "".join(line.plain for line, _ in view._lines)
            assert "click=app.quit" in shown and "link=https" in shown
            assert not any(c in shown for c in "\x1b\x07\u202e") and "pwned" not in shown


def test_header_fields_keep_their_order_and_the_date_its_digits() -> None:
    from qexplore.tui.render import visual_fields

    line = visual_fields(["004.txt", "الجريدة", "2020-06-29"])
    assert line.startswith("004.txt · ") and line.endswith(" · 2020-06-29")


def test_visual_layout_wraps_first_and_mirrors_brackets() -> None:
    from rich.text import Text

    from qexplore.tui.render import layout

    words = "الأول (الثاني) الثالث الرابع الخامس السادس"
    lines = [line.plain.strip() for line in layout(Text(words), 20, "visual")]
    assert len(lines) > 1
    assert lines[0].endswith("ﻝﻭﻷﺍ")  # the sentence's first word ends the first line (right side)
    assert lines[0].index("(") < lines[0].index(")")  # mirrored: reads (…) on an LTR terminal
    shaped = "".join(line.plain for line in layout(Text("لا إله إلا الله"), 40, "visual"))
    assert "\ufdf2" not in shaped  # no one-glyph Allah ligature
    assert "\ufefb" in shaped or "\ufefc" in shaped  # the lam-alef ligature is kept
