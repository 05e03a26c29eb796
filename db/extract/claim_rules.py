"""Word lists and token rules for reported speech: cues, markers, outlets, speaker and content spans."""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field

from qexplore.db.arabic import Token, drop_article, normalize, strip_proclitics, tokens
from qexplore.db.models import Mention, Sentence

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


def _n(*items: str) -> frozenset[str]:
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
ATTRIBUTION = _n("حسب", "بحسب", "وفق", "وفقا", "نقلا")
# Participles that open a second claim of the same speaker even without a marker (مؤكداً وقوف طهران).
STRONG_PARTICIPLES = _n("موكد", "مشير", "مضيف", "موضح", "محذر", "معتبر", "مردف", "مدعي", "قايل")
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
NEGATIONS = _n("لم", "لن", "لا", "ما", "ولم", "ولن", "ولا")
MARKERS = _n("أن", "إن", "بأن", "فإن", "وأن", "أنه", "أنها", "إنه", "إنها", "أنهم", "إنهم", "بأنه",
             "بأنها", "بأنهم", "فإنه", "أنّ", "إنّ")  # fmt: skip
# Markers kept inside the content: the pronoun is part of what was said (إنها ستواصل).
PRONOUN_MARKERS = _n("أنه", "أنها", "إنه", "إنها", "أنهم", "إنهم", "بأنه", "بأنها", "بأنهم", "فإنه")
CHANNELS = _n("حديث", "حديثه", "حديثها", "حديثهم", "تصريح", "تصريحات", "تصريحه", "تصريحها", "بيان",
              "بيانه", "تغريدة", "تغريدات", "مقابلة", "منشور", "رسالة", "كلمة", "تدوينة")  # fmt: skip
TALK_VERBS = _n("تحدث", "تحدثت", "تحدثوا", "يتحدث", "حديثه", "حديثها", "حديث")
MEDIA_HEADS = _n("موقع", "صحيفة", "وكالة", "قناة", "شبكة", "مجلة", "إذاعة", "تلفزيون", "جريدة")
PLATFORMS = _n("تويتر", "إكس", "فيسبوك", "تلغرام", "تيليغرام", "إنستغرام", "يوتيوب")
# Wire agencies: a report by one of them, translated by the publisher, is a link of the relay chain.
AGENCIES = _n("رويترز", "فرانس برس", "أسوشيتد برس", "الأناضول", "بلومبرغ", "أ ف ب", "د ب أ", "إرنا",
              "تسنيم", "فارس", "سبوتنيك")  # fmt: skip
FUNCTION_SUBJECTS = _n("و", "قد", "وقد", "كما", "وكان", "كان", "وكانت", "كانت", "لكن", "لكنه", "لكنها",
                       "لكنهم", "ولكنه", "ولكنها", "وهو", "وهي", "ثم", "حيث", "فيما", "بينما", "وبينما",
                       "إذ", "بل", "أنه", "إنه", "أنها", "إنها", "فقد", "ولكن", "كما", "فيما")  # fmt: skip
# Heads of a speaker phrase that describe rather than name (مصدر, مسؤول, أحد قادة...).
SOURCE_HEADS = frozenset(drop_article(w) for w in _n(
    "مصدر", "مصادر", "مصدرا", "مصدران", "مسؤول", "مسؤولون", "مسؤولين", "مسؤولو", "مسؤولي", "مسؤولان",
    "دبلوماسي", "دبلوماسيون", "دبلوماسيين", "دبلوماسيان", "قيادي", "قياديون", "قياديين", "أحد",
    "سياسي", "سياسيون", "سياسيين", "سياسيان", "متحدث", "ناطق", "مراقبون", "خبراء", "خبير", "شهود",
    "شاهد", "عضو", "أعضاء", "قائد", "قادة", "ضابط", "ضباط", "مقرب", "مقربون", "عدة", "بعض", "جميع",
    "خمسة", "عشرة", "تسعة", "ثلاثة", "أربعة", "ستة", "سبعة", "ثمانية", "اثنين", "اثنان", "وسائل",
    "التقرير", "تقرير", "مصدرها", "مصادرها", "مصادره", "ممثل", "مستشار", "نائب", "محلل", "محللون",
))  # fmt: skip
PLURAL_HEADS = frozenset(drop_article(w) for w in _n(
    "مصادر", "مصدران", "مسؤولون", "مسؤولين", "مسؤولو", "مسؤولي", "مسؤولان", "دبلوماسيون",
    "دبلوماسيين", "دبلوماسيان", "قياديون", "قياديين", "سياسيون", "سياسيين", "سياسيان", "مراقبون",
    "خبراء", "شهود", "أعضاء", "قادة", "ضباط", "مقربون", "وسائل", "مصادرها", "مصادره", "محللون",
    "عدة", "خمسة", "عشرة", "تسعة", "ثلاثة", "أربعة", "ستة", "سبعة", "ثمانية", "اثنين", "اثنان",
))  # fmt: skip
RELATIVES = _n("الذي", "التي", "الذين", "اللذين", "اللتين", "اللذان")
DEMONSTRATIVES = _n("هذه", "هذا", "هؤلاء", "تلك", "ذلك")
ANONYMISERS = _n("اسمه", "اسمها", "هويته", "هويتها", "هويتهم", "أسمائهم", "اسمائهم")
ANAPHORS = _n("ذاته", "ذاتها", "نفسه", "نفسها", "ذاتهم", "أنفسهم", "ذاتها")
TRAILING_ADVERBS = _n("أيضا", "أيضاً", "حينها", "علنا", "سرا", "اليوم", "أمس", "الاثنين", "الثلاثاء",
                      "الأربعاء", "الخميس", "الجمعة", "السبت", "الأحد", "مجددا", "بدوره")  # fmt: skip
