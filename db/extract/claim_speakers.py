"""Speakers of claims: named or described, plural or not, and carried over to continuations.

Decisions: a name governed by a preposition or a ل/ب+ال clitic (مسؤول في المكتب السياسي للصدر) is a
genitive, not the speaker. «المصدر ذاته» and a lone definite head (المسؤولون) refer back to the last
speaker; «التقرير» to the wire report the article translates; «هذه الجبهة» to the latest recent name
holding the noun. A pro-dropped cue takes the speaker of the cue before it, or of the speech that one
is nested in when the cue is plural (مشيرين) and that speaker is not.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

from qexplore.db.arabic import drop_article, normalize, strip_proclitics
from qexplore.db.extract import claim_lexicon as L
from qexplore.db.extract.claim_rules import STRIP, Draft, View, find_outlet, governed, has_quote
from qexplore.db.models import Mention


@dataclass(frozen=True, slots=True)
class Speaker:
    """Who speaks in a claim: the mention that names them, or a description, and whether several."""

    text: str | None  # as written in this claim's sentence; None when implicit
    mention: int | None
    anonymity: str
    descriptor: str | None
    plural: bool
    name: str | None = None  # the speaker as first written, for the relay chain

    def carried(self, text: str | None, plural: bool = False) -> Speaker:
        """Return this speaker as carried over to a later claim written as ``text`` (None if implicit)."""
        return Speaker(text, self.mention, self.anonymity, self.descriptor, self.plural or plural, self.name)


NOBODY = Speaker(None, None, "anonymous", None, False)


def speaker_of(v: View, span: tuple[int, int], mentions: Sequence[Mention]) -> Speaker:
    """Return the speaker written at sentence ``span``: named by a mention, described, or anonymous."""
    lo, hi = v.index_at(span[0]), v.index_at(span[1] - 1) + 1
    norms = [t.norm for t in v.toks[lo:hi]]
    text = v.text[span[0] : span[1]].strip(STRIP) or v.text[span[0] : span[1]]
    if v.text[span[0] - 1 : span[0] + 1] == "لل":
        text = "ال" + text[1:]
    mention = _named(v, lo, hi)
    plural = L.is_plural(norms)
    if mention is not None:
        return Speaker(text, mention, "named", None, plural, text)
    heads = [w for w in norms if not L.is_source_head(w)]
    outlet = find_outlet(v, lo, hi)
    if outlet:
        heads = [w for w in heads if w not in normalize(v.text[outlet[0] : outlet[1]]).split()]
    anonymous = not heads or any(w in L.ANONYMISERS for w in norms)
    return Speaker(text, None, "anonymous" if anonymous else "described", text, plural, text)


def _named(v: View, lo: int, hi: int) -> int | None:
    """Return the article index of the mention that names a speaker phrase, or None if it describes."""
    if lo >= hi:
        return None
    first = v.mention_at(lo)
    if first is not None and first[1] - v.toks[lo].start <= 1:
        return first[0]
    head = L.is_source_head(v.toks[lo].norm)
    second = v.mention_at(lo + 1) if lo + 1 < hi else None
    if not head and second is not None and second[3] != "PER":
        return second[0]
    for k in range(lo, hi):
        m = v.mention_at(k)
        if m is None or m[3] != "PER" or governed(v, k, m[1]):
            continue
        if not head or k - lo < 4 or v.index_at(m[2] - 1) + 1 >= hi:
            return m[0]
    return None


@dataclass(slots=True)
class Antecedents:
    """Speakers a later claim can refer back to: the last top-level one, and the wire report translated."""

    last: Speaker = NOBODY
    report: Speaker | None = None


def resolve(v: View, d: Draft, drafts: list[Draft], resolved: list[Speaker], before: Antecedents,
            mentions: Sequence[Mention]) -> tuple[Speaker, bool]:  # fmt: skip
    """Return the speaker of a draft and whether it is carried over from an earlier claim."""
    last = before.last
    if d.speaker is not None:
        own = speaker_of(v, d.speaker, mentions)
        norms = [normalize(w) for w in v.text[d.speaker[0] : d.speaker[1]].split()]
        anaphor = any(w in L.ANAPHORS for w in norms)
        single = len(norms) == 1 and norms[0].startswith("ال") and own.anonymity != "named"
        if (anaphor or single) and last is not NOBODY:
            return last.carried(own.text, own.plural), True  # «المصدر ذاته», «المسؤولون» refer back
        if own.anonymity == "named":
            return own, False
        if before.report is not None and _is_the_report(own.text):
            return before.report.carried(own.text, own.plural), True  # «التقرير», «وفقًا للتقرير»
        named = _demonstrative_antecedent(v, norms, d.speaker[0], mentions)
        if named is not None:
            return Speaker(own.text, named, "named", None, own.plural, own.text), False
        return own, False
    n = drafts.index(d)
    if n and d.kind != "attrib":
        p = n - 1
        while drafts[p].parent is not None and _inside_quote(v, drafts[drafts[p].parent or 0], drafts[p], d):
            p = drafts[p].parent or 0
        return resolved[_agreeing(v, d, drafts, resolved, p)].carried(None), True
    return last.carried(None), last is not NOBODY


def _agreeing(v: View, d: Draft, drafts: list[Draft], resolved: list[Speaker], p: int) -> int:
    """Return the draft, ``p`` or one it is nested in, whose speaker a plural cue (مشيرين, وأضافوا)
    agrees with: a plural cue skips a single speaker of speech nested in the plural one's."""
    if not L.is_plural_cue(v.text[d.cue[0] : d.cue[1]]):
        return p
    k: int | None = p
    while k is not None and not resolved[k].plural:
        k = drafts[k].parent
    return p if k is None else k


def _is_the_report(text: str | None) -> bool:
    """True for a speaker phrase headed by the definite «التقرير» (the report), clitics aside."""
    words = normalize(text or "").split()
    return bool(words) and strip_proclitics(words[0]) == "التقرير"


def _demonstrative_antecedent(v: View, norms: list[str], at: int, mentions: Sequence[Mention]
                              ) -> int | None:  # fmt: skip
    """«هذه الجبهة»: the latest mention, of this or the three sentences before, whose name holds the
    noun («الجبهة العراقية»); None when the speaker is no demonstrative phrase or nothing matches."""
    if len(norms) < 2 or norms[0] not in L.DEMONSTRATIVES or not norms[1].startswith("ال"):
        return None
    noun, start, seq = drop_article(norms[1]), v.sentence.start + at, v.sentence.seq
    for k in range(len(mentions) - 1, -1, -1):
        m = mentions[k]
        if m.start >= start or m.sentence_seq < seq - 3 or m.type not in ("PER", "ORG", "LOC"):
            continue
        if noun in {drop_article(w) for w in normalize(m.surface).split()}:
            return k
    return None


def _inside_quote(v: View, outer: Draft, inner: Draft, d: Draft) -> bool:
    before = v.text[outer.content[0] - 1 : inner.cue[0]]
    return sum(ch in L.OPEN_QUOTES or ch in L.CLOSE_QUOTES for ch in before) % 2 == 1 and has_quote(
        v.text[inner.cue[1] : d.cue[0]]
    )
