"""Dates in Arabic news text: numeric, month-name, ordinal and relative forms, with offsets.

Decisions (each one pinned by tests/test_dates.py):

* A value is an ISO string cut to its precision: "2021-07-28" (day), "2021-07" (month), "2021" (year).
  A day or month written without a year, with no reference date to lend one, keeps the year unknown
  and is written in ISO 8601's truncated form: "--01-29" (day), "--07" (month). No year is invented.
* ``basis``: "stated" (the text gives the whole date), "stated+article_year" (the text gives the day
  or month, the year is the reference's), "relative" (أمس، الثلاثاء، الشهر الماضي: computed from the
  reference), "inferred" (from ``infer_article_date``).
* ``==`` compares the date only (value, precision): offsets, basis, conflict and note are provenance,
  so a metadata date equals the same date stated in the text.
* Dual names that disagree ("تشرين الأول/نوفمبر") are flagged (``conflict``, ``note``) and the Gregorian
  name wins: in translated wire copy the Levantine name is the more frequent slip.
* A borrowed year is the one that puts the date nearest the reference (within six months): "29 ديسمبر"
  in an article of 2021-01-03 is 2020-12-29. With الماضي/المقبل after the month, the nearest such date
  strictly before/after the reference; with a month-only reference in the same month, no year.
* A bare weekday is the most recent such day on or before the reference (news reports the past);
  "الثلاثاء الماضي" is strictly before it, "الثلاثاء المقبل" strictly after. ليلة X resolves to X, with a
  note (it can name the eve of X). A weekday right before a stated date yields only the stated date.
* Relative forms resolve only as far as the reference's precision allows, else nothing is returned
  (no unresolved record): day words (أمس، اليوم، الثلاثاء) need a day, "الشهر الماضي" a month,
  "العام الماضي" a year. "الأسبوع الماضي/المقبل" and "هذا الأسبوع" give a month only when every day the
  week can cover (reference -13..-1, -6..+6, +1..+13 days, whatever day weeks start on) lies in one month.
* A reference outside 1900-2100 is ignored (treated as absent) rather than raising.
* A four-digit number is a year only in 1900-2100 and only after عام/العام/سنة, after a preposition
  (في، منذ، خلال...; not when a counted noun follows: "في 2000 شخص"), or alone before punctuation;
  never right after another number (phone numbers) or after a naming word (رؤية 2030، البرج 2020).
* ``article_date_from_text``: a text that prints no date of its own is dated to the month of the latest
  date it reports (the latest day/month with a year, and the year-less ones placed around it), basis
  "inferred"; nothing when every year-less date would fall in an earlier year (the anchor is background).
* Offsets are into the original text: it is normalised one character at a time so that every
  normalised character knows its source; a span ends after any harakat or tatweel on its last letter.
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field, replace
from datetime import date, timedelta
from functools import lru_cache
from itertools import compress
from typing import NamedTuple, TypeAlias

from qexplore.db.arabic import normalize


@dataclass(frozen=True, slots=True)
class FoundDate:
    """A date: ISO value cut to its precision (day | month | year), where it came from, and its span."""

    value: str
    precision: str
    basis: str = field(default="stated", compare=False)
    start: int = field(default=-1, compare=False)  # offsets into the original text; -1 when not from text
    end: int = field(default=-1, compare=False)
    conflict: bool = field(default=False, compare=False)
    note: str = field(default="", compare=False)


class _Ref(NamedTuple):
    year: int
    month: int | None
    day: int | None


Reference: TypeAlias = date | str | FoundDate | None
_Handler: TypeAlias = Callable[[re.Match[str], _Ref | None], FoundDate | None]

D = "[0-9]"
_GREGORIAN = (
    "يناير جانفي january jan", "فبراير فيفري february feb", "مارس march mar", "ابريل افريل april apr",
    "مايو ماي may", "يونيو يونيه جوان june jun", "يوليو يوليه جويلية يوليوز july jul",
    "اغسطس اوت غشت august aug", "سبتمبر شتنبر september sept sep", "اكتوبر october oct",
    "نوفمبر نونبر november nov", "ديسمبر دجنبر december dec",
)  # fmt: skip
_LEVANTINE = ("كانون الثاني", "شباط", "اذار", "نيسان", "ايار", "حزيران", "تموز", "اب", "ايلول",
              "تشرين الاول", "تشرين الثاني", "كانون الاول")  # fmt: skip
_MONTHS: dict[str, tuple[int, bool]] = {  # normalised name -> (month, is Levantine)
    **{n: (i, False) for i, names in enumerate(_GREGORIAN, 1) for n in names.split()},
    **{n: (i, True) for i, n in enumerate(_LEVANTINE, 1)},
}
# Names that are also common words (آب father, مارس practised): alone they need شهر or a year.
_AMBIGUOUS = frozenset({"اب", "مارس", "ماي"} | {n for n in _MONTHS if n.isascii() and len(n) <= 4})
_MONTH = "|".join(n.replace(" ", r"\s+") for n in sorted(_MONTHS, key=len, reverse=True))
_PAIR = rf"(?P<m1>{_MONTH})(?!\w)(?:\s*/\s*(?P<m2>{_MONTH})(?!\w))?"
_SHIFT = {"الماضي": -1, "المنصرم": -1, "الفائت": -1, "المقبل": 1, "القادم": 1, "الحالي": 0, "الجاري": 0}
_REL = r"(?:الماضي|المنصرم|الفائت|المقبل|القادم)ة?(?!\w)"
_YEAR_NUM = rf"(?P<year>{D}{{4}})(?!{D})(?:\s?م(?!\w))?"  # 2021م: the م marks the Gregorian era
_YEAR_TAIL = rf"(?:\s*[,،]?\s*(?:(?:من\s+)?(?:عام|العام|سنة|السنة)\s+)?{_YEAR_NUM}|\s+(?P<rel>{_REL}))?"
_UNITS = {"اول": 1, "حادي": 1, "واحد": 1, "ثاني": 2, "ثالث": 3, "رابع": 4, "خامس": 5, "سادس": 6,
          "سابع": 7, "ثامن": 8, "تاسع": 9}  # fmt: skip
_TENS = {"عاشر": 10, "عشرين": 20, "عشرون": 20, "ثلاثين": 30, "ثلاثون": 30}
_T = "عشرين|عشرون|ثلاثين|ثلاثون"
_ORD = (
    rf"(?:ال)?(?P<u>{'|'.join(_UNITS)})(?:\s+(?P<teen>عشر)|\s+و\s*(?:ال)?(?P<t>{_T}))?(?!\w)"
    rf"|(?:ال)?(?P<t0>عاشر|{_T})(?!\w)"
)
_WEEKDAYS = {"الاثنين": 0, "الثلاثاء": 1, "الاربعاء": 2, "الخميس": 3, "الجمعة": 4, "السبت": 5, "الاحد": 6}
_DAY_WORDS = {"اول من امس": -2, "اول امس": -2, "امس الاول": -2, "امس": -1, "الامس": -1, "البارحة": -1,
              "اليوم": 0, "غدا": 1, "الغد": 1, "بعد غد": 2}  # fmt: skip
_PARTS = "يوم|صباح|مساء|ليلة|ظهر|عصر|فجر|نهار|صبيحة|ظهيرة|اليوم|امس"
_PREPS = r"و?(?:في|منذ|خلال|حتى|مطلع|اوائل|اواسط|منتصف|اواخر|نهاية|بداية|قبل|بعد)"


def _words(table: Iterable[str]) -> str:
    return "|".join(w.replace(" ", r"\s+") for w in sorted(table, key=len, reverse=True))


_NO_RUN = rf"(?<!{D})(?<!{D}[-/.+])"  # not the tail of a longer run of numbers (a phone number)
_YMD = re.compile(rf"{_NO_RUN}(?P<year>{D}{{4}})(?P<s>[-/.])(?P<mon>{D}{{1,2}})(?P=s)(?P<day>{D}{{1,2}})"
                  rf"(?!{D}|[-/.]{D})")  # fmt: skip
_DMY = re.compile(rf"{_NO_RUN}(?P<day>{D}{{1,2}})(?P<s>[-/.])(?P<mon>{D}{{1,2}})(?P=s)(?P<year>{D}{{4}})"
                  rf"(?!{D}|[-/.]{D})")  # fmt: skip
_MDY = re.compile(rf"(?<!\w){_PAIR}\s+(?P<day>{D}{{1,2}}),?\s+{_YEAR_NUM}")
_DAY_MONTH = re.compile(
    rf"(?<!\w)(?P<d>(?:(?P<day>{D}{{1,2}})(?!{D})|(?P<ord>{_ORD}))\s*(?:من\s+)?(?:شهر\s+)?{_PAIR}{_YEAR_TAIL})"
)
_MONTH_ONLY = re.compile(rf"(?<!\w)(?:(?P<prep>{_PREPS}|شهر)\s+)?(?P<d>{_PAIR}{_YEAR_TAIL})")
_DAY_REL = re.compile(
    rf"(?<!\w)[وف]?ب?(?P<d>(?:(?:{_PARTS})\s+){{0,2}}"
    rf"(?:(?P<wd>{_words(_WEEKDAYS)})(?:\s+(?P<rel>{_REL}))?|(?P<word>{_words(_DAY_WORDS)}))(?!\w))"
)
_PERIOD = re.compile(
    r"(?<!\w)(?P<d>(?P<unit>الشهر|العام|السنة|الاسبوع)\s+(?P<rel>(?:الماضي|المنصرم|الفائت|المقبل|القادم"
    r"|الحالي|الجاري)ة?)|(?:هذا|هذه)\s+(?P<unit2>الشهر|العام|السنة|الاسبوع))(?!\w)"
)
_YEAR = re.compile(rf"(?<!\w)(?:(?P<prep>{_PREPS})\s+)?و?ل?(?P<d>(?:(?P<kw>عام|العام|سنة|السنة)\s+)?"
                   rf"(?P<year>{D}{{4}})(?!{D}|[-/.:]{D})(?:\s?م(?!\w))?)")  # fmt: skip
_PREV_WORD = re.compile(r"(\w+)\W*$")
_AFTER_NUMBER = re.compile(rf"{D}[\s\-/.+]*$")
_CLAUSE_END = re.compile(r"\s*(?:[.,،؛;:!?)\]»\"'\n]|$)")
_COUNTED = re.compile(r"\s*(?:%|عام|سنة|شخص|دولار|جندي|عنصر|مقاتل|قتيل|جريح|مليون|الف|كيلو|متر|برميل|طن)")
_NOT_YEAR_HEADS = frozenset("روية رقم الرقم قرار القرار هاتف الهاتف برج البرج طراز موديل المادة مادة".split())
_NOT_TODAY_AFTER = re.compile(r"\s+(?:ال\w+|نفسه|ذاته)")
_NOT_TODAY_BEFORE = frozenset(("في", "ذلك", "هذا", "ذات"))
_TEEN = re.compile(r"\s+عشر(?!\w)")  # الأحد عشر is eleven
_SEPARATOR = re.compile(r"\s*[,،-]?\s*")
_ISO = re.compile(rf"\s*({D}{{4}})(?:-({D}{{1,2}})(?:-({D}{{1,2}}))?)?(?:[t ][0-9:.+\-z]*)?\s*")
_WEEK_WINDOW = {-1: (-13, -1), 0: (-6, 6), 1: (1, 13)}


class _CharTable(dict[int, str]):
    """str.translate table: each code point to its normalised form, filled in on first sight.

    ``resized`` collects the characters whose form is not exactly one character (harakat and tatweel
    vanish, a ligature splits): only a text holding one of them needs an offset map built. ``sizes``
    is a second table, each code point to the character whose code is the length of its form.
    """

    def __init__(self) -> None:
        super().__init__()
        self.resized: set[str] = set()
        self.sizes: dict[int, str] = {}

    def __missing__(self, code: int) -> str:
        ch = chr(code)
        norm = self[code] = normalize(ch)
        self.sizes[code] = chr(len(norm))
        if len(norm) != 1:
            self.resized.add(ch)
        return norm


_CHARS = _CharTable()


def _normalize_mapped(text: str) -> tuple[str, list[int]]:
    """Return normalised ``text`` and, for each of its characters, the index of its source character.

    Each character is normalised on its own (so that offsets map back); when none changes length
    the map is the identity, and when some only vanish it keeps the indices of the others.
    """
    norm = text.translate(_CHARS)  # fills in _CHARS.sizes for every character of text
    if _CHARS.resized.isdisjoint(text):
        return norm, list(range(len(text)))
    sizes = text.translate(_CHARS.sizes)
    if max(sizes) <= "\x01":  # characters only vanish: keep the others
        return norm, list(compress(range(len(text)), sizes.encode("latin-1")))
    where: list[int] = []
    for i, size in enumerate(sizes):
        where.extend([i] * ord(size))
    return norm, where


def _original_end(text: str, where: list[int], end: int) -> int:
    """Map a normalised end offset back, keeping the harakat and tatweel on the span's last letter."""
    pos = where[end - 1] + 1
    while pos < len(text) and (unicodedata.category(text[pos]) == "Mn" or text[pos] == "\u0640"):
        pos += 1
    return pos


