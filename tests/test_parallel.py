"""Loading with worker processes: the same database as a one-process load, resumable, streaming."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from qexplore.db import parallel
from qexplore.db.config import seed_files
from qexplore.db.load import Extractors, load, ready
from qexplore.db.schema import open_db

TABLES = {
    "sentences": "article_id, seq, start, end, text, kind, boilerplate",
    "mentions": "sentence_id, start, end, surface, key, type, source, confidence, actor_id",
    "claims": "sentence_id, kind, cue, speaker_text, speaker_actor_id, content",
    "events": "id, type, date",
}


def _corpus(tmp_path: Path) -> Path:
    """The seeds as JSON Lines, plus one bad line and a copy with its identity changed."""
    path = tmp_path / "seeds.jsonl"
    lines = [json.dumps({"text": f.read_text(encoding="utf-8")}, ensure_ascii=False) for f in seed_files()]
    lines.insert(2, "{not json")
    lines.append(json.dumps({"text": seed_files()[0].read_text(encoding="utf-8") + "\nنسخة."}))
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    return path


def _rows(path: Path) -> dict[str, list[tuple[object, ...]]]:
    db = open_db(path, read_only=True)
    try:
        return {t: db.execute(f"SELECT {c} FROM {t} ORDER BY 1, 2").fetchall() for t, c in TABLES.items()}
    finally:
        db.close()


def _load(path: Path, corpus: Path, jobs: int) -> tuple[int, int, int, list[str]]:
    db = open_db(path)
    events: list[str] = []
    try:
        report = load(db, [str(corpus)], lambda e, _, __: events.append(e), Extractors.default(), jobs=jobs)
    finally:
        db.close()
    return report.added, report.unchanged, len(report.failed), events


def test_two_workers_store_what_one_process_stores(tmp_path: Path) -> None:
    corpus = _corpus(tmp_path)
    one = _load(tmp_path / "one.db", corpus, 1)
    two = _load(tmp_path / "two.db", corpus, 2)
    assert one == two and one[:3] == (6, 0, 1)
    assert two[3][-1] == "file" and two[3].count("added") == 6  # in order, file event last
    rows = _rows(tmp_path / "two.db")
    assert rows == _rows(tmp_path / "one.db")
    assert rows["mentions"] and rows["claims"] and rows["events"]


def test_a_rerun_skips_what_is_stored_without_extracting_it(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    corpus = _corpus(tmp_path)
    assert _load(tmp_path / "db.db", corpus, 2)[:3] == (6, 0, 1)
    sent: list[object] = []
    monkeypatch.setattr(parallel.ProcessPoolExecutor, "submit", lambda self, *a: sent.append(a))
    assert _load(tmp_path / "db.db", corpus, 2)[:3] == (0, 6, 1)
    assert sent == []  # nothing went to the workers


def test_at_most_a_window_of_articles_is_in_flight(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    from qexplore.db.models import Source

    finished: list[object] = []
    real = parallel._Writer.finish

    def finish(self: parallel._Writer, item: object, future: object) -> None:
        finished.append(item)
        real(self, item, future)  # type: ignore[arg-type]

    submitted = [0]
    real_submit = parallel.ProcessPoolExecutor.submit

    def submit(self: parallel.ProcessPoolExecutor, *args: object) -> object:
        submitted[0] += 1
        assert submitted[0] - len(finished) <= 2 * parallel.WINDOW_PER_JOB  # jobs x window
        return real_submit(self, *args)  # type: ignore[arg-type]

    monkeypatch.setattr(parallel._Writer, "finish", finish)
    monkeypatch.setattr(parallel.ProcessPoolExecutor, "submit", submit)
    db = open_db(tmp_path / "w.db")
    ex = ready(db, Extractors.default())
    texts = [f"قال الوزير في بغداد إن الاجتماع رقم {i} انتهى." for i in range(30)]
    report = parallel.load_stream(db, (Source(f"{i}.txt", t) for i, t in enumerate(texts)), ex, 2)
    db.close()
    assert report.added == 30 and submitted[0] == 30 and len(finished) == 30


def test_an_article_crosses_the_process_boundary_unchanged() -> None:
    """Workers send articles back pickled by position (models.Positional): every field survives."""
    import pickle

    from qexplore.db.load import process
    from qexplore.db.read import read_path

    extractors = Extractors.default()
    checked = 0
    for path in seed_files():
        for source in read_path(path):
            article = process(source, extractors)
            assert article.mentions and article.sentences  # the seeds have both, so both are checked
            back = pickle.loads(pickle.dumps(article, protocol=pickle.HIGHEST_PROTOCOL))
            assert back == article and pickle.loads(pickle.dumps(source)) == source
            assert [type(c) for c in back.claims] == [type(c) for c in article.claims]
            checked += bool(article.claims) and bool(article.events)
    assert checked  # at least one article with claims and events went through
