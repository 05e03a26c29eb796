"""Token rules for reported speech: the sentence view, claim drafts, and speaker, content and outlet spans."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field

from qexplore.db.arabic import Token, drop_article, normalize, strip_proclitics, tokens
from qexplore.db.extract.claim_lexicon import (
    AGENCIES,
    CHANNELS,
    CLOSE_QUOTES,
    COMMAS,
    FUNCTION_SUBJECTS,
    LEXICON,
    MEDIA_HEADS,
    OPEN_QUOTES,
    PLATFORMS,
    PREPOSITIONS,
    PRONOUN_MARKERS,
    RELATIVES,
    TALK_VERBS,
    TRAILING_ADVERBS,
    cue_form,
    is_attribution,
    is_marker,
    is_source_head,
    opens_with_prep,
)  # fmt: skip
from qexplore.db.models import Mention, Sentence

QUOTES = OPEN_QUOTES | CLOSE_QUOTES
STRIP = " \t\n\u00a0،,.؛;:\"«»“”'"

MAX_SPEAKER = 30


@dataclass(slots=True)
class View:
    """A sentence as tokens, with the article's mentions that fall inside it (offsets into the sentence)."""

    sentence: Sentence
    toks: list[Token]
    mentions: list[tuple[int, int, int, str]]  # (index in the article list, start, end, type)
    publisher: str | None

    @classmethod
    def of(cls, sentence: Sentence, mentions: Sequence[Mention], publisher: str | None) -> View:
        """Return the view of ``sentence`` with the mentions that lie inside it."""
        inside = [
            (k, m.start - sentence.start, m.end - sentence.start, m.type)
            for k, m in enumerate(mentions)
            if m.start >= sentence.start and m.end <= sentence.end and m.type in ("PER", "ORG", "LOC")
        ]
        return cls(sentence, list(tokens(sentence.text)), inside, publisher)

    @property
    def text(self) -> str:
        return self.sentence.text

    def gap(self, i: int) -> str:
        """Return the text between token ``i - 1`` and token ``i`` (the sentence end for i = len)."""
        lo = self.toks[i - 1].end if i > 0 else 0
        hi = self.toks[i].start if i < len(self.toks) else len(self.text)
        return self.text[lo:hi]

    def mention_at(self, i: int) -> tuple[int, int, int, str] | None:
        """Return the mention that token ``i`` starts (a clitic in front allowed), or None."""
        tok = self.toks[i]
        return next((m for m in self.mentions if tok.start <= m[1] < tok.end), None)

    def mention_ending(self, i: int) -> tuple[int, int, int, str] | None:
        """Return the mention that ends with token ``i``, or None."""
        return next((m for m in self.mentions if m[2] == self.toks[i].end), None)

    def index_at(self, pos: int) -> int:
        """Return the index of the first token that ends after sentence offset ``pos``."""
        return next((k for k, t in enumerate(self.toks) if t.end > pos), len(self.toks))


@dataclass(slots=True)
class Draft:
    """One claim being built: token indexes and sentence offsets, before speakers are resolved."""

    cue: tuple[int, int]  # sentence offsets of the cue
    lemma: str
    kind: str  # verb | participle | noun | attrib | headline
    quote_type: str
    speaker: tuple[int, int] | None = None
    content: tuple[int, int] = (0, 0)
    outlet: tuple[int, int] | None = None
    clause_start: int = 0  # where the clause of this cue begins (to end the previous claim's content)
    sequential: bool = False  # a new clause («، وقالت واشنطن», «، مشيراً»), not speech inside speech
    parent: int | None = None
    extra: dict[str, str] = field(default_factory=dict)


def has_comma(text: str) -> bool:
    """True when ``text`` holds an Arabic or Latin comma or semicolon."""
    return not COMMAS.isdisjoint(text)


def has_quote(text: str) -> bool:
    """True when ``text`` holds a quotation mark."""
    return not QUOTES.isdisjoint(text)


