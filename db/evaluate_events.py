"""Scores of extracted events against the gold: matching by type, evidence sentence and place or
participant, and date accuracy at the gold's precision."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import Any

from qexplore.db.extract.events import Event
from qexplore.db.models import Mention


def spans_of(text: str, needle: str) -> list[tuple[int, int]]:
    """Return every (start, end) where ``needle`` stands in ``text``, overlapping ones included."""
    out, i = [], text.find(needle)
    while needle and i >= 0:
        out.append((i, i + len(needle)))
        i = text.find(needle, i + 1)
    return out


def overlap_any(a: tuple[int, int], spans: Sequence[tuple[int, int]]) -> bool:
    """True when the range ``a`` overlaps any of ``spans``."""
    return any(a[0] < e and s < a[1] for s, e in spans)


@dataclass
class EventScore:
    """Event recall, precision and date accuracy against the gold, with the gold ids found."""

    gold: int = 0
    found: list[str] = field(default_factory=list)
    ours: int = 0
    ours_matching: int = 0
    dated_found: int = 0
    dates_right: int = 0
    wrong_dates: list[str] = field(default_factory=list)

    @property
    def recall(self) -> float:
        return len(self.found) / self.gold if self.gold else 0.0

    @property
    def precision(self) -> float:
        return self.ours_matching / self.ours if self.ours else 0.0

    @property
    def date_accuracy(self) -> float:
        return self.dates_right / self.dated_found if self.dated_found else 0.0


def gold_actor_spans(gold: dict[str, Any], article: str, text: str) -> dict[str, list[tuple[int, int]]]:
    """Return, per gold actor id, where its forms stand in the article ``text``."""
    out: dict[str, list[tuple[int, int]]] = {}
    for actor in gold["actors"]:
        forms = actor.get("forms_by_article", {}).get(article, [])
        forms += actor.get("clitic_forms_by_article", {}).get(article, [])
        out[actor["id"]] = [sp for f in forms for sp in spans_of(text, f)]
    return out


def date_ok(ev: Event, gold_event: dict[str, Any]) -> bool:
    """True when the event's date equals the gold date at the gold's precision."""
    order = ("year", "month", "day")
    want, precision = str(gold_event["date"]), str(gold_event["date_precision"])
    if ev.date is None or ev.date_precision not in order:
        return False
    if order.index(ev.date_precision) < order.index(precision):
        return False
    return ev.date[: len(want)] == want


def event_matches(ev: Event, g: dict[str, Any], ctx: tuple[dict[int, tuple[int, int]], Sequence[Mention], str,
             dict[str, list[tuple[int, int]]]]) -> bool:  # fmt: skip
    """True when our event has the gold event's type, lies in one of its evidence sentences and
    shares its place or a participant (``ctx``: sentence spans, mentions, text, gold actor spans)."""
    sentence_spans, mentions, text, actors = ctx
    if ev.type != g["type"]:
        return False
    evidence = [sp for e in g["evidence"] for sp in spans_of(text, e)]
    if not any(overlap_any(sentence_spans[seq], evidence) for seq in ev.evidence):
        return False
    place = mention_span(mentions[ev.place]) if ev.place is not None else None
    if place is not None and g["place"] and overlap_any(place, actors[g["place"]]):
        return True
    wanted = [sp for p in g["participants"] for sp in actors.get(p["actor"], [])]
    return any(overlap_any(mention_span(mentions[k]), wanted) for k, _ in ev.participants)


def mention_span(m: Mention) -> tuple[int, int]:
    """Return a mention's (start, end) in the article."""
    return (m.start, m.end)


def score_events(gold: dict[str, Any], events_by_article: dict[str, tuple[list[Event], Any]]) -> EventScore:
    """Score ``events_by_article`` ({"000": (events, processed article)}) against gold ``events[]``."""
    score = EventScore()
    for article, (events, art) in events_by_article.items():
        ctx = ({s.seq: (s.start, s.end) for s in art.sentences}, art.mentions, art.text,
               gold_actor_spans(gold, article, art.text))  # fmt: skip
        golds = [g for g in gold["events"] if g["article"] == article]
        score.gold += len(golds)
        score.ours += len(events)
        score.ours_matching += sum(any(event_matches(ev, g, ctx) for g in golds) for ev in events)
        for g in golds:
            hits = [ev for ev in events if event_matches(ev, g, ctx)]
            if not hits:
                continue
            score.found.append(g["id"])
            if g["date"] is not None:
                score.dated_found += 1
                right = any(date_ok(ev, g) for ev in hits)
                score.dates_right += right
                if not right:
                    score.wrong_dates.append(f"{g['id']} gold={g['date']} ours={[ev.date for ev in hits]}")
    return score
