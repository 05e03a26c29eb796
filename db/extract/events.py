"""Rule-based events (who met whom, when and where) from the sentences, mentions and claims of an article.

Decisions (each one pinned by tests/test_events.py):

* A trigger is a normalised token (with clitics) from event_rules.RULES. Triggers of one type in one
  sentence make one event, anchored on the first of them.
* No event when the trigger sits in a question («هل يستطيع ... أن يزور؟») or right after a denial or
  negation (نفى، لم، لن، عدم). A trigger right after a directive (دعا، طلب، أمر، حث) or a threat (هدد،
  توعد) did not happen: the directive is an event of type "other", the threat one of type "statement".
* Place: a LOC mention near the trigger governed by في/إلى/ب/ل (attached or as a word); for visits the
  object after the verb or after إلى is preferred. Participants: the agent is the PER/ORG named right
  before the trigger, else right after a verb trigger (after a noun trigger of an attack, an arrest, a
  raid or an assassination that mention is the target). The speaker of a claim is not taken as agent
  of an event inside the claim's content. Counterparts follow مع or are the object of a meeting verb;
  other names after a meeting trigger are attendees; names after an attack-like trigger are targets.
  An attack whose target is a named person is an assassination (attempt).
* Date: the date of the sentence nearest the trigger (find_dates with the article date as reference).
  A day or month whose year is unknown keeps dates.py's truncated form ("--01-29"). An undated event
  takes a date only (a) when its sentence opens by continuing the story, from the latest dated event
  up to four sentences back («في اليوم التالي» adds a day to a day-precise date, «في ذلك اليوم/حينها»
  keeps it; basis "relative"/"inferred"), or (b) when
  it is merged with a dated mention of the same event, or (c) when it is an undated visit next to a
  dated meeting of the same agent in the adjacent sentence (one trip), basis "inferred". Otherwise the
  date stays None, unless the caller opts in with ``article_month=True``: then an event in a sentence
  that states no date takes the reference's month (basis "inferred").
* Merging: an event merges into one of the two sentences before it when type and place agree (equal,
  or one missing), they share a participant (or one has none) and their dates are compatible (equal,
  or one missing). The merged event keeps the first trigger and collects evidence and participants.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, replace

from qexplore.db.arabic import Token, normalize, strip_proclitics, tokens
from qexplore.db.extract import event_rules as R
from qexplore.db.extract.claims import Claim
from qexplore.db.extract.dates import FoundDate, Reference, find_dates
from qexplore.db.extract.event_dates import carry, from_reference, mention_key, nearest_date, same_trip
from qexplore.db.models import Mention, Sentence

_AGENT_TYPES = frozenset(("PER", "ORG"))
_HARM = frozenset(("attack", "assassination", "arrest", "raid"))
_PREPS = frozenset(("في", "الي", "ب", "داخل", "قرب", "الى", "نحو"))
_SKIP_KINDS = frozenset(("byline",))
_GOVERN_WINDOW = 8


@dataclass(frozen=True, slots=True)
class Event:
    """One event: its type, the trigger as written, when and where, who took part, and the evidence.

    Offsets are into the article text. ``place`` and the participants' first items index the
    ``mentions`` given to extract_events; roles are agent | counterpart | attendee | target.
    """

    type: str
    sentence_seq: int
    trigger: str
    trigger_start: int
    trigger_end: int
    date: str | None
    date_precision: str | None
    date_basis: str | None
    date_text: str | None
    place: int | None
    participants: tuple[tuple[int, str], ...]
    evidence: tuple[int, ...]


@dataclass(frozen=True, slots=True)
class _Hit:
    """A trigger found in a sentence: its rule and token position."""

    rule: R.Rule
    index: int
    type: str


@dataclass(frozen=True, slots=True)
class _Ctx:
    """One sentence as the rules see it: tokens, their bare forms and the mentions placed on tokens."""

    sentence: Sentence
    toks: list[Token]
    bare: list[str]
    mentions: list[tuple[int, Mention, int, int]]  # (mention index, mention, first token, last token)
    speakers: frozenset[int]
    content: tuple[int, int] | None  # token span of a claim's content, when the sentence has one

    def lookahead(self, i: int) -> str | None:
        return self.toks[i + 1].norm if i + 1 < len(self.toks) else None


def _token_span(toks: list[Token], start: int, end: int) -> tuple[int, int] | None:
    inside = [k for k, t in enumerate(toks) if t.end > start and t.start < end]
    return (inside[0], inside[-1]) if inside else None


def _context(s: Sentence, mentions: Sequence[Mention], claims: Sequence[Claim]) -> _Ctx:
    toks = list(tokens(s.text))
    placed: list[tuple[int, Mention, int, int]] = []
    for k, m in enumerate(mentions):
        span = _token_span(toks, m.start - s.start, m.end - s.start) if m.sentence_seq == s.seq else None
        if span is not None:
            placed.append((k, m, span[0], span[1]))
    mine = [c for c in claims if c.sentence_seq == s.seq]
    speakers = frozenset(c.speaker_mention for c in mine if c.speaker_mention is not None)
    spans = [(c.content_start - s.start, c.content_end - s.start)
             for c in mine if c.content_start is not None and c.content_end is not None]  # fmt: skip
    content = _token_span(toks, *spans[0]) if spans else None
    return _Ctx(s, toks, [strip_proclitics(t.norm) for t in toks], placed, speakers, content)


def _loc_within(ctx: _Ctx, i: int, width: int) -> bool:
    return any(m.type == "LOC" and i < first <= i + width for _, m, first, _ in ctx.mentions)


def _per_after(ctx: _Ctx, i: int, width: int) -> bool:
    return any(m.type == "PER" and i < first <= i + width for _, m, first, _ in ctx.mentions)


def _with_after(ctx: _Ctx, i: int, width: int) -> bool:
    return any(t.norm in ("مع", "ومع") for t in ctx.toks[i + 1 : i + 1 + width])


def _conditions_hold(ctx: _Ctx, rule: R.Rule, i: int) -> bool:
    if rule.needs_place and not _loc_within(ctx, i, 8):
        return False
    if rule.needs_person and not _per_after(ctx, i, 4):
        return False
    return not rule.needs_with or _with_after(ctx, i, 6)


def _in_question(ctx: _Ctx, i: int) -> bool:
    where = ctx.toks[i].start
    return any(m.start() <= where < m.end() for m in R.QUESTION.finditer(ctx.sentence.text))


def _governor(ctx: _Ctx, i: int) -> str | None:
    """Return "denied", "other" (a directive) or "statement" (a threat) when a word before ``i`` rules it."""
    for k in range(i - 1, max(-1, i - _GOVERN_WINDOW - 1), -1):
        norm = ctx.toks[k].norm
        if R.NEGATIONS.fullmatch(norm) and k >= i - 2 or R.DENIALS.fullmatch(norm):
            return "denied"
        if R.DIRECTIVES.fullmatch(norm):
            return "other"
        if R.THREATS.fullmatch(norm):
            return "statement"
    return None


def _hits(ctx: _Ctx) -> list[_Hit]:
    found: list[_Hit] = []
    for i, tok in enumerate(ctx.toks):
        rule = R.match_rule(tok.norm, ctx.lookahead(i))
        if rule is None or not _conditions_hold(ctx, rule, i) or _in_question(ctx, i):
            continue
        ruling = _governor(ctx, i)
        if ruling == "denied":
            continue
        found.append(_Hit(rule, i, ruling or rule.type))
    return found


def _rules(norm: str) -> bool:
    return bool(R.DIRECTIVES.fullmatch(norm) or R.THREATS.fullmatch(norm))


def _directive_hits(ctx: _Ctx, hits: list[_Hit]) -> list[_Hit]:
    """A governed trigger becomes an event of its governor's type, anchored on the governing word."""
    out: list[_Hit] = []
    for h in hits:
        if h.type != h.rule.type:
            k = next(k for k in range(h.index - 1, max(-1, h.index - _GOVERN_WINDOW - 1), -1)
                     if _rules(ctx.toks[k].norm))  # fmt: skip
            out.append(_Hit(R.Rule(h.type, "", verb=True), k, h.type))
        else:
            out.append(h)
    return out


