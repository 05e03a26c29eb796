"""Declined comments: «لم يرد على طلبات التعليق», «رفض التعليق», «لم تتلق ردودا»."""

from __future__ import annotations

from collections.abc import Sequence

from qexplore.db.arabic import Token
from qexplore.db.extract.claim_lexicon import norm_set
from qexplore.db.extract.claim_rules import View

# Non-responses: «لم يرد على طلبات التعليق», «رفض التعليق», «لم تتلق ردودا».
_NO_REPLY_VERBS = norm_set("يرد", "ترد", "يردوا", "يردا", "تردا")
_NO_REPLY_OBJECTS = norm_set("طلب", "طلبات", "التعليق", "للتعليق", "تعليق", "أسئلة", "الأسئلة", "سؤال",
                       "اتصالات", "رسائل", "استفسارات", "أيضا", "أيضاً")  # fmt: skip
_REFUSALS = norm_set("رفض", "رفضت", "رفضوا", "يرفض", "ترفض", "امتنع", "امتنعت", "امتنعوا")
_REFUSED = norm_set("التعليق", "الإدلاء", "الكشف", "الإفصاح", "الرد")
_RECEIPTS = norm_set("تتلق", "يتلق", "نتلق", "يتسن", "تتمكن", "يتمكن")
_REPLIES = norm_set("ردا", "ردود", "ردودا", "رد", "إجابة", "إجابات", "للتعليق", "التعليق")

# The words a non-response can start with (see no_comment_at); other words are skipped.
_OPENERS = frozenset(("لم", "ولم", "لا", "ولا", *_REFUSALS, *(c + w for w in _REFUSALS for c in "وف")))


def no_comment_at(toks: Sequence[Token], i: int) -> int | None:
    """Return the index after the verb of a non-response that starts at token ``i``, or None."""
    norm = toks[i].norm
    if norm in ("لم", "ولم", "لا", "ولا") and i + 1 < len(toks):
        verb = toks[i + 1].norm
        if verb in _NO_REPLY_VERBS and any(t.norm in _NO_REPLY_OBJECTS for t in toks[i + 2 : i + 30]):
            return i + 2
        if verb in _RECEIPTS and any(t.norm in _REPLIES for t in toks[i + 2 : i + 30]):
            return i + 2
    refusal = norm[1:] if norm[:1] in "وف" and norm[1:] in _REFUSALS else norm
    if refusal in _REFUSALS and any(t.norm in _REFUSED for t in toks[i + 1 : i + 4]):
        return i + 1
    return None


def declined(v: View, speakers: Sequence[tuple[int, int]]) -> list[tuple[int, int]]:
    """Return the sentence spans of the non-responses of ``v`` that lie outside the ``speakers`` spans."""
    out = []
    for i in [k for k, tok in enumerate(v.toks) if tok.norm in _OPENERS]:
        after = no_comment_at(v.toks, i)
        pos = v.toks[i].start
        if after is None or any(lo <= pos < hi for lo, hi in speakers):
            continue  # «مصدر رفض الكشف عن اسمه» describes a speaker, it is no refusal
        out.append((v.toks[i].start, v.toks[after - 1].end))
    return out
