"""The Arabic text layer: normaliser, clitics, name keys and word offsets."""

from __future__ import annotations

from hypothesis import given
from hypothesis import strategies as st

from qexplore.db.arabic import index_forms, name_key, normalize, strip_proclitics, tokens


def test_normalize_folds_letters_strips_marks_and_maps_digits() -> None:
    assert normalize("يُجْرِي") == "يجري"
    assert normalize("أإآٱا") == "ااااا"
    assert normalize("مستشفى") == "مستشفي"
    assert normalize("مؤتمر") == "موتمر"
    assert normalize("رئيس") == "رييس"
    assert normalize("کتاب ایران") == "كتاب ايران"
    assert normalize("٢٠٢١ ۱۴۰۰") == "2021 1400"
    assert normalize("الجمهوريـــة") == "الجمهورية"


def test_normalize_keeps_lone_hamza() -> None:
    assert "ء" in normalize("أجزاء") and normalize("سماء") == "سماء"


def test_article_clitics_reduce_to_the_article_form() -> None:
    for form in ("والكاظمي", "للكاظمي", "بالكاظمي", "فالكاظمي", "كالكاظمي", "الكاظمي"):
        assert index_forms(normalize(form)) == ("الكاظمي", "كاظمي"), form


def test_single_clitic_goes_only_before_a_known_word() -> None:
    assert strip_proclitics(normalize("وفصائل")) == normalize("فصائل")
    assert strip_proclitics(normalize("لحزب")) == "حزب"
    # The remainder is no word (زير, قت, رنامج) or the whole word is the common reading.
    for word in ("وزير", "وقت", "برنامج", "فصائل", "بالغ", "والدة"):
        assert strip_proclitics(normalize(word)) == normalize(word), word


def test_allah_keeps_its_article() -> None:
    assert index_forms("الله") == ("الله", "الله")
    assert index_forms("لله") == ("الله", "الله")


def test_name_key_merges_spelling_variants() -> None:
    assert name_key("قاآني") == name_key("قآاني") == name_key("قآني")
    assert name_key("أبو فدك") == name_key("أبوالفدك") == name_key("أبو الفدك")
    assert name_key("عبدالعزيز") == name_key("عبد العزيز")
    assert name_key("الكاظمي") == name_key("كاظمي")
    assert name_key("حزب الله") != name_key("كتائب حزب الله")


@given(st.text())
def test_normalize_is_idempotent(text: str) -> None:
    once = normalize(text)
    assert normalize(once) == once


@given(st.text(alphabet=st.sampled_from(list("قاآنيأبو فدك،.ُ ً\n\"«»ـ"))))
def test_token_offsets_cut_the_raw_word(text: str) -> None:
    for token in tokens(text):
        assert text[token.start : token.end] == token.raw
        assert token.norm == normalize(token.raw)
