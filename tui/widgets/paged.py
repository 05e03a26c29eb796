"""A list view that pages its rows from SQLite as it scrolls (Textual's line API, fixed-height rows).

Decisions:
- Listings, looks, batches and the laying out of rows ahead live in ``paging``.
- Only the rows on screen are fetched, a page at a time, on a thread worker; a row not yet loaded is
  drawn as a placeholder and the list redraws when its page arrives. A million rows cost a count.
- Workers are described by name: a description made of their arguments' reprs (Textual's default)
  costs the UI thread tens of milliseconds a keystroke (every row laid out before, every page).
- A new listing shows its first page as soon as it is fetched, before it is counted (a count may
  scan far more rows than a page): until the count arrives the list holds the rows it has; a first
  page shorter than a page is the whole list, and is not counted at all unless the listing is
  ``noted`` (its count may carry a note on what it leaves out: counted at once, with the page).
- The worker also lays out the first screenful of rows (``paging.lay_out``), so that the frame
  showing a new listing only assembles lines; rows laid out for an earlier listing are reused until
  the look changes.
- ``show(listing, keep=True)`` keeps the old rows on screen until the new first page arrives (no blank
  frame while typing); a ``Batch`` shared by lists reloaded together holds their first pages until all
  have come (or BATCH_WAIT_S has passed), so the screen draws them in one frame, not one per list.
- A count may come back as a ``Total``: capped (shown as "10,000+") or with a note on what a list cut
  short leaves out; ``total`` is always the number.
- A change of the number of rows that does not show or hide the scroll bar redraws the list alone,
  without a layout of the whole screen (Textual's ``virtual_size`` would ask for one).
- A ``Listing`` says what to count, fetch, draw, export and open; the widget knows nothing of actors
  or sentences. Replacing the listing bumps a generation number so that late pages are dropped.
"""

from __future__ import annotations

import time
from dataclasses import dataclass, field
from typing import Any, ClassVar

from rich.segment import Segment
from rich.style import Style
from rich.text import Text
from sqlite_utils import Database
from textual import work
from textual.binding import Binding, BindingType
from textual.geometry import Region, Size
from textual.message import Message
from textual.reactive import reactive
from textual.scroll_view import ScrollView
from textual.strip import Strip
from textual.worker import get_current_worker

from qexplore.db.browse import Total
from qexplore.tui.widgets.paged_keys import CursorMoves
from qexplore.tui.widgets.paging import (
    BATCH_WAIT_S,
    DRAWN_KEPT,
    PAGE,
    SEEK_LIMIT,
    Ahead,
    Batch,
    Listing,
    Look,
    drawn_key,
    lay_out,
    seek,
)

__all__ = ["BATCH_WAIT_S", "PAGE", "Batch", "Listing", "Look", "PagedList"]


