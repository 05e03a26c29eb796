"""The explorer's read-only queries on the seeds: paged lists and detail records."""

from __future__ import annotations

from sqlite_utils import Database

from qexplore.db import browse, browse_detail
from qexplore.db.browse import Filter


def test_actor_list_pages_without_overlap_and_counts_agree(seeded: Database) -> None:
    total = browse.count_actors(seeded, Filter())
    first = browse.actors_page(seeded, Filter(), limit=10)
    second = browse.actors_page(seeded, Filter(), limit=10, offset=10)
    assert total > 20 and len(first) == len(second) == 10
    assert not {a.id for a in first} & {a.id for a in second}
    mentions = [a.mentions for a in first + second]
    assert mentions == sorted(mentions, reverse=True)


def test_type_filter_and_latin_name(seeded: Database) -> None:
    people = browse.actors_page(seeded, Filter(kind="PER"), limit=50)
    assert people and {a.type for a in people} == {"PER"}
    found = browse.actors_page(seeded, Filter("kadhimi"), limit=3)
    assert found[0].name_ar == "مصطفى الكاظمي" and found[0].named


def test_sentences_for_an_actor_mark_its_mentions(seeded: Database) -> None:
    kadhimi = browse.actors_page(seeded, Filter("الكاظمي"), limit=1)[0]
    flt = Filter(actor_id=kadhimi.id)
    rows = browse.sentences_page(seeded, flt, limit=500)
    assert len(rows) == browse.count_sentences(seeded, flt) > 0
    for row in rows:
        assert row.matches and all(row.text[s.start:s.end] for s in row.matches)
        assert any(m.actor_id == kadhimi.id for m in row.mentions)


def test_search_sentences_match_the_cli_engine(seeded: Database) -> None:
    from qexplore.db.query import search

    flt = Filter("الخزعلي")
    assert browse.count_sentences(seeded, flt) == search(seeded, "الخزعلي").total
    for row in browse.sentences_page(seeded, flt):
        assert any("الخزعلي" in row.text[s.start:s.end] for s in row.matches)


def test_stories_follow_the_actor_and_detail_agrees(seeded: Database) -> None:
    qaani = browse.actors_page(seeded, Filter("qaani"), limit=1)[0]
    flt = Filter(actor_id=qaani.id)
    stories = browse.stories_page(seeded, flt, limit=500)
    assert len(stories) == browse.count_stories(seeded, flt) > 0
    assert len(stories) < browse.count_stories(seeded, Filter())
    detail = browse_detail.story_detail(seeded, stories[0].id)
    ids = {p.actor.id for p in detail.participants} | ({detail.place.id} if detail.place else set())
    assert qaani.id in ids
    evidence = browse.sentences_page(seeded, Filter(story_id=detail.id))
    assert len(evidence) == stories[0].sentences >= 1


def test_actor_detail_claims_and_companions(seeded: Database) -> None:
    qaani = browse.actors_page(seeded, Filter("qaani"), limit=1)[0]
    detail = browse_detail.actor_detail(seeded, qaani.id)
    assert detail.actor.name_en == "Esmail Qaani" and detail.aliases
    assert detail.mentions == qaani.mentions
    claims = browse_detail.claims_page(seeded, by=qaani.id, limit=100)
    assert len(claims) == detail.claims_by > 0
    about = browse_detail.claims_page(seeded, about=qaani.id, limit=500)
    assert len(about) == detail.claims_about
    companions = browse_detail.co_actors_page(seeded, qaani.id, limit=5)
    assert companions and qaani.id not in {c.actor.id for c in companions}
    shared = [c.sentences for c in companions]
    assert shared == sorted(shared, reverse=True)


def test_claim_detail_and_article(seeded: Database) -> None:
    claim = browse_detail.claims_page(seeded, limit=1)[0]
    detail = browse_detail.claim_detail(seeded, claim.id)
    spans = dict(detail.spans)
    assert detail.sentence.text[spans["cue"].start:spans["cue"].end] == detail.cue
    doc = browse_detail.article_doc(seeded, detail.sentence.article_id)
    assert detail.sentence.id in {s.id for s in doc.sentences}
    for m in doc.mentions[:20]:
        assert doc.text[m.start:m.end]
    try:
        browse_detail.article_doc(seeded, 10_000)
    except browse_detail.NotFound as exc:
        assert "10000" in str(exc)
    else:
        raise AssertionError("an unknown article must raise NotFound")
