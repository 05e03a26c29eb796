"""Benchmark qexplore at about 10k, 100k and 1M sentences and print one table.

Run from the repository root: ``python -m tests.bench --sizes 10k,100k,1m`` (see README.md,
"Performance"). For each size it measures, in one run on this machine:

- load: ``qexplore load --jobs N`` (the real command, in a subprocess) over a JSON Lines file of
  the bench corpus (../shared/data/bench), articles/s and sentences/s, peak RSS of the process
  and its workers, database size against the raw text;
- search: p50/p95 over QUERIES through db.query.search (the app's path: parse, Latin expansion,
  count, bm25 or newest first, top 50 with highlight spans); the same MATCH expressions as raw
  FTS5 SQL (bm25, top 50, no app layer); ``rg -F`` over the sentences' text, one a line, counting
  all matching lines and stopping at 50;
- fuzzy actor lookup (db.query_actors.find_actors); the explorer's first paint, keystroke to
  results and RSS through Textual's Pilot, in a subprocess.

Decisions: the corpus holds about 310k sentences, so a larger size appends copies whose identity
is changed (a ``[copy k]`` line is added to the text: a new SHA-256), and says so. Full extraction
runs at a few hundred sentences a second per core, so loads are timed up to ``--load-cap``
sentences; above it the database is the capped load plus articles stored for search only
(the rows load.store writes for articles and sentences, without extraction), said in the output.
Figures are wall-clock on a machine that may be shared: the load average is printed with them.
"""

from __future__ import annotations

import argparse
import gzip
import json
import os
import re
import shutil
import sqlite3
import subprocess
import sys
import tempfile
import threading
import time
from collections.abc import Iterator
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parents[1]
CORPUS = ROOT.parent / "shared" / "data" / "bench" / "ant2018.jsonl.gz"
SEEDS = ROOT / "seeds"
_ROUGH_SENTENCE = re.compile(r"[^.!?؟\n]*[^.!?؟\n\s][^.!?؟\n]*")

# Fixed queries: rare names, common words, phrases, Latin names (expanded to actors' Arabic
# names), prefixes, and a few combinations. Chosen as a reader of Arabic news would type them.
QUERIES = (
    # rare and mid-frequency names
    "الكاظمي", "قاآني", "السيستاني", "الخزعلي", "المهندس", "العبادي", "الحلبوسي", "نصر الله",
    "خامنئي", "روحاني", "أردوغان", "ماكرون", "ميركل", "نتنياهو", "بوتين", "ترامب",
    # common words (tens of thousands of sentences at 1M)
    "في", "على", "قال", "الرئيس", "الحكومة", "العراق", "مصر", "السعودية", "الولايات", "اليوم",
    # phrases
    '"مجلس الأمن"', '"الأمم المتحدة"', '"وزير الخارجية"', '"حزب الله"', '"البيت الأبيض"',
    '"كأس العالم"', '"الشرق الأوسط"', '"رئيس الوزراء"', '"كوريا الشمالية"', '"أسعار النفط"',
    # Latin names
    "qaani", "kadhimi", "trump", "putin", "erdogan", "macron", "sistani", "Google", "FIFA",
    # prefixes
    "انتخاب*", "اقتصاد*", "سوري*", "عراق*", "نفط*", "مفاوض*", "تكنولوج*",
    # combinations
    "ترامب كوريا", "النفط -إيران", "موسكو OR واشنطن", "الجيش سوري*", '"الأمم المتحدة" اليمن',
)
ACTOR_LOOKUPS = ("qaani", "kadhimi", "trump", "putin", "erdogan", "macron", "sadr", "sistani",
                 "الكاظمي", "ترامب", "بوتين", "أردوغان", "ماكرون", "السيستاني")
TUI_QUERIES = ("الكاظمي", "ترامب", "النفط", '"مجلس الأمن"', "انتخاب*", "qaani", "العراق", "في",
               "السيستاني", "الحكومة", '"حزب الله"', "kadhimi", "trump", "اقتصاد*", "روحاني", "على",
               '"الأمم المتحدة"', "putin", "سوري*", "بغداد")


# ---- corpus ---------------------------------------------------------------------------------


def parse_size(text: str) -> int:
    """'10k' -> 10000, '1m' -> 1000000, '300' -> 300."""
    text = text.strip().lower()
    scale = {"k": 1_000, "m": 1_000_000}.get(text[-1:], 1)
    return int(float(text[:-1] if scale > 1 else text) * scale)


