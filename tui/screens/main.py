"""The main screen: a search bar, the Actors, Events and Sentences panes, and a status line.

Decisions:
- A keystroke starts one exclusive worker that prepares the query once (parse, Latin names, named
  actors) through the app; only then do the three panes page from that prepared query. The worker
  first waits DEBOUNCE_S only when the previous keystroke came less than DEBOUNCE_S before (a fast
  typist starts no query per letter: the next keystroke cancels the waiting worker); a key pressed
  after a pause starts at once.
- A prepared query that no longer matches the search bar is dropped (a stale query).
- The panes load on two workers (``reload_panes``): Actors then Events on one, Sentences (a search
  ranked and highlighted, the heaviest) on the other. Three workers, one a pane, fought for the
  interpreter's lock (the UI's too); one alone lost the overlap of SQLite's work with Python's
  (measured at a million sentences: p50 62 / 63 / 70 ms for two / three / one workers).
- From a keystroke to the frame showing its results, garbage cycles are not collected (the app's
  ``hold_collections``): a collection then runs while the results are read, not before they show.
- The panes keep their rows until the new ones come, and show the new first pages together (one
  ``Batch``, delivered to this screen, which retitles the panes in the same go): one frame per
  keystroke rather than a blank one and then one per pane. A search's counts come with its rows;
  other counts after them, and until then titles and the status line show "…" (changed with the
  rows: a title changed at once would cost a frame of its own; a title is set only when it changes,
  as setting one redraws its pane). A count that stopped shows as "10,000+"; a timeline built from
  a common word's newest matches only says so in its title.
"""

from __future__ import annotations

import time
from dataclasses import dataclass
from functools import partial
from typing import ClassVar

from textual import on, work
from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import Horizontal, Vertical
from textual.message import Message
from textual.widgets import Footer, Input
from textual.worker import get_current_worker

from qexplore.db.browse import ActorItem, Prepared
from qexplore.tui.screens.base import BaseScreen
from qexplore.tui.widgets.bars import Breadcrumb, StatusLine
from qexplore.tui.widgets.paged import BATCH_WAIT_S, Batch, Job, PagedList, run_lane
from qexplore.tui.widgets.paging import Delivered
from qexplore.tui.widgets.panes import TYPES, ActorsPane, EventsPane, SentencesPane

PANES = ("#actors", "#events", "#sentences")
NAMES = ("actors", "events", "sentences")
TITLES = {"#actors": "1 Actors", "#events": "2 Events", "#sentences": "3 Sentences"}
DEBOUNCE_S = 0.03


def count_label(paged: PagedList) -> str:
    """A list's count as shown: "…" while it is counted, "10,000+" when counting stopped there."""
    if paged.pending or paged.total is None:
        return "…"
    return f"{paged.total:,}{'+' if paged.capped else ''}"


