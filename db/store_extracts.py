"""Write an article's claims (relay chain, actors they are about) and events (place, participants, story)."""

from __future__ import annotations

from collections.abc import Mapping

from sqlite_utils import Database

from qexplore.db.arabic import name_key
from qexplore.db.models import Article
from qexplore.db.stories import assign_article


def _actor_by_name(db: Database, name: str | None) -> int | None:
    """The actor a written name (an outlet, a relay) stands for, when exactly one has that name."""
    key = name_key(name or "")
    if not key:
        return None
    rows = db.execute(
        "SELECT DISTINCT coalesce(a.merged_into, a.id) FROM actor_names n "
        "JOIN actors a ON a.id = n.actor_id WHERE n.key = ?",
        [key],
    ).fetchall()
    return int(rows[0][0]) if len(rows) == 1 else None


def store_claims(
    db: Database, article: Article, article_id: int, first_sentence: int, actor_of: Mapping[int, int]
) -> None:
    """Insert the article's claims (inside the caller's transaction)."""
    names: dict[str | None, int | None] = {}  # an article repeats its outlets and relays: look each up once

    def actor_by_name(name: str | None) -> int | None:
        if name not in names:
            names[name] = _actor_by_name(db, name)
        return names[name]

    for claim in article.claims:
        speaker = actor_of.get(claim.speaker_mention) if claim.speaker_mention is not None else None
        cursor = db.execute(
            "INSERT INTO claim_rows (article_id, sentence_id, kind, cue, cue_lemma, cue_start, cue_end, "
            "quote_type, speaker_start, speaker_end, speaker_text, speaker_actor_id, anonymity, "
            "descriptor, plural, outlet_text, outlet_actor_id, content_start, content_end, "
            "carried_over) VALUES (?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?)",
            [
                article_id, first_sentence + claim.sentence_seq, claim.kind, claim.cue,
                claim.cue_lemma, claim.cue_start, claim.cue_end, claim.quote_type,
                claim.speaker_start, claim.speaker_end, claim.speaker_text, speaker,
                claim.anonymity, claim.descriptor, int(claim.plural), claim.outlet_text,
                actor_by_name(claim.outlet_text), claim.content_start, claim.content_end,
                int(claim.carried_over),
            ],
        )
        claim_id = int(cursor.lastrowid or 0)
        if claim.via:
            db.conn.executemany(
                "INSERT INTO claim_via (claim_id, seq, text, actor_id) VALUES (?,?,?,?)",
                [(claim_id, i, text, actor_by_name(text)) for i, text in enumerate(claim.via)],
            )
        if about := {actor_of[i] for i in claim.about if i in actor_of}:
            db.conn.executemany(
                "INSERT INTO claim_about (claim_id, actor_id) VALUES (?,?)",
                [(claim_id, a) for a in sorted(about)],
            )


def store_events(
    db: Database, article: Article, article_id: int, first_sentence: int, actor_of: Mapping[int, int]
) -> None:
    """Insert the article's events and put them in stories (inside the caller's transaction).

    Call it after store_claims: the article's original source is worked out from its claims.
    """
    for event in article.events:
        place = actor_of.get(event.place) if event.place is not None else None
        cursor = db.execute(
            "INSERT INTO events (article_id, type, date, date_precision, date_basis, date_text, "
            "place_actor_id, trigger, sentence_id, trigger_start, trigger_end) "
            "VALUES (?,?,?,?,?,?,?,?,?,?,?)",
            [
                article_id, event.type, event.date, event.date_precision, event.date_basis,
                event.date_text, place, event.trigger, first_sentence + event.sentence_seq,
                event.trigger_start, event.trigger_end,
            ],
        )
        event_id = int(cursor.lastrowid or 0)
        people = {(actor_of[i], role) for i, role in event.participants if i in actor_of}
        db.conn.executemany(
            "INSERT OR IGNORE INTO event_participants (event_id, actor_id, role) VALUES (?,?,?)",
            [(event_id, a, r) for a, r in sorted(people)],
        )
        db.conn.executemany(
            "INSERT OR IGNORE INTO event_evidence (event_id, sentence_id) VALUES (?,?)",
            [(event_id, first_sentence + seq) for seq in sorted(set(event.evidence))],
        )
    assign_article(db, article_id)
