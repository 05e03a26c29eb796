"""The original source of an article: the news agency it relays, else its outlet, else itself.

Corroboration counts original sources, not articles: a Reuters report translated by two outlets is
one source. The rule, in order (the first that applies wins):

1. The article credits an agency for the whole story: a dateline in its first lines («بغداد (رويترز) -»,
   «بغداد -رويترز», «باريس - أ ف ب»), or a short credit line at its head or tail («ترجمة: ... عن رويترز»,
   «نقلا عن وكالة الأناضول», «المصدر: فرانس برس»).
2. Most of its claims come through an agency: at least three claims, and at least half of all its
   claims, name an agency as their outlet or in their relay chain (a translated agency report quotes
   its sources through the agency: «وقالت المصادر لرويترز»). The most frequent agency wins.
3. The article's outlet (an outlet that is itself an agency is written the agency's usual way).
4. Otherwise the article is its own source, written ``article:<id>``: an unknown publisher may be
   anyone, so it is never assumed to be the same as another.

Agencies are those of claim_lexicon.AGENCIES. فارس and تسنيم are also given names, so they count only
after «وكالة».
"""

from __future__ import annotations

import re
from collections import Counter

from sqlite_utils import Database

from qexplore.db.arabic import normalize, words
from qexplore.db.extract.claim_lexicon import AGENCIES

# How each agency is written in the output (several spellings of one agency share an entry).
AGENCY_NAMES: dict[str, str] = {
    "رويترز": "رويترز",
    "فرانس برس": "فرانس برس",
    "ا ف ب": "فرانس برس",
    "اسوشيتد برس": "أسوشيتد برس",
    "الاناضول": "الأناضول",
    "بلومبرغ": "بلومبرغ",
    "د ب ا": "د ب أ",
    "ارنا": "إرنا",
    "تسنيم": "تسنيم",
    "فارس": "فارس",
    "سبوتنيك": "سبوتنيك",
}
_NEEDS_AGENCY_WORD = frozenset(("فارس", "تسنيم"))
_AGENCY_WORD = frozenset(("وكالة", "وكالات", "لوكالة", "بوكالة"))
_CREDIT_WORDS = frozenset(("ترجمة", "ترجمه", "نقلا", "المصدر", "بتصرف"))
_MIN_CLAIMS = 3
_HEAD, _TAIL = 6, 4
_CREDIT_MAX_WORDS = 12
_DATELINE = re.compile(r"^\s*[^\s(–—-]*(?:\s+[^\s(–—-]+){0,2}\s*[(–—-]")


def _canonical(norm: str) -> str:
    return AGENCY_NAMES.get(norm, norm)


def _clitic_free(word: str) -> tuple[str, ...]:
    """The forms a word may take as the first word of a name: itself, or without و/ل/ب/لل."""
    forms = [word]
    for pre in ("و", "ل", "ب", "ول", "وب"):
        if word.startswith(pre) and len(word) > len(pre) + 2:
            forms.append(word[len(pre) :])
    if word.startswith("لل") and len(word) > 4:
        forms.append("ال" + word[2:])
    return tuple(forms)


_AGENCY_WORDS = sorted((tuple(n.split()) for n in AGENCIES), key=len, reverse=True)
# A cheap first look: a text naming no agency has none of their last words in it.
_ANY_AGENCY = re.compile("|".join(r"\s+".join(map(re.escape, n)) for n in _AGENCY_WORDS))


def agency_in(text: str | None) -> str | None:
    """Return the agency (as AGENCY_NAMES writes it) named in ``text``, or None."""
    if not text or not _ANY_AGENCY.search(normalize(text)):
        return None
    ws = words(text)
    for i, word in enumerate(ws):
        forms = _clitic_free(word)
        for name in _AGENCY_WORDS:
            if name[0] not in forms or tuple(ws[i + 1 : i + len(name)]) != name[1:]:
                continue
            joined = " ".join(name)
            if joined in _NEEDS_AGENCY_WORD and not (i > 0 and ws[i - 1] in _AGENCY_WORD):
                continue
            return _canonical(joined)
    return None


def _dateline_agency(text: str) -> str | None:
    """The agency of a dateline at the start of a line: «بغداد (رويترز) -», «باريس - أ ف ب»."""
    m = _DATELINE.match(text)
    if m is None or agency_in(text) is None:
        return None
    rest = words(text[m.end() :])
    return agency_in(" ".join(rest[:4])) if rest else None


def _credit_agency(text: str) -> str | None:
    """The agency of a short credit line: «ترجمة: ... عن رويترز», «نقلا عن وكالة الأناضول»."""
    if agency_in(text) is None:
        return None
    ws = words(text)
    if len(ws) > _CREDIT_MAX_WORDS or not set(ws) & _CREDIT_WORDS:
        return None
    return agency_in(text)


def stated_agency(lines: list[str]) -> str | None:
    """The agency an article's own lines credit for the whole story (rule 1), or None."""
    for line in lines[:_HEAD]:
        found = _dateline_agency(line) or _credit_agency(line)
        if found:
            return found
    for line in lines[-_TAIL:]:
        if found := _credit_agency(line):
            return found
    return None


def claims_agency(chains: list[list[str]]) -> str | None:
    """The agency most of the claims come through (rule 2); ``chains``: outlet and relays per claim."""
    named = [a for a in (next(filter(None, map(agency_in, chain)), None) for chain in chains) if a]
    if len(named) < _MIN_CLAIMS or 2 * len(named) < len(chains):
        return None
    return Counter(named).most_common(1)[0][0]


def choose_source(article_id: int, outlet: str | None, lines: list[str], chains: list[list[str]]) -> str:
    """Apply the rule of this module's docstring to an article's parts; return its original source."""
    found = stated_agency(lines) or claims_agency(chains)
    if found:
        return found
    if outlet and outlet.strip():
        return _outlet_name(outlet)
    return f"article:{article_id}"


def _outlet_name(outlet: str) -> str:
    """An outlet's name, written the agency's usual way when it is just an agency («وكالة رويترز»)."""
    bare = " ".join(w for w in words(outlet) if w not in _AGENCY_WORD)
    return _canonical(bare) if bare in AGENCIES else outlet.strip()


def original_source(db: Database, article_id: int) -> str:
    """Return the original source of a stored article (see the module docstring)."""
    row = db.execute("SELECT outlet FROM articles WHERE id = ?", [article_id]).fetchone()
    outlet = row[0] if row else None
    lines = [
        t
        for (t,) in db.execute(
            "SELECT text FROM sentences WHERE article_id = ? AND boilerplate = 0 ORDER BY seq",
            [article_id],
        )
    ]
    chains: dict[int, list[str]] = {}
    for cid, outlet_text, via in db.execute(
        "SELECT c.id, c.outlet_text, v.text FROM claims c LEFT JOIN claim_via v ON v.claim_id = c.id "
        "WHERE c.article_id = ? ORDER BY c.id, v.seq",
        [article_id],
    ):
        chain = chains.setdefault(cid, [outlet_text] if outlet_text else [])
        if via:
            chain.append(via)
    return choose_source(article_id, outlet, lines, list(chains.values()))
