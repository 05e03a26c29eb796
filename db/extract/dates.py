"""Absolute dates written in Arabic or Latin news text: day-month-year, month names, ISO."""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import date

from qexplore.db.arabic import normalize

_MONTH_NAMES = {
    1: "يناير كانون الثاني جانفي january jan",
    2: "فبراير شباط فيفري february feb",
    3: "مارس اذار march mar",
    4: "ابريل نيسان افريل april apr",
    5: "مايو ايار ماي may",
    6: "يونيو حزيران جوان june jun",
    7: "يوليو تموز جويلية july jul",
    8: "اغسطس اب اوت august aug",
    9: "سبتمبر ايلول september sep sept",
    10: "اكتوبر تشرين الاول october oct",
    11: "نوفمبر تشرين الثاني november nov",
    12: "ديسمبر كانون الاول december dec",
}
# Two-word Levantine names first, so that "تشرين الثاني" never reads as a bare "تشرين".
_MONTHS: dict[str, int] = {}
for _num, _names in _MONTH_NAMES.items():
    _parts = _names.split()
    for _i, _p in enumerate(_parts):
        if _p in ("كانون", "تشرين"):
            _MONTHS[f"{_p} {_parts[_i + 1]}"] = _num
        elif _p not in ("الثاني", "الاول"):
            _MONTHS[_p] = _num
_MONTH = "|".join(sorted(map(re.escape, _MONTHS), key=len, reverse=True))
# "تشرين الثاني/نوفمبر" writes one month twice; the second name is optional.
_MONTH_PAIR = rf"(?P<month>{_MONTH})(?:\s*/\s*(?:{_MONTH}))?"
_PATTERNS = (
    (re.compile(r"(?<!\d)(?P<year>\d{4})[-/.](?P<mon>\d{1,2})[-/.](?P<day>\d{1,2})(?!\d)"), "day"),
    (re.compile(r"(?<!\d)(?P<day>\d{1,2})[-/.](?P<mon>\d{1,2})[-/.](?P<year>\d{4})(?!\d)"), "day"),
    (re.compile(rf"\b(?P<day>\d{{1,2}})\s+(?:من\s+)?{_MONTH_PAIR}\s*,?\s+(?P<year>\d{{4}})\b"), "day"),
    (re.compile(rf"\b{_MONTH_PAIR}\s+(?P<day>\d{{1,2}}),?\s+(?P<year>\d{{4}})\b"), "day"),
    (re.compile(rf"(?<!\d\s)\b{_MONTH_PAIR}\s+(?:من\s+(?:عام|العام)\s+)?(?P<year>\d{{4}})\b"), "month"),
)


@dataclass(frozen=True, slots=True)
class FoundDate:
    """A date found in text: ISO value cut to its precision (2020-06-29, 2020-06 or 2020)."""

    value: str
    precision: str


def _valid(year: int, month: int, day: int | None) -> bool:
    try:
        date(year, month, day or 1)
    except ValueError:
        return False
    return 1900 <= year <= 2100


def find_dates(text: str) -> list[FoundDate]:
    """Return every absolute date written in ``text``, in order of appearance."""
    norm = normalize(text)
    found: list[tuple[int, FoundDate]] = []
    taken: list[range] = []
    for pattern, precision in _PATTERNS:
        for m in pattern.finditer(norm):
            if any(m.start() in r or m.end() - 1 in r for r in taken):
                continue
            g = m.groupdict()
            month = int(g["mon"]) if g.get("mon") else _MONTHS[re.sub(r"\s+", " ", g["month"])]
            year, day = int(g["year"]), int(g["day"]) if g.get("day") else None
            if not _valid(year, month, day):
                continue
            value = f"{year:04d}-{month:02d}" + (f"-{day:02d}" if day else "")
            found.append((m.start(), FoundDate(value, precision)))
            taken.append(range(m.start(), m.end()))
    return [f for _, f in sorted(found, key=lambda p: p[0])]


def parse_date(text: str) -> FoundDate | None:
    """Return the first absolute date in ``text`` (or a bare year such as "2021"), else None."""
    dates = find_dates(text)
    if dates:
        return dates[0]
    m = re.fullmatch(r"\s*(\d{4})\s*", normalize(text))
    return FoundDate(m.group(1), "year") if m and _valid(int(m.group(1)), 1, 1) else None
