"""Where an event happened and who took part: the place and participant rules of events.py.

Decisions (each one pinned by tests/test_events.py):

* Place: a LOC mention near the trigger governed by في/إلى/ب/ل (attached or as a word), or by a
  preposition the trigger's rule adds (من for «انسحب من العراق», على for «الحرب على غزة»); for visits
  the object after the verb or after إلى is preferred.
* A LOC is a party, taken like a PER or ORG (metonymy: «اتهام الولايات المتحدة», «محادثات مع
  واشنطن», «منح الاتفاق إيران»), when no place word governs it: no preposition (في، إلى، من ...) in
  the two words before it (one when the word before is a trigger: «من اتهام فرنسا»), no place noun
  (العاصمة، محافظة) just before it, not coordinated with a governed LOC («إلى العراق وسورية»).
  Right after a noun of harm it is the place instead («هجوم الأردن»).
* A claim's outlet («لـ"عربي بوست"», «لرويترز») is never a participant. A name governed by في is a place
  phrase, never the agent («قيادي في حركة النجباء»).
* Agent: the name right before the trigger (no clause opener such as «قبل أن» in between; a LOC only as
  the subject right before a verb), else right after a verb trigger or a noun trigger that is no harm
  (iḍāfa: «اتهام الولايات المتحدة»), never a name quoted in a claim content that does not hold the
  trigger. An actor takes part once (one role per mention key), and not when it is the place. The
  speaker of a claim is not the agent of an event inside the claim's content, but is the author of a
  statement. Unnamed agents (pro-drop) come, in order, from: a statement's nearest claim speaker (not
  an outlet, not a source named by «وفق/حسب»); the first name of the claim content a verb trigger lies
  in («قال إن "الخزعلي أخبر ...، لذلك أعلن"»); for a clause-initial verb, the last person of the
  previous sentence («وقد تولى هذا المنصب»). events.py adds one more: the agent of the previous event
  of the sentence.
* A pronoun on a noun trigger points back: «اغتيالهما» names the two persons before it, «اعتقاله» the
  nearest name before it; they are the target of harm, else the agent. The person right before a noun
  of harm is its victim («قضى س في هجوم»), unless another harm trigger governs it («قتلت س هجوم»).
* Later names (targets, counterparts, attendees) stop at the next trigger of the same kind, skip a name
  that is the genitive of another trigger («لزيارة قاآني»), and stop at a subordinate clause opener or,
  for harm, at a comma. Counterparts follow مع or are the object of a meeting verb; other names after a
  meeting trigger are attendees; names after an attack-like trigger, or after ضد/على/لمحاربة, are targets.
"""

from __future__ import annotations

from bisect import bisect_left, bisect_right
from collections.abc import Sequence
from dataclasses import dataclass, field
from functools import lru_cache, reduce
from operator import or_

from qexplore.db.arabic import Token, normalize, strip_proclitics, tokens
from qexplore.db.extract import event_rules as R
from qexplore.db.extract.claims import Claim
from qexplore.db.extract.event_dates import mention_key
from qexplore.db.models import Mention, Sentence

HARM = frozenset(("attack", "assassination", "arrest", "raid"))
_PARTY_TYPES = frozenset(("PER", "ORG", "LOC"))
_PREPS = frozenset(("في", "الي", "ب", "داخل", "قرب", "الى", "نحو"))
_NOT_PARTY = _PREPS | {"من", "عن", "شمال", "جنوب", "شرق", "غرب", "غربي", "شرقي", "شمالي", "جنوبي"}
_PLACE_NOUNS = frozenset(
    (
        "العاصمة",
        "مدينة",
        "محافظة",
        "منطقة",
        "بلدة",
        "قرية",
        "قضاء",
        "ناحية",
        "اقليم",
        "ولاية",
        "مطار",
        "معبر",
        "حدود",
        "الحدود",
        "منطقتي",
        "مدينتي",
        "محافظتي",
    )
)
_WITH = frozenset(("مع", "ومع"))
_PRONOUNS = ("هما", "هم", "ها", "ه")

Item = tuple[int, Mention, int, int]  # (mention index, mention, first token, last token)


@dataclass(frozen=True, slots=True)
class Hit:
    """A trigger found in a sentence: its rule, token position and (possibly governed) type."""

    rule: R.Rule
    index: int
    type: str


