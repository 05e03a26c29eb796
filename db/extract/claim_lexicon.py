"""Word lists of reported speech: cue verbs, participles and nouns, markers, outlets, source heads."""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass

from qexplore.db.arabic import Token, drop_article, normalize, strip_proclitics

OPEN_QUOTES = frozenset('"«“„')
CLOSE_QUOTES = frozenset('"»”')
COMMAS = frozenset("،,؛;")


@dataclass(frozen=True, slots=True)
class CueForm:
    """What a cue word is: its lemma, its kind (verb|participle|noun|attrib) and how its content opens."""

    lemma: str
    kind: str
    prep: str | None = None  # the preposition that may open the content (أشار إلى, هدد بـ)
    strict: bool = False  # also a common word (ذكر, علم, رأي): needs a content marker close by


def norm_set(*items: str) -> frozenset[str]:
    """Return the normalised forms of ``items``."""
    return frozenset(normalize(w) for w in items)


# Present forms that are mostly passive (يُعتبر, يُدعى) are left out.
# lemma, past 3ms, present 3ms, participle stem, content preposition, strict (all normalised forms)
_VERBS: tuple[tuple[str, str, str, str, str | None, bool], ...] = (
    ("قال", "قال", "يقول", "قايل", None, False),
    ("أضاف", "اضاف", "يضيف", "مضيف", None, False),
    ("أكد", "اكد", "يوكد", "موكد", "علي", False),
    ("كشف", "كشف", "يكشف", "كاشف", "عن", False),
    ("ذكر", "ذكر", "يذكر", "", None, True),
    ("أشار", "اشار", "يشير", "مشير", "الي", False),
    ("أوضح", "اوضح", "يوضح", "موضح", None, False),
    ("لفت", "لفت", "يلفت", "لافت", "الي", False),
    ("أعلن", "اعلن", "يعلن", "معلن", None, False),
    ("حذر", "حذر", "يحذر", "محذر", "من", False),
    ("هدد", "هدد", "يهدد", "مهدد", "ب", False),
    ("نفى", "نفي", "ينفي", "نافي", None, False),
    ("علم", "علم", "", "", None, True),
    ("أبلغ", "ابلغ", "يبلغ", "", "ب", False),
    ("وصف", "وصف", "يصف", "واصف", "ب", True),
    ("اعتبر", "اعتبر", "", "معتبر", None, True),
    ("رأى", "راي", "يري", "", None, True),
    ("تابع", "تابع", "يتابع", "", None, True),
    ("شدد", "شدد", "يشدد", "مشدد", "علي", False),
    ("صرح", "صرح", "يصرح", "مصرح", None, False),
    ("أفاد", "افاد", "يفيد", "", "ب", True),
    ("نقل", "نقل", "ينقل", "ناقل", "عن", True),
    ("زعم", "زعم", "يزعم", "زاعم", None, False),
    ("اتهم", "اتهم", "يتهم", "متهم", None, False),
    ("أدان", "ادان", "يدين", "", None, False),
    ("توعد", "توعد", "يتوعد", "متوعد", "ب", False),
    ("وعد", "وعد", "", "", "ب", True),
    ("اعترف", "اعترف", "يعترف", "معترف", "ب", False),
    ("أعرب", "اعرب", "يعرب", "معرب", "عن", False),
    ("ندد", "ندد", "يندد", "مندد", "ب", False),
    ("تعهد", "تعهد", "يتعهد", "متعهد", "ب", True),
    ("أخبر", "اخبر", "يخبر", "", "ب", False),
    ("كتب", "كتب", "يكتب", "", None, True),
    ("تساءل", "تساءل", "يتساءل", "متسايل", "عن", False),
    ("أردف", "اردف", "يردف", "مردف", None, False),
    ("ادعى", "ادعي", "", "مدعي", None, False),
    ("شكا", "شكا", "يشكو", "", "من", False),
    ("سأل", "سال", "يسال", "", None, True),
    ("نوه", "نوه", "ينوه", "منوه", "الي", False),
)  # fmt: skip
# Forms that are only ever something else in news text (عبر "via", نص "text"): added one by one.
_EXTRA = {"عبرت": ("عبر", "عن"), "عبروا": ("عبر", "عن"), "نصت": ("نص", "علي")}
_NOUNS = {
    w: lemma
    for lemma, forms in (
        ("إعلان", "اعلان"), ("اتهام", "اتهام اتهامات"), ("تأكيد", "تاكيدات تاكيد"),
        ("تصريح", "تصريحات تصريح"), ("تحذير", "تحذير تحذيرات"),
    )
    for w in forms.split()
}  # fmt: skip
ATTRIBUTION = norm_set("حسب", "بحسب", "وفق", "وفقا", "نقلا")
# Participles that open a second claim of the same speaker even without a marker (مؤكداً وقوف طهران).
STRONG_PARTICIPLES = norm_set("موكد", "مشير", "مضيف", "موضح", "محذر", "معتبر", "مردف", "مدعي", "قايل")
_ENCLITICS = ("ه", "ها", "هم", "هما")