def rough_sentences(text: str) -> int:
    """Sentences counted roughly (pieces between . ! ? ؟ and newlines), to pick articles fast."""
    return len(_ROUGH_SENTENCE.findall(text))


def _originals(corpus: Path | None) -> Iterator[dict[str, Any]]:
    if corpus is None:
        for path in sorted(SEEDS.glob("*.txt")):
            yield {"id": path.name, "text": path.read_text(encoding="utf-8")}
        return
    with gzip.open(corpus, "rt", encoding="utf-8") as fh:
        for line in fh:
            yield json.loads(line)


def articles(corpus: Path | None) -> Iterator[dict[str, Any]]:
    """The corpus's articles, then copies with their identity changed, without end."""
    copy = 1
    while True:
        for obj in _originals(corpus):
            if copy > 1:
                obj = {**obj, "id": f"{obj['id']}#copy{copy}", "text": f"{obj['text']}\n[copy {copy}]"}
            yield obj
        copy += 1


def write_jsonl(stream: Iterator[dict[str, Any]], target: int, path: Path) -> tuple[int, int]:
    """Write articles from ``stream`` until ``target`` rough sentences; return (articles, bytes)."""
    n = sentences = raw = 0
    with open(path, "w", encoding="utf-8") as out:
        while sentences < target:
            obj = next(stream)
            out.write(json.dumps(obj, ensure_ascii=False) + "\n")
            n, sentences, raw = n + 1, sentences + rough_sentences(obj["text"]), raw + len(obj["text"])
    return n, raw


# ---- load -----------------------------------------------------------------------------------


def _tree_rss(root: int) -> int:
    """Resident memory of ``root`` and all its descendants, in bytes (Linux /proc)."""
    parents: dict[int, int] = {}
    for entry in os.listdir("/proc"):
        if entry.isdigit():
            try:
                with open(f"/proc/{entry}/stat", encoding="ascii", errors="replace") as fh:
                    parents[int(entry)] = int(fh.read().rsplit(")", 1)[1].split()[1])
            except (OSError, IndexError, ValueError):
                continue
    tree, frontier = {root}, [root]
    while frontier:
        kids = [p for p, pp in parents.items() if pp in frontier and p not in tree]
        tree.update(kids)
        frontier = kids
    total = 0
    for pid in tree:
        try:
            with open(f"/proc/{pid}/status", encoding="ascii", errors="replace") as fh:
                total += next((int(x.split()[1]) * 1024 for x in fh if x.startswith("VmRSS:")), 0)
        except OSError:
            continue
    return total


def run_measured(cmd: list[str]) -> tuple[float, int, str]:
    """Run ``cmd``; return (seconds, peak RSS of its process tree in bytes, its output)."""
    started = time.perf_counter()
    proc = subprocess.Popen(cmd, stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True)
    peak = [0]

    def sample() -> None:
        while proc.poll() is None:
            if os.path.isdir("/proc"):
                peak[0] = max(peak[0], _tree_rss(proc.pid))
            time.sleep(0.25)

    sampler = threading.Thread(target=sample, daemon=True)
    sampler.start()
    out, _ = proc.communicate()
    seconds = time.perf_counter() - started
    sampler.join()
    if proc.returncode not in (0, 1):
        raise RuntimeError(f"{' '.join(cmd[:4])} ... failed ({proc.returncode}): {out[-500:]}")
    return seconds, peak[0], out


def load_cli(db: Path, source: Path, jobs: int) -> dict[str, float]:
    """Time ``qexplore --db DB load --jobs N SOURCE`` in a fresh subprocess."""
    for suffix in ("", "-wal", "-shm"):
        Path(f"{db}{suffix}").unlink(missing_ok=True)
    code = "from qexplore.tui.cli import main; main()"
    seconds, rss, _ = run_measured(
        [sys.executable, "-c", code, "--db", str(db), "load", "--jobs", str(jobs), str(source)]
    )
    with sqlite3.connect(db) as conn:
        n_articles, n_sentences = conn.execute(
            "SELECT (SELECT count(*) FROM articles), (SELECT count(*) FROM sentences)"
        ).fetchone()
    return {"seconds": seconds, "rss": rss, "articles": n_articles, "sentences": n_sentences}