@dataclass(frozen=True, slots=True)
class Ctx:
    """One sentence as the rules see it: tokens, what their words can be and the mentions placed on them."""

    sentence: Sentence
    toks: list[Token]
    mentions: list[Item]
    speakers: frozenset[int]
    content: tuple[int, int] | None  # token span of a claim's content, when the sentence has one
    contents: tuple[tuple[int, int], ...] = ()  # token spans of all its claims' contents
    cues: tuple[tuple[int, int], ...] = ()  # (cue token, speaker mention) of the named claims, not «وفق»
    outlets: frozenset[int] = frozenset()  # mentions naming a claim's outlet
    previous_person: int | None = None  # the last person named in the previous sentence
    triggers: tuple[Hit, ...] = field(default=())
    flags: tuple[int, ...] = ()  # event_rules.word_flags of each token
    found: int = 0  # the union of ``flags``: what the sentence's words can be at all

    def following(self, i: int) -> list[str]:
        """The normalised tokens after token ``i`` (up to eight)."""
        return [t.norm for t in self.toks[i + 1 : i + 9]]


def token_span(toks: list[Token], start: int, end: int) -> tuple[int, int] | None:
    """The first and last token overlapping the character span [start, end) of a sentence."""
    return _span([t.start for t in toks], [t.end for t in toks], start, end)


def _span(starts: list[int], ends: list[int], start: int, end: int) -> tuple[int, int] | None:
    """token_span over the tokens' starts and ends: tokens are in order and do not overlap, so the
    first token ending after ``start`` and the last starting before ``end`` bound the span."""
    first = bisect_right(ends, start)
    last = bisect_left(starts, end) - 1
    return (first, last) if first <= last else None


def _outlet_names(claims: Sequence[Claim]) -> set[str]:
    return {_bare_name(c.outlet_text) for c in claims if c.outlet_text}


@lru_cache(maxsize=4096)  # asked for every claim's outlet and every mention of every sentence
def _bare_name(surface: str) -> str:
    norm = normalize(surface).strip("\"'«» ")
    return norm[1:] if norm[:1] == "ل" and len(norm) > 4 and norm[1:2] in '"«ا' else norm


@dataclass(frozen=True, slots=True)
class PerSentence:
    """An article's mentions (with their indexes) and claims grouped by sentence, and its claims'
    outlet names: built once, so that each sentence's context does not search them all."""

    mentions: dict[int, list[tuple[int, Mention]]]
    claims: dict[int, list[Claim]]
    outlet_names: set[str]

    @classmethod
    def of(cls, mentions: Sequence[Mention], claims: Sequence[Claim]) -> PerSentence:
        """Group ``mentions`` and ``claims`` by sentence, keeping their order."""
        by_seq: dict[int, list[tuple[int, Mention]]] = {}
        for k, m in enumerate(mentions):
            by_seq.setdefault(m.sentence_seq, []).append((k, m))
        said: dict[int, list[Claim]] = {}
        for c in claims:
            said.setdefault(c.sentence_seq, []).append(c)
        return cls(by_seq, said, _outlet_names(claims))


def context(s: Sentence, mentions: Sequence[Mention], claims: Sequence[Claim],
            previous_person: int | None = None, article: PerSentence | None = None) -> Ctx:  # fmt: skip
    """Build the context of sentence ``s``: tokens, its mentions, its claims' speakers, cues and outlets.

    ``article`` is PerSentence.of(mentions, claims) when the caller has it: built once per article.
    """
    article = article or PerSentence.of(mentions, claims)
    toks = list(tokens(s.text))
    starts, ends = [t.start for t in toks], [t.end for t in toks]
    placed: list[Item] = []
    for k, m in article.mentions.get(s.seq, ()):
        span = _span(starts, ends, m.start - s.start, m.end - s.start)
        if span is not None:
            placed.append((k, m, span[0], span[1]))
    mine = article.claims.get(s.seq, [])
    speakers = frozenset(c.speaker_mention for c in mine if c.speaker_mention is not None)
    spans = [(c.content_start - s.start, c.content_end - s.start)
             for c in mine if c.content_start is not None and c.content_end is not None]  # fmt: skip
    content = _span(starts, ends, *spans[0]) if spans else None
    contents = tuple(sp for sp in (_span(starts, ends, *x) for x in spans) if sp is not None)
    cues = []
    for c in mine:
        cue = _span(starts, ends, c.cue_start - s.start, c.cue_end - s.start)
        if cue is not None and c.speaker_mention is not None and c.quote_type != "attribution":
            cues.append((cue[0], c.speaker_mention))  # «وفق رويترز» names a source, not an author
    names = article.outlet_names
    outlets = frozenset(k for k, m, _, _ in placed if _bare_name(m.surface) in names)
    norms = [t.norm for t in toks]
    flags = tuple(map(R.word_flags, norms))
    found = reduce(or_, flags, 0)
    return Ctx(s, toks, placed, speakers, content, contents, tuple(cues), outlets, previous_person,
               flags=flags, found=found)  # fmt: skip


