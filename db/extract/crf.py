"""Arabic named-entity tagging with a CRF: sentence features, the shipped model, tags and spans.

The model (python-crfsuite, trained on ANERcorp) and the word-cluster maps live in
``qexplore.db/data/ner``; see ATTRIBUTION.md there and the commands in ``qexplore.db.build``.
Features also mark words and runs of words found in the project's curated gazetteer
(``qexplore.db/data/gazetteer*.toml``). Tags are BIO over PER, ORG, LOC and MISC.

``features`` (strings, what pycrfsuite trains on) and ``word_parts`` are the one definition of the
features; tagging does not build the strings but sums the model's weights for them per word
(crf_scores) and decodes in numpy (crf_decode), an article's sentences at a time (``prefetch``).
tests/test_crf.py checks that this gives pycrfsuite's tags and marginals.
"""

from __future__ import annotations

import gzip
import re
import threading
from collections.abc import Sequence
from dataclasses import dataclass
from functools import lru_cache
from importlib import resources
from typing import NamedTuple

from qexplore.db.arabic import drop_article, is_function_word, normalize, strip_proclitics
from qexplore.db.extract.crf_decode import Floats, decode, read_model
from qexplore.db.extract.crf_scores import Scorer
from qexplore.db.extract.gazetteer import shipped

MODEL_NAME = "anercorp.crfsuite"
CLUSTER_NAMES = ("clusters100.tsv.gz", "clusters1000.tsv.gz")
TYPES = ("PER", "ORG", "LOC", "MISC")

Features = list[str]


def _bare_forms(*items: str) -> frozenset[str]:
    """Return the normalised, clitic- and article-free forms that a trigger list is matched on."""
    return frozenset(drop_article(strip_proclitics(normalize(w))) for w in items)


# Words that announce a person right after them (matched without clitics or ال).
TITLES = _bare_forms(
    "الجنرال", "اللواء", "العميد", "العقيد", "المقدم", "الرائد", "النقيب", "المشير", "الفريق",
    "رئيس", "الرئيس", "الرئيسة", "قائد", "زعيم", "الأمين", "الشيخ", "السيد", "السيدة", "الوزير",
    "الوزيرة", "النائب", "الملك", "الملكة", "الأمير", "الأميرة", "الدكتور", "المستشار", "السفير",
    "المتحدث", "الناطق", "المرشد", "الحاج", "الإمام", "العاهل", "المدير", "المديرة", "البابا",
    "الأسقف", "المطران", "القاضي", "المحامي", "الكاتب", "الروائي", "الشاعر", "الفنان", "المخرج",
    "المدرب", "اللاعب", "المرشح", "السناتور", "الحاكم", "المبعوث", "نائب", "مساعد",
)  # fmt: skip
# Words that head an organisation's name.
ORG_HEADS = _bare_forms(
    "كتائب", "حركة", "منظمة", "فيلق", "هيئة", "عصائب", "سرايا", "تحالف", "ائتلاف", "وزارة",
    "حزب", "جبهة", "مجلس", "شركة", "جامعة", "وكالة", "اتحاد", "جمعية", "لجنة", "مؤسسة", "بنك",
    "مصرف", "صحيفة", "نادي", "منتخب", "جيش", "قوات", "لواء", "مكتب", "معهد", "مركز", "محكمة",
    "برلمان", "الأمم", "صندوق", "مجموعة", "تنظيم", "جماعة", "إذاعة", "قناة", "مجلة", "دار",
)  # fmt: skip
# Words that announce a place right after them.
PLACE_CUES = _bare_forms(
    "مدينة", "محافظة", "ولاية", "عاصمة", "العاصمة", "بلدة", "قرية", "منطقة", "إقليم", "جزيرة",
    "جنوب", "شمال", "شرق", "غرب", "وسط", "مطار", "ميناء", "نهر", "جبل", "بحر", "دولة", "مقاطعة",
)  # fmt: skip


@lru_cache(maxsize=1)
def clusters() -> tuple[dict[str, str], ...]:
    """Return the shipped word -> cluster-id maps, coarse to fine (empty maps if not built)."""
    maps: list[dict[str, str]] = []
    for name in CLUSTER_NAMES:
        path = resources.files("qexplore.db") / "data" / "ner" / name
        found: dict[str, str] = {}
        if path.is_file():
            with path.open("rb") as raw, gzip.open(raw, "rt", encoding="utf-8") as fh:
                for line in fh:
                    word, _, cid = line.rstrip("\n").partition("\t")
                    found[word] = cid
        maps.append(found)
    return tuple(maps)