def _governed(ctx: _Ctx, m: Mention, first: int) -> bool:
    """True when a place preposition governs mention ``m`` starting at token ``first``."""
    tok = ctx.toks[first]
    glued = ctx.sentence.text[tok.start : m.start - ctx.sentence.start]
    prev = {t.norm for t in ctx.toks[max(0, first - 2) : first]}  # إلى العاصمة دمشق
    own = normalize(m.surface)
    return bool(prev & _PREPS) or glued[-1:] in ("ب", "ل") or (own[:1] in "بل" and own[1:3] == "ال")


def _place(ctx: _Ctx, hit: _Hit) -> int | None:
    """Index of the LOC mention that says where the event happened, or None."""
    best: tuple[int, int] | None = None
    for k, m, first, _last in ctx.mentions:
        if m.type != "LOC":
            continue
        dist = first - hit.index
        ila = bool({"الي", "الى"} & {t.norm for t in ctx.toks[max(0, first - 2) : first]})
        near = 0 < dist <= (14 if ila else 8) if hit.type == "visit" else -6 <= dist <= 12
        if not near or not (_governed(ctx, m, first) or (hit.type == "visit" and dist <= 5)):
            continue
        score = abs(dist) + (0 if dist > 0 else 4) + (0 if ila else 100 if hit.type == "visit" else 1)
        if best is None or score < best[0]:
            best = (score, k)
    return best[1] if best else None


