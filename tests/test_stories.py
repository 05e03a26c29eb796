"""Stories: events merged across articles, and corroboration counted in original sources."""

from __future__ import annotations

import hashlib
import json
from collections.abc import Iterator
from dataclasses import dataclass, field
from itertools import combinations
from typing import Any

from conftest import shared_path
from sqlite_utils import Database

from qexplore.db import curation
from qexplore.db.evaluate import gold_actor_spans, spans_of
from qexplore.db.extract.events import Event
from qexplore.db.load import store
from qexplore.db.models import Article, Mention, Sentence
from qexplore.db.query import export_rows
from qexplore.db.schema import MIGRATIONS, SCHEMA_VERSION, open_db
from qexplore.db.sources import agency_in, choose_source, claims_agency
from qexplore.db.stories import agreement, combine, rebuild_stories

# ---- made-up articles ------------------------------------------------------------------------------

Names = dict[str, str]  # surface -> PER | ORG | LOC


@dataclass
class Ev:
    """An event to put in a made-up article: its sentence, trigger, date, place and participants."""

    type: str
    line: int
    trigger: str
    date: str | None = None
    place: str | None = None
    people: list[tuple[str, str]] = field(default_factory=list)


def article(file: str, outlet: str | None, lines: list[str], names: Names, events: list[Ev],
            published: str | None = "2023-03-06") -> Article:  # fmt: skip
    """An article as the pipeline would hand it to store(), built from its lines by hand."""
    text = "\n".join(lines)
    sentences, mentions, offset = [], [], 0
    for seq, line in enumerate(lines):
        sentences.append(Sentence(seq, offset, offset + len(line), line, "body", False))
        for name, kind in names.items():
            at = line.find(name)
            if at >= 0:
                mentions.append(Mention(seq, offset + at, offset + at + len(name), name, kind, "rule", 1.0))
        offset += len(line) + 1
    index = {(m.sentence_seq, m.surface): i for i, m in enumerate(mentions)}
    stored = []
    for ev in events:
        start = sentences[ev.line].start + lines[ev.line].index(ev.trigger)
        precision = {4: "year", 7: "month", 10: "day"}.get(len(ev.date or ""))
        stored.append(Event(
            ev.type, ev.line, ev.trigger, start, start + len(ev.trigger), ev.date, precision,
            "stated" if ev.date else None, ev.date, index.get((ev.line, ev.place or "")),
            tuple((index[(ev.line, n)], r) for n, r in ev.people), (ev.line,),
        ))  # fmt: skip
    return Article(
        hashlib.sha256((file + text).encode()).hexdigest(),
        file,
        text,
        "utf-8",
        None,
        outlet,
        None,
        published,
        "day" if published else None,
        "sidecar" if published else None,
        tuple(sentences),
        tuple(mentions),
        (),
        tuple(stored),
    )


NAMES: Names = {"سمير نادر": "PER", "كمال عادل": "PER", "البصرة": "LOC", "الموصل": "LOC"}
VISIT = "وصل سمير نادر إلى البصرة والتقى كمال عادل."


def visit(file: str, outlet: str | None, head: str, date: str | None = "2023-03-05", place: str = "البصرة",
          line: str = VISIT, published: str | None = "2023-03-06") -> Article:  # fmt: skip
    """An article telling Samir Nader's visit (a made-up person) in its second line."""
    people = [(n, r) for n, r in (("سمير نادر", "agent"), ("كمال عادل", "counterpart")) if n in line]
    ev = Ev("visit", 1, "وصل", date, place if place in line else None, people)
    return article(file, outlet, [head, line, "وقال مسؤول إن الزيارة استمرت ساعات."], NAMES, [ev], published)


def stories(db: Database) -> list[dict[str, Any]]:
    return list(export_rows(db, "events"))


def story_of(db: Database) -> dict[str, int]:
    """File name -> story id of its (single) event."""
    rows = db.execute(
        "SELECT a.file, e.story_id FROM events e JOIN articles a ON a.id = e.article_id"
    ).fetchall()
    return {f: s for f, s in rows}


