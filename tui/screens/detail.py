"""Actor, event (story) and claim screens: a field panel over numbered lists that drill down."""

from __future__ import annotations

from dataclasses import dataclass, replace
from typing import Any, ClassVar

from textual import work
from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.message import Message
from textual.widgets import Footer

from qexplore.db.browse import Filter
from qexplore.db.browse_detail import (
    ActorDetail,
    ActorRef,
    ClaimDetail,
    NotFound,
    Participant,
    StoryDetail,
    actor_detail,
    claim_detail,
    story_detail,
)
from qexplore.tui.messages import Open
from qexplore.tui.render import clean, show_date
from qexplore.tui.screens.base import SectionScreen
from qexplore.tui.widgets.bars import Breadcrumb, InfoPanel
from qexplore.tui.widgets.listings import Claims, CoActors, Fixed, OneSentence, Sentences, Stories


def _name(ref: ActorRef | None) -> str:
    if ref is None:
        return ""
    return f"{ref.name_ar} ({ref.name_en})" if ref.name_en else ref.name_ar


class DetailScreen(SectionScreen):
    """Loads one record on a worker, then fills the panel and the lists."""

    @dataclass
    class Fetched(Message):
        """The record arrived from the database (or could not be found)."""

        record: Any
        error: str | None = None

    def __init__(self, record_id: int, label: str = "") -> None:
        super().__init__()
        self.record_id = record_id
        self.crumb = label or f"#{record_id}"

    def compose(self) -> ComposeResult:
        yield Breadcrumb(id="crumbs")
        yield InfoPanel(id="info")
        yield self.sections()
        yield Footer(compact=True, show_command_palette=False)

    def on_mount(self) -> None:
        self.update_breadcrumb()
        self.load()

    def fetch(self, db: Any) -> Any:
        """Return the record (runs on the worker thread)."""
        raise NotImplementedError

    @work(thread=True, exclusive=True, exit_on_error=False, group="detail")
    def load(self) -> None:
        """Read the record on a worker thread."""
        try:
            with self.app.reader() as db:  # type: ignore[attr-defined]
                self.post_message(self.Fetched(self.fetch(db)))
        except NotFound as exc:
            self.post_message(self.Fetched(None, str(exc)))

    def on_detail_screen_fetched(self, message: DetailScreen.Fetched) -> None:
        if message.record is None:
            self.notify(clean(message.error or "not found"), severity="error")
            return
        self.fill_record(message.record)
        self.action_pick(0)

    def fill_record(self, record: Any) -> None:
        """Show the record in the panel and give each section its list."""
        raise NotImplementedError


class ActorScreen(DetailScreen):
    """An actor: names, description, events, claims by and about it, companions, sentences."""

    SECTIONS = ("Events", "Claims by", "Claims about", "With", "Sentences")

    def fetch(self, db: Any) -> ActorDetail:
        return actor_detail(db, self.record_id)

    def fill_record(self, record: ActorDetail) -> None:
        actor = record.actor
        self.query_one(InfoPanel).rows = (
            ("Actor", f"{actor.name_ar}"),
            ("English", f"{actor.name_en or '—'} · {actor.type} · {record.origin}"),
            ("Also", "، ".join(record.aliases) or "—"),
            ("About", record.description or "—"),
            ("Counts", f"{record.mentions} mentions in {record.articles} articles · "
                       f"{record.claims_by} claims by · {record.claims_about} about"),
        )
        self.fill(0, Stories(Filter(actor_id=actor.id)))
        self.fill(1, Claims(by=actor.id))
        self.fill(2, Claims(about=actor.id))
        self.fill(3, CoActors(actor.id))
        self.fill(4, Sentences(Filter(actor_id=actor.id)))


class StoryScreen(DetailScreen):
    """A story: type, date and basis, place, participants, evidence from every article, outlets."""

    SECTIONS = ("Evidence", "Participants", "Claims")

    def fetch(self, db: Any) -> StoryDetail:
        return story_detail(db, self.record_id)

    def fill_record(self, record: StoryDetail) -> None:
        date = show_date(record.date)
        notes = [record.date_precision, "year unknown" if (record.date or "").startswith("--") else None,
                 record.date_basis]
        if record.date and any(notes):
            date += f" ({', '.join(n for n in notes if n)})"
        roles: dict[str, list[str]] = {}
        for p in record.participants:
            roles.setdefault(p.role, []).append(p.actor.name_ar)
        self.query_one(InfoPanel).rows = (
            ("Event", f"{record.type} · {date}"),
            ("Place", _name(record.place) or "—"),
            *((role, "، ".join(names)) for role, names in roles.items()),
            ("Outlets", " · ".join(f"{o} ({n})" for o, n in record.outlets) or "—"),
            ("Sources", f"{record.articles} articles · {record.sources} original sources"
                        + (": " + " · ".join(record.original_sources) if record.original_sources else "")),
        )
        self.fill(0, Sentences(Filter(story_id=record.id)))
        self.fill(1, Fixed(record.participants))
        self.fill(2, Claims(story=record.id))


class ClaimScreen(DetailScreen):
    """A claim: speaker, anonymity, outlet, relay chain, content, sentence; its actors drill down."""

    SECTIONS = ("Sentence", "Actors")
    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("a", "article", "Article", id="claim.article", tooltip="Read the article of this claim"),
    ]

    def fetch(self, db: Any) -> ClaimDetail:
        return claim_detail(db, self.record_id)

    def fill_record(self, record: ClaimDetail) -> None:
        self.record = record
        via = " ← ".join(text if ref is None else ref.name_ar for text, ref in record.via)
        speaker = _name(record.speaker) or record.speaker_text or "—"
        self.query_one(InfoPanel).rows = (
            ("Speaker", speaker),
            ("Anonymity", f"{record.anonymity or '—'}{' · plural' if record.plural else ''}"
                          f"{' · ' + record.descriptor if record.descriptor else ''}"),
            ("Outlet", record.outlet or "—"),
            ("Via", via or "—"),
            ("Cue", f"{record.cue} · {record.quote_type or record.kind}"),
            ("Content", record.content or "—"),
        )
        shown = replace(record.sentence, matches=tuple(span for _, span in record.spans))
        self.fill(0, OneSentence(shown))
        people = [Participant(record.speaker, "speaker")] if record.speaker else []
        people += [Participant(ref, "via") for _, ref in record.via if ref is not None]
        people += [Participant(ref, "about") for ref in record.about]
        self.fill(1, Fixed(tuple(people), kind="claim-actors"))

    def action_article(self) -> None:
        record = getattr(self, "record", None)
        if record is not None:
            s = record.sentence
            self.post_message(Open("article", s.article_id, sentence_id=s.id, label=clean(s.file)))
