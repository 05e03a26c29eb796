"""The fast search path (db.highlight, the page and count shortcuts of db.query) changes no result.

The highlighter looks only at the words a per-query regex finds; these tests hold the word-by-word
implementation it replaced and require the very same spans on generated Arabic text (clitics,
spelling variants, harakat, tatweel, presentation forms, Latin, punctuation), and check the
properties its shortcut rests on. The count shortcuts are run against the plain count.
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Iterator

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from sqlite_utils import Database

from qexplore.db import highlight, query
from qexplore.db.arabic import _WORD, index_forms, lexicon, normalize, tokens, words
from qexplore.db.highlight import Highlighter, match_spans
from qexplore.db.models import Span
from qexplore.db.query import ParsedQuery, QueryError, expand_latin, parse_query, search

# ---- the word-by-word implementation (db/query.py before db/highlight.py) ----------------------


def reference_spans(text: str, parsed: ParsedQuery) -> tuple[Span, ...]:
    """Tokenise ``text`` and compare every word's index forms with every term."""
    toks = list(tokens(text))
    starts: dict[tuple[int, str], list[query.Term]] = {}
    prefixes: list[tuple[int, str]] = []
    for term in (t for group in parsed.groups for t in group):
        col = 0 if term.column == "art" else 1
        if term.prefix and len(term.forms) == 1:
            prefixes.append((col, term.forms[0]))
        else:
            starts.setdefault((col, term.forms[0]), []).append(term)
    spans: set[tuple[int, int]] = set()
    for i, tok in enumerate(toks):
        form = index_forms(tok.norm)
        for col, want in prefixes:
            if form[col].startswith(want):
                spans.add((tok.start, tok.end))
        for col in (0, 1):
            for term in starts.get((col, form[col]), ()):
                n = len(term.forms)
                last = term.prefix and n - 1
                if i + n <= len(toks) and all(
                    _matches(index_forms(toks[i + k].norm)[col], term.forms[k], k == last)
                    for k in range(1, n)
                ):
                    spans.add((tok.start, toks[i + n - 1].end))
    return tuple(Span(a, b) for a, b in sorted(spans))


def _matches(form: str, want: str, prefix: bool) -> bool:
    return form.startswith(want) if prefix else form == want


# ---- generated text and queries -------------------------------------------------------------

_WORDS = (
    "الكاظمي", "والكاظمي", "بالكاظمي", "للكاظمي", "كاظمي", "قاآني", "قآاني", "قآني", "لقاآني", "بقاآني",
    "إسماعيل", "اسماعيل", "نصر", "الله", "لله", "والله", "بالله", "حزب", "الأمم", "المتحدة", "مجلس",
    "الأمن", "في", "وفي", "على", "الفيديو", "كيفية", "رئيس", "الرئيس", "والرئيس", "للرئيس", "الوزراء",
    "أبو", "فدك", "أبوفدك", "مؤتمر", "مسؤول", "شيء", "ى", "اليوم", "يوم", "العراق", "عراقي", "النفط",
    "انتخابات", "الانتخابية", "اقتصاد", "سوريا", "السورية", "ا", "ال", "و", "ب", "Sadr", "qaani", "FIFA",
    "Google", "x_y", "2020", "٢٠٢٠", "۲۰۲۰", "ﻻ", "ﺍﻟﺮﺋﻴﺲ", "ۀ", "ۂ", "ۀ", "ٱلله", "é", "Ω",
)
_MARKS = ("\u064b", "\u064e", "\u064f", "\u0650", "\u0651", "\u0652", "\u0653", "\u0654", "\u0655",
          "\u0670", "\u0640", "\u06e1", "\u0610")
_SEPARATORS = (" ", " ", " ", "  ", "، ", "\n", ".", "(", ")", '"', "«", "»", "-", "_", "\u200c", "\u200f",
               ":", "/", "\u00a0", "…", "")


@st.composite
def _word(draw: st.DrawFn) -> str:
    word = draw(st.sampled_from(_WORDS))
    if draw(st.booleans()):  # harakat, tatweel or hamza marks inside or after a word
        at = draw(st.integers(0, len(word)))
        word = word[:at] + draw(st.sampled_from(_MARKS)) + word[at:]
    if draw(st.integers(0, 4)) == 0:
        word = draw(st.sampled_from(("و", "ف", "ب", "ل", "ك", "وال", "بال", "لل"))) + word
    return word


@st.composite
def _texts(draw: st.DrawFn) -> list[str]:
    out = []
    for _ in range(draw(st.integers(1, 4))):
        parts = draw(st.lists(st.tuples(_word(), st.sampled_from(_SEPARATORS)), max_size=14))
        out.append("".join(w + s for w, s in parts))
    return out


