"""Loading: identity by content, encodings, bad files, metadata, and formats."""

from __future__ import annotations

import json
from pathlib import Path

from sqlite_utils import Database

from qexplore.db.config import seed_files
from qexplore.db.load import load

COUNTED = ("articles", "sentences")


def _counts(db: Database) -> dict[str, int]:
    counts = {t: db[t].count for t in COUNTED}
    counts["fts"] = db.execute("SELECT count(*) FROM sentences_fts").fetchone()[0]
    return counts


def test_loading_twice_changes_no_count(memdb: Database) -> None:
    first = load(memdb, [str(p) for p in seed_files()])
    before = _counts(memdb)
    second = load(memdb, [str(p.parent) for p in seed_files()[:1]])
    assert first.added == 5 and before["articles"] == 5
    assert second.added == 0 and second.unchanged == 5
    assert _counts(memdb) == before


def test_bad_files_are_reported_and_good_ones_load(memdb: Database, tmp_path: Path) -> None:
    seeds = seed_files()
    for seed in seeds[1:]:
        (tmp_path / seed.name).write_bytes(seed.read_bytes())
    # A Windows-1256 file made here by re-encoding the first seed.
    cp1256 = tmp_path / "legacy_cp1256.txt"
    cp1256.write_bytes(seeds[0].read_text(encoding="utf-8").encode("cp1256"))
    (tmp_path / "photo.txt").write_bytes(bytes(range(256)) * 40)
    (tmp_path / "empty.txt").write_bytes(b"  \n\n")
    events: list[tuple[str, str, str]] = []
    report = load(memdb, [str(tmp_path)], lambda *e: events.append(e))
    failed = {Path(f.where).name: f.reason for f in report.failed}
    assert set(failed) == {"photo.txt", "empty.txt"}
    assert "binary" in failed["photo.txt"] and "empty" in failed["empty.txt"]
    assert report.added == 5
    row = memdb.execute(
        "SELECT encoding, text FROM articles WHERE file = 'legacy_cp1256.txt'"
    ).fetchone()
    assert row[0].replace("_", "").lower() in ("cp1256", "windows1256")
    assert row[1] == seeds[0].read_text(encoding="utf-8")


def test_bom_and_crlf_decode_to_the_same_article(memdb: Database, tmp_path: Path) -> None:
    text = seed_files()[4].read_text(encoding="utf-8")
    (tmp_path / "a.txt").write_bytes(text.encode("utf-8"))
    (tmp_path / "b.txt").write_bytes(b"\xef\xbb\xbf" + text.replace("\n", "\r\n").encode("utf-8"))
    report = load(memdb, [str(tmp_path / "*.txt")])
    assert (report.added, report.unchanged) == (1, 1)


def test_missing_path_fails_without_stopping_the_rest(memdb: Database) -> None:
    report = load(memdb, ["/no/such/file.txt", str(seed_files()[0])])
    assert report.added == 1 and [f.where for f in report.failed] == ["/no/such/file.txt"]


def test_metadata_stated_in_the_seed_texts(seeded: Database) -> None:
    rows = {
        r[0][:3]: r[1:]
        for r in seeded.execute(
            "SELECT file, title, outlet, published, date_precision, date_basis FROM articles"
        )
    }
    assert rows["004"] == (
        "طهران تفشل في توجيه ردٍّ قاسٍ لمصطفى الكاظمي", "الجريدة", "2020-06-29", "day", "stated"
    )
    assert rows["002"][1] == "الترا عراق"
    assert rows["001"][1] == "سكاي نيوز عربية"
    assert rows["000"][0] is None  # the first line is body text, not a headline


def test_sidecar_metadata_wins(memdb: Database, tmp_path: Path) -> None:
    (tmp_path / "n.txt").write_text("وصل الوفد إلى بغداد.", encoding="utf-8")
    meta = {"title": "خبر", "outlet": "وكالة", "date": "2021-07-28", "url": "http://x"}
    (tmp_path / "n.meta.json").write_text(json.dumps(meta), encoding="utf-8")
    load(memdb, [str(tmp_path / "n.txt")])
    row = memdb.execute("SELECT title, outlet, published, date_basis, url FROM articles").fetchone()
    assert row == ("خبر", "وكالة", "2021-07-28", "sidecar", "http://x")


def test_jsonl_lines_load_and_bad_lines_are_named(memdb: Database, tmp_path: Path) -> None:
    lines = [
        json.dumps({"text": "وصل الوفد إلى بغداد.", "title": "عنوان", "date": "2019-03-01"}),
        "{not json",
        json.dumps({"title": "no text"}),
        json.dumps({"text": "غادر الوفد بغداد.", "outlet": "رويترز"}),
    ]
    path = tmp_path / "batch.jsonl"
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    report = load(memdb, [str(path)])
    assert report.added == 2
    assert [f.where for f in report.failed] == ["batch.jsonl:2", "batch.jsonl:3"]
    files = [r[0] for r in memdb.execute("SELECT file FROM articles ORDER BY id")]
    assert files == ["batch.jsonl:1", "batch.jsonl:4"]


def test_html_main_text_and_metadata(memdb: Database, tmp_path: Path) -> None:
    body = "".join(
        f"<p>قال مسؤول عراقي إن الوفد الإيراني وصل إلى بغداد في زيارة رقم {i} لبحث التهدئة.</p>"
        for i in range(6)
    )
    html = (
        "<html><head><title>زيارة الوفد</title>"
        '<meta property="og:site_name" content="موقع الاختبار"></head><body>'
        "<nav>الرئيسية | سياسة | اقتصاد</nav>"
        f"<article><h1>زيارة الوفد</h1>{body}</article>"
        "<footer>جميع الحقوق محفوظة</footer><script>alert(1)</script></body></html>"
    )
    (tmp_path / "page.html").write_text(html, encoding="utf-8")
    report = load(memdb, [str(tmp_path / "page.html")])
    assert report.added == 1, report.failed
    text, title, outlet = memdb.execute("SELECT text, title, outlet FROM articles").fetchone()
    assert "زيارة رقم 5" in text and "alert" not in text and "<p>" not in text
    assert title == "زيارة الوفد" and outlet == "موقع الاختبار"
