"""Rule-based events (who did what, when and where) from the sentences, mentions and claims of an article.

Decisions (each one pinned by tests/test_events.py; triggers are found by event_triggers with the
lexicon of event_rules, places and participants by event_roles):

* A trigger is a normalised token (with clitics) from event_rules.RULES; the first rule whose
  conditions hold wins. Triggers of one type in one sentence make one event, anchored on the first of
  them, unless both name different agents, or different targets (harm), or (type "other") they are
  different acts («غزت ... قبل أن تنسحب»). A trigger written as a quoted name («كتلة "تقدم"») is no trigger.
* No event when the trigger sits in a question («هل يستطيع ... أن يزور؟») or right after a denial or
  negation (نفى، لم، لن، عدم). A trigger right after a directive (دعا، طلب، أمر، حث) or a threat (هدد،
  توعد) did not happen: the directive is an event of type "other", the threat one of type "statement".
  A directive that asks a named party («طلبت من إيران المساعدة») is an event of type "other" too.
* A claim of a named speaker (not an outlet) whose content opens by committing the speaker («إنها
  ستواصل الهجمات», «لن نسمح») is a pledge: a statement, anchored on the cue, by the speaker. A forecast
  («سيرتفع التضخم») is not.
* An event without an agent takes the agent of the previous event of its sentence (a raid and the
  arrests in it are done by the same force; «غزت الولايات المتحدة ... قبل أن تنسحب»); for harm, only
  from harm. An attack is an assassination when its target is a person and the sentence speaks of a
  killing («مقتل», «اغتيال»). Statements are kept only with an author, elections only when placed,
  dated or qualified («الانتخابات البرلمانية», not «نتائج الانتخابات»); any event is kept only when it
  has a place or a participant, an election also when dated (an unanchored «الهجمات» is no timeline
  entry; «الانتخابات البرلمانية في العاشر من أكتوبر» is).
* Date: the date nearest the trigger in its own clause (event_dates.nearest_date), then continuations,
  one trip, the same occasion, what is ongoing and the main story (event_dates, event_story: their
  module notes give the rules). A day or month whose year is unknown keeps dates.py's truncated form
  ("--01-29"). With ``article_month=True`` every event still undated takes the article month.
* Merging: an event merges into one of the two sentences before it when type and place agree (equal,
  or one missing), they share a participant (or one has none) and their dates are compatible (equal,
  or one missing). The merged event keeps the first trigger and collects evidence and participants
  (one per actor, by mention key).
  An event of a headline, pull quote, subheading or caption that repeats a body event (same type, a
  shared place or participant) is folded into it as evidence; so is a later noun trigger with no place
  and no date of its own that names the agent of an earlier event of its type (a back-reference:
  «وأشارت وسائل إعلام إلى زيارة قاآني»).
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, replace

from qexplore.db.arabic import normalize
from qexplore.db.extract import event_roles as E
from qexplore.db.extract import event_rules as R
from qexplore.db.extract import event_triggers as T
from qexplore.db.extract.claims import Claim
from qexplore.db.extract.dates import FoundDate, Reference, find_dates
from qexplore.db.extract.event_dates import carry, mention_key, nearest_date, same_trip
from qexplore.db.extract.event_story import story_dates
from qexplore.db.models import Mention, Positional, Sentence

_SKIP_KINDS = frozenset(("byline",))
_HEADING_KINDS = frozenset(("headline", "pullquote", "subhead", "caption"))


@dataclass(frozen=True, slots=True)
class Event(Positional):
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


def _event(ctx: E.Ctx, hit: E.Hit, dates: list[FoundDate], mentions: Sequence[Mention]) -> Event:
    where = E.place(ctx, hit)
    parts = E.participants(ctx, hit, where)
    if hit.rule is T.DIRECTIVE and not any(r != "agent" for _, r in parts):
        k = T.addressee(ctx, hit.index)
        parts += [(k, "counterpart")] if k is not None and k not in {p for p, _ in parts} else []
    tok, base = ctx.toks[hit.index], ctx.sentence.start
    found = nearest_date(ctx.toks[hit.index].start, dates, ctx.sentence.text)
    return Event(hit.type, ctx.sentence.seq, tok.raw, base + tok.start, base + tok.end,
                 found.value if found else None, found.precision if found else None,
                 found.basis if found else None,
                 ctx.sentence.text[found.start : found.end] if found else None,
                 where, tuple(parts), (ctx.sentence.seq,))  # fmt: skip


def _qualified(ctx: E.Ctx, hit: E.Hit, ev: Event) -> bool:
    """An election counts when it is placed, dated or qualified («الانتخابات البرلمانية»)."""
    following = ctx.following(hit.index)[:1]
    qualified = any(R.ELECTION_KINDS.fullmatch(w) for w in following)
    return ev.place is not None or ev.date is not None or qualified


def _agent_of(ev: Event) -> int | None:
    return next((k for k, r in ev.participants if r == "agent"), None)


def _joined(a: Event, b: Event, mentions: Sequence[Mention]) -> tuple[tuple[int, str], ...]:
    """The participants of ``a`` and those of ``b`` naming someone ``a`` does not (by mention key)."""
    known = {mention_key(mentions[k]) for k, _ in a.participants}
    return a.participants + tuple(p for p in b.participants if mention_key(mentions[p[0]]) not in known)


def _filled(ev: Event, more: Event, mentions: Sequence[Mention]) -> Event:
    """Complete ``ev`` with the place and participants another trigger of its type found."""
    parts = _joined(ev, more, mentions)
    where = ev.place if ev.place is not None else more.place
    dated = ev if ev.date is not None else more
    return replace(ev, place=where, participants=parts, date=dated.date, date_precision=dated.date_precision,
                   date_basis=dated.date_basis, date_text=dated.date_text)  # fmt: skip


def _inherit(ev: Event, hit: E.Hit, earlier: list[tuple[E.Hit, Event]]) -> Event:
    """An agentless event takes the agent of the previous event of its sentence (harm from harm only)."""
    if _agent_of(ev) is not None or not (hit.rule.verb or hit.type in E.HARM):
        return ev
    for prev_hit, prev in reversed(earlier):
        if hit.type in E.HARM and prev_hit.type not in E.HARM:
            continue
        who = _agent_of(prev)
        if who is not None and who not in {k for k, _ in ev.participants}:
            return replace(ev, participants=((who, "agent"), *ev.participants))
    return ev


def _same_act(a: tuple[E.Hit, Event], b: tuple[E.Hit, Event]) -> bool:
    """Two triggers of one type in one sentence are one event unless their agents or acts differ."""
    (hit_a, ev_a), (hit_b, ev_b) = a, b
    if hit_a.type != hit_b.type or (hit_a.type == "other" and hit_a.rule.stem != hit_b.rule.stem):
        return False
    agents = (_agent_of(ev_a), _agent_of(ev_b))
    if None not in agents and agents[0] != agents[1]:
        return False
    if hit_a.type in E.HARM:  # «الغارة التي قتلت س ... هجوم اتهمت واشنطن ص بشنه»: two attacks
        targets = [{k for k, r in ev.participants if r == "target"} for ev in (ev_a, ev_b)]
        return not (targets[0] and targets[1] and not targets[0] & targets[1])
    return True


def _sentence_events(ctx: E.Ctx, reference: Reference, mentions: Sequence[Mention],
                     claims: Sequence[Claim]) -> list[Event]:  # fmt: skip
    hits = sorted(T.directive_hits(ctx, T.hits(ctx)) + T.pledge_hits(ctx, claims), key=lambda h: h.index)
    if not hits:
        return []  # most sentences: no trigger, so neither the dates nor the killing words matter
    ctx = replace(ctx, triggers=tuple(hits))
    dates = find_dates(ctx.sentence.text, reference)
    done: list[tuple[E.Hit, Event]] = []
    for hit in hits:
        ev = _inherit(_event(ctx, hit, dates, mentions), hit, done)
        if hit.type == "statement" and _agent_of(ev) is None:
            continue  # statements are kept only with a named author: be conservative
        if hit.type == "election" and not _qualified(ctx, hit, ev):
            continue
        k = next((k for k, pair in enumerate(done) if _same_act(pair, (hit, ev))), None)
        if k is None:
            done.append((hit, ev))
        else:
            done[k] = (done[k][0], _filled(done[k][1], ev, mentions))
    killing = E.killing_in(ctx)
    return sorted((_retyped(ev, killing, mentions) for _, ev in done), key=lambda e: e.trigger_start)


def _retyped(ev: Event, killing: bool, mentions: Sequence[Mention]) -> Event:
    """An attack on a named person in a sentence that speaks of a killing is an assassination."""
    if ev.type == "attack" and killing and any(r == "target" and mentions[k].type == "PER"
                                               for k, r in ev.participants):  # fmt: skip
        return replace(ev, type="assassination")
    return ev


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


def _merged(a: Event, b: Event, mentions: Sequence[Mention]) -> Event:
    parts = _joined(a, b, mentions)
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
            out[k] = _merged(out[k], ev, mentions)
    return out


def _keys(ev: Event, mentions: Sequence[Mention]) -> set[str]:
    keys = {mention_key(mentions[k]) for k, _ in ev.participants}
    return keys | ({"@" + mention_key(mentions[ev.place])} if ev.place is not None else set())


def _fold_headings(events: list[Event], kinds: dict[int, str], mentions: Sequence[Mention]) -> list[Event]:
    """Fold an event of a headline, pull quote, subheading or caption into the body event it repeats."""
    out = list(events)
    for ev in events:
        if kinds.get(ev.sentence_seq) not in _HEADING_KINDS:
            continue
        twin = next((i for i, b in enumerate(out) if b is not ev and b.type == ev.type
                     and kinds.get(b.sentence_seq) == "body"
                     and _keys(b, mentions) & _keys(ev, mentions)), None)  # fmt: skip
        if twin is not None:
            out[twin] = replace(out[twin], evidence=tuple(sorted({*out[twin].evidence, *ev.evidence})))
            out.remove(ev)
    return out


def _noun_trigger(ev: Event) -> bool:
    return not any(r.verb for r in R.candidates(normalize(ev.trigger), []))


def _fold_back_references(events: list[Event], mentions: Sequence[Mention]) -> list[Event]:
    """A later noun trigger with no place and no date of its own that names the agent of an earlier
    event of its type («وأشارت وسائل إعلام إلى زيارة قاآني») refers back to it: fold it in as evidence."""

    def agents(ev: Event) -> set[str]:
        return {mention_key(mentions[k]) for k, r in ev.participants if r == "agent"}

    out: list[Event] = []
    for ev in events:
        twin = None
        if ev.place is None and ev.date is None and agents(ev) and _noun_trigger(ev):
            twin = next((i for i in range(len(out) - 1, -1, -1)
                         if out[i].type == ev.type and agents(ev) & agents(out[i])), None)  # fmt: skip
        if twin is None:
            out.append(ev)
        else:
            out[twin] = replace(out[twin], evidence=tuple(sorted({*out[twin].evidence, *ev.evidence})))
    return out


def _anchored(ev: Event) -> bool:
    """Who or where, or for an election (a public event that its date identifies) when."""
    return ev.place is not None or bool(ev.participants) or (ev.type == "election" and ev.date is not None)


def _last_person(ctx: E.Ctx) -> int | None:
    people = [k for k, m, _, _ in ctx.mentions if m.type == "PER"]
    return people[-1] if people else None


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
    Undated main-story events take the story month (basis "inferred", see event_story); with
    ``article_month`` every event still undated in a sentence that states no date takes the
    reference's month, background included (a guess, off by default). ``place`` and participant
    indices point into ``mentions``.
    """
    found: list[Event] = []
    previous: int | None = None
    article = E.PerSentence.of(mentions, claims)
    for s in sentences:
        if s.boilerplate or s.kind in _SKIP_KINDS:
            continue
        ctx = E.context(s, mentions, claims, previous, article)
        found.extend(_sentence_events(ctx, reference, mentions, claims))
        previous = _last_person(ctx) if s.kind == "body" else previous
    events = same_trip(carry(found, {s.seq: s for s in sentences}), mentions)
    kinds = {s.seq: s.kind for s in sentences}
    merged = _fold_back_references(_merge(_fold_headings(events, kinds, mentions), mentions), mentions)
    merged = [ev for ev in merged if _anchored(ev)]
    return story_dates(merged, sentences, mentions, reference, article_month=article_month)