def governed(ctx: Ctx, m: Mention, first: int, extra: Sequence[str] = (), preps: frozenset[str] = _PREPS
             ) -> bool:  # fmt: skip
    """True when a place preposition (or one of ``extra``) governs mention ``m`` at token ``first``."""
    tok = ctx.toks[first]
    glued = ctx.sentence.text[tok.start : m.start - ctx.sentence.start]
    prev = {t.norm for t in ctx.toks[max(0, first - 2) : first]}  # إلى العاصمة دمشق
    own = normalize(m.surface)
    return (bool(prev & (preps | set(extra))) or glued[-1:] in ("ب", "ل")
            or (own[:1] in "بل" and own[1:3] == "ال") or own[:2] == "لل")  # fmt: skip


def place(ctx: Ctx, hit: Hit) -> int | None:
    """Index of the LOC mention that says where the event happened, or None."""
    best: tuple[int, int] | None = None
    for k, m, first, _last in ctx.mentions:
        if m.type != "LOC":
            continue
        dist = first - hit.index
        ila = bool({"الي", "الى"} & {t.norm for t in ctx.toks[max(0, first - 2) : first]})
        near = 0 < dist <= (14 if ila else 8) if hit.type == "visit" else -6 <= dist <= 12
        genitive = dist == 1 and hit.type in HARM and not hit.rule.verb  # «هجوم الأردن»
        ruled = genitive or governed(ctx, m, first, hit.rule.place_preps)
        if not near or not (ruled or (hit.type == "visit" and dist <= 5)):
            continue
        score = abs(dist) + (0 if dist > 0 else 4) + (0 if ila else 100 if hit.type == "visit" else 1)
        if best is None or score < best[0]:
            best = (score, k)
    return best[1] if best else None


def _clause_ok(ctx: Ctx, hit: Hit, first: int) -> bool:
    """False when the mention is outside the claim content that holds the trigger."""
    if ctx.content is None or not ctx.content[0] <= hit.index <= ctx.content[1]:
        return True
    return ctx.content[0] <= first <= ctx.content[1]


def _place_word(ctx: Ctx, m: Mention, first: int) -> bool:
    """True when a place preposition or a place noun (العاصمة، محافظة) governs the LOC ``m``, or it is
    coordinated with a LOC that is governed («إلى العراق وسورية»)."""
    tok = ctx.toks[first]
    glued = ctx.sentence.text[tok.start : m.start - ctx.sentence.start]
    own = normalize(m.surface)
    if glued[-1:] in ("ب", "ل") or own[:1] in "بل" and own[1:3] == "ال" or own[:2] == "لل":
        return True
    reach = 1 if any(h.index == first - 1 for h in ctx.triggers) else 2  # «من اتهام فرنسا»: فرنسا is free
    if {t.norm for t in ctx.toks[max(0, first - reach) : first]} & _NOT_PARTY:
        return True
    if {strip_proclitics(t.norm) for t in ctx.toks[max(0, first - 2) : first]} & _PLACE_NOUNS:
        return True
    if ctx.toks[first].norm[:1] != "و":
        return False
    prev = [(pm, pf) for _, pm, pf, pl in ctx.mentions if pm.type == "LOC" and pl == first - 1]
    return any(_place_word(ctx, pm, pf) for pm, pf in prev)


def _party(ctx: Ctx, hit: Hit, item: Item) -> bool:
    """True for a PER or ORG, or a LOC standing as a party: no place word governs it, and it is not
    the genitive of a noun of harm («هجوم الأردن»: where, not who)."""
    _, m, first, _ = item
    if m.type != "LOC":
        return m.type in _PARTY_TYPES
    if _after_with(ctx, first):
        return True
    harm_noun = hit.type in HARM and not hit.rule.verb and first - hit.index == 1
    return not harm_noun and not _place_word(ctx, m, first)


