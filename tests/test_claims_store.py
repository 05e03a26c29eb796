"""Claims as stored and exported: relay chains, carried-over speakers, declined comments."""

from __future__ import annotations

from pathlib import Path

from typer.testing import CliRunner

from qexplore.tui.cli import app


def _claims(seeded_path: Path) -> list[dict]:  # type: ignore[type-arg]
    import json

    out = CliRunner().invoke(app, ["--db", str(seeded_path), "export", "claims"]).output
    return [json.loads(line) for line in out.splitlines()]


def test_export_has_the_documented_fields(seeded_path: Path) -> None:
    rows = _claims(seeded_path)
    fields = {"id", "article", "sentence", "cue", "quote_type", "speaker_text", "speaker_actor",
              "anonymity", "outlet", "via", "content", "about"}
    assert rows and all(fields <= set(r) for r in rows)
    for r in rows:
        if r["kind"] == "claim" and r["content"]:
            assert r["content"] in open_article(seeded_path, r["article"])


def open_article(seeded_path: Path, file: str) -> str:
    from qexplore.db.schema import open_db

    db = open_db(seeded_path, read_only=True)
    text = db.execute("SELECT text FROM articles WHERE file = ?", [file]).fetchone()[0]
    db.close()
    return str(text)


def test_translated_report_keeps_its_relay_chain(seeded_path: Path) -> None:
    # The Ultra Iraq article translates a Reuters report: the chain runs outlet, agency, source.
    rows = [r for r in _claims(seeded_path) if r["article"].startswith("002") and r["kind"] == "claim"]
    chains = [r["via"] for r in rows if len(r["via"]) >= 3]
    assert any(c[0] == "الترا عراق" and "رويترز" in c[1:] for c in chains)


def test_carried_over_speakers_and_declined_comments(seeded_path: Path) -> None:
    rows = _claims(seeded_path)
    carried = [r for r in rows if r["carried_over"]]
    assert carried and all(r["anonymity"] for r in carried)
    declined = [r for r in rows if r["kind"] == "no_comment"]
    markers = ("تعليق", "يرد", "ترد", "ردود", "الكشف عن", "الوصول إلى")
    assert declined and all(any(m in r["sentence"] for m in markers) for r in declined)
    assert not {r["sentence"] for r in declined} & {r["sentence"] for r in rows if r["kind"] == "claim"
                                                     and r["cue_lemma"] in ("رد", "تلقى")}
