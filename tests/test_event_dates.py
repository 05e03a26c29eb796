"""Dating events from their story (event_dates) on made-up articles; the article date the loader infers."""

from __future__ import annotations

import json
from collections.abc import Sequence
from pathlib import Path

from sqlite_utils import Database

from qexplore.db.extract.article_date import article_date_from_text
from qexplore.db.extract.dates import find_dates
from qexplore.db.extract.event_dates import nearest_date
from qexplore.db.extract.event_story import main_actors, story_dates
from qexplore.db.extract.events import Event, extract_events
from qexplore.db.load import load
from qexplore.db.models import Mention, Sentence

MONDAY_NEXT = "2021-07-28"  # a Wednesday: الاثنين is 2021-07-26

# --- helpers ------------------------------------------------------------------------------------------


def _article(lines: Sequence[str], names: Sequence[tuple[str, str]],
             kinds: Sequence[str] = ()) -> tuple[list[Sentence], list[Mention]]:  # fmt: skip
    """Sentences (one a line, article offsets) and a mention for every occurrence of each name."""
    sentences: list[Sentence] = []
    mentions: list[Mention] = []
    start = 0
    for seq, text in enumerate(lines):
        kind = kinds[seq] if seq < len(kinds) else "body"
        sentences.append(Sentence(seq, start, start + len(text), text, kind, False))
        for surface, kind_ in names:
            at = text.find(surface)
            while at >= 0:
                end = start + at + len(surface)
                mentions.append(Mention(seq, start + at, end, surface, kind_, "rule", 1.0))
                at = text.find(surface, at + len(surface))
        start += len(text) + 1
    mentions.sort(key=lambda m: m.start)
    return sentences, mentions


def _dated(lines: Sequence[str], names: Sequence[tuple[str, str]], reference: str | None,
           article_month: bool = False) -> list[Event]:  # fmt: skip
    sentences, mentions = _article(lines, names)
    events = extract_events(sentences, mentions, [], reference)
    return story_dates(events, sentences, mentions, reference, article_month=article_month)


def _in(events: list[Event], seq: int, kind: str) -> Event:
    found = [e for e in events if e.sentence_seq == seq and e.type == kind]
    assert len(found) == 1, events
    return found[0]


def _date(ev: Event) -> tuple[str | None, str | None, str | None]:
    return ev.date, ev.date_precision, ev.date_basis


def _near(text: str, trigger: str, reference: str = MONDAY_NEXT, nth: int = 0) -> str | None:
    where = -1
    for _ in range(nth + 1):
        where = text.index(trigger, where + 1)
    found = nearest_date(where, find_dates(text, reference), text)
    return found.value if found else None


# --- the date of the trigger's own clause -------------------------------------------------------------


def test_caption_date_dates_the_scene_not_the_attack_in_its_relative_clause() -> None:
    text = ("وزير الدفاع سالم كريم خلال استقبال جثامين أربعة جنود سقطوا في هجوم صاروخي على قاعدة الشمال. "
            "3 مارس 2023 - رويترز")  # fmt: skip
    assert _near(text, "استقبال") == "2023-03-03"
    assert _near(text, "هجوم") is None


def test_a_point_date_beats_a_frame() -> None:
    text = "وهذه الزيارة الثالثة للوزير خلال العام الحالي، وكانت السابقة في الشهر الماضي"
    assert _near(text, "الزيارة") == "2021-06"
    assert _near("وزار الوزير العراق ثلاث مرات خلال العام الحالي", "وزار") == "2021"


def test_a_frame_does_not_reach_into_another_clause() -> None:
    text = "ومنذ الخامس من مارس، لم تسجل اعتداءات مقارنة بعشرة هجمات في الأسبوعين السابقين"
    assert _near(text, "هجمات") is None


def test_a_year_glued_to_lam_dates_only_its_noun() -> None:
    text = "وتجري طهران محادثات مع واشنطن حول إحياء الاتفاق النووي لعام 2015"
    assert _near(text, "محادثات") is None
    assert _near(text, "الاتفاق") == "2015"


def test_a_planned_event_takes_no_earlier_date() -> None:
    text = "وصل الوزير إلى بغداد مساء الاثنين، ومن المقرر أن يتوجه بعدها إلى عمان"
    assert _near(text, "وصل") == "2021-07-26"
    assert _near(text, "يتوجه") is None
    assert _near("ومن المقرر أن يزور الوزير عمان الأحد المقبل", "يزور") == "2021-08-01"


# --- the story around undated events ------------------------------------------------------------------

