"""Lexicon of event triggers and governing words for events.py, over normalised tokens.

Every pattern is matched with ``fullmatch`` against a normalised token (see qexplore.db.arabic.normalize)
after an optional proclitic prefix (و/ف, then ب/ل/ك, then ال or ل), so «وللقاء», «بزيارة» and «الاجتماع»
all reach their stem. A trigger marked ``needs_place`` counts only when a place mention follows closely
(«وصل إلى النجف», not «وصلت إلى السلطة»); ``needs_person`` only when a person is named right after it
(«مقتل قاسم سليماني», not «مقتل ثلاثة جنود»); ``needs_with`` only when «مع» follows («بحث مع»).
"""

from __future__ import annotations

import re
from dataclasses import dataclass

EVENT_TYPES = ("visit", "meeting", "attack", "assassination", "arrest", "raid", "statement", "election",
               "agreement", "protest", "other")  # fmt: skip
ROLES = ("agent", "counterpart", "attendee", "target")
PREFIX = r"(?:[وف])?(?:[بلك])?(?:ال|ل)?"


@dataclass(frozen=True, slots=True)
class Rule:
    """One trigger pattern: the event type, the stem regex, whether it is a verb, and its conditions."""

    type: str
    stem: str
    verb: bool = False
    needs_place: bool = False
    needs_person: bool = False
    needs_with: bool = False
    next_word: str | None = None  # a second word that must follow (وقف + إطلاق)


RULES: tuple[Rule, ...] = (
    Rule("visit", r"زار(?:ت|وا|ا|ه|ها)?|[يت]زور(?:ون|ان)?", verb=True),
    Rule("visit", r"زيار\w*"),
    Rule(
        "visit",
        r"وصل(?:ت|وا)?|[يت]صل|قدم|[يت]قدم|توجه(?:ت)?|[يت]توجه|اتجه|[يت]تجه|سافر(?:ت)?|[يت]سافر"
        r"|هرع(?:ت)?|سارع(?:ت)?",
        verb=True,
        needs_place=True,
    ),  # fmt: skip
    Rule("visit", r"وصول\w*|قدوم\w*|سفر\w*|جول(?:ة|ته|تها|ات)", needs_place=True),
    Rule(
        "meeting",
        r"التق(?:ي|ت|وا|يا|ا)|[يت]لتق(?:ي|ون)|اجتمع(?:ت|وا|ا)?|[يت]جتمع(?:ون)?"
        r"|استقبل(?:ت|وا|ه|ها)?|[يت]ستقبل\w*",
        verb=True,
    ),  # fmt: skip
    Rule("meeting", r"لقاء\w*|لقائ\w*|اجتماع\w*|استقبال\w*|محادثات|مباحثات|مفاوضات"),
    Rule("meeting", r"بحث(?:ت)?|ناقش(?:ت)?|[يت]ناقش|[يت]بحث", verb=True, needs_with=True),
    Rule("attack", r"هاجم(?:ت|وا)?|[يت]هاجم\w*|استهدف(?:ت|وا)?|قصف(?:ت|وا)?", verb=True),
    Rule("attack", r"هجوم\w*|هجمات\w*|هجما|استهداف\w*|قصف\w*|ضرب(?:ة|ات)|غار(?:ة|ات)|صواريخ"),
    Rule("assassination", r"اغتال(?:ت|وا)?|[يت]غتال\w*", verb=True),
    Rule("assassination", r"اغتيال\w*"),
    Rule("assassination", r"مقتل|مصرع|قتل(?:ت)?", needs_person=True),
    Rule("arrest", r"اعتقل(?:ت|وا)?|[يت]عتقل\w*", verb=True),  # not أوقف: «أوقفت الهجمات» is stopped
    Rule("arrest", r"اعتقال\w*|توقيف\w*"),
    Rule("raid", r"داهم(?:ت|وا)?|[يت]داهم\w*|اقتحم(?:ت|وا)?|[يت]قتحم\w*", verb=True),
    Rule("raid", r"مداهم\w*|اقتحام\w*"),
    Rule(
        "statement",
        r"اعلن(?:ت|وا)?|[يت]علن|ادان(?:ت|وا)?|[يت]دين|هدد(?:ت|وا)?|[يت]هدد|توعد(?:ت|وا)?"
        r"|تعهد(?:ت|وا)?|اعرب(?:ت|وا)?",
        verb=True,
    ),  # fmt: skip
    Rule("statement", r"بيان|بيانا|خطاب\w*|اعلان\w*"),
    Rule("election", r"انتخابات\w*|اقتراع"),
    Rule("agreement", r"اتفاق\w*|هدن(?:ة|ته|تها)"),
    Rule("agreement", r"وقف", next_word=r"اطلاق"),
    Rule("protest", r"احتجاج\w*|تظاهر\w*|مظاهر(?:ة|ات)"),
    Rule("other", r"غزت|غزا|غزو\w*|انسحب(?:ت)?|[يت]نسحب|سحب|انسحاب\w*|تولي|تولت|اتصل(?:ت)?", verb=True),
)

_COMPILED = tuple((rule, re.compile(PREFIX + "(?:" + rule.stem + ")")) for rule in RULES)
_NEXT = {rule.next_word: re.compile(PREFIX + rule.next_word) for rule in RULES if rule.next_word}

# A trigger after these words did not happen (yet): a request or an order («دعا ... لزيارته») is an
# event of its own (type other), a threat is a statement, a denial or a negation is no event.
DIRECTIVES = re.compile(r"[وف]?(?:دعا|دعت|طلب|طلبت|طالب|طالبت|[يت]طالب|امر|امرت|حث|حثت)")
THREATS = re.compile(r"[وف]?(?:هدد|هددت|[يت]هدد|توعد|توعدت|[يت]توعد)")
DENIALS = re.compile(r"[وف]?(?:نفي|نفت|[يت]نفي|نفوا)")
NEGATIONS = re.compile(r"[وف]?(?:لم|لن|لا|عدم|دون)")
# A name right after these words is what an attack, a raid or an arrest was aimed at.
TARGET_WORDS = re.compile(
    r"[وف]?(?:ب|ل)?(?:ال)?(?:مقر|منزل|موقع|قاعد(?:ة|ه)|معسكر(?:ات)?|سفار(?:ة|ه)|مكتب|علي|ضد)"
)
# A sentence opening with these continues the story of the previous sentence, on the same day.
SAME_DAY = re.compile(r"^\W*[وف]?(?:في|ب)?\s*(?:ذلك اليوم|اليوم نفسه|اليوم ذاته|نفس اليوم|حينها|حينذاك)")
NEXT_DAY = re.compile(r"^\W*[وف]?(?:في|ب)?\s*(?:اليوم التالي|صباح اليوم التالي|اليوم الذي تلاه)")
QUESTION = re.compile(r"(?<!\w)[وف]?هل(?!\w)[^؟?]*[؟?]")


def match_rule(norm: str, following: str | None) -> Rule | None:
    """Return the first rule whose stem ``norm`` (a normalised token) spells, else None.

    ``following`` is the next normalised token, needed by two-word triggers.
    """
    for rule, pattern in _COMPILED:
        if not pattern.fullmatch(norm):
            continue
        if rule.next_word is None or (following is not None and _NEXT[rule.next_word].fullmatch(following)):
            return rule
    return None
