"""Read-only detail views for the explorer: an actor, a story (event), a claim and a whole article.

Decisions:
- Detail records are small and fixed (names, roles, outlets); anything that can grow with the corpus
  (claims, co-occurring actors, sentences) is a paged list taking ``limit`` and ``offset``.
- A claim's sentence and an article's text keep their raw form; spans are offsets into that raw text
  (the sentence's for claims, the article's for the reader), so the UI highlights without re-searching.
"""

from __future__ import annotations

from dataclasses import dataclass

from sqlite_utils import Database

from qexplore.db.browse import SentenceItem, sentence_mentions, story_source
from qexplore.db.models import Span


class NotFound(Exception):
    """The record asked for is not in the database; str() names it."""


@dataclass(frozen=True, slots=True)
class ActorRef:
    """An actor as a link: id, type and names."""

    id: int
    type: str
    name_ar: str
    name_en: str | None


@dataclass(frozen=True, slots=True)
class ActorDetail:
    """An actor's names and aliases, description and how much the corpus says about it."""

    actor: ActorRef
    description: str
    origin: str
    aliases: tuple[str, ...]
    mentions: int
    articles: int
    claims_by: int
    claims_about: int


@dataclass(frozen=True, slots=True)
class CoActor:
    """An actor named in the same sentences as another, with the number of shared sentences."""

    actor: ActorRef
    sentences: int


@dataclass(frozen=True, slots=True)
class ClaimItem:
    """One row of a claims list: who says what, in which article."""

    id: int
    kind: str  # claim | no_comment
    speaker: str  # the actor's name, else the words naming the speaker
    anonymity: str | None
    content: str
    file: str
    outlet: str | None
    sentence_id: int


@dataclass(frozen=True, slots=True)
class Participant:
    """An actor taking part in a story, with its role."""

    actor: ActorRef
    role: str


@dataclass(frozen=True, slots=True)
class StoryDetail:
    """A story: type, date and basis, place, participants, events, outlets and original sources."""

    id: int
    type: str
    date: str | None
    date_precision: str | None
    date_basis: str | None
    place: ActorRef | None
    participants: tuple[Participant, ...]
    events: tuple[int, ...]
    outlets: tuple[tuple[str, int], ...]  # outlet, articles
    original_sources: tuple[str, ...]
    articles: int
    sources: int


@dataclass(frozen=True, slots=True)
class ClaimDetail:
    """A claim in full: speaker, anonymity, outlet, relay chain, content and its sentence."""

    id: int
    kind: str
    cue: str
    quote_type: str | None
    speaker_text: str | None
    speaker: ActorRef | None
    anonymity: str | None
    descriptor: str | None
    plural: bool
    outlet: str | None
    via: tuple[tuple[str, ActorRef | None], ...]  # outermost first
    about: tuple[ActorRef, ...]
    content: str | None
    sentence: SentenceItem
    spans: tuple[tuple[str, Span], ...]  # ("cue"|"speaker"|"content", span in the sentence)


@dataclass(frozen=True, slots=True)
class ReaderSentence:
    """One sentence of an article in the reader: offsets into the article text, kind, boilerplate."""

    id: int
    seq: int
    start: int
    end: int
    kind: str
    boilerplate: bool


@dataclass(frozen=True, slots=True)
class ReaderMention:
    """An entity mention in the reader: offsets into the article text, type and actor."""

    start: int
    end: int
    type: str
    actor_id: int | None


@dataclass(frozen=True, slots=True)
class ArticleDoc:
    """A whole article for the reader: metadata, text, sentence offsets and entity mentions."""

    id: int
    file: str
    title: str | None
    outlet: str | None
    published: str | None
    date_precision: str | None
    url: str | None
    original_source: str | None
    text: str
    sentences: tuple[ReaderSentence, ...]
    mentions: tuple[ReaderMention, ...]


_REF = "SELECT id, type, name_ar, name_en FROM actors WHERE id = ?"


def actor_ref(db: Database, actor_id: int | None) -> ActorRef | None:
    """Return the actor ``actor_id`` as a link, or None when it is unset or unknown."""
    if actor_id is None:
        return None
    row = db.execute(_REF, [actor_id]).fetchone()
    return ActorRef(*row) if row else None


def actor_detail(db: Database, actor_id: int) -> ActorDetail:
    """Return an actor's names and counts; raises NotFound for an unknown id."""
    ref = actor_ref(db, actor_id)
    if ref is None:
        raise NotFound(f"no actor {actor_id}")
    desc, origin = db.execute(
        "SELECT coalesce(description, ''), origin FROM actors WHERE id = ?", [actor_id]
    ).fetchone()
    aliases = tuple(
        r[0] for r in db.execute(
            "SELECT DISTINCT n.name FROM actor_names n JOIN actors a ON a.id = n.actor_id "
            "WHERE (a.id = ? OR a.merged_into = ?) AND n.name NOT IN (?, ?) ORDER BY n.name",
            [actor_id, actor_id, ref.name_ar, ref.name_en or ""],
        )
    )
    mentions, articles = db.execute(
        "SELECT count(*), count(DISTINCT article_id) FROM mentions WHERE actor_id = ?", [actor_id]
    ).fetchone()
    return ActorDetail(ref, desc, origin, aliases, mentions, articles,
                       count_claims(db, by=actor_id), count_claims(db, about=actor_id))