def quoted_name(v: View, i: int) -> tuple[int, int, int] | None:
    """Return (end token, start, end) of a short quoted name opening before token ``i``.

    A question or an exclamation («هل تريدون حربًا؟») is a quotation, not a name.
    """
    if i >= len(v.toks) or not has_quote(v.gap(i)):
        return None
    for k in range(i, min(i + 5, len(v.toks))):
        after = v.gap(k + 1)
        if has_quote(after):
            ends = after[: min((after.find(q) for q in QUOTES if q in after), default=0)]
            return None if any(ch in "؟?!" for ch in ends) else (k + 1, v.toks[i].start, v.toks[k].end)
        if k > i and (has_comma(v.gap(k)) or ":" in v.gap(k)):
            return None
    return None


def _is_outlet_name(v: View, lo: int, hi: int) -> bool:
    name = normalize(v.text[lo:hi])
    heads = name.split()[:1]
    return (
        name in AGENCIES
        or (v.publisher is not None and name == normalize(v.publisher))
        or bool(heads and heads[0] in MEDIA_HEADS)
        or bool(heads and heads[0] in PLATFORMS)
    )


def outlet_at(v: View, k: int) -> tuple[int, int, int] | None:
    """Return (end token, start, end) of an outlet opening at token ``k``: لـ"X", لرويترز, لموقع "X"."""
    tok = v.toks[k]
    if not tok.norm.startswith("ل"):
        return None
    rest = tok.norm[1:]
    if rest in MEDIA_HEADS:
        named = quoted_name(v, k + 1)
        return named or (k + 1, tok.start + 1, tok.end)
    if rest in AGENCIES or (v.publisher and rest == normalize(v.publisher)):
        return k + 1, tok.start + 1, tok.end
    named = quoted_name(v, k + 1) if tok.norm == "ل" else None
    if named is None:
        return None
    after = v.toks[named[0]] if named[0] < len(v.toks) else None
    talk = k > 0 and (v.toks[k - 1].norm in TALK_VERBS or v.toks[k - 1].norm in CHANNELS)
    opens = after is not None and (is_marker(after) or ":" in v.gap(named[0]))
    return named if talk or opens or _is_outlet_name(v, named[1], named[2]) else None


def channel_at(v: View, k: int) -> bool:
    """True when token ``k`` opens «في حديثه/في بيان/في تغريدة...»."""
    return v.toks[k].norm == "في" and k + 1 < len(v.toks) and v.toks[k + 1].norm in CHANNELS


def platform_after(v: View, k: int) -> tuple[int, int, int] | None:
    """Return (end token, start, end) of the platform of «في تغريدة على/بموقع تويتر» at token ``k``."""
    if not channel_at(v, k):
        return None
    for j in range(k + 2, min(k + 5, len(v.toks))):
        norm = v.toks[j].norm
        if norm in PLATFORMS or norm[1:] in PLATFORMS:
            start = v.toks[j].start + (0 if norm in PLATFORMS else 1)
            return j + 1, start, v.toks[j].end
    return None


def right_speaker(v: View, j: int, prep: str | None) -> int:
    """Return the token index where a speaker written after its cue (VSO) ends."""
    k = j
    while k < len(v.toks) and k - j < MAX_SPEAKER:
        tok, gap = v.toks[k], v.gap(k)
        if ":" in gap or (has_quote(gap) and quoted_name(v, k) is None):
            break
        if is_marker(tok) or is_attribution(v.toks, k) or outlet_at(v, k) or channel_at(v, k):
            break
        if tok.norm in TALK_VERBS or (prep in ("الي", "عن", "ب") or k == j) and opens_with_prep(tok, prep):
            break
        if k > j and has_comma(gap) and cue_form(v.toks, k) is not None:
            break
        k += 1
    return k if k - j < MAX_SPEAKER else j


def trim(v: View, lo: int, hi: int) -> int:
    """Return ``hi`` with trailing adverbs and dangling words of a speaker phrase removed."""
    drop = TRAILING_ADVERBS | RELATIVES | PREPOSITIONS
    while hi > lo + 1 and v.toks[hi - 1].norm in drop:
        hi -= 1
    return hi