NAMES = [("سمير نادر", "PER"), ("كمال عادل", "PER"), ("فادي جابر", "PER"), ("البصرة", "LOC"),
         ("الكويت", "LOC"), ("عمان", "LOC")]  # fmt: skip


def test_main_actors_are_the_most_named_people() -> None:
    _, mentions = _article(["قال سمير نادر", "رد سمير نادر على كمال عادل", "وغادر سمير نادر", "فادي جابر"],
                           NAMES)  # fmt: skip
    assert main_actors(mentions) == {"سمير نادر"}


STORY = [
    "زار سمير نادر مدينة البصرة والتقى المحافظ كمال عادل.",
    "وقال سمير نادر إن المحادثات كانت مثمرة.",
    "وأعلن فادي جابر تأييده للاتفاق.",
    "وكان سمير نادر قد زار الكويت قبل سنوات.",
    "وأكد سمير نادر أن الحكومة ستدعم المحافظة.",
    "ورد سمير نادر على أسئلة الصحفيين.",
]


def test_main_story_events_take_the_article_month() -> None:
    events = _dated(STORY, NAMES, MONDAY_NEXT)
    assert _date(_in(events, 0, "visit")) == ("2021-07", "month", "inferred")
    assert _in(events, 2, "statement").date is None  # a side actor does not make an event current
    assert _in(events, 3, "visit").date is None  # background: كان قد، قبل سنوات


def test_no_reference_month_no_story_date() -> None:
    assert _in(_dated(STORY, NAMES, "2021"), 0, "visit").date is None
    assert _in(_dated(STORY, NAMES, None), 0, "visit").date is None


def test_article_month_option_dates_the_rest() -> None:
    events = _dated(STORY, NAMES, MONDAY_NEXT, article_month=True)
    assert _date(_in(events, 2, "statement")) == ("2021-07", "month", "inferred")


def test_event_in_a_relative_clause_without_the_protagonist_is_description() -> None:
    lines = ["زار سمير نادر البصرة.",
             "ووصل سمير نادر إلى الكويت، عبر الطريق الذي افتتحه فادي جابر بعد هجوم كبير."]  # fmt: skip
    events = _dated(lines, NAMES, MONDAY_NEXT)
    assert _in(events, 1, "visit").date == "2021-07"
    assert _in(events, 1, "attack").date is None


def test_a_quotation_is_its_own_stretch() -> None:
    lines = ["قال سمير نادر لكمال عادل إن \"فادي جابر التقى قادة الأحزاب في الكويت دون علم الحكومة\".",
             "وغادر سمير نادر البصرة.", "وزار سمير نادر عمان."]  # fmt: skip
    events = _dated(lines, NAMES, MONDAY_NEXT)
    assert _in(events, 0, "meeting").date is None
    assert _in(events, 2, "visit").date == "2021-07"


def test_story_month_is_the_latest_dated_development() -> None:
    lines = ["وقد زار سمير نادر البصرة في الشهر الماضي.", "والتقى سمير نادر المحافظ كمال عادل في مكتبه.",
             "وقال سمير نادر إن الزيارة كانت ناجحة."]  # fmt: skip
    events = _dated(lines, [*NAMES], "2021-12-20")
    assert _date(_in(events, 0, "visit")) == ("2021-11", "month", "relative")
    assert _date(_in(events, 1, "meeting")) == ("2021-11", "month", "inferred")


def test_ongoing_events_take_the_reference_month() -> None:
    lines = ["وتجري الأحزاب حاليا محادثات مع سمير نادر حول الحكومة."]
    events = _dated(lines, NAMES, "2021-12-20")
    assert _date(_in(events, 0, "meeting")) == ("2021-12", "month", "relative")


def test_at_a_time_when_with_an_imperfect_is_ongoing() -> None:
    now = _dated(["وتأتي التوترات في الوقت الذي تجري فيه الأحزاب محادثات مع كمال عادل."], NAMES, "2021-12")
    assert _date(_in(now, 0, "meeting")) == ("2021-12", "month", "relative")
    then = _dated(["وفي الوقت الذي كانت الأحزاب تجري محادثات، غادر فادي جابر البصرة."], NAMES, "2021-12")
    assert _in(then, 0, "meeting").date is None


def test_a_reporting_continuation_keeps_the_occasion() -> None:
    lines = ["وأعلن سمير نادر الاثنين أن الحكومة ستدعم البصرة.",
             "وأوضح سمير نادر خلال اجتماعه مع كمال عادل أن الدعم سيستمر."]  # fmt: skip
    events = _dated(lines, NAMES, MONDAY_NEXT)
    assert _date(_in(events, 1, "meeting")) == ("2021-07-26", "day", "inferred")