# Non-responses: «لم يرد على طلبات التعليق», «رفض التعليق», «لم تتلق ردودا».
_NO_REPLY_VERBS = _n("يرد", "ترد", "يردوا", "يردا", "تردا")
_NO_REPLY_OBJECTS = _n("طلب", "طلبات", "التعليق", "للتعليق", "تعليق", "أسئلة", "الأسئلة", "سؤال",
                       "اتصالات", "رسائل", "استفسارات", "أيضا", "أيضاً")  # fmt: skip
_REFUSALS = _n("رفض", "رفضت", "رفضوا", "يرفض", "ترفض", "امتنع", "امتنعت", "امتنعوا")
_REFUSED = _n("التعليق", "الإدلاء", "الكشف", "الإفصاح", "الرد")
_RECEIPTS = _n("تتلق", "يتلق", "نتلق", "يتسن", "تتمكن", "يتمكن")
_REPLIES = _n("ردا", "ردود", "ردودا", "رد", "إجابة", "إجابات", "للتعليق", "التعليق")


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


def is_plural(norms: Iterable[str]) -> bool:
    """True when a speaker phrase names several sources (مصادر, مسؤولون, دبلوماسيان, خمسة من...)."""
    return any(drop_article(strip_proclitics(w)) in PLURAL_HEADS for w in norms)


def no_comment_at(toks: Sequence[Token], i: int) -> int | None:
    """Return the index after the verb of a non-response that starts at token ``i``, or None."""
    norm = toks[i].norm
    window = [t.norm for t in toks[i + 1 : i + 30]]
    if norm in ("لم", "ولم", "لا", "ولا") and i + 1 < len(toks):
        verb = toks[i + 1].norm
        if verb in _NO_REPLY_VERBS and any(w in _NO_REPLY_OBJECTS for w in window[1:]):
            return i + 2
        if verb in _RECEIPTS and any(w in _REPLIES for w in window[1:]):
            return i + 2
    refusal = norm[1:] if norm[:1] in "وف" and norm[1:] in _REFUSALS else norm
    if refusal in _REFUSALS and any(w in _REFUSED for w in window[:3]):
        return i + 1
    return None


PREPOSITIONS = frozenset(("في", "من", "علي", "عن", "الي", "مع", "بين", "ل", "لدي", "حول"))
MAX_SPEAKER = 30


@dataclass(slots=True)
class View:
    """A sentence as tokens, with the article's mentions that fall inside it (offsets into the sentence)."""

    sentence: Sentence
    toks: list[Token]
    mentions: list[tuple[int, int, int, str]]  # (index in the article list, start, end, type)
    publisher: str | None

    @classmethod
    def of(cls, sentence: Sentence, mentions: Sequence[Mention], publisher: str | None) -> View:
        """Return the view of ``sentence`` with the mentions that lie inside it."""
        inside = [
            (k, m.start - sentence.start, m.end - sentence.start, m.type)
            for k, m in enumerate(mentions)
            if m.start >= sentence.start and m.end <= sentence.end and m.type in ("PER", "ORG", "LOC")
        ]
        return cls(sentence, list(tokens(sentence.text)), inside, publisher)

    @property
    def text(self) -> str:
        return self.sentence.text

    def gap(self, i: int) -> str:
        """Return the text between token ``i - 1`` and token ``i`` (the sentence end for i = len)."""
        lo = self.toks[i - 1].end if i > 0 else 0
        hi = self.toks[i].start if i < len(self.toks) else len(self.text)
        return self.text[lo:hi]

    def mention_at(self, i: int) -> tuple[int, int, int, str] | None:
        """Return the mention that token ``i`` starts (a clitic in front allowed), or None."""
        tok = self.toks[i]
        return next((m for m in self.mentions if tok.start <= m[1] < tok.end), None)

    def mention_ending(self, i: int) -> tuple[int, int, int, str] | None:
        """Return the mention that ends with token ``i``, or None."""
        return next((m for m in self.mentions if m[2] == self.toks[i].end), None)

    def index_at(self, pos: int) -> int:
        """Return the index of the first token that ends after sentence offset ``pos``."""
        return next((k for k, t in enumerate(self.toks) if t.end > pos), len(self.toks))


