"""Tests for the CRF named-entity tagger: the shipped model, BIO output, features, scores, and our
decoder (crf_decode, crf_scores) against pycrfsuite's: the same labels, marginals within 1e-6."""

from __future__ import annotations

import argparse
from pathlib import Path
from typing import Any

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from qexplore.db.arabic import words
from qexplore.db.extract import crf, crf_decode
from qexplore.db.extract.crf_scores import Scorer

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


# --- Our decoder against pycrfsuite's (the model's own reference implementation) ---------------

# Words made for these tests: Latin, digits, punctuation, "|" (it joins bigram halves), names.
ODD_WORDS = ["|", "a|b", "||", "ب|", "2024", "٣", "...", "(", "Reuters", "x1", "ـ", "العراق", "بغداد"]


def made_sentences() -> list[list[str]]:
    """Return sentences written for these tests, with odd words spliced in at every place."""
    base = [words(s) for s in (PERSON_AFTER_TITLE, CITY, GENERAL)]
    out = [*base, [], ["بغداد"], ODD_WORDS, ODD_WORDS[::-1]]
    for i, odd in enumerate(ODD_WORDS):
        ws = base[i % len(base)]
        k = i % (len(ws) + 1)
        out.append([*ws[:k], odd, odd, *ws[k:]])
    out.append([w for s in base for w in s] * 4)  # a long one
    return out


def reference(
    model: bytes, sentences: list[list[str]], every_label: int = 1
) -> list[tuple[list[str], list[dict[str, float]]]]:
    """Return pycrfsuite's Viterbi labels and marginals per word of each sentence: of every label
    in every ``every_label``-th sentence, else of the word's own label."""
    import pycrfsuite

    ref = pycrfsuite.Tagger()
    ref.open_inmemory(model)  # ``model`` stays referenced for as long as ``ref`` is used
    labels = ref.labels()
    out: list[tuple[list[str], list[dict[str, float]]]] = []
    for k, ws in enumerate(sentences):
        if not ws:
            out.append(([], []))
            continue
        tags = ref.tag(crf.features(ws))
        asked = [labels if k % every_label == 0 else [t] for t in tags]
        out.append((tags, [{y: ref.marginal(y, i) for y in asked[i]} for i in range(len(ws))]))
    return out


def ours(tagger: crf.Tagger, sentences: list[list[str]], batch: int) -> list[tuple[list[str], Any]]:
    """Return our decoder's labels and marginals per sentence, decoding ``batch`` sentences at a time."""
    scorer = tagger._load()
    labels = scorer.model.labels
    out: list[tuple[list[str], Any]] = []
    for k in range(0, len(sentences), batch):
        part = sentences[k : k + batch]
        found = crf_decode.decode(scorer.model, scorer.scores(part), [len(s) for s in part])
        start = 0
        for path in found.paths:
            out.append(([labels[y] for y in path], found.marginals[start : start + len(path)]))
            start += len(path)
    return out


def assert_same_decoding(model: bytes, sentences: list[list[str]], batch: int, every_label: int = 1) -> None:
    """Fail unless our labels equal pycrfsuite's and the marginals asked agree within 1e-6."""
    tagger = crf.Tagger(model)
    labels = tagger._load().model.labels
    worst = 0.0
    want_all = reference(model, sentences, every_label)
    for (want, want_p), (got, got_p) in zip(want_all, ours(tagger, sentences, batch), strict=True):
        assert got == want
        for i, probs in enumerate(want_p):
            worst = max(worst, *(abs(got_p[i][labels.index(y)] - p) for y, p in probs.items()))
    assert worst < 1e-6, worst


def test_decoder_matches_pycrfsuite_on_made_sentences() -> None:
    model = crf.Tagger()._model_bytes()
    assert_same_decoding(model, made_sentences(), batch=5)
    assert_same_decoding(model, made_sentences(), batch=1)


@pytest.mark.skipif(not TRAIN.is_file(), reason=f"ANERcorp train split not found at {TRAIN}")
def test_decoder_matches_pycrfsuite_on_anercorp() -> None:
    from qexplore.db.build import train_ner

    conll = train_ner.read_conll(TRAIN)
    sentences = [train_ner.retokenize(s)[0] for s in conll]
    assert len(sentences) > 3000
    assert_same_decoding(crf.Tagger()._model_bytes(), sentences, batch=12, every_label=10)