def fill_for_search(db_path: Path, stream: Iterator[dict[str, Any]], target: int) -> int:
    """Add articles stored for search only up to ``target`` sentences; return how many were added.

    Each gets the rows load.store writes for an article and its sentences (offsets, kind, both
    index columns) but no extraction: no mentions, claims or events.
    """
    from datetime import UTC, datetime

    from qexplore.db.connection import write_transaction
    from qexplore.db.load import content_hash, index_sentences
    from qexplore.db.parallel import optimize_index
    from qexplore.db.schema import open_db
    from qexplore.db.segment import segment

    db = open_db(db_path)
    have, next_id = db.execute("SELECT count(*), coalesce(max(id), 0) + 1 FROM sentence_rows").fetchone()
    added = 0
    while have < target:
        with write_transaction(db):
            for _ in range(500):
                obj = next(stream)
                text, date = obj["text"], obj.get("date")
                seen = db.execute("SELECT 1 FROM articles WHERE content_hash = ?", [content_hash(text)])
                if seen.fetchone():
                    continue
                cursor = db.execute(
                    "INSERT INTO articles (content_hash, file, title, outlet, url, published, "
                    "date_precision, date_basis, encoding, text, loaded_at) VALUES (?,?,?,?,?,?,?,?,?,?,?)",
                    [content_hash(text), str(obj["id"]), obj.get("title"), obj.get("outlet"),
                     obj.get("url"), date, "day" if date else None, "sidecar" if date else None,
                     "utf-8", text, datetime.now(UTC).isoformat(timespec="seconds")])
                sentences = segment(text)
                db.conn.executemany(
                    "INSERT INTO sentence_rows (id, article_id, seq, start, end, kind, boilerplate) "
                    "VALUES (?,?,?,?,?,?,?)",
                    [(next_id + x.seq, cursor.lastrowid, x.seq, x.start, x.end, x.kind,
                      int(x.boilerplate)) for x in sentences])
                index_sentences(db, next_id, sentences)
                added, have, next_id = added + 1, have + len(sentences), next_id + len(sentences)
                if have >= target:
                    break
    optimize_index(db, added)
    db.execute("PRAGMA wal_checkpoint(TRUNCATE)")
    db.close()
    return added


def db_bytes(path: Path) -> int:
    """The database's size on disk after a checkpoint (main file plus any write-ahead log)."""
    with sqlite3.connect(path) as conn:
        conn.execute("PRAGMA wal_checkpoint(TRUNCATE)")
    return sum(Path(f"{path}{s}").stat().st_size for s in ("", "-wal") if Path(f"{path}{s}").exists())


# ---- search ---------------------------------------------------------------------------------


def pct(values: list[float], q: float) -> float:
    """The q-th percentile (0-100) of ``values``, nearest-rank."""
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, max(0, round(q / 100 * len(ordered) + 0.5) - 1))]


def _timed(fn: Any) -> float:
    started = time.perf_counter()
    fn()
    return (time.perf_counter() - started) * 1000


def rg_patterns(query: str) -> list[str]:
    """The literal strings ``rg -F`` looks for: the query's words and phrases, not the excluded."""
    found = []
    for m in re.finditer(r'(-?)"([^"]*)"|(\S+)', query):
        text = m.group(2) if m.group(3) is None else m.group(3)
        if m.group(1) or text.startswith("-") or text == "OR":
            continue
        found.append(text.rstrip("*"))
    return [p for p in found if p]


