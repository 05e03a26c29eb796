"""The command line: help everywhere, exit codes, JSON and CSV output, one-line errors."""

from __future__ import annotations

import csv
import io
import json
import shutil
from pathlib import Path

import pytest
from typer.main import get_command
from typer.testing import CliRunner

from qexplore.db.config import seed_files
from qexplore.tui.cli import app

runner = CliRunner()


def _commands() -> list[str]:
    return sorted(get_command(app).commands)  # type: ignore[attr-defined]


@pytest.mark.parametrize("name", _commands())
def test_every_command_has_help_with_an_example(name: str) -> None:
    result = runner.invoke(app, [name, "--help"])
    assert result.exit_code == 0
    assert "Example:" in result.output


def test_load_reports_failures_and_exits_nonzero(tmp_path: Path) -> None:
    db = tmp_path / "x.db"
    (tmp_path / "in").mkdir()
    shutil.copy(seed_files()[0], tmp_path / "in")
    (tmp_path / "in" / "bad.txt").write_bytes(b"\x00\x01\x02" * 100)
    result = runner.invoke(app, ["--db", str(db), "load", str(tmp_path / "in")])
    assert result.exit_code == 1
    assert "bad.txt: binary file" in result.output
    assert "1 added, 0 unchanged, 1 failed" in result.output
    again = runner.invoke(app, ["--db", str(db), "load", str(seed_files()[0])])
    assert again.exit_code == 0 and "0 added, 1 unchanged, 0 failed" in again.output


def test_search_json_has_spans_into_the_raw_sentence(seeded_path: Path) -> None:
    result = runner.invoke(app, ["--db", str(seeded_path), "search", "والكاظمي", "--json"])
    assert result.exit_code == 0
    doc = json.loads(result.output)
    assert doc["total"] > 0 and doc["hits"]
    for hit in doc["hits"]:
        assert {"file", "outlet", "published", "text", "spans", "score"} <= set(hit)
        assert all(hit["text"][s["start"] : s["end"]] for s in hit["spans"])


def test_search_error_is_one_line_not_a_traceback(seeded_path: Path) -> None:
    result = runner.invoke(app, ["--db", str(seeded_path), "search", "--", "-x"])
    assert result.exit_code == 2
    assert result.output.startswith("qexplore: error:") and "Traceback" not in result.output


def test_stats_counts_match_the_database(seeded_path: Path) -> None:
    result = runner.invoke(app, ["--db", str(seeded_path), "stats", "--json"])
    doc = json.loads(result.output)
    assert doc["tables"]["articles"] == len(seed_files())
    assert sum(o["sentences"] for o in doc["outlets"]) == doc["tables"]["sentences"]


def test_export_jsonl_and_csv_name_the_file_on_every_row(seeded_path: Path) -> None:
    names = {p.name for p in seed_files()}
    out = runner.invoke(app, ["--db", str(seeded_path), "export", "sentences"]).output
    rows = [json.loads(line) for line in out.splitlines()]
    assert rows and all(r["file"] in names for r in rows)
    out = runner.invoke(app, ["--db", str(seeded_path), "export", "articles", "--format", "csv"])
    table = list(csv.DictReader(io.StringIO(out.output)))
    assert {r["file"] for r in table} == names


def test_unknown_export_kind_and_bad_database_are_clear(tmp_path: Path) -> None:
    bad = runner.invoke(app, ["--db", str(tmp_path / "n.db"), "export", "nothing"])
    assert bad.exit_code == 2 and "unknown kind 'nothing'" in bad.output
    junk = tmp_path / "junk.db"
    junk.write_bytes(b"this is no sqlite database" * 100)
    result = runner.invoke(app, ["--db", str(junk), "stats"])
    assert result.exit_code == 1 and result.output.startswith("qexplore: error: cannot open")


def test_first_use_builds_the_default_database_from_the_seeds(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("QEXPLORE_DB", str(tmp_path / "default.db"))
    result = runner.invoke(app, ["stats", "--json"])
    assert result.exit_code == 0, result.output
    assert (tmp_path / "default.db").exists()
    assert json.loads(result.output.split("\n", 1)[1])["tables"]["articles"] == 5


def test_user_gazetteer_adds_actors_and_a_bad_one_is_one_line(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    config = tmp_path / "config"
    config.mkdir()
    monkeypatch.setenv("QEXPLORE_CONFIG_DIR", str(config))
    article = tmp_path / "a.txt"
    article.write_text("التقى زيد الفلاني بالوفد في بغداد أمس.", encoding="utf-8")
    (config / "gazetteer.toml").write_text(
        '[[actor]]\nid = "zaid"\ntype = "PER"\nname_ar = "زيد الفلاني"\nname_en = "Zaid al-Fulani"\n'
        'description = "a test figure"\naliases = []\naliases_en = ["Zaid"]\n',
        encoding="utf-8",
    )
    db = str(tmp_path / "u.db")
    assert runner.invoke(app, ["--db", db, "load", str(article)]).exit_code == 0
    found = runner.invoke(app, ["--db", db, "actors", "zaid", "--json"])
    assert [a["name_ar"] for a in json.loads(found.output)] == ["زيد الفلاني"]
    (config / "gazetteer.toml").write_text("[[actor]\nbroken", encoding="utf-8")
    other = tmp_path / "b.txt"
    other.write_text("وصل الوفد إلى بغداد.", encoding="utf-8")
    result = runner.invoke(app, ["--db", db, "load", str(other)])
    assert result.exit_code == 0 and "not valid TOML" in result.output
    assert "Traceback" not in result.output