def partition(db: Database) -> set[frozenset[int]]:
    """The stories as sets of event ids (independent of story ids)."""
    groups: dict[int, set[int]] = {}
    for eid, sid in db.execute("SELECT id, story_id FROM events"):
        groups.setdefault(sid, set()).add(eid)
    return {frozenset(g) for g in groups.values()}


# ---- original sources ------------------------------------------------------------------------------


def test_agency_names() -> None:
    assert agency_in('وقالت المصادر لـ"رويترز" إن') == "رويترز"
    assert agency_in("باريس (أ ف ب)") == "فرانس برس"
    assert agency_in("وكالة فارس للأنباء") == "فارس"
    assert agency_in("قال فارس الحمداني") is None  # a given name, not the agency
    assert agency_in("صحيفة الصباح") is None


def test_choose_source_rules() -> None:
    dateline = ["عنوان الخبر", "بغداد (رويترز) - قال مسؤولون عراقيون إن"]
    assert choose_source(1, "موقع الأولى", dateline, []) == "رويترز"
    credit = ["قال مسؤولون إن", "وأضافوا أن", "ترجمة: موقع الأولى عن وكالة الأناضول"]
    assert choose_source(1, "موقع الأولى", credit, []) == "الأناضول"
    relayed = [["موقع الأولى", "رويترز", "مصادر"]] * 3 + [["موقع الأولى", "مسؤول"]]
    assert claims_agency(relayed) == "رويترز"
    assert choose_source(1, "موقع الأولى", ["قال مسؤولون"], relayed) == "رويترز"
    own = [["موقع الأولى", "مصدر"]] * 4 + [["موقع الأولى", "رويترز"]]
    assert choose_source(1, "موقع الأولى", ["قال مسؤولون"], own) == "موقع الأولى"
    assert choose_source(7, "وكالة رويترز", [], []) == "رويترز"
    assert choose_source(7, None, ["قال مسؤولون"], []) == "article:7"


# ---- merging ---------------------------------------------------------------------------------------


def test_relayed_reuters_counts_once(memdb: Database) -> None:
    store(memdb, visit("a.txt", "صحيفة الأولى", "بغداد (رويترز) - خبر عاجل"))
    store(memdb, visit("b.txt", "موقع الثاني", "البصرة - رويترز"))
    [one] = stories(memdb)
    assert one["articles"] == ["a.txt", "b.txt"] and one["sources"] == 1
    assert one["original_sources"] == ["رويترز"] and one["outlets"] == ["صحيفة الأولى", "موقع الثاني"]
    store(memdb, visit("c.txt", "قناة الثالثة", "تقرير مراسلنا في البصرة"))
    [one] = stories(memdb)
    assert one["sources"] == 2 and one["original_sources"] == ["رويترز", "قناة الثالثة"]
    assert one["type"] == "visit" and one["date"] == "2023-03-05" and one["place"] == "البصرة"
    assert {"actor": "سمير نادر", "role": "agent"} in one["participants"]
    assert one["sentences"] == [VISIT] * 3 and len(one["events"]) == 3


def test_unknown_publishers_are_separate_sources(memdb: Database) -> None:
    store(memdb, visit("a.txt", None, "خبر"))
    store(memdb, visit("b.txt", None, "خبر آخر"))
    [one] = stories(memdb)
    assert one["sources"] == 2 and len(one["original_sources"]) == 2


def test_incompatible_dates_stay_apart(memdb: Database) -> None:
    store(memdb, visit("a.txt", "الأولى", "خبر"))
    store(memdb, visit("b.txt", "الثانية", "خبر", date="2023-04-10", published="2023-04-11"))
    store(memdb, visit("c.txt", "الثالثة", "خبر", date="2023-03"))  # agrees with a at the month
    found = story_of(memdb)
    assert found["a.txt"] != found["b.txt"] and found["a.txt"] == found["c.txt"]
    [merged] = [s for s in stories(memdb) if len(s["articles"]) == 2]
    assert merged["date"] == "2023-03-05" and merged["date_precision"] == "day"


