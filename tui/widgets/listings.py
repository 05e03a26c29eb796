"""What each pane lists: actors, stories, sentences, claims, co-occurring actors, participants.

Each listing is a frozen dataclass holding its filter; it counts and fetches through qexplore.db
(on the PagedList's worker thread), draws a row as a few lines of inert rich Text, names the export
record and says which screen Enter opens.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import asdict, dataclass
from typing import Any

from rich.style import Style
from rich.text import Text
from sqlite_utils import Database

from qexplore.db import browse, browse_detail
from qexplore.db.browse import ActorItem, Filter, SentenceItem, StoryItem, Total
from qexplore.db.browse_detail import ActorRef, ClaimItem, CoActor, Participant
from qexplore.tui.messages import Open
from qexplore.tui.render import clean, fields, layout, safe_text, show_date, styled, visual_text
from qexplore.tui.widgets.paged import Look

ENTITY = {"PER": "per", "ORG": "org", "LOC": "loc", "MISC": "misc"}


def arabic(text: str | None, look: Look, style: str | Style = "", width: int | None = None) -> Text:
    """A short Arabic field (a name) for one line: cut in logical order, then reordered in visual mode."""
    shown = safe_text(text, style)
    if width is not None and shown.cell_len > width:
        shown.truncate(max(1, width), overflow="ellipsis")
    return visual_text(shown) if look.mode == "visual" else shown


def row(left: Text, right: str | None, width: int, look: Look, style: str | Style = "",
        keep: int = 8) -> Text:
    """One line: ``left`` then the Arabic ``right`` at the right edge; ``left`` gives way first,
    down to ``keep`` cells."""
    name = safe_text(right)
    want = min(name.cell_len, max(4, width - min(left.cell_len, keep) - 1))
    if left.cell_len > width - want - 1:
        left.truncate(max(0, width - want - 1), overflow="ellipsis")
    shown = arabic(right, look, style, width - left.cell_len - 1)
    return left + Text(" " * max(1, width - left.cell_len - shown.cell_len)) + shown


def sentence_text(item: SentenceItem, look: Look) -> Text:
    """The sentence with entities coloured by type and matches emphasised."""
    spans = [(m.start, m.end, look.style(ENTITY.get(m.type, "misc"))) for m in item.mentions]
    spans += [(s.start, s.end, look.style("match")) for s in item.matches]
    return styled(item.text, spans)


def actor_line(ref: ActorRef | ActorItem, count: int | str, width: int, look: Look) -> Text:
    """``TYPE  count  English name ... Arabic name`` on one line."""
    left = Text.assemble((f"{ref.type:<4}", look.style(ENTITY.get(ref.type, "misc"))),
                         (f"{count:>5}  ", look.style("meta")), safe_text(ref.name_en or ""))
    return row(left, ref.name_ar, width, look, Style(bold=True), keep=14)


@dataclass(frozen=True)
class Actors:
    """The Actors pane: actors for a query and type, most relevant first."""

    flt: Filter
    kind: str = "actors"
    height: int = 1
    noted: bool = True  # its count may say it comes from the newest matches only

    def count(self, db: Database) -> Total:
        return browse.actors_total(db, self.flt)

    def count_now(self, db: Database) -> Total:
        """The page ranked every actor of the list (kept for the connection): counting is free."""
        return browse.actors_total(db, self.flt)

    def fetch(self, db: Database, offset: int, limit: int) -> Sequence[Any]:
        return browse.actors_page(db, self.flt, limit, offset)

    def render(self, item: ActorItem, width: int, look: Look) -> list[Text]:
        return [actor_line(item, item.mentions, width, look)]

    def record(self, item: ActorItem) -> dict[str, Any]:
        return asdict(item)

    def target(self, item: ActorItem) -> Open | None:
        return Open("actor", item.id, label=clean(item.name_en or item.name_ar))

    def copy_text(self, item: ActorItem) -> str | None:
        return item.name_ar

    def is_match(self, item: ActorItem) -> bool:
        """An actor the search names (not one merely found beside its words)."""
        return item.named


@dataclass(frozen=True)
class Stories:
    """The Events pane: stories on a timeline, filtered by actor and query."""

    flt: Filter
    kind: str = "events"
    height: int = 2
    noted: bool = True  # its count may say it comes from the newest matches only

    def count(self, db: Database) -> Total:
        return browse.stories_total(db, self.flt)

    def count_now(self, db: Database) -> Total | None:
        """A search's stories were gathered for the page (kept for the connection): counting them
        is a look-up of their ids. Filtered by an actor, the count may scan: later."""
        return browse.stories_total(db, self.flt) if self.flt.actor_id is None else None

    def fetch(self, db: Database, offset: int, limit: int) -> Sequence[Any]:
        return browse.stories_page(db, self.flt, limit, offset)

    def render(self, item: StoryItem, width: int, look: Look) -> list[Text]:
        date = show_date(item.date, item.date_precision)
        head = Text.assemble((f"{date:<11} ", look.style("meta")), (f"{item.type:<14}", Style(bold=True)),
                             (f"{item.articles} art · {item.sources} src ", look.style("meta")))
        line1 = row(head, item.place, width, look, look.style("loc"), keep=30)
        who = item.participants or "—"
        return [line1, layout(safe_text(who), width, look.mode, max_lines=1)[0]]

    def record(self, item: StoryItem) -> dict[str, Any]:
        return asdict(item)

    def target(self, item: StoryItem) -> Open | None:
        return Open("story", item.id, label=f"{item.type} {show_date(item.date)}")

    def copy_text(self, item: StoryItem) -> str | None:
        return f"{item.type} {show_date(item.date)} {item.place or ''} {item.participants}".strip()


@dataclass(frozen=True)
class Sentences:
    """The Sentences pane: source sentences for a search, an actor or a story."""

    flt: Filter
    kind: str = "sentences"
    height: int = 3

    def count(self, db: Database) -> Total:
        return browse.sentences_total(db, self.flt)

    def count_now(self, db: Database) -> Total | None:
        """A plain search counted its matches to page them (kept for the connection); other
        filters count on their own: later."""
        return browse.sentences_total(db, self.flt) if browse.plain_search(self.flt) else None

    def fetch(self, db: Database, offset: int, limit: int) -> Sequence[Any]:
        return browse.sentences_page(db, self.flt, limit, offset)

    def render(self, item: SentenceItem, width: int, look: Look) -> list[Text]:
        meta = fields([item.file, item.outlet, item.published, f"#{item.seq} {item.kind}"], look.mode)
        body = layout(sentence_text(item, look), width, look.mode, max_lines=self.height - 1)
        return [Text(meta, style=look.style("meta")), *body]

    def record(self, item: SentenceItem) -> dict[str, Any]:
        return {"id": item.id, "file": item.file, "outlet": item.outlet, "published": item.published,
                "seq": item.seq, "kind": item.kind, "text": item.text}

    def target(self, item: SentenceItem) -> Open | None:
        return Open("article", item.article_id, sentence_id=item.id, label=clean(item.file))

    def copy_text(self, item: SentenceItem) -> str | None:
        return item.text

    def is_match(self, item: SentenceItem) -> bool:
        """A sentence in which the search is highlighted; with an actor and no search, every sentence
        (each names the actor, even where its mention was not found again)."""
        return bool(item.matches) or (self.flt.actor_id is not None and not self.flt.query.strip())


@dataclass(frozen=True)
class Claims:
    """Claims by an actor, about one, or in a story's sentences."""

    by: int | None = None
    about: int | None = None
    story: int | None = None
    kind: str = "claims"
    height: int = 2

    def count(self, db: Database) -> int:
        return browse_detail.count_claims(db, by=self.by, about=self.about, story=self.story)

    def fetch(self, db: Database, offset: int, limit: int) -> Sequence[Any]:
        return browse_detail.claims_page(db, by=self.by, about=self.about, story=self.story,
                                         limit=limit, offset=offset)

    def render(self, item: ClaimItem, width: int, look: Look) -> list[Text]:
        tag = "declines comment" if item.kind == "no_comment" else (item.anonymity or "")
        head = Text.assemble((f"{tag:<11} ", look.style("meta")),
                             (fields([item.file, item.outlet], look.mode), look.style("meta")))
        line1 = row(head, item.speaker, width, look, Style(bold=True), keep=12)
        return [line1, layout(safe_text(item.content), width, look.mode, max_lines=1)[0]]

    def record(self, item: ClaimItem) -> dict[str, Any]:
        return asdict(item)

    def target(self, item: ClaimItem) -> Open | None:
        return Open("claim", item.id, label=f"claim {item.id}")

    def copy_text(self, item: ClaimItem) -> str | None:
        return item.content


