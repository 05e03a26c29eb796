"""Tests for the rule-based event extractor, on hand-written sentences and against the gold seeds."""

from __future__ import annotations

import json
from collections.abc import Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import pytest

from qexplore.db.extract.events import Event, extract_events
from qexplore.db.models import Mention, Sentence

SHARED = Path(__file__).resolve().parents[1].parent / "shared"
GOLD = SHARED / "gold" / "seeds.json"
SEEDS = Path(__file__).resolve().parents[1] / "seeds"


# --- helpers for hand-written sentences -------------------------------------------------------------


def _sentence(text: str, seq: int = 0, start: int = 0) -> Sentence:
    return Sentence(seq, start, start + len(text), text, "body", False)


def _mentions(s: Sentence, names: Sequence[tuple[str, str]]) -> list[Mention]:
    out = []
    for surface, kind in names:
        i = s.text.index(surface)
        out.append(Mention(s.seq, s.start + i, s.start + i + len(surface), surface, kind, "rule", 1.0))
    return out


def _run(text: str, names: Sequence[tuple[str, str]], reference: str | None = None) -> tuple[
    list[Event], list[Mention]]:  # fmt: skip
    s = _sentence(text)
    ms = _mentions(s, names)
    return extract_events([s], ms, [], reference), ms


def _roles(ev: Event, ms: list[Mention]) -> dict[str, str]:
    return {ms[k].surface: role for k, role in ev.participants}


def _one(events: list[Event], kind: str) -> Event:
    found = [e for e in events if e.type == kind]
    assert len(found) == 1, events
    return found[0]


# --- hand-written cases -----------------------------------------------------------------------------


def test_visit_to_city_takes_place_after_ila_and_agent() -> None:
    text = "وصل وزير الخارجية أحمد سالم إلى العاصمة دمشق في زيارة رسمية."
    events, ms = _run(text, [("أحمد سالم", "PER"), ("دمشق", "LOC")])
    ev = _one(events, "visit")
    assert ev.place is not None and ms[ev.place].surface == "دمشق"
    assert _roles(ev, ms) == {"أحمد سالم": "agent"}
    assert text[ev.trigger_start : ev.trigger_end] == ev.trigger == "وصل"


def test_arriving_in_office_is_no_visit() -> None:
    events, _ = _run("وصلت الحكومة الجديدة إلى السلطة في العام الماضي.", [])
    assert events == []


def test_meeting_with_counterpart_after_maa() -> None:
    text = "اجتمع رئيس الوزراء علي حسن مع السفير خالد عمر في بغداد."
    events, ms = _run(text, [("علي حسن", "PER"), ("خالد عمر", "PER"), ("بغداد", "LOC")])
    ev = _one(events, "meeting")
    assert _roles(ev, ms) == {"علي حسن": "agent", "خالد عمر": "counterpart"}
    assert ev.place is not None and ms[ev.place].surface == "بغداد"


def test_object_of_meeting_verb_is_counterpart() -> None:
    text = "والتقى سمير نادر الرئيس كمال عادل في مكتبه بالمنطقة الخضراء."
    events, ms = _run(text, [("سمير نادر", "PER"), ("كمال عادل", "PER"), ("المنطقة الخضراء", "LOC")])
    ev = _one(events, "meeting")
    assert _roles(ev, ms) == {"سمير نادر": "agent", "كمال عادل": "counterpart"}
    assert ev.place is not None and ms[ev.place].surface == "المنطقة الخضراء"


def test_weekday_morning_resolved_with_reference() -> None:
    text = "وصل سمير نادر إلى مدينة البصرة صباح الثلاثاء."
    events, _ = _run(text, [("سمير نادر", "PER"), ("البصرة", "LOC")], reference="2021-07-28")
    ev = _one(events, "visit")
    assert (ev.date, ev.date_precision, ev.date_basis) == ("2021-07-27", "day", "relative")
    assert ev.date_text == "صباح الثلاثاء"


def test_no_reference_no_relative_date() -> None:
    names = [("سمير نادر", "PER"), ("البصرة", "LOC")]
    events, _ = _run("وصل سمير نادر إلى مدينة البصرة صباح الثلاثاء.", names)
    assert _one(events, "visit").date is None


def test_stated_day_takes_article_year() -> None:
    text = "وقصفت طائرة مسيرة مقر جماعة النصر في بغداد يوم 7 فبراير."
    events, ms = _run(text, [("جماعة النصر", "ORG"), ("بغداد", "LOC")], reference="2024-02-18")
    ev = _one(events, "attack")
    assert (ev.date, ev.date_basis) == ("2024-02-07", "stated+article_year")
    assert _roles(ev, ms)["جماعة النصر"] == "target"


def test_attack_on_named_person_is_assassination() -> None:
    text = "وأدى الهجوم الذي استهدف منزل القائد سامي فريد إلى مقتل حارسين."
    events, ms = _run(text, [("سامي فريد", "PER")])
    ev = _one(events, "assassination")
    assert _roles(ev, ms) == {"سامي فريد": "target"}


