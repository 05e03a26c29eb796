"""Read-only queries: Arabic-aware search with highlight spans, statistics and exports."""

from __future__ import annotations

import json
import re
import sqlite3
import time
from collections.abc import Iterator
from dataclasses import dataclass
from functools import lru_cache
from typing import Any

from sqlite_utils import Database

from qexplore.db.arabic import index_forms, tokens, words
from qexplore.db.models import Hit, Span

# bm25 costs about 2.5 µs a matching row (CPU; more on a busy machine): a query matching more than
# this many sentences lists the latest loaded first (FTS5 reads them from the end of its index, under
# 1 ms), so that a search stays a few milliseconds at a million sentences. Fewer matches, which is
# what a name with a second word, a phrase or an AND gives, are ranked by relevance.
RANK_LIMIT = 1_000
# Counting reads the index alone, about 0.1 µs a match: past this many the count stops and
# SearchResult.total is a lower bound (exact is False).
COUNT_LIMIT = 10_000
TIME_LIMIT_S = 5.0
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


_TermIndex = tuple[
    dict[tuple[int, str], list[Term]], list[tuple[int, str]], tuple[set[str], set[str]], dict[str, bool]
]


@lru_cache(maxsize=64)
def _term_index(query: ParsedQuery) -> _TermIndex:
    """The query's terms by the column and form their first word must equal (a Latin name can
    bring dozens), its one-word prefix terms, the first forms by column, and a memo of the words
    seen: made once a query."""
    starts: dict[tuple[int, str], list[Term]] = {}
    prefixes: list[tuple[int, str]] = []  # one-word prefix terms: the word need only begin so
    for term in (t for group in query.groups for t in group):
        col = 0 if term.column == "art" else 1
        if term.prefix and len(term.forms) == 1:
            prefixes.append((col, term.forms[0]))
        else:
            starts.setdefault((col, term.forms[0]), []).append(term)
    firsts = ({w for c, w in starts if c == 0}, {w for c, w in starts if c == 1})
    return starts, prefixes, firsts, {}  # the last: whether a normalised word can start a term


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


def _token_matches(form: str, want: str, prefix: bool) -> bool:
    return form.startswith(want) if prefix else form == want


def match_spans(text: str, query: ParsedQuery) -> tuple[Span, ...]:
    """Return the stretches of raw ``text`` that the query's terms match, in order."""
    toks = list(tokens(text))
    starts, prefixes, firsts, starting = _term_index(query)
    spans: set[tuple[int, int]] = set()
    for i, tok in enumerate(toks):
        begins = starting.get(tok.norm)
        if begins is None:  # most words of a page of hits recur: decided once a query
            form = index_forms(tok.norm)
            begins = starting[tok.norm] = bool(
                form[0] in firsts[0] or form[1] in firsts[1]
                or any(form[c].startswith(w) for c, w in prefixes)
            )
        if not begins:
            continue
        form = index_forms(tok.norm)
        for col, want in prefixes:
            if form[col].startswith(want):
                spans.add((tok.start, tok.end))
        for col in (0, 1):
            for term in starts.get((col, form[col]), ()):
                n = len(term.forms)
                last = term.prefix and n - 1
                if i + n <= len(toks) and all(
                    _token_matches(index_forms(toks[i + k].norm)[col], term.forms[k], k == last)
                    for k in range(1, n)
                ):
                    spans.add((tok.start, toks[i + n - 1].end))
    return tuple(Span(a, b) for a, b in sorted(spans))


@dataclass(frozen=True, slots=True)
class SearchResult:
    """A page of hits, the number of matching sentences and how they were ordered."""

    query: str
    total: int  # matching sentences; at least this many when not exact
    order: str  # "rank" (bm25) or "newest": the latest loaded first (too many matches to rank)
    hits: tuple[Hit, ...]
    exact: bool = True  # False past COUNT_LIMIT matches: counting them all costs too much