def _iso(year: int | None, month: int, day: int | None) -> str | None:
    """Return the ISO value of a valid date in 1900-2100 ("--MM[-DD]" when the year is unknown)."""
    if year is not None and not 1900 <= year <= 2100:
        return None
    try:
        date(year or 2000, month, day or 1)  # 2000 is a leap year: "--02-29" stays valid
    except ValueError:
        return None
    head = f"{year:04d}-{month:02d}" if year is not None else f"--{month:02d}"
    return head + (f"-{day:02d}" if day else "")


def _iso_ref(text: str) -> _Ref | None:
    """Read an ISO date, month or year (with any time part) as metadata gives it."""
    m = _ISO.fullmatch(normalize(text))
    if not m:
        return None
    year, month, day = int(m[1]), int(m[2]) if m[2] else None, int(m[3]) if m[3] else None
    return _Ref(year, month, day) if _iso(year, month or 1, day) else None


def _to_ref(reference: Reference) -> _Ref | None:
    if isinstance(reference, date):
        ref: _Ref | None = _Ref(reference.year, reference.month, reference.day)
    elif isinstance(reference, FoundDate):
        ref = _iso_ref(reference.value)
    else:
        ref = _iso_ref(reference) if reference else None
    return ref if ref and 1900 <= ref.year <= 2100 else None


