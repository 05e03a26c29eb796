"""The main screen's three panes; the screen reloads them with the query it prepared once."""

from __future__ import annotations

from qexplore.db.browse import Filter, Prepared
from qexplore.tui.widgets.listings import Actors, Sentences, Stories
from qexplore.tui.widgets.paged import PagedList

TYPES = ("", "PER", "ORG", "LOC", "MISC")


class ActorsPane(PagedList):
    """Actors named by the search (or all), filterable by type."""

    def reload(self, prepared: Prepared, kind: str) -> None:
        """Show the actors for the prepared query and the type."""
        self.show(Actors(Filter(prepared.query, kind=kind or None, prepared=prepared)))
        self.border_title = f"1 Actors{' · ' + kind if kind else ''}"


class EventsPane(PagedList):
    """The timeline of stories for the search and the selected actor."""

    def reload(self, prepared: Prepared, actor_id: int | None) -> None:
        """Show the stories for the prepared query and the actor."""
        self.show(Stories(Filter(prepared.query, actor_id, prepared=prepared)))


class SentencesPane(PagedList):
    """The source sentences for the search and the selected actor."""

    def reload(self, prepared: Prepared, actor_id: int | None) -> None:
        """Show the sentences for the prepared query and the actor."""
        self.show(Sentences(Filter(prepared.query, actor_id, prepared=prepared)))
