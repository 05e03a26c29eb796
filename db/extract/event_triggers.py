"""Finding event triggers in a sentence: rule conditions, questions, quoted names, governing words
(denials, directives, threats), directives addressed to a party, and pledges from claims.

The decisions are listed in events.py; the lexicon is event_rules.py.
"""

from __future__ import annotations

from collections.abc import Sequence

from qexplore.db.arabic import normalize
from qexplore.db.extract import event_roles as E
from qexplore.db.extract import event_rules as R
from qexplore.db.extract.claims import Claim

_GOVERN_WINDOW = 8
_QUOTES = "\"'«»“”"
DIRECTIVE = R.Rule("other", "", verb=True)  # the rule of a directive that governs no trigger
PLEDGE = R.Rule("statement", "", verb=True)  # the rule of a pledge found in a claim


def _loc_within(ctx: E.Ctx, i: int, width: int) -> bool:
    return any(m.type == "LOC" and i < first <= i + width for _, m, first, _ in ctx.mentions)


def _per_after(ctx: E.Ctx, i: int, width: int) -> bool:
    return any(m.type == "PER" and i < first <= i + width for _, m, first, _ in ctx.mentions)


def _with_after(ctx: E.Ctx, i: int, width: int) -> bool:
    return any(t.norm in ("مع", "ومع") for t in ctx.toks[i + 1 : i + 1 + width])


def _ila_place(ctx: E.Ctx, i: int) -> bool:
    """True when «إلى» follows (within twelve words: the subject may come first) and governs a place
    («هرع الوزير ... إلى بغداد»)."""
    ila = [k for k in range(i + 1, min(i + 13, len(ctx.toks))) if ctx.toks[k].norm in ("الي", "الى")]
    return any(m.type == "LOC" and 0 < first - k <= 2 for k in ila for _, m, first, _ in ctx.mentions)


def _conditions_hold(ctx: E.Ctx, rule: R.Rule, i: int) -> bool:
    if rule.needs_place and not _loc_within(ctx, i, 8):
        return False
    if rule.needs_ila and not _ila_place(ctx, i):
        return False
    if rule.needs_person and not _per_after(ctx, i, 4):
        return False
    return not rule.needs_with or _with_after(ctx, i, 6)


def _in_question(ctx: E.Ctx, i: int) -> bool:
    where = ctx.toks[i].start
    return any(m.start() <= where < m.end() for m in R.QUESTION.finditer(ctx.sentence.text))


def _quoted_name(ctx: E.Ctx, i: int) -> bool:
    """True for a word standing alone between quotes: a name («كتلة "تقدم"»), not an act."""
    text, tok = ctx.sentence.text, ctx.toks[i]
    return text[tok.start - 1 : tok.start] in _QUOTES and text[tok.end : tok.end + 1] in _QUOTES


def _governor(ctx: E.Ctx, i: int) -> str | None:
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


def _rule_at(ctx: E.Ctx, i: int) -> R.Rule | None:
    if not R.stem_rules(ctx.toks[i].norm):  # most words spell no trigger: skip building the context
        return None
    following = ctx.following(i)
    return next((r for r in R.candidates(ctx.toks[i].norm, following) if _conditions_hold(ctx, r, i)), None)


def hits(ctx: E.Ctx) -> list[E.Hit]:
    """The triggers of the sentence that hold: not in a question, not a name (quoted or inside a mention:
    «ستاد الأمير فيصل»), not denied."""
    found: list[E.Hit] = []
    if not ctx.found & R.TRIGGER:
        return found
    named = {k for _, _, first, last in ctx.mentions for k in range(first, last + 1)}
    for i in [k for k, bits in enumerate(ctx.flags) if bits & R.TRIGGER]:
        if i in named:
            continue
        rule = _rule_at(ctx, i)
        if rule is None or _in_question(ctx, i) or _quoted_name(ctx, i):
            continue
        ruling = _governor(ctx, i)
        if ruling == "denied":
            continue
        found.append(E.Hit(rule, i, ruling or rule.type))
    return found


def _rules(norm: str) -> bool:
    return bool(R.DIRECTIVES.fullmatch(norm) or R.THREATS.fullmatch(norm))


def directive_hits(ctx: E.Ctx, hits: list[E.Hit]) -> list[E.Hit]:
    """A governed trigger becomes an event of its governor's type, anchored on the governing word;
    a directive that governs no trigger but addresses a named party is an event of type other."""
    out: list[E.Hit] = []
    for h in hits:
        if h.type != h.rule.type:
            k = next(k for k in range(h.index - 1, max(-1, h.index - _GOVERN_WINDOW - 1), -1)
                     if _rules(ctx.toks[k].norm))  # fmt: skip
            out.append(E.Hit(R.Rule(h.type, "", verb=True), k, h.type))
        else:
            out.append(h)
    if ctx.found & R.DIRECTIVE:  # else no word of the sentence is a directive
        taken = {h.index for h in out}
        for i, tok in enumerate(ctx.toks):
            if i not in taken and R.DIRECTIVES.fullmatch(tok.norm) and addressee(ctx, i) is not None:
                out.append(E.Hit(DIRECTIVE, i, "other"))
    return sorted(out, key=lambda h: h.index)


def addressee(ctx: E.Ctx, i: int) -> int | None:
    """The party a directive at token ``i`` asks something of, named after من within three words
    («طلبت الحكومة من تركيا»); a name right after the verb is its subject («دعت المدعية العامة»)."""
    for k, _m, first, _ in ctx.mentions:
        after_min = first >= 1 and ctx.toks[first - 1].norm == "من"
        if k not in ctx.outlets and 0 < first - i <= 3 and after_min:
            return k
    return None


def pledge_hits(ctx: E.Ctx, claims: Sequence[Claim]) -> list[E.Hit]:
    """Pledges: claims of a named speaker whose content opens with a future or a refusal: pledges."""
    out = []
    for c in claims:
        if c.sentence_seq != ctx.sentence.seq or c.speaker_mention in (None, *ctx.outlets) or not c.content:
            continue
        cue = E.token_span(ctx.toks, c.cue_start - ctx.sentence.start, c.cue_end - ctx.sentence.start)
        if cue is not None and R.PLEDGE.match(normalize(c.content).strip("\"'«» ")):
            out.append(E.Hit(PLEDGE, cue[0], "statement"))
    return out
