"""Arabic normalisation, tokens with offsets, clitic handling and name keys: one function per job."""

from __future__ import annotations

import gzip
import re
import unicodedata
from collections.abc import Iterable, Iterator, Sequence
from functools import lru_cache
from importlib import resources
from typing import NamedTuple

# Harakat, superscript alef, Quranic annotation marks and tatweel carry no meaning for search.
_MARKS = (*range(0x0610, 0x061B), *range(0x064B, 0x0660), 0x0670, *range(0x06D6, 0x06EE), 0x0640)
# Invisible format characters (direction marks, joiners, BOM) that break words apart in the index.
_INVISIBLE = (*range(0x200B, 0x2010), *range(0x202A, 0x202F), *range(0x2066, 0x206A), 0xFEFF, 0x00AD)
# One pass drops those and folds letter variants and digits (the same as dropping them first:
# no folded letter is one of them).
_FOLD = str.maketrans(
    {
        **dict.fromkeys(map(chr, (*_MARKS, *_INVISIBLE))),
        "أ": "ا",
        "إ": "ا",
        "آ": "ا",
        "ٱ": "ا",
        "ى": "ي",
        "ؤ": "و",
        "ئ": "ي",
        "ک": "ك",
        "ی": "ي",
        **{chr(0x0660 + i): str(i) for i in range(10)},
        **{chr(0x06F0 + i): str(i) for i in range(10)},
    }
)
# A word is a run of letters/digits with any marks inside it; marks are Mn, not \w.
_WORD = re.compile(r"[^\W_][\w\u0610-\u061a\u064b-\u065f\u0670\u06d6-\u06ed\u0640]*")
_ALEF_RUN = re.compile("ا{2,}")
_ARTICLE_CLITIC = re.compile("^([وف]?)([بك]?)ال(..+)$")
_LAM_ARTICLE = re.compile("^([وف]?)لل(..+)$")
_SINGLE_CLITICS = "وفبلك"
_ALLAH = "الله"
_KUNYA_HEADS = frozenset(("ابو", "ابي", "ابا", "عبد"))
_GLUED_KUNYA = re.compile("^(ابو|ابي|ابا|عبد)ال(?=..)")
# A lone ب/ك/ل before these is part of a name, not a clitic (بالي is Bali, not ب + إلى).
_FUNCTION_WORDS = frozenset(
    "الي اليه اليها انه انها او ان الا اما اي الا اذا على عن من في ما لا هو هي هم له لها".split()
)


# The same folding as _FOLD as a few passes that each look for their characters in C: over a long
# text, where few characters change, several times quicker than translate's lookup of every one.
# The passes do not interact: no character one of them writes is one another looks for.
_DROPPED = re.compile("[" + re.escape("".join(map(chr, (*_MARKS, *_INVISIBLE)))) + "]+")
_ALEFS = re.compile("[أإآٱ]")
_YEHS = re.compile("[ىئی]")
_DIGITS = re.compile("[\u0660-\u0669\u06f0-\u06f9]")
_DIGIT_FOLD = {code: fold for code, fold in _FOLD.items() if fold is not None and fold.isdigit()}


def _fold_long(text: str) -> str:
    """``text.translate(_FOLD)``, quicker for a long text (see _DROPPED)."""
    text = _DROPPED.sub("", text)
    text = _YEHS.sub("ي", _ALEFS.sub("ا", text)).replace("ؤ", "و").replace("ک", "ك")
    return text.translate(_DIGIT_FOLD) if _DIGITS.search(text) else text


def normalize(text: str) -> str:
    """Return the search form of ``text``: NFKC, no harakat or tatweel, folded letters, ASCII digits.

    Hamza on its own (ء) is kept: dropping it would merge distinct words.
    """
    if len(text) <= _SHORT:
        return _normalize_word(text)
    return _fold_long(unicodedata.normalize("NFKC", text)).casefold()


_SHORT = 32  # words and names: the same few thousand come back all the time, so they are cached
_SENTENCE = 1000  # words() of a text no longer than this goes through scan's cache; a whole text does not


@lru_cache(maxsize=65_536)
def _normalize_word(text: str) -> str:
    return unicodedata.normalize("NFKC", text).translate(_FOLD).casefold()


class Token(NamedTuple):
    """A word of a raw text: its offsets into that text and its normalised form.

    A named tuple, not a dataclass: sentences are tokenised by the hundred thousand and a tuple is
    several times cheaper to build; it is as immutable.
    """

    start: int
    end: int
    raw: str
    norm: str


def tokens(text: str) -> Iterator[Token]:
    """Yield the words of raw ``text`` with their offsets and normalised forms."""
    return iter(scan(text)[1])


# A word or, alone, any other character that is not a space (a punctuation mark).
_WORD_OR_MARK = re.compile(f"({_WORD.pattern})|[^\\w\\s]")


