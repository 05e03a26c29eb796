"""The extraction shortcuts (date cue tests, the gazetteer's head memo, cached tokens) change nothing.

Each shortcut skips work that cannot find anything; these tests run the same texts with the shortcut
disabled and require the very same results, offsets included.
"""

from __future__ import annotations

from datetime import date
from importlib import resources

import pytest

from qexplore.db.arabic import Token, normalize, tokens, words
from qexplore.db.extract import dates, entities
from qexplore.db.extract.gazetteer import build
from qexplore.db.segment import segment

# Forms at the edges of the cue tests: a month glued to its day, a Levantine month across spaces,
# day words inside longer words (بغداد holds غد), years among other numbers, periods.
EDGE_TEXTS = (
    "وصل الوفد في 15يناير 2021 إلى بغداد",
    "جرى ذلك في كانون   الثاني الماضي",
    "قال الوزير أمس الأول إن الاجتماع سيعقد بعد غد في بغداد",
    "أعلنت الوزارة الثلاثاء الماضي أن العامة من الناس",
    "اتصل على الرقم 0770123456 في 2021/07/28",
    "سيعقد الاجتماع في الأسبوع المقبل أو هذا الشهر",
    "وقع الهجوم في الحادي عشر من آب/أغسطس عام 2020",
    "كتاب جديد عن التاريخ صدر في مارس",
    "Reuters reported on March 3, 2021 that talks resumed",
    "لا تاريخ في هذه الجملة على الإطلاق",
)


def _seed_sentences() -> list[str]:
    folder = resources.files("qexplore.seeds")
    texts = [p.read_text(encoding="utf-8") for p in folder.iterdir() if p.name.endswith(".txt")]
    return [s.text for t in texts for s in segment(t)]


@pytest.fixture(scope="module")
def sentences() -> list[str]:
    found = _seed_sentences()
    assert len(found) > 100  # the seeds ship with the package
    return [*found, *EDGE_TEXTS]


def _spelled(found: list[dates.FoundDate]) -> list[tuple[object, ...]]:
    return [(d.value, d.precision, d.basis, d.start, d.end, d.conflict, d.note) for d in found]


@pytest.mark.parametrize("reference", [None, date(2021, 7, 28), "2021-07"])
def test_date_cues_never_hide_a_date(
    sentences: list[str], reference: object, monkeypatch: pytest.MonkeyPatch
) -> None:
    fast = [_spelled(dates.find_dates(t, reference)) for t in sentences]  # type: ignore[arg-type]
    assert sum(map(len, fast)) > 20  # the texts do hold dates
    monkeypatch.setattr(dates, "_NEEDS", dict.fromkeys(dates._NEEDS, frozenset()))
    monkeypatch.setattr(dates, "_cues", lambda norm: frozenset({"all"}))
    dates._find_dates.cache_clear()
    try:
        slow = [_spelled(dates.find_dates(t, reference)) for t in sentences]  # type: ignore[arg-type]
    finally:
        dates._find_dates.cache_clear()
    assert fast == slow


def test_find_dates_returns_a_fresh_list() -> None:
    first = dates.find_dates("وصل في 3 مارس 2021")
    first.clear()
    assert len(dates.find_dates("وصل في 3 مارس 2021")) == 1


def test_gazetteer_head_memo_finds_the_same_names(sentences: list[str]) -> None:
    gaz = build()
    plain = build()
    plain.may_start = lambda part: True  # type: ignore[method-assign]
    plain._heads_of = lambda part: _heads_uncached(plain, part)  # type: ignore[method-assign]
    found = 0
    for text in sentences:
        toks = entities.sentence_tokens(text)
        fast = entities._gazetteer(toks, gaz)
        assert fast == entities._gazetteer(toks, plain)
        found += len(fast)
    assert found > 50


def _heads_uncached(gaz: object, part: str) -> tuple[str, ...]:
    from qexplore.db.arabic import is_function_word, strip_proclitics

    first = gaz._first  # type: ignore[attr-defined]
    forms = [part] + ([s] if (s := strip_proclitics(part)) != part else [])
    if is_function_word(part):
        return ()
    return tuple(h for h in forms if h in first or "ال" + h in first)


def test_tokens_are_immutable_and_agree_with_words() -> None:
    text = "قال الرئيسُ الإيرانيّ إنّ ٢٠٢١ عامٌ صعب"
    toks = list(tokens(text))
    assert [t.norm for t in toks] == words(text)
    start = text.index("الرئيسُ")
    assert toks[1] == Token(start, start + len("الرئيسُ"), "الرئيسُ", normalize("الرئيسُ"))
    with pytest.raises(AttributeError):
        toks[0].norm = "x"  # type: ignore[misc]
    assert [t.raw for t in toks] == [text[t.start : t.end] for t in toks]
