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


def test_every_sentence_unfiltered_comes_once_in_load_order(seeded: Database) -> None:
    total = browse.count_sentences(seeded, Filter())
    rows = browse.sentences_page(seeded, Filter(), limit=total + 10)
    kept = seeded.execute("SELECT count(*) FROM sentences WHERE boilerplate = 0").fetchone()[0]
    assert len(rows) == total == kept
    assert [(r.article_id, r.seq) for r in rows] == sorted((r.article_id, r.seq) for r in rows)


def test_stories_of_a_search_are_those_with_matching_evidence(seeded: Database) -> None:
    flt = Filter("بغداد")
    shown = {s.id for s in browse.stories_page(seeded, flt, limit=1000)}
    _, member = browse.story_source(seeded)
    direct = {r[0] for r in seeded.execute(
        f"SELECT DISTINCT {member} FROM events e JOIN event_evidence v ON v.event_id = e.id "
        "WHERE v.sentence_id IN (SELECT rowid FROM sentences_fts WHERE sentences_fts MATCH ?)",
        [browse.prepare(seeded, "بغداد").fts])}
    assert shown == direct and browse.count_stories(seeded, flt) == len(direct) > 0


def test_a_word_inside_a_name_finds_the_actor_but_not_a_word_it_merely_contains(seeded: Database) -> None:
    from qexplore.db.arabic import name_key
    from qexplore.db.query_actors import names_beginning

    kadhimi = browse.actors_page(seeded, Filter("kadhimi"), limit=1)[0]
    assert kadhimi.id in names_beginning(seeded, name_key("كاظم"))  # مصطفى الكاظمي: a word begins so
    assert kadhimi.id not in names_beginning(seeded, name_key("اظمي"))  # inside a word only
    assert kadhimi.id in browse.prepare(seeded, "الكاظ").named


def test_a_count_that_stops_is_capped_and_a_cut_timeline_says_so(seeded: Database,
                                                                  monkeypatch: object) -> None:
    import pytest

    from qexplore.db import query
    from qexplore.db.browse_cache import forget_memo

    assert isinstance(monkeypatch, pytest.MonkeyPatch)
    flt = Filter("بغداد")
    full = browse.sentences_total(seeded, flt)
    stories = browse.stories_total(seeded, flt)
    assert full.n > 2 and not full.capped and stories.note == ""
    forget_memo(seeded)
    monkeypatch.setattr(query, "COUNT_LIMIT", 2)
    capped = browse.sentences_total(seeded, flt)
    assert capped.n == 2 and capped.capped
    forget_memo(seeded)
    monkeypatch.setattr(browse, "STORY_HITS", 1)
    cut = browse.stories_total(seeded, flt)
    assert "newest 1 matches" in cut.note and cut.n <= stories.n
    assert cut.n == len(browse.stories_page(seeded, flt, limit=500))
    forget_memo(seeded)


def test_a_common_words_actors_come_from_its_newest_matches_and_say_so(seeded: Database,
                                                                        monkeypatch: object) -> None:
    import pytest

    from qexplore.db import browse_actors
    from qexplore.db.browse_cache import forget_memo, mentioned_range

    assert isinstance(monkeypatch, pytest.MonkeyPatch)
    flt = Filter("بغداد")
    whole = browse.actors_total(seeded, flt)
    assert whole.n > 1 and whole.note == ""
    lo, hi = mentioned_range(seeded)
    fts = browse.prepare(seeded, flt.query).fts
    newest = seeded.execute("SELECT max(rowid) FROM sentences_fts WHERE sentences_fts MATCH ? "
                            "AND rowid BETWEEN ? AND ?", [fts, lo, hi]).fetchone()[0]
    beside = {int(r[0]) for r in seeded.execute(
        "SELECT m.actor_id FROM mentions m JOIN actors a ON a.id = m.actor_id "
        "WHERE m.sentence_id = ? AND a.merged_into IS NULL", [newest])}
    forget_memo(seeded)
    monkeypatch.setattr(browse_actors, "ACTOR_HITS", 1)
    cut = browse.actors_total(seeded, flt)
    assert cut.note == "from the newest 1 matches" and cut.n <= whole.n
    rows = browse.actors_page(seeded, flt, limit=500)
    assert len(rows) == cut.n
    assert {a.id for a in rows if not a.named} == beside - {a.id for a in rows if a.named}
