"""Read-only queries: Arabic-aware search with highlight spans, statistics and exports."""

from __future__ import annotations

import re
import sqlite3
import time
from collections.abc import Iterator
from dataclasses import dataclass
from typing import Any

from sqlite_utils import Database

from qexplore.db.arabic import index_forms, tokens, words
from qexplore.db.models import Hit, Span

# Past this many matches bm25 ranking costs more than a keystroke allows: newest first instead.
RANK_LIMIT = 50_000
TIME_LIMIT_S = 5.0
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
    return ParsedQuery(tuple(tuple(g) for g in groups), tuple(excluded))


def expand_latin(db: Database, parsed: ParsedQuery) -> ParsedQuery:
    """Let a word typed in Latin letters also find the Arabic names of the actors it names.

    ``qaani`` becomes ``qaani OR "إسماعيل قاآني" OR قاآني ...``; other terms are left alone.
    """
    from qexplore.db.query_actors import arabic_names, latin_matches

    groups = []
    for group in parsed.groups:
        terms = list(group)
        for term in group:
            if term.prefix or not all(f.isascii() and f.isalpha() for f in term.forms):
                continue
            for actor_id in latin_matches(db, " ".join(term.forms))[:5]:
                for name in arabic_names(db, actor_id):
                    alt = _term(name, False, False)
                    if alt is not None and alt not in terms:
                        terms.append(alt)
        groups.append(tuple(terms))
    return ParsedQuery(tuple(groups), parsed.excluded)


def _token_matches(form: str, want: str, prefix: bool) -> bool:
    return form.startswith(want) if prefix else form == want


def match_spans(text: str, query: ParsedQuery) -> tuple[Span, ...]:
    """Return the stretches of raw ``text`` that the query's terms match, in order."""
    toks = list(tokens(text))
    forms = [index_forms(t.norm) for t in toks]
    spans: set[tuple[int, int]] = set()
    for term in (t for group in query.groups for t in group):
        col = 0 if term.column == "art" else 1
        n = len(term.forms)
        for i in range(len(toks) - n + 1):
            if all(
                _token_matches(forms[i + k][col], term.forms[k], term.prefix and k == n - 1)
                for k in range(n)
            ):
                spans.add((toks[i].start, toks[i + n - 1].end))
    return tuple(Span(a, b) for a, b in sorted(spans))


@dataclass(frozen=True, slots=True)
class SearchResult:
    """A page of hits, the number of matching sentences and how they were ordered."""

    query: str
    total: int
    order: str  # "rank" (bm25) or "newest" (too many matches to rank)
    hits: tuple[Hit, ...]


_HIT_SQL = """
SELECT s.id, s.article_id, a.file, a.title, a.outlet, a.published, s.seq, s.kind, s.text,
       s.start, s.end, {score}
FROM sentences_fts f JOIN sentences s ON s.id = f.rowid JOIN articles a ON a.id = s.article_id
WHERE sentences_fts MATCH ? {filter}
ORDER BY {order} LIMIT ? OFFSET ?
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
) -> SearchResult:
    """Search sentences with an Arabic-aware query (see parse_query); best matches first.

    Raises QueryError for a query with nothing to find or one that runs past ``time_limit``.
    """
    parsed = expand_latin(db, parse_query(query))
    match = parsed.fts()
    flt = "" if include_boilerplate else "AND s.boilerplate = 0"
    try:
        with _Deadline(db.conn, time_limit):
            total = db.execute(
                "SELECT count(*) FROM sentences_fts f JOIN sentences s ON s.id = f.rowid "
                f"WHERE sentences_fts MATCH ? {flt}",
                [match],
            ).fetchone()[0]
            ranked = total <= RANK_LIMIT
            sql = _HIT_SQL.format(
                score="f.rank" if ranked else "NULL",
                filter=flt,
                order="f.rank" if ranked else "f.rowid DESC",
            )
            rows = db.execute(sql, [match, limit, offset]).fetchall()
    except sqlite3.OperationalError as exc:
        if "interrupted" in str(exc):
            raise QueryError(f"search took over {time_limit:g}s: add words to narrow it") from exc
        raise QueryError(f"cannot search for {query!r}: {exc}") from exc
    hits = tuple(_hit(row, parsed) for row in rows)
    return SearchResult(query, int(total), "rank" if ranked else "newest", hits)


def _hit(row: tuple[Any, ...], parsed: ParsedQuery) -> Hit:
    sid, aid, file, title, outlet, published, seq, kind, text, start, end, score = row
    return Hit(
        sid, aid, file, title, outlet, published, seq, kind, text, start, end,
        match_spans(text, parsed), None if score is None else float(score),
    )


def stats(db: Database) -> dict[str, Any]:
    """Return row counts per table, and article and sentence counts per outlet and per year."""
    tables = ("articles", "sentences")
    counts = {t: db[t].count for t in tables if t in db.table_names()}
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
        "SELECT a.id, a.file, a.content_hash, a.title, a.outlet, a.url, a.published, "
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


def _event_rows(db: Database) -> Iterator[dict[str, Any]]:
    """Events with place, participants and evidence sentences (one record per article for now)."""
    rows = db.execute(
        "SELECT e.id, e.type, e.date, e.date_precision, e.date_basis, e.date_text, p.name_ar, "
        "e.trigger, a.file FROM events e JOIN articles a ON a.id = e.article_id "
        "LEFT JOIN actors p ON p.id = e.place_actor_id ORDER BY e.id"
    ).fetchall()
    for eid, kind, date, precision, basis, date_text, place, trigger, file in rows:
        people = [{"actor": n, "role": r} for n, r in db.execute(
            "SELECT a.name_ar, x.role FROM event_participants x JOIN actors a ON a.id = x.actor_id "
            "WHERE x.event_id = ? ORDER BY x.role, a.name_ar", [eid])]
        sentences = [t for (t,) in db.execute(
            "SELECT s.text FROM event_evidence v JOIN sentences s ON s.id = v.sentence_id "
            "WHERE v.event_id = ? ORDER BY s.id", [eid])]
        yield {
            "id": eid, "file": file, "type": kind, "date": date, "date_precision": precision,
            "date_basis": basis, "date_text": date_text, "place": place, "participants": people,
            "trigger": trigger, "articles": [file], "sentences": sentences, "sources": 1,
        }


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
        yield from _event_rows(db)
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
