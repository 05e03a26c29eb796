"""Dating an article's events from its story, after merging: the same trip, the same occasion, what is
ongoing, and the main story (story_dates runs them in that order; the first rules are in event_dates).

Decisions (each one pinned by tests/test_event_dates.py or tests/test_events.py):

* Ongoing: an undated event in a sentence saying حاليا، الآن، في الوقت الراهن، or «في الوقت الذي» with
  an imperfect verb («في الوقت الذي تجري فيه محادثات»; «كانت تستعد» is past) is going on at the
  article date: it takes the reference's month (basis "relative").
* Main story (default): an undated event takes the story month (basis "inferred", month precision) when
  (a) its sentence states no date and is a headline or body sentence, (b) the sentence has no
  background cue (ذكرى، سابقا، مسبقا، في السابق، الراحل، سلفه، آنذاك، في ذلك الوقت، حينها، كان قد، قبل
  سنوات، منذ سنوات/فترة ...), and (c) one of the article's main actors takes part in it or is named in
  the trigger's stretch of the sentence (a quotation of four words or more is a stretch of its own, so
  a main actor outside the quote does not claim an event inside it). Main actors are the persons named
  in at least half as many sentences as the most-named person (and in two at least): the story is
  about them; side actors (a politician quoted once, a past leader) do not make an event current.
  The story month is the month of the latest day- or month-precise date of a main-story event that
  the text states (stated or relative, not after the reference); with none, the article's month.
  News narrates its latest development: when the text dates that development to an earlier month
  (a December article on November's crisis), undated narration belongs to it, not to December.
  Without a reference month nothing is inferred. A year-only reference gives nothing either.
* ``article_month=True`` (opt-in) then gives every event still undated in a sentence that states no
  date the article's month (basis "inferred"), background included: a guess, off by default.
"""

from __future__ import annotations

import re
from collections import Counter
from collections.abc import Sequence
from dataclasses import replace
from typing import TYPE_CHECKING

from qexplore.db.arabic import normalize
from qexplore.db.extract.dates import FoundDate, Reference, find_dates, parse_date
from qexplore.db.extract.event_dates import (
    as_month,
    event_keys,
    mention_key,
    same_event,
    same_occasion,
    trips,
)
from qexplore.db.models import Mention, Sentence

if TYPE_CHECKING:
    from qexplore.db.extract.events import Event

_COMMA = re.compile(r"[,،؛;]")
_ONGOING = re.compile(r"(?<!\w)(?:حاليا|الان|في\s+الوقت\s+الراهن|في\s+الوقت\s+الذي\s+[يت]\w+)(?!\w)")
_BACKGROUND = re.compile(
    r"(?<!\w)(?:ذكري|سابقا|مسبقا|في\s+السابق|الراحل|سلف(?:ه|ها|هم)?|انذاك|حينها|حينذاك|في\s+ذلك\s+الوقت"
    r"|عادة|عاده|غالبا|دائما|كثيرا\s+ما|[وف]?كان(?:ت|وا)?\s+قد|(?:قبل|منذ)\s+(?:سنوات|سنين|اعوام|عقود|عقد|عامين|سنتين|فترة|زمن|وقت\s+طويل))(?!\w)"
)
_RELATIVE = re.compile(r"(?<!\w)(?:التي|الذي|الذين|اللذين|اللتين|اللواتي|اللاتي)(?!\w)")
_QUOTE = re.compile(r"[\"“”«»]")
_QUOTED_WORDS = 4  # a quotation of this many words is a stretch of its own
_MAIN_KINDS = frozenset(("headline", "body"))
_PEOPLE = frozenset(("PER",))


def reference_month(reference: Reference) -> FoundDate | None:
    found = (
        reference if isinstance(reference, FoundDate) else parse_date(str(reference)) if reference else None
    )
    # a date object prints as ISO, so str() covers it
    if found is None or found.precision == "year" or found.value.startswith("-"):
        return None
    return FoundDate(found.value[:7], "month", "inferred")


def ongoing(events: list[Event], sentences: dict[int, Sentence], reference: Reference) -> list[Event]:
    """An undated event in a sentence saying حاليا/الآن takes the reference's month (basis "relative")."""
    month = reference_month(reference)
    if month is None:
        return events
    out = []
    for ev in events:
        s = sentences.get(ev.sentence_seq)
        now = _ONGOING.search(normalize(s.text)) if ev.date is None and s is not None else None
        out.append(replace(as_month(ev, month.value, "relative"), date_text=now[0]) if now else ev)
    return out


