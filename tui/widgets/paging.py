"""What a paged list works with besides the widget: listings, looks, batches, and rows laid out ahead.

Decisions:
- A ``Listing`` says what to count, fetch, draw, export and open; the widget knows nothing of actors
  or sentences.
- A ``Batch`` shared by lists reloaded together holds their first pages until all have come (or
  BATCH_WAIT_S has passed), so the screen draws them in one frame, not one per list.
- A worker lays out the first screenful of a new listing (``lay_out``: bidi layout is the costly part
  of drawing); rows laid out for an earlier listing (same item, width and kind) are reused. It draws
  their lines too (off the cursor, on the list's base style): the frame showing them only looks them up.
"""

from __future__ import annotations

import threading
import time
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any, Protocol

from rich.console import Console
from rich.segment import Segment
from rich.style import Style
from rich.text import Text
from sqlite_utils import Database
from textual.message import Message
from textual.message_pump import MessagePump
from textual.strip import Strip

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

    Thread-safe: workers hand their messages in; the last first page (or ``release``) hands them all
    over in one ``Delivered`` message (to ``to``, a screen that also retitles the lists, or to a
    list), so that they are applied in one go: messages posted to each list would be handled by
    each list's own task, and a frame could come between two of them.
    The lists count their rows once that frame is drawn (``drawn``; ``wait``): counting sooner
    would slow the other lists' pages and the frame down (they share the interpreter's lock).
    """

    def __init__(self, lists: int, to: MessagePump | None = None) -> None:
        self._lock = threading.Lock()
        self._to = to  # where ``Delivered`` goes (by default: the first list heard from)
        self._waiting = lists
        self._held: list[tuple[PagedList, Message]] = []
        self.released = False
        self._drawn = threading.Event()

    def drawn(self) -> None:
        """Note that the frame showing the first pages is drawn (from the UI thread)."""
        self._drawn.set()

    def wait(self, timeout: float, cancelled: Callable[[], bool]) -> None:
        """Wait (on a worker) until the first pages are drawn, ``timeout`` seconds at most, or until
        ``cancelled()``."""
        until = time.monotonic() + timeout
        while not self._drawn.wait(0.01) and not cancelled() and time.monotonic() < until:
            pass

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
        if held:
            (self._to or held[0][0]).post_message(Delivered(held, self))
        else:
            target.post_message(message)

    def release(self) -> None:
        """Post whatever is held and stop holding (a list is slow, or gone)."""
        with self._lock:
            self.released = True
            held, self._held = self._held, []
        if held:
            (self._to or held[0][0]).post_message(Delivered(held, self))
        else:
            self._drawn.set()


@dataclass
class Delivered(Message):
    """Messages a ``Batch`` held for its lists, to be handled together (by any of the lists)."""

    held: list[tuple[PagedList, Message]]
    batch: Batch


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
    without and with the scroll bar, the look, the rows laid out for earlier listings; and to draw
    them: the list's base style and the console (drawn lines are then ready for the frame)."""

    rows: int
    height: int
    wide: int
    narrow: int
    look: Look
    drawn: dict[tuple[Any, ...], list[Text]]  # rows laid out before, by drawn_key (read only here)
    base: Style | None = None
    console: Console | None = None


Laid = dict[tuple[int, int], list[Text]]  # the lines of rows laid out, by (row, width)
StripKey = tuple[int, int, int, Style, bool, bool]  # row, width, line of the row, base, focused, cursor


def to_strip(text: Text, width: int, base: Style, console: Console) -> Strip:
    """One laid-out line as drawn (off the cursor): cut or padded to ``width`` cells, on ``base``."""
    segments = Segment.adjust_line_length(list(text.render(console, end="")), width, base)
    return Strip(Segment.apply_style(segments, base), width)  # one Strip: each costs seven caches


class Listing(Protocol):
    """What a PagedList shows: rows counted and fetched from the database, drawn as lines.

    A listing whose ``noted`` attribute is true is counted even when its first page is the whole
    list: its count may carry a note (e.g. "from the newest 2,000 matches"). One with a
    ``count_now(db)`` method is asked for its count right after its first page, on the same
    connection: the count when that page kept what it needs (a search's matches), else None.
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


def lay_out(listing: Listing, page: list[Any], ahead: Ahead) -> tuple[Laid, dict[StripKey, Strip]]:
    """The first rows of ``page`` laid out at the width the list will have (narrower by the scroll
    bar when the page alone is taller than the list; rows laid out before are reused), and their
    lines drawn off the cursor when the base style is known."""
    width = ahead.narrow if len(page) * listing.height > ahead.height else ahead.wide
    laid: Laid = {}
    for i, item in enumerate(page[:ahead.rows]):
        lines = ahead.drawn.get(drawn_key(listing, item, width))
        laid[(i, width)] = lines if lines is not None else listing.render(item, width, ahead.look)
    strips: dict[StripKey, Strip] = {}
    if ahead.base is not None and ahead.console is not None:
        for (i, w), lines in laid.items():
            for sub in range(listing.height):
                text = lines[sub] if sub < len(lines) else Text("")
                strips[(i, w, sub, ahead.base, False, False)] = to_strip(text, w, ahead.base, ahead.console)
    return laid, strips


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