def actors(ctx: Ctx, hit: Hit, where: int | None) -> list[Item]:
    """The mentions that may take part in the event of ``hit`` (not its place, not an outlet)."""
    here = {mention_key(m) for k, m, _, _ in ctx.mentions if k == where}
    return [item for item in ctx.mentions
            if mention_key(item[1]) not in here and item[0] not in ctx.outlets and _party(ctx, hit, item)
            and _clause_ok(ctx, hit, item[2])]  # fmt: skip


def _opener_between(ctx: Ctx, a: int, b: int) -> bool:
    return any(R.CLAUSE_OPENERS.fullmatch(t.norm) for t in ctx.toks[a + 1 : b])


def _in_place_phrase(ctx: Ctx, first: int) -> bool:
    return first > 0 and ctx.toks[first - 1].norm in ("في", "وفي")


def _pronoun(ctx: Ctx, hit: Hit) -> str | None:
    """The pronoun suffix of a noun trigger («اغتيالهما» -> هما), when the stem without it is a trigger."""
    norm = ctx.toks[hit.index].norm
    for suffix in _PRONOUNS:
        stem = norm[: -len(suffix)]
        same = (r.type == hit.rule.type for r in R.candidates(stem, ctx.following(hit.index)))
        if norm.endswith(suffix) and len(stem) >= 4 and any(same):
            return suffix
    return None


def _antecedents(ctx: Ctx, hit: Hit, cands: list[Item]) -> list[int]:
    """The names a pronoun on the trigger refers to: two for a dual, else the nearest one."""
    suffix = None if hit.rule.verb else _pronoun(ctx, hit)
    if suffix is None:
        return []
    named = (c for c in cands if c[3] < hit.index and c[1].type in ("PER", "ORG"))
    before = sorted(named, key=lambda c: -c[3])
    people = [c for c in before if c[1].type == "PER"]
    if suffix == "هما" and len(people) >= 2:
        return [people[1][0], people[0][0]]
    return [before[0][0]] if before and suffix != "هما" else []


def _victim(ctx: Ctx, hit: Hit, cands: list[Item]) -> int | None:
    """The name right before a noun trigger of harm is its victim: «قضى قاسم سليماني في هجوم»."""
    if hit.rule.verb or hit.type not in HARM:
        return None
    before = [
        c
        for c in cands
        if 0 < hit.index - c[3] <= 3 and c[1].type == "PER" and not _object_of_harm(ctx, c[2])
    ]
    return max(before, key=lambda c: c[3])[0] if before else None


def _object_of_harm(ctx: Ctx, first: int) -> bool:
    """True when another harm trigger stands just before the name («قتلت القائد س هجوم»: س was killed)."""
    return any(h.type in HARM and 0 < first - h.index <= 3 for h in ctx.triggers)


def _fallback_agent(ctx: Ctx, hit: Hit) -> int | None:
    """An unnamed (pro-dropped) agent: a statement's speaker, the content's topic, the previous person."""
    authors = [c for c in ctx.cues if c[1] not in ctx.outlets]
    if hit.type == "statement" and authors:
        return min(authors, key=lambda c: abs(c[0] - hit.index))[1]
    if hit.rule.verb and ctx.content is not None and ctx.content[0] <= hit.index <= ctx.content[1]:
        topic = [k for k, m, first, _ in ctx.mentions if m.type in ("PER", "ORG") and k not in ctx.outlets
                 and ctx.content[0] <= first < hit.index]  # fmt: skip
        if topic:
            return topic[0]
    if hit.rule.verb and all(R.CLAUSE_OPENERS.fullmatch(t.norm) or t.norm in ("وقد", "فقد", "قد", "ثم")
                             for t in ctx.toks[: hit.index]):  # fmt: skip
        return ctx.previous_person
    return None


