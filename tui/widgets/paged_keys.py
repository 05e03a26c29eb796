"""The cursor of a paged list: keys and clicks that move it, Enter that opens the row under it, and
n / N that move it to the next row holding a match (looking further on a worker when not loaded).

Mixed into ``PagedList`` (which holds the cursor, the rows and the messages posted here).
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from textual import work
from textual.worker import get_current_worker

from qexplore.tui.widgets.paging import SEEK_LIMIT, Listing, seek

if TYPE_CHECKING:
    from qexplore.tui.widgets.paged import PagedList


class CursorMoves:
    """Moving a PagedList's cursor: a row, a page, to either end; choosing a row."""

    def _move(self: PagedList, to: int) -> None:
        if not self.rows:
            return
        self.cursor = max(0, min(self.rows - 1, to))
        item = self.item()
        if item is not None:
            self.post_message(self.Highlighted(self, item))

    def action_cursor_down(self: PagedList) -> None:
        self._move(self.cursor + 1)

    def action_cursor_up(self: PagedList) -> None:
        self._move(self.cursor - 1)

    def action_first(self: PagedList) -> None:
        self._move(0)

    def action_last(self: PagedList) -> None:
        self._move(self.rows - 1)

    def _rows_per_page(self: PagedList) -> int:
        return max(1, self.size.height // (self.listing.height if self.listing else 1))

    def action_page_down(self: PagedList) -> None:
        self._move(self.cursor + self._rows_per_page())

    def action_page_up(self: PagedList) -> None:
        self._move(self.cursor - self._rows_per_page())

    def action_choose(self: PagedList) -> None:
        item = self.item()
        if item is not None:
            self.post_message(self.Chosen(self, item))

    def on_click(self: PagedList, event: Any) -> None:
        if self.listing is None or not self.rows:
            return
        index = (int(self.scroll_offset.y) + event.y) // self.listing.height
        if index < self.rows:
            self._move(index)
            if event.chain >= 2:
                self.action_choose()

    def action_next_match(self: PagedList, step: int) -> None:
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
    def _seek(self: PagedList, generation: int, listing: Listing, total: int, start: int, step: int,
              pages: dict[int, list[Any]]) -> None:
        """Find the nearest row past ``start`` (in direction ``step``) that holds a match."""
        fetched: dict[int, list[Any]] = {}
        with self.app.reader() as db:  # type: ignore[attr-defined]
            index = seek(db, listing, total, start, step, pages, fetched)
        if not get_current_worker().is_cancelled:
            self.post_message(self.Sought(generation, index, fetched))

    def on_paged_list_sought(self: PagedList, message: PagedList.Sought) -> None:
        message.stop()
        if message.generation != self._generation:
            return
        self._pages.update(message.pages)
        if message.index is None:
            self.notify("no further match of the search in this list")
        else:
            self._move(message.index)
