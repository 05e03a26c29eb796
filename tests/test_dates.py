"""The hand-written date parser: month names, ordinals, numbers, years, relative forms and offsets."""

from __future__ import annotations

from datetime import date

import pytest
from hypothesis import given
from hypothesis import strategies as st

from qexplore.db.arabic import normalize
from qexplore.db.extract.article_date import infer_article_date
from qexplore.db.extract.dates import FoundDate, find_dates, parse_date

WEDNESDAY = date(2021, 7, 28)


def one(text: str, reference: date | str | None = None) -> FoundDate:
    """Return the only date in ``text``, checking that its offsets cut a non-empty phrase."""
    found = find_dates(text, reference)
    assert len(found) == 1, found
    assert 0 <= found[0].start < found[0].end <= len(text)
    return found[0]


def phrase(text: str, found: FoundDate) -> str:
    return text[found.start : found.end]


def values(text: str, reference: date | str | None = None) -> list[str]:
    return [d.value for d in find_dates(text, reference)]


# --- month names --------------------------------------------------------------------------------

MONTH_NAMES = [
    ("يناير", 1), ("فبراير", 2), ("مارس", 3), ("أبريل", 4), ("إبريل", 4), ("مايو", 5), ("يونيو", 6),
    ("يوليو", 7), ("أغسطس", 8), ("سبتمبر", 9), ("أكتوبر", 10), ("نوفمبر", 11), ("ديسمبر", 12),
    ("جانفي", 1), ("فيفري", 2), ("أفريل", 4), ("ماي", 5), ("جوان", 6), ("جويلية", 7), ("أوت", 8),
    ("كانون الثاني", 1), ("شباط", 2), ("آذار", 3), ("نيسان", 4), ("أيار", 5), ("حزيران", 6),
    ("تموز", 7), ("آب", 8), ("أيلول", 9), ("تشرين الأول", 10), ("تشرين الثاني", 11), ("كانون الأول", 12),
]  # fmt: skip


@pytest.mark.parametrize(("name", "month"), MONTH_NAMES)
def test_every_month_name_with_day_and_year(name: str, month: int) -> None:
    text = f"انعقدت الجلسة في 3 {name} 2019 بحضور الأعضاء"
    found = one(text)
    assert (found.value, found.precision, found.basis) == (f"2019-{month:02d}-03", "day", "stated")
    assert phrase(text, found) == f"3 {name} 2019"


def test_month_and_year_give_month_precision() -> None:
    text = "افتتح المعرض في تموز/يوليو 2018 وسط إقبال واسع"
    found = one(text)
    assert (found.value, found.precision, found.conflict) == ("2018-07", "month", False)
    assert phrase(text, found) == "تموز/يوليو 2018"


def test_dual_month_names_that_agree() -> None:
    text = "وقعت الاتفاقية يوم 7 تشرين الثاني/نوفمبر 2021 في العاصمة"
    found = one(text)
    assert (found.value, found.conflict, found.note) == ("2021-11-07", False, "")
    assert phrase(text, found) == "7 تشرين الثاني/نوفمبر 2021"


@pytest.mark.parametrize("pair", ["تشرين الأول/نوفمبر", "نوفمبر/تشرين الأول"])
def test_dual_month_conflict_is_flagged_and_the_gregorian_name_wins(pair: str) -> None:
    found = one(f"عاد السفير في 7 {pair} 2021 إلى بلاده")
    assert found.value == "2021-11-07"
    assert found.conflict and "Gregorian" in found.note


def test_month_name_that_is_also_a_verb_is_not_a_date() -> None:
    assert find_dates("مارس الوزير ضغوطا كبيرة على النواب") == []
    assert find_dates("زار الأب ابنه في المستشفى") == []


def test_month_alone_after_a_preposition_borrows_the_year() -> None:
    found = one("بدأت المفاوضات في يوليو الماضي", WEDNESDAY)
    assert (found.value, found.precision, found.basis) == ("2020-07", "month", "stated+article_year")
    assert one("في شهر مارس تراجعت الأسعار", "2021-05").value == "2021-03"
    assert one("في شهر مارس تراجعت الأسعار").value == "--03"


