"""Claim drafts: the cues of a sentence, each with its speaker, content and outlet spans.

Decisions: a strict cue verb with no subject right after a content word describes that noun
(«تأكيدات ... تفيد بأن») and is no claim; a cue noun after a support verb (قدم تأكيدات) is spoken by
the verb's named subject; an indefinite described speaker ends after its adjectives when an object
with a name follows («ووصف مسؤول أمني كبير زيارة قاآني بأنها»).
"""

from __future__ import annotations

import re

from qexplore.db.arabic import strip_proclitics
from qexplore.db.extract import claim_lexicon as L
from qexplore.db.extract.claim_lexicon import PREPOSITIONS
from qexplore.db.extract.claim_rules import (
    Draft,
    View,
    content_start,
    cut_object,
    find_outlet,
    governed,
    has_comma,
    left_speaker,
    quoted_name,
    right_speaker,
    trim,
)  # fmt: skip

_HEADLINE = re.compile(r"^\s*([^:\n]{2,40}?)\s*:\s*(\S.*?)\s*$", re.S)


def _subject(v: View, i: int, prep: str | None) -> tuple[tuple[int, int] | None, int]:
    """Return the speaker's tokens for the verb at ``i`` (None if implicit) and where its clause begins."""
    subject = v.mention_ending(i - 1) if i > 0 and not v.gap(i).strip() else None
    svo = subject is not None and not governed(v, v.index_at(subject[1]), subject[1])
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
    if i == 0 or not has_comma(v.gap(i)) or v.toks[i].norm not in L.LEXICON:
        return None
    for k in range(i - 1, max(0, i - 30), -1):
        if L.is_marker(v.toks[k]) and k + 1 < i and (m := v.mention_at(k + 1)) is not None:
            return k + 1, v.index_at(m[2] - 1) + 1
        if L.is_marker(v.toks[k]) or L.cue_form(v.toks, k) is not None:
            return None
    return None


def _object_cut(v: View, i: int, speaker: tuple[int, int]) -> int | None:
    """Without a content marker, keep a VSO subject only if it looks like one: a name, a source, هذه X."""
    lo, hi = speaker
    if v.mention_at(lo) is not None:
        end = cut_object(v, lo, hi)
        return end if end < hi else v.index_at(v.mention_at(lo)[2] - 1) + 1  # type: ignore[index]
    if L.is_source_head(v.toks[lo].norm) or v.toks[lo].norm in L.DEMONSTRATIVES:
        return min(lo + 2, hi)
    return None


def _verb_draft(v: View, i: int, form: L.CueForm) -> Draft | None:
    tok = v.toks[i]
    speaker, clause = _subject(v, i, form.prep)
    if speaker is None and form.strict and _attributive(v, i):
        return None
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
        speaker = (speaker[0], _described_object(v, *speaker))
    span = (v.toks[speaker[0]].start, v.toks[speaker[1] - 1].end) if speaker else None
    outlet = find_outlet(v, i + 1, v.index_at(found[0]))
    draft = Draft((tok.start, tok.end), form.lemma, "verb", found[1], span, (found[0], len(v.text)), outlet)
    draft.clause_start = v.toks[clause].start
    draft.sequential = tok.norm[:1] in "وف" and tok.norm not in L.LEXICON and has_comma(v.gap(i))
    draft.sequential |= i > 0 and v.toks[i - 1].norm.startswith(("لكن", "ولكن"))
    return draft


def _described_object(v: View, lo: int, hi: int) -> int:
    """End an indefinite described speaker after its adjectives when an object follows, a name or a
    noun with a name («ووصف مسؤول أمني إيراني كبير زيارة قاآني بأنها»)."""
    if not L.is_source_head(v.toks[lo].norm) or v.toks[lo].norm.startswith("ال"):
        return hi
    k = lo + 1
    while k < hi and L.is_adjective(v.toks[k].norm) and v.mention_at(k) is None:
        k += 1
    if k == lo + 1 or k >= hi or has_comma(v.gap(k)):
        return hi
    norm = v.toks[k].norm
    if norm in PREPOSITIONS or norm != strip_proclitics(norm):
        return hi
    named = v.mention_at(k) is not None or (k + 1 < hi and v.mention_at(k + 1) is not None)
    return k if named and (v.mention_at(k) is not None or not norm.startswith("ال")) else hi


def _attributive(v: View, i: int) -> bool:
    """True when a verb without conjunction or comma follows a content word: a clause describing that
    noun («تأكيدات ... تفيد بأن», assurances to the effect that), not a new statement."""
    tok = v.toks[i]
    if i == 0 or tok.norm != L.bare(tok.norm) or tok.norm[:1] in "وف" or has_comma(v.gap(i)):
        return False
    before = v.toks[i - 1].norm
    return before not in L.FUNCTION_SUBJECTS and not L.is_marker(v.toks[i - 1]) and before not in L.NEGATIONS


