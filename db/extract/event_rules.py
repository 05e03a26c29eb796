"""Lexicon of event triggers and governing words for events.py, over normalised tokens.

Every pattern is matched with ``fullmatch`` against a normalised token (see qexplore.db.arabic.normalize)
after an optional proclitic prefix (و/ف, then ب/ل/ك, then ال or ل), so «وللقاء», «بزيارة» and «الاجتماع»
all reach their stem. A token may spell several rules; the first whose conditions hold wins, so the
collocations come before the plain senses («وصل إلى السلطة» takes office before «وصل إلى بغداد» visits).
Conditions: ``needs_place`` a place mention follows closely («وصل إلى النجف», not «وصلت إلى السلطة»);
``needs_person`` a person is named right after («مقتل قاسم سليماني», not «مقتل ثلاثة جنود»);
``needs_with`` «مع» follows («بحث مع»); ``needs_ila`` «إلى» and a place follow within twelve words
(«قدم الوزير إلى بغداد», not «قدم تأكيدات»); ``next_word`` the next word; ``near`` one of the next
``near_width`` words (four for «أصدر ... تعميما», eight for «تولى ... منصب»). ``place_preps`` adds
prepositions that govern the place of that trigger only («انسحب من العراق», «الحرب على غزة»).
"""

from __future__ import annotations

import re
from collections.abc import Iterator, Sequence
from dataclasses import dataclass
from functools import lru_cache

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
    needs_ila: bool = False
    next_word: str | None = None  # a second word that must follow (وقف + إطلاق)
    near: str | None = None  # a word among the next ``near_width`` (أصدر + تعميما)
    near_width: int = 4
    place_preps: tuple[str, ...] = ()
    article: bool = True  # False for a pure verb: «القدم» (كرة القدم) is not «قدم»


_OFFICE = r"السلطة|الحكم|منصب\w*|المنصب|رئاسة\w*|الرئاسة|الوزارة|مقاليد"
_BODIES = r"جبهة|تحالف|ائتلاف|حكومة|حزب|كتلة|لجنة|قوة|فصيل|مجلس"
_ORDERS = r"تعميم\w*|قرار\w*|امر|اوامر|امرا|مرسوم\w*|توجيه\w*|توجيهات"
_REMAINS = r"جثامين|جثمان|جثث|رفات"
_TROOPS = r"قوات|جنود|قوة|تحالف|عسكري\w*|لواء|كتيبة"
_LEADERS = r"قيادي|قائد|زعيم|مسؤول|القيادي|القائد|الزعيم|المسؤول"