# --- ordinal days -------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("text", "value", "cut"),
    [
        ("غادر الوفد في الرابع من فبراير 2020 متجها إلى عمان", "2020-02-04", "الرابع من فبراير 2020"),
        ("بدأ الإضراب في الأول من أيار 2019", "2019-05-01", "الأول من أيار 2019"),
        ("أعلنت النتائج في الثامن والعشرين من يوليو 2016", "2016-07-28", "الثامن والعشرين من يوليو 2016"),
        ("وقع الهجوم في الحادي عشر من سبتمبر 2001", "2001-09-11", "الحادي عشر من سبتمبر 2001"),
        ("انتهت المهلة في الحادي والثلاثين من ديسمبر 2020", "2020-12-31", "الحادي والثلاثين من ديسمبر 2020"),
        ("أغلقت الحدود في العشرين من مارس عام 2020", "2020-03-20", "العشرين من مارس عام 2020"),
        ("وصلت القافلة في ثالث نيسان 2017", "2017-04-03", "ثالث نيسان 2017"),
        ("أقيم الحفل في التاسع عشر من شهر آب 2015", "2015-08-19", "التاسع عشر من شهر آب 2015"),
    ],
)
def test_ordinal_days(text: str, value: str, cut: str) -> None:
    found = one(text)
    assert (found.value, found.precision) == (value, "day")
    assert phrase(text, found) == cut


def test_impossible_ordinal_day_falls_back_to_the_stated_month() -> None:
    text = "في الثلاثين من فبراير 2021"
    found = one(text)
    assert (found.value, found.precision, phrase(text, found)) == ("2021-02", "month", "فبراير 2021")


def test_ordinal_without_year_and_reference_keeps_the_year_unknown() -> None:
    found = one("في الخامس من حزيران")
    assert (found.value, found.precision, found.basis) == ("--06-05", "day", "stated")


# --- numeric dates and years --------------------------------------------------------------------


@pytest.mark.parametrize("written", ["29-06-2020", "2020-06-29", "29/6/2020", "2020/6/29", "29.06.2020"])
def test_numeric_dates(written: str) -> None:
    text = f"صدر القرار بتاريخ {written} عن المحكمة"
    found = one(text)
    assert (found.value, found.precision) == ("2020-06-29", "day")
    assert phrase(text, found) == written


def test_impossible_numeric_date_is_dropped() -> None:
    assert find_dates("رقم المعاملة 31-02-2020") == []


@pytest.mark.parametrize(
    ("text", "value", "cut"),
    [
        ("تأسس الحزب عام 1998 في البصرة", "1998", "عام 1998"),
        ("شهد العام 2003 تحولا كبيرا", "2003", "العام 2003"),
        ("في 2011 خرجت التظاهرات", "2011", "2011"),
        ("منذ سنة 2014 تغيرت المعادلة", "2014", "سنة 2014"),
        ("وثيقة الإصلاح (2016) ما زالت حبرا على ورق", "2016", "2016"),
        ("وهو ما جرى بعد 2019، وفق المصدر", "2019", "2019"),
        ("أعيد انتخابه عام 2018م لولاية ثانية", "2018", "عام 2018م"),
        ("بموجب دستور لعام 2005 المعدل", "2005", "عام 2005"),
    ],
)
def test_years_where_clearly_years(text: str, value: str, cut: str) -> None:
    found = one(text)
    assert (found.value, found.precision) == (value, "year")
    assert phrase(text, found) == cut


@pytest.mark.parametrize(
    "text",
    [
        "انهار البرج 22 بعد القصف",
        "يمكن التواصل على الرقم 07701234567 على مدار الساعة",
        "للاستفسار: 0770 123 2020.",
        "الهاتف +964-770-2020",
        "تتوافق الخطة مع رؤية 2030.",
        "وصل 2014 متطوعا إلى المخيم",
        "في 2000 شخص من المحتجين",
        "عام 1500 للميلاد",
        "تم تسجيل 2020 حالة",
    ],
)
def test_numbers_that_are_not_dates(text: str) -> None:
    assert find_dates(text) == []