def search_figures(db_path: Path, workdir: Path, rg: str | None) -> dict[str, Any]:
    """Search timings (ms) over QUERIES: app path, raw FTS5, rg -F; and fuzzy actor lookups."""
    from qexplore.db.query import expand_latin, parse_query, search
    from qexplore.db.query_actors import find_actors, name_index
    from qexplore.db.schema import open_db

    db = open_db(db_path, read_only=True)
    raw_sql = ("SELECT s.id, s.text FROM sentences_fts f JOIN sentences s ON s.id = f.rowid "
               "WHERE sentences_fts MATCH ? ORDER BY f.rank LIMIT 50")
    exprs = [expand_latin(db, parse_query(q)).fts() for q in QUERIES]
    for q, e in zip(QUERIES, exprs, strict=True):  # warm the page cache and the actor skeletons
        search(db, q, limit=50)
        db.execute(raw_sql, [e]).fetchall()
    app = [_timed(lambda q=q: search(db, q, limit=50)) for q in QUERIES]
    raw = [_timed(lambda e=e: db.execute(raw_sql, [e]).fetchall()) for e in exprs]
    count = "SELECT count(*) FROM sentences_fts WHERE sentences_fts MATCH ?"
    big = sum(db.execute(count, [e]).fetchone()[0] > 50_000 for e in exprs)
    cold = _timed(lambda: find_actors(db, "zzqx"))
    names = name_index(db)

    def lookup(name: str) -> list[int]:
        names.latin.clear()  # what the warm-up's searches found is kept: each lookup here scores anew
        return find_actors(db, name)

    fuzzy = [_timed(lambda n=n: lookup(n)) for n in ACTOR_LOOKUPS]
    out: dict[str, Any] = {"app": app, "raw": raw, "fuzzy": fuzzy, "fuzzy_cold": cold, "big": big}
    if rg:
        text = workdir / f"{db_path.stem}.sentences.txt"
        with open(text, "w", encoding="utf-8") as fh:
            for (sentence,) in db.execute("SELECT text FROM sentences ORDER BY id"):
                fh.write(sentence.replace("\n", " ") + "\n")
        out["rg_all"], out["rg_50"] = rg_times(rg, text)
        text.unlink()
    db.close()
    return out


def rg_times(rg: str, text: Path) -> tuple[list[float], list[float]]:
    """rg -F per query: counting every matching line, and stopping after 50."""
    every, first = [], []
    for q in QUERIES:
        args = [a for p in rg_patterns(q) for a in ("-e", p)]
        for flags, sink in ((["-c"], every), (["-m", "50"], first)):
            started = time.perf_counter()
            subprocess.run([rg, "-F", "--no-config", *flags, *args, str(text)],
                           stdout=subprocess.DEVNULL, check=False)
            sink.append((time.perf_counter() - started) * 1000)
    return every, first


# ---- TUI (run in its own process: its RSS is the explorer's) ---------------------------------


class _Frames:
    """Hooks on the explorer that note when a frame reaches the terminal and when a pane gets pages.

    They wrap two of its methods (Textual's App._display, the paged list's page handler): times come
    from these events, not from when Pilot's calls return.
    """

    def __init__(self) -> None:
        self.frames: list[float] = []
        self.pages: list[tuple[float, str, str, bool, bool]] = []  # time, pane, query, rows, counted

    def install(self) -> None:
        from qexplore.tui.app import QexploreApp
        from qexplore.tui.screens.main import MainScreen
        from qexplore.tui.widgets import paged

        display, loaded, frames, pages = QexploreApp._display, paged.PagedList.on_paged_list_page_loaded, \
            self.frames, self.pages

        def on_display(app: Any, screen: Any, renderable: Any) -> Any:
            if renderable is not None and isinstance(screen, MainScreen):
                frames.append(time.perf_counter())
            return display(app, screen, renderable)

        def on_loaded(pane: Any, message: Any) -> None:
            loaded(pane, message)
            flt = getattr(pane.listing, "flt", None)
            if flt is not None and message.generation == pane._generation:
                pages.append((time.perf_counter(), pane.id, flt.query, 0 in pane._pages or pane.total == 0,
                              pane.total is not None))

        QexploreApp._display = on_display  # type: ignore[method-assign]
        paged.PagedList.on_paged_list_page_loaded = on_loaded  # type: ignore[method-assign]

    def ready(self, query: str, after: float, counted: bool) -> float | None:
        """When all three panes held ``query``'s first page (and its count when ``counted``)."""
        got: dict[str, float] = {}
        for at, pane, q, rows, total in self.pages:
            if at >= after and q == query and (total if counted else rows):
                got.setdefault(pane, at)
        return max(got.values()) if len(got) == 3 else None

    def drawn(self, at: float | None) -> float | None:
        """The first frame drawn at or after ``at``."""
        return None if at is None else next((f for f in self.frames if f >= at), None)


