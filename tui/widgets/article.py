"""The article reader: the whole text, one sentence under the cursor, entities coloured by type."""

from __future__ import annotations

import bisect
from dataclasses import dataclass
from typing import Any, ClassVar

from rich.segment import Segment
from rich.style import Style
from rich.text import Text
from textual.binding import Binding, BindingType
from textual.geometry import Region, Size
from textual.message import Message
from textual.reactive import reactive
from textual.scroll_view import ScrollView
from textual.strip import Strip

from qexplore.db.browse_detail import ArticleDoc, ReaderSentence
from qexplore.db.models import Span
from qexplore.tui.render import layout, styled
from qexplore.tui.widgets.listings import ENTITY
from qexplore.tui.widgets.paged import Look


class ArticleView(ScrollView, can_focus=True):
    """A line-API view of one article; the cursor moves sentence by sentence."""

    COMPONENT_CLASSES: ClassVar[set[str]] = {
        "paged--cursor", "paged--match", "paged--dim", "paged--meta",
        "entity--per", "entity--org", "entity--loc", "entity--misc",
    }
    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("down,j", "move(1)", "Next sentence", id="reader.down", tooltip="Next sentence", show=False),
        Binding("up,k", "move(-1)", "Prev sentence", id="reader.up", tooltip="Previous sentence",
                show=False),
        Binding("home,g", "move_to(0)", "First", id="reader.first", tooltip="First sentence", show=False),
        Binding("end,G", "move_to(-1)", "Last", id="reader.last", tooltip="Last sentence", show=False),
        Binding("n", "next_match(1)", "Next match", id="reader.next_match",
                tooltip="Next sentence with a match"),
        Binding("N", "next_match(-1)", "Prev match", id="reader.prev_match",
                tooltip="Previous sentence with a match"),
        Binding("enter", "choose", "Claims", id="reader.open", tooltip="Open the claim in this sentence"),
    ]

    cursor: reactive[int] = reactive(0)

    @dataclass
    class Chosen(Message):
        """Enter on a sentence."""

        view: ArticleView
        sentence: ReaderSentence

    def __init__(self, *, id: str | None = None) -> None:  # noqa: A002
        super().__init__(id=id)
        self.doc: ArticleDoc | None = None
        self.matches: dict[int, tuple[Span, ...]] = {}
        self._lines: list[tuple[Text, int]] = []
        self._first_line: list[int] = []
        self._width = 0
        self._look: Look | None = None

    def show(self, doc: ArticleDoc, matches: dict[int, tuple[Span, ...]], sentence_id: int | None) -> None:
        """Show ``doc``; ``matches`` are spans by sentence id; put the cursor on ``sentence_id``."""
        self.doc, self.matches = doc, matches
        ids = [s.id for s in doc.sentences]
        self._width = 0
        self._build()
        self.cursor = ids.index(sentence_id) if sentence_id in ids else 0
        self.call_after_refresh(self._reveal)

    def look(self) -> Look:
        """Drawing context (the same component names as PagedList), built once until restyled."""
        if self._look is None:
            styles = {n.split("--")[-1]: self.get_component_rich_style(n, partial=True)
                      for n in self.COMPONENT_CLASSES}
            self._look = Look(getattr(self.app, "bidi_mode", "logical"), styles)
        return self._look

    def restyle(self) -> None:
        """Lay the article out again (bidi mode or theme changed)."""
        self._width, self._look = 0, None
        self._build()
        self.refresh()

    def _sentence_text(self, s: ReaderSentence, look: Look, mentions: list[Any]) -> Text:
        assert self.doc is not None
        raw = self.doc.text[s.start:s.end]
        spans = [(m.start - s.start, m.end - s.start, look.style(ENTITY.get(m.type, "misc")))
                 for m in mentions if s.start <= m.start and m.end <= s.end]
        spans += [(m.start, m.end, look.style("match")) for m in self.matches.get(s.id, ())]
        return styled(raw, spans, look.style("dim") if s.boilerplate else "")

    def _build(self) -> None:
        width = max(20, self.size.width - 1)
        if self.doc is None or width == self._width:
            return
        self._width, look = width, self.look()
        self._lines, self._first_line = [], []
        previous_end = 0
        # Mentions by start, each sentence taking its stretch (not a pass over all of them a sentence).
        mentions = sorted(self.doc.mentions, key=lambda m: m.start)
        starts = [m.start for m in mentions]
        for index, s in enumerate(self.doc.sentences):
            if "\n\n" in self.doc.text[previous_end:s.start] and self._lines:
                self._lines.append((Text(""), -1))
            previous_end = s.end
            self._first_line.append(len(self._lines))
            inside = mentions[bisect.bisect_left(starts, s.start):bisect.bisect_left(starts, s.end)]
            for line in layout(self._sentence_text(s, look, inside), width, look.mode):
                self._lines.append((line, index))
        self.virtual_size = Size(width, len(self._lines))

    def on_resize(self) -> None:
        self._build()

    def render_line(self, y: int) -> Strip:
        self._build()
        width, base = self.size.width, self.rich_style
        index = int(self.scroll_offset.y) + y
        if index >= len(self._lines):
            return Strip.blank(width, base)
        text, sentence = self._lines[index]
        strip = Strip(list(text.render(self.app.console, end=""))).adjust_cell_length(width, base)
        strip = Strip(Segment.apply_style(strip, base))
        if sentence == self.cursor and sentence >= 0:
            strip = strip.apply_style(self.look().style("cursor") + Style(bold=False))
        return strip

    def _reveal(self) -> None:
        if not self._first_line:
            return
        start = self._first_line[self.cursor]
        end = (self._first_line[self.cursor + 1] if self.cursor + 1 < len(self._first_line)
               else len(self._lines))
        self.scroll_to_region(Region(0, start, 1, max(1, end - start)), animate=False)

    def watch_cursor(self) -> None:
        self._reveal()
        self.refresh()

    def current(self) -> ReaderSentence | None:
        """The sentence under the cursor."""
        if self.doc is None or not self.doc.sentences:
            return None
        return self.doc.sentences[self.cursor]

    def action_move(self, step: int) -> None:
        if self.doc and self.doc.sentences:
            self.cursor = max(0, min(len(self.doc.sentences) - 1, self.cursor + step))

    def action_move_to(self, where: int) -> None:
        if self.doc and self.doc.sentences:
            self.cursor = where % len(self.doc.sentences)

    def action_next_match(self, step: int) -> None:
        if self.doc is None:
            return
        n = len(self.doc.sentences)
        for k in range(1, n):
            i = (self.cursor + step * k) % n
            if self.doc.sentences[i].id in self.matches:
                self.cursor = i
                return
        self.notify("no other match in this article", severity="warning")

    def action_choose(self) -> None:
        sentence = self.current()
        if sentence is not None:
            self.post_message(self.Chosen(self, sentence))

    def on_click(self, event: Any) -> None:
        index = int(self.scroll_offset.y) + event.y
        if 0 <= index < len(self._lines) and self._lines[index][1] >= 0:
            self.cursor = self._lines[index][1]
