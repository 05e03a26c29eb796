"""Rule-based extraction of attributed statements (claims) and declined comments from Arabic news."""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass

from qexplore.db.arabic import drop_article, normalize, strip_proclitics
from qexplore.db.extract import claim_rules as R
from qexplore.db.extract.claim_rules import (
    PREPOSITIONS,
    Draft,
    View,
    content_start,
    cut_object,
    find_outlet,
    has_comma,
    has_quote,
    left_speaker,
    quoted_name,
    right_speaker,
    trim,
)  # fmt: skip
from qexplore.db.models import Mention, Sentence

_HEADLINE = re.compile(r"^\s*([^:\n]{2,40}?)\s*:\s*(\S.*?)\s*$", re.S)
_SKIP_KINDS = frozenset(("byline",))
# Headings report but do not set the speaker that a later «وأضاف» or «المصادر» refers back to.
_TITLE_KINDS = frozenset(("headline", "subhead", "pullquote"))
_STRIP = " \t\n\u00a0،,.؛;:\"«»“”'"


@dataclass(frozen=True, slots=True)
class Claim:
    """One attributed statement (kind "claim") or declined comment (kind "no_comment") of a sentence.

    Offsets are into the article text. ``speaker_text`` is None when the speaker is implicit
    (وأضاف, مشيراً); the speaker fields then come from the claim the speaker is carried over from.
    ``via`` is the relay chain, outermost first: publisher, agency, outer speakers, the speaker.
    """

    sentence_seq: int
    kind: str  # claim | no_comment
    cue: str
    cue_lemma: str
    cue_start: int
    cue_end: int
    quote_type: str  # direct | indirect | attribution | headline | none (no_comment)
    speaker_start: int | None
    speaker_end: int | None
    speaker_text: str | None
    speaker_mention: int | None
    anonymity: str  # named | described | anonymous
    descriptor: str | None
    plural: bool
    outlet_text: str | None
    outlet_start: int | None
    outlet_end: int | None
    via: tuple[str, ...]
    content_start: int | None
    content_end: int | None
    content: str | None
    carried_over: bool
    about: tuple[int, ...]


@dataclass(frozen=True, slots=True)
class _Speaker:
    text: str | None  # as written in this claim's sentence; None when implicit
    mention: int | None
    anonymity: str
    descriptor: str | None
    plural: bool
    name: str | None = None  # the speaker as first written, for the relay chain

    def carried(self, text: str | None, plural: bool = False) -> _Speaker:
        """Return this speaker as carried over to a later claim written as ``text`` (None if implicit)."""
        return _Speaker(text, self.mention, self.anonymity, self.descriptor, self.plural or plural, self.name)


_NOBODY = _Speaker(None, None, "anonymous", None, False)


@dataclass(slots=True)
class _State:
    """What carries from one sentence to the next: the last speaker and the relay agency."""

    publisher: str | None
    last: _Speaker = _NOBODY
    relay: str | None = None


def _subject(v: View, i: int, prep: str | None) -> tuple[tuple[int, int] | None, int]:
    """Return the speaker's tokens for the verb at ``i`` (None if implicit) and where its clause begins."""
    subject = v.mention_ending(i - 1) if i > 0 and not v.gap(i).strip() else None
    svo = subject is not None and not _governed(v, v.index_at(subject[1]), subject[1])
    fronted = _fronted(v, i)
    if fronted is not None:
        return fronted, fronted[0]
    hi = i + 1 if svo else right_speaker(v, i + 1, prep)
    if hi > i + 1:
        return (i + 1, trim(v, i + 1, hi)), i
    left = left_speaker(v, i)
    return (left, left[0]) if left else (None, i)


def _fronted(v: View, i: int) -> tuple[int, int] | None:
    """«إن قاآني، الذي ...، أبلغ»: the subject named after إن/أن, before a comma clause, before the verb."""
    if i == 0 or not has_comma(v.gap(i)) or v.toks[i].norm not in R.LEXICON:
        return None
    for k in range(i - 1, max(0, i - 30), -1):
        if R.is_marker(v.toks[k]) and k + 1 < i and (m := v.mention_at(k + 1)) is not None:
            return k + 1, v.index_at(m[2] - 1) + 1
        if R.is_marker(v.toks[k]) or R.cue_form(v.toks, k) is not None:
            return None
    return None


def _governed(v: View, k: int, start: int) -> bool:
    """True when the word at token ``k`` (a mention starting at ``start``) follows a preposition."""
    return start > v.toks[k].start or (k > 0 and v.toks[k - 1].norm in PREPOSITIONS)