def test_one_trip_country_visit_takes_the_arrival_day() -> None:
    lines = ["يجري سمير نادر زيارة إلى الكويت.", "وتأتي الزيارة بعد قطيعة طويلة.",
             "ووصل سمير نادر إلى مدينة الجهراء صباح الثلاثاء."]  # fmt: skip
    names = [*NAMES, ("الجهراء", "LOC")]
    events = _dated(lines, names, MONDAY_NEXT)
    first = next(e for e in events if e.type == "visit" and 0 in e.evidence)
    assert _date(first) == ("2021-07-27", "day", "inferred")


def test_a_meeting_where_a_dated_visit_went_is_the_same_trip() -> None:
    lines = ["وزار سمير نادر عمان الأسبوع الماضي.", "وأضافت المصادر أن المسؤول التقى قادة الأحزاب في عمان."]
    events = _dated(lines, NAMES, MONDAY_NEXT)
    visit = _in(events, 0, "visit")
    assert _date(_in(events, 1, "meeting")) == (visit.date, visit.date_precision, "inferred")


def test_this_agreement_is_the_dated_one_before() -> None:
    lines = ["ووقع الطرفان اتفاق السلام لعام 2019 في عمان.", "ومنح هذا الاتفاق فادي جابر صلاحيات واسعة."]
    events = _dated(lines, NAMES, "2021-12")
    dated = next(e for e in events if e.type == "agreement" and 0 in e.evidence)
    assert dated.date == "2019"
    assert all(e.date == "2019" for e in events if e.type == "agreement")


def test_a_reaction_takes_the_month_of_what_it_reacts_to() -> None:
    lines = ["واستهدف هجوم بطائرة مسيرة منزل كمال عادل في 7 تشرين الثاني/نوفمبر.",
             "وقد أدان فادي جابر هذا الهجوم علنا."]  # fmt: skip
    events = _dated(lines, NAMES, "2021-12")
    assert _date(_in(events, 1, "statement")) == ("2021-11", "month", "inferred")




def test_extract_events_dates_the_main_story_by_default() -> None:
    sentences, mentions = _article(STORY, NAMES)
    events = extract_events(sentences, mentions, [], MONDAY_NEXT)
    assert _in(events, 0, "visit").date == "2021-07" and _in(events, 3, "visit").date is None


# --- the article date a text implies ------------------------------------------------------------------


def test_article_date_is_the_month_of_the_latest_reported_date() -> None:
    text = ("جرى الهجوم في 3 كانون الثاني/يناير 2024. وفي 7 فبراير التقى الوزير نظيره."
            " وكانت الحرب بدأت عام 2003.")  # fmt: skip
    found = article_date_from_text(text)
    assert found is not None
    assert (found.value, found.precision, found.basis) == ("2024-02", "month", "inferred")


def test_no_article_date_without_a_dated_day_or_month() -> None:
    assert article_date_from_text("زار الوزير بغداد أمس، في أول زيارة منذ عام 2019.") is None


def test_a_recalled_date_is_no_article_date() -> None:
    text = ("اغتيل القائد في كانون الثاني/يناير 2020. ووقع الهجوم في 7 تشرين الثاني/نوفمبر"
            " والانتخابات في 10 أكتوبر.")  # fmt: skip
    assert article_date_from_text(text) is None


def _load_one(db: Database, tmp: Path, text: str, meta: dict[str, str] | None = None) -> tuple[str, ...]:
    (tmp / "a.txt").write_text(text, encoding="utf-8")
    if meta is not None:
        (tmp / "a.meta.json").write_text(json.dumps(meta), encoding="utf-8")
    load(db, [str(tmp / "a.txt")])
    return tuple(db.execute("SELECT published, date_precision, date_basis FROM articles").fetchone())


TEXT = "التقى الوزير نظيره في 12 آذار/مارس 2022 في عمان.\nوزار الوفد بغداد في 3 نيسان/أبريل.\n"


def test_loader_infers_the_article_date_from_the_text(memdb: Database, tmp_path: Path) -> None:
    assert _load_one(memdb, tmp_path, TEXT) == ("2022-04", "month", "inferred")


def test_loader_sidecar_wins_over_the_inferred_date(memdb: Database, tmp_path: Path) -> None:
    assert _load_one(memdb, tmp_path, TEXT, {"date": "2022-05-02"}) == ("2022-05-02", "day", "sidecar")
