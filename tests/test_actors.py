"""Actors: spelling variants merge, short forms link, gazetteer aliases, nested names stay apart."""

from __future__ import annotations

from pathlib import Path

import pytest
from sqlite_utils import Database

from qexplore.db.arabic import name_key
from qexplore.db.config import seed_files
from qexplore.db.extract.actors import cluster
from qexplore.db.load import load_files, load_sources
from qexplore.db.models import Mention, Source
from qexplore.db.query_actors import actor_rows, suggest_merges


def _actor_of(db: Database, surface: str, article_prefix: str | None = None) -> set[int]:
    sql = "SELECT DISTINCT m.actor_id FROM mentions m JOIN articles a ON a.id = m.article_id "
    sql += "WHERE m.surface = ?" + (" AND a.file LIKE ?" if article_prefix else "")
    params = [surface] + ([article_prefix + "%"] if article_prefix else [])
    return {r[0] for r in db.execute(sql, params)}


def _surfaces(db: Database, actor_id: int) -> set[str]:
    return {r[0] for r in db.execute("SELECT surface FROM mentions WHERE actor_id = ?", [actor_id])}


def test_seed_spellings_of_qaani_are_one_actor(seeded: Database) -> None:
    ids = _actor_of(seeded, "قاآني") | _actor_of(seeded, "قآاني") | _actor_of(seeded, "قآني")
    assert len(ids) == 1


def test_kunya_spellings_and_full_name_are_one_actor(seeded: Database) -> None:
    ids = set()
    for form in ("أبو فدك", "أبوالفدك", "عبد العزيز المحمداوي", "المحمداوي"):
        ids |= _actor_of(seeded, form)
    assert len(ids) == 1


def test_gazetteer_aliases_join_what_spelling_cannot(seeded: Database) -> None:
    assert len(_actor_of(seeded, "قوة القدس") | _actor_of(seeded, "فيلق القدس")) == 1
    kataib = _actor_of(seeded, "كتائب حزب الله")
    assert len(kataib) == 1 and _actor_of(seeded, "حزب الله ـــ العراق") == kataib


def test_a_name_nested_in_a_longer_one_stays_its_own_actor(seeded: Database) -> None:
    # 000 names Lebanon's Hezbollah (its secretary-general) and Kataib Hezbollah apart.
    lebanese = _actor_of(seeded, "حزب الله", "000")
    assert len(lebanese) == 1 and not lebanese & _actor_of(seeded, "كتائب حزب الله")
    # 004 writes the qualified «حزب الله ـــ العراق»: its bare «حزب الله» is the same faction.
    assert _actor_of(seeded, "حزب الله", "004") == _actor_of(seeded, "حزب الله ـــ العراق")


def test_exact_name_keys_merge_within_and_across_articles(memdb: Database) -> None:
    from qexplore.db.extract.actors import resolve

    first = cluster([_m("قاآني", "PER", 0), _m("قآاني", "PER", 10)])
    second = cluster([_m("قآني", "PER", 0)])
    assert len(first) == len(second) == 1
    assert resolve(memdb, first[0]) == resolve(memdb, second[0])
    assert resolve(memdb, cluster([_m("قاني", "LOC", 0)])[0]) != resolve(memdb, first[0])


def _m(surface: str, kind: str, start: int) -> Mention:
    return Mention(0, start, start + len(surface), surface, kind, "crf", 0.9)


def test_a_surname_links_to_the_full_name_met_in_the_article_never_across_types() -> None:
    mentions = [_m("نصر الشمري", "PER", 0), _m("الشمري", "PER", 20), _m("الشمري", "LOC", 40)]
    actors = cluster(mentions)
    per = [a for a in actors if a.type == "PER"]
    assert len(per) == 1 and sorted(per[0].members) == [0, 1]
    assert [a.members for a in actors if a.type == "LOC"] == [[2]]


def test_a_surname_shared_by_two_full_names_links_to_neither() -> None:
    mentions = [_m("أحمد الموسوي", "PER", 0), _m("علي الموسوي", "PER", 20), _m("الموسوي", "PER", 40)]
    assert len(cluster(mentions)) == 3