def _gaz_key(word: str) -> str:
    """Return the form a word is matched on against gazetteer names: normalised, clitic-free."""
    norm = normalize(word) or word
    return strip_proclitics(norm)


@dataclass(frozen=True, slots=True)
class _Gazetteer:
    """Curated actor names as tuples of matching keys, and the types each key occurs in."""

    names: dict[tuple[str, ...], str]
    starts: dict[str, int]  # first key of a name -> length of the longest name starting with it
    word_types: dict[str, tuple[str, ...]]


@lru_cache(maxsize=1)
def gazetteer() -> _Gazetteer:
    """Return the project's curated gazetteer (db/data/gazetteer*.toml) as matching tables."""
    names: dict[tuple[str, ...], str] = {}
    kinds: dict[str, set[str]] = {}
    for entry in shipped():  # the same entries the gazetteer matcher reads, parsed once
        for name in (entry.name_ar, *entry.aliases):
            key = tuple(_gaz_key(w) for w in name.split())
            if not key or (len(key) == 1 and entry.ambiguous):
                continue
            names.setdefault(key, entry.type)
            for k in key:
                if len(k) > 2 and not is_function_word(k):
                    kinds.setdefault(k, set()).add(entry.type)
    starts: dict[str, int] = {}
    for key in names:
        starts[key[0]] = max(starts.get(key[0], 0), len(key))
    return _Gazetteer(names, starts, {k: tuple(sorted(v)) for k, v in kinds.items()})


def _gaz_spans(keys: Sequence[str | None]) -> list[str | None]:
    """Return G=B-T / G=I-T per word where the longest gazetteer name starting there matches.

    A None key is a boundary no name crosses (several sentences can go in one call).
    """
    gaz = gazetteer()
    out: list[str | None] = [None] * len(keys)
    starts = gaz.starts
    end = 0  # words before this one are taken by a name already
    for i in [i for i, k in enumerate(keys) if k in starts]:
        if i < end:
            continue
        for n in range(min(starts[keys[i] or ""], len(keys) - i), 0, -1):
            kind = gaz.names.get(tuple(keys[i : i + n]))  # type: ignore[arg-type]
            if kind:
                out[i] = "G=B-" + kind
                for j in range(i + 1, i + n):
                    out[j] = "G=I-" + kind
                end = i + n
                break
    return out


_ARABIC_LETTERS = re.compile("[\u0600-\u06ff]+")


def _shape(word: str) -> str:
    """Return a coarse script/character-class shape of ``word``."""
    if word.isalpha() and _ARABIC_LETTERS.fullmatch(word):  # the common case, first
        return "arabic"
    if word.isdigit():
        return "digit"
    if not (word.isalnum() or any(ch.isalnum() for ch in word)):
        return "punct"
    if _ARABIC_LETTERS.fullmatch(word):
        return "arabic"
    if word.isascii():
        return "latin" if word.isalpha() else "ascii-mixed"
    return "mixed"


class WordParts(NamedTuple):
    """Context-free features of one word: its own, and what it shows to the words around it."""

    own: tuple[str, ...]
    near1: tuple[str, ...]  # seen from offsets -1 and +1 (not yet prefixed)
    near2: tuple[str, ...]  # seen from offsets -2 and +2
    key: str  # the clitic-free stem, for bigrams (and gazetteer matching)


@dataclass(frozen=True, slots=True)
class _Word:
    """Context-free features of one word, precomputed as seen from each position around it."""

    own: tuple[str, ...]
    seen: tuple[tuple[str, ...], ...]  # as seen from offsets -2, -1, +1, +2 (already prefixed)
    key: str  # the clitic-free stem, for bigrams (and gazetteer matching)


def _trigger_table() -> dict[str, tuple[str, ...]]:
    """Return bare word -> the trigger-list features it carries, in list order."""
    table: dict[str, tuple[str, ...]] = {}
    for name, words in (("title", TITLES), ("orghead", ORG_HEADS), ("placecue", PLACE_CUES)):
        for word in words:
            table[word] = (*table.get(word, ()), name)
    return table


_TRIGGERS = _trigger_table()
_CLUSTER_MARKS = tuple(f"c{i}=" for i in range(len(CLUSTER_NAMES)))


def _seen(near1: Sequence[str], near2: Sequence[str]) -> tuple[tuple[str, ...], ...]:
    """Return neighbour features prefixed by the offset they are seen from (-2, -1, +1, +2)."""
    return tuple(
        tuple(f"{d}:{f}" for f in (near1 if d in (-1, 1) else near2)) for d in (-2, -1, 1, 2)
    )