# Boilerplate sentences have their own index (schema v6), so neither counting nor ranking joins
# a match to its sentence: both read the index alone.
_INDEXES = ("sentences_fts",)
_WITH_BOILERPLATE = ("sentences_fts", "boilerplate_fts")
_RANKED_SQL = "SELECT rowid, rank FROM {t} WHERE {t} MATCH ? ORDER BY rank LIMIT ?"
_NEWEST_SQL = "SELECT rowid FROM {t} WHERE {t} MATCH ? ORDER BY rowid DESC LIMIT ?"
_COUNT_SQL = "SELECT count(*) FROM (SELECT 1 FROM {t} WHERE {t} MATCH ? LIMIT ?)"
_HIT_SQL = """
SELECT s.id, s.article_id, a.file, a.title, a.outlet, a.published, s.seq, s.kind, s.text,
       s.start, s.end
FROM sentences s JOIN articles a ON a.id = s.article_id WHERE s.id IN ({ids})
"""
class _Deadline:
    """A progress handler that stops a query running past its time limit."""

    def __init__(self, conn: sqlite3.Connection, seconds: float) -> None:
        self.conn, self.until = conn, time.monotonic() + seconds

    def __enter__(self) -> None:
        self.conn.set_progress_handler(lambda: int(time.monotonic() > self.until), 20_000)

    def __exit__(self, *exc: object) -> None:
        self.conn.set_progress_handler(None, 0)


def search(
    db: Database,
    query: str,
    *,
    limit: int = 20,
    offset: int = 0,
    include_boilerplate: bool = False,
    time_limit: float = TIME_LIMIT_S,
    parsed: ParsedQuery | None = None,
) -> SearchResult:
    """Search sentences with an Arabic-aware query (see parse_query); best matches first.

    Past RANK_LIMIT matches the latest loaded come first; past COUNT_LIMIT the count stops (``exact``).
    ``parsed`` is ``expand_latin(db, parse_query(query))`` when the caller has it already.

    Raises QueryError for a query with nothing to find or one that runs past ``time_limit``.
    """
    parsed = parsed or expand_latin(db, parse_query(query))
    match = parsed.fts()
    indexes = _WITH_BOILERPLATE if include_boilerplate else _INDEXES
    try:
        with _Deadline(db.conn, time_limit):
            total, page = _page(db, match, indexes, limit, offset)
            rows = _details(db, page)
    except sqlite3.OperationalError as exc:
        if "interrupted" in str(exc):
            raise QueryError(f"search took over {time_limit:g}s: add words to narrow it") from exc
        raise QueryError(f"cannot search for {query!r}: {exc}") from exc
    ranked = total <= RANK_LIMIT
    hits = tuple(_hit(rows[sid], score, parsed) for sid, score in page)
    exact = total <= COUNT_LIMIT
    return SearchResult(query, min(total, COUNT_LIMIT), "rank" if ranked else "newest", hits, exact)


def _page(
    db: Database, match: str, indexes: tuple[str, ...], limit: int, offset: int
) -> tuple[int, list[tuple[int, Any]]]:
    """Return (matches counted up to COUNT_LIMIT + 1, [(sentence id, bm25 or None)] of the page).

    Counting reads the index alone (about 0.1 µs a match) and decides the order: up to RANK_LIMIT
    matches are ranked by bm25, more come latest loaded first (FTS5 reads them from the end of its index).
    """
    def rows(sql: str, limit: int) -> Iterator[Any]:
        for t in indexes:
            yield from db.execute(sql.format(t=t), [match, limit])

    total = sum(int(row[0]) for row in rows(_COUNT_SQL, COUNT_LIMIT + 1))
    want = offset + limit
    if total > RANK_LIMIT:
        ids = sorted((int(row[0]) for row in rows(_NEWEST_SQL, want)), reverse=True)
        return total, [(sid, None) for sid in ids[offset:want]]
    scored = sorted((float(row[1]), int(row[0])) for row in rows(_RANKED_SQL, want))
    return total, [(sid, score) for score, sid in scored[offset:want]]


def _details(db: Database, page: list[tuple[int, Any]]) -> dict[int, tuple[Any, ...]]:
    """The hits' sentences and articles by sentence id."""
    if not page:
        return {}
    sql = _HIT_SQL.format(ids=",".join("?" * len(page)))
    return {int(row[0]): row for row in db.execute(sql, [sid for sid, _ in page])}


def _hit(row: tuple[Any, ...], score: Any, parsed: ParsedQuery) -> Hit:
    sid, aid, file, title, outlet, published, seq, kind, text, start, end = row
    return Hit(
        sid, aid, file, title, outlet, published, seq, kind, text, start, end,
        match_spans(text, parsed), None if score is None else float(score),
    )