def _past_forms(past: str) -> list[str]:
    if past.endswith(("ي", "ا")):  # نفى/ادعى/شكا: the last letter goes before ت and وا
        return [past, past[:-1] + "ت", past[:-1] + "وا", past[:-1] + "تا"]
    return [past, past + "ت", past + "وا", past + "ا", past + "تا"]


def _present_forms(present: str) -> list[str]:
    if not present:
        return []
    rest = present[1:]
    return ["ي" + rest, "ت" + rest, "ي" + rest + "ون", "ي" + rest + "ان", "ت" + rest + "ان"]


def _build_lexicon() -> dict[str, CueForm]:
    lex: dict[str, CueForm] = {}
    for lemma, past, present, participle, prep, strict in _VERBS:
        verb = CueForm(lemma, "verb", prep, strict)
        for form in [*_past_forms(past), *_present_forms(present)]:
            lex.setdefault(form, verb)
            for suffix in _ENCLITICS:
                lex.setdefault(form + suffix, verb)
        if participle:
            part = CueForm(lemma, "participle", prep, strict)
            for suffix in ("ا", "ة", "ين", "ون", "ان", "تين"):
                lex.setdefault(participle + suffix, part)
    for form, (lemma, prep) in _EXTRA.items():
        lex[form] = CueForm(lemma, "verb", prep, True)
    for form, lemma in _NOUNS.items():
        lex[form] = CueForm(lemma, "noun")
    return lex


LEXICON = _build_lexicon()
# Support verbs of a cue noun: the subject of «قدم تأكيدات», «وجه اتهامات» is the speaker.
SUPPORT_VERBS = frozenset(f for past, present in (("قدم", "يقدم"), ("اطلق", "يطلق"), ("وجه", "يوجه"),
                                                  ("جدد", "يجدد"))
                          for f in [*_past_forms(past), *_present_forms(present)])  # fmt: skip
NEGATIONS = norm_set("لم", "لن", "لا", "ما", "ولم", "ولن", "ولا")
MARKERS = norm_set("أن", "إن", "بأن", "فإن", "وأن", "أنه", "أنها", "إنه", "إنها", "أنهم", "إنهم", "بأنه",
             "بأنها", "بأنهم", "فإنه", "أنّ", "إنّ")  # fmt: skip
# Markers kept inside the content: the pronoun is part of what was said (إنها ستواصل).
PRONOUN_MARKERS = norm_set("أنه", "أنها", "إنه", "إنها", "أنهم", "إنهم", "بأنه", "بأنها", "بأنهم", "فإنه")
CHANNELS = norm_set("حديث", "حديثه", "حديثها", "حديثهم", "تصريح", "تصريحات", "تصريحه", "تصريحها", "بيان",
              "بيانه", "تغريدة", "تغريدات", "مقابلة", "منشور", "رسالة", "كلمة", "تدوينة")  # fmt: skip
