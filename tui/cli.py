"""The `qexplore` command: open the explorer, load articles, search, statistics and exports."""

from __future__ import annotations

import csv
import json
import os
import signal
import sqlite3
import sys
import time
import traceback
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import asdict
from enum import StrEnum
from pathlib import Path
from typing import Annotated, Any, NoReturn

import typer

from qexplore.db.config import Paths, default_paths, seed_files
from qexplore.tui.render import clean

app = typer.Typer(
    name="qexplore",
    help="A terminal explorer for Arabic news: actors, events, claims and their source sentences.",
    no_args_is_help=False,
    add_completion=False,
    rich_markup_mode=None,
    pretty_exceptions_enable=False,
)

DbOption = Annotated[
    Path | None,
    typer.Option("--db", help="Database file (default: $QEXPLORE_DB, else the user data folder).",
                 show_default=False),
]


# Set by --debug: tracebacks are shown instead of one-line errors.
DEBUG = {"on": False}


def _line(text: str) -> str:
    """``text`` made safe for the terminal and squeezed onto one line."""
    return " ".join(clean(text).split())


def fail(message: str, code: int = 1) -> NoReturn:
    """Print a one-line error to standard error and exit with ``code``."""
    typer.echo(f"qexplore: error: {_line(message)}", err=True)
    raise typer.Exit(code)


def _paths(ctx: typer.Context, db: Path | None) -> Paths:
    chosen = db or (ctx.obj or {}).get("db")
    return default_paths(str(chosen) if chosen else None)


def _extractors(paths: Paths) -> Any:
    """The extractors with the user's own gazetteer file, or without it (said once) if it is bad."""
    from qexplore.db.extract.gazetteer import GazetteerError
    from qexplore.db.load import Extractors

    try:
        return Extractors.default(paths.config_dir / "gazetteer.toml")
    except GazetteerError as exc:
        typer.echo(f"qexplore: {clean(str(exc))}; using the shipped gazetteer only", err=True)
        return Extractors.default()


def _db_reason(exc: BaseException) -> str:
    """A database error in the user's words (locked, read-only), else SQLite's own."""
    from qexplore.db.connection import BUSY_TIMEOUT_S

    text = str(exc)
    if "locked" in text or "busy" in text:
        return f"it is locked: another program has been writing to it for over {BUSY_TIMEOUT_S:g}s; try later"
    if "readonly" in text:
        return "it is read-only, and this command needs to write to it"
    return text


@contextmanager
def _opened(paths: Paths, *, seed: bool, read_only_ok: bool = False) -> Iterator[Any]:
    """Open the database for writing; build it from the seeds when ``seed`` and it is new.

    With ``read_only_ok`` a database that cannot be written is opened read-only instead.
    """
    from qexplore.db.connection import BadDatabase, ReadOnlyDatabase
    from qexplore.db.schema import open_db

    new = not paths.db.exists()
    try:
        db = open_db(paths.db)
    except ReadOnlyDatabase as exc:
        if new or not read_only_ok:
            fail(f"cannot write to the database: {exc}")
        db = _read_only(paths)
    except BadDatabase as exc:
        fail(f"cannot open database: {exc}")
    except (sqlite3.DatabaseError, OSError) as exc:
        fail(f"cannot open database {paths.db}: {_db_reason(exc)}")
    try:
        if seed and new:
            from qexplore.db.load import load_files

            report = load_files(db, seed_files(), extractors=_extractors(paths))
            typer.echo(
                f"qexplore: built {paths.db} from {report.added} seed articles", err=True
            )
        yield db
    except sqlite3.DatabaseError as exc:
        fail(f"database {paths.db}: {_db_reason(exc)}")
    finally:
        db.close()


def _read_only(paths: Paths) -> Any:
    from qexplore.db.connection import BadDatabase
    from qexplore.db.schema import open_db

    try:
        return open_db(paths.db, read_only=True)
    except (BadDatabase, sqlite3.DatabaseError) as exc:
        fail(f"cannot open database {paths.db} even read-only: {_db_reason(exc)}")


class Bidi(StrEnum):
    """How Arabic is laid out in the explorer."""

    auto = "auto"
    logical = "logical"
    visual = "visual"