def main_actors(mentions: Sequence[Mention]) -> set[str]:
    """The article's main actors: persons named in at least half as many sentences as the most-named
    person, and in two sentences at least."""
    seen = Counter({k: len(v) for k, v in _sentences_of(mentions).items()})
    if not seen:
        return set()
    floor = max(2, (seen.most_common(1)[0][1] + 1) // 2)
    return {k for k, n in seen.items() if n >= floor}


def _sentences_of(mentions: Sequence[Mention]) -> dict[str, set[int]]:
    out: dict[str, set[int]] = {}
    for m in mentions:
        if m.type in _PEOPLE:
            out.setdefault(mention_key(m), set()).add(m.sentence_seq)
    return out


def _stretch(s: Sentence, where: int) -> tuple[int, int]:
    """The stretch of sentence ``s`` holding article offset ``where``: a long quotation, or the rest."""
    text, at = s.text, where - s.start
    marks = [m.start() for m in _QUOTE.finditer(text)]
    for a, b in zip(marks[::2], marks[1::2], strict=False):
        if len(text[a:b].split()) >= _QUOTED_WORDS and a < at < b:
            return s.start + a, s.start + b
    return s.start, s.end


def _describes(ev: Event, s: Sentence, mentions: Sequence[Mention], main: set[str]) -> bool:
    """True when the trigger sits in a relative clause (التي/الذي before it in its comma clause) that
    names no main actor: «في المنطقة التي أشعلتها حرب غزة» describes a place, it is not the story."""
    at = ev.trigger_start - s.start
    start = max((m.end() for m in _COMMA.finditer(s.text, 0, at)), default=0)
    found = _COMMA.search(s.text, at)
    end = found.start() if found else len(s.text)
    if not _RELATIVE.search(normalize(s.text[start:at])):
        return False
    return not any(m.sentence_seq == s.seq and mention_key(m) in main and start <= m.start - s.start < end
                   for m in mentions)  # fmt: skip


def _in_main_story(ev: Event, s: Sentence, mentions: Sequence[Mention], main: set[str]) -> bool:
    if event_keys(ev, mentions) & main:
        return True
    if _describes(ev, s, mentions, main):
        return False
    a, b = _stretch(s, ev.trigger_start)
    inner = (a, b) != (s.start, s.end)
    for m in mentions:
        if m.sentence_seq == s.seq and mention_key(m) in main and a <= m.start < b:
            if inner or _stretch(s, m.start) == (s.start, s.end):
                return True
    return False


def _story_month(events: list[Event], main_story: list[bool], reference: Reference) -> str | None:
    """The month of the latest stated or relative day/month date of a main-story event, not after the
    reference; else the reference's month."""
    month = reference_month(reference)
    if month is None:
        return None
    dated = [e.date for e, main in zip(events, main_story, strict=True) if main and e.date is not None
             and e.date_precision in ("day", "month") and e.date_basis != "inferred"
             and not e.date.startswith("-") and e.date[:7] <= month.value]  # fmt: skip
    return max(dated)[:7] if dated else month.value


def main_story(events: list[Event], sentences: dict[int, Sentence], mentions: Sequence[Mention],
               reference: Reference) -> list[Event]:  # fmt: skip
    """Give undated main-story events the story month (basis "inferred"); see the module notes."""
    main = main_actors(mentions)
    flags = [
        ev.sentence_seq in sentences and _in_main_story(ev, sentences[ev.sentence_seq], mentions, main)
        for ev in events
    ]
    month = _story_month(events, flags, reference)
    if month is None:
        return events
    out = []
    for ev, flag in zip(events, flags, strict=True):
        s = sentences.get(ev.sentence_seq)
        ok = flag and ev.date is None and s is not None and s.kind in _MAIN_KINDS and not s.boilerplate
        quiet = ok and s is not None and not _BACKGROUND.search(normalize(s.text))
        if quiet and s is not None and not find_dates(s.text, reference):
            ev = as_month(ev, month, "inferred")
        out.append(ev)
    return out


def from_reference(events: list[Event], undated_seqs: set[int], reference: Reference) -> list[Event]:
    """Opt-in: an event in a sentence with no date at all takes the article's month (basis inferred)."""
    month = reference_month(reference)
    if month is None:
        return events
    return [as_month(e, month.value, "inferred") if e.date is None and e.sentence_seq in undated_seqs else e
            for e in events]  # fmt: skip


def story_dates(events: list[Event], sentences: Sequence[Sentence], mentions: Sequence[Mention],
                reference: Reference, *, article_month: bool = False) -> list[Event]:  # fmt: skip
    """Date the undated events of merged ``events`` from their story (module notes): the same trip, the
    same occasion, what is ongoing, the main story; with ``article_month``, then the article month."""
    by_seq = {s.seq: s for s in sentences}
    out = trips(same_event(events, by_seq, mentions), mentions)
    out = same_occasion(out, by_seq, mentions)
    out = ongoing(out, by_seq, reference)
    out = main_story(out, by_seq, mentions, reference)
    if not article_month:
        return out
    undated = {s.seq for s in sentences if not find_dates(s.text, reference)}
    return from_reference(out, undated, reference)