def _key(name: str) -> str:
    return re.sub(r"\s+", " ", name)


def _prev_word(s: str, i: int) -> str:
    m = _PREV_WORD.search(s[max(0, i - 40) : i])
    return m[1] if m else ""


def _month(m: re.Match[str]) -> tuple[int, str]:
    """Return the month of a (possibly dual) name and a note when the two names disagree."""
    first = _MONTHS[_key(m["m1"])]
    second = _MONTHS[_key(m["m2"])] if m["m2"] else first
    if first[0] == second[0]:
        return first[0], ""
    kept = second if first[1] and not second[1] else first
    return kept[0], f"dual month names disagree ({m['m1']}/{m['m2']}): kept the Gregorian one, {kept[0]}"


def _borrow_year(month: int, day: int | None, ref: _Ref | None, rel: str | None) -> int | None:
    """Return the reference year that fits a day or month written without one (see module notes)."""
    if ref is None:
        return None
    if rel is None:
        if ref.month is None:
            return ref.year
        diff = month - ref.month
        return ref.year + (diff < -6) - (diff > 6)
    if ref.month is None or (day and ref.day is None and month == ref.month):
        return None
    here, now = (month, day or 0), (ref.month, (ref.day or 0) if day else 0)
    if _SHIFT[rel.removesuffix("ة")] < 0:
        return ref.year if here < now else ref.year - 1
    return ref.year if here > now else ref.year + 1