def _object_cut(v: View, i: int, speaker: tuple[int, int]) -> int | None:
    """Without a content marker, keep a VSO subject only if it looks like one: a name, a source, هذه X."""
    lo, hi = speaker
    head = drop_article(strip_proclitics(v.toks[lo].norm))
    if v.mention_at(lo) is not None:
        end = cut_object(v, lo, hi)
        return end if end < hi else v.index_at(v.mention_at(lo)[2] - 1) + 1  # type: ignore[index]
    if head in R.SOURCE_HEADS or v.toks[lo].norm in R.DEMONSTRATIVES:
        return min(lo + 2, hi)
    return None


def _verb_draft(v: View, i: int, form: R.CueForm) -> Draft | None:
    tok = v.toks[i]
    speaker, clause = _subject(v, i, form.prep)
    after = speaker[1] if speaker and speaker[0] > i else i + 1
    found = content_start(v, after, form.prep)
    if found is None:
        end = _object_cut(v, i, speaker) if speaker and speaker[0] > i and not form.strict else None
        if speaker is None or end is None:
            return None
        speaker = (speaker[0], end)
        found = (v.toks[end].start if end < len(v.toks) else len(v.text), "indirect")
    if form.strict and v.index_at(found[0]) - after > 8:
        return None
    if speaker is not None and speaker[0] > i:
        speaker = (speaker[0], _after_name(v, *speaker))
    span = (v.toks[speaker[0]].start, v.toks[speaker[1] - 1].end) if speaker else None
    outlet = find_outlet(v, i + 1, v.index_at(found[0]))
    draft = Draft((tok.start, tok.end), form.lemma, "verb", found[1], span, (found[0], len(v.text)), outlet)
    draft.clause_start = v.toks[clause].start
    draft.sequential = tok.norm[:1] in "وف" and tok.norm not in R.LEXICON and has_comma(v.gap(i))
    draft.sequential |= i > 0 and v.toks[i - 1].norm.startswith(("لكن", "ولكن"))
    return draft


def _after_name(v: View, lo: int, hi: int) -> int:
    """End a speaker after its name when a place or time phrase follows (… المحمداوي في مراسم …)."""
    hi = cut_object(v, lo, hi)
    for k in range(lo + 1, hi):
        m = v.mention_ending(k - 1)
        if m and m[3] == "PER" and v.toks[k].norm in ("في", "خلال", "اثناء") and not has_comma(v.gap(k)):
            return k
    return hi


def _participle_draft(v: View, i: int, form: R.CueForm) -> Draft | None:
    if i == 0 or not has_comma(v.gap(i)):
        return None
    found = content_start(v, i + 1, form.prep)
    near = found is not None and v.index_at(found[0]) - i <= 3
    stem = bare_norm(v, i)
    if not near and stem[:-1] not in R.STRONG_PARTICIPLES and stem[:-2] not in R.STRONG_PARTICIPLES:
        return None
    tok = v.toks[i]
    start = found[0] if near and found else (v.toks[i + 1].start if i + 1 < len(v.toks) else tok.end)
    draft = Draft((tok.start, tok.end), form.lemma, "participle", found[1] if found and near else "indirect")
    draft.content, draft.clause_start, draft.sequential = (start, len(v.text)), tok.start, True
    return draft


def bare_norm(v: View, i: int) -> str:
    return R.bare(v.toks[i].norm)


def _noun_draft(v: View, i: int, form: R.CueForm) -> Draft | None:
    tok = v.toks[i]
    named = next((v.mention_at(k) for k in range(i + 1, min(i + 4, len(v.toks))) if v.mention_at(k)), None)
    lead = range(i + 1, v.index_at(named[1]) + 1) if named else range(0)
    if named and not any(has_comma(v.gap(k)) or v.toks[k].norm in PREPOSITIONS for k in lead):
        after = v.index_at(named[2])
        found = content_start(v, after, None)
        start = found[0] if found else (v.toks[after].start if after < len(v.toks) else named[2])
        draft = Draft((tok.start, tok.end), form.lemma, "noun", found[1] if found else "indirect")
        draft.speaker, draft.content = (v.toks[i + 1].start, named[2]), (start, len(v.text))
        draft.clause_start = tok.start
        return draft
    if i + 1 < len(v.toks) and R.is_marker(v.toks[i + 1]):
        before = [v.mention_ending(k) for k in range(max(0, i - 3), i)]
        subject = next((m for m in reversed(before) if m is not None), None)
        if subject is not None:
            draft = Draft((tok.start, tok.end), form.lemma, "noun", "indirect", (subject[1], subject[2]))
            draft.content, draft.clause_start = (v.toks[i + 1].end, len(v.text)), subject[1]
            return draft
    return None