def test_nothing_shared_stays_apart(memdb: Database) -> None:
    store(memdb, visit("a.txt", "الأولى", "خبر"))
    store(memdb, visit("b.txt", "الثانية", "خبر", line="وصل وفد إلى الموصل."))  # same day, nothing shared
    store(memdb, visit("c.txt", "الثالثة", "خبر", line="وصل كمال عادل إلى الموصل."))  # shares one person
    found = story_of(memdb)
    assert found["b.txt"] != found["a.txt"] == found["c.txt"]


def test_year_only_needs_more_than_one_thing(memdb: Database) -> None:
    store(memdb, visit("a.txt", "الأولى", "خبر"))
    store(memdb, visit("b.txt", "الثانية", "خبر", date="2023", line="زار سمير نادر مدينة الموصل."))
    store(memdb, visit("c.txt", "الثالثة", "خبر", date="2023"))  # place and two people shared
    found = story_of(memdb)
    assert found["b.txt"] != found["a.txt"] and found["c.txt"] == found["a.txt"]


def test_undated_events(memdb: Database) -> None:
    store(memdb, visit("a.txt", "الأولى", "خبر"))
    store(memdb, visit("b.txt", "الثانية", "خبر", date=None))  # published the same month
    store(memdb, visit("c.txt", "الثالثة", "خبر", date=None, published="2024-05-01"))  # a later trip
    store(memdb, visit("d.txt", "الرابعة", "خبر", date=None, published=None))  # cannot be placed
    found = story_of(memdb)
    assert found["b.txt"] == found["a.txt"]
    assert len({found["a.txt"], found["c.txt"], found["d.txt"]}) == 3


def test_two_undated_need_place_and_participant(memdb: Database) -> None:
    store(memdb, visit("a.txt", "الأولى", "خبر", date=None))
    store(memdb, visit("b.txt", "الثانية", "خبر", date=None, line="وصل سمير نادر ليلا."))
    store(memdb, visit("c.txt", "الثالثة", "خبر", date=None))
    found = story_of(memdb)
    assert found["a.txt"] == found["c.txt"] != found["b.txt"]


def test_same_article_events_stay_apart(memdb: Database) -> None:
    lines = ["خبر", VISIT, "ثم " + VISIT]
    evs = [Ev("visit", 1, "وصل", "2023-03-05", "البصرة", [("سمير نادر", "agent")]),
           Ev("visit", 2, "وصل", "2023-03-05", "البصرة", [("سمير نادر", "agent")])]  # fmt: skip
    store(memdb, article("a.txt", "الأولى", lines, NAMES, evs))
    assert len(partition(memdb)) == 2
    store(memdb, visit("b.txt", "الثانية", "خبر"))  # joins one of them, not both
    assert sorted(len(g) for g in partition(memdb)) == [1, 2]


def test_assassination_of_one_person_is_one_story(memdb: Database) -> None:
    names: Names = {"نبيل حامد": "PER", "الموصل": "LOC"}
    one = Ev("assassination", 0, "اغتيال", "2019-01", "الموصل", [("نبيل حامد", "target")])
    two = Ev("assassination", 0, "مقتل", None, None, [("نبيل حامد", "target")])
    store(memdb, article("a.txt", "الأولى", ["اغتيال نبيل حامد في الموصل."], names, [one]))
    store(memdb, article("b.txt", "الثانية", ["ذكرى مقتل نبيل حامد."], names, [two], "2024-02-01"))
    [merged] = stories(memdb)
    assert merged["articles"] == ["a.txt", "b.txt"] and merged["date"] == "2019-01"
    # Never a story dated after the article telling it.
    three = Ev("assassination", 0, "مقتل", None, None, [("نبيل حامد", "target")])
    store(memdb, article("c.txt", "الثالثة", ["قبل مقتل نبيل حامد بسنة."], names, [three], "2018-01-01"))
    assert len(stories(memdb)) == 2