RULES: tuple[Rule, ...] = (
    # taking office, forming a body, issuing an order, receiving remains: collocations of common verbs
    Rule(
        "other",
        r"وصل(?:ت|وا)?|[يت]صل|وصول\w*|تولي|تولت|[يت]تولي|تسلم(?:ت)?|[يت]تسلم",
        verb=True,
        near=_OFFICE,
        near_width=8,
    ),  # fmt: skip
    Rule("other", r"تشكيل|تكوين|تاسيس|شكلت|شكلوا|اسس(?:ت|وا)?", near=_BODIES),
    Rule("other", r"اصدر(?:ت|وا|ا)?|[يت]صدر|اصدار", verb=True, near=_ORDERS),
    Rule("other", r"وصول", next_word=_REMAINS),
    Rule("visit", r"زار(?:ت|وا|ا|ه|ها)?|[يت]زور(?:ون|ان)?", verb=True),
    Rule("visit", r"زيار\w*"),
    Rule(
        "visit",
        r"وصل(?:ت|وا)?|[يت]صل",
        verb=True,
        needs_place=True,
        article=False,
    ),  # fmt: skip
    # a movement verb visits only with «إلى» and a place: not «قدم تأكيدات», «انتهك القانون بشكل سافر»;
    # not تقدم (advanced, submitted)
    Rule(
        "visit",
        r"قدم|توجه(?:ت)?|[يت]توجه|اتجه|[يت]تجه|سافر(?:ت)?|[يت]سافر|هرع(?:ت)?|سارع(?:ت)?",
        verb=True,
        needs_place=True,
        needs_ila=True,
        article=False,
    ),
    Rule("visit", r"وصول(?!ا$)\w*|قدوم\w*|سفر\w*|جول(?:ة|ته|تها|ات)", needs_place=True),  # not «وصولا إلى»
    Rule(
        "meeting",
        r"التق(?:ي|ت|وا|يا|ا)|[يت]لتق(?:ي|ون)|اجتمع(?:ت|وا|ا)?|[يت]جتمع(?:ون)?"
        r"|استقبل(?:ت|وا|ه|ها)?|[يت]ستقبل\w*",
        verb=True,
    ),  # fmt: skip
    Rule("meeting", r"لقاء\w*|لقائ\w*|اجتماع(?!ي)\w*|استقبال\w*|محادثات|مباحثات|مفاوضات"),  # not الاجتماعي
    Rule("meeting", r"بحث(?:ت)?|ناقش(?:ت)?|[يت]ناقش|[يت]بحث", verb=True, needs_with=True),
    Rule("attack", r"هاجم(?:ت|وا)?|[يت]هاجم\w*|استهدف(?:ت|وا)?|قصف(?:ت|وا)?", verb=True),
    Rule("attack", r"هجوم\w*|هجمات\w*|هجما|استهداف\w*|قصف\w*|ضرب(?:ة|ات)|غار(?:ة|ات)|صواريخ"),
    Rule("assassination", r"اغتال(?:ت|وا)?|[يت]غتال\w*", verb=True),
    Rule("assassination", r"اغتيال\w*"),
    Rule("assassination", r"مقتل|مصرع|قتل(?:ت)?", needs_person=True),
    Rule("assassination", r"سقوط", next_word=_LEADERS),  # «سقوط قيادي»: a leader killed
    Rule("attack", r"سقوط", near=r"قتلي|ضحايا|جنود|جنديين|عناصر|مدنيين|جرحي", near_width=3),  # casualties
    Rule("arrest", r"اعتقل(?:ت|وا)?|[يت]عتقل\w*", verb=True),  # not أوقف: «أوقفت الهجمات» is stopped
    Rule("arrest", r"اعتقال\w*|توقيف\w*"),
    Rule("raid", r"داهم(?:ت|وا)?|[يت]داهم\w*|اقتحم(?:ت|وا)?|[يت]قتحم\w*", verb=True),
    Rule("raid", r"مداهم\w*|اقتحام\w*"),
    Rule(
        "statement",
        r"اعلن(?:ت|وا)?|[يت]علن|ادان(?:ت|وا)?|[يت]دين|هدد(?:ت|وا)?|توعد(?:ت|وا)?|[يت]توعد"
        r"|تعهد(?:ت|وا)?|[يت]تعهد|اعرب(?:ت|وا)?|اتهم(?:ت|وا)?|[يت]تهم|غرد(?:ت|وا)?|[يت]غرد",
        verb=True,
    ),  # fmt: skip
    Rule("statement", r"القي(?:ت)?|[يت]لقي", verb=True, near=r"لوم|اللوم|لايمة|اللايمة"),
    Rule("statement", r"بيان|بيانا|خطاب\w*|اعلان\w*|اتهام\w*|تغريد\w*"),
    Rule("election", r"انتخابات\w*|اقتراع"),
    Rule("agreement", r"اتفاق\w*|هدن(?:ة|ته|تها)"),
    Rule("agreement", r"وقف", next_word=r"اطلاق"),
    Rule("protest", r"احتجاج\w*|تظاهر\w*|مظاهر(?:ة|ات)"),
    Rule("other", r"انسحب(?:ت|وا)?|[يت]نسحب|انسحاب\w*", verb=True, place_preps=("من",)),
    Rule(
        "other",
        r"غزت|غزا|غزو\w*|سحب|مزق(?:ه|ها|ت|وا)?|تولي|تولت|اتصل(?:ت)?|تدخل(?:ت|وا)?|[يت]تدخل",
        verb=True,
    ),  # fmt: skip
    Rule("other", r"استعراض\w*|مناورات\w*"),
    Rule("other", r"حرب|الحرب", place_preps=("علي",)),
    Rule("other", r"صوت(?:ت|وا)?|[يت]صوت|تصويت", verb=True, near=r"لصالح|ضد|بالاجماع|علي", near_width=3),
    Rule("other", r"نشر(?:ت)?|انتشار", verb=True, near=_TROOPS + "|" + r"لمحاربة|لقتال"),
)

VERB_PREFIX = r"[وف]?"
_COMPILED = tuple(
    (rule, re.compile((PREFIX if rule.article else VERB_PREFIX) + "(?:" + rule.stem + ")")) for rule in RULES
)
_ANY = re.compile("|".join(f"(?:{pattern.pattern})" for _, pattern in _COMPILED))  # one test for most words
_WORDS = {w: re.compile(PREFIX + "(?:" + w + ")") for rule in RULES for w in (rule.next_word, rule.near) if w}