@dataclass(slots=True)
class Draft:
    """One claim being built: token indexes and sentence offsets, before speakers are resolved."""

    cue: tuple[int, int]  # sentence offsets of the cue
    lemma: str
    kind: str  # verb | participle | noun | attrib | headline
    quote_type: str
    speaker: tuple[int, int] | None = None
    content: tuple[int, int] = (0, 0)
    outlet: tuple[int, int] | None = None
    clause_start: int = 0  # where the clause of this cue begins (to end the previous claim's content)
    sequential: bool = False  # a new clause («، وقالت واشنطن», «، مشيراً»), not speech inside speech
    parent: int | None = None
    extra: dict[str, str] = field(default_factory=dict)


def has_comma(text: str) -> bool:
    return any(ch in COMMAS for ch in text)


def has_quote(text: str) -> bool:
    return any(ch in OPEN_QUOTES or ch in CLOSE_QUOTES for ch in text)


def quoted_name(v: View, i: int) -> tuple[int, int, int] | None:
    """Return (end token, start, end) of a short quoted name opening before token ``i``."""
    if i >= len(v.toks) or not has_quote(v.gap(i)):
        return None
    for k in range(i, min(i + 5, len(v.toks))):
        if has_quote(v.gap(k + 1)):
            return k + 1, v.toks[i].start, v.toks[k].end
        if k > i and (has_comma(v.gap(k)) or ":" in v.gap(k)):
            return None
    return None


def _is_outlet_name(v: View, lo: int, hi: int) -> bool:
    name = normalize(v.text[lo:hi])
    heads = name.split()[:1]
    return (
        name in AGENCIES
        or (v.publisher is not None and name == normalize(v.publisher))
        or bool(heads and heads[0] in MEDIA_HEADS)
        or bool(heads and heads[0] in PLATFORMS)
    )


def outlet_at(v: View, k: int) -> tuple[int, int, int] | None:
    """Return (end token, start, end) of an outlet opening at token ``k``: لـ"X", لرويترز, لموقع "X"."""
    tok = v.toks[k]
    if not tok.norm.startswith("ل"):
        return None
    rest = tok.norm[1:]
    if rest in MEDIA_HEADS:
        named = quoted_name(v, k + 1)
        return named or (k + 1, tok.start + 1, tok.end)
    if rest in AGENCIES or (v.publisher and rest == normalize(v.publisher)):
        return k + 1, tok.start + 1, tok.end
    named = quoted_name(v, k + 1) if tok.norm == "ل" else None
    if named is None:
        return None
    after = v.toks[named[0]] if named[0] < len(v.toks) else None
    talk = k > 0 and (v.toks[k - 1].norm in TALK_VERBS or v.toks[k - 1].norm in CHANNELS)
    opens = after is not None and (is_marker(after) or ":" in v.gap(named[0]))
    return named if talk or opens or _is_outlet_name(v, named[1], named[2]) else None


def channel_at(v: View, k: int) -> bool:
    """True when token ``k`` opens «في حديثه/في بيان/في تغريدة...»."""
    return v.toks[k].norm == "في" and k + 1 < len(v.toks) and v.toks[k + 1].norm in CHANNELS


def platform_after(v: View, k: int) -> tuple[int, int, int] | None:
    """Return (end token, start, end) of the platform of «في تغريدة على/بموقع تويتر» at token ``k``."""
    if not channel_at(v, k):
        return None
    for j in range(k + 2, min(k + 5, len(v.toks))):
        norm = v.toks[j].norm
        if norm in PLATFORMS or norm[1:] in PLATFORMS:
            start = v.toks[j].start + (0 if norm in PLATFORMS else 1)
            return j + 1, start, v.toks[j].end
    return None


