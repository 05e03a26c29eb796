"""The per-sentence shortcuts of extraction change nothing.

One scan of a sentence serves every extractor (arabic.scan), whole-sentence tests skip the rules that
cannot fire (words that can open a claim, a non-response, a kunya, a quoted outlet; event trigger,
directive and killing words), spans are found by bisection, a growing name key is built once, and
the gazetteer remembers a word pair that no name can extend.
Each test compares a shortcut with the plain computation it replaces, or runs the whole pipeline
with the shortcuts turned off and requires the very same article, offsets included.
"""

from __future__ import annotations

import gzip
import json
import random
import re
import unicodedata
from collections.abc import Iterator
from importlib import resources
from itertools import islice

import pytest
from conftest import shared_path

from qexplore.db import arabic
from qexplore.db.arabic import join_key, join_keys, normalize, scan, words
from qexplore.db.extract import claim_drafts, claim_no_comment, entities, event_roles, event_rules, rules
from qexplore.db.extract.gazetteer import MAX_WORDS, Gazetteer, build
from qexplore.db.load import Extractors, process
from qexplore.db.models import Source
from qexplore.db.segment import segment

# Edges of the tokeniser and the normaliser: a word that is only tatweel, a ligature that NFKC
# turns into several words, invisible joiners, a lone mark, underscores, a word longer than the
# word cache takes, Arabic-Indic digits, Latin.
EDGE_TEXTS = (
    "قال ـــ إن ﷺ «كلمة» ‏الرئيس‏ ً وحده",
    "a_b __ مَرْحَبًا بِكُمْ في ٢٠٢١ و۱۹۹۸",
    "كلمةطويلةجداجداجداجداجداجداجداجداجداجدا، ثم انتهى.",
    'Reuters: talks «resumed» on 3/3/2021 — لـ"عربي بوست"',
    "أبو مهدي المهندس وأبوالفدك ولأبي علي العسكري",
    "دعت الحكومة من تركيا ... وهددت بقتل واغتيال الأمين",
    "",
)
_WORD = re.compile(r"[^\W_][\w\u0610-\u061a\u064b-\u065f\u0670\u06d6-\u06ed\u0640]*")
_TOKEN = re.compile(r"[^\W_][\w\u0610-\u061a\u064b-\u065f\u0670\u06d6-\u06ed\u0640]*|[^\w\s]")


def _seed_texts() -> list[str]:
    folder = resources.files("qexplore.seeds")
    return [p.read_text(encoding="utf-8") for p in folder.iterdir() if p.name.endswith(".txt")]


@pytest.fixture(scope="module")
def sentences() -> list[str]:
    found = [s.text for t in _seed_texts() for s in segment(t)]
    assert len(found) > 100
    return [*found, *EDGE_TEXTS]


def _plain_normalize(text: str) -> str:
    return unicodedata.normalize("NFKC", text).translate(arabic._FOLD).casefold()


def test_scan_gives_the_tokens_of_both_tokenisers(sentences: list[str]) -> None:
    for text in sentences:
        marked, found = scan(text)
        plain_marked = [
            (m.start(), m.end(), m.group(), _plain_normalize(m.group())) for m in _TOKEN.finditer(text)
        ]
        plain_words = [
            (m.start(), m.end(), m.group(), _plain_normalize(m.group())) for m in _WORD.finditer(text)
        ]
        assert [tuple(t) for t in marked] == plain_marked
        assert [tuple(t) for t in found] == [w for w in plain_words if w[3]]
        assert list(arabic.tokens(text)) == list(found)
        assert entities.sentence_tokens(text) == list(marked)
        assert words(text) == [w[3] for w in plain_words if w[3]]
    tatweel = scan("قال ـــ إن")
    assert len(tatweel[0]) == 3 and len(tatweel[1]) == 2  # a word that normalises to nothing is no word


def test_long_text_folding_matches_the_table(sentences: list[str]) -> None:
    table = arabic._FOLD
    assert all(ord(ch) in table for ch in "أإآٱىئیؤک") and len(arabic._DIGIT_FOLD) == 20
    rnd = random.Random(7)
    pool = "".join(map(chr, table)) + "ابتثجحخدذرزسشصضطظعغفقكلمنهوية ءaZ\n"
    noise = ["".join(rnd.choice(pool) for _ in range(rnd.randint(33, 300))) for _ in range(500)]
    texts = [*sentences, *noise, *_seed_texts()]
    for text in texts:
        assert normalize(text) == _plain_normalize(text)
    assert normalize("٢٠٢١ أعلنَ") == "2021 اعلن"


def test_growing_keys_are_the_keys_of_the_prefixes() -> None:
    rnd = random.Random(3)
    pool = [*"ابو عبد الله المهدي ابوالفضل عبدالعزيز علي الكاظمي ، ـ « »".split(), '"']
    for _ in range(2000):
        parts = [rnd.choice(pool) for _ in range(rnd.randint(1, MAX_WORDS))]
        for keep in (True, False):
            grown = list(join_keys(parts, keep_article=keep))
            assert grown == [join_key(parts[:n], keep_article=keep) for n in range(1, len(parts) + 1)]