# A trigger after these words did not happen (yet): a request or an order («دعا ... لزيارته») is an
# event of its own (type other), a threat is a statement, a denial or a negation is no event.
DIRECTIVES = re.compile(r"[وف]?(?:دعا|دعت|طلب|طلبت|طالب|طالبت|[يت]طالب|امر|امرت|حث|حثت)")
THREATS = re.compile(r"[وف]?(?:هدد|هددت|[يت]هدد|توعد|توعدت|[يت]توعد|تهديد|تهديدات|تهديده|تهديدها)")
DENIALS = re.compile(r"[وف]?(?:نفي|نفت|[يت]نفي|نفوا)")
NEGATIONS = re.compile(r"[وف]?(?:لم|لن|لا|عدم|دون)")
# A name right after these words is what an attack, a raid or an arrest was aimed at.
TARGET_WORDS = re.compile(
    r"[وف]?(?:ب|ل)?(?:ال)?(?:مقر|منزل|موقع|قاعد(?:ة|ه)|معسكر(?:ات)?|سفار(?:ة|ه)|مكتب|علي|ضد|محاربة|قتال)"
)
# Words that make an attack on a person an assassination: it killed or was meant to kill.
KILLING = re.compile(PREFIX + r"(?:مقتل|مصرع|قتل\w*|اغتيال\w*|اغتال\w*|تصفية)")
# A subordinate clause opens here: names after it belong to that clause's verb, not to the trigger.
CLAUSE_OPENERS = re.compile(r"[وف]?(?:عندما|حين|حينما|بينما|لكن|لكنه|لكنها|قبل|بعد|بعدما|فيما)")
# An election is a timeline entry when it is qualified, placed or dated, not «نتائج الانتخابات» alone.
ELECTION_KINDS = re.compile(r"البرلمانية|الرئاسية|المحلية|التشريعية|العامة|المبكرة|النيابية|البلدية")
# A speaker committing itself («إنها ستواصل», «أنه لن يشارك», «سنرد»): a pledge or a threat, a statement.
PLEDGE = re.compile(
    r"(?:[وف]?(?:انه|انها|انهم|انهما|اننا|انني)\s+(?:س\w+|لن)|سن\w+|سا\w+|لن [نا]\w+)(?:\s|$)"
)
# A sentence opening with these continues the story of the previous sentence, on the same day.
SAME_DAY = re.compile(r"^\W*[وف]?(?:في|ب)?\s*(?:ذلك اليوم|اليوم نفسه|اليوم ذاته|نفس اليوم|حينها|حينذاك)")
NEXT_DAY = re.compile(r"^\W*[وف]?(?:في|ب)?\s*(?:اليوم التالي|صباح اليوم التالي|اليوم الذي تلاه)")
QUESTION = re.compile(r"(?<!\w)[وف]?هل(?!\w)[^؟?]*[؟?]")


@lru_cache(maxsize=65_536)
def stem_rules(norm: str) -> tuple[Rule, ...]:
    """Return, in order, the rules whose stem pattern the normalised token ``norm`` spells.

    This is the context-free part of matching (the same word always spells the same stems), so it is
    cached per word; ``candidates`` then checks the conditions that look at the following words.
    """
    if not _ANY.fullmatch(norm):
        return ()
    return tuple(rule for rule, pattern in _COMPILED if pattern.fullmatch(norm))


# What a word can be, as bits (see word_flags): a sentence whose words lack a bit skips that scan.
TRIGGER, DIRECTIVE, THREAT, KILL = 1, 2, 4, 8


@lru_cache(maxsize=65_536)
def word_flags(norm: str) -> int:
    """Return the bits of what the normalised token ``norm`` can be: the stem of a trigger (TRIGGER),
    a directive (DIRECTIVE), a threat (THREAT), a word of killing (KILL).

    Each is a property of the word alone, so it is cached per word; the sentence-level scans that
    look for these words first test the union of the bits of the sentence's words.
    """
    return (
        (TRIGGER if stem_rules(norm) else 0)
        | (DIRECTIVE if DIRECTIVES.fullmatch(norm) else 0)
        | (THREAT if THREATS.fullmatch(norm) else 0)
        | (KILL if KILLING.fullmatch(norm) else 0)
    )


def candidates(norm: str, following: Sequence[str]) -> Iterator[Rule]:
    """Yield, in order, the rules whose stem ``norm`` (a normalised token) spells.

    ``following`` are the next normalised tokens, needed by two-word triggers and collocations.
    """
    for rule in stem_rules(norm):
        if rule.next_word is not None and not (following and _WORDS[rule.next_word].fullmatch(following[0])):
            continue
        near = following[: rule.near_width]
        if rule.near is not None and not any(_WORDS[rule.near].fullmatch(w) for w in near):
            continue
        yield rule


def match_rule(norm: str, following: str | None) -> Rule | None:
    """Return the first rule whose stem ``norm`` spells (given the next token ``following``), else None."""
    return next(candidates(norm, [following] if following else []), None)