def _attribution_draft(v: View, i: int) -> Draft | None:
    toks, k = v.toks, i + 1
    if k < len(toks) and toks[k].norm in ("عن", "ل", "لما"):
        k += 2 if toks[k].norm == "لما" else 1
    if k >= len(toks):
        return None
    lo_char = toks[k].start + (1 if toks[k].norm.startswith("ل") and toks[k].norm not in R.LEXICON else 0)
    hi = k
    while hi < len(toks) and hi - k < 25 and not R.is_marker(toks[hi]) and toks[hi].norm not in R.TALK_VERBS:
        if hi > k and has_comma(v.gap(hi)):
            break
        hi += 1
    tok = toks[i]
    cue_end = toks[k - 1].end if k - 1 > i else tok.end
    draft = Draft((tok.start, cue_end), normalize_lemma(tok.norm), "attrib", "attribution")
    draft.speaker, draft.clause_start, draft.sequential = (lo_char, toks[hi - 1].end), tok.start, True
    draft.outlet = find_outlet(v, k, min(len(toks), hi + 4))
    found = content_start(v, hi, None)
    if found is not None and v.index_at(found[0]) - hi <= 6:
        draft.content = (found[0], len(v.text))
    elif len(toks) - hi >= 3:
        draft.content = (toks[hi].start, len(v.text))
    else:
        draft.content = (0, tok.start)
    return draft


def normalize_lemma(norm: str) -> str:
    """Return the dictionary form of an attribution word (وبحسب -> حسب, وفقًا -> وفق)."""
    norm = norm[1:] if norm[:1] in "وف" and norm[1:] in R.ATTRIBUTION else norm
    return {"بحسب": "حسب", "وفقا": "وفق", "نقلا": "نقل عن"}.get(norm, norm)


def _know_draft(v: View, i: int) -> Draft | None:
    """علمت «الجريدة» من مصادرها أن...: the outlet learnt it; the speaker follows من/عبر."""
    named = quoted_name(v, i + 1)
    if named is None:
        return None
    k = named[0]
    while k < len(v.toks) and v.toks[k].norm not in ("من", "عبر") and k - named[0] < 3:
        k += 1
    found = content_start(v, k + 1, None)
    if k >= len(v.toks) or found is None:
        return None
    hi = min(v.index_at(found[0]), right_speaker(v, k + 1, None))
    tok = v.toks[i]
    draft = Draft((tok.start, tok.end), "علم", "verb", found[1], None, (found[0], len(v.text)))
    if hi > k + 1:
        draft.speaker = (v.toks[k + 1].start, v.toks[trim(v, k + 1, hi) - 1].end)
    draft.outlet, draft.clause_start = (named[1], named[2]), tok.start
    return draft


def _drafts(v: View) -> list[Draft]:
    out: list[Draft] = []
    skip_to = 0
    for i in range(len(v.toks)):
        if i < skip_to:
            continue
        if R.is_attribution(v.toks, i):
            draft = _attribution_draft(v, i)
            skip_to = v.index_at(draft.speaker[1]) if draft and draft.speaker else i + 1
        elif (form := R.cue_form(v.toks, i)) is None:
            continue
        elif form.lemma == "علم":
            draft = _know_draft(v, i)
        else:
            make = {"verb": _verb_draft, "participle": _participle_draft, "noun": _noun_draft}[form.kind]
            draft = make(v, i, form)
        if draft is not None and not (draft.kind == "verb" and not draft.speaker and not out and _mid(v, i)):
            out.append(draft)
    return out


def _mid(v: View, i: int) -> bool:
    """True when an implicit-subject verb comes after other words: its subject is not a speaker."""
    return any(t.norm not in R.FUNCTION_SUBJECTS for t in v.toks[:i])


def _link(v: View, drafts: list[Draft]) -> None:
    """End each claim's content where a new clause begins, and nest speech reported inside speech."""
    for n, d in enumerate(drafts):
        for p in range(n - 1, -1, -1):
            outer = drafts[p]
            if not outer.content[0] <= d.cue[0] < outer.content[1]:
                continue
            if d.sequential and not _open_quote(v.text[outer.content[0] - 1 : d.cue[0]]):
                outer.content = (outer.content[0], max(outer.content[0], d.clause_start))
            else:
                d.parent = p
            break