def _plain_longest(gaz: Gazetteer, parts: list[str], i: int) -> tuple[int, list[tuple[str, str]]]:
    """Gazetteer.longest as it was: every key joined afresh."""
    from qexplore.db.extract.gazetteer import _CLOSING, _balanced

    heads = gaz._heads_of(parts[i])
    best: tuple[int, list[tuple[str, str]]] = (0, [])
    if not heads:
        return best
    for n in range(1, min(MAX_WORDS, len(parts) - i) + 1):
        span = parts[i : i + n]
        keys = [join_key([head, *span[1:]], keep_article=True) for head in heads]
        if not any(gaz._may_grow(key) for key in keys):
            break
        if not (span[-1][:1].isalnum() or (n > 2 and span[-1] in _CLOSING)) or not _balanced(span):
            continue
        found = next((f for f in map(gaz._found, keys) if f), None)
        if found:
            best = (n, found)
    return best


def test_gazetteer_finds_the_same_names(sentences: list[str]) -> None:
    gaz = build()
    found = 0
    for text in [*sentences, *sentences]:  # the second time round, the pair memo answers
        toks = entities.sentence_tokens(text)
        parts = [arabic.key_part(t.norm, keep_article=True) for t in toks]
        plain = []
        i = 0
        while i < len(toks):
            n, hits = _plain_longest(gaz, parts, i) if gaz.may_start(parts[i]) else (0, [])
            if n:
                skip = entities.skip_clitic(toks[i].raw, toks[i].norm, arabic.strip_proclitics(toks[i].norm))
                plain.append((i, i + n, hits[0][0], hits[0][1], skip))
            i += n or 1
        assert entities._gazetteer(toks, gaz) == plain
        found += len(plain)
    assert found > 100 and len(gaz._pairs) > 100


def test_token_spans_by_bisection(sentences: list[str]) -> None:
    for text in sentences[:60]:
        toks = list(arabic.tokens(text))
        for start in range(-2, len(text) + 2, 3):
            for end in range(start - 1, min(start + 40, len(text) + 3)):
                inside = [k for k, t in enumerate(toks) if t.end > start and t.start < end]
                expected = (inside[0], inside[-1]) if inside else None
                assert event_roles.token_span(toks, start, end) == expected


def test_word_flags_are_the_patterns(sentences: list[str]) -> None:
    bits = 0
    for text in sentences:
        for tok in arabic.tokens(text):
            flags = event_rules.word_flags(tok.norm)
            assert bool(flags & event_rules.TRIGGER) == bool(event_rules.stem_rules(tok.norm))
            assert bool(flags & event_rules.DIRECTIVE) == bool(event_rules.DIRECTIVES.fullmatch(tok.norm))
            assert bool(flags & event_rules.THREAT) == bool(event_rules.THREATS.fullmatch(tok.norm))
            assert bool(flags & event_rules.KILL) == bool(event_rules.KILLING.fullmatch(tok.norm))
            bits |= flags
    assert bits == 15  # the texts hold every kind of word


class _Everything:
    """A set that holds every word: turns a word filter off."""

    def __contains__(self, item: object) -> bool:
        return True


def _bench_sources(n: int) -> Iterator[Source]:
    path = shared_path("data", "bench", "ant2018.jsonl.gz")
    with gzip.open(path, "rt", encoding="utf-8") as lines:
        for k, line in enumerate(islice(lines, n)):
            row = json.loads(line)
            yield Source(
                f"bench-{k}",
                row["text"],
                outlet=row.get("outlet"),
                published=row.get("date"),
                date_basis="metadata" if row.get("date") else None,
            )


def _sources() -> list[Source]:
    seeds = [Source(f"seed-{k}", t) for k, t in enumerate(_seed_texts())]
    return seeds + list(_bench_sources(40))


def test_pipeline_without_the_shortcuts_gives_the_same_articles(monkeypatch: pytest.MonkeyPatch) -> None:
    sources = _sources()
    extractors = Extractors.default()
    fast = [process(s, extractors) for s in sources]
    monkeypatch.setattr(claim_drafts, "_OPENERS", _Everything())
    monkeypatch.setattr(claim_no_comment, "_OPENERS", _Everything())
    monkeypatch.setattr(rules, "_KUNYA_IN", re.compile(""))
    monkeypatch.setattr(rules, "_before_quotes", lambda norms: list(range(len(norms) - 2)))
    monkeypatch.setattr(event_rules, "word_flags", lambda norm: 15)
    arabic.scan.cache_clear()
    slow = [process(s, extractors) for s in sources]
    assert sum(len(a.claims) for a in fast) > 50 and sum(len(a.events) for a in fast) > 20
    for a, b in zip(fast, slow, strict=True):
        assert a == b
