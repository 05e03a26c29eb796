"""The main screen's three panes; each reloads itself when the screen's shared state changes."""

from __future__ import annotations

from textual.reactive import reactive

from qexplore.db.browse import Filter
from qexplore.tui.widgets.listings import Actors, Sentences, Stories
from qexplore.tui.widgets.paged import PagedList

TYPES = ("", "PER", "ORG", "LOC", "MISC")


class ActorsPane(PagedList):
    """Actors named by the search (or all), filterable by type."""

    terms: reactive[str] = reactive("", init=False)
    kind: reactive[str] = reactive("", init=False)

    def reload(self) -> None:
        """Show the actors for the current query and type."""
        self.show(Actors(Filter(self.terms, kind=self.kind or None)))
        self.border_title = f"1 Actors{' · ' + self.kind if self.kind else ''}"

    def watch_terms(self) -> None:
        self.reload()

    def watch_kind(self) -> None:
        self.reload()


class EventsPane(PagedList):
    """The timeline of stories for the search and the selected actor."""

    terms: reactive[str] = reactive("", init=False)
    actor_id: reactive[int | None] = reactive(None, init=False)

    def reload(self) -> None:
        """Show the stories for the current query and actor."""
        self.show(Stories(Filter(self.terms, self.actor_id)))

    def watch_terms(self) -> None:
        self.reload()

    def watch_actor_id(self) -> None:
        self.reload()


class SentencesPane(PagedList):
    """The source sentences for the search and the selected actor."""

    terms: reactive[str] = reactive("", init=False)
    actor_id: reactive[int | None] = reactive(None, init=False)

    def reload(self) -> None:
        """Show the sentences for the current query and actor."""
        self.show(Sentences(Filter(self.terms, self.actor_id)))

    def watch_terms(self) -> None:
        self.reload()

    def watch_actor_id(self) -> None:
        self.reload()