def test_arabic_indic_and_persian_digits() -> None:
    text = "نشر في ٢٩-٠٦-٢٠٢٠ وأعيد نشره عام ۲۰۲۱"
    found = find_dates(text)
    assert [(d.value, d.precision) for d in found] == [("2020-06-29", "day"), ("2021", "year")]
    assert [phrase(text, d) for d in found] == ["٢٩-٠٦-٢٠٢٠", "عام ۲۰۲۱"]


def test_english_month_first_date() -> None:
    assert one("Reuters, June 29, 2020").value == "2020-06-29"


# --- day and month without a year ----------------------------------------------------------------


def test_day_month_without_year_or_reference_keeps_the_year_unknown() -> None:
    text = "تنتهي المهلة يوم 29 يناير"
    found = one(text)
    assert (found.value, found.precision, found.basis) == ("--01-29", "day", "stated")
    assert phrase(text, found) == "29 يناير"


def test_day_month_borrows_the_reference_year_and_says_so() -> None:
    found = one("اجتمع الطرفان في 5 يناير", WEDNESDAY)
    assert (found.value, found.basis) == ("2021-01-05", "stated+article_year")
    assert one("اجتمع الطرفان في 5 يناير", "2021").value == "2021-01-05"


def test_borrowed_year_is_the_one_nearest_the_reference() -> None:
    assert one("أطلق سراحه في 29 ديسمبر", date(2021, 1, 3)).value == "2020-12-29"
    assert one("تجرى الانتخابات في 10 يناير", date(2021, 12, 20)).value == "2022-01-10"


def test_day_month_with_past_marker() -> None:
    assert one("وقع الحادث في 5 أغسطس الماضي", WEDNESDAY).value == "2020-08-05"
    assert one("وقع الحادث في 5 تموز الماضي", WEDNESDAY).value == "2021-07-05"


# --- relative forms --------------------------------------------------------------------------------


def test_weekday_with_prefix_resolves_to_the_most_recent_such_day() -> None:
    text = "استهدف صاروخ القاعدة صباح الثلاثاء"
    found = one(text, WEDNESDAY)
    assert (found.value, found.precision, found.basis) == ("2021-07-27", "day", "relative")
    assert phrase(text, found) == "صباح الثلاثاء"


@pytest.mark.parametrize(
    ("text", "value"),
    [
        ("وصل الوزير الأربعاء", "2021-07-28"),  # the reference day itself
        ("عقد الاجتماع يوم الخميس", "2021-07-22"),
        ("عقد الاجتماع مساء الأحد", "2021-07-25"),
        ("جرى الاتصال الإثنين", "2021-07-26"),
        ("دفن الضحايا ليلة السبت", "2021-07-24"),
        ("عقد المؤتمر الأربعاء الماضي", "2021-07-21"),
        ("يبدأ التصويت الجمعة المقبلة", "2021-07-30"),
        ("أعلن اليوم الأربعاء عن الخطة", "2021-07-28"),
        ("صرح مساء أمس الثلاثاء", "2021-07-27"),
    ],
)
def test_weekdays(text: str, value: str) -> None:
    assert one(text, WEDNESDAY).value == value


def test_weekday_with_clitic_cuts_the_clitic_off() -> None:
    text = "وصل الاثنين والثلاثاء"
    found = find_dates(text, WEDNESDAY)
    assert [d.value for d in found] == ["2021-07-26", "2021-07-27"]
    assert phrase(text, found[1]) == "الثلاثاء"


def test_night_before_a_day_is_noted() -> None:
    assert "eve" in one("ليلة الجمعة", WEDNESDAY).note


@pytest.mark.parametrize(
    ("text", "value"),
    [
        ("قال المتحدث أمس إن", "2021-07-27"),
        ("وقع الانفجار البارحة", "2021-07-27"),
        ("تحدث بالأمس عن الأزمة", "2021-07-27"),
        ("يصل الوفد اليوم", "2021-07-28"),
        ("يصل الوفد غداً", "2021-07-29"),
        ("اعتقل أول أمس", "2021-07-26"),
        ("يصوت البرلمان بعد غد", "2021-07-30"),
    ],
)
def test_day_words(text: str, value: str) -> None:
    found = one(text, WEDNESDAY)
    assert (found.value, found.precision, found.basis) == (value, "day", "relative")


