"""Tests for the CRF named-entity tagger: the shipped model, BIO output, features, scores."""

from __future__ import annotations

import argparse
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from qexplore.db.arabic import words
from qexplore.db.extract import crf

SHARED = Path(__file__).resolve().parents[1].parent / "shared"
TRAIN = SHARED / "data" / "ner" / "anercorp_camel" / "train.conll"
LABELS = {"O"} | {f"{p}-{t}" for p in "BI" for t in crf.TYPES}

# Sentences written for these tests (not taken from any corpus).
PERSON_AFTER_TITLE = "وقال الرئيس الفرنسي إيمانويل ماكرون إن المفاوضات ستستمر"
CITY = "وصل الوفد إلى مدينة بغداد صباح أمس قادما من القاهرة"
GENERAL = "التقى اللواء سمير حداد بوزير الدفاع في عمان يوم الأحد"


def entity_texts(sentence: str) -> dict[str, str]:
    """Return entity text -> type for a sentence tagged by the shipped model."""
    ws = words(sentence)
    return {" ".join(ws[s:e]): label for s, e, label in crf.spans(crf.tag(ws))}


def assert_valid_bio(tags: list[str]) -> None:
    """Fail unless every tag is known and every I- continues an entity of its type."""
    for i, tag in enumerate(tags):
        assert tag in LABELS
        if tag.startswith("I-"):
            assert i > 0 and tags[i - 1][2:] == tag[2:], tags


def test_person_after_title() -> None:
    found = entity_texts(PERSON_AFTER_TITLE)
    assert found.get("ايمانويل ماكرون") == "PER", found


def test_cities() -> None:
    found = entity_texts(CITY)
    assert found.get("بغداد") == "LOC", found
    assert found.get("القاهرة") == "LOC", found


def test_general_and_city() -> None:
    found = entity_texts(GENERAL)
    assert found.get("سمير حداد") == "PER", found
    assert found.get("عمان") == "LOC", found


def test_raw_and_normalised_words_tag_alike() -> None:
    raw = PERSON_AFTER_TITLE.split()
    assert crf.tag(raw) == crf.tag(words(PERSON_AFTER_TITLE))


def test_one_valid_tag_per_word() -> None:
    for sentence in (PERSON_AFTER_TITLE, CITY, GENERAL):
        ws = words(sentence)
        tags = crf.tag(ws)
        assert len(tags) == len(ws)
        assert_valid_bio(tags)
    assert crf.tag([]) == []


@settings(max_examples=50, deadline=None)
@given(st.lists(st.text(alphabet="ابتثجحخدذرسشصعغفقكلمنهوي .1", min_size=1, max_size=8), max_size=20))
def test_any_words_get_valid_bio(ws: list[str]) -> None:
    tags = crf.tag(ws)
    assert len(tags) == len(ws)
    assert_valid_bio(tags)


def test_entities_carry_confidence() -> None:
    spans = crf.default_tagger().entities(words(CITY))
    assert spans
    assert all(0.0 < s.confidence <= 1.0 for s in spans)
    marginals = crf.default_tagger().tag_marginals(words(CITY))
    assert [t for t, _ in marginals] == crf.tag(words(CITY))


def test_features_are_deterministic() -> None:
    ws = words(GENERAL)
    first = crf.features(ws)
    crf._word.cache_clear()
    assert crf.features(ws) == first
    assert len(first) == len(ws)
    assert "-1:BOS" in first[0] and "1:EOS" in first[-1]


def test_features_see_triggers_and_clusters() -> None:
    feats = crf.features(words(GENERAL))
    assert "-1:title" in feats[2]  # سمير, right after اللواء
    assert any(f.startswith("c1=") and not f.endswith("?") for f in feats[1])


def test_features_see_the_curated_gazetteer() -> None:
    ws = words(PERSON_AFTER_TITLE)
    feats = crf.features(ws)
    macron = ws.index("ماكرون")
    assert "gw=PER" in feats[macron]
    assert "G=B-PER" in feats[macron - 1] and "G=I-PER" in feats[macron]  # إيمانويل ماكرون
    assert "-1:G=B-PER" in feats[macron]
    city = crf.features(words("وصل الوفد إلى بغداد"))
    assert "G=B-LOC" in city[-1] and "gw=LOC" in city[-1]
    assert not any(f.startswith("gw=") for f in city[2])  # إلى: a function word, never marked


def test_gazetteer_keys_are_clitic_free() -> None:
    gaz = crf.gazetteer()
    assert gaz.names and gaz.word_types
    assert gaz.names[(crf._gaz_key("العراق"),)] == "LOC"
    assert crf._gaz_spans(["x", "بغداد", "y"]) == [None, "G=B-LOC", None]


def test_spans_follow_conlleval() -> None:
    tags = ["B-PER", "I-PER", "O", "I-LOC", "B-LOC", "I-ORG", "I-ORG"]
    assert crf.spans(tags) == [(0, 2, "PER"), (3, 4, "LOC"), (4, 5, "LOC"), (5, 7, "ORG")]
    assert crf.valid_bio(tags)[3] == "B-LOC"


def test_trigger_lists_are_normalised() -> None:
    assert "جنرال" in crf.TITLES
    assert "كتايب" in crf.ORG_HEADS  # ئ folded to ي by normalize


@pytest.mark.skipif(not TRAIN.is_file(), reason=f"ANERcorp train split not found at {TRAIN}")
def test_held_out_f1_floor(tmp_path: Path) -> None:
    """Train on the first 90% of ANERcorp train, score the last 10% (entity-level micro F1)."""
    from qexplore.db.build import train_ner

    sentences = [train_ner.retokenize(s) for s in train_ner.read_conll(TRAIN)]
    cut = len(sentences) * 9 // 10
    args = argparse.Namespace(c1=0.05, c2=0.01, iterations=100, minfreq=1)
    model = tmp_path / "m.crfsuite"
    train_ner.train(sentences[:cut], model, args)
    assert train_ner.evaluate(model, sentences[cut:]) > 0.68
