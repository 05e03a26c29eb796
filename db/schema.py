"""Tables, indexes and the search index, created and upgraded by numbered migrations."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

from sqlite_utils import Database

from qexplore.db.connection import BadDatabase, check_file, check_writable, connect, write_transaction

SCHEMA_VERSION_KEY = "schema_version"


def _v1_articles_sentences(db: Database) -> None:
    db.table("articles").create(
        {
            "id": int,
            "content_hash": str,
            "file": str,
            "title": str,
            "outlet": str,
            "url": str,
            "published": str,
            "date_precision": str,
            "date_basis": str,
            "encoding": str,
            "text": str,
            "loaded_at": str,
        },
        pk="id",
        not_null={"content_hash", "file", "text"},
    )
    db.table("articles").create_index(["content_hash"], unique=True)
    db.table("sentences").create(
        {
            "id": int,
            "article_id": int,
            "seq": int,
            "start": int,
            "end": int,
            "text": str,
            "kind": str,
            "boilerplate": int,
            "norm": str,
        },
        pk="id",
        foreign_keys=[("article_id", "articles", "id")],
        not_null={"article_id", "seq", "start", "end", "text", "kind"},
    )
    db.table("sentences").create_index(["article_id", "seq"], unique=True)
    # Contentless: the index terms are made in Python (db.arabic) and the raw text lives in
    # `sentences`. Column art holds clitic-free words with their article, bare the same without it.
    db.execute(
        "CREATE VIRTUAL TABLE sentences_fts USING fts5("
        "art, bare, content='', tokenize='unicode61 remove_diacritics 2')"
    )


def _v2_actors(db: Database) -> None:
    db.table("actors").create(
        {
            "id": int,
            "type": str,
            "name_ar": str,
            "name_en": str,
            "description": str,
            "origin": str,  # gazetteer | extracted | user
            "gid": str,  # gazetteer id, for curated actors
            "key": str,  # name key of name_ar
            "merged_into": int,  # set when the user merged this actor into another
        },
        pk="id",
        not_null={"type", "name_ar", "origin", "key"},
    )
    db.table("actors").create_index(["gid"], unique=True)
    db.table("actors").create_index(["type", "key"])
    db.table("actor_names").create(
        {"actor_id": int, "name": str, "key": str, "source": str},
        pk=("actor_id", "name"),
        foreign_keys=[("actor_id", "actors", "id")],
    )
    db.table("actor_names").create_index(["key"])
    db.table("mentions").create(
        {
            "id": int,
            "sentence_id": int,
            "article_id": int,
            "start": int,  # offsets into articles.text
            "end": int,
            "surface": str,
            "key": str,
            "type": str,  # PER | ORG | LOC | MISC
            "source": str,  # gazetteer | rule | crf
            "confidence": float,
            "actor_id": int,  # the actor it names now, after the user's decisions
            "auto_actor_id": int,  # the actor resolution chose, before them
        },
        pk="id",
        foreign_keys=[
            ("sentence_id", "sentences", "id"),
            ("article_id", "articles", "id"),
            ("actor_id", "actors", "id"),
        ],
    )
    db.table("mentions").create_index(["actor_id"])
    db.table("mentions").create_index(["auto_actor_id"])
    db.table("mentions").create_index(["key"])
    db.table("mentions").create_index(["sentence_id"])
    db.table("mentions").create_index(["article_id", "key"])
    db.table("curation").create(
        {"id": int, "at": str, "action": str, "payload": str, "undone_at": str}, pk="id"
    )


def _v3_claims(db: Database) -> None:
    db.table("claims").create(
        {
            "id": int,
            "article_id": int,
            "sentence_id": int,
            "kind": str,  # claim | no_comment
            "cue": str,
            "cue_lemma": str,
            "cue_start": int,  # offsets into articles.text
            "cue_end": int,
            "quote_type": str,  # direct | indirect | attribution | headline | none
            "speaker_start": int,
            "speaker_end": int,
            "speaker_text": str,
            "speaker_actor_id": int,
            "anonymity": str,  # named | described | anonymous
            "descriptor": str,
            "plural": int,
            "outlet_text": str,
            "outlet_actor_id": int,
            "content_start": int,
            "content_end": int,
            "content": str,
            "carried_over": int,
        },
        pk="id",
        foreign_keys=[
            ("article_id", "articles", "id"),
            ("sentence_id", "sentences", "id"),
            ("speaker_actor_id", "actors", "id"),
            ("outlet_actor_id", "actors", "id"),
        ],
        not_null={"article_id", "sentence_id", "kind", "cue"},
    )
    db.table("claims").create_index(["sentence_id"])
    db.table("claims").create_index(["speaker_actor_id"])
    db.table("claim_via").create(
        {"claim_id": int, "seq": int, "text": str, "actor_id": int},
        pk=("claim_id", "seq"),
        foreign_keys=[("claim_id", "claims", "id"), ("actor_id", "actors", "id")],
    )
    db.table("claim_about").create(
        {"claim_id": int, "actor_id": int},
        pk=("claim_id", "actor_id"),
        foreign_keys=[("claim_id", "claims", "id"), ("actor_id", "actors", "id")],
    )
    db.table("claim_about").create_index(["actor_id"])


def _v4_events(db: Database) -> None:
    db.table("events").create(
        {
            "id": int,
            "article_id": int,
            "type": str,
            "date": str,  # ISO cut to its precision; "--01-29" when the text gives no year
            "date_precision": str,
            "date_basis": str,
            "date_text": str,
            "place_actor_id": int,
            "trigger": str,
            "sentence_id": int,
            "trigger_start": int,  # offsets into articles.text
            "trigger_end": int,
        },
        pk="id",
        foreign_keys=[
            ("article_id", "articles", "id"),
            ("sentence_id", "sentences", "id"),
            ("place_actor_id", "actors", "id"),
        ],
        not_null={"article_id", "type", "sentence_id"},
    )
    db.table("events").create_index(["type", "date"])
    db.table("event_participants").create(
        {"event_id": int, "actor_id": int, "role": str},
        pk=("event_id", "actor_id", "role"),
        foreign_keys=[("event_id", "events", "id"), ("actor_id", "actors", "id")],
    )
    db.table("event_participants").create_index(["actor_id"])
    db.table("event_evidence").create(
        {"event_id": int, "sentence_id": int},
        pk=("event_id", "sentence_id"),
        foreign_keys=[("event_id", "events", "id"), ("sentence_id", "sentences", "id")],
    )


def _v5_stories(db: Database) -> None:
    # One real-world event told by several articles (db.stories); sources = distinct original sources.
    db.table("stories").create(
        {
            "id": int,
            "type": str,
            "date": str,
            "date_precision": str,
            "date_basis": str,
            "place_actor_id": int,
            "articles": int,  # distinct articles telling it
            "sources": int,  # distinct original sources of those articles
        },
        pk="id",
        foreign_keys=[("place_actor_id", "actors", "id")],
        not_null={"type"},
    )
    db.table("stories").create_index(["type", "date"])
    # The actors a story's events name (resolved through merges), to find the stories an event fits.
    db.table("story_actors").create(
        # kind: place | participant | victim; events: how many of the story's events name it
        {"story_id": int, "actor_id": int, "kind": str, "type": str, "events": int},
        pk=("story_id", "actor_id", "kind"),
        foreign_keys=[("story_id", "stories", "id"), ("actor_id", "actors", "id")],
    )
    db.table("story_actors").create_index(["type", "actor_id", "kind"])
    db.execute("ALTER TABLE events ADD COLUMN story_id INTEGER REFERENCES stories(id)")
    db.table("events").create_index(["story_id"])
    # Stories are assigned one article at a time: its events and claims are read by article.
    db.table("events").create_index(["article_id"])
    db.table("claims").create_index(["article_id"])
    db.execute("ALTER TABLE articles ADD COLUMN original_source TEXT")
    from qexplore.db.stories import rebuild_stories

    rebuild_stories(db)


# What the views below serve is a slice of articles.text: the copies it replaces made the database
# twice the size of its text (sentences kept their text and a normalised copy, claims their content).
_SLICE = "(SELECT substr(a.text, {start} + 1, {end} - {start}) FROM articles a WHERE a.id = {row}.article_id)"


def _v6_slices_not_copies(db: Database) -> None:
    # Renaming a table rewrites the foreign keys that point at it, so mentions, claims, events and
    # evidence now refer to the row tables; readers keep the old names, now views with the text.
    db.execute("ALTER TABLE sentences RENAME TO sentence_rows")
    db.execute("ALTER TABLE sentence_rows DROP COLUMN text")
    db.execute("ALTER TABLE sentence_rows DROP COLUMN norm")
    text = _SLICE.format(start="r.start", end="r.end", row="r")
    db.execute(
        f"CREATE VIEW sentences AS SELECT r.id, r.article_id, r.seq, r.start, r.end, {text} AS text, "
        "r.kind, r.boilerplate FROM sentence_rows r"
    )
    columns = [c.name for c in db.table("claims").columns if c.name != "content"]
    db.execute("ALTER TABLE claims RENAME TO claim_rows")
    db.execute("ALTER TABLE claim_rows DROP COLUMN content")
    content = _SLICE.format(start="c.content_start", end="c.content_end", row="c")
    listed = ", ".join(f"c.{name}" for name in columns)
    db.execute(
        f"CREATE VIEW claims AS SELECT {listed}, CASE WHEN c.content_start IS NULL THEN NULL "
        f"ELSE {content} END AS content FROM claim_rows c"
    )
    # Boilerplate (read-also links, repeated captions) gets its own index: searches leave it out
    # by default, and then need no join to each match's sentence to count or rank them.
    db.execute(
        "CREATE VIRTUAL TABLE boilerplate_fts USING fts5("
        "art, bare, content='', tokenize='unicode61 remove_diacritics 2')"
    )
    from qexplore.db.load import index_terms

    for sentence_id, text in db.execute("SELECT id, text FROM sentences WHERE boilerplate = 1").fetchall():
        terms = index_terms(text)  # what the load indexed: a contentless index deletes by value
        db.execute(
            "INSERT INTO sentences_fts (sentences_fts, rowid, art, bare) VALUES ('delete', ?, ?, ?)",
            [sentence_id, *terms],
        )
        db.execute("INSERT INTO boilerplate_fts (rowid, art, bare) VALUES (?, ?, ?)", [sentence_id, *terms])


MIGRATIONS: tuple[Callable[[Database], None], ...] = (
    _v1_articles_sentences,
    _v2_actors,
    _v3_claims,
    _v4_events,
    _v5_stories,
    _v6_slices_not_copies,
)
SCHEMA_VERSION = len(MIGRATIONS)


class SchemaTooNew(BadDatabase):
    """The database was written by a newer qexplore than this one."""


def schema_version(db: Database) -> int:
    """Return the schema version recorded in the database (0 for a new, empty one)."""
    if "meta" not in db.table_names():
        return 0
    row = db.execute("SELECT value FROM meta WHERE key = ?", [SCHEMA_VERSION_KEY]).fetchone()
    return int(row[0]) if row else 0


def migrate(db: Database) -> int:
    """Bring the database up to SCHEMA_VERSION, one migration per transaction; return the version."""
    current = schema_version(db)
    if current > SCHEMA_VERSION:
        raise SchemaTooNew(
            f"database schema version {current} is newer than this qexplore ({SCHEMA_VERSION})"
        )
    for version in range(current + 1, SCHEMA_VERSION + 1):
        with write_transaction(db):
            if schema_version(db) >= version:  # another process migrated it while we waited
                continue
            if "meta" not in db.table_names():
                db.table("meta").create({"key": str, "value": str}, pk="key")
            MIGRATIONS[version - 1](db)
            db.table("meta").upsert({"key": SCHEMA_VERSION_KEY, "value": str(version)}, pk="key")
    return SCHEMA_VERSION


def open_db(path: Path | str, *, read_only: bool = False) -> Database:
    """Open (and for writing, create and migrate) a qexplore database at ``path``.

    ``":memory:"`` gives an in-memory database. Read-only opens never write. Raises BadDatabase
    (with ReadOnlyDatabase and SchemaTooNew among its kinds) before anything is written when the
    file is not a whole SQLite database, cannot be written, or was written by a newer qexplore.
    """
    if str(path) == ":memory:":
        db = Database(connect(path))
        db.execute("PRAGMA foreign_keys=ON")
        migrate(db)
        return db
    path = Path(path)
    check_file(path)
    if read_only:
        db = Database(connect(path, read_only=True))
        _refuse_newer(db, path)
        return db
    check_writable(path)
    db = Database(connect(path))
    try:
        _refuse_newer(db, path)  # before the pragmas below: they may write the header
        db.execute("PRAGMA journal_mode=WAL")
        db.execute("PRAGMA synchronous=NORMAL")  # with WAL: a killed process loses no commit
        db.execute("PRAGMA foreign_keys=ON")
        migrate(db)
    except BaseException:
        db.close()
        raise
    return db


def _refuse_newer(db: Database, path: Path) -> None:
    version = schema_version(db)
    if version > SCHEMA_VERSION:
        db.close()
        raise SchemaTooNew(
            f"{path} has schema version {version}, newer than this qexplore ({SCHEMA_VERSION}): "
            "upgrade qexplore to use it"
        )