@pytest.mark.parametrize(
    "text",
    ["في اليوم التالي اجتمعوا", "في اليوم ثلاث وجبات", "في ذلك اليوم", "بين الاثنين خلاف", "الأحد عشر"],
)
def test_words_that_only_look_like_days(text: str) -> None:
    assert find_dates(text, WEDNESDAY) == []


def test_weekday_before_a_stated_date_yields_only_the_stated_date() -> None:
    text = "وقع الاتفاق الأحد 4 يوليو 2021"
    found = one(text, WEDNESDAY)
    assert (found.value, found.basis, phrase(text, found)) == ("2021-07-04", "stated", "4 يوليو 2021")


def test_relative_forms_need_a_reference() -> None:
    assert find_dates("وصل أمس صباح الثلاثاء خلال الشهر الماضي والعام الماضي") == []


def test_a_month_reference_never_gives_a_day() -> None:
    assert find_dates("صباح الثلاثاء وأمس واليوم", "2021-12") == []
    assert one("الشهر الماضي", "2021-12").value == "2021-11"


def test_last_month_in_december_and_january() -> None:
    found = one("ارتفعت الأسعار الشهر الماضي", date(2021, 12, 15))
    assert (found.value, found.precision, found.basis) == ("2021-11", "month", "relative")
    assert one("ارتفعت الأسعار الشهر الماضي", date(2022, 1, 10)).value == "2021-12"
    assert one("ارتفعت الأسعار الشهر الماضي", "2022-01").value == "2021-12"
    assert find_dates("ارتفعت الأسعار الشهر الماضي", "2022") == []


@pytest.mark.parametrize(
    ("text", "value"),
    [
        ("تضاعف العجز العام الماضي", "2020"),
        ("تضاعف العجز السنة الماضية", "2020"),
        ("كشفت رويترز عن زياراته خلال هذا العام", "2021"),
        ("ينتهي المشروع العام الحالي", "2021"),
        ("تجرى الانتخابات العام المقبل", "2022"),
        ("تجرى الانتخابات في السنة القادمة", "2022"),
    ],
)
def test_relative_years(text: str, value: str) -> None:
    found = one(text, WEDNESDAY)
    assert (found.value, found.precision, found.basis) == (value, "year", "relative")
    assert one(text, "2021").value == value  # a year reference is enough


def test_last_week_is_a_month_only_when_it_cannot_straddle_two() -> None:
    assert one("زار الموقع الأسبوع الماضي", WEDNESDAY).value == "2021-07"
    assert find_dates("زار الموقع الأسبوع الماضي", date(2021, 7, 5)) == []


def test_reference_as_iso_string_with_time() -> None:
    assert one("قال أمس", "2021-07-28T10:00:00").value == "2021-07-27"


def test_out_of_range_reference_is_ignored() -> None:
    assert find_dates("قال أمس", date(1, 1, 1)) == []


# --- offsets and order -------------------------------------------------------------------------------


def test_offsets_survive_harakat_and_tatweel_inside_the_phrase() -> None:
    text = "وَصَلَ الوَفْدُ يَوْمَ ٢٩ يَنَـــايِرَ ٢٠٢١م إِلَى بَغْدَادَ"
    found = one(text)
    assert found.value == "2021-01-29"
    assert phrase(text, found) == "٢٩ يَنَـــايِرَ ٢٠٢١م"


def test_span_keeps_the_harakah_on_its_last_letter() -> None:
    text = "وَقَعَ ذَلِكَ صَبَاحَ الثُّلَاثَاءِ الْمَاضِي."
    found = one(text, WEDNESDAY)
    assert phrase(text, found) == "صَبَاحَ الثُّلَاثَاءِ الْمَاضِي"
    assert found.value == "2021-07-27"


def test_offsets_after_characters_that_normalisation_expands() -> None:
    text = "ﷺ ﻻ " + "وصل في 5 يناير 2021"
    assert phrase(text, one(text)) == "5 يناير 2021"


