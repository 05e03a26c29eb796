"""Schema v6: sentence text and claim content are slices of the article text; boilerplate is indexed apart."""

from __future__ import annotations

from pathlib import Path

from sqlite_utils import Database

from qexplore.db import schema
from qexplore.db.config import seed_files
from qexplore.db.connection import connect, write_transaction
from qexplore.db.load import Extractors, process, ready, store
from qexplore.db.models import Source
from qexplore.db.query import search
from qexplore.db.read import read_path


def _article(text: str) -> Source:
    return Source(file="made.txt", text=text, encoding="utf-8")


def test_stored_sentences_and_claims_read_back_exactly_as_extracted(memdb: Database) -> None:
    extractors = ready(memdb, Extractors.default())
    articles = []
    for path in seed_files()[:3]:
        source = next(s for s in read_path(path) if isinstance(s, Source))
        article = process(source, extractors)
        article_id = store(memdb, article, extractors.gazetteer)
        articles.append((article_id, article))
    for article_id, article in articles:
        stored = memdb.execute(
            "SELECT seq, text, kind, boilerplate FROM sentences WHERE article_id = ? ORDER BY seq",
            [article_id],
        ).fetchall()
        assert stored == [(s.seq, s.text, s.kind, int(s.boilerplate)) for s in article.sentences]
        contents = memdb.execute(
            "SELECT content FROM claims WHERE article_id = ? ORDER BY id", [article_id]
        ).fetchall()
        assert [c for (c,) in contents] == [c.content for c in article.claims]
        assert any(c.content for c in article.claims)
    columns = {c.name for c in memdb.table("sentence_rows").columns}
    assert "text" not in columns and "norm" not in columns  # the text is not stored twice


def test_text_with_characters_outside_the_basic_plane_slices_right(memdb: Database) -> None:
    # SQLite's substr counts characters as Python does: an emoji or a rare CJK form before a
    # sentence must not shift it.
    extractors = ready(memdb, Extractors.default())
    text = (
        "وصل الوزير 🇮🇶 إلى بغداد صباح اليوم. ثم غادر 𠀀 إلى أربيل في المساء.\n"
        "وقال مصدر إن اللقاء كان مثمرا."
    )
    article = process(_article(text), extractors)
    article_id = store(memdb, article, extractors.gazetteer)
    stored = [t for (t,) in memdb.execute("SELECT text FROM sentences WHERE article_id = ? ORDER BY seq",
                                          [article_id])]
    assert stored == [s.text for s in article.sentences] and len(stored) >= 2


def _v5_database(path: Path) -> None:
    """A database as schema v5 left it, with one seed stored the way v5 stored it."""
    db = Database(connect(path))
    for version, migration in enumerate(schema.MIGRATIONS[:5], start=1):
        with write_transaction(db):
            if "meta" not in db.table_names():
                db.table("meta").create({"key": str, "value": str}, pk="key")
            migration(db)
            db.table("meta").upsert({"key": schema.SCHEMA_VERSION_KEY, "value": str(version)}, pk="key")
    from qexplore.db.load import index_terms

    text = seed_files()[0].read_text(encoding="utf-8")
    lines = [line for line in text.splitlines() if line.strip()][:6]
    body = "\n".join(lines)
    with write_transaction(db):
        db.execute(
            "INSERT INTO articles (id, content_hash, file, text) VALUES (1, 'h', 'old.txt', ?)", [body]
        )
        start = 0
        for seq, line in enumerate(lines):
            start = body.index(line, start)
            boilerplate = int(seq == len(lines) - 1)  # the last one stands for a read-also link
            db.execute(
                "INSERT INTO sentences (id, article_id, seq, start, end, text, kind, boilerplate, norm) "
                "VALUES (?, 1, ?, ?, ?, ?, 'body', ?, 'x')",
                [seq + 1, seq, start, start + len(line), line, boilerplate],
            )
            db.execute(
                "INSERT INTO sentences_fts (rowid, art, bare) VALUES (?, ?, ?)", [seq + 1, *index_terms(line)]
            )
            start += len(line)
    db.close()


def test_a_v5_database_is_upgraded_without_losing_text_or_search(tmp_path: Path) -> None:
    path = tmp_path / "v5.db"
    _v5_database(path)
    old = Database(connect(path))
    before = old.execute("SELECT id, text FROM sentences ORDER BY id").fetchall()
    boilerplate_word = before[-1][1].split()[0]
    old.close()
    db = schema.open_db(path)
    assert schema.schema_version(db) == schema.SCHEMA_VERSION
    assert db.execute("SELECT id, text FROM sentences ORDER BY id").fetchall() == before
    # The boilerplate sentence moved to its own index: found only when asked for.
    everything = search(db, boilerplate_word, include_boilerplate=True, limit=50)
    body_only = search(db, boilerplate_word, limit=50)
    last_id = before[-1][0]
    assert last_id in {h.sentence_id for h in everything.hits}
    assert last_id not in {h.sentence_id for h in body_only.hits}
    assert db.execute("SELECT count(*) FROM boilerplate_fts").fetchone()[0] == 1
    assert db.execute("SELECT count(*) FROM sentences_fts").fetchone()[0] == len(before) - 1
    # Foreign keys now point at the row table, and still hold.
    assert db.execute("PRAGMA foreign_key_check").fetchall() == []
