"""Article metadata stated in the text itself: title, outlet and publication date."""

from __future__ import annotations

import re
from collections import Counter
from dataclasses import dataclass

from qexplore.db.arabic import normalize
from qexplore.db.extract.dates import FoundDate, parse_date
from qexplore.db.models import Sentence

_Q_OPEN, _Q_CLOSE = "[\"«“]", "[\"»”]"
_NAME = r"([^\"«»“”\n]{2,40}?)"
# The newsroom byline: "الترا عراق - فريق التحرير".
_TEAM_BYLINE = re.compile(r"^(.{2,40}?)\s*[-–—|]\s*(?:فريق التحرير|التحرير|هيئة التحرير|المحرر)\s*$")
# A dateline naming a wire agency: "بغداد -رويترز".
_AGENCIES = ("رويترز", "فرانس برس", "ا ف ب", "الاناضول", "اسوشيتد برس", "د ب ا", "واس", "كونا", "ارنا")
_AGENCY_BYLINE = re.compile(rf"^[^-–—|]{{2,30}}\s*[-–—|]\s*({'|'.join(_AGENCIES)})\s*$")
# An outlet speaking of itself: «علمت «الجريدة»», «لموقع "سكاي نيوز عربية"», «مصدر "عربي بوست"».
_SELF_REFERENCE = (
    re.compile(rf"(?:^|\s)علمت?\s*{_Q_OPEN}{_NAME}{_Q_CLOSE}"),
    re.compile(rf"(?:لموقع|لصحيفة|لقناة|لوكالة|لشبكة)\s*{_Q_OPEN}{_NAME}{_Q_CLOSE}"),
    re.compile(rf"(?:^|\s)(?:مصدر|مصادر)\s*{_Q_OPEN}{_NAME}{_Q_CLOSE}"),
)
_STATED_DATE = re.compile(r"(?:نشر في|تاريخ النشر|تم النشر|published)\s*:?\s*(.{6,40})")


@dataclass(frozen=True, slots=True)
class Meta:
    """Metadata found in an article's text; None where the text is silent."""

    title: str | None = None
    outlet: str | None = None
    published: FoundDate | None = None


def _title(sentences: list[Sentence]) -> str | None:
    return sentences[0].text if sentences and sentences[0].kind == "headline" else None


def _raw_name(raw: str, norm_name: str) -> str:
    """Return the raw spelling of a name found in normalised text (first raw match, else it)."""
    for m in re.finditer(rf"{_Q_OPEN}{_NAME}{_Q_CLOSE}|^(.{{2,40}}?)\s*[-–—|]", raw):
        name = m.group(1) or m.group(2)
        if name and normalize(name).strip() == norm_name:
            return name.strip()
    return norm_name


def _outlet(text: str, sentences: list[Sentence]) -> str | None:
    for s in sentences:
        if s.kind == "byline":
            norm = normalize(s.text).strip()
            m = _TEAM_BYLINE.match(norm) or _AGENCY_BYLINE.match(norm)
            if m:
                return _raw_name(s.text, m.group(1).strip())
    votes: Counter[str] = Counter()
    norm_text = normalize(text)
    for weight, pattern in zip((3, 2, 1), _SELF_REFERENCE, strict=True):
        for m in pattern.finditer(norm_text):
            votes[m.group(1).strip()] += weight
    if not votes:
        return None
    return _raw_name(text, votes.most_common(1)[0][0])


def _published(sentences: list[Sentence]) -> FoundDate | None:
    for s in sentences:
        if s.kind in ("byline", "headline", "subhead"):
            m = _STATED_DATE.search(normalize(s.text))
            if m and (found := parse_date(m.group(1))):
                return found
    return None


def article_meta(text: str, sentences: list[Sentence]) -> Meta:
    """Return the title (a first-line headline), outlet and stated publication date of an article."""
    return Meta(_title(sentences), _outlet(text, sentences), _published(sentences))
