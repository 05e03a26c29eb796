"""The main screen's three panes; the screen reloads them with the query it prepared once."""

from __future__ import annotations

from qexplore.db.browse import Filter, Prepared
from qexplore.tui.widgets.listings import Actors, Sentences, Stories
from qexplore.tui.widgets.paged import Batch, Job, PagedList

TYPES = ("", "PER", "ORG", "LOC", "MISC")


class ActorsPane(PagedList):
    """Actors named by the search (or all), filterable by type."""

    def reload(self, prepared: Prepared, kind: str, batch: Batch | None = None,
               lane: list[Job] | None = None) -> None:
        """Show the actors for the prepared query and the type (the old rows until the new come)."""
        flt = Filter(prepared.query, kind=kind or None, prepared=prepared)
        self.show(Actors(flt), keep=True, batch=batch, lane=lane)


class EventsPane(PagedList):
    """The timeline of stories for the search and the selected actor."""

    def reload(self, prepared: Prepared, actor_id: int | None, batch: Batch | None = None,
               lane: list[Job] | None = None) -> None:
        """Show the stories for the prepared query and the actor (the old rows until the new come)."""
        flt = Filter(prepared.query, actor_id, prepared=prepared)
        self.show(Stories(flt), keep=True, batch=batch, lane=lane)


class SentencesPane(PagedList):
    """The source sentences for the search and the selected actor."""

    def reload(self, prepared: Prepared, actor_id: int | None, batch: Batch | None = None,
               lane: list[Job] | None = None) -> None:
        """Show the sentences for the prepared query and the actor (the old rows until the new come)."""
        flt = Filter(prepared.query, actor_id, prepared=prepared)
        self.show(Sentences(flt), keep=True, batch=batch, lane=lane)
