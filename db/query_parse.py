"""Parsing a user's search: words, phrases, prefixes, exclusions and OR, and Latin names expanded.

Anything that is not search syntax is dropped, never passed to SQLite; a word is searched for in the
index column that matches how it was typed (with the article or without), with its index forms.
"""

from __future__ import annotations

import json
import re
from dataclasses import dataclass
from functools import lru_cache

from sqlite_utils import Database

from qexplore.db.arabic import index_forms, words

MAX_TERMS = 64  # each Latin term costs a scan of the actors' names (expand_latin)
_QUERY_PART = re.compile(r'(-?)"([^"]*)"?(\*?)|(\S+)')


class QueryError(Exception):
    """A search that cannot run; str() is a one-line reason for the user."""


@dataclass(frozen=True, slots=True)
class Term:
    """One search term: a word or phrase (normalised index forms), maybe a prefix or excluded."""

    forms: tuple[str, ...]
    column: str  # "art" (typed with the article) or "bare"
    prefix: bool = False
    negated: bool = False

    def fts(self) -> str:
        """Return this term as an FTS5 expression; its words hold no quote (see arabic.tokens)."""
        return f'{self.column} : "{" ".join(self.forms)}"' + (" *" if self.prefix else "")


@dataclass(frozen=True, slots=True)
class ParsedQuery:
    """A user query parsed into OR-groups of terms that are AND-ed, and excluded terms."""

    groups: tuple[tuple[Term, ...], ...]
    excluded: tuple[Term, ...]

    def words_only(self) -> bool:
        """Whether the query is one word or words OR-ed: every match is a match of one word's list,
        read as cheaply from its end as from its start (see _page)."""
        return len(self.groups) == 1 and not self.excluded and all(
            len(t.forms) == 1 and not t.prefix for t in self.groups[0]
        )

    def fts(self) -> str:
        """Return the whole query as one FTS5 MATCH expression."""
        parts = ["(" + " OR ".join(t.fts() for t in group) + ")" for group in self.groups]
        expr = " AND ".join(parts)
        if self.excluded:
            expr = f"({expr}) NOT (" + " OR ".join(t.fts() for t in self.excluded) + ")"
        return expr


def _term(text: str, prefix: bool, negated: bool) -> Term | None:
    forms = [index_forms(w) for w in words(text)]
    if not forms:
        return None
    if any(art != bare for art, bare in forms):
        return Term(tuple(art for art, _ in forms), "art", prefix, negated)
    return Term(tuple(bare for _, bare in forms), "bare", prefix, negated)


@lru_cache(maxsize=256)  # a pure function of the text: a search typed again, or paged, parses once
def parse_query(query: str) -> ParsedQuery:
    """Parse a user query: words AND-ed, "quoted phrases", prefix*, -excluded, OR between terms.

    Anything else (stray quotes, brackets, operators, control characters) is ignored, never
    passed to SQLite. Raises QueryError when nothing searchable is left.
    """
    groups: list[list[Term]] = []
    excluded: list[Term] = []
    join_next = False
    for m in _QUERY_PART.finditer(query.replace("\x00", " ")):
        if m.group(4) == "OR":
            join_next = bool(groups)
            continue
        if m.group(4) is not None:
            raw = m.group(4)
            negated, raw = raw.startswith("-") and len(raw) > 1, raw
            raw = raw[1:] if negated else raw
            term = _term(raw, raw.endswith("*"), negated)
        else:
            term = _term(m.group(2), bool(m.group(3)), bool(m.group(1)))
        if term is None:
            continue
        if term.negated:
            excluded.append(term)
        elif join_next:
            groups[-1].append(term)
        else:
            groups.append([term])
        join_next = False
    if not groups:
        raise QueryError("nothing to search for: give at least one word that is not excluded")
    if (count := sum(map(len, groups)) + len(excluded)) > MAX_TERMS:  # a pasted page, not a search
        raise QueryError(f"too many search terms ({count}): give at most {MAX_TERMS}")
    return ParsedQuery(tuple(tuple(g) for g in groups), tuple(excluded))


def expand_latin(db: Database, parsed: ParsedQuery) -> ParsedQuery:
    """Let a word typed in Latin letters also find the Arabic names of the actors it names.

    ``qaani`` becomes ``qaani OR "إسماعيل قاآني" OR قاآني ...``; other terms are left alone.
    """
    from qexplore.db.query_actors import arabic_names

    groups = []
    for group in parsed.groups:
        terms = list(group)
        for term in group:
            if term.prefix or not all(f.isascii() and f.isalpha() for f in term.forms):
                continue
            for actor_id in _latin_actors(db, " ".join(term.forms)):
                for name in arabic_names(db, actor_id):
                    alt = _term(name, False, False)
                    if alt is not None and alt not in terms:
                        terms.append(alt)
        groups.append(tuple(terms))
    return ParsedQuery(tuple(groups), parsed.excluded)


_LATIN_WORD = re.compile(r"[a-z]+")


def _latin_actors(db: Database, text: str, limit: int = 5) -> list[int]:
    """The actors a Latin word names, best first.

    Consonant skeletons are loose (qaani ~ Kani, Ghana, CNN): when a curated English name holds
    the typed words as whole words (Qaani in "Esmail Qaani", kadhimi in "al-Kadhimi"), only those
    actors count; otherwise the closest skeletons do.
    """
    from qexplore.db.query_actors import latin_matches

    found = latin_matches(db, text)
    wanted = set(_LATIN_WORD.findall(text.lower()))
    english = dict(db.execute(
        "SELECT id, name_en FROM actors WHERE id IN (SELECT value FROM json_each(?)) "
        "AND origin != 'extracted' AND name_en IS NOT NULL",
        [json.dumps(found[:50])],
    ).fetchall())
    curated = [a for a in found[:50] if wanted <= set(_LATIN_WORD.findall(english.get(a, "").lower()))]
    return (curated or found)[:limit]