TALK_VERBS = norm_set("تحدث", "تحدثت", "تحدثوا", "يتحدث", "حديثه", "حديثها", "حديث")
MEDIA_HEADS = norm_set("موقع", "صحيفة", "وكالة", "قناة", "شبكة", "مجلة", "إذاعة", "تلفزيون", "جريدة")
PLATFORMS = norm_set("تويتر", "إكس", "فيسبوك", "تلغرام", "تيليغرام", "إنستغرام", "يوتيوب")
# Wire agencies: a report by one of them, translated by the publisher, is a link of the relay chain.
AGENCIES = norm_set("رويترز", "فرانس برس", "أسوشيتد برس", "الأناضول", "بلومبرغ", "أ ف ب", "د ب أ", "إرنا",
              "تسنيم", "فارس", "سبوتنيك")  # fmt: skip
FUNCTION_SUBJECTS = norm_set("و", "قد", "وقد", "كما", "وكان", "كان", "وكانت", "كانت", "لكن", "لكنه", "لكنها",
                       "لكنهم", "ولكنه", "ولكنها", "وهو", "وهي", "ثم", "حيث", "فيما", "بينما", "وبينما",
                       "إذ", "بل", "أنه", "إنه", "أنها", "إنها", "فقد", "ولكن", "كما", "فيما")  # fmt: skip
# Heads of a speaker phrase that describe rather than name (مصدر, مسؤول, أحد قادة...).
SOURCE_HEADS = frozenset(drop_article(w) for w in norm_set(
    "مصدر", "مصادر", "مصدرا", "مصدران", "مسؤول", "مسؤولون", "مسؤولين", "مسؤولو", "مسؤولي", "مسؤولان",
    "دبلوماسي", "دبلوماسيون", "دبلوماسيين", "دبلوماسيان", "قيادي", "قياديون", "قياديين", "أحد",
    "سياسي", "سياسيون", "سياسيين", "سياسيان", "متحدث", "ناطق", "مراقبون", "خبراء", "خبير", "شهود",
    "شاهد", "عضو", "أعضاء", "قائد", "قادة", "ضابط", "ضباط", "مقرب", "مقربون", "عدة", "بعض", "جميع",
    "خمسة", "عشرة", "تسعة", "ثلاثة", "أربعة", "ستة", "سبعة", "ثمانية", "اثنين", "اثنان", "وسائل",
    "التقرير", "تقرير", "مصدرها", "مصادرها", "مصادره", "ممثل", "مستشار", "نائب", "محلل", "محللون",
))  # fmt: skip
PLURAL_HEADS = frozenset(drop_article(w) for w in norm_set(
    "مصادر", "مصدران", "مسؤولون", "مسؤولين", "مسؤولو", "مسؤولي", "مسؤولان", "دبلوماسيون",
    "دبلوماسيين", "دبلوماسيان", "قياديون", "قياديين", "سياسيون", "سياسيين", "سياسيان", "مراقبون",
    "خبراء", "شهود", "أعضاء", "قادة", "ضباط", "مقربون", "وسائل", "مصادرها", "مصادره", "محللون",
    "عدة", "خمسة", "عشرة", "تسعة", "ثلاثة", "أربعة", "ستة", "سبعة", "ثمانية", "اثنين", "اثنان",
))  # fmt: skip
RELATIVES = norm_set("الذي", "التي", "الذين", "اللذين", "اللتين", "اللذان")
DEMONSTRATIVES = norm_set("هذه", "هذا", "هؤلاء", "تلك", "ذلك")
ANONYMISERS = norm_set("اسمه", "اسمها", "هويته", "هويتها", "هويتهم", "أسمائهم", "اسمائهم")
ANAPHORS = norm_set("ذاته", "ذاتها", "نفسه", "نفسها", "ذاتهم", "أنفسهم", "ذاتها")
TRAILING_ADVERBS = norm_set("أيضا", "أيضاً", "حينها", "علنا", "سرا", "اليوم", "أمس", "الاثنين", "الثلاثاء",
                      "الأربعاء", "الخميس", "الجمعة", "السبت", "الأحد", "مجددا", "بدوره")  # fmt: skip