def test_dates_come_in_order_and_do_not_overlap() -> None:
    text = "قال أمس إن الاتفاق الموقع في 5 يناير 2021 انهار العام الماضي، بعد تموز/يوليو 2019."
    found = find_dates(text, WEDNESDAY)
    assert [d.value for d in found] == ["2021-07-27", "2021-01-05", "2020", "2019-07"]
    assert [phrase(text, d) for d in found] == ["أمس", "5 يناير 2021", "العام الماضي", "تموز/يوليو 2019"]


# --- parse_date, equality and inference -----------------------------------------------------------------


@pytest.mark.parametrize(
    ("text", "value", "precision"),
    [
        ("2021", "2021", "year"),
        ("2021-07", "2021-07", "month"),
        ("2021-07-28T10:00:00", "2021-07-28", "day"),
        ("2021-07-28 10:00", "2021-07-28", "day"),
        ("٢٠٢١-٠٧-٢٨", "2021-07-28", "day"),
        (" 29-06-2020 | 00:10", "2020-06-29", "day"),
        ("الأحد 4 تموز 2021", "2021-07-04", "day"),
    ],
)
def test_parse_date(text: str, value: str, precision: str) -> None:
    assert parse_date(text) == FoundDate(value, precision)


@pytest.mark.parametrize("text", ["", "لا تاريخ هنا", "5 يناير", "أمس", "2021-13-40", "0001"])
def test_parse_date_without_a_full_date(text: str) -> None:
    assert parse_date(text) is None


def test_equality_is_the_date_not_its_provenance() -> None:
    in_text = find_dates("نشر في 29-06-2020")[0]
    assert in_text == parse_date("2020-06-29") == FoundDate("2020-06-29", "day", basis="relative")
    assert in_text != FoundDate("2020-06", "month")


def test_infer_article_date_takes_the_latest_stated_date() -> None:
    dates = find_dates("في 3 مارس 2021 ثم في نيسان 2021 وفي 5 يناير", WEDNESDAY) + find_dates(
        "أمس والعام المقبل", WEDNESDAY
    )
    inferred = infer_article_date(dates)
    assert inferred == FoundDate("2021-04", "month") and inferred is not None
    assert inferred.basis == "inferred"
    assert infer_article_date(find_dates("أمس عام 2020", WEDNESDAY)) is None


# --- properties ------------------------------------------------------------------------------------------

FRAGMENTS = [
    "في ", "5 ", "٢٩ ", "يناير", "تشرين الأول", "/نوفمبر", " 2021", " عام", "2020", "-06-", "29", "/",
    "الرابع من ", "والعشرين", "صباح ", "الثلاثاء", "أمس", "اليوم", "الشهر الماضي", "العام", " الماضي",
    "البرج 22", "رؤية 2030", "،", ".", " ", "\u0640", "\u064e", "\u0651", "ﻻ", "ﷺ", "\u200f", "\n",
]  # fmt: skip
texts = st.lists(st.sampled_from(FRAGMENTS) | st.text(max_size=4), max_size=25).map("".join)
references = st.none() | st.dates() | st.sampled_from(["2021", "2021-12", "2021-07-28T10:00", "junk"])


@given(texts, references)
def test_find_dates_never_raises_and_offsets_stay_inside(text: str, reference: date | str | None) -> None:
    found = find_dates(text, reference)
    ends = [0]
    for d in found:
        assert ends[-1] <= d.start < d.end <= len(text)
        assert d.precision in ("day", "month", "year")
        ends.append(d.end)


@given(st.lists(st.sampled_from(FRAGMENTS[:25]), max_size=12).map("".join))
def test_harakat_and_tatweel_change_nothing_but_offsets(text: str) -> None:
    decorated = "".join(ch + ("\u0640\u064e" if "\u0621" <= ch <= "\u064a" else "") for ch in text)
    plain, marked = find_dates(text, WEDNESDAY), find_dates(decorated, WEDNESDAY)
    assert [d.value for d in plain] == [d.value for d in marked]
    for p, m in zip(plain, marked, strict=True):
        assert normalize(text[p.start : p.end]) == normalize(decorated[m.start : m.end])
