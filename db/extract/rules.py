"""Hand rules for names the gazetteer and the tagger miss: quoted outlets, kunyas, org heads."""

from __future__ import annotations

import re
from collections.abc import Sequence
from typing import Protocol

from qexplore.db.arabic import drop_article, name_key, normalize, strip_proclitics, words
from qexplore.db.extract.gazetteer import Gazetteer


class _Tok(Protocol):
    @property
    def norm(self) -> str: ...

    @property
    def raw(self) -> str: ...


def _forms(*items: str) -> frozenset[str]:
    return frozenset(normalize(w) for w in items)


OPEN_QUOTES = _forms('"', "«", "“", "„")
CLOSE_QUOTES = _forms('"', "»", "”")
# Words after which a quoted name is a news outlet: لـ"عربي بوست", لموقع "سكاي نيوز عربية".
OUTLET_CUES = _forms(
    "ل", "لـ", "لموقع", "لصحيفة", "لوكالة", "لقناة", "لشبكة", "لمجلة", "لاذاعة", "موقع", "صحيفة",
    "وكالة", "قناة", "شبكة", "مجلة", "اذاعة", "مصدر", "مصادر", "علمت", "علم", "حسب", "بحسب",
)  # fmt: skip
WEAK_CUES = _forms("ل", "لـ", "حسب", "بحسب")
AFTER_OUTLET = _forms("إن", "أن", "بأن", "قائلا", "قائلة", "مؤكدا", "مشيرا")
KUNYA = _forms("أبو", "أبي", "أبا")
# A word whose stem is a kunya or starts with one holds it: strip_proclitics only takes letters off
# the front (or turns a clitic + ال into ال, and no kunya starts with ال).
_KUNYA_IN = re.compile("|".join(sorted(KUNYA)))
# Words that never begin or continue a name.
STOP = _forms(
    "في", "من", "إلى", "على", "عن", "مع", "أن", "إن", "الذي", "التي", "الذين", "هذا", "هذه",
    "ذلك", "تلك", "كما", "وقد", "قد", "لم", "لن", "ما", "لا", "و", "أو", "ثم", "بعد", "قبل",
    "حيث", "عند", "منذ", "خلال", "بين", "حول", "ضد", "نحو", "لدى", "كان", "كانت", "هو", "هي",
    "أي", "كل", "بعض", "غير", "عدم", "لا", "نعم",
)  # fmt: skip
# Cue words that confirm a name which is also a common word (see Entry.ambiguous).
CUES = {
    "LOC": _forms(
        "مدينة", "محافظة", "قضاء", "ناحية", "بلدة", "قرية", "منطقة", "حي", "العاصمة", "عاصمة",
        "إقليم", "ولاية", "جنوب", "شمال", "شرق", "غرب", "مطار", "في", "إلى", "من",
    ),
    "ORG": _forms("صحيفة", "موقع", "وكالة", "قناة", "حركة", "حزب", "منظمة", "تحالف", "كتلة", "جماعة"),
    "PER": _forms("الرئيس", "الشيخ", "السيد", "النائب", "الوزير", "الجنرال", "اللواء", "العميد"),
}  # fmt: skip
# Heads of a unit named after a known body or person: خلية الحرس الثوري, حكومة الكاظمي.
UNIT_HEADS = {
    "ORG": _forms("خلية", "مكتب", "لجنة", "جناح", "فرع", "وحدة", "مديرية", "دائرة", "إعلام"),
    "PER": _forms("حكومة", "إدارة"),
}
# Communities named by a collective noun (الشيعة, "the Shia") are groups of people, not actors.
GROUP_NOUNS = frozenset(
    drop_article(normalize(w))
    for w in (
        "الشيعة السنة الأكراد الكرد التركمان العرب الفرس المسيحيون المسيحيين الإيزيديون "
        "الإيزيديين الأيزيديين اليهود المسلمون المسلمين الدروز العلويون العلويين الصابئة الشبك"
    ).split()
)
MAX_QUOTED_WORDS = 4
ADJECTIVE_ENDINGS = ("يين", "يون", "ية", "ي")


def _is_word(tok: _Tok) -> bool:
    return tok.norm[:1].isalpha()


def _before_quotes(norms: list[str]) -> list[int]:
    """The tokens followed by an opening quote that is not the last token: the only places where the
    cue of a quoted outlet can stand (see _quoted_outlets). Most sentences quote nothing."""
    if OPEN_QUOTES.isdisjoint(norms):
        return []
    return [k - 1 for k, norm in enumerate(norms) if norm in OPEN_QUOTES and 0 < k < len(norms) - 1]