async def _tui(db_path: Path, config: Path) -> dict[str, float]:
    """First paint, keystroke to results and RSS of the explorer (Pilot, 120x40).

    First paint: creating the app to its first frame. Per query the box holds the query but its
    last character (every pane settled), then that key is pressed: "results" ends at the first frame
    drawn once all three panes hold the new query's first page; "with counts" once their counts
    are in too.
    """
    import asyncio

    from textual.widgets import Input

    from qexplore.tui.app import QexploreApp

    hooks = _Frames()
    hooks.install()
    started = time.perf_counter()
    app = QexploreApp(db_path, config_dir=config)

    async def until(check: Any) -> Any:
        while (value := check()) is None:
            await asyncio.sleep(0.002)
        return value

    async with app.run_test(size=(120, 40)) as pilot:
        first_frame = await until(lambda: hooks.frames[0] if hooks.frames else None)
        first = (first_frame - started) * 1000
        await until(lambda: hooks.drawn(hooks.ready("", started, True)))
        await app.workers.wait_for_complete()
        box = app.screen.query_one("#search", Input)
        box.focus()
        results, counted = [], []
        for query in TUI_QUERIES:
            typed, head, whole = time.perf_counter(), query[:-1].strip(), query.strip()
            box.value, box.cursor_position = query[:-1], len(query) - 1
            await until(lambda q=head, t=typed: hooks.ready(q, t, True))
            await app.workers.wait_for_complete()
            await pilot.pause()
            pressed = time.perf_counter()
            await pilot.press(query[-1])
            done = await until(lambda q=whole, t=pressed: hooks.drawn(hooks.ready(q, t, True)))
            rows = hooks.drawn(hooks.ready(whole, pressed, False)) or done
            results.append((rows - pressed) * 1000)
            counted.append((done - pressed) * 1000)
    return {"first": first, "key_p50": pct(results, 50), "key_p95": pct(results, 95),
            "count_p50": pct(counted, 50), "count_p95": pct(counted, 95), "rss": _peak_rss()}


def _peak_rss() -> int:
    """This process's peak resident memory in bytes.

    VmHWM, not getrusage's ru_maxrss: on Linux ru_maxrss survives exec, so a process started by the
    benchmark would report the benchmark's own peak (its memory map of a 1M database) as its own.
    """
    try:
        with open("/proc/self/status", encoding="ascii") as fh:
            return next(int(line.split()[1]) * 1024 for line in fh if line.startswith("VmHWM:"))
    except (OSError, StopIteration):
        import resource

        return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss * (1 if sys.platform == "darwin" else 1024)


TUI_TIMEOUT_S = 300


def tui_figures(db_path: Path, workdir: Path) -> dict[str, Any]:
    """Run the Pilot measurement in a fresh process; {"error": reason} when it cannot run."""
    try:
        proc = subprocess.run(
            [sys.executable, str(Path(__file__).resolve()), "--tui", str(db_path), "--workdir", str(workdir)],
            capture_output=True, text=True, check=False, timeout=TUI_TIMEOUT_S,
        )
    except subprocess.TimeoutExpired:
        return {"error": f"not done in {TUI_TIMEOUT_S} s"}
    lines = [ln for ln in proc.stdout.splitlines() if ln.startswith("{")]
    if proc.returncode or not lines:
        return {"error": (proc.stderr.strip().splitlines() or ["no output"])[-1][:80]}
    return dict(json.loads(lines[-1]))


# ---- the run --------------------------------------------------------------------------------


def run_size(size: int, args: argparse.Namespace, loads: dict[int, dict[str, Any]]) -> dict[str, Any]:
    """Build the database for one size and measure everything on it."""
    work: Path = args.workdir
    capped = min(size, args.load_cap)
    timed = loads.get(capped)
    if timed is None:
        source = work / f"load-{capped}.jsonl"
        lines, _ = write_jsonl(articles(args.corpus), capped, source)
        timed = {"jobs": {}, "db": work / f"load-{capped}.db", "lines": lines}
        for jobs in args.jobs:
            timed["jobs"][jobs] = load_cli(timed["db"], source, jobs)
        source.unlink()
        loads[capped] = timed
    db = work / f"size-{size}.db"
    shutil.copyfile(timed["db"], db)
    filled = 0
    if size > capped:
        stream = articles(args.corpus)
        for _ in range(timed["lines"]):
            next(stream)
        filled = fill_for_search(db, stream, size)
    with sqlite3.connect(db) as conn:
        n_art, n_sent, raw = conn.execute(
            "SELECT count(*), (SELECT count(*) FROM sentences), sum(length(CAST(text AS BLOB))) "
            "FROM articles").fetchone()
    rg = None if args.no_rg else shutil.which("rg") or _venv_rg()
    result = {"size": size, "articles": n_art, "sentences": n_sent, "raw": raw, "db": db_bytes(db),
              "load": timed, "filled": filled, "capped": capped, "rg": rg,
              "search": search_figures(db, work, rg)}
    result["tui"] = {} if args.no_tui else tui_figures(db, work)
    for suffix in ("", "-wal", "-shm"):
        Path(f"{db}{suffix}").unlink(missing_ok=True)
    return result