def cut_object(v: View, lo: int, hi: int) -> int:
    """End a speaker at its first mention when another mention (the object) follows it directly."""
    first = v.mention_at(lo)
    if first is None:
        return hi
    nxt = v.index_at(first[2])
    if lo < nxt < hi and not has_comma(v.gap(nxt)):
        norm = v.toks[nxt].norm
        clitic = norm.startswith("ل") and strip_proclitics(norm) != norm
        if v.mention_at(nxt) is not None or norm in PREPOSITIONS or clitic:
            return nxt
    return hi


def left_speaker(v: View, i: int) -> tuple[int, int] | None:
    """Return the token range of a subject written before its cue (SVO), or None when it is implicit."""
    if v.toks[i].norm[:1] in "وف" and v.toks[i].norm not in LEXICON and has_comma(v.gap(i)):
        return None  # «، ويرى»: a second verb of the same subject
    fronted = i > 0 and has_comma(v.gap(i))
    limit = MAX_SPEAKER if fronted else 10
    lo = i
    for k in range(i - 1, max(-1, i - 1 - limit), -1):
        tok, gap = v.toks[k], v.gap(k + 1)
        if is_marker(tok) or cue_form(v.toks, k) is not None or is_attribution(v.toks, k):
            break
        if k + 1 < i and (":" in gap or (not fronted and (has_comma(gap) or has_quote(gap)))):
            break
        lo = k
    while lo < i and v.toks[lo].norm in FUNCTION_SUBJECTS:
        lo += 1
    if lo >= i or v.toks[lo].norm in PREPOSITIONS:
        return None  # nothing, or a prepositional phrase («تأكيدات إلى الكاظمي تفيد»): no subject
    if fronted and lo > 0 and not is_marker(v.toks[lo - 1]):
        return None  # a subject fronted before a comma opens the sentence or the reported clause
    if fronted or v.mention_ending(i - 1) is not None or is_source_head(v.toks[lo].norm):
        return lo, i
    return None


def content_start(v: View, k0: int, prep: str | None) -> tuple[int, str] | None:
    """Return (sentence offset, quote type) where the content of a cue opens, searching from ``k0``."""
    k = k0
    while k < min(len(v.toks), k0 + 40):
        tok = v.toks[k]
        if ":" in v.gap(k) and k > 0:
            return v.toks[k].start, "direct"
        if is_marker(tok):
            if tok.norm in PRONOUN_MARKERS or k + 1 >= len(v.toks):
                return tok.start, "indirect"
            return v.toks[k + 1].start, "direct" if has_quote(v.gap(k + 1)) else "indirect"
        if opens_with_prep(tok, prep) and not (k + 1 < len(v.toks) and is_marker(v.toks[k + 1])):
            return tok.start, "direct" if has_quote(v.text[tok.end : tok.end + 2]) else "indirect"
        if k == k0 and k > 0 and has_quote(v.gap(k)) and quoted_name(v, k) is None:
            return tok.start, "direct"
        if has_comma(v.gap(k)) and cue_form(v.toks, k) is not None:
            return None
        skip = outlet_at(v, k) or platform_after(v, k)
        k = skip[0] if skip else k + (2 if channel_at(v, k) else 1)
    return None


def find_outlet(v: View, lo: int, hi: int) -> tuple[int, int] | None:
    """Return the span of the outlet named between tokens ``lo`` and ``hi`` (speaker and interlude)."""
    for k in range(lo, min(hi, len(v.toks))):
        found = outlet_at(v, k) or platform_after(v, k)
        if found:
            return found[1], found[2]
        head = drop_article(v.toks[k].norm)
        if head in ("مصدر", "مصادر") and (named := quoted_name(v, k + 1)):
            return named[1], named[2]
    return None


def governed(v: View, k: int, start: int) -> bool:
    """True when the word at token ``k`` (a mention starting at ``start``) follows a preposition.

    A mention that takes in a ل+ال or ب+ال clitic (للصدر, بالحكومة) is governed too: it is a genitive.
    """
    clitic = v.toks[k].norm.startswith(("لل", "بال"))
    return start > v.toks[k].start or clitic or (k > 0 and v.toks[k - 1].norm in PREPOSITIONS)
