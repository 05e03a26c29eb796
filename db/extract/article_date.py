"""The article's date when it prints none: inferred from the dates it reports (basis "inferred")."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import replace

from qexplore.db.extract.dates import FoundDate, find_dates


def infer_article_date(dates: Iterable[FoundDate]) -> FoundDate | None:
    """Return the latest day or month the text states outright (basis "inferred"), else None.

    Dates whose year came from a reference, relative dates and bare years do not count.
    """
    stated = [d for d in dates if d.basis == "stated" and d.precision != "year" and d.value[:1] != "-"]
    if not stated:
        return None
    latest = max(stated, key=lambda d: _order(d.value))
    return replace(latest, basis="inferred", note="the latest date the text states")


def _order(value: str) -> tuple[int, ...]:
    return tuple(int(p) for p in value.split("-")) + (0,) * (3 - value.count("-") - 1)


def article_date_from_text(text: str) -> FoundDate | None:
    """Return the article date a text implies when it does not print one, as a month (basis "inferred").

    An article is written on or after the latest event it dates: take the latest day or month stated
    with its year (infer_article_date), place the days and months written without a year around it
    (the year nearest it, as find_dates does with a reference) and keep the month of the latest of all.
    Only the month: a report often follows its latest dated event by days. None when the text states
    no day or month with a year (bare years and relative forms cannot anchor anything), and None when
    the anchor would put every year-less date in an earlier year: writers leave the year out for their
    own year, so such an anchor is background (a 2020 killing recalled in a 2021 report).
    """
    anchor = infer_article_date(find_dates(text))
    if anchor is None:
        return None
    placed = [d.value for d in find_dates(text, anchor.value)
              if d.basis == "stated+article_year" and d.value[:1] != "-"]  # fmt: skip
    if placed and all(v[:4] < anchor.value[:4] for v in placed):
        return None
    latest = max([anchor.value, *placed], key=_order)
    return FoundDate(latest[:7], "month", "inferred", note="the month of the latest date the text reports")