@st.composite
def _queries(draw: st.DrawFn, texts: list[str]) -> str:
    found = [w for t in texts for w in re.findall(r"\S+", t)] or ["في"]
    pick = st.sampled_from(found + list(_WORDS))
    kind = draw(st.integers(0, 5))
    if kind == 0:  # a phrase
        return '"' + " ".join(draw(st.lists(pick, min_size=2, max_size=3))) + '"'
    if kind == 1:  # a prefix
        word = draw(pick)
        return word[: draw(st.integers(1, max(1, len(word))))] + "*"
    if kind == 2:
        return f"{draw(pick)} OR {draw(pick)}"
    if kind == 3:
        return f"{draw(pick)} -{draw(pick)}"
    if kind == 4:  # a phrase ending with a prefix
        return '"' + draw(pick) + " " + draw(pick)[:2] + '"*'
    return " ".join(draw(st.lists(pick, min_size=1, max_size=3)))


@settings(max_examples=300, deadline=None)
@given(st.data())
def test_the_highlighter_finds_what_word_by_word_finds(data: st.DataObject) -> None:
    texts = data.draw(_texts())
    text = data.draw(_queries(texts))
    try:
        parsed = parse_query(text)
    except QueryError:
        return
    expected = [reference_spans(t, parsed) for t in texts]
    assert Highlighter(parsed).spans_of(texts) == expected
    assert [match_spans(t, parsed) for t in texts] == expected


SEED_QUERIES = (
    "الكاظمي", "والكاظمي", "كاظمي", "قاآني", "قآني", "قاني", '"إسماعيل قاآني"', "نصر الله", '"نصر الله"',
    "الله", "لله", "صدر", "الصدر", "مصدر*", "الص*", "ص*", "ا*", "ال*", "في", "على", "قال", "الفصائل",
    "فصائل", "حزب", '"حزب الله"', '"رئيس الوز"*', "العراق -بغداد", "الخزعلي OR العامري", "qaani", "sadr",
    "2020", "٢٠٢٠", "Google", "ﻻ", "يُجْرِي", "قــاآني",
)


@pytest.mark.parametrize("text", SEED_QUERIES)
def test_seed_sentences_are_highlighted_as_word_by_word(seeded: Database, text: str) -> None:
    parsed = expand_latin(seeded, parse_query(text))
    sentences = [row[0] for row in seeded.execute("SELECT text FROM sentences ORDER BY id")]
    expected = [reference_spans(t, parsed) for t in sentences]
    assert Highlighter(parsed).spans_of(sentences) == expected
    if text in ("الكاظمي", "قآني", '"نصر الله"', "مصدر*", '"رئيس الوز"*', "qaani", "يُجْرِي", "ﻻ"):
        assert any(expected)  # the comparison is not of nothing with nothing


# ---- what the shortcut rests on ----------------------------------------------------------


def _clitic_forms() -> Iterator[str]:
    lex = sorted(lexicon())
    yield from lex
    for word in lex[::29]:
        for clitic in ("و", "ف", "ب", "ل", "ك", "وال", "بال", "فال", "كال", "لل", "ول", "وب", "فل"):
            yield normalize(clitic + word)
    yield from ("الله", "لله", "ولله", "فلله", "بالله", "والله", "تالله", "للكاظمي", "قاااني", "اا", "ال")


def test_a_word_ends_with_the_core_of_each_of_its_index_forms() -> None:
    # Removing proclitics keeps a suffix of the word, ال and a suffix, or gives الله, so that (alef
    # runs collapsed) the word ends with its index forms less a leading ال: the needle's premise.
    alef_run = re.compile("ا{2,}")
    for word in _clitic_forms():
        collapsed = alef_run.sub("ا", word)
        for form in index_forms(word):
            core = highlight._core(form)
            assert collapsed.endswith(core), (word, form)
            for n in (1, 2, 3, len(form) - 1):  # what a prefix term asks for is held somewhere
                assert highlight._core(form[:n]) in collapsed, (word, form[:n])


@st.composite
def _safe_words(draw: st.DrawFn) -> str:
    letters = highlight._letters()
    plain = sorted(c for cs in letters.by_letter.values() for c in cs)
    marks = [chr(c) for c in highlight._WORD_MARKS] + ["\u0640"]
    return "".join(draw(st.lists(st.sampled_from(plain + marks), min_size=1, max_size=60)))


@settings(max_examples=400, deadline=None)
@given(_safe_words())
def test_a_safe_word_normalises_character_by_character(word: str) -> None:
    assert not highlight._letters().unsafe.search(word)
    assert normalize(word) == "".join(normalize(c) for c in word)