def test_directive_is_no_visit() -> None:
    text = "ثم دعا الرئيس كمال عادل الوزير سمير نادر لزيارته في بغداد."
    events, _ = _run(text, [("كمال عادل", "PER"), ("سمير نادر", "PER"), ("بغداد", "LOC")])
    assert [e.type for e in events] == ["other"]
    assert events[0].trigger == "دعا"


def test_denial_is_no_event() -> None:
    text = "ونفى المتحدث باسم الحكومة لقاء الوزير سمير نادر بقادة الفصائل."
    events, _ = _run(text, [("سمير نادر", "PER")])
    assert events == []


def test_question_is_no_event() -> None:
    events, _ = _run("هل يستطيع سمير نادر أن يزور دمشق؟", [("سمير نادر", "PER"), ("دمشق", "LOC")])
    assert events == []


def test_other_types() -> None:
    cases = {
        "اعتقلت قوات الأمن القيادي سامي فريد في الموصل.": "arrest",
        "داهمت قوة خاصة مقر جماعة النصر.": "raid",
        "جرت الانتخابات البرلمانية في العاشر من أكتوبر.": "election",
        "ووقع الطرفان اتفاق وقف إطلاق النار.": "agreement",
        "وخرجت تظاهرة كبيرة في ساحة التحرير.": "protest",
        "وأعلن الرئيس كمال عادل انتهاء الهدنة.": "statement",
        "وقد اغتالت الولايات المتحدة القائد سامي فريد.": "assassination",
    }
    names = {"سامي فريد": "PER", "جماعة النصر": "ORG", "كمال عادل": "PER"}
    for text, kind in cases.items():
        events, _ = _run(text, [(n, t) for n, t in names.items() if n in text])
        assert kind in {e.type for e in events}, (text, events)


def test_statement_needs_named_author() -> None:
    events, _ = _run("وأعلنت مصادر أن الهدوء عاد.", [])
    assert "statement" not in {e.type for e in events}


def test_next_day_continues_previous_date() -> None:
    first = _sentence("والتقى سمير نادر قادة الفصائل في بغداد يوم 29 يناير.")
    second = _sentence("وفي اليوم التالي، أعلنت جماعة النصر أنها ستعلق هجماتها.", 1, first.end + 1)
    ms = _mentions(first, [("سمير نادر", "PER"), ("بغداد", "LOC")])
    ms += _mentions(second, [("جماعة النصر", "ORG")])
    events = extract_events([first, second], ms, [], "2024-02-18")
    assert _one(events, "meeting").date == "2024-01-29"
    ev = _one(events, "statement")
    assert (ev.date, ev.date_basis) == ("2024-01-30", "relative")


def test_same_event_in_consecutive_sentences_is_merged() -> None:
    first = _sentence("زار سمير نادر مدينة البصرة يوم 3 مارس 2021.")
    second = _sentence("وأثارت زيارة سمير نادر غضبا واسعا.", 1, first.end + 1)
    ms = _mentions(first, [("سمير نادر", "PER"), ("البصرة", "LOC")])
    ms += _mentions(second, [("سمير نادر", "PER")])
    events = extract_events([first, second], ms, [])
    ev = _one(events, "visit")
    assert ev.evidence == (0, 1) and ev.date == "2021-03-03"


# --- scoring against the gold seeds -----------------------------------------------------------------


def _spans(text: str, needle: str) -> list[tuple[int, int]]:
    out, i = [], text.find(needle)
    while needle and i >= 0:
        out.append((i, i + len(needle)))
        i = text.find(needle, i + 1)
    return out


def _overlaps(a: tuple[int, int], spans: Sequence[tuple[int, int]]) -> bool:
    return any(a[0] < e and s < a[1] for s, e in spans)


@dataclass
class Score:
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


def _actor_spans(gold: dict[str, Any], article: str, text: str) -> dict[str, list[tuple[int, int]]]:
    out: dict[str, list[tuple[int, int]]] = {}
    for actor in gold["actors"]:
        forms = actor.get("forms_by_article", {}).get(article, [])
        forms += actor.get("clitic_forms_by_article", {}).get(article, [])
        out[actor["id"]] = [sp for f in forms for sp in _spans(text, f)]
    return out


def _date_ok(ev: Event, gold_event: dict[str, Any]) -> bool:
    order = ("year", "month", "day")
    want, precision = gold_event["date"], gold_event["date_precision"]
    if ev.date is None or ev.date_precision not in order:
        return False
    if order.index(ev.date_precision) < order.index(precision):
        return False
    return ev.date[: len(want)] == want


