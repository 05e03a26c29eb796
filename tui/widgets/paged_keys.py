"""The cursor of a paged list: keys and clicks that move it, Enter that opens the row under it.

Mixed into ``PagedList`` (which holds the cursor, the rows and the messages posted here).
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

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