def _stated(m: re.Match[str], ref: _Ref | None, day: int | None) -> FoundDate | None:
    month, note = _month(m)
    rel = m.groupdict().get("rel")
    year = int(m["year"]) if m["year"] else _borrow_year(month, day, ref, rel)
    value = _iso(year, month, day)
    if value is None:
        return None
    basis = "stated" if m["year"] or year is None else "stated+article_year"
    return FoundDate(value, "day" if day else "month", basis, conflict=bool(note), note=note)


def _ordinal(m: re.Match[str]) -> int | None:
    if m["t0"]:
        return _TENS[m["t0"]]
    unit = _UNITS[m["u"]]
    if m["teen"]:
        return None if m["u"] == "اول" else unit + 10
    if m["t"]:
        return unit + _TENS[m["t"]]
    return None if m["u"] in ("حادي", "واحد") else unit


def _on_numeric(m: re.Match[str], ref: _Ref | None) -> FoundDate | None:
    value = _iso(int(m["year"]), int(m["mon"]), int(m["day"]))
    return FoundDate(value, "day") if value else None


def _on_mdy(m: re.Match[str], ref: _Ref | None) -> FoundDate | None:
    return _stated(m, ref, int(m["day"]))


def _on_day_month(m: re.Match[str], ref: _Ref | None) -> FoundDate | None:
    day = int(m["day"]) if m["day"] else _ordinal(m)
    return _stated(m, ref, day) if day else None