def _quoted_outlets(toks: Sequence[_Tok], norms: list[str]) -> list[tuple[int, int, str]]:
    found: list[tuple[int, int, str]] = []
    for i in _before_quotes(norms):
        cue = toks[i].norm if toks[i].norm in OUTLET_CUES else strip_proclitics(toks[i].norm)
        if cue not in OUTLET_CUES or toks[i + 1].norm not in OPEN_QUOTES:
            continue
        # After a bare ل the quote is as often a phrase as a name: allow fewer words.
        most = MAX_QUOTED_WORDS - 1 if cue in WEAK_CUES else MAX_QUOTED_WORDS
        j = i + 2
        while j < len(toks) and _is_word(toks[j]) and j - i - 2 <= most:
            j += 1
        n = j - i - 2
        if 0 < n <= most and j < len(toks) and toks[j].norm in CLOSE_QUOTES:
            after = toks[j + 1].norm if j + 1 < len(toks) else "."
            # لـ"X" names an outlet when what follows reports speech: إن/أن or a pause.
            reported = after in AFTER_OUTLET or not after[:1].isalnum()
            if toks[i + 2].norm not in STOP and (cue not in WEAK_CUES or reported):
                found.append((i + 2, j, "ORG"))
    return found


def _kunyas(toks: Sequence[_Tok], norms: list[str]) -> list[tuple[int, int, str]]:
    found: list[tuple[int, int, str]] = []
    if not _KUNYA_IN.search(" ".join(norms)):
        return found  # a kunya (its stem, a clitic stripped off) is written inside the word
    for i, tok in enumerate(toks):
        stem = strip_proclitics(tok.norm)
        if stem in KUNYA and i + 1 < len(toks) and _is_word(toks[i + 1]):
            if toks[i + 1].norm in STOP:
                continue
            end = i + 2
            # The family name or nisba that often follows: أبو باقر الساعدي, أبو مهدي المهندس.
            if end < len(toks) and _surname_like(toks[end].norm):
                end += 1
            found.append((i, end, "PER"))
        elif len(stem) > 6 and stem[:3] in KUNYA and stem[3:5] == "ال":
            found.append((i, i + 1, "PER"))  # أبوالفدك written as one word
    return found


def _surname_like(word: str) -> bool:
    return word.startswith("ال") and len(word) > 4 and word not in STOP and not word.endswith("ين")


def find(toks: Sequence[_Tok], gaz: Gazetteer) -> list[tuple[int, int, str]]:
    """Return (first token, end token, type) for every rule match in a sentence's tokens."""
    norms = [t.norm for t in toks]
    return _quoted_outlets(toks, norms) + _kunyas(toks, norms)


def units(toks: Sequence[_Tok], named: Sequence[tuple[int, int, str]]) -> list[tuple[int, int, str]]:
    """Return ORG spans for a unit head followed by a known name (مكتب الصدر, خلية الحرس الثوري).

    ``named`` are the gazetteer spans of the sentence; an optional title may sit between
    (حكومة الرئيس حسن روحاني).
    """
    found = []
    for i, j, kind in named:
        head = i - 1
        if head > 0 and toks[head].norm in CUES["PER"] and kind == "PER":
            head -= 1
        if head >= 0 and strip_proclitics(toks[head].norm) in UNIT_HEADS.get(kind, frozenset()):
            found.append((head, j, "ORG"))
    return found


def nationality_of(word: str, gaz: Gazetteer) -> str | None:
    """Return the gazetteer place a relational adjective derives from (الإيرانية -> إيران), else None."""
    stem = drop_article(strip_proclitics(normalize(word)))
    for ending in ADJECTIVE_ENDINGS:
        if stem.endswith(ending) and len(stem) > len(ending) + 2:
            base = stem[: -len(ending)]
            for candidate in (base, base + "ا", "ال" + base, "ال" + base + "ا"):
                for kind, gid in gaz.lookup(name_key(candidate)):
                    if kind == "LOC":
                        return gid
    return None


def demote(surface: str, kind: str, source: str, gaz: Gazetteer) -> str:
    """Return MISC for a one-word nationality adjective found by the tagger or a rule, else kind."""
    if source != "gazetteer" and kind != "MISC" and len(words(surface)) == 1:
        stem = drop_article(strip_proclitics(normalize(surface)))
        if stem in GROUP_NOUNS or nationality_of(surface, gaz):
            return "MISC"
    return kind