def _open_quote(text: str) -> bool:
    return sum(ch in R.OPEN_QUOTES or ch in R.CLOSE_QUOTES for ch in text) % 2 == 1


def _headline(v: View) -> list[Draft]:
    m = _HEADLINE.match(v.text)
    if m is None:
        return []
    colon = m.end(1) + v.text[m.end(1) :].index(":")
    draft = Draft((colon, colon + 1), ":", "headline", "headline", (m.start(1), m.end(1)), m.span(2))
    return [draft]


def _speaker(v: View, span: tuple[int, int], mentions: Sequence[Mention]) -> _Speaker:
    lo, hi = v.index_at(span[0]), v.index_at(span[1] - 1) + 1
    norms = [t.norm for t in v.toks[lo:hi]]
    text = v.text[span[0] : span[1]].strip(_STRIP) or v.text[span[0] : span[1]]
    if v.text[span[0] - 1 : span[0] + 1] == "لل":
        text = "ال" + text[1:]
    mention = _named(v, lo, hi)
    plural = R.is_plural(norms)
    if mention is not None:
        return _Speaker(text, mention, "named", None, plural, text)
    heads = [w for w in norms if drop_article(strip_proclitics(w)) not in R.SOURCE_HEADS]
    outlet = find_outlet(v, lo, hi)
    if outlet:
        heads = [w for w in heads if w not in normalize(v.text[outlet[0] : outlet[1]]).split()]
    anonymous = not heads or any(w in R.ANONYMISERS for w in norms)
    return _Speaker(text, None, "anonymous" if anonymous else "described", text, plural, text)


def _named(v: View, lo: int, hi: int) -> int | None:
    """Return the article index of the mention that names a speaker phrase, or None if it describes."""
    if lo >= hi:
        return None
    first = v.mention_at(lo)
    if first is not None and first[1] - v.toks[lo].start <= 1:
        return first[0]
    head = drop_article(strip_proclitics(v.toks[lo].norm))
    second = v.mention_at(lo + 1) if lo + 1 < hi else None
    if head not in R.SOURCE_HEADS and second is not None and second[3] != "PER":
        return second[0]
    for k in range(lo, hi):
        m = v.mention_at(k)
        if m is None or m[3] != "PER" or _governed(v, k, m[1]):
            continue
        if head not in R.SOURCE_HEADS or k - lo < 4 or v.index_at(m[2] - 1) + 1 >= hi:
            return m[0]
    return None


def _resolve(v: View, d: Draft, drafts: list[Draft], resolved: list[_Speaker], state: _State,
             mentions: Sequence[Mention]) -> tuple[_Speaker, bool]:  # fmt: skip
    """Return the speaker of a draft and whether it is carried over from an earlier claim."""
    if d.speaker is not None:
        own = _speaker(v, d.speaker, mentions)
        norms = [normalize(w) for w in v.text[d.speaker[0] : d.speaker[1]].split()]
        anaphor = any(w in R.ANAPHORS for w in norms)
        if anaphor or (len(norms) == 1 and norms[0].startswith("ال") and own.anonymity != "named"):
            return state.last.carried(own.text, own.plural), state.last is not _NOBODY
        return own, False
    n = drafts.index(d)
    if n and d.kind != "attrib":
        p = n - 1
        while drafts[p].parent is not None and _inside_quote(v, drafts[drafts[p].parent or 0], drafts[p], d):
            p = drafts[p].parent or 0
        return resolved[p].carried(None), True
    return state.last.carried(None), state.last is not _NOBODY


def _inside_quote(v: View, outer: Draft, inner: Draft, d: Draft) -> bool:
    before = v.text[outer.content[0] - 1 : inner.cue[0]]
    return sum(ch in R.OPEN_QUOTES or ch in R.CLOSE_QUOTES for ch in before) % 2 == 1 and has_quote(
        v.text[inner.cue[1] : d.cue[0]]
    )