def _co_sql() -> str:
    return (
        "FROM mentions m JOIN mentions o ON o.sentence_id = m.sentence_id AND o.actor_id != m.actor_id "
        "JOIN actors a ON a.id = o.actor_id WHERE m.actor_id = ? AND a.merged_into IS NULL"
    )


def count_co_actors(db: Database, actor_id: int) -> int:
    """Return how many actors share at least one sentence with ``actor_id``."""
    return int(db.execute(f"SELECT count(DISTINCT o.actor_id) {_co_sql()}", [actor_id]).fetchone()[0])


def co_actors_page(db: Database, actor_id: int, limit: int = 100, offset: int = 0) -> list[CoActor]:
    """Return the actors named in the same sentences as ``actor_id``, most shared sentences first."""
    rows = db.execute(
        f"SELECT a.id, a.type, a.name_ar, a.name_en, count(DISTINCT o.sentence_id) AS k {_co_sql()} "
        "GROUP BY a.id ORDER BY k DESC, a.id LIMIT ? OFFSET ?",
        [actor_id, limit, offset],
    ).fetchall()
    return [CoActor(ActorRef(*r[:4]), int(r[4])) for r in rows]


def _claim_where(by: int | None, about: int | None, story: int | None,
                 member: str) -> tuple[str, list[int]]:
    if by is not None:
        return "c.speaker_actor_id = ?", [by]
    if about is not None:
        return "c.id IN (SELECT claim_id FROM claim_about WHERE actor_id = ?)", [about]
    if story is not None:
        return (
            "c.sentence_id IN (SELECT v.sentence_id FROM events e JOIN event_evidence v "
            f"ON v.event_id = e.id WHERE {member} = ?)", [story],
        )
    return "1", []


def count_claims(db: Database, *, by: int | None = None, about: int | None = None,
                 story: int | None = None) -> int:
    """Return how many claims ``by`` an actor, ``about`` one, or in a story's sentences there are."""
    where, params = _claim_where(by, about, story, story_source(db)[1])
    return int(db.execute(f"SELECT count(*) FROM claims c WHERE {where}", params).fetchone()[0])


def claims_page(db: Database, *, by: int | None = None, about: int | None = None,
                story: int | None = None, limit: int = 100, offset: int = 0) -> list[ClaimItem]:
    """Return a page of claims (see count_claims), in article and sentence order."""
    where, params = _claim_where(by, about, story, story_source(db)[1])
    rows = db.execute(
        "SELECT c.id, c.kind, coalesce(sp.name_ar, c.speaker_text, ''), c.anonymity, "
        "coalesce(c.content, ''), a.file, a.outlet, c.sentence_id FROM claims c "
        "JOIN articles a ON a.id = c.article_id LEFT JOIN actors sp ON sp.id = c.speaker_actor_id "
        f"WHERE {where} ORDER BY c.article_id, c.sentence_id, c.id LIMIT ? OFFSET ?",
        [*params, limit, offset],
    ).fetchall()
    return [ClaimItem(*r) for r in rows]


def story_detail(db: Database, story_id: int) -> StoryDetail:
    """Return a story with its participants, events, outlets and original sources."""
    relation, member = story_source(db)
    row = db.execute(
        "SELECT st.id, st.type, st.date, st.date_precision, st.date_basis, st.place_actor_id, "
        f"st.articles, st.sources FROM {relation} WHERE st.id = ?", [story_id]
    ).fetchone()
    if row is None:
        raise NotFound(f"no event {story_id}")
    events = tuple(r[0] for r in db.execute(f"SELECT e.id FROM events e WHERE {member} = ?", [story_id]))
    people = db.execute(
        "SELECT DISTINCT a.id, a.type, a.name_ar, a.name_en, p.role FROM events e "
        "JOIN event_participants p ON p.event_id = e.id JOIN actors a ON a.id = p.actor_id "
        f"WHERE {member} = ? ORDER BY p.role, a.name_ar", [story_id]
    ).fetchall()
    arts = f"SELECT DISTINCT e.article_id FROM events e WHERE {member} = ?"
    outlets = db.execute(
        f"SELECT coalesce(outlet, '?'), count(*) FROM articles WHERE id IN ({arts}) "
        "GROUP BY 1 ORDER BY 2 DESC, 1", [story_id]
    ).fetchall()
    originals: tuple[str, ...] = ()
    if any(r[1] == "original_source" for r in db.execute("PRAGMA table_info(articles)")):
        originals = tuple(r[0] for r in db.execute(
            f"SELECT DISTINCT original_source FROM articles WHERE id IN ({arts}) "
            "AND original_source IS NOT NULL ORDER BY 1", [story_id]))
    return StoryDetail(
        row[0], row[1], row[2], row[3], row[4], actor_ref(db, row[5]),
        tuple(Participant(ActorRef(*p[:4]), p[4]) for p in people), events,
        tuple((o, int(n)) for o, n in outlets), originals, int(row[6] or 0), int(row[7] or 0),
    )