def _clause_ok(ctx: _Ctx, hit: _Hit, first: int) -> bool:
    """False when the mention is a claim's speaker and the trigger is inside that claim's content."""
    if ctx.content is None or not ctx.content[0] <= hit.index <= ctx.content[1]:
        return True
    return ctx.content[0] <= first <= ctx.content[1]


def _actors(ctx: _Ctx, hit: _Hit, place: int | None) -> list[tuple[int, Mention, int, int]]:
    keep = []
    for item in ctx.mentions:
        k, m, first, _ = item
        if k != place and m.type in _AGENT_TYPES and _clause_ok(ctx, hit, first):
            keep.append(item)
    return keep


def _victim(ctx: _Ctx, hit: _Hit, cands: list[tuple[int, Mention, int, int]]) -> int | None:
    """The name right before a noun trigger of harm is its victim: «قضى قاسم سليماني في هجوم»."""
    if hit.rule.verb or hit.type not in _HARM:
        return None
    before = [c for c in cands if 0 < hit.index - c[3] <= 3 and c[1].type == "PER"]
    return max(before, key=lambda c: c[3])[0] if before else None


def _agent(ctx: _Ctx, hit: _Hit, cands: list[tuple[int, Mention, int, int]]) -> int | None:
    if not hit.rule.verb and hit.type in _HARM:
        return None
    before = [c for c in cands if 0 < hit.index - c[3] <= 4 and c[0] not in ctx.speakers]
    if before:
        return max(before, key=lambda c: c[3])[0]
    after = [c for c in cands if 0 < c[2] - hit.index <= 5 and not _aimed_at(ctx, c[2])]
    if after and (hit.rule.verb or hit.type not in _HARM):
        return min(after, key=lambda c: c[2])[0]
    return None


def _participants(ctx: _Ctx, hit: _Hit, place: int | None) -> tuple[tuple[int, str], ...]:
    cands = _actors(ctx, hit, place)
    agent, victim = _agent(ctx, hit, cands), _victim(ctx, hit, cands)
    roles: list[tuple[int, str]] = [(agent, "agent")] if agent is not None else []
    roles += [(victim, "target")] if victim is not None else []
    width = 16 if hit.type in _HARM else 25
    later = [c for c in cands if c[0] not in (agent, victim) and 0 < c[2] - hit.index <= width
             and not (hit.type in _HARM and _clause_break(ctx, hit.index, c[2]))]  # fmt: skip
    for k, _m, first, _ in later:
        roles.append((k, _role(ctx, hit, first, bool(roles))))
    return tuple(roles)


def _aimed_at(ctx: _Ctx, first: int) -> bool:
    return any(R.TARGET_WORDS.fullmatch(t.norm) for t in ctx.toks[max(0, first - 2) : first])


def _clause_break(ctx: _Ctx, i: int, first: int) -> bool:
    """True when a comma or stop lies between token ``i`` and token ``first``."""
    return any(ch in "،,.؛;:" for ch in ctx.sentence.text[ctx.toks[i].end : ctx.toks[first].start])


def _role(ctx: _Ctx, hit: _Hit, first: int, has_agent: bool) -> str:
    if hit.type in _HARM:
        return "target"
    near_with = any(t.norm in ("مع", "ومع") for t in ctx.toks[max(hit.index, first - 4) : first])
    if near_with or (hit.type in ("meeting", "visit") and first - hit.index <= 8 and has_agent):
        return "counterpart"
    return "attendee" if hit.type == "meeting" else "counterpart"


def _retype(hit: _Hit, participants: tuple[tuple[int, str], ...], mentions: Sequence[Mention]) -> str:
    if hit.type == "attack" and any(r == "target" and mentions[k].type == "PER" for k, r in participants):
        return "assassination"
    return hit.type


