"""The command palette's provider: jump to an actor, an event or an article; change settings."""

from __future__ import annotations

import asyncio
from collections.abc import Callable
from functools import partial
from typing import Any

from rich.text import Text
from textual.command import DiscoveryHit, Hit, Hits, Provider

from qexplore.db.browse import Filter, actors_page, stories_page
from qexplore.db.browse_detail import find_articles
from qexplore.tui.messages import Open
from qexplore.tui.render import clean, show_date

SETTINGS = (
    ("Bidi: visual layout", "Reorder Arabic for terminals without bidi", "visual"),
    ("Bidi: logical order", "Leave Arabic to a terminal that does bidi", "logical"),
    ("Bidi: auto", "Visual unless the terminal is known to do bidi", "auto"),
)


class QexploreCommands(Provider):
    """Actors, events and articles matching what is typed (Arabic or Latin), and the bidi setting."""

    def _lookup(self, text: str) -> list[tuple[str, str, Open]]:
        found: list[tuple[str, str, Open]] = []
        prepared = self.app.prepare_query(text)  # type: ignore[attr-defined]
        with self.app.reader() as db:  # type: ignore[attr-defined]
            for a in actors_page(db, Filter(prepared.query, prepared=prepared), limit=8):
                label = clean(a.name_en or a.name_ar)
                found.append((f"Actor: {clean(a.name_ar)} {clean(a.name_en or '')}",
                              f"{a.type}, {a.mentions} mentions", Open("actor", a.id, label=label)))
            for s in stories_page(db, Filter(prepared.query, prepared=prepared), limit=5):
                label = f"{s.type} {show_date(s.date)}"
                found.append((f"Event: {label} {clean(s.participants)}", f"{s.articles} articles",
                               Open("story", s.id, label=label)))
            for aid, file, title in find_articles(db, text, limit=5):
                found.append((f"Article: {clean(file)} {clean(title or '')}", "read the article",
                              Open("article", aid, label=clean(file))))
        return found

    def _open(self, target: Open) -> None:
        self.app.post_message(target)

    def _bidi(self, mode: str) -> Callable[[], Any]:
        return partial(self.app.set_bidi, mode)  # type: ignore[attr-defined]

    async def discover(self) -> Hits:
        for title, help_text, mode in SETTINGS:
            yield DiscoveryHit(title, self._bidi(mode), help=help_text)

    async def search(self, query: str) -> Hits:
        matcher = self.matcher(query)
        for title, help_text, mode in SETTINGS:
            score = matcher.match(title)
            if score > 0:
                yield Hit(score, matcher.highlight(title), self._bidi(mode), help=help_text)
        if len(query.strip()) < 2:
            return
        for title, help_text, target in await asyncio.to_thread(self._lookup, query):
            score = max(matcher.match(title), 0.5)
            yield Hit(score, Text(title), partial(self._open, target), help=help_text)