def _sentence_item(db: Database, sentence_id: int) -> SentenceItem:
    row = db.execute(
        "SELECT s.id, s.article_id, a.file, a.outlet, a.published, s.seq, s.kind, s.text, s.start "
        "FROM sentences s JOIN articles a ON a.id = s.article_id WHERE s.id = ?", [sentence_id]
    ).fetchone()
    if row is None:
        raise NotFound(f"no sentence {sentence_id}")
    sid, aid, file, outlet, published, seq, kind, text, start = row
    return SentenceItem(sid, aid, file, outlet, published, seq, kind, text, start,
                        mentions=tuple(sentence_mentions(db, [sentence_id])[sentence_id]))


def claim_detail(db: Database, claim_id: int) -> ClaimDetail:
    """Return a claim with its relay chain, the actors it is about and its sentence."""
    row = db.execute(
        "SELECT c.id, c.kind, c.cue, c.quote_type, c.speaker_text, c.speaker_actor_id, c.anonymity, "
        "c.descriptor, c.plural, coalesce(o.name_ar, c.outlet_text), c.content, c.sentence_id, "
        "c.cue_start, c.cue_end, c.speaker_start, c.speaker_end, c.content_start, c.content_end "
        "FROM claims c LEFT JOIN actors o ON o.id = c.outlet_actor_id WHERE c.id = ?", [claim_id]
    ).fetchone()
    if row is None:
        raise NotFound(f"no claim {claim_id}")
    via = tuple((text or "", actor_ref(db, aid)) for text, aid in db.execute(
        "SELECT text, actor_id FROM claim_via WHERE claim_id = ? ORDER BY seq", [claim_id]))
    about = tuple(ActorRef(*r) for r in db.execute(
        "SELECT a.id, a.type, a.name_ar, a.name_en FROM claim_about x JOIN actors a ON a.id = x.actor_id "
        "WHERE x.claim_id = ? ORDER BY a.name_ar", [claim_id]))
    sentence = _sentence_item(db, row[11])
    spans = tuple(
        (name, Span(a - sentence.start, b - sentence.start))
        for name, a, b in (("cue", row[12], row[13]), ("speaker", row[14], row[15]),
                           ("content", row[16], row[17]))
        if a is not None and b is not None
    )
    return ClaimDetail(row[0], row[1], row[2], row[3], row[4], actor_ref(db, row[5]), row[6], row[7],
                       bool(row[8]), row[9], via, about, row[10], sentence, spans)


def article_doc(db: Database, article_id: int) -> ArticleDoc:
    """Return a whole article with its sentences' offsets and its entity mentions."""
    has_original = any(r[1] == "original_source" for r in db.execute("PRAGMA table_info(articles)"))
    original = "original_source" if has_original else "NULL"
    row = db.execute(
        "SELECT id, file, title, outlet, published, date_precision, url, "
        f"{original}, text FROM articles WHERE id = ?", [article_id]
    ).fetchone()
    if row is None:
        raise NotFound(f"no article {article_id}")
    sentences = tuple(
        ReaderSentence(i, q, a, b, k, bool(bp)) for i, q, a, b, k, bp in db.execute(
            "SELECT id, seq, start, end, kind, boilerplate FROM sentences WHERE article_id = ? "
            "ORDER BY seq", [article_id])
    )
    mentions = tuple(
        ReaderMention(*r) for r in db.execute(
            "SELECT start, end, type, actor_id FROM mentions WHERE article_id = ? ORDER BY start",
            [article_id])
    )
    aid, file, title, outlet, published, precision, url, original_source, text = row
    return ArticleDoc(aid, file, title, outlet, published, precision, url, original_source, text,
                      sentences, mentions)


def find_articles(db: Database, text: str, limit: int = 20) -> list[tuple[int, str, str | None]]:
    """Return (id, file, title) of articles whose file name, title or outlet contains ``text``."""
    like = f"%{text}%"
    rows = db.execute(
        "SELECT id, file, title FROM articles WHERE file LIKE ? OR title LIKE ? OR outlet LIKE ? "
        "ORDER BY id LIMIT ?", [like, like, like, limit]
    ).fetchall()
    return [(int(r[0]), r[1], r[2]) for r in rows]