def _finish(v: View, drafts: list[Draft], state: _State, mentions: Sequence[Mention]) -> list[Claim]:
    base, out, resolved, via_of = v.sentence.start, [], [], []  # type: ignore[var-annotated]
    for d in drafts:
        who, carried = _resolve(v, d, drafts, resolved, state, mentions)
        resolved.append(who)
        name = who.name
        outer = via_of[d.parent] if d.parent is not None else _chain(state, who)
        outlet = v.text[d.outlet[0] : d.outlet[1]].strip(_STRIP) if d.outlet else None
        if d.parent is None and outlet and outer[-1:] != (outlet,):
            outer = (*outer, outlet)
        via = (*outer, name) if name and outer[-1:] != (name,) else outer
        via_of.append(via)
        default = state.relay if state.relay and not _is_agency(who.text) else state.publisher
        lo, hi = _trim_content(v.text, *d.content)
        sp, ou = _shift(d.speaker, base), _shift(d.outlet, base)
        out.append(Claim(
            v.sentence.seq, "claim", v.text[d.cue[0] : d.cue[1]], d.lemma, base + d.cue[0], base + d.cue[1],
            d.quote_type, sp[0], sp[1], who.text if d.speaker else None, who.mention, who.anonymity,
            who.descriptor, who.plural, outlet or default, ou[0], ou[1], via, base + lo, base + hi,
            v.text[lo:hi], carried,
            tuple(k for k, m in enumerate(mentions) if base + lo <= m.start and m.end <= base + hi),
        ))  # fmt: skip
        if d.parent is None and v.sentence.kind not in _TITLE_KINDS:
            state.last = who
            _update_relay(v, who, state)
    return out


def _shift(span: tuple[int, int] | None, base: int) -> tuple[int | None, int | None]:
    return (base + span[0], base + span[1]) if span else (None, None)


def _chain(state: _State, who: _Speaker) -> tuple[str, ...]:
    chain = [state.publisher] if state.publisher else []
    if state.relay and not _is_agency(who.text) and state.relay not in chain:
        chain.append(state.relay)
    return tuple(chain)


def _is_agency(text: str | None) -> bool:
    return text is not None and any(a in normalize(text) for a in R.AGENCIES)


def _update_relay(v: View, who: _Speaker, state: _State) -> None:
    """A wire agency's report (كشفت رويترز في تقرير) makes it a link of every later claim."""
    if state.relay or not _is_agency(who.text) or not re.search("تقرير|ترجم", normalize(v.text)):
        return
    agency = next(a for a in R.AGENCIES if a in normalize(who.text or ""))
    if state.publisher is None or normalize(state.publisher) != agency:
        state.relay = _as_written(who.text or "", agency)


def _as_written(text: str, norm: str) -> str:
    """Return the words of ``text`` whose normalised form is ``norm`` («رويترز» out of «تقرير رويترز»)."""
    raw = text.split()
    spans = (" ".join(raw[k : k + n]).strip(_STRIP) for n in (1, 2, 3) for k in range(len(raw)))
    return next((w for w in spans if normalize(w) == norm), norm)


def _trim_content(text: str, lo: int, hi: int) -> tuple[int, int]:
    while hi > lo and text[hi - 1] in _STRIP:
        hi -= 1
    while lo < hi and text[lo] in _STRIP:
        lo += 1
    return lo, hi


def _no_comments(v: View, claims: list[Claim]) -> list[Claim]:
    base, out = v.sentence.start, []
    for i in range(len(v.toks)):
        after = R.no_comment_at(v.toks, i)
        pos = base + v.toks[i].start
        if after is None or any(c.speaker_start is not None and c.speaker_start <= pos < (c.speaker_end or 0)
                                for c in claims):  # fmt: skip
            continue  # «مصدر رفض الكشف عن اسمه» describes a speaker, it is no refusal
        lo, hi = v.toks[i].start, v.toks[after - 1].end
        out.append(Claim(
            v.sentence.seq, "no_comment", v.text[lo:hi], normalize(v.text[lo:hi]), base + lo, base + hi,
            "none", None, None, None, None, "anonymous", None, False, None, None, None, (), None, None, None,
            False, (),
        ))  # fmt: skip
    return out


def extract_claims(
    sentences: Sequence[Sentence], mentions: Sequence[Mention], publisher: str | None = None
) -> list[Claim]:
    """Return the claims and declined comments of an article, in text order.

    ``sentences`` and ``mentions`` are those of one article (article offsets); ``publisher`` is the
    article's outlet when known, the outermost link of every ``via`` and the default outlet.
    """
    state, out = _State(publisher), []
    for sentence in sentences:
        if sentence.boilerplate or sentence.kind in _SKIP_KINDS:
            continue
        v = View.of(sentence, mentions, publisher)
        drafts = _headline(v) if sentence.kind == "pullquote" else _drafts(v)
        _link(v, drafts)
        claims = _finish(v, drafts, state, mentions)
        out.extend(claims + _no_comments(v, claims))
    return out