# Every extractor (mentions, claims, events) reads each sentence of an article in turn: one pass
# serves them all. The cache holds more sentences than a long article has.
@lru_cache(maxsize=2048)
def scan(text: str) -> tuple[tuple[Token, ...], tuple[Token, ...]]:
    """Return (words and punctuation marks, words) of ``text`` as immutable tuples of tokens.

    The first tuple holds every word and every other non-space character, each with its
    normalised form (possibly empty); the second only the words whose normalised form is not
    empty, as ``tokens`` yields them. Words are matched the same way in both.
    """
    marked: list[Token] = []
    found: list[Token] = []
    norm_of, new = _normalize_word, tuple.__new__  # Token(...) costs a Python call per token
    for m in _WORD_OR_MARK.finditer(text):
        raw = m.group()
        norm = norm_of(raw) if len(raw) <= _SHORT else normalize(raw)
        tok = new(Token, (m.start(), m.end(), raw, norm))
        marked.append(tok)
        if norm and m.lastindex:  # group 1: a word
            found.append(tok)
    return tuple(marked), tuple(found)


def words(text: str) -> list[str]:
    """Return the normalised words of ``text`` (works on raw or already normalised text)."""
    if _SHORT < len(text) <= _SENTENCE:  # a sentence, whose tokens the extractors have (see scan)
        return [tok.norm for tok in scan(text)[1]]
    out = []
    for raw in _WORD.findall(text):
        norm = _normalize_word(raw) if len(raw) <= _SHORT else normalize(raw)
        if norm:
            out.append(norm)
    return out


@lru_cache(maxsize=1)
def lexicon() -> dict[str, int]:
    """Return the shipped word-frequency table (normalised word -> count in a news corpus)."""
    path = resources.files("qexplore.db") / "data" / "lexicon.tsv.gz"
    fields = gzip.decompress(path.read_bytes()).decode("utf-8").split()
    return dict(zip(fields[::2], map(int, fields[1::2]), strict=True))


def _more_common(rest: str, whole: str) -> bool:
    """True when ``rest`` reads as a word of its own at least half as often as ``whole`` does."""
    lex = lexicon()
    return lex.get(rest, 0) * 2 > lex.get(whole, 0)


@lru_cache(maxsize=200_000)
def strip_proclitics(word: str) -> str:
    """Remove the conjunction and preposition in front of a normalised word, keeping any ال.

    وال/فال/بال/كال/لل become ال unless the whole word is the more common reading (بالغ stays);
    a lone و/ف/ب/ل/ك goes only when what remains is a known word, more common than the whole
    (وزير stays, وفصائل becomes فصائل).
    """
    if word in (_ALLAH, "لله", "ولله", "فلله", "بالله", "والله", "تالله"):
        return _ALLAH
    stem = _article_stem(word)
    if stem is not None:
        return stem if word not in lexicon() or _more_common(stem, word) else word
    if len(word) > 3 and word[0] in _SINGLE_CLITICS:
        rest = word[1:]
        if word[0] in "وف" and len(rest) > 5 and rest.startswith(("ابو", "ابي", "عبد")):
            return rest  # وأبوالمهدي: a conjunction before a kunya or an عبد name written joined
        if rest in lexicon() and _more_common(rest, word) and rest not in _FUNCTION_WORDS:
            return strip_proclitics(rest) if rest[0] in "بلك" else rest
    return word


def is_function_word(word: str) -> bool:
    """True for a normalised particle or pronoun, with or without a one-letter clitic (فإن, وهو)."""
    return word in _FUNCTION_WORDS or (word[:1] in _SINGLE_CLITICS and word[1:] in _FUNCTION_WORDS)


def _article_stem(word: str) -> str | None:
    """Return ال + stem when ``word`` is a clitic glued to the article (وال، بال، لل...), else None."""
    m = _ARTICLE_CLITIC.match(word)
    if m:
        return "ال" + m.group(3) if m.group(1) or m.group(2) else None
    m = _LAM_ARTICLE.match(word)
    return "ال" + m.group(2) if m else None


def drop_article(word: str) -> str:
    """Remove a leading ال from a normalised word when at least two letters remain (الله stays)."""
    if word.startswith("ال") and len(word) > 3 and word != _ALLAH:
        return word[2:]
    return word


@lru_cache(maxsize=100_000)
def index_forms(word: str) -> tuple[str, str]:
    """Return (with-article form, bare form) of a normalised word, as the search index stores them.

    Alef runs collapse (قاآني, قآاني and قآني all index as قاني): after folding آ they are spelling
    variants of one long vowel.
    """
    stem = _ALEF_RUN.sub("ا", strip_proclitics(word))
    return stem, drop_article(stem)


def key_part(word: str, *, keep_article: bool = False) -> str:
    """Return one normalised word as a name key holds it: alef runs collapsed, ة as ه unless kept."""
    return _key_part(word, keep_article)


@lru_cache(maxsize=131_072)  # the gazetteer finder asks for every token of every sentence
def _key_part(word: str, keep_article: bool) -> str:
    if "اا" in word:
        word = _ALEF_RUN.sub("ا", word)
    return word if keep_article else word.replace("ة", "ه")  # حمزة = حمزه; حديثه ≠ حديثة