def test_decoder_matches_pycrfsuite_on_a_model_with_bars_in_bigrams(tmp_path: Path) -> None:
    """A model trained here on made sentences has "|" inside bigram halves: b-=a|b|c must split right."""
    import pycrfsuite

    sentences = made_sentences()
    trainer = pycrfsuite.Trainer(verbose=False)
    for k, ws in enumerate(sentences):
        if ws:
            cycle = ("B-LOC", "I-LOC", "O", "B-PER", "O", "B-ORG", "B-MISC")
            tags = [cycle[(k + i) % len(cycle)] for i in range(len(ws))]
            trainer.append(crf.features(ws), crf.valid_bio(tags))
    trainer.set_params({"c2": 0.01, "max_iterations": 40, "feature.possible_transitions": True})
    trainer.train(str(tmp_path / "m.crfsuite"))
    model = (tmp_path / "m.crfsuite").read_bytes()
    attrs = crf_decode.read_model(model).attrs
    assert any(a.startswith("b-=") and a.count("|") > 1 for a in attrs)
    assert_same_decoding(model, sentences, batch=4)


def test_scores_are_the_weights_of_the_features() -> None:
    """A word's state score is the sum of the model's weights for its crf.features attributes."""
    scorer = crf.Tagger()._load()
    model = scorer.model
    sentences = [s for s in made_sentences() if s]
    got = scorer.scores(sentences)
    want = [
        sum((model.state[model.attrs[a]] for a in feats if a in model.attrs), np.zeros(len(model.labels)))
        for ws in sentences
        for feats in crf.features(ws)
    ]
    assert got.shape == (sum(map(len, sentences)), len(model.labels))
    assert np.allclose(got, want, rtol=0, atol=1e-9)


def test_a_full_word_cache_starts_afresh_without_changing_scores() -> None:
    tagger = crf.Tagger()
    model = tagger._load().model
    sentences = made_sentences()
    roomy = Scorer(model, crf.word_parts, crf._gaz_spans).scores(sentences)
    small = Scorer(model, crf.word_parts, crf._gaz_spans, capacity=7)
    assert max(map(len, sentences)) > 7  # one sentence is too long to cache at all
    assert np.allclose(small.scores(sentences), roomy, rtol=0, atol=1e-12)
    again = Scorer(model, crf.word_parts, crf._gaz_spans).scores(sentences[::-1])
    assert np.allclose(small.scores(sentences[::-1]), again, rtol=0, atol=1e-12)  # a part-filled cache


def test_prefetch_answers_entities_as_tagging_one_by_one(monkeypatch: pytest.MonkeyPatch) -> None:
    sentences = made_sentences()
    one = crf.Tagger()
    alone = [one.entities(ws) for ws in sentences]
    tagger = crf.Tagger()
    tagger.prefetch(sentences)

    def refuse(_: object) -> None:
        raise AssertionError("entities_batch called after prefetch")

    monkeypatch.setattr(tagger, "entities_batch", refuse)
    together = [tagger.entities(ws) for ws in sentences]
    assert [[(s.start, s.end, s.label) for s in x] for x in together] == [
        [(s.start, s.end, s.label) for s in x] for x in alone
    ]
    pairs = [(a, b) for x, y in zip(together, alone, strict=True) for a, b in zip(x, y, strict=True)]
    assert all(abs(a.confidence - b.confidence) < 1e-9 for a, b in pairs)
    assert any(together)


def test_a_file_that_is_no_model_is_refused() -> None:
    model = crf.Tagger()._model_bytes()
    for bad in (b"", b"not a model at all" * 10, model[:2000], b"lCRF" + model[4:100]):
        with pytest.raises(ValueError, match="crfsuite"):
            crf_decode.read_model(bad)
    with pytest.raises(ValueError, match="crfsuite"):
        crf.Tagger(b"garbage").tag(["x"])


def test_tagging_together_or_alone_gives_the_same_tags() -> None:
    tagger = crf.Tagger()
    sentences = made_sentences()
    together = tagger.tag_batch(sentences)
    assert together == [tagger.tag(ws) for ws in sentences]
    assert together == [[t for t, _ in tagger.tag_marginals(ws)] for ws in sentences]
    assert any(t != "O" for tags in together for t in tags)