def word_parts(raw: str) -> WordParts:
    """Return the features of one word (normalised here, so raw input works too); not cached."""
    norm = normalize(raw) or raw
    stem = strip_proclitics(norm)
    bare = drop_article(stem)
    marks = [p + (m.get(stem) or m.get(norm) or "?") for p, m in zip(_CLUSTER_MARKS, clusters(), strict=True)]
    marks += _TRIGGERS.get(bare, ())
    kinds = gazetteer().word_types.get(stem)
    if kinds:
        marks += ["gw=" + t for t in kinds]
    w, s = "w=" + norm, "s=" + stem
    own = ["bias", w, s, "b=" + bare, "shape=" + _shape(norm)]
    cut = min(len(bare), 5) - 1  # prefixes and suffixes of 1-4 letters, shorter than the word
    if cut > 0:
        b = bare
        own += ("p1=" + b[:1], "p2=" + b[:2], "p3=" + b[:3], "p4=" + b[:4])[:cut]
        own += ("x1=" + b[-1:], "x2=" + b[-2:], "x3=" + b[-3:], "x4=" + b[-4:])[:cut]
    if bare != stem:
        own.append("al")
    if stem != norm:
        own.append("clitic=" + norm[: len(norm) - len(stem)])
    return WordParts((*own, *marks), (w, s, *marks), (s, *marks[:1]), stem)


# About 3.3 KB an entry: the feature strings are for training and tests; tagging caches score
# blocks instead (crf_scores), so a load never fills this cache.
@lru_cache(maxsize=20_000)
def _word(raw: str) -> _Word:
    """Return the cached features of one word as seen from each offset."""
    parts = word_parts(raw)
    return _Word(parts.own, _seen(parts.near1, parts.near2), parts.key)


# Padding around a sentence: what a word sees past either end.
_EDGE = _Word((), ((), ("-1:BOS",), ("1:EOS",), ()), "")


def features(words: Sequence[str]) -> list[Features]:
    """Return the CRF features of each word of a sentence (raw or normalised words)."""
    padded = [_EDGE, _EDGE, *(_word(w) for w in words), _EDGE, _EDGE]
    out: list[Features] = []
    gspan = _gaz_spans([w.key for w in padded[2:-2]])
    for k in range(2, len(padded) - 2):
        cur = padded[k]
        prev = padded[k - 1].key or "<s>"
        nxt = padded[k + 1].key or "</s>"
        out.append(
            [
                *cur.own,
                *padded[k - 2].seen[0],
                *padded[k - 1].seen[1],
                *padded[k + 1].seen[2],
                *padded[k + 2].seen[3],
                f"b-={prev}|{cur.key}",
                f"b+={cur.key}|{nxt}",
            ]
        )
        i = k - 2
        mark = gspan[i]
        if mark:
            out[-1].append(mark)
        if i > 0 and gspan[i - 1]:
            out[-1].append(f"-1:{gspan[i - 1]}")
        if i + 1 < len(gspan) and gspan[i + 1]:
            out[-1].append(f"1:{gspan[i + 1]}")
    return out


@dataclass(frozen=True, slots=True)
class Span:
    """An entity found by the tagger: word offsets [start, end), type and confidence (0-1)."""

    start: int
    end: int
    label: str
    confidence: float


def spans(tags: Sequence[str]) -> list[tuple[int, int, str]]:
    """Return (start, end, type) entity chunks of BIO ``tags``, conlleval style.

    An I- tag that does not continue an entity of its type opens a new one, as conlleval counts it.
    """
    found: list[tuple[int, int, str]] = []
    start, label = -1, ""
    for i, tag in enumerate([*tags, "O"]):
        prefix, _, kind = tag.partition("-")
        if label and (prefix != "I" or kind != label):
            found.append((start, i, label))
            label = ""
        if prefix == "B" or (prefix == "I" and not label):
            start, label = i, kind
    return found


def valid_bio(tags: Sequence[str]) -> list[str]:
    """Return ``tags`` with every I- that continues no entity of its type turned into a B-."""
    out: list[str] = []
    for tag in tags:
        if tag.startswith("I-") and (not out or out[-1][2:] != tag[2:]):
            tag = "B-" + tag[2:]
        out.append(tag)
    return out