def test_loading_twice_changes_nothing(memdb: Database) -> None:
    arts = [visit("a.txt", "الأولى", "بغداد (رويترز) - خبر"), visit("b.txt", "الثانية", "خبر"),
            visit("c.txt", "الثالثة", "خبر", date="2023-04-10")]  # fmt: skip
    for art in arts:
        store(memdb, art)
    before = stories(memdb)
    assert all(store(memdb, art) is None for art in arts)
    assert stories(memdb) == before
    with memdb.atomic():
        rebuild_stories(memdb)
    assert [{**s, "id": 0} for s in stories(memdb)] == [{**s, "id": 0} for s in before]


def test_curation_merge_joins_stories(memdb: Database) -> None:
    names: Names = {"أبو علي البصري": "PER", "حسن سلمان": "PER", "الموصل": "LOC", "البصرة": "LOC"}
    a = Ev("meeting", 0, "اجتمع", "2023-03-05", "الموصل", [("أبو علي البصري", "agent")])
    b = Ev("meeting", 0, "اجتمع", "2023-03-05", "البصرة", [("حسن سلمان", "agent")])
    store(memdb, article("a.txt", "الأولى", ["اجتمع أبو علي البصري بقادة في الموصل."], names, [a]))
    store(memdb, article("b.txt", "الثانية", ["اجتمع حسن سلمان بقادة في البصرة."], names, [b]))
    assert len(stories(memdb)) == 2
    ids = dict(memdb.execute("SELECT name_ar, id FROM actors").fetchall())
    decision = curation.merge(memdb, ids["حسن سلمان"], ids["أبو علي البصري"])
    [merged] = stories(memdb)
    assert merged["participants"] == [{"actor": "حسن سلمان", "role": "agent"}]
    curation.undo(memdb, decision.id)
    assert len(stories(memdb)) == 2


def test_dates_agree_and_combine() -> None:
    assert agreement("2023-03-05", "2023-03") == 2 and agreement("2023-03", "2023") == 1
    assert agreement("2023-03-05", "2023-03-06") is None and agreement(None, "2023") == 0
    assert agreement("--03-05", "2023-03-05") == 1 and agreement("--03-05", "2023-04") is None
    assert combine("2023", "--03-05") == ("2023-03-05", "day")
    assert combine("--03", None) == ("--03", "month")


def test_migration_fills_stories(tmp_path: Any) -> None:
    path = tmp_path / "old.db"
    db = Database(str(path))
    db.table("meta").create({"key": str, "value": str}, pk="key")
    for migration in MIGRATIONS[:4]:
        migration(db)
    db.table("meta").insert({"key": "schema_version", "value": "4"})
    db.execute("INSERT INTO articles (id, content_hash, file, outlet, text) VALUES (1, 'h', 'x.txt', "
               "'صحيفة', 'بغداد (رويترز) - خبر')")  # fmt: skip
    db.execute("INSERT INTO sentences (id, article_id, seq, start, end, text, kind, boilerplate) "
               "VALUES (1, 1, 0, 0, 20, 'بغداد (رويترز) - خبر', 'body', 0)")  # fmt: skip
    db.execute("INSERT INTO events (id, article_id, type, date, date_precision, sentence_id) "
               "VALUES (1, 1, 'visit', '2023', 'year', 1)")  # fmt: skip
    db.conn.commit()
    db.close()
    db = open_db(path)
    version = db.execute("SELECT value FROM meta WHERE key = 'schema_version'").fetchone()[0]
    assert version == str(SCHEMA_VERSION)
    [row] = stories(db)
    assert row["articles"] == ["x.txt"] and row["original_sources"] == ["رويترز"] and row["sources"] == 1
    db.close()


# ---- against the gold seeds --------------------------------------------------------------------------


