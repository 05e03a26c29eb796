"""Dating events. events.extract_events finds each trigger's date in its sentence (nearest_date), then
dates undated events from the story around them (carry, same_trip, then event_story.story_dates once
merged).

Decisions (each one pinned by tests/test_event_dates.py or tests/test_events.py):

* Own sentence (nearest_date): the date nearest the trigger, within 120 characters, and
  - never across a full stop (. ! ?): a photo caption's trailing "2 فبراير 2024 - AFP" dates the photo,
    not an attack named in a relative clause before the stop;
  - a frame (a date right after خلال، طوال، طيلة، منذ، على مدى/مدار: «خلال العام الحالي»، «منذ 4 فبراير»)
    gives a period, not the event's time: a point date in reach wins, and a frame dates the event only
    from its own clause (no comma between);
  - a year glued to ل («الاتفاق النووي لعام 2015») modifies the noun before it: it dates only a
    trigger among the three words before it;
  - a planned event (من المقرر أن، من المتوقع أن، يعتزم، ينوي، سوف before the trigger) takes only a date
    after the trigger in its own clause: «وصل مساء الثلاثاء ... ومن المقرر أن يتجه إلى دمشق» is undated.
* Continuations (carry): «في اليوم التالي» adds a day to the latest day-precise event up to four
  sentences back, «في ذلك اليوم/حينها» keeps its date.
* One trip (same_trip before merging, trips after it): an undated visit or meeting takes the date of a
  dated visit or meeting in the next or previous sentence (of its evidence) that shares its agent, or
  that is a visit to the place where the meeting is held («زار سورية الأسبوع الماضي ... التقى في
  سورية»): basis "inferred".
* Same occasion: a sentence opening with a reporting continuation (وأوضح، وأضاف، وتابع، واستطرد) goes on
  with the previous sentence's occasion: an undated event in it that shares a participant with a
  dated event of the previous sentence takes that date (basis "inferred").
* Ongoing, main story and the opt-in article month: see event_story.py, whose story_dates runs all
  the post-merge rules.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import replace
from datetime import date, timedelta
from typing import TYPE_CHECKING

from qexplore.db.arabic import normalize
from qexplore.db.extract import event_rules as R
from qexplore.db.extract.dates import FoundDate
from qexplore.db.models import Mention, Sentence

if TYPE_CHECKING:
    from qexplore.db.extract.events import Event

_LOOKBACK = 4  # sentences a continuation phrase («في اليوم التالي») may reach back over
_REACH = 120  # characters between a trigger and the date it takes
_STOP = re.compile(r"[.!?؟](?=\s|$)")
_COMMA = re.compile(r"[,،؛;]")
_FRAME = re.compile(r"(?<!\w)[وف]?(?:خلال|طوال|طيلة|منذ|علي\s+(?:مدي|مدار))\s*$")
_PLAN = re.compile(
    r"(?<!\w)[وف]?(?:من\s+المقرر|من\s+المنتظر|من\s+المتوقع|[يت]عتزم\w*|[يت]نوي|[يت]زمع|سوف)(?!\w)"
)
_CONTINUES = re.compile(r"^\W*و(?:قد\s+)?(?:اوضح|اضاف|تابع|استطرد|اردف)(?:ت|وا)?(?!\w)")
_CREDIT = re.compile(r"^[^.!?؟]*$")
_HEAD_WORDS = 8  # a caption's head: the words before its first event's relative clauses
_ANAPHOR = re.compile(r"(?:هذا|هذه|ذلك|تلك)\s*$")
_REACTION = re.compile(  # condemn, denounce, welcome, blame (ألقى باللوم)
    r"^[وف]?(?:ادان|[يت]دين|ندد|[يت]ندد|استنكر|[يت]ستنكر|شجب|[يت]شجب|رحب|[يت]رحب|القي|[يت]لقي)"
)


def _between(text: str, a: int, b: int) -> str:
    return text[min(a, b) : max(a, b)]


def _is_frame(text: str, d: FoundDate) -> bool:
    return bool(_FRAME.search(normalize(text[max(0, d.start - 16) : d.start])))


def _bound(text: str, where: int, d: FoundDate) -> bool:
    """False for «الاتفاق النووي لعام 2015» seen from a trigger further off: a year glued to ل is a
    modifier of the noun right before it and dates only a trigger among the three words before it."""
    if d.start < 2 or text[d.start - 1] != "ل" or not text[d.start - 2].isspace():
        return True
    return where < d.start and len(text[where : d.start].split()) <= 3


def _planned(text: str, where: int) -> bool:
    """True when a plan word stands before the trigger in its own clause («ومن المقرر أن يتجه»)."""
    head = text[max(0, where - 40) : where]
    clause = _COMMA.split(head)[-1]
    return bool(_PLAN.search(normalize(clause)))


def _reachable(text: str, where: int, d: FoundDate) -> bool:
    """No full stop between the trigger and the date, except a caption's trailing date («... . 2
    فبراير 2024 - AFP»), which dates the scene its head names (the first words) and nothing later."""
    if not _STOP.search(_between(text, where, d.start)):
        return True
    tail = _CREDIT.match(text[d.start :]) is not None and d.start > where
    return tail and len(text[:where].split()) < _HEAD_WORDS


def nearest_date(where: int, dates: list[FoundDate], text: str = "") -> FoundDate | None:
    """Return the date of ``dates`` that dates the trigger at offset ``where`` (within 120 characters).

    With the sentence ``text`` (offsets of ``where`` and ``dates`` index it) the module's clause rules
    apply: no date across a full stop, frames yield to point dates, a planned event looks only ahead.
    """
    scored = [(min(abs(d.start - where), abs(d.end - where)), d) for d in dates]
    near = [sd for sd in scored if sd[0] <= _REACH]
    if text:
        near = [sd for sd in near if _reachable(text, where, sd[1]) and _bound(text, where, sd[1])]
        if _planned(text, where):
            near = [sd for sd in near
                    if sd[1].start >= where and not _COMMA.search(text[where : sd[1].start])]  # fmt: skip
        points = [sd for sd in near if not _is_frame(text, sd[1])]
        near = points or [sd for sd in near if not _COMMA.search(_between(text, where, sd[1].start))]
    return min(near, key=lambda sd: sd[0])[1] if near else None


def _shift_day(value: str, days: int) -> str:
    return (date.fromisoformat(value) + timedelta(days=days)).isoformat()


def _dated_as(ev: Event, other: Event, basis: str = "inferred") -> Event:
    return replace(ev, date=other.date, date_precision=other.date_precision, date_basis=basis,
                   date_text=other.date_text)  # fmt: skip


def _continued(ev: Event, prev: Event | None, text: str) -> Event:
    """Date an undated event from the previous dated one when its sentence opens as a continuation."""
    if ev.date is not None or prev is None or prev.date is None:
        return ev
    norm = normalize(text)
    nxt = R.NEXT_DAY.match(norm)
    if nxt and prev.date_precision == "day" and not prev.date.startswith("-"):
        return replace(ev, date=_shift_day(prev.date, 1), date_precision="day", date_basis="relative",
                       date_text=nxt[0].strip(" \t\n\"«"))  # fmt: skip
    if R.SAME_DAY.match(norm):
        return _dated_as(ev, prev)
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


def event_keys(ev: Event, mentions: Sequence[Mention], roles: tuple[str, ...] = ()) -> set[str]:
    return {mention_key(mentions[k]) for k, r in ev.participants if not roles or r in roles}


def _place_key(ev: Event, mentions: Sequence[Mention]) -> str | None:
    return mention_key(mentions[ev.place]) if ev.place is not None else None


def same_trip(events: list[Event], mentions: Sequence[Mention]) -> list[Event]:
    """An undated visit takes the date of a meeting its agent held in the next or previous sentence."""
    out = list(events)
    for i, ev in enumerate(out):
        if ev.date is not None or ev.type not in ("visit", "meeting"):
            continue
        other = "meeting" if ev.type == "visit" else "visit"
        agents = event_keys(ev, mentions, ("agent",))
        for e in out:
            near = abs(e.sentence_seq - ev.sentence_seq) == 1 and e.type == other and e.date is not None
            if near and agents & event_keys(e, mentions, ("agent",)):
                out[i] = _dated_as(ev, e)
                break
    return out


def _one_trip(ev: Event, e: Event, mentions: Sequence[Mention]) -> bool:
    """True when dated ``e`` is the same trip as undated ``ev``: adjacent sentences, a shared agent or
    a visit to the place where the meeting is held."""
    if e.date is None or e.type not in ("visit", "meeting") or e is ev:
        return False
    if min(abs(a - b) for a in ev.evidence for b in e.evidence) > 1:
        return False
    if event_keys(ev, mentions, ("agent",)) & event_keys(e, mentions, ("agent",)):
        return True
    place = _place_key(ev, mentions)
    return place is not None and e.type == "visit" and place == _place_key(e, mentions)


def trips(events: list[Event], mentions: Sequence[Mention]) -> list[Event]:
    """After merging: an undated visit or meeting takes the date of the same trip's dated visit or
    meeting in an adjacent sentence of its evidence (basis "inferred")."""
    out = list(events)
    for i, ev in enumerate(out):
        if ev.date is None and ev.type in ("visit", "meeting"):
            e = next((e for e in events if _one_trip(ev, e, mentions)), None)
            out[i] = _dated_as(ev, e) if e is not None else ev
    return out


def same_occasion(
    events: list[Event], sentences: dict[int, Sentence], mentions: Sequence[Mention]
) -> list[Event]:
    """An undated event in a sentence opening «وأوضح/وأضاف ...» takes the date of a dated event of the
    previous sentence that shares one of its participants (basis "inferred")."""
    out = list(events)
    for i, ev in enumerate(out):
        s = sentences.get(ev.sentence_seq)
        if ev.date is not None or s is None or not _CONTINUES.match(normalize(s.text)):
            continue
        mine = event_keys(ev, mentions)
        prev = [e for e in events if e.date is not None and ev.sentence_seq - 1 in e.evidence
                and mine & event_keys(e, mentions)]  # fmt: skip
        if prev:
            out[i] = _dated_as(ev, prev[-1])
    return out


def _anaphor(ev: Event, s: Sentence) -> bool:
    at = ev.trigger_start - s.start
    return bool(_ANAPHOR.search(normalize(s.text[max(0, at - 12) : at])))


def _victims(ev: Event, mentions: Sequence[Mention]) -> set[str]:
    if ev.type not in ("assassination", "attack"):
        return set()
    people = [k for k, r in ev.participants if r == "target" and mentions[k].type == "PER"]
    return {mention_key(mentions[k]) for k in people}


def _referent(ev: Event, events: list[Event], s: Sentence, mentions: Sequence[Mention]) -> Event | None:
    """The dated event undated ``ev`` names again: «هذا الاتفاق» after a dated agreement (two sentences
    back at most), the killing of a person the article dates elsewhere, or the dated event a reaction
    («أدان الهجوم») takes as its object."""
    dated = [e for e in events if e.date is not None and e is not ev]
    if _anaphor(ev, s):
        back = [e for e in dated if e.type == ev.type and e.trigger_start < ev.trigger_start
                and any(0 <= ev.sentence_seq - q <= 2 for q in e.evidence)]  # fmt: skip
        if back:
            return max(back, key=lambda e: e.trigger_start)
    victims = _victims(ev, mentions)
    same = [e for e in dated if victims & _victims(e, mentions)]
    if same:
        return same[0]
    if ev.type == "statement" and _REACTION.match(normalize(ev.trigger)):
        objects = [e for e in dated if ev.sentence_seq in e.evidence and e.date_precision != "year"
                   and e.type != "statement"]  # fmt: skip
        if objects:
            return min(objects, key=lambda e: abs(e.trigger_start - ev.trigger_start))
    return None


def same_event(
    events: list[Event], sentences: dict[int, Sentence], mentions: Sequence[Mention]
) -> list[Event]:
    """An undated event that names a dated one again takes its date (basis "inferred"); a reaction takes
    the month of the event it reacts to."""
    out = list(events)
    for _ in range(2):  # a second pass lets a reaction see an object dated by the first
        out = _named_again(out, sentences, mentions)
    return out


def _named_again(
    events: list[Event], sentences: dict[int, Sentence], mentions: Sequence[Mention]
) -> list[Event]:
    out = list(events)
    for i, ev in enumerate(out):
        s = sentences.get(ev.sentence_seq)
        e = _referent(ev, events, s, mentions) if ev.date is None and s is not None else None
        if e is not None and e.date is not None:
            reaction = ev.type == "statement" and e.type != "statement"
            out[i] = as_month(ev, e.date[:7], "inferred") if reaction else _dated_as(ev, e)
    return out


def as_month(ev: Event, month: str, basis: str) -> Event:
    """``ev`` dated to ``month`` (YYYY-MM) with ``basis``."""
    return replace(ev, date=month, date_precision="month", date_basis=basis, date_text=None)


def mention_key(mention: Mention) -> str:
    """The key two mentions of one actor share: its gazetteer id, else its normalised surface."""
    return mention.gid or normalize(mention.surface)