def test_near_spellings_of_one_kunya_name_cluster() -> None:
    mentions = [_m("أبو باقر السعدي", "PER", 0), _m("أبو باقر الساعدي", "PER", 30)]
    assert len(cluster(mentions)) == 1
    other = [_m("عبد الوهاب الساعدي", "PER", 0), _m("أبو باقر السعدي", "PER", 30)]
    assert len(cluster(other)) == 2


def test_merge_suggestions_never_merge_and_skip_nested_names(seeded_path: Path) -> None:
    from qexplore.db.schema import open_db

    db = open_db(seeded_path)
    before = db.execute("SELECT count(*) FROM actors WHERE merged_into IS NULL").fetchone()
    pairs = {(s.a.name_ar, s.b.name_ar) for s in suggest_merges(db, threshold=60)}
    after = db.execute("SELECT count(*) FROM actors WHERE merged_into IS NULL").fetchone()
    assert before == after
    assert ("حزب الله", "كتائب حزب الله") not in pairs and ("كتائب حزب الله", "حزب الله") not in pairs
    db.close()


def test_latin_letters_find_actors_and_their_sentences(seeded: Database) -> None:
    from qexplore.db.query import search

    assert [r.name_en for r in actor_rows(seeded, "kadhimi")] == ["Mustafa al-Kadhimi"]
    qaani = search(seeded, "qaani", limit=500)
    arabic = search(seeded, "قاآني", limit=500)
    assert qaani.total >= arabic.total > 0
    assert {h.sentence_id for h in arabic.hits} <= {h.sentence_id for h in qaani.hits}


def test_every_actor_has_an_english_name(seeded: Database) -> None:
    rows = actor_rows(seeded, limit=10_000)
    assert rows and all(r.name_en and r.name_en.isascii() for r in rows)


@pytest.fixture
def split_load(tmp_path: Path) -> tuple[Database, list[Path]]:
    from qexplore.db.schema import open_db

    db = open_db(tmp_path / "c.db")
    seeds = seed_files()
    load_files(db, seeds[:2])
    return db, seeds


def test_user_merge_survives_later_loads_and_undo(split_load: tuple[Database, list[Path]]) -> None:
    from qexplore.db import curation

    db, seeds = split_load
    kadhimi = actor_rows(db, "kadhimi")[0].id
    iraq = actor_rows(db, "العراق", kind="LOC")[0].id
    with pytest.raises(curation.CurationError):
        curation.merge(db, kadhimi, iraq)  # never across types
    baghdad = actor_rows(db, "بغداد", kind="LOC")[0].id
    decision = curation.merge(db, iraq, baghdad)
    load_files(db, seeds[2:])  # new articles mention Baghdad: they follow the merge
    assert not db.execute("SELECT 1 FROM mentions WHERE actor_id = ?", [baghdad]).fetchone()
    assert "بغداد" in _surfaces(db, iraq)
    curation.undo(db, decision.id)
    assert "بغداد" in _surfaces(db, baghdad) and "بغداد" not in _surfaces(db, iraq)


def test_user_alias_and_split_steer_later_loads(split_load: tuple[Database, list[Path]]) -> None:
    from qexplore.db import curation

    db, seeds = split_load
    khazali = actor_rows(db, "khazali")[0].id
    curation.alias(db, khazali, "أبو علي الخزعلي")
    curation.split(db, khazali, "الخزعلي")
    load_sources(db, [Source("new.txt", "وقال أبو علي الخزعلي إن الهدنة انتهت. وأضاف الخزعلي أنه يرفض.")])
    new_article = "SELECT m.actor_id FROM mentions m JOIN articles a ON a.id = m.article_id "
    new_article += "WHERE a.file = 'new.txt' AND m.key = ?"
    assert {r[0] for r in db.execute(new_article, [name_key("أبو علي الخزعلي")])} == {khazali}
    split_off = {r[0] for r in db.execute(new_article, [name_key("الخزعلي")])}
    assert split_off and khazali not in split_off
    history = curation.history(db)
    assert [d.action for d in history] == ["alias", "split"]