PREPOSITIONS = frozenset(("في", "من", "علي", "عن", "الي", "مع", "بين", "ل", "لدي", "حول"))


def bare(norm: str) -> str:
    """Return a normalised word without a leading و or ف conjunction when that leaves a cue."""
    if norm not in LEXICON and norm[:1] in "وف" and norm[1:] in LEXICON:
        return norm[1:]
    return norm


def cue_form(toks: Sequence[Token], i: int) -> CueForm | None:
    """Return what token ``i`` is as a reporting cue, or None (negated verbs and على علم are not cues)."""
    form = LEXICON.get(bare(toks[i].norm))
    if form is None or i == 0:
        return form
    before = toks[i - 1].norm
    if before in NEGATIONS or before in RELATIVES:
        return None
    if before in ("علي", "عن", "من", "في") and form.kind != "noun":
        return None
    return form


def is_marker(tok: Token) -> bool:
    """True for إن/أن and their forms that open reported content."""
    return tok.norm in MARKERS


def opens_with_prep(tok: Token, prep: str | None) -> bool:
    """True when ``tok`` is the content preposition of a cue (إلى, عن, or a ب glued to a word)."""
    if prep is None:
        return False
    if prep != "ب":
        return tok.norm == prep or tok.norm == "و" + prep
    if tok.norm in ("ب", "به", "بها", "بهم", "بهما") or tok.raw.startswith("بـ"):
        return True
    return tok.norm.startswith("ب") and len(tok.norm) > 3 and strip_proclitics(tok.norm) != tok.norm


def is_attribution(toks: Sequence[Token], i: int) -> bool:
    """True when token ``i`` opens حسب/بحسب/وفقا لـ/نقلا عن (with a و or ف in front)."""
    norm = toks[i].norm
    norm = norm[1:] if norm[:1] in "وف" and norm[1:] in ATTRIBUTION else norm
    if norm not in ATTRIBUTION:
        return False
    nxt = toks[i + 1].norm if i + 1 < len(toks) else ""
    return norm != "نقلا" or nxt == "عن"


def is_source_head(norm: str) -> bool:
    """True when a normalised word heads a described source (مصدر, المسؤول, مسؤولاً with its tanween)."""
    head = drop_article(strip_proclitics(norm))
    return head in SOURCE_HEADS or (head.endswith("ا") and head[:-1] in SOURCE_HEADS)


# Adjectives of a described source besides the nisba ones (مسؤول أمني كبير, مصدر مطلع).
SOURCE_ADJECTIVES = norm_set("كبير", "كبيرة", "كبار", "بارز", "بارزة", "بارزين", "بارزون", "رفيع", "رفيعة",
                             "سابق", "سابقة", "مطلع", "مطلعة", "مطلعين", "مطلعون", "مقرب", "مقربة",
                             "آخر", "آخرون", "آخرين", "أخرى", "رسمي", "رفيع المستوى")  # fmt: skip


def is_adjective(norm: str) -> bool:
    """True for a nisba adjective (أمني, إيرانية, عراقيون) or a common one of sources (كبير, مطلع)."""
    return norm in SOURCE_ADJECTIVES or (len(norm) > 3 and norm.endswith(("ي", "ية", "يا", "يون", "يين")))


def is_plural_cue(word: str) -> bool:
    """True for a cue in the masculine plural: مشيرين, مؤكدون, قالوا, يقولون."""
    norm = bare(normalize(word))
    return norm in LEXICON and norm.endswith(("ين", "ون", "وا"))


def is_plural(norms: Iterable[str]) -> bool:
    """True when a speaker phrase names several sources (مصادر, مسؤولون, دبلوماسيان, خمسة من...)."""
    return any(drop_article(strip_proclitics(w)) in PLURAL_HEADS for w in norms)