class MainScreen(BaseScreen):
    """Search, then browse actors, the timeline and the source sentences side by side."""

    crumb = "qexplore"
    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("escape", "back", "Back", id="main.back",
                tooltip="Leave the search bar; then clear the actor filter, the type, the search"),
        Binding("down", "pane(0)", "Actors", id="search.down", tooltip="From the search bar to the panes",
                show=False),
        Binding("slash", "focus_search", "Search", id="search", tooltip="Type a search"),
        Binding("1", "pane(0)", "Actors", id="pane.actors", tooltip="Go to the Actors pane", show=False),
        Binding("2", "pane(1)", "Events", id="pane.events", tooltip="Go to the Events pane", show=False),
        Binding("3", "pane(2)", "Sentences", id="pane.sentences", tooltip="Go to the Sentences pane",
                show=False),
        Binding("t", "cycle_type", "Type", id="actors.type", tooltip="Show actors of one type (PER/ORG/LOC)"),
        Binding("ctrl+r,r", "refresh", "Refresh", id="refresh",
                tooltip="Read the database again: articles loaded since show up", show=False),
        Binding("tab", "app.focus_next", "Next pane", id="pane.next", tooltip="Go to the next pane",
                show=False),
        Binding("shift+tab", "app.focus_previous", "Prev pane", id="pane.prev",
                tooltip="Go to the previous pane", show=False),
    ]

    @dataclass
    class QueryReady(Message):
        """A typed query, prepared once for the three panes."""

        prepared: Prepared

    def __init__(self) -> None:
        super().__init__()
        self.prepared = Prepared("")
        self.actor_id: int | None = None
        self.kind = ""
        self._warm = False
        self._typed = 0.0  # when the last keystroke came (time.monotonic)
        self._titles: dict[str, str] = {}  # the panes' titles as last set

    @property
    def terms(self) -> str:
        """The search the panes show."""
        return self.prepared.query

    def compose(self) -> ComposeResult:
        yield Breadcrumb(id="crumbs")
        yield Input(placeholder='search: words, "phrases", prefix*, -excluded, OR, or a name (qaani)',
                    id="search")
        with Horizontal(id="panes"):
            yield ActorsPane(id="actors")
            with Vertical(id="right"):
                yield EventsPane(id="events")
                yield SentencesPane(id="sentences")
        yield StatusLine(id="status")
        yield Footer(compact=True, show_command_palette=False)

    def on_mount(self) -> None:
        self.reload_panes()
        self.show_counts()
        self.query_one("#search", Input).focus()
        self.update_breadcrumb()

    def reload_panes(self, actors: bool = True) -> None:
        """Show the prepared query (and the chosen actor) in the panes; the Actors pane too if asked."""
        batch = Batch(3 if actors else 2, to=self)
        self.set_timer(BATCH_WAIT_S, batch.release)
        lanes: list[list[Job]] = [[], []]  # Actors and Events; Sentences (see the module docstring)
        if actors:
            self.query_one("#actors", ActorsPane).reload(self.prepared, self.kind, batch, lanes[0])
        self.query_one("#events", EventsPane).reload(self.prepared, self.actor_id, batch, lanes[0])
        self.query_one("#sentences", SentencesPane).reload(self.prepared, self.actor_id, batch, lanes[1])
        for n, lane in enumerate(lanes):  # a new lane stops the one it replaces (exclusive)
            self.run_worker(partial(run_lane, lane), thread=True, exclusive=True, group=f"lane{n}",
                            exit_on_error=False, description="panes")

    @on(Input.Changed, "#search")
    def search_changed(self, event: Input.Changed) -> None:
        now = time.monotonic()
        fast = now - self._typed < DEBOUNCE_S
        self._typed = now
        self.app.hold_collections()  # type: ignore[attr-defined]
        self.prepare(event.value.strip(), DEBOUNCE_S if fast else 0.0)

    @work(thread=True, exclusive=True, exit_on_error=False, group="prepare")
    def prepare(self, query: str, wait: float = 0.0) -> None:
        """Prepare ``query`` once for every pane (after ``wait`` seconds when typing fast)."""
        if wait:
            time.sleep(wait)
            if get_current_worker().is_cancelled:
                return
        prepared = self.app.prepare_query(query)  # type: ignore[attr-defined]
        if not get_current_worker().is_cancelled:
            self.post_message(self.QueryReady(prepared))

    def on_main_screen_query_ready(self, message: MainScreen.QueryReady) -> None:
        if message.prepared.query != self.query_one("#search", Input).value.strip():
            return  # typed over since
        self.prepared, self.actor_id = message.prepared, None
        self.reload_panes()

    @on(Input.Submitted, "#search")
    def search_submitted(self) -> None:
        self.query_one("#actors", ActorsPane).focus()

    def on_paged_list_highlighted(self, message: PagedList.Highlighted) -> None:
        if isinstance(message.item, ActorItem) and message.paged.id == "actors":
            if self.actor_id != message.item.id:
                self.actor_id = message.item.id
                self.reload_panes(actors=False)
            self.query_one(StatusLine).note = ""

    def on_delivered(self, message: Delivered) -> None:
        """The panes' new first pages (and counts), together: shown with their titles in one frame."""
        message.stop()
        PagedList.deliver(message, then=self.app.resume_collections)  # type: ignore[attr-defined]
        self.show_counts()

    def on_paged_list_shown(self, message: PagedList.Shown) -> None:
        self.show_counts()  # the new rows' count is "…" until counted (the old one stays until then)

    def on_paged_list_loaded(self, message: PagedList.Loaded) -> None:
        if not self._warm and message.paged.id == "sentences":
            self._warm = True
            self.app.warm_up()  # type: ignore[attr-defined]
        self.show_counts()
        self.query_one(StatusLine).elapsed = f"{message.elapsed_ms:.0f} ms"

    def show_counts(self) -> None:
        """The panes' counts in their titles and the status line ("…" for those still counted)."""
        counts = []
        for pane in PANES:
            paged = self.query_one(pane, PagedList)
            counts.append(count_label(paged))
            suffix = " · " + self.kind if pane == "#actors" and self.kind else ""
            filtered = " · actor" if pane != "#actors" and self.actor_id is not None else ""
            note = f" · {paged.note}" if paged.note and not paged.pending else ""
            title = f"{TITLES[pane]}{suffix}{filtered} ({counts[-1]}{note})"
            if self._titles.get(pane) != title:  # setting a title redraws the whole pane
                self._titles[pane] = paged.border_title = title
        self.query_one(StatusLine).counts = " · ".join(
            f"{c} {n}" for c, n in zip(counts, NAMES, strict=True))

    def action_refresh(self) -> None:
        """Prepare the current search again and reload the panes from the database as it is now."""
        self.app.forget_prepared()  # type: ignore[attr-defined]
        self.prepare(self.query_one("#search", Input).value.strip())

    def action_focus_search(self) -> None:
        self.query_one("#search", Input).focus()

    def action_pane(self, index: int) -> None:
        self.query_one(PANES[index], PagedList).focus()

    def action_cycle_type(self) -> None:
        self.kind = TYPES[(TYPES.index(self.kind) + 1) % len(TYPES)]
        self.query_one("#actors", ActorsPane).reload(self.prepared, self.kind)
        self.show_counts()

    def action_back(self) -> None:
        search = self.query_one("#search", Input)
        if search.has_focus:
            self.query_one("#actors", PagedList).focus()  # leave the search bar, keep the search
            return
        if self.actor_id is not None:
            self.actor_id = None
            self.reload_panes(actors=False)
        elif self.kind:
            self.kind = ""
            self.query_one("#actors", ActorsPane).reload(self.prepared, self.kind)
            self.show_counts()
        else:
            search.value = ""
            search.focus()

    def focused_list(self) -> PagedList | None:
        """The pane with focus, else the Sentences pane (what e and y act on)."""
        focused = self.focused
        if isinstance(focused, PagedList):
            return focused
        return self.query_one("#sentences", PagedList)