def _after_name(v: View, lo: int, hi: int) -> int:
    """End a speaker after its name when a place or time phrase follows (… المحمداوي في مراسم …)."""
    hi = cut_object(v, lo, hi)
    for k in range(lo + 1, hi):
        m = v.mention_ending(k - 1)
        if m and m[3] == "PER" and v.toks[k].norm in ("في", "خلال", "اثناء") and not has_comma(v.gap(k)):
            return k
    return hi


def _participle_draft(v: View, i: int, form: L.CueForm) -> Draft | None:
    if i == 0 or not has_comma(v.gap(i)):
        return None
    found = content_start(v, i + 1, form.prep)
    near = found is not None and v.index_at(found[0]) - i <= 3
    stem = bare_norm(v, i)
    if not near and stem[:-1] not in L.STRONG_PARTICIPLES and stem[:-2] not in L.STRONG_PARTICIPLES:
        return None
    tok = v.toks[i]
    start = found[0] if near and found else (v.toks[i + 1].start if i + 1 < len(v.toks) else tok.end)
    draft = Draft((tok.start, tok.end), form.lemma, "participle", found[1] if found and near else "indirect")
    draft.content, draft.clause_start, draft.sequential = (start, len(v.text)), tok.start, True
    return draft


def bare_norm(v: View, i: int) -> str:
    """Return the normalised token ``i`` without a و/ف conjunction that hides a cue."""
    return L.bare(v.toks[i].norm)


def _noun_draft(v: View, i: int, form: L.CueForm) -> Draft | None:
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
    if i >= 2 and L.bare(v.toks[i - 1].norm) in L.SUPPORT_VERBS:
        return _supported_noun_draft(v, i, form)
    if i + 1 < len(v.toks) and L.is_marker(v.toks[i + 1]):
        before = [v.mention_ending(k) for k in range(max(0, i - 3), i)]
        subject = next((m for m in reversed(before) if m is not None), None)
        if subject is not None:
            draft = Draft((tok.start, tok.end), form.lemma, "noun", "indirect", (subject[1], subject[2]))
            draft.content, draft.clause_start = (v.toks[i + 1].end, len(v.text)), subject[1]
            return draft
    return None


def _supported_noun_draft(v: View, i: int, form: L.CueForm) -> Draft | None:
    """«قاآني قدم تأكيدات ... بأن»: the named subject of the support verb speaks; a marker must follow."""
    subject = v.mention_ending(i - 2)
    found = content_start(v, i + 1, None)
    if subject is None or governed(v, v.index_at(subject[1]), subject[1]) or found is None:
        return None
    if v.index_at(found[0]) - i > 8:
        return None
    tok = v.toks[i]
    draft = Draft((tok.start, tok.end), form.lemma, "noun", found[1], (subject[1], subject[2]))
    draft.content, draft.clause_start = (found[0], len(v.text)), subject[1]
    return draft


def _attribution_draft(v: View, i: int) -> Draft | None:
    toks, k = v.toks, i + 1
    if k < len(toks) and toks[k].norm in ("عن", "ل", "لما"):
        k += 2 if toks[k].norm == "لما" else 1
    if k >= len(toks):
        return None
    lo_char = toks[k].start + (1 if toks[k].norm.startswith("ل") and toks[k].norm not in L.LEXICON else 0)
    hi = k
    while hi < len(toks) and hi - k < 25 and not L.is_marker(toks[hi]) and toks[hi].norm not in L.TALK_VERBS:
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
    norm = norm[1:] if norm[:1] in "وف" and norm[1:] in L.ATTRIBUTION else norm
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


# Every word that can open a draft: a cue or an attribution word, with a و or ف in front or not
# (see claim_lexicon.bare and is_attribution). Other words are not even looked at.
_OPENERS = frozenset(f"{c}{w}" for w in (*L.LEXICON, *L.ATTRIBUTION) for c in ("", "و", "ف"))


def drafts(v: View) -> list[Draft]:
    """Return the drafts of the cues of a body sentence, in text order."""
    out: list[Draft] = []
    skip_to = 0
    for i in [k for k, tok in enumerate(v.toks) if tok.norm in _OPENERS]:
        if i < skip_to:
            continue
        if L.is_attribution(v.toks, i):
            draft = _attribution_draft(v, i)
            skip_to = v.index_at(draft.speaker[1]) if draft and draft.speaker else i + 1
        elif (form := L.cue_form(v.toks, i)) is None:
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
    return any(t.norm not in L.FUNCTION_SUBJECTS for t in v.toks[:i])


def link(v: View, drafts: list[Draft]) -> None:
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
    return sum(ch in L.OPEN_QUOTES or ch in L.CLOSE_QUOTES for ch in text) % 2 == 1


def headline(v: View) -> list[Draft]:
    """Return the draft of a «رويترز: …» pull quote (speaker before the colon), or none."""
    m = _HEADLINE.match(v.text)
    if m is None:
        return []
    colon = m.end(1) + v.text[m.end(1) :].index(":")
    draft = Draft((colon, colon + 1), ":", "headline", "headline", (m.start(1), m.end(1)), m.span(2))
    return [draft]
