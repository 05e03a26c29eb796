"""What a paged list works with besides the widget: listings, looks, batches, and rows laid out ahead.

Decisions:
- A ``Listing`` says what to count, fetch, draw, export and open; the widget knows nothing of actors
  or sentences.
- A ``Batch`` shared by lists reloaded together holds their first pages until all have come (or
  BATCH_WAIT_S has passed), so the screen draws them in one frame, not one per list.
- A worker lays out the first screenful of a new listing (``lay_out``: bidi layout is the costly part
  of drawing); rows laid out for an earlier listing (same item, width and kind) are reused.
"""

from __future__ import annotations

import threading
from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any, Protocol

from rich.style import Style
from rich.text import Text
from sqlite_utils import Database
from textual.message import Message

from qexplore.db.browse import Total
from qexplore.tui.messages import Open

if TYPE_CHECKING:
    from qexplore.tui.widgets.paged import PagedList

PAGE = 50  # rows fetched at a time: a screenful or more of any list
SEEK_LIMIT = 5_000
DRAWN_KEPT = 2_000  # laid-out rows kept from one listing to the next (the same actors come back)
BATCH_WAIT_S = 0.3  # past this, lists reloaded together show their first pages as they come


class Batch:
    """Lists reloaded together: their messages are held until every list's first page has come.

    Thread-safe: workers hand their messages in; the last first page (or ``release``) posts them all.
    """

    def __init__(self, lists: int) -> None:
        self._lock = threading.Lock()
        self._waiting = lists
        self._held: list[tuple[PagedList, Message]] = []
        self.released = False

    def post(self, target: PagedList, message: Message, first: bool) -> None:
        """Post ``message`` to ``target`` now if released, else hold it (``first``: a first page)."""
        with self._lock:
            if not self.released:
                self._held.append((target, message))
                self._waiting -= first
                if self._waiting > 0:
                    return
                self.released = True
            held, self._held = self._held, []
        if not held:
            held = [(target, message)]
        for widget, held_message in held:
            widget.post_message(held_message)

    def release(self) -> None:
        """Post whatever is held and stop holding (a list is slow, or gone)."""
        with self._lock:
            self.released = True
            held, self._held = self._held, []
        for widget, message in held:
            widget.post_message(message)


@dataclass(frozen=True)
class Look:
    """How to draw: the bidi layout in force and the styles from app.tcss, by component name."""

    mode: str
    styles: dict[str, Style] = field(default_factory=dict)

    def style(self, name: str) -> Style:
        """Return the style of component ``name`` (a null style when unknown)."""
        return self.styles.get(name, Style.null())


@dataclass(frozen=True)
class Ahead:
    """What a worker needs to lay out a list's first screenful: rows, the list's height, its width
    without and with the scroll bar, the look, the rows laid out for earlier listings."""

    rows: int
    height: int
    wide: int
    narrow: int
    look: Look
    drawn: dict[tuple[Any, ...], list[Text]]  # rows laid out before, by drawn_key (read only here)


class Listing(Protocol):
    """What a PagedList shows: rows counted and fetched from the database, drawn as lines.

    A listing whose ``noted`` attribute is true is counted even when its first page is the whole
    list: its count may carry a note (e.g. "from the newest 2,000 matches").
    """

    kind: str
    height: int

    def count(self, db: Database) -> int | Total: ...
    def fetch(self, db: Database, offset: int, limit: int) -> Sequence[Any]: ...
    def render(self, item: Any, width: int, look: Look) -> list[Text]:
        """Lay out ``item`` as ``height`` lines of ``width`` cells (any thread)."""
        ...
    def record(self, item: Any) -> dict[str, Any]: ...
    def target(self, item: Any) -> Open | None: ...
    def copy_text(self, item: Any) -> str | None: ...



def drawn_key(listing: Listing, item: Any, width: int) -> tuple[Any, ...]:
    """What a laid-out row depends on besides the look: the kind of listing, its height, the item."""
    return (type(listing).__name__, listing.height, width, item)


def lay_out(listing: Listing, page: list[Any], ahead: Ahead) -> dict[tuple[int, int], list[Text]]:
    """The first rows of ``page`` laid out at the width the list will have: narrower by the scroll
    bar when the page alone is taller than the list. Rows laid out before are reused."""
    width = ahead.narrow if len(page) * listing.height > ahead.height else ahead.wide
    out = {}
    for i, item in enumerate(page[:ahead.rows]):
        lines = ahead.drawn.get(drawn_key(listing, item, width))
        out[(i, width)] = lines if lines is not None else listing.render(item, width, ahead.look)
    return out


def seek(db: Database, listing: Listing, total: int, start: int, step: int,
         pages: dict[int, list[Any]], fetched: dict[int, list[Any]]) -> int | None:
    """The nearest row past ``start`` (in direction ``step``, at most SEEK_LIMIT away) that holds a
    match, fetching the pages it needs into ``pages`` and ``fetched``; None when there is none."""
    accepts = getattr(listing, "is_match", None)
    index = start + step
    while 0 <= index < total and abs(index - start) <= SEEK_LIMIT:
        page = index // PAGE
        if page not in pages:
            pages[page] = fetched[page] = list(listing.fetch(db, page * PAGE, PAGE))
        rows = pages[page]
        if index % PAGE < len(rows) and (accepts is None or accepts(rows[index % PAGE])):
            return index
        index += step
    return None