def test_unsafe_characters_send_a_sentence_word_by_word() -> None:
    unsafe = highlight._letters().unsafe
    for text in ("ﻻ", "ﺍﻟﺮﺋﻴﺲ", "ە", "ہ", "é", "Ω", "中", "\U0001f600"):
        assert unsafe.search(text), text
    assert not unsafe.search("قال الرئيس، «في» 2020 (Google) - ٢٠٢٠ …\u200c\u200f\u00a0")


def test_the_word_end_lookahead_is_the_word_pattern() -> None:
    ends = re.compile(highlight._WORD_ENDS)
    for code in range(0x10000):
        ch = chr(code)
        if unicodedata.category(ch) == "Cs":
            continue
        assert (_WORD.fullmatch("a" + ch) is not None) == (ends.match(ch) is None), hex(code)


def test_words_and_normal_forms_are_those_of_the_tokens() -> None:
    text = "وقال ـ الرئيسُ «الكاظمي» x_y ﻻ ٢٠٢٠"
    assert [t.norm for t in tokens(text)] == [n for n in map(normalize, _WORD.findall(text)) if n]
    assert words(text) == [t.norm for t in tokens(text)]


# ---- search: pages, counts and details --------------------------------------------------------


_RANKED = "SELECT rowid, rank FROM {t} WHERE {t} MATCH ? ORDER BY rank LIMIT ?"
_NEWEST = "SELECT rowid FROM {t} WHERE {t} MATCH ? ORDER BY rowid DESC LIMIT ?"
_COUNT = "SELECT count(*) FROM (SELECT 1 FROM {t} WHERE {t} MATCH ? LIMIT ?)"


def reference_page(db: Database, match: str, indexes: tuple[str, ...], limit: int, offset: int) -> object:
    """The page as db/query.py made it before: count every index, then rank or take the newest."""
    def rows(sql: str, n: int) -> Iterator[tuple[int, float]]:
        for t in indexes:
            yield from db.execute(sql.format(t=t), [match, n])

    total = sum(int(row[0]) for row in rows(_COUNT, query.COUNT_LIMIT + 1))
    want = offset + limit
    if total > query.RANK_LIMIT:
        ids = sorted((int(row[0]) for row in rows(_NEWEST, want)), reverse=True)
        return total, [(sid, None) for sid in ids[offset:want]]
    scored = sorted((float(row[1]), int(row[0])) for row in rows(_RANKED, want))
    return total, [(sid, score) for score, sid in scored[offset:want]]


@pytest.mark.parametrize("text", ["في", "من", "بوست", "قاآني", "الكاظمي", "تصنيفات", "في OR من", "زيارة"])
def test_counting_from_the_newest_counts_as_before(
    seeded: Database, monkeypatch: pytest.MonkeyPatch, text: str
) -> None:
    # Limits around each word's own count put it on every side of them: the skip test of the cap
    # (dense newest) finding a match or not, fewer matches than a page, ranked and newest pages.
    parsed = expand_latin(seeded, parse_query(text))
    match = parsed.fts()
    for indexes in (query._INDEXES, query._WITH_BOILERPLATE):
        matches = sum(seeded.execute(f"SELECT count(*) FROM {t} WHERE {t} MATCH ?", [match]).fetchone()[0]
                      for t in indexes)
        for cap in {max(1, matches - 1), max(1, matches), matches + 1, 5, 10_000}:
            for ranked in {1, max(0, matches - 1), matches, 1_000}:
                monkeypatch.setattr(query, "COUNT_LIMIT", cap)
                monkeypatch.setattr(query, "RANK_LIMIT", ranked)
                for limit, offset in ((50, 0), (7, 3), (1, 0), (20, 40)):
                    expected = reference_page(seeded, match, indexes, limit, offset)
                    for words_only in (False, parsed.words_only()):
                        got = query._page(seeded, match, indexes, limit, offset, words_only=words_only)
                        assert got == expected, (cap, ranked, limit, offset, words_only)


def test_hits_hold_the_sentence_text_and_the_word_by_word_spans(seeded: Database) -> None:
    texts = dict(seeded.execute("SELECT id, text FROM sentences").fetchall())
    for text in SEED_QUERIES:
        try:
            result = search(seeded, text, limit=500, include_boilerplate=True)
        except QueryError:
            continue
        parsed = expand_latin(seeded, parse_query(text))
        for hit in result.hits:
            assert hit.text == texts[hit.sentence_id]
            assert hit.spans == reference_spans(hit.text, parsed)
