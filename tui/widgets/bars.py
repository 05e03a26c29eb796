"""Small display widgets: the breadcrumb, the status line, a section bar and a field panel."""

from __future__ import annotations

from rich.style import Style
from rich.text import Text
from textual.reactive import reactive
from textual.widget import Widget

from qexplore.tui.render import fields, is_rtl, layout, safe_text


class Breadcrumb(Widget):
    """Where the user is: the labels of the open screens, oldest first."""

    path: reactive[tuple[str, ...]] = reactive(())

    def render(self) -> Text:
        mode = getattr(self.app, "bidi_mode", "logical")
        return Text(fields(list(self.path), mode, " › "), no_wrap=True, overflow="ellipsis")


class StatusLine(Widget):
    """Counts, query time, the database and the bidi mode, on one line."""

    counts: reactive[str] = reactive("")
    elapsed: reactive[str] = reactive("")
    note: reactive[str] = reactive("")

    def render(self) -> Text:
        app = self.app
        elapsed = self.elapsed if getattr(app, "show_timings", True) else ""
        parts = [self.note or self.counts, elapsed, getattr(app, "db_label", ""),
                 f"bidi {getattr(app, 'bidi_mode', '?')}"]
        return Text(" · ".join(p for p in parts if p), no_wrap=True, overflow="ellipsis")


class SectionBar(Widget):
    """The numbered sections of a detail screen, the current one emphasised."""

    current: reactive[int] = reactive(0)

    def __init__(self, labels: list[str], *, id: str | None = None) -> None:  # noqa: A002
        super().__init__(id=id)
        self.labels = labels

    def render(self) -> Text:
        out = Text(no_wrap=True, overflow="ellipsis")
        for i, label in enumerate(self.labels):
            style = Style(reverse=True, bold=True) if i == self.current else Style(dim=True)
            out.append(f" {i + 1} {label} ", style)
            out.append(" ")
        return out


class InfoPanel(Widget):
    """Labelled fields (some Arabic) laid out for the width and the bidi mode in force."""

    rows: reactive[tuple[tuple[str, str], ...]] = reactive(())

    def render(self) -> Text:
        mode = getattr(self.app, "bidi_mode", "logical")
        width = max(20, self.size.width)
        out = Text(end="")
        for n, (label, value) in enumerate(self.rows):
            pad = 13
            lines = layout(safe_text(value), width - pad, mode, max_lines=4, rtl=is_rtl(value))
            for i, line in enumerate(lines):
                head = Text(f"{label if i == 0 else '':<{pad - 1}} ", style=Style(dim=True))
                out.append_text(head + line)
                if n < len(self.rows) - 1 or i < len(lines) - 1:
                    out.append("\n")
        return out
