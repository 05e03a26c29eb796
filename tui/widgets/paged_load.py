"""How a paged list loads its pages: on a worker of its own, or in a lane of lists loaded together.

Mixed into ``PagedList`` (which holds the pages, the generation and the messages posted here).

Decisions:
- A loading is a ``Job``: it fetches the pages, lays out and draws the first screenful, and posts
  them; a count it cannot make at once (``count_now``) is returned, to run after the first pages of
  the other lists of its lane, keeping its connection (what the page kept is reused). ``run_lane``
  runs jobs one after the other on the caller's worker, then those counts.
- A ``Batch``'s held messages arrive as one ``Delivered``; ``deliver`` applies them in one go and,
  once a frame has drawn the lists (``when_drawn``), lets their counts start.
"""

from __future__ import annotations

import time
from collections.abc import Callable
from contextlib import ExitStack
from typing import TYPE_CHECKING

from sqlite_utils import Database
from textual import work
from textual.message import Message
from textual.worker import get_current_worker

from qexplore.db.browse import Total
from qexplore.tui.widgets.paging import BATCH_WAIT_S, PAGE, Ahead, Batch, Delivered, Listing, lay_out

if TYPE_CHECKING:
    from qexplore.tui.widgets.paged import PagedList

Job = Callable[[], Callable[[], None] | None]  # loads a list's pages; returns its count still to make


def run_lane(jobs: list[Job]) -> None:
    """Run lists' loadings one after the other on this worker, then the counts they left."""
    later = []
    try:
        for job in jobs:
            if get_current_worker().is_cancelled:
                break
            later.append(job())
    finally:
        for count in later:  # each gives its connection back, counted or not
            if count is not None:
                count()


def count_now(db: Database, listing: Listing) -> int | Total | None:
    """The listing's count if it can tell it from what its first page kept, else None."""
    now = getattr(listing, "count_now", None)
    return None if now is None else now(db)  # type: ignore[no-any-return]


class PageLoading:
    """Loading a PagedList's pages and applying those a batch delivers."""

    @work(thread=True, exclusive=True, exit_on_error=False, group="pages", description="pages")
    def _fetch(self: PagedList, job: Job) -> None:
        run_lane([job])

    def _load(self: PagedList, generation: int, listing: Listing, count: bool, pages: tuple[int, ...],
              ahead: Ahead | None = None, batch: Batch | None = None) -> Callable[[], None] | None:
        """Fetch ``pages`` of ``listing`` (on a worker) and post them, counted when asked and cheap;
        return the count still to make, if any (to run once the other lists' first pages are in)."""
        started = time.perf_counter()

        def post(message: Message, first: bool) -> None:
            if batch is None:
                self.post_message(message)
            else:
                batch.post(self, message, first)

        with ExitStack() as stack:
            db = stack.enter_context(self.app.reader())  # type: ignore[attr-defined]
            found = {p: list(listing.fetch(db, p * PAGE, PAGE)) for p in pages}
            lines, strips = lay_out(listing, found.get(0, []), ahead) if ahead else ({}, {})
            total: int | Total | None = None
            if count and len(found.get(0, ())) < PAGE:  # the whole list (counted when noted)
                total = listing.count(db) if getattr(listing, "noted", False) else len(found.get(0, ()))
            elif count and (total := count_now(db, listing)) is not None:
                pass  # counted from what the page kept: shown with it
            elif count:
                post(self.PageLoaded(generation, None, found, 0.0, lines, strips), True)
                kept = stack.pop_all()  # the connection stays with the count

                def count_later() -> None:
                    with kept:
                        if batch is not None:  # the other lists' first pages are shown first
                            batch.wait(BATCH_WAIT_S, lambda: get_current_worker().is_cancelled)
                        if not get_current_worker().is_cancelled:
                            later = listing.count(db)
                            elapsed = (time.perf_counter() - started) * 1000
                            post(self.PageLoaded(generation, later, {}, elapsed), False)

                return count_later
        elapsed = (time.perf_counter() - started) * 1000
        post(self.PageLoaded(generation, total, found, elapsed, lines, strips), count)
        return None

    def on_delivered(self: PagedList, message: Delivered) -> None:
        message.stop()
        PageLoading.deliver(message)

    @staticmethod
    def deliver(message: Delivered, then: Callable[[], None] | None = None) -> None:
        """Hand each list the messages a batch held for it, one after the other (no frame between);
        once a frame shows them, let the lists count their rows and call ``then``."""
        for paged, held in message.held:
            if isinstance(held, paged.PageLoaded):
                paged.on_paged_list_page_loaded(held)
            else:
                paged.post_message(held)
        lists = [paged for paged, _ in message.held]
        if lists:
            lists[0].when_drawn(lists, [message.batch.drawn, *([then] if then else [])])

    def when_drawn(self: PagedList, lists: list[PagedList], calls: list[Callable[[], None]],
                   tries: int = 20) -> None:
        """Make ``calls`` once a frame has drawn one of ``lists`` (tried after each refresh, ``tries``
        times at most: a refresh may come before the lists have asked for theirs)."""
        drawn = [paged.frames for paged in lists]

        def check(left: int) -> None:
            if left and all(paged.frames == n for paged, n in zip(lists, drawn, strict=True)):
                self.call_after_refresh(check, left - 1)
                return
            for call in calls:
                call()

        self.call_after_refresh(check, tries)