@dataclass(frozen=True)
class CoActors:
    """The actors named in the same sentences as one actor."""

    actor_id: int
    kind: str = "co-actors"
    height: int = 1

    def count(self, db: Database) -> int:
        return browse_detail.count_co_actors(db, self.actor_id)

    def fetch(self, db: Database, offset: int, limit: int) -> Sequence[Any]:
        return browse_detail.co_actors_page(db, self.actor_id, limit, offset)

    def render(self, item: CoActor, width: int, look: Look) -> list[Text]:
        return [actor_line(item.actor, item.sentences, width, look)]

    def record(self, item: CoActor) -> dict[str, Any]:
        return {**asdict(item.actor), "sentences": item.sentences}

    def target(self, item: CoActor) -> Open | None:
        return Open("actor", item.actor.id, label=clean(item.actor.name_en or item.actor.name_ar))

    def copy_text(self, item: CoActor) -> str | None:
        return item.actor.name_ar


@dataclass(frozen=True)
class Fixed:
    """A short list known in advance (participants, the actors of a claim): no paging needed."""

    items: tuple[Participant, ...]
    kind: str = "participants"
    height: int = 1

    def count(self, db: Database) -> int:
        return len(self.items)

    def fetch(self, db: Database, offset: int, limit: int) -> Sequence[Any]:
        return self.items[offset:offset + limit]

    def render(self, item: Participant, width: int, look: Look) -> list[Text]:
        return [actor_line(item.actor, item.role, width, look)]

    def record(self, item: Participant) -> dict[str, Any]:
        return {**asdict(item.actor), "role": item.role}

    def target(self, item: Participant) -> Open | None:
        return Open("actor", item.actor.id, label=clean(item.actor.name_en or item.actor.name_ar))

    def copy_text(self, item: Participant) -> str | None:
        return item.actor.name_ar


@dataclass(frozen=True)
class OneSentence:
    """A single sentence already loaded (a claim's), drawn with room for all of it."""

    item: SentenceItem
    kind: str = "sentence"
    height: int = 8

    def count(self, db: Database) -> int:
        return 1

    def fetch(self, db: Database, offset: int, limit: int) -> Sequence[Any]:
        return [self.item][offset:offset + limit]

    def render(self, item: SentenceItem, width: int, look: Look) -> list[Text]:
        return Sentences(Filter(), height=self.height).render(item, width, look)

    def record(self, item: SentenceItem) -> dict[str, Any]:
        return Sentences(Filter()).record(item)

    def target(self, item: SentenceItem) -> Open | None:
        return Sentences(Filter()).target(item)

    def copy_text(self, item: SentenceItem) -> str | None:
        return item.text