class PagedList(CursorMoves, ScrollView, can_focus=True):
    """A scrolling list of fixed-height rows paged from the database on demand."""

    COMPONENT_CLASSES: ClassVar[set[str]] = {
        "paged--cursor", "paged--meta", "paged--match", "paged--dim", "paged--placeholder",
        "entity--per", "entity--org", "entity--loc", "entity--misc",
    }
    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("down,j", "cursor_down", "Down", id="list.down", tooltip="Next row", show=False),
        Binding("up,k", "cursor_up", "Up", id="list.up", tooltip="Previous row", show=False),
        Binding("home,g", "first", "First", id="list.first", tooltip="First row", show=False),
        Binding("end,G", "last", "Last", id="list.last", tooltip="Last row", show=False),
        Binding("pagedown", "page_down", "Page down", id="list.page_down", tooltip="Next page",
                show=False),
        Binding("pageup", "page_up", "Page up", id="list.page_up", tooltip="Previous page", show=False),
        Binding("n", "next_match(1)", "Next match", id="list.next_match",
                tooltip="Next row holding a match of the search", show=False),
        Binding("N", "next_match(-1)", "Prev match", id="list.prev_match",
                tooltip="Previous row holding a match of the search", show=False),
        Binding("enter", "choose", "Open", id="list.open", tooltip="Open the row under the cursor"),
    ]

    cursor: reactive[int] = reactive(0)

    @dataclass
    class Loaded(Message):
        """The list was counted (and its first page fetched) for a new listing."""

        paged: PagedList
        total: int
        elapsed_ms: float

    @dataclass
    class Shown(Message):
        """The list shows a new listing (its first page, when it kept the old rows until then)."""

        paged: PagedList

    @dataclass
    class Highlighted(Message):
        """The user moved the cursor onto ``item``."""

        paged: PagedList
        item: Any

        def can_replace(self, message: Message) -> bool:
            return isinstance(message, PagedList.Highlighted) and message.paged is self.paged

    @dataclass
    class Chosen(Message):
        """The user pressed Enter (or clicked) on ``item``."""

        paged: PagedList
        item: Any

    @dataclass
    class PageLoaded(Message):
        generation: int
        total: int | Total | None
        pages: dict[int, list[Any]]
        elapsed_ms: float
        lines: dict[tuple[int, int], list[Text]] = field(default_factory=dict)

    @dataclass
    class Sought(Message):
        generation: int
        index: int | None
        pages: dict[int, list[Any]]

    def __init__(self, *, id: str | None = None, classes: str | None = None) -> None:  # noqa: A002
        super().__init__(id=id, classes=classes)
        self.listing: Listing | None = None
        self.total: int | None = None
        self.capped = False  # the count stopped: at least ``total`` rows
        self.note = ""  # what a list cut short leaves out
        self._next: Listing | None = None  # shown once its first page arrives (keep=True)
        self._generation = 0
        self._pages: dict[int, list[Any]] = {}
        self._lines: dict[tuple[int, int], list[Text]] = {}
        self._asked: tuple[int, tuple[int, ...]] | None = None
        self._look: Look | None = None
        self._strips: dict[tuple[Any, ...], Strip] = {}  # drawn lines, by row, width, style and cursor
        self._drawn: dict[tuple[Any, ...], list[Text]] = {}  # laid-out rows of any listing, by item
        self._base: Style | None = None

    @property
    def rows(self) -> int:
        """The rows the list holds as far as is known: the count, or the rows loaded before it."""
        if self.total is not None:
            return self.total
        return len(self._pages.get(0, ()))

    # ---- data ---------------------------------------------------------------------------------

    @property
    def pending(self) -> bool:
        """True while the list waits for its first page or its count (the count shows as "…")."""
        return self._next is not None or self.total is None

    def show(self, listing: Listing, *, keep: bool = False, batch: Batch | None = None) -> None:
        """Replace what the list shows; counting and the first page load on a worker.

        ``keep``: the old rows stay on screen until the first page arrives. ``batch``: the lists
        reloaded with this one, whose first pages are shown together.
        """
        self._generation += 1
        if keep and self.listing is not None:
            self._next = listing
        else:
            self._switch(listing)
        self._fetch(self._generation, listing, True, (0,), self._draw_ahead(listing), batch)
        if len(self._drawn) > DRAWN_KEPT:
            self._drawn = {}

    def _switch(self, listing: Listing) -> None:
        """Show ``listing`` from its first row, nothing loaded yet."""
        self.listing, self._next = listing, None
        self.total, self.capped, self.note = None, False, ""
        self._pages, self._lines, self._asked, self._strips = {}, {}, None, {}
        self.cursor = 0
        self.scroll_to(0, 0, animate=False)
        self._update_size()

    def _draw_ahead(self, listing: Listing) -> Ahead:
        """What the worker needs to lay out the first screenful of ``listing``: how many rows, and the
        width without and with the scroll bar (a first page longer than the list's height shows it)."""
        region = self.content_region
        rows = region.height // max(1, listing.height) + 1
        return Ahead(rows, region.height, region.width, region.width - self.styles.scrollbar_size_vertical,
                     self.look(), self._drawn)

    def item(self, index: int | None = None) -> Any | None:
        """Return the loaded item at ``index`` (the cursor's by default), or None."""
        index = self.cursor if index is None else index
        page = self._pages.get(index // PAGE)
        if page is None or index % PAGE >= len(page):
            return None
        return page[index % PAGE]

    def iter_all(self, db: Database) -> Any:
        """Yield every item of the listing, a page at a time (for exports, on a worker)."""
        if self.listing is None:
            return
        offset = 0
        while True:
            rows = self.listing.fetch(db, offset, 500)
            yield from rows
            if len(rows) < 500:
                return
            offset += 500

    @work(thread=True, exclusive=True, exit_on_error=False, group="pages", description="pages")
    def _fetch(self, generation: int, listing: Listing, count: bool, pages: tuple[int, ...],
               ahead: Ahead | None = None, batch: Batch | None = None) -> None:
        started = time.perf_counter()

        def post(message: Message, first: bool) -> None:
            if batch is None:
                self.post_message(message)
            else:
                batch.post(self, message, first)

        with self.app.reader() as db:  # type: ignore[attr-defined]
            found = {p: list(listing.fetch(db, p * PAGE, PAGE)) for p in pages}
            lines = lay_out(listing, found.get(0, []), ahead) if ahead else {}
            total: int | Total | None = None
            if count and len(found.get(0, ())) < PAGE:  # the whole list (counted when noted)
                total = listing.count(db) if getattr(listing, "noted", False) else len(found.get(0, ()))
            elif count:
                post(self.PageLoaded(generation, None, found, 0.0, lines), True)
                if get_current_worker().is_cancelled:
                    return
                found, lines, total = {}, {}, listing.count(db)
                elapsed = (time.perf_counter() - started) * 1000
                post(self.PageLoaded(generation, total, found, elapsed), False)
                return
        elapsed = (time.perf_counter() - started) * 1000
        post(self.PageLoaded(generation, total, found, elapsed, lines), count)

    def on_paged_list_page_loaded(self, message: PageLoaded) -> None:
        message.stop()
        if message.generation != self._generation:
            return
        if self._next is not None:
            self._switch(self._next)
            self.post_message(self.Shown(self))
        self._asked = None
        self._pages.update(message.pages)
        self._lines.update(message.lines)
        if self.listing is not None:
            for (index, width), lines in message.lines.items():
                self._drawn[drawn_key(self.listing, self._pages[0][index], width)] = lines
        if message.total is not None:
            total = message.total if isinstance(message.total, Total) else Total(message.total)
            self.total, self.capped, self.note = total.n, total.capped, total.note
            self.post_message(self.Loaded(self, total.n, message.elapsed_ms))
        self._update_size()
        self.refresh()

    def _ask_missing(self) -> None:
        """Fetch the pages the viewport shows but that are not loaded (once per set of pages)."""
        if self.listing is None or self.total is None or self._next is not None:
            return
        h = self.listing.height
        first = int(self.scroll_offset.y) // h
        last = min(self.total - 1, (int(self.scroll_offset.y) + self.size.height) // h)
        missing = tuple(sorted({i // PAGE for i in (first, last)} - set(self._pages)))
        if missing and self._asked != (self._generation, missing):
            self._asked = (self._generation, missing)
            self._fetch(self._generation, self.listing, False, missing)

    def _update_size(self) -> None:
        height = self.rows * (self.listing.height if self.listing else 1)
        size = Size(self.size.width, height)
        if size == self.virtual_size:
            return
        if not self.is_mounted or size.width != self.virtual_size.width:
            self.virtual_size = size
            return
        # Without the layout a reactive virtual_size asks for: the scroll bars are updated here, and
        # showing or hiding one asks for the layout itself (show_vertical_scrollbar).
        self.set_reactive(PagedList.virtual_size, size)
        self._scroll_update(size)
        self.refresh()

    def on_resize(self) -> None:
        self._lines, self._strips = {}, {}
        self._update_size()

    def restyle(self) -> None:
        """Forget drawn rows (the bidi mode or the theme changed) and redraw."""
        self._lines, self._look, self._strips, self._drawn = {}, None, {}, {}
        self.refresh()

    # ---- drawing ------------------------------------------------------------------------------

    def look(self) -> Look:
        """Return the drawing context: the app's bidi mode and this widget's component styles."""
        if self._look is None:
            styles = {name.split("--")[-1]: self.get_component_rich_style(name, partial=True)
                      for name in self.COMPONENT_CLASSES}
            self._look = Look(getattr(self.app, "bidi_mode", "logical"), styles)
        return self._look

    def render_lines(self, crop: Region) -> list[Strip]:
        self._base = self.rich_style  # once a frame, not once a line: it walks the ancestors' styles
        return super().render_lines(crop)

    def render_line(self, y: int) -> Strip:
        width = self.scrollable_content_region.width
        base = self._base if self._base is not None else self.rich_style
        if self.listing is None or not self.rows:
            return Strip.blank(width, base)
        h = self.listing.height
        index, sub = divmod(int(self.scroll_offset.y) + y, h)
        if index >= self.rows:
            return Strip.blank(width, base)
        item = self.item(index)
        if item is None:
            self.call_after_refresh(self._ask_missing)
            text = Text("…" if sub == 0 else "", style=self.look().style("placeholder"))
        else:
            key = (index, width, sub, base, index == self.cursor and self.has_focus, index == self.cursor)
            if key in self._strips:
                return self._strips[key]
            if (index, width) not in self._lines:
                self._lines[(index, width)] = self.listing.render(item, width, self.look())
            lines = self._lines[(index, width)]
            text = lines[sub] if sub < len(lines) else Text("")
            self._strips[key] = self._strip(text, width, base, key[-2], key[-1])
            if len(self._strips) > 2_000:  # a few screens' worth
                self._strips.clear()
            return self._strips[key]
        return self._strip(text, width, base, False, False)

    def _strip(self, text: Text, width: int, base: Style, focused: bool, cursor: bool) -> Strip:
        segments = list(text.render(self.app.console, end=""))
        strip = Strip(segments).adjust_cell_length(width, base)
        strip = Strip(Segment.apply_style(strip, base))
        if cursor and focused:
            strip = strip.apply_style(self.look().style("cursor"))
        elif cursor:
            strip = strip.apply_style(self.look().style("cursor") + Style(bold=False, dim=True))
        return strip

    def on_focus(self) -> None:
        self.refresh()

    def on_blur(self) -> None:
        self.refresh()

    # ---- cursor -------------------------------------------------------------------------------

    def watch_cursor(self, old: int, new: int) -> None:
        if self.listing is None:
            return
        h = self.listing.height
        self.scroll_to_region(Region(0, new * h, self.size.width, h), animate=False)
        self.refresh()

    def action_next_match(self, step: int) -> None:
        if self.listing is None or not self.total:
            return
        accepts = getattr(self.listing, "is_match", None)
        index = self.cursor + step
        while 0 <= index < self.total and abs(index - self.cursor) <= SEEK_LIMIT:
            item = self.item(index)
            if item is None:  # not loaded: look further on a worker
                self._seek(self._generation, self.listing, self.total, index - step, step, dict(self._pages))
                return
            if accepts is None or accepts(item):
                self._move(index)
                return
            index += step
        self.notify("no further match of the search in this list")

    @work(thread=True, exclusive=True, exit_on_error=False, group="seek", description="seek")
    def _seek(self, generation: int, listing: Listing, total: int, start: int, step: int,
              pages: dict[int, list[Any]]) -> None:
        """Find the nearest row past ``start`` (in direction ``step``) that holds a match."""
        fetched: dict[int, list[Any]] = {}
        with self.app.reader() as db:  # type: ignore[attr-defined]
            index = seek(db, listing, total, start, step, pages, fetched)
        if not get_current_worker().is_cancelled:
            self.post_message(self.Sought(generation, index, fetched))

    def on_paged_list_sought(self, message: Sought) -> None:
        message.stop()
        if message.generation != self._generation:
            return
        self._pages.update(message.pages)
        if message.index is None:
            self.notify("no further match of the search in this list")
        else:
            self._move(message.index)
