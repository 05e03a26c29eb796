"""Rule-based extraction of attributed statements (claims) and declined comments from Arabic news.

The work is split by step: claim_lexicon (word lists), claim_rules (sentence view and spans),
claim_drafts (cues and their spans), claim_speakers (who speaks, carried-over speakers),
claim_relay (the relay chain), claim_no_comment (declined comments). This module glues them.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

from qexplore.db.arabic import normalize
from qexplore.db.extract.claim_drafts import drafts as find_drafts
from qexplore.db.extract.claim_drafts import headline, link
from qexplore.db.extract.claim_no_comment import declined
from qexplore.db.extract.claim_relay import ChainState, chain, is_agency, update_relay
from qexplore.db.extract.claim_rules import STRIP, Draft, View
from qexplore.db.extract.claim_speakers import Speaker, resolve
from qexplore.db.models import Mention, Positional, Sentence

_SKIP_KINDS = frozenset(("byline",))
# Headings report but do not set the speaker that a later «وأضاف» or «المصادر» refers back to.
_TITLE_KINDS = frozenset(("headline", "subhead", "pullquote"))


@dataclass(frozen=True, slots=True)
class Claim(Positional):
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


def _finish(v: View, drafts: list[Draft], state: ChainState, mentions: Sequence[Mention]) -> list[Claim]:
    """Resolve the speakers and relay chains of a sentence's drafts and turn them into claims."""
    base, out, resolved, via_of = v.sentence.start, [], [], []  # type: ignore[var-annotated]
    for d in drafts:
        who, carried = resolve(v, d, drafts, resolved, state.before, mentions)
        resolved.append(who)
        via = _via(v, d, who, state, via_of)
        via_of.append(via)
        default = state.relay if state.relay and not is_agency(who.name) else state.publisher
        outlet = v.text[d.outlet[0] : d.outlet[1]].strip(STRIP) if d.outlet else None
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
            state.before.last = who
            update_relay(v, who, state)
    return out


def _via(v: View, d: Draft, who: Speaker, state: ChainState, via_of: list[tuple[str, ...]]
         ) -> tuple[str, ...]:  # fmt: skip
    """The relay chain of a draft: that of the claim it is nested in, or publisher, agency and outlet."""
    outer = via_of[d.parent] if d.parent is not None else chain(state, who)
    outlet = v.text[d.outlet[0] : d.outlet[1]].strip(STRIP) if d.outlet else None
    if d.parent is None and outlet and outer[-1:] != (outlet,):
        outer = (*outer, outlet)
    name = who.name
    return (*outer, name) if name and outer[-1:] != (name,) else outer


def _shift(span: tuple[int, int] | None, base: int) -> tuple[int | None, int | None]:
    return (base + span[0], base + span[1]) if span else (None, None)


def _trim_content(text: str, lo: int, hi: int) -> tuple[int, int]:
    while hi > lo and text[hi - 1] in STRIP:
        hi -= 1
    while lo < hi and text[lo] in STRIP:
        lo += 1
    return lo, hi


def _no_comments(v: View, claims: list[Claim]) -> list[Claim]:
    base = v.sentence.start
    speakers = [(c.speaker_start - base, c.speaker_end - base) for c in claims
                if c.speaker_start is not None and c.speaker_end is not None]  # fmt: skip
    return [
        Claim(
            v.sentence.seq,
            "no_comment",
            v.text[lo:hi],
            normalize(v.text[lo:hi]),
            base + lo,
            base + hi,
            "none",
            None,
            None,
            None,
            None,
            "anonymous",
            None,
            False,
            None,
            None,
            None,
            (),
            None,
            None,
            None,
            False,
            (),
        )  # fmt: skip
        for lo, hi in declined(v, speakers)
    ]


def extract_claims(
    sentences: Sequence[Sentence], mentions: Sequence[Mention], publisher: str | None = None
) -> list[Claim]:
    """Return the claims and declined comments of an article, in text order.

    ``sentences`` and ``mentions`` are those of one article (article offsets); ``publisher`` is the
    article's outlet when known, the outermost link of every ``via`` and the default outlet.
    """
    state, out = ChainState(publisher), []
    for sentence in sentences:
        if sentence.boilerplate or sentence.kind in _SKIP_KINDS:
            continue
        v = View.of(sentence, mentions, publisher)
        drafts = headline(v) if sentence.kind == "pullquote" else find_drafts(v)
        link(v, drafts)
        claims = _finish(v, drafts, state, mentions)
        out.extend(claims + _no_comments(v, claims))
    return out