@app.callback(invoke_without_command=True)
def main_callback(
    ctx: typer.Context,
    db: DbOption = None,
    debug: Annotated[bool, typer.Option("--debug", help="Show Python tracebacks of errors.")] = False,
    bidi: Annotated[
        Bidi | None,
        typer.Option("--bidi", help="Arabic layout: visual reorders lines for terminals without bidi, "
                     "logical leaves it to the terminal, auto guesses (default: $QEXPLORE_BIDI, "
                     "else the saved setting, else auto).", show_default=False),
    ] = None,
) -> None:
    """Open the explorer on the database (built from the shipped seed articles on first use).

    Example: qexplore --db news.db --bidi visual
    """
    ctx.obj = {"db": db}
    DEBUG["on"] = debug
    if ctx.invoked_subcommand is not None:
        return
    paths = _paths(ctx, db)
    with _opened(paths, seed=True, read_only_ok=True):  # the explorer only reads: a read-only file will do
        pass
    from qexplore.tui.app import run_app

    run_app(paths.db, bidi=bidi.value if bidi else None, config_dir=paths.config_dir)


def _listener(verbose: bool) -> Callable[[str, str, str], None]:
    def on(event: str, where: str, detail: str) -> None:
        if event == "failed":
            typer.echo(f"qexplore: {_line(where)}: {_line(detail)}", err=True)
            if DEBUG["on"] and sys.exc_info()[0] is not None:  # called while handling the error
                traceback.print_exc()
        elif verbose and event in ("added", "unchanged"):
            typer.echo(f"{event:9} {clean(where)} {clean(detail)}".rstrip(), err=True)

    return on


def _summary(report: Any, started: float) -> str:
    return (
        f"{report.added} added, {report.unchanged} unchanged, {len(report.failed)} failed; "
        f"{report.sentences} sentences in {time.perf_counter() - started:.2f}s"
    )


@contextmanager
def _stop_on_sigterm() -> Iterator[None]:
    """Let `kill` stop a load like Ctrl-C does: the current article is rolled back, a summary said."""
    def interrupt(signum: int, frame: Any) -> None:
        raise KeyboardInterrupt

    try:
        previous = signal.signal(signal.SIGTERM, interrupt)
    except ValueError:  # not the main thread: leave signals alone
        yield
        return
    try:
        yield
    finally:
        signal.signal(signal.SIGTERM, previous)


@app.command()
def load(
    ctx: typer.Context,
    paths: Annotated[list[str], typer.Argument(help="Files, directories or globs to load.")],
    db: DbOption = None,
    verbose: Annotated[bool, typer.Option("--verbose", "-v", help="Name every article.")] = False,
    jobs: Annotated[int, typer.Option(
        "--jobs", "-j", min=1, max=64, help="Worker processes for the extraction (one a core is best).")] = 1,
) -> None:
    """Add articles (.txt in any common encoding, .html, .jsonl, .jsonl.gz) to the database.

    Articles already loaded (same text) are reported unchanged. A file that cannot be loaded is
    named with the reason and skipped; the exit status is 1 if any failed.

    Example: qexplore load ~/news/*.txt archive.jsonl
    """
    from qexplore.db.load import LoadReport
    from qexplore.db.load import load as load_paths
    from qexplore.tui.progress import progress_listener

    started = time.perf_counter()
    chosen = _paths(ctx, db)
    report = LoadReport()
    with _opened(chosen, seed=False) as database, _stop_on_sigterm():
        try:
            with progress_listener(_listener(verbose)) as on:
                load_paths(database, paths, on, _extractors(chosen), report, jobs=jobs)
        except KeyboardInterrupt:
            typer.echo(f"qexplore: interrupted after {_summary(report, started)}; every stored "
                       "article is whole: run the same command again to load the rest", err=True)
            raise typer.Exit(130) from None
        except sqlite3.DatabaseError as exc:
            fail(f"database {chosen.db}: {_db_reason(exc)}; stopped after {_summary(report, started)}")
    typer.echo(_summary(report, started))
    if report.failed:
        raise typer.Exit(1)


def _mark(text: str, spans: list[tuple[int, int]], colour: bool) -> str:
    """Return ``text`` with matched spans emphasised (bold when colour is on, else ⟦…⟧)."""
    out, pos = [], 0
    for start, end in spans:
        out.append(clean(text[pos:start]))
        word = clean(text[start:end])
        out.append(typer.style(word, bold=True, fg="yellow") if colour else f"⟦{word}⟧")
        pos = end
    out.append(clean(text[pos:]))
    return "".join(out)