class Tagger:
    """A CRF tagger over the shipped model (or a model file); not thread-safe: one per thread.

    It decodes with crf_decode over crf_scores' cached word scores, not with pycrfsuite (which
    trains the model): the same tags, and marginals equal to rounding (tests/test_crf.py).
    """

    def __init__(self, model: bytes | None = None) -> None:
        self._model = model
        self._scorer: Scorer | None = None
        self._ahead: dict[tuple[str, ...], list[Span]] = {}  # see prefetch

    def __reduce__(self) -> tuple[type[Tagger], tuple[bytes | None]]:
        """Pickle as the model bytes (None for the shipped model): worker processes rebuild it."""
        return Tagger, (self._model,)

    def _model_bytes(self) -> bytes:
        """Return the model file's bytes (the shipped model's, read on first use)."""
        if self._model is None:
            self._model = (resources.files("qexplore.db") / "data" / "ner" / MODEL_NAME).read_bytes()
        return self._model

    def _load(self) -> Scorer:
        if self._scorer is None:
            self._scorer = Scorer(read_model(self._model_bytes()), word_parts, _gaz_spans)
        return self._scorer

    def _decode(
        self, sentences: Sequence[Sequence[str]], marginals: bool = True
    ) -> tuple[list[list[str]], Floats]:
        """Return the valid BIO tags of each sentence and (if asked) every word's label marginals."""
        scorer = self._load()
        labels = scorer.model.labels
        lengths = [len(s) for s in sentences]
        found = decode(scorer.model, scorer.scores(sentences), lengths, marginals)
        tagged = [[labels[y] for y in path] for path in found.paths]
        return [valid_bio(t) if t.count("O") < len(t) else t for t in tagged], found.marginals

    def _column(self, tag: str) -> int | None:
        """Return the marginals' column of ``tag`` (None if the model has no such label)."""
        labels = self._load().model.labels
        return labels.index(tag) if tag in labels else None

    def tag(self, words: Sequence[str]) -> list[str]:
        """Return one BIO tag (O, B-PER, I-LOC, ...) per word of a sentence."""
        return self._decode([words], marginals=False)[0][0]

    def tag_batch(self, sentences: Sequence[Sequence[str]]) -> list[list[str]]:
        """Return the tags of each sentence, as ``tag`` would; decoding a few dozen together is faster."""
        return self._decode(sentences, marginals=False)[0]

    def tag_marginals(self, words: Sequence[str]) -> list[tuple[str, float]]:
        """Return (tag, marginal probability of that tag) for each word of a sentence."""
        (tags,), marginals = self._decode([words])
        columns = [self._column(t) for t in tags]
        return [
            (t, 0.0 if c is None else float(marginals[i, c]))
            for i, (t, c) in enumerate(zip(tags, columns, strict=True))
        ]

    def entities(self, words: Sequence[str]) -> list[Span]:
        """Return the entities of a sentence; confidence is the least marginal over the span's tags."""
        found = self._ahead.get(tuple(words))
        return list(found) if found is not None else self.entities_batch([words])[0]

    def prefetch(self, sentences: Sequence[Sequence[str]]) -> None:
        """Tag ``sentences`` together now; ``entities`` answers for them from this until the next call.

        Decoding runs one numpy step a word position for all the sentences given, so an
        article's sentences cost little more than its longest one.
        """
        self._ahead = {}
        self._ahead = dict(zip(map(tuple, sentences), self.entities_batch(sentences), strict=True))

    def entities_batch(self, sentences: Sequence[Sequence[str]]) -> list[list[Span]]:
        """Return the entities of each sentence, as ``entities`` would (decoded together: faster)."""
        tagged, marginals = self._decode(sentences)
        out: list[list[Span]] = []
        start = 0
        for tags in tagged:
            found = []
            if tags.count("O") < len(tags):
                for s, e, label in spans(tags):
                    probs = [
                        0.0 if c is None else float(marginals[start + i, c])
                        for i, c in enumerate(map(self._column, tags[s:e]), s)
                    ]
                    found.append(Span(s, e, label, min(probs)))
            out.append(found)
            start += len(tags)
        return out


_local = threading.local()


def default_tagger() -> Tagger:
    """Return this thread's tagger over the shipped model (loaded on first use)."""
    tagger: Tagger | None = getattr(_local, "tagger", None)
    if tagger is None:
        tagger = _local.tagger = Tagger()
    return tagger


def tag(words: Sequence[str]) -> list[str]:
    """Return one BIO tag per word of a sentence, with the shipped model."""
    return default_tagger().tag(words)