def _gold_keys(db: Database, gold: dict[str, Any]) -> Iterator[tuple[int, int, int, frozenset[str]]]:
    """(event id, article id, story id, gold event keys) for each of our events that matches gold events.

    A match: same type, one of our evidence sentences holds gold evidence, and our place or a
    participant is named where the gold place or participant is. A gold event without a key is its
    own real-world event.
    """
    arts = db.execute("SELECT id, file, text FROM articles").fetchall()
    for aid, file, text in arts:
        actors = gold_actor_spans(gold, file[:3], text)
        golds = [g for g in gold["events"] if g["article"] == file[:3]]
        for eid, kind, sid in db.execute("SELECT id, type, story_id FROM events WHERE article_id = ?", [aid]):
            sents = db.execute("SELECT s.start, s.end FROM event_evidence v JOIN sentences s "
                               "ON s.id = v.sentence_id WHERE v.event_id = ?", [eid]).fetchall()  # fmt: skip
            spans = db.execute(
                "SELECT m.start, m.end FROM mentions m WHERE m.article_id = ? AND m.actor_id IN ("
                "SELECT place_actor_id FROM events WHERE id = :e UNION "
                "SELECT actor_id FROM event_participants WHERE event_id = :e)".replace(":e", str(eid)),
                [aid],
            ).fetchall()
            keys = frozenset(g.get("event_key") or g["id"] for g in golds
                             if g["type"] == kind and _overlaps(sents, text, g["evidence"])
                             and _names(spans, g, actors))  # fmt: skip
            if keys:
                yield eid, aid, sid, keys


def _overlaps(sents: list[tuple[int, int]], text: str, evidence: list[str]) -> bool:
    found = [sp for e in evidence for sp in spans_of(text, e)]
    return any(a < e and s < b for a, b in sents for s, e in found)


def _names(spans: list[tuple[int, int]], g: dict[str, Any], actors: dict[str, list[tuple[int, int]]]) -> bool:
    wanted = [sp for a in [g["place"], *(p["actor"] for p in g["participants"])] if a
              for sp in actors.get(a, [])]  # fmt: skip
    return any(a < e and s < b for a, b in spans for s, e in wanted)


def story_pair_scores(db: Database, gold: dict[str, Any]) -> dict[str, float]:
    """Pairwise precision and recall of story merging over cross-article pairs of gold-matched events."""
    events = list(_gold_keys(db, gold))
    tp = fp = fn = 0
    for (_, a1, s1, k1), (_, a2, s2, k2) in combinations(events, 2):
        if a1 == a2:
            continue
        same, truth = s1 == s2, bool(k1 & k2)
        tp, fp, fn = tp + (same and truth), fp + (same and not truth), fn + (truth and not same)
    merged = sum(n * (n - 1) // 2 for (n,) in db.execute(
        "SELECT count(*) FROM events GROUP BY story_id"))  # fmt: skip
    return {
        "tp": tp,
        "fp": fp,
        "fn": fn,
        "matched_events": len(events),
        "merged_pairs": merged,
        "precision": tp / (tp + fp) if tp + fp else 1.0,
        "recall": tp / (tp + fn) if tp + fn else 0.0,
    }


def test_gold_story_pairs(seeded: Database) -> None:
    gold = json.loads(shared_path("gold", "seeds.json").read_text(encoding="utf-8"))
    score = story_pair_scores(seeded, gold)
    print("story pairs vs gold event_key:", score)
    assert score["tp"] >= 1, score  # the seeds share Soleimani's killing across four articles
    assert score["precision"] >= 0.8, score


def test_gold_original_sources(seeded: Database) -> None:
    gold = json.loads(shared_path("gold", "seeds.json").read_text(encoding="utf-8"))
    relayed = {a["file"] for a in gold["articles"] if a.get("underlying_source") == "reuters"}
    rows = dict(seeded.execute("SELECT file, original_source FROM articles").fetchall())
    assert {f for f, s in rows.items() if s == "رويترز"} == relayed
    assert len(set(rows.values())) == len(rows) - len(relayed) + 1
