"""Arabic named-entity tagging with a CRF: sentence features, the shipped model, tags and spans.

The model (python-crfsuite, trained on ANERcorp) and the word-cluster maps live in
``qexplore.db/data/ner``; see ATTRIBUTION.md there and the commands in ``qexplore.db.build``.
Features also mark words and runs of words found in the project's curated gazetteer
(``qexplore.db/data/gazetteer*.toml``). Tags are BIO over PER, ORG, LOC and MISC.
"""

from __future__ import annotations

import gzip
import threading
from collections.abc import Sequence
from dataclasses import dataclass
from functools import lru_cache
from importlib import resources

import pycrfsuite

from qexplore.db.arabic import drop_article, is_function_word, normalize, strip_proclitics
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


def _gaz_spans(keys: Sequence[str]) -> list[str | None]:
    """Return G=B-T / G=I-T per word where the longest gazetteer name starting there matches."""
    gaz = gazetteer()
    out: list[str | None] = [None] * len(keys)
    i = 0
    while i < len(keys):
        for n in range(min(gaz.starts.get(keys[i], 0), len(keys) - i), 0, -1):
            kind = gaz.names.get(tuple(keys[i : i + n]))
            if kind:
                out[i] = "G=B-" + kind
                for j in range(i + 1, i + n):
                    out[j] = "G=I-" + kind
                i += n
                break
        else:
            i += 1
    return out


def _shape(word: str) -> str:
    """Return a coarse script/character-class shape of ``word``."""
    if word.isdigit():
        return "digit"
    if not any(ch.isalnum() for ch in word):
        return "punct"
    if all("\u0600" <= ch <= "\u06ff" for ch in word):
        return "arabic"
    if word.isascii():
        return "latin" if word.isalpha() else "ascii-mixed"
    return "mixed"


@dataclass(frozen=True, slots=True)
class _Word:
    """Context-free features of one word, precomputed as seen from each position around it."""

    own: tuple[str, ...]
    seen: tuple[tuple[str, ...], ...]  # as seen from offsets -2, -1, +1, +2 (already prefixed)
    key: str  # the clitic-free stem, for bigrams (and gazetteer matching)


def _triggers(bare: str) -> list[str]:
    """Return the trigger-list features of a clitic- and article-free word."""
    lists = (("title", TITLES), ("orghead", ORG_HEADS), ("placecue", PLACE_CUES))
    return [name for name, words in lists if bare in words]


def _seen(near1: Sequence[str], near2: Sequence[str]) -> tuple[tuple[str, ...], ...]:
    """Return neighbour features prefixed by the offset they are seen from (-2, -1, +1, +2)."""
    return tuple(
        tuple(f"{d}:{f}" for f in (near1 if d in (-1, 1) else near2)) for d in (-2, -1, 1, 2)
    )


# About 3.3 KB an entry: 20,000 words (some 65 MB) serve most tokens of a news corpus, and a
# load's memory stays flat however many distinct words it meets (200,000 took 650 MB a process).
@lru_cache(maxsize=20_000)
def _word(raw: str) -> _Word:
    """Return the cached features of one word (normalised here, so raw input works too)."""
    norm = normalize(raw) or raw
    stem = strip_proclitics(norm)
    bare = drop_article(stem)
    cids = [m.get(stem) or m.get(norm) or "?" for m in clusters()]
    marks = [f"c{i}={c}" for i, c in enumerate(cids)] + _triggers(bare)
    marks += [f"gw={t}" for t in gazetteer().word_types.get(stem, ())]
    own = ["bias", f"w={norm}", f"s={stem}", f"b={bare}", f"shape={_shape(norm)}"]
    own += [f"p{n}={bare[:n]}" for n in range(1, 5) if len(bare) > n]
    own += [f"x{n}={bare[-n:]}" for n in range(1, 5) if len(bare) > n]
    if bare != stem:
        own.append("al")
    if stem != norm:
        own.append("clitic=" + norm[: len(norm) - len(stem)])
    near1 = (f"w={norm}", f"s={stem}", *marks)
    return _Word(tuple(own + marks), _seen(near1, (f"s={stem}", *marks[:1])), stem)


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
    """A CRF tagger over the shipped model (or a model file); not thread-safe: one per thread."""

    def __init__(self, model: bytes | None = None) -> None:
        self._model = model
        self._crf: pycrfsuite.Tagger | None = None

    def __reduce__(self) -> tuple[type[Tagger], tuple[bytes | None]]:
        """Pickle as the model bytes (None for the shipped model): worker processes rebuild it."""
        return Tagger, (self._model,)

    def _tagger(self) -> pycrfsuite.Tagger:
        if self._crf is None:
            if self._model is None:
                path = resources.files("qexplore.db") / "data" / "ner" / MODEL_NAME
                self._model = path.read_bytes()
            self._crf = pycrfsuite.Tagger()
            # crfsuite reads the model from this buffer without copying it: keep it alive.
            self._crf.open_inmemory(self._model)
        return self._crf

    def tag(self, words: Sequence[str]) -> list[str]:
        """Return one BIO tag (O, B-PER, I-LOC, ...) per word of a sentence."""
        return valid_bio(self._tagger().tag(features(words))) if words else []

    def tag_marginals(self, words: Sequence[str]) -> list[tuple[str, float]]:
        """Return (tag, marginal probability of that tag) for each word of a sentence."""
        tags = self.tag(words)
        crf = self._tagger()
        return [(t, crf.marginal(t, i)) for i, t in enumerate(tags)]

    def entities(self, words: Sequence[str]) -> list[Span]:
        """Return the entities of a sentence; confidence is the least marginal over the span's tags."""
        marked = self.tag_marginals(words)
        tags = [t for t, _ in marked]
        return [
            Span(s, e, label, min(p for _, p in marked[s:e])) for s, e, label in spans(tags)
        ]


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