def right_speaker(v: View, j: int, prep: str | None) -> int:
    """Return the token index where a speaker written after its cue (VSO) ends."""
    k = j
    while k < len(v.toks) and k - j < MAX_SPEAKER:
        tok, gap = v.toks[k], v.gap(k)
        if ":" in gap or (has_quote(gap) and quoted_name(v, k) is None):
            break
        if is_marker(tok) or is_attribution(v.toks, k) or outlet_at(v, k) or channel_at(v, k):
            break
        if tok.norm in TALK_VERBS or (prep in ("الي", "عن", "ب") or k == j) and opens_with_prep(tok, prep):
            break
        if k > j and has_comma(gap) and cue_form(v.toks, k) is not None:
            break
        k += 1
    return k if k - j < MAX_SPEAKER else j


def trim(v: View, lo: int, hi: int) -> int:
    """Return ``hi`` with trailing adverbs and dangling words of a speaker phrase removed."""
    drop = TRAILING_ADVERBS | RELATIVES | PREPOSITIONS
    while hi > lo + 1 and v.toks[hi - 1].norm in drop:
        hi -= 1
    return hi


def cut_object(v: View, lo: int, hi: int) -> int:
    """End a speaker at its first mention when another mention (the object) follows it directly."""
    first = v.mention_at(lo)
    if first is None:
        return hi
    nxt = v.index_at(first[2])
    if lo < nxt < hi and not has_comma(v.gap(nxt)):
        norm = v.toks[nxt].norm
        clitic = norm.startswith("ل") and strip_proclitics(norm) != norm
        if v.mention_at(nxt) is not None or norm in PREPOSITIONS or clitic:
            return nxt
    return hi


def left_speaker(v: View, i: int) -> tuple[int, int] | None:
    """Return the token range of a subject written before its cue (SVO), or None when it is implicit."""
    if v.toks[i].norm[:1] in "وف" and v.toks[i].norm not in LEXICON and has_comma(v.gap(i)):
        return None  # «، ويرى»: a second verb of the same subject
    fronted = i > 0 and has_comma(v.gap(i))
    limit = MAX_SPEAKER if fronted else 10
    lo = i
    for k in range(i - 1, max(-1, i - 1 - limit), -1):
        tok, gap = v.toks[k], v.gap(k + 1)
        if is_marker(tok) or cue_form(v.toks, k) is not None or is_attribution(v.toks, k):
            break
        if k + 1 < i and (":" in gap or (not fronted and (has_comma(gap) or has_quote(gap)))):
            break
        lo = k
    while lo < i and v.toks[lo].norm in FUNCTION_SUBJECTS:
        lo += 1
    if lo >= i:
        return None
    head = drop_article(strip_proclitics(v.toks[lo].norm))
    if fronted and lo > 0 and not is_marker(v.toks[lo - 1]):
        return None  # a subject fronted before a comma opens the sentence or the reported clause
    if fronted or v.mention_ending(i - 1) is not None or head in SOURCE_HEADS:
        return lo, i
    return None


def content_start(v: View, k0: int, prep: str | None) -> tuple[int, str] | None:
    """Return (sentence offset, quote type) where the content of a cue opens, searching from ``k0``."""
    k = k0
    while k < min(len(v.toks), k0 + 40):
        tok = v.toks[k]
        if ":" in v.gap(k) and k > 0:
            return v.toks[k].start, "direct"
        if is_marker(tok):
            if tok.norm in PRONOUN_MARKERS or k + 1 >= len(v.toks):
                return tok.start, "indirect"
            return v.toks[k + 1].start, "direct" if has_quote(v.gap(k + 1)) else "indirect"
        if opens_with_prep(tok, prep) and not (k + 1 < len(v.toks) and is_marker(v.toks[k + 1])):
            return tok.start, "direct" if has_quote(v.text[tok.end : tok.end + 2]) else "indirect"
        if k == k0 and k > 0 and has_quote(v.gap(k)) and quoted_name(v, k) is None:
            return tok.start, "direct"
        if has_comma(v.gap(k)) and cue_form(v.toks, k) is not None:
            return None
        skip = outlet_at(v, k) or platform_after(v, k)
        k = skip[0] if skip else k + (2 if channel_at(v, k) else 1)
    return None


def find_outlet(v: View, lo: int, hi: int) -> tuple[int, int] | None:
    """Return the span of the outlet named between tokens ``lo`` and ``hi`` (speaker and interlude)."""
    for k in range(lo, min(hi, len(v.toks))):
        found = outlet_at(v, k) or platform_after(v, k)
        if found:
            return found[1], found[2]
        head = drop_article(v.toks[k].norm)
        if head in ("مصدر", "مصادر") and (named := quoted_name(v, k + 1)):
            return named[1], named[2]
    return None