def join_key(parts: Sequence[str], *, keep_article: bool = False) -> str:
    """Join key parts (see key_part) into a name key: أبو/عبد glued to the next word, ال dropped.

    Parts that are not words (punctuation, tatweel) are skipped.
    """
    out: list[str] = []
    glue = False
    for part in parts:
        glue = _add_part(out, glue, part, keep_article)
    return " ".join(out)


def join_keys(parts: Iterable[str], *, keep_article: bool = False) -> Iterator[str]:
    """Yield join_key of the first part, of the first two, and so on: one pass for a growing name."""
    out: list[str] = []
    glue = False
    for part in parts:
        glue = _add_part(out, glue, part, keep_article)
        yield " ".join(out)


def _add_part(out: list[str], glue: bool, part: str, keep_article: bool) -> bool:
    """Add one key part to the key words ``out`` (see join_key); return whether the next part glues on."""
    if not part or not part[0].isalnum():
        return glue
    if glue:
        out[-1] += drop_article(part) if part != _ALLAH else part
        return False
    if part.startswith(("ابو", "ابي", "ابا", "عبد")):  # what _GLUED_KUNYA needs: a cheap test first
        part = _GLUED_KUNYA.sub(r"\1", part)
    glue = part in _KUNYA_HEADS
    out.append(part if glue or keep_article else drop_article(part))
    return glue


def key_parts(words: Iterable[str], *, keep_article: bool = False) -> list[str]:
    """Return key_part of each normalised word (one call for a sentence's tokens)."""
    return [_key_part(w, keep_article) for w in words]


@lru_cache(maxsize=65_536)  # mentions repeat the same few thousand names
def name_key(name: str, *, keep_article: bool = False, clitic: bool = True) -> str:
    """Return the matching key of a name: قاآني = قآاني = قآني, أبو فدك = أبوالفدك, الكاظمي = كاظمي.

    A clitic on the first word goes (للكاظمي = الكاظمي) unless ``clitic`` is False, as for names
    written clitic-free (a gazetteer's). With ``keep_article`` the article and ة stay, so that a name
    can be told apart from a common word (المشهد is not مشهد, حديثه is not حديثة).
    """
    parts = [key_part(w, keep_article=keep_article) for w in words(name)]
    if parts and clitic:
        parts[0] = strip_proclitics(parts[0])
    return join_key(parts, keep_article=keep_article)


_LATIN = {
    "ا": "a", "ب": "b", "ت": "t", "ث": "th", "ج": "j", "ح": "h", "خ": "kh", "د": "d", "ذ": "dh",
    "ر": "r", "ز": "z", "س": "s", "ش": "sh", "ص": "s", "ض": "d", "ط": "t", "ظ": "dh", "ع": "'",
    "غ": "gh", "ف": "f", "ق": "q", "ك": "k", "ل": "l", "م": "m", "ن": "n", "ه": "h", "ة": "a",
    "و": "w", "ي": "y", "ء": "'", "پ": "p", "چ": "ch", "ژ": "zh", "گ": "g", "ڤ": "v",
}  # fmt: skip


def _romanize_word(word: str) -> str:
    out = []
    for i, ch in enumerate(word):
        prev, nxt = word[i - 1] if i else "", word[i + 1] if i + 1 < len(word) else ""
        if ch in "وي" and prev and prev not in "اوي" and (not nxt or nxt not in "اوي"):
            out.append("u" if ch == "و" else "i")  # a long vowel between consonants or at the end
        elif ch == "ع" and not prev:
            out.append("a")
        else:
            out.append(_LATIN.get(ch, ch))
    # Short vowels are not written: open an initial consonant cluster with "a" (Nsr -> Nasr).
    if len(out) > 2 and out[0] not in "aiu'" and out[1] not in "aiu'":
        out.insert(1, "a")
    return "".join(out).strip("'")


def romanize(name: str) -> str:
    """Return a readable Latin spelling of an Arabic name (قاآني -> Qaani, الكاظمي -> al-Kazimi).

    A plain letter mapping with long vowels guessed from و and ي; names from the gazetteer carry
    their established English spelling instead.
    """
    parts = []
    for w in words(name):
        w = _ALEF_RUN.sub("اا", w)
        if w.startswith("ال") and len(w) > 3 and w != _ALLAH:
            parts.append("al-" + _romanize_word(w[2:]).capitalize())
        else:
            parts.append(_romanize_word(w).capitalize())
    text = " ".join(p for p in parts if p)
    return text[:1].upper() + text[1:]


def latin_skeleton(text: str) -> str:
    """Return the consonant skeleton of a Latin name, for matching spellings (Kadhimi ~ Kazimi)."""
    text = re.sub(r"\b(?:al|el)[- ]", "", text.casefold())
    for a, b in (("dh", "z"), ("th", "s"), ("kh", "k"), ("gh", "q"), ("sh", "s"), ("ch", "s"),
                 ("ou", "u"), ("ee", "i"), ("q", "k"), ("g", "k"), ("c", "k"), ("e", "i"), ("o", "u")):
        text = text.replace(a, b)
    return re.sub(r"[^b-df-hj-np-tv-z]|(.)(?=\1)", "", text)