def _event(ctx: _Ctx, hit: _Hit, dates: list[FoundDate], mentions: Sequence[Mention]) -> Event | None:
    place = _place(ctx, hit)
    parts = _participants(ctx, hit, place)
    if hit.type == "statement" and not any(r == "agent" for _, r in parts):
        return None  # statements are kept only with a named author: be conservative
    tok, base = ctx.toks[hit.index], ctx.sentence.start
    found = nearest_date(ctx.toks[hit.index].start, dates)
    return Event(_retype(hit, parts, mentions), ctx.sentence.seq, tok.raw, base + tok.start, base + tok.end,
                 found.value if found else None, found.precision if found else None,
                 found.basis if found else None,
                 ctx.sentence.text[found.start : found.end] if found else None,
                 place, parts, (ctx.sentence.seq,))  # fmt: skip


def _filled(ev: Event, more: Event) -> Event:
    """Complete ``ev`` with the place and participants another trigger of its type found."""
    known = {k for k, _ in ev.participants}
    parts = ev.participants + tuple(p for p in more.participants if p[0] not in known)
    place = ev.place if ev.place is not None else more.place
    dated = ev if ev.date is not None else more
    return replace(ev, place=place, participants=parts, date=dated.date, date_precision=dated.date_precision,
                   date_basis=dated.date_basis, date_text=dated.date_text)  # fmt: skip


def _sentence_events(ctx: _Ctx, reference: Reference, mentions: Sequence[Mention]) -> list[Event]:
    hits = _directive_hits(ctx, _hits(ctx))
    dates = find_dates(ctx.sentence.text, reference)
    by_type: dict[str, Event] = {}
    for hit in hits:
        ev = _event(ctx, hit, dates, mentions)
        if ev is None:
            continue
        first = by_type.get(hit.type)
        by_type[hit.type] = ev if first is None else _filled(first, ev)
    return sorted(by_type.values(), key=lambda e: e.trigger_start)


def _compatible(a: Event, b: Event, mentions: Sequence[Mention]) -> bool:
    """Same event: same type, sentences close, places and dates not in conflict, a shared participant
    (or, when one side names nobody, the very next sentence)."""
    if a.type != b.type or b.sentence_seq - a.evidence[-1] > 2 or b.sentence_seq in a.evidence:
        return False
    places = (a.place, b.place)
    if None not in places and len({mention_key(mentions[k]) for k in places if k is not None}) > 1:
        return False
    if a.date is not None and b.date is not None and (a.date, a.date_precision) != (b.date, b.date_precision):
        return False
    keys_a = {mention_key(mentions[k]) for k, _ in a.participants}
    keys_b = {mention_key(mentions[k]) for k, _ in b.participants}
    if keys_a and keys_b:
        return bool(keys_a & keys_b)
    return b.sentence_seq - a.evidence[-1] == 1


def _merged(a: Event, b: Event) -> Event:
    known = {k for k, _ in a.participants}
    parts = a.participants + tuple(p for p in b.participants if p[0] not in known)
    dated = a if a.date is not None else b
    return replace(a, place=a.place if a.place is not None else b.place, participants=parts,
                   date=dated.date, date_precision=dated.date_precision, date_basis=dated.date_basis,
                   date_text=dated.date_text, evidence=a.evidence + (b.sentence_seq,))  # fmt: skip


def _merge(events: list[Event], mentions: Sequence[Mention]) -> list[Event]:
    out: list[Event] = []
    for ev in events:
        k = next((k for k in range(len(out) - 1, -1, -1)
                  if out[k].sentence_seq < ev.sentence_seq and _compatible(out[k], ev, mentions)),
                 None)  # fmt: skip
        if k is None:
            out.append(ev)
        else:
            out[k] = _merged(out[k], ev)
    return out


def extract_events(
    sentences: Sequence[Sentence],
    mentions: Sequence[Mention],
    claims: Sequence[Claim],
    reference: Reference = None,
    *,
    article_month: bool = False,
) -> list[Event]:
    """Return the events of an article, in text order.

    ``sentences`` and ``mentions`` carry article offsets; ``claims`` come from extract_claims and keep
    a claim's speaker from being taken as the agent of an event inside what is claimed; ``reference``
    (the article date: a date, an ISO string or a FoundDate) resolves relative and year-less dates.
    With ``article_month``, an event in a sentence that states no date takes the reference's month
    (basis "inferred"): news mostly reports the month it is written in, but this is a guess, so it is
    off by default. ``place`` and participant indices point into ``mentions``.
    """
    found: list[Event] = []
    undated: set[int] = set()
    for s in sentences:
        if s.boilerplate or s.kind in _SKIP_KINDS:
            continue
        found.extend(_sentence_events(_context(s, mentions, claims), reference, mentions))
        if article_month and not find_dates(s.text, reference):
            undated.add(s.seq)
    events = same_trip(carry(found, {s.seq: s for s in sentences}), mentions)
    merged = _merge(events, mentions)
    return from_reference(merged, undated, reference) if article_month else merged