def _on_month(m: re.Match[str], ref: _Ref | None) -> FoundDate | None:
    if not (m["year"] or m["rel"] or m["prep"]):
        return None  # a month name alone is too often a word or a heading
    if not (m["year"] or m["rel"] or m["m2"] or m["prep"] == "شهر") and _key(m["m1"]) in _AMBIGUOUS:
        return None
    return _stated(m, ref, None)


def _weekday(today: date, weekday: int, rel: str | None) -> date:
    back = (today.weekday() - weekday) % 7
    if rel and _SHIFT[rel.removesuffix("ة")] > 0:
        return today + timedelta(days=(weekday - today.weekday()) % 7 or 7)
    return today - timedelta(days=back or (7 if rel else 0))


def _not_a_day(m: re.Match[str]) -> bool:
    """True for the words that only look like day names here (بين الاثنين، الأحد عشر، اليوم التالي)."""
    s = m.string
    if m["wd"]:
        prev = _prev_word(s, m.start("d"))
        if (m["wd"] == "الاثنين" and prev in ("بين", "وبين", "كلا")) or (
            m["wd"] == "الاحد" and _TEEN.match(s, m.end())
        ):
            return True
        ahead = _SEPARATOR.match(s, m.end())
        pos = ahead.end() if ahead else m.end()
        return any(p.match(s, pos) for p in (_YMD, _DMY, _DAY_MONTH))  # the stated date says it all
    if _key(m["word"]) != "اليوم":
        return False
    return _prev_word(s, m.start("word")) in _NOT_TODAY_BEFORE or bool(_NOT_TODAY_AFTER.match(s, m.end()))


def _on_day_word(m: re.Match[str], ref: _Ref | None) -> FoundDate | None:
    if ref is None or ref.month is None or ref.day is None or _not_a_day(m):
        return None
    today = date(ref.year, ref.month, ref.day)
    if m["wd"]:
        when = _weekday(today, _WEEKDAYS[m["wd"]], m["rel"])
    else:
        when = today + timedelta(days=_DAY_WORDS[_key(m["word"])])
    note = "ليلة can name the eve of the day" if m["d"].startswith("ليلة") else ""
    return FoundDate(when.isoformat(), "day", "relative", note=note)


def _week(ref: _Ref, shift: int) -> FoundDate | None:
    if ref.month is None or ref.day is None:
        return None
    today = date(ref.year, ref.month, ref.day)
    first, last = (today + timedelta(days=n) for n in _WEEK_WINDOW[shift])
    if (first.year, first.month) != (last.year, last.month):
        return None
    return FoundDate(f"{first.year:04d}-{first.month:02d}", "month", "relative", note="a week, as its month")


def _on_period(m: re.Match[str], ref: _Ref | None) -> FoundDate | None:
    if ref is None:
        return None
    unit = m["unit"] or m["unit2"]
    shift = _SHIFT[m["rel"].removesuffix("ة")] if m["rel"] else 0
    if unit in ("العام", "السنة"):
        return FoundDate(f"{ref.year + shift:04d}", "year", "relative")
    if unit == "الاسبوع":
        return _week(ref, shift)
    if ref.month is None:
        return None
    year, month = divmod(ref.year * 12 + ref.month - 1 + shift, 12)
    return FoundDate(f"{year:04d}-{month + 1:02d}", "month", "relative")


def _on_year(m: re.Match[str], ref: _Ref | None) -> FoundDate | None:
    s, start = m.string, m.start("d")
    year = int(m["year"])
    if not 1900 <= year <= 2100 or _AFTER_NUMBER.search(s[max(0, start - 8) : start]):
        return None
    if _prev_word(s, start) in _NOT_YEAR_HEADS:
        return None
    if not m["kw"] and (not m["prep"] or _COUNTED.match(s, m.end())) and not _CLAUSE_END.match(s, m.end()):
        return None
    return FoundDate(f"{year:04d}", "year")