def agent(ctx: Ctx, hit: Hit, cands: list[Item]) -> int | None:
    """The mention that did what the trigger says, or None."""
    if not hit.rule.verb and hit.type in HARM:
        return None
    pool = [c for c in cands if (c[0] not in ctx.speakers or hit.type == "statement")
            and not _in_place_phrase(ctx, c[2]) and not _quoted_away(ctx, hit, c[2])]  # fmt: skip
    reach = {"LOC": 2 if hit.rule.verb else 0}  # a place name is an agent only as a verb's subject
    before = [c for c in pool if 0 < hit.index - c[3] <= reach.get(c[1].type, 4)
              and not _opener_between(ctx, c[3], hit.index)]  # fmt: skip
    if before:
        return max(before, key=lambda c: c[3])[0]
    after = [c for c in pool if 0 < c[2] - hit.index <= 5 and not _aimed_at(ctx, c[2])
             and not _after_with(ctx, c[2]) and not _after_other_trigger(ctx, hit, c[2])]  # fmt: skip
    if after:
        return min(after, key=lambda c: c[2])[0]
    return _fallback_agent(ctx, hit)


def _quoted_away(ctx: Ctx, hit: Hit, first: int) -> bool:
    """True when the name lies inside a claim's content that does not hold the trigger («قال في تغريدة:
    "غياب أمير قطر ..."»: قطر is not the tweet's author)."""
    return any(a <= first <= b and not a <= hit.index <= b for a, b in ctx.contents)


def _after_with(ctx: Ctx, first: int) -> bool:
    return any(t.norm in _WITH for t in ctx.toks[max(0, first - 2) : first])


def _aimed_at(ctx: Ctx, first: int) -> bool:
    return any(R.TARGET_WORDS.fullmatch(t.norm) for t in ctx.toks[max(0, first - 2) : first])


def _after_other_trigger(ctx: Ctx, hit: Hit, first: int) -> bool:
    """True when the mention is the genitive or subject of another trigger of the sentence."""
    return any(h.index != hit.index and 0 < first - h.index <= 1 for h in ctx.triggers)


def _kind(kind: str) -> str:
    return "harm" if kind in HARM else kind


def _limit(ctx: Ctx, hit: Hit, width: int) -> int:
    """The last token later participants may start at: before the next trigger of the same kind."""
    end = min(len(ctx.toks) - 1, hit.index + width)
    later = [h.index for h in ctx.triggers if h.index > hit.index and _kind(h.type) == _kind(hit.type)]
    return min([end, *(i - 1 for i in later)])


def _clause_break(ctx: Ctx, i: int, first: int) -> bool:
    """True when a comma or stop lies between token ``i`` and token ``first``."""
    return any(ch in "،,.؛;:" for ch in ctx.sentence.text[ctx.toks[i].end : ctx.toks[first].start])


def participants(ctx: Ctx, hit: Hit, where: int | None) -> list[tuple[int, str]]:
    """The participants of the event of ``hit``: (mention index, role), agent first."""
    cands = actors(ctx, hit, where)
    pointed = _antecedents(ctx, hit, cands)
    if pointed and hit.type in HARM:
        roles = [(k, "target") for k in pointed]
    else:
        who = agent(ctx, hit, cands)
        who = pointed[0] if who is None and pointed else who
        victim = _victim(ctx, hit, cands)
        roles = [(who, "agent")] if who is not None else []
        roles += [(victim, "target")] if victim is not None and victim != who else []
    end = _limit(ctx, hit, 16 if hit.type in HARM else 25)
    taken = {mention_key(ctx_m) for ctx_m in (m for k, m, _, _ in ctx.mentions if k in {p for p, _ in roles})}
    for k, m, first, _ in cands:
        if mention_key(m) in taken or not hit.index < first <= end or _after_other_trigger(ctx, hit, first):
            continue
        harm_break = hit.type in HARM and _clause_break(ctx, hit.index, first)
        if harm_break or _opener_between(ctx, hit.index, first):
            continue
        roles.append((k, _role(ctx, hit, first, bool(roles))))
        taken.add(mention_key(m))
    return roles


def _role(ctx: Ctx, hit: Hit, first: int, has_agent: bool) -> str:
    if hit.type in HARM or _aimed_at(ctx, first):
        return "target"
    near_with = any(t.norm in _WITH for t in ctx.toks[max(hit.index, first - 4) : first])
    if near_with or (hit.type in ("meeting", "visit") and first - hit.index <= 8 and has_agent):
        return "counterpart"
    return "attendee" if hit.type == "meeting" else "counterpart"


def killing_in(ctx: Ctx) -> bool:
    """True when the sentence says someone was killed or meant to be («مقتل», «اغتيال», «محاولة»)."""
    return bool(ctx.found & R.KILL) and any(R.KILLING.fullmatch(t.norm) for t in ctx.toks)
