"""Dating events: the date nearest the trigger, continuations of a dated story, one trip's dates, and
the opt-in article month. Used by events.extract_events; the rules are described there."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import replace
from datetime import date, timedelta
from typing import TYPE_CHECKING

from qexplore.db.arabic import normalize
from qexplore.db.extract import event_rules as R
from qexplore.db.extract.dates import FoundDate, Reference, parse_date
from qexplore.db.models import Mention, Sentence

if TYPE_CHECKING:
    from qexplore.db.extract.events import Event

_LOOKBACK = 4  # sentences a continuation phrase («في اليوم التالي») may reach back over


def nearest_date(where: int, dates: list[FoundDate]) -> FoundDate | None:
    """Return the date of ``dates`` nearest the offset ``where`` (within 120 characters), else None."""
    scored = [(min(abs(d.start - where), abs(d.end - where)), d) for d in dates]
    near = [sd for sd in scored if sd[0] <= 120]
    return min(near, key=lambda sd: sd[0])[1] if near else None


def _shift_day(value: str, days: int) -> str:
    return (date.fromisoformat(value) + timedelta(days=days)).isoformat()


def _continued(ev: Event, prev: Event | None, text: str) -> Event:
    """Date an undated event from the previous dated one when its sentence opens as a continuation."""
    if ev.date is not None or prev is None or prev.date is None:
        return ev
    norm = normalize(text)
    if R.NEXT_DAY.match(norm) and prev.date_precision == "day" and not prev.date.startswith("-"):
        return replace(ev, date=_shift_day(prev.date, 1), date_precision="day", date_basis="relative")
    if R.SAME_DAY.match(norm):
        return replace(ev, date=prev.date, date_precision=prev.date_precision, date_basis="inferred")
    return ev


def carry(events: list[Event], sentences: dict[int, Sentence]) -> list[Event]:
    """Date undated events whose sentence continues the story of a recent dated one."""
    out: list[Event] = []
    for ev in events:
        recent = [e for e in out if e.date is not None and 0 < ev.sentence_seq - e.sentence_seq <= _LOOKBACK]
        days = [e for e in recent if e.date_precision == "day"]
        text = normalize(sentences[ev.sentence_seq].text)
        prev = days[-1] if days and R.NEXT_DAY.match(text) else recent[-1] if recent else None
        out.append(_continued(ev, prev, sentences[ev.sentence_seq].text))
    return out


def same_trip(events: list[Event], mentions: Sequence[Mention]) -> list[Event]:
    """An undated visit takes the date of a meeting its agent held in the next or previous sentence."""
    out = list(events)
    for i, ev in enumerate(out):
        if ev.date is not None or ev.type not in ("visit", "meeting"):
            continue
        other = "meeting" if ev.type == "visit" else "visit"
        agents = {mention_key(mentions[k]) for k, r in ev.participants if r == "agent"}
        for e in out:
            near = abs(e.sentence_seq - ev.sentence_seq) == 1 and e.type == other and e.date is not None
            if near and agents & {mention_key(mentions[k]) for k, r in e.participants if r == "agent"}:
                out[i] = replace(ev, date=e.date, date_precision=e.date_precision, date_basis="inferred",
                                 date_text=e.date_text)  # fmt: skip
                break
    return out


def _reference_month(reference: Reference) -> FoundDate | None:
    found = (
        reference if isinstance(reference, FoundDate) else parse_date(str(reference)) if reference else None
    )
    # a date object prints as ISO, so str() covers it
    if found is None or found.precision == "year" or found.value.startswith("-"):
        return None
    return FoundDate(found.value[:7], "month", "inferred")


def from_reference(events: list[Event], undated_seqs: set[int], reference: Reference) -> list[Event]:
    """Opt-in: an event in a sentence with no date at all takes the article's month (basis inferred)."""
    month = _reference_month(reference)
    if month is None:
        return events
    return [replace(e, date=month.value, date_precision="month", date_basis="inferred")
            if e.date is None and e.sentence_seq in undated_seqs else e for e in events]  # fmt: skip


def mention_key(mention: Mention) -> str:
    """The key two mentions of one actor share: its gazetteer id, else its normalised surface."""
    return mention.gid or normalize(mention.surface)
