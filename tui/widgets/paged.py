"""A list view that pages its rows from SQLite as it scrolls (Textual's line API, fixed-height rows).

Decisions:
- Listings, looks, batches and the laying out of rows ahead live in ``paging``; loading pages (on a
  worker, or in a lane of lists loaded together) in ``paged_load``; cursor moves in ``paged_keys``.
- Only the rows on screen are fetched, a page at a time, on a thread worker; a row not yet loaded is
  drawn as a placeholder and the list redraws when its page arrives. A million rows cost a count.
- Workers are described by name: a description made of their arguments' reprs (Textual's default)
  costs the UI thread tens of milliseconds a keystroke (every row laid out before, every page).
- A new listing shows its first page as soon as it is fetched, before it is counted (a count may
  scan far more rows than a page): until the count arrives the list holds the rows it has; a first
  page shorter than a page is the whole list, and is not counted at all unless the listing is
  ``noted`` (its count may carry a note on what it leaves out: counted at once, with the page). A
  listing that can count from what its page kept (``count_now``: a search ranks or lists every match
  to page them) is counted at once too: one frame shows rows and count, not two.
- The worker also lays out and draws the first screenful of rows (``paging.lay_out``), so that the
  frame showing a new listing only looks lines up; rows laid out for an earlier listing are reused
  until the look changes.
- ``show(listing, keep=True)`` keeps the old rows on screen until the new first page arrives (no blank
  frame while typing); a ``Batch`` shared by lists reloaded together holds their first pages until all
  have come (or BATCH_WAIT_S has passed), so the screen draws them in one frame, not one per list;
  their slower counts wait for that frame.
- Horizontal scrolling is off (app.tcss): rows are laid out to the width. A scroll bar shown or
  hidden lays the whole screen out again, so the list is sized once with its first page, not
  emptied first.
- A count may come back as a ``Total``: capped (shown as "10,000+") or with a note on what a list cut
  short leaves out; ``total`` is always the number.
- A change of the number of rows that does not show or hide the scroll bar redraws the list alone,
  without a layout of the whole screen (Textual's ``virtual_size`` would ask for one); and a layout
  of the screen that leaves the list's size alone (one a keystroke: the search bar's) does not
  update its scroll bars and redraw it (``_size_updated``).
- A ``Listing`` says what to count, fetch, draw, export and open; the widget knows nothing of actors
  or sentences. Replacing the listing bumps a generation number so that late pages are dropped.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from functools import partial
from typing import Any, ClassVar

from rich.style import Style
from rich.text import Text
from sqlite_utils import Database
from textual.binding import Binding, BindingType
from textual.geometry import Region, Size
from textual.message import Message
from textual.reactive import reactive
from textual.scroll_view import ScrollView
from textual.strip import Strip

from qexplore.db.browse import Total
from qexplore.tui.widgets.paged_keys import CursorMoves
from qexplore.tui.widgets.paged_load import Job, PageLoading, run_lane
from qexplore.tui.widgets.paging import (
    BATCH_WAIT_S,
    DRAWN_KEPT,
    PAGE,
    Ahead,
    Batch,
    Listing,
    Look,
    StripKey,
    drawn_key,
    to_strip,
)

__all__ = ["BATCH_WAIT_S", "PAGE", "Batch", "Job", "Listing", "Look", "PagedList", "run_lane"]


class PagedList(CursorMoves, PageLoading, ScrollView, can_focus=True):
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
        strips: dict[StripKey, Strip] = field(default_factory=dict)

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
        self.frames = 0  # frames that drew this list (``when_drawn``)

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

    def show(self, listing: Listing, *, keep: bool = False, batch: Batch | None = None,
             lane: list[Job] | None = None) -> None:
        """Replace what the list shows; counting and the first page load on a worker.

        ``keep``: the old rows stay on screen until the first page arrives. ``batch``: the lists
        reloaded with this one, whose first pages are shown together. ``lane``: the loading is
        appended to it, for a worker of the caller's to run with the other lists' (``run_lane``).
        """
        self._generation += 1
        if keep and self.listing is not None:
            self._next = listing
        else:
            self._switch(listing)
        job = partial(self._load, self._generation, listing, True, (0,), self._draw_ahead(listing), batch)
        if lane is not None:
            lane.append(job)
        else:
            self._fetch(job)
        if len(self._drawn) > DRAWN_KEPT:
            self._drawn = {}

    def _switch(self, listing: Listing, resize: bool = True) -> None:
        """Show ``listing`` from its first row, nothing loaded yet (``resize``: the list is empty now;
        without it the caller sizes the list once its first page is in, so that a scroll bar shown
        before and after is not hidden in between: each change of a scroll bar lays out the screen)."""
        self.listing, self._next = listing, None
        self.total, self.capped, self.note = None, False, ""
        self._pages, self._lines, self._asked, self._strips = {}, {}, None, {}
        self.cursor = 0
        self.scroll_to(0, 0, animate=False)
        if resize:
            self._update_size()

    def _draw_ahead(self, listing: Listing) -> Ahead:
        """What the worker needs to lay out the first screenful of ``listing``: how many rows, and the
        width without and with the scroll bar (a first page longer than the list's height shows it)."""
        region = self.content_region
        rows = region.height // max(1, listing.height) + 1
        return Ahead(rows, region.height, region.width, region.width - self.styles.scrollbar_size_vertical,
                     self.look(), self._drawn, self.rich_style, self.app.console)

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

    def on_paged_list_page_loaded(self, message: PageLoaded) -> None:
        message.stop()
        if message.generation != self._generation:
            return
        if self._next is not None:
            self._switch(self._next, resize=False)  # sized below, with its first page
            self.post_message(self.Shown(self))
        self._asked = None
        self._pages.update(message.pages)
        self._lines.update(message.lines)
        self._strips.update(message.strips)
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
            self._fetch(partial(self._load, self._generation, self.listing, False, missing))

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

    def _size_updated(self, size: Size, virtual_size: Size, container_size: Size,
                      layout: bool = True) -> bool:
        # Textual passes the size of the content as ``virtual_size``: never the list's own (rows times
        # their height), so every layout of the screen (one a keystroke: the search bar) would update
        # the scroll bars and redraw the lists. The list's own is kept: only a change of size counts.
        return super()._size_updated(size, self.virtual_size, container_size, layout)

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
        self.frames += 1
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
            cursor = index == self.cursor
            key = (index, width, sub, base, cursor and self.has_focus, cursor)
            if key in self._strips:
                return self._strips[key]
            if len(self._strips) > 2_000:  # a few screens' worth
                self._strips.clear()
            plain = self._strips.get((index, width, sub, base, False, False))
            if plain is None:  # not drawn ahead by the worker
                if (index, width) not in self._lines:
                    self._lines[(index, width)] = self.listing.render(item, width, self.look())
                lines = self._lines[(index, width)]
                text = lines[sub] if sub < len(lines) else Text("")
                plain = self._strips[(index, width, sub, base, False, False)] = to_strip(
                    text, width, base, self.app.console)
            self._strips[key] = self._cursor_strip(plain, key[-2]) if cursor else plain
            return self._strips[key]
        return to_strip(text, width, base, self.app.console)

    def _cursor_strip(self, plain: Strip, focused: bool) -> Strip:
        """The cursor's line: ``plain`` in the cursor style (dimmed when the list has not the focus)."""
        if focused:
            return plain.apply_style(self.look().style("cursor"))
        return plain.apply_style(self.look().style("cursor") + Style(bold=False, dim=True))

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