def _matches(ev: Event, g: dict[str, Any], ctx: tuple[dict[int, tuple[int, int]], Sequence[Mention], str,
             dict[str, list[tuple[int, int]]]]) -> bool:  # fmt: skip
    sentence_spans, mentions, text, actors = ctx
    if ev.type != g["type"]:
        return False
    evidence = [sp for e in g["evidence"] for sp in _spans(text, e)]
    if not any(_overlaps(sentence_spans[seq], evidence) for seq in ev.evidence):
        return False
    place = _mention_span(mentions[ev.place]) if ev.place is not None else None
    if place is not None and g["place"] and _overlaps(place, actors[g["place"]]):
        return True
    wanted = [sp for p in g["participants"] for sp in actors.get(p["actor"], [])]
    return any(_overlaps(_mention_span(mentions[k]), wanted) for k, _ in ev.participants)


def _mention_span(m: Mention) -> tuple[int, int]:
    return (m.start, m.end)


def score_events(gold: dict[str, Any], seeds: Path, events_by_article: dict[str, tuple[list[Event], Any]]
                 ) -> Score:  # fmt: skip
    """Score ``events_by_article`` ({"000": (events, processed article)}) against gold ``events[]``."""
    score = Score()
    for article, (events, art) in events_by_article.items():
        ctx = ({s.seq: (s.start, s.end) for s in art.sentences}, art.mentions, art.text,
               _actor_spans(gold, article, art.text))  # fmt: skip
        golds = [g for g in gold["events"] if g["article"] == article]
        score.gold += len(golds)
        score.ours += len(events)
        score.ours_matching += sum(any(_matches(ev, g, ctx) for g in golds) for ev in events)
        for g in golds:
            hits = [ev for ev in events if _matches(ev, g, ctx)]
            if not hits:
                continue
            score.found.append(g["id"])
            if g["date"] is not None:
                score.dated_found += 1
                right = any(_date_ok(ev, g) for ev in hits)
                score.dates_right += right
                if not right:
                    score.wrong_dates.append(f"{g['id']} gold={g['date']} ours={[ev.date for ev in hits]}")
    return score


def run_gold(month: bool = False) -> tuple[Score, dict[str, Any], dict[str, tuple[list[Event], Any]]]:
    """Extract the events of every seed article with the gold article date as reference, and score them."""
    from qexplore.db.load import Extractors, process
    from qexplore.db.read import read_path

    gold = json.loads(GOLD.read_text(encoding="utf-8"))
    extractors = Extractors.default()
    by_article: dict[str, tuple[list[Event], Any]] = {}
    for meta in gold["articles"]:
        art = process(next(read_path(SEEDS / meta["file"])), extractors)
        events = extract_events(art.sentences, art.mentions, art.claims, meta["date"], article_month=month)
        by_article[meta["file"][:3]] = (events, art)
    return score_events(gold, SEEDS, by_article), gold, by_article


# Qaani's trips in the gold: Beirut (000), Baghdad (000), Najaf (001), the Baghdad-airport meeting of
# 29 January 2024 (003) and the visit after the drone attack on Kadhimi's residence (002).
QAANI_TRIPS = {"e1": "beirut", "e5": "baghdad", "e20": "najaf", "e56": "baghdad_airport", "e30": "baghdad"}


def qaani_trips(gold: dict[str, Any], by_article: dict[str, tuple[list[Event], Any]]
                ) -> dict[str, tuple[bool, bool]]:  # fmt: skip
    """For each trip: (found with its place, found with its gold date)."""
    out: dict[str, tuple[bool, bool]] = {}
    for gid, place in QAANI_TRIPS.items():
        g = next(e for e in gold["events"] if e["id"] == gid)
        events, art = by_article[g["article"]]
        actors = _actor_spans(gold, g["article"], art.text)
        ctx = ({s.seq: (s.start, s.end) for s in art.sentences}, art.mentions, art.text, actors)
        hits = [ev for ev in events if _matches(ev, g, ctx) and ev.place is not None
                and _overlaps(_mention_span(art.mentions[ev.place]), actors[place])]  # fmt: skip
        out[gid] = (bool(hits), any(_date_ok(ev, g) for ev in hits))
    return out


@pytest.fixture(scope="module")
def gold_run() -> tuple[Score, dict[str, Any], dict[str, tuple[list[Event], Any]]]:
    if not SHARED.is_dir() or not GOLD.is_file():
        pytest.skip(f"gold annotations not available: {GOLD} is absent")
    return run_gold()


def test_gold_figures(gold_run: tuple[Score, dict[str, Any], dict[str, tuple[list[Event], Any]]]) -> None:
    score = gold_run[0]
    assert score.gold == 90
    assert score.recall >= 0.56
    assert score.precision >= 0.38
    assert score.date_accuracy >= 0.46  # undated events stay None by default


def test_gold_dates_with_article_month() -> None:
    if not GOLD.is_file():
        pytest.skip(f"gold annotations not available: {GOLD} is absent")
    assert run_gold(month=True)[0].date_accuracy >= 0.80


def test_gold_qaani_trips(gold_run: tuple[Score, dict[str, Any], dict[str, tuple[list[Event], Any]]]) -> None:
    found = qaani_trips(gold_run[1], gold_run[2])
    assert all(place for place, _ in found.values()), found
    assert found["e56"] == (True, True) and found["e20"] == (True, True)