# In priority order: a later rule never takes text an earlier one has already read as a date.
_RULES: tuple[tuple[re.Pattern[str], _Handler], ...] = (
    (_YMD, _on_numeric),
    (_DMY, _on_numeric),
    (_MDY, _on_mdy),
    (_DAY_MONTH, _on_day_month),
    (_MONTH_ONLY, _on_month),
    (_DAY_REL, _on_day_word),
    (_PERIOD, _on_period),
    (_YEAR, _on_year),
)


def find_dates(text: str, reference: Reference = None) -> list[FoundDate]:
    """Return the dates written in ``text``, in order of appearance and never overlapping.

    ``reference`` (the article's date: a ``date``, an ISO string such as "2021-07-28", "2021-12" or
    "2021", or a FoundDate) resolves relative forms and lends a year to a day written without one;
    without it those forms are skipped or keep an unknown year. Offsets index the original ``text``.
    """
    return list(_find_dates(text, reference))


@lru_cache(maxsize=512)  # the event extractor asks again for the sentences of the article it dates
def _find_dates(text: str, reference: Reference) -> tuple[FoundDate, ...]:
    norm = text.translate(_CHARS)
    cues = _cues(norm)
    if not cues:
        return ()
    ref = _to_ref(reference)
    taken: list[tuple[int, int, FoundDate]] = []
    for pattern, handler in _RULES:
        if not _NEEDS[pattern] <= cues:
            continue  # the pattern cannot match: a word or a digit it needs is not in the text
        for m in pattern.finditer(norm):
            s, e = m.span("d") if "d" in pattern.groupindex else m.span()
            if s == e or any(s < te and ts < e for ts, te, _ in taken):
                continue
            found = handler(m, ref)
            if found is not None:
                taken.append((s, e, found))
    if not taken:
        return ()
    _, where = _normalize_mapped(text)
    taken.sort(key=lambda t: t[0])
    return tuple(replace(f, start=where[s], end=_original_end(text, where, e)) for s, e, f in taken)


# What each rule needs in the normalised text: four digits (a year), a month name standing as a
# word (never after a letter: «كتاب» holds no آب), a day word, a period word. A text that lacks one
# is not searched with that rule: most sentences hold no date, and the rules' alternations are
# slower to try at every position than these tests.
_CUE_TESTS: tuple[tuple[str, Callable[[str], object]], ...] = (
    ("year", re.compile(f"{D}{{4}}").search),
    ("month", re.compile(rf"(?<![^\W\d])(?:{_MONTH})(?!\w)").search),
    ("day", re.compile(rf"(?:{_words(_WEEKDAYS)}|امس|البارحة|اليوم|غدا|غد)(?!\w)").search),
    ("period", lambda norm: any(unit in norm for unit in ("الشهر", "العام", "السنة", "الاسبوع"))),
)
_NEEDS: dict[re.Pattern[str], frozenset[str]] = {
    _YMD: frozenset({"year"}),
    _DMY: frozenset({"year"}),
    _MDY: frozenset({"year", "month"}),
    _DAY_MONTH: frozenset({"month"}),
    _MONTH_ONLY: frozenset({"month"}),
    _DAY_REL: frozenset({"day"}),
    _PERIOD: frozenset({"period"}),
    _YEAR: frozenset({"year"}),
}


def _cues(norm: str) -> frozenset[str]:
    """The kinds of date words (see _NEEDS) that occur in normalised ``norm``."""
    return frozenset(kind for kind, test in _CUE_TESTS if test(norm))


def parse_date(text: str) -> FoundDate | None:
    """Return the date of a metadata string ("2021", "2021-07", "2021-07-28T10:00:00") or the first
    date in ``text`` whose year is known (relative forms need a reference: use find_dates), else None."""
    ref = _iso_ref(text)
    if ref is not None:
        month, day = (f"-{n:02d}" if n else "" for n in ref[1:])
        return FoundDate(f"{ref.year:04d}{month}{day}", "day" if day else "month" if month else "year")
    return next((d for d in find_dates(text) if not d.value.startswith("--")), None)