def stats(db: Database) -> dict[str, Any]:
    """Return row counts per table, and article and sentence counts per outlet and per year."""
    tables = ("articles", "sentences")
    present = {*db.table_names(), *db.view_names()}
    counts = {t: db[t].count for t in tables if t in present}
    per_outlet = db.execute(
        "SELECT coalesce(a.outlet, '(unknown)'), count(DISTINCT a.id), count(s.id) FROM articles a "
        "LEFT JOIN sentences s ON s.article_id = a.id GROUP BY 1 ORDER BY 2 DESC, 1"
    ).fetchall()
    per_year = db.execute(
        "SELECT coalesce(substr(a.published, 1, 4), '(undated)'), count(DISTINCT a.id), "
        "count(s.id) FROM articles a LEFT JOIN sentences s ON s.article_id = a.id "
        "GROUP BY 1 ORDER BY 1"
    ).fetchall()
    return {
        "tables": counts,
        "outlets": [{"outlet": o, "articles": a, "sentences": s} for o, a, s in per_outlet],
        "years": [{"year": y, "articles": a, "sentences": s} for y, a, s in per_year],
    }


EXPORTS: dict[str, str] = {
    "articles": (
        "SELECT a.id, a.file, a.content_hash, a.title, a.outlet, a.original_source, a.url, a.published, "
        "a.date_precision, a.date_basis, a.encoding, a.loaded_at, a.text FROM articles a "
        "ORDER BY a.id"
    ),
    "sentences": (
        "SELECT s.id, s.article_id, a.file, s.seq, s.start, s.end, s.kind, s.boilerplate, s.text "
        "FROM sentences s JOIN articles a ON a.id = s.article_id ORDER BY s.id"
    ),
}


KINDS = (*EXPORTS, "actors", "claims", "events")

_CLAIMS_SQL = """
SELECT c.id, a.file, c.sentence_id, s.text, c.kind, c.cue, c.cue_lemma, c.quote_type, c.speaker_text,
       sp.name_ar, c.anonymity, c.descriptor, c.plural, c.outlet_text, o.name_ar, c.content,
       c.carried_over, c.cue_start, c.cue_end, c.content_start, c.content_end
FROM claims c JOIN articles a ON a.id = c.article_id JOIN sentences s ON s.id = c.sentence_id
LEFT JOIN actors sp ON sp.id = c.speaker_actor_id LEFT JOIN actors o ON o.id = c.outlet_actor_id
ORDER BY c.id
"""


def _claim_rows(db: Database) -> Iterator[dict[str, Any]]:
    """Claims and declined comments with their relay chain and the actors they are about."""
    for row in db.execute(_CLAIMS_SQL).fetchall():
        (cid, file, sid, sentence, kind, cue, lemma, qtype, speaker, speaker_actor, anonymity,
         descriptor, plural, outlet_text, outlet, content, carried, cs, ce, ts, te) = row
        via = [r[0] for r in db.execute(
            "SELECT text FROM claim_via WHERE claim_id = ? ORDER BY seq", [cid])]
        about = [r[0] for r in db.execute(
            "SELECT a.name_ar FROM claim_about x JOIN actors a ON a.id = x.actor_id "
            "WHERE x.claim_id = ? ORDER BY a.name_ar", [cid])]
        yield {
            "id": cid, "file": file, "article": file, "sentence": sentence, "sentence_id": sid,
            "kind": kind, "cue": cue, "cue_lemma": lemma, "quote_type": qtype,
            "speaker_text": speaker, "speaker_actor": speaker_actor, "anonymity": anonymity,
            "descriptor": descriptor, "plural": bool(plural), "outlet": outlet or outlet_text,
            "via": via, "content": content, "about": about, "carried_over": bool(carried),
            "cue_start": cs, "cue_end": ce, "content_start": ts, "content_end": te,
        }


def export_rows(db: Database, kind: str) -> Iterator[dict[str, Any]]:
    """Yield every row of ``kind`` (see EXPORTS) as a dict, each with its article's file name."""
    if kind == "actors":
        from qexplore.db.query_actors import export_actor_rows

        yield from export_actor_rows(db)
        return
    if kind == "claims":
        yield from _claim_rows(db)
        return
    if kind == "events":
        from qexplore.db.query_events import story_rows

        yield from story_rows(db)
        return
    if kind not in EXPORTS:
        raise QueryError(f"unknown kind {kind!r}: choose one of {', '.join(KINDS)}")
    cursor = db.execute(EXPORTS[kind])
    names = [d[0] for d in cursor.description]
    for row in cursor:
        record = dict(zip(names, row, strict=True))
        if "boilerplate" in record:
            record["boilerplate"] = bool(record["boilerplate"])
        yield record
