"""Modal screens: the key help and the export file prompt."""

from __future__ import annotations

from typing import ClassVar

from rich.table import Table
from rich.text import Text
from textual import on
from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import Vertical, VerticalScroll
from textual.screen import ModalScreen
from textual.widgets import Input, Label, Static

BIDI_HELP = (
    "Arabic: b switches logical/visual layout. Visual reorders each line for terminals without bidi "
    "(xterm, kitty, tmux...); logical leaves it to a terminal that does bidi (Konsole, mlterm). "
    "Search, copy (y, via OSC 52) and export always use logical text."
)


class HelpScreen(ModalScreen[None]):
    """Every key active where help was asked, with its binding id (for a keymap) and what it does."""

    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("escape,q,question_mark,f1", "dismiss", "Close", id="help.close", tooltip="Close help"),
    ]

    def __init__(self, rows: list[tuple[str, str, str]]) -> None:
        super().__init__()
        self.rows = rows

    def compose(self) -> ComposeResult:
        table = Table(box=None, expand=True, show_header=True, header_style="bold")
        table.add_column("key", no_wrap=True)
        table.add_column("does")
        table.add_column("id", style="dim", no_wrap=True)
        for key, text, binding_id in self.rows:
            table.add_row(Text(key), Text(text), Text(binding_id))
        with VerticalScroll(id="help-box"):
            yield Static(table)
            yield Static(Text(BIDI_HELP, style="dim"))


class ExportScreen(ModalScreen[str | None]):
    """Ask for the file to export the current list to (.csv or .jsonl chooses the format)."""

    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("escape", "dismiss", "Cancel", id="export.cancel", tooltip="Do not export"),
    ]

    def __init__(self, what: str, suggested: str) -> None:
        super().__init__()
        self.what, self.suggested = what, suggested

    def compose(self) -> ComposeResult:
        with Vertical(id="export-box"):
            yield Label(Text(f"Export {self.what} to (.csv or .jsonl):"))
            yield Input(value=self.suggested, id="export-file")

    @on(Input.Submitted, "#export-file")
    def chosen(self, event: Input.Submitted) -> None:
        self.dismiss(event.value.strip() or None)