def _venv_rg() -> str | None:
    candidate = Path(sys.executable).parent / "rg"
    return str(candidate) if candidate.exists() else None


def _ms(values: list[float]) -> str:
    return f"{pct(values, 50):.1f} / {pct(values, 95):.1f}"


def table(results: list[dict[str, Any]], jobs: list[int]) -> list[tuple[str, list[str]]]:
    """The rows of the table: (figure, one cell per size)."""
    rows: list[tuple[str, list[str]]] = []

    def row(name: str, cell: Any) -> None:
        rows.append((name, [cell(r) for r in results]))

    row("sentences (articles) in the database", lambda r: f"{r['sentences']:,} ({r['articles']:,})")
    row("  of which stored for search only", lambda r: f"{r['sentences'] - _loaded(r)['sentences']:,}")
    for j in jobs:
        row(f"load --jobs {j}: articles/s", lambda r, j=j: f"{_rate(r, j, 'articles'):,.1f}")
        row(f"load --jobs {j}: sentences/s (per core)",
            lambda r, j=j: f"{_rate(r, j, 'sentences'):,.0f} ({_rate(r, j, 'sentences') / j:,.0f})")
        row(f"load --jobs {j}: peak RSS MB", lambda r, j=j: f"{r['load']['jobs'][j]['rss'] / 2**20:,.0f}")
    if len(jobs) > 1:
        row(f"--jobs {jobs[-1]} / --jobs {jobs[0]} speed-up",
            lambda r: f"{_rate(r, jobs[-1], 'sentences') / _rate(r, jobs[0], 'sentences'):.2f}x")
    row("sentences timed in the load", lambda r: f"{_loaded(r)['sentences']:,}")
    row("database MB / raw text MB", lambda r: f"{r['db'] / 1e6:,.1f} / {r['raw'] / 1e6:,.1f} "
        f"= {r['db'] / r['raw']:.2f}x")
    row("search, app path: ms p50 / p95", lambda r: _ms(r["search"]["app"]))
    row("  queries matching > 50k sentences", lambda r: str(r["search"]["big"]))
    row("search, raw FTS5 bm25: ms p50 / p95", lambda r: _ms(r["search"]["raw"]))
    row("app / raw FTS5 at p50", lambda r: f"{_p50(r, 'app') / _p50(r, 'raw'):.2f}x")
    row("rg -F, all matches: ms p50 / p95",
        lambda r: _ms(r["search"]["rg_all"]) if "rg_all" in r["search"] else "n/a")
    row("rg -F, stop at 50: ms p50 / p95",
        lambda r: _ms(r["search"]["rg_50"]) if "rg_50" in r["search"] else "n/a")
    row("app faster than rg all (p50 / p50)",
        lambda r: f"{_p50(r, 'rg_all') / _p50(r, 'app'):.0f}x" if "rg_all" in r["search"] else "n/a")
    row("fuzzy actor lookup: ms p50 / p95 (cold)",
        lambda r: f"{_ms(r['search']['fuzzy'])} ({r['search']['fuzzy_cold']:.0f})")
    row("TUI first paint ms", lambda r: _tui_cell(r, "first"))
    row("TUI keystroke to results: ms p50 / p95",
        lambda r: f"{_tui_cell(r, 'key_p50')} / {_tui_cell(r, 'key_p95')}")
    row("  with the panes' counts in too: ms p50 / p95",
        lambda r: f"{_tui_cell(r, 'count_p50')} / {_tui_cell(r, 'count_p95')}")
    row("TUI RSS MB", lambda r: _tui_cell(r, "rss", 2**20))
    return rows


def _p50(r: dict[str, Any], key: str) -> float:
    return pct(r["search"][key], 50)


def _loaded(r: dict[str, Any]) -> dict[str, Any]:
    return dict(next(iter(r["load"]["jobs"].values())))


def _rate(r: dict[str, Any], jobs: int, what: str) -> float:
    done = r["load"]["jobs"][jobs]
    return float(done[what] / done["seconds"])


