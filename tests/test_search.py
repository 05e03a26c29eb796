"""Search as an Arabic reader expects it, on the seeds; malformed queries never break it."""

from __future__ import annotations

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from sqlite_utils import Database

from qexplore.db.arabic import normalize
from qexplore.db.query import QueryError, expand_latin, parse_query, search


def _matched(db: Database, query: str) -> list[str]:
    """Every matched stretch of raw text over all hits."""
    result = search(db, query, limit=1000)
    return [h.text[s.start : s.end] for h in result.hits for s in h.spans]


def _sentences(db: Database, query: str) -> set[str]:
    return {h.text for h in search(db, query, limit=1000).hits}


def test_article_form_finds_clitic_forms(seeded: Database) -> None:
    forms = set(_matched(seeded, "الكاظمي"))
    assert {"الكاظمي", "والكاظمي", "بالكاظمي"} <= forms
    assert "كاظمي" not in forms  # typed with the article: the bare noun is not asked for


def test_lam_article_contraction_is_found(memdb: Database) -> None:
    from qexplore.db.load import load_sources
    from qexplore.db.models import Source

    text = "وجه الرئيس رسالة للكاظمي أمس. ثم التقى الكاظمي بالوفد."
    load_sources(memdb, [Source("t.txt", text)])
    assert set(_matched(memdb, "الكاظمي")) == {"للكاظمي", "الكاظمي"}


def test_bare_word_finds_article_forms(seeded: Database) -> None:
    forms = {normalize(f) for f in _matched(seeded, "فصائل")}
    assert normalize("الفصائل") in forms and normalize("فصائل") in forms


def test_article_typed_query_does_not_match_a_different_bare_word(seeded: Database) -> None:
    # الصدر (Sadr) must not match مصدر or صدر "issued" written without the article.
    for text in _sentences(seeded, "الصدر"):
        assert "الصدر" in normalize(text) or "للصدر" in normalize(text)


def test_harakat_in_text_or_query_do_not_matter(seeded: Database) -> None:
    plain = _sentences(seeded, "يجري")
    assert any("يُجري" in t for t in plain)
    assert _sentences(seeded, "يُجْرِي") == plain


def test_hamza_and_alef_forms_do_not_matter(seeded: Database) -> None:
    assert _sentences(seeded, "اسماعيل") == _sentences(seeded, "إسماعيل")
    spellings = set(_matched(seeded, "قاآني"))
    assert {"قاآني", "قآاني", "قآني"} <= spellings


def test_quoted_phrase_matches_adjacent_words_only(seeded: Database) -> None:
    phrase = _sentences(seeded, '"حزب الله"')
    both = _sentences(seeded, "حزب الله")
    assert phrase and phrase <= both
    for text in phrase:
        assert "حزب الله" in text or "حزب الله" in normalize(text)
    for hit in search(seeded, '"حزب الله"', limit=100).hits:
        assert all(hit.text[s.start : s.end].endswith("حزب الله") for s in hit.spans)


def test_exclusion_or_and_prefix(seeded: Database) -> None:
    with_baghdad = _sentences(seeded, "قاآني بغداد")
    without = _sentences(seeded, "قاآني -بغداد")
    assert with_baghdad and without and not with_baghdad & without
    either = _sentences(seeded, "الخزعلي OR العامري")
    assert _sentences(seeded, "الخزعلي") | _sentences(seeded, "العامري") == either
    assert _sentences(seeded, "الكاظ*") >= _sentences(seeded, "الكاظمي")


def test_boilerplate_is_left_out_unless_asked(seeded: Database) -> None:
    assert search(seeded, "تصنيفات").total == 0
    assert search(seeded, "تصنيفات", include_boilerplate=True).total == 1


def test_spans_point_into_the_raw_sentence(seeded: Database) -> None:
    for hit in search(seeded, "قاآني الكاظمي", limit=50).hits:
        assert hit.spans
        for span in hit.spans:
            assert 0 <= span.start < span.end <= len(hit.text)


@pytest.mark.parametrize("query", ['"', "*", "-", "NEAR(", '"حزب', "a:b", "()", "OR", "\x00", "^"])
def test_malformed_queries_give_a_result_or_a_clear_error(seeded: Database, query: str) -> None:
    try:
        search(seeded, query)
    except QueryError as exc:
        assert str(exc) and "\n" not in str(exc)


@settings(max_examples=300, deadline=None)
@given(st.text(alphabet=st.characters(codec="utf-8"), max_size=40))
def test_no_query_reaches_sqlite_unparsed(query: str) -> None:
    try:
        expression = parse_query(query).fts()
    except QueryError:
        return
    from qexplore.db.schema import open_db

    db = open_db(":memory:")
    db.execute("SELECT count(*) FROM sentences_fts WHERE sentences_fts MATCH ?", [expression])


def test_latin_name_expands_to_the_curated_actor_not_loose_skeletons(seeded: Database) -> None:
    # "qaani" has the consonant skeleton of Kani, Ghana and CNN too; the curated English name
    # "Esmail Qaani" holds the typed word, so only his names are added to the query.
    parsed = expand_latin(seeded, parse_query("qaani"))
    added = {" ".join(t.forms) for t in parsed.groups[0]} - {"qaani"}
    assert added and all("قا" in form for form in added)
    assert search(seeded, "qaani").total == search(seeded, "قاآني OR قآني OR قاءاني OR قآاني").total
