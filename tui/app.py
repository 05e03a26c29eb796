"""The qexplore terminal explorer: search the loaded sentences from the keyboard."""

from __future__ import annotations

import threading
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from rich.text import Text
from textual import on, work
from textual.app import App, ComposeResult
from textual.binding import Binding
from textual.message import Message
from textual.widgets import Footer, Header, Input, OptionList, Static
from textual.widgets.option_list import Option

from qexplore.db.query import QueryError, SearchResult, search, stats
from qexplore.db.schema import open_db
from qexplore.tui.render import clean, visual_fields, visual_lines


class Results(OptionList):
    """The list of matching sentences."""

    @dataclass
    class Loaded(Message):
        """A search finished on a worker thread."""

        result: SearchResult | None
        error: str | None = None


class QexploreApp(App[None]):
    """Search the database's sentences; results show source, date and the sentence laid out RTL."""

    CSS_PATH = "app.tcss"
    TITLE = "qexplore"
    BINDINGS = [
        Binding("ctrl+q", "quit", "Quit", id="quit", tooltip="Leave qexplore"),
        Binding("slash", "focus_search", "Search", id="search", tooltip="Type a search"),
        Binding("escape", "focus_results", "Results", id="results", tooltip="Go to results"),
    ]

    def __init__(self, db_path: Path) -> None:
        super().__init__()
        self.db_path = db_path
        self._local = threading.local()

    def compose(self) -> ComposeResult:
        yield Header()
        yield Input(placeholder="search: words, \"phrases\", prefix*, -excluded, OR", id="query")
        yield Static(id="status")
        yield Results(id="results")
        yield Footer()

    def _db(self) -> Any:
        """One read-only connection per thread (SQLite connections do not cross threads)."""
        if not hasattr(self._local, "db"):
            self._local.db = open_db(self.db_path, read_only=True)
        return self._local.db

    def on_mount(self) -> None:
        self.query_one("#query", Input).focus()
        self.show_counts()

    @work(thread=True, exclusive=True, exit_on_error=False, group="stats")
    def show_counts(self) -> None:
        counts = stats(self._db())["tables"]
        text = f"{counts.get('articles', 0)} articles, {counts.get('sentences', 0)} sentences"
        self.call_from_thread(self.query_one("#status", Static).update, Text(text + " — type to search"))

    @on(Input.Changed, "#query")
    def query_changed(self, event: Input.Changed) -> None:
        self.run_search(event.value)

    @work(thread=True, exclusive=True, exit_on_error=False, group="search")
    def run_search(self, query: str) -> None:
        if not query.strip():
            return
        try:
            result = search(self._db(), query, limit=200)
        except QueryError as exc:
            self.post_message(Results.Loaded(None, str(exc)))
            return
        self.post_message(Results.Loaded(result))

    def on_results_loaded(self, message: Results.Loaded) -> None:
        status = self.query_one("#status", Static)
        results = self.query_one("#results", Results)
        results.clear_options()
        if message.result is None:
            status.update(Text(clean(message.error or ""), style="bold red"))
            return
        result = message.result
        order = "best first" if result.order == "rank" else "newest first"
        status.update(Text(f"{result.total} sentences, {order}"))
        width = max(20, results.size.width - 4)
        for hit in result.hits:
            body = "\n".join(line.rjust(width) for line in visual_lines(hit.text, width))
            header = Text(visual_fields([hit.file, hit.outlet, hit.published]) + "\n", style="dim")
            results.add_option(Option(header + Text(body)))

    def action_focus_search(self) -> None:
        self.query_one("#query", Input).focus()

    def action_focus_results(self) -> None:
        self.query_one("#results", Results).focus()


def run_app(db_path: Path) -> None:
    """Open the explorer on the database at ``db_path``."""
    QexploreApp(db_path).run()