def _tui_cell(r: dict[str, Any], key: str, scale: float = 1) -> str:
    if key not in r["tui"]:
        return "n/a" if not r["tui"] else f"n/a ({r['tui'].get('error', '')})"
    return f"{r['tui'][key] / scale:,.0f}"


def header(args: argparse.Namespace, sizes: list[int], start_load: float) -> list[str]:
    """The lines above the table: machine, corpus, what was copied or stored for search only."""
    cores = os.cpu_count() or 1
    corpus = args.corpus.name if args.corpus else "the shipped seeds (seeds/*.txt)"
    return [
        f"qexplore benchmark on {cores} cores (os.cpu_count), Python {sys.version.split()[0]}, "
        f"SQLite {sqlite3.sqlite_version}; load average {start_load:.2f} at the start, "
        f"{os.getloadavg()[0]:.2f} at the end (other work on the machine slows every figure)",
        f"command: python -m tests.bench --sizes {args.sizes_text} --jobs "
        f"{','.join(map(str, args.jobs))} --load-cap {args.load_cap}",
        f"corpus: {corpus}; past its end, copies with their identity changed (a '[copy k]' line "
        "appended: a new SHA-256); loads are timed on the first "
        f"{args.load_cap:,} sentences at most, the rest is stored for search only (no extraction)",
        f"search: {len(QUERIES)} fixed queries, top 50 with highlights; raw FTS5 = the same MATCH, "
        "ORDER BY rank LIMIT 50; rg -F = the query's words as literal patterns over the sentences, "
        "one a line (a subprocess each)",
    ]


def main(argv: list[str] | None = None) -> list[dict[str, Any]]:
    """Run the benchmark and print the table; return the raw figures."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--sizes", default="10k,100k,1m", help="sentence counts, e.g. 10k,100k,1m")
    parser.add_argument("--jobs", default="1,2", help="worker counts to time loads with")
    parser.add_argument("--load-cap", default="120k", help="time loads up to this many sentences")
    parser.add_argument("--corpus", type=Path, default=CORPUS, help="JSONL(.gz) articles")
    parser.add_argument("--seeds", action="store_true", help="use the shipped seeds as the corpus")
    parser.add_argument("--workdir", type=Path, help="where databases go (default: a temp dir)")
    parser.add_argument("--no-rg", action="store_true", help="skip the ripgrep baseline")
    parser.add_argument("--no-tui", action="store_true", help="skip the explorer's figures")
    parser.add_argument("--tui", type=Path, help=argparse.SUPPRESS)
    args = parser.parse_args(argv)
    if args.tui:
        import asyncio

        work = args.workdir or Path(tempfile.mkdtemp())
        print(json.dumps(asyncio.run(_tui(args.tui, work / "tui-config"))))
        return []
    args.sizes_text, args.load_cap = args.sizes, parse_size(args.load_cap)
    args.jobs = [int(j) for j in args.jobs.split(",")]
    if args.seeds or not args.corpus.exists():
        args.corpus = None
    sizes = sorted(parse_size(s) for s in args.sizes.split(","))
    start_load = os.getloadavg()[0]
    with tempfile.TemporaryDirectory(prefix="qexplore-bench-") as tmp:
        args.workdir = args.workdir or Path(tmp)
        args.workdir.mkdir(parents=True, exist_ok=True)
        loads: dict[int, dict[str, Any]] = {}
        results = [run_size(size, args, loads) for size in sizes]
    print_table(header(args, sizes, start_load), table(results, args.jobs), sizes)
    return results


def print_table(lines: list[str], rows: list[tuple[str, list[str]]], sizes: list[int]) -> None:
    """Print the header lines and the table, one column per size."""
    names = [f"~{s / 1e6:g}M" if s >= 1e6 else f"~{s / 1e3:g}k" if s >= 1e3 else str(s) for s in sizes]
    width = max(len(r[0]) for r in rows)
    cols = [max(len(n), *(len(r[1][i]) for r in rows)) for i, n in enumerate(names)]
    print("\n".join(lines))
    print(f"{'figure':{width}}  " + "  ".join(f"{n:>{w}}" for n, w in zip(names, cols, strict=True)))
    for name, cells in rows:
        print(f"{name:{width}}  " + "  ".join(f"{c:>{w}}" for c, w in zip(cells, cols, strict=True)))


if __name__ == "__main__":
    main()