@app.command()
def search(
    ctx: typer.Context,
    query: Annotated[str, typer.Argument(help='Words (AND), "phrases", prefix*, -excluded, OR.')],
    db: DbOption = None,
    limit: Annotated[int, typer.Option(min=1, max=10_000, help="Hits to show.")] = 20,
    as_json: Annotated[bool, typer.Option("--json", help="Print one JSON document.")] = False,
    all_kinds: Annotated[
        bool, typer.Option("--all", help="Include boilerplate (read-also links, repeats).")
    ] = False,
) -> None:
    """Search sentences as an Arabic reader expects: clitics, hamza and harakat do not matter.

    Example: qexplore search 'الكاظمي "حزب الله" -بيروت'
    """
    from qexplore.db.query import QueryError
    from qexplore.db.query import search as run_search

    with _opened(_paths(ctx, db), seed=True, read_only_ok=True) as database:
        try:
            result = run_search(database, query, limit=limit, include_boilerplate=all_kinds)
        except QueryError as exc:
            fail(str(exc), 2)
    if as_json:
        typer.echo(json.dumps(asdict(result), ensure_ascii=False, indent=1))
        return
    colour = sys.stdout.isatty() and "NO_COLOR" not in os.environ
    order = "best first" if result.order == "rank" else "latest loaded first (too many to rank)"
    typer.echo(f"{result.total}{'' if result.exact else '+'} matching sentences, {order}")
    for hit in result.hits:
        where = " · ".join(clean(x) for x in (hit.file, hit.outlet, hit.published) if x)
        typer.echo(f"\n{where} · #{hit.seq} {hit.kind}")
        typer.echo(_mark(hit.text, [(s.start, s.end) for s in hit.spans], colour))


@app.command()
def stats(
    ctx: typer.Context,
    db: DbOption = None,
    as_json: Annotated[bool, typer.Option("--json", help="Print one JSON document.")] = False,
) -> None:
    """Count rows per table, and articles and sentences per outlet and per year.

    Example: qexplore stats --json
    """
    from qexplore.db.query import stats as run_stats

    with _opened(_paths(ctx, db), seed=True, read_only_ok=True) as database:
        result = run_stats(database)
    if as_json:
        typer.echo(json.dumps(result, ensure_ascii=False, indent=1))
        return
    for table, count in result["tables"].items():
        typer.echo(f"{table:12} {count:>9}")
    for key, label in (("outlets", "outlet"), ("years", "year")):
        typer.echo(f"\n{label:30} {'articles':>9} {'sentences':>10}")
        for row in result[key]:
            typer.echo(f"{clean(str(row[label])):30} {row['articles']:>9} {row['sentences']:>10}")


class Format(StrEnum):
    jsonl = "jsonl"
    csv = "csv"


@app.command()
def export(
    ctx: typer.Context,
    kind: Annotated[str, typer.Argument(help="articles, sentences, actors, claims or events.")],
    db: DbOption = None,
    fmt: Annotated[Format, typer.Option("--format", help="jsonl or csv.")] = Format.jsonl,
) -> None:
    """Write every row of a kind to standard output, each with its article's file name.

    Example: qexplore export sentences --format csv > sentences.csv
    """
    from qexplore.db.query import KINDS, export_rows

    if kind not in KINDS:
        fail(f"unknown kind {kind!r}: choose one of {', '.join(KINDS)}", 2)
    with _opened(_paths(ctx, db), seed=True, read_only_ok=True) as database:
        rows = export_rows(database, kind)
        if fmt is Format.jsonl:
            for row in rows:
                sys.stdout.write(json.dumps(row, ensure_ascii=False) + "\n")
            return
        writer: csv.DictWriter[str] | None = None
        for row in rows:
            flat = {k: json.dumps(v, ensure_ascii=False) if isinstance(v, list | dict) else v
                    for k, v in row.items()}
            if writer is None:
                writer = csv.DictWriter(sys.stdout, fieldnames=list(flat))
                writer.writeheader()
            writer.writerow(flat)


def main() -> None:
    """Entry point of the console script."""
    try:
        app()
    except BrokenPipeError:  # `qexplore export ... | head` closes the pipe early
        sys.stderr.close()
        sys.exit(0)
    except KeyboardInterrupt:
        typer.echo("qexplore: interrupted", err=True)
        sys.exit(130)
    except Exception as exc:  # noqa: BLE001 - a bug must still end in one line, not a traceback
        if DEBUG["on"] or "--debug" in sys.argv[1:]:
            raise
        typer.echo(
            f"qexplore: error: unexpected {type(exc).__name__}: {_line(str(exc))} "
            "(run with --debug for the traceback)",
            err=True,
        )
        sys.exit(1)


# The other commands live in their own modules; importing them registers them on `app`.
from qexplore.tui import cli_actors, cli_tools  # noqa: E402, F401
