"""The `qexplore` command: open the explorer, load articles, search, statistics and exports."""

from __future__ import annotations

import csv
import json
import os
import sqlite3
import sys
import time
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


def fail(message: str, code: int = 1) -> NoReturn:
    """Print a one-line error to standard error and exit with ``code``."""
    typer.echo(f"qexplore: error: {clean(message)}", err=True)
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


@contextmanager
def _opened(paths: Paths, *, seed: bool) -> Iterator[Any]:
    """Open the database for writing; build it from the seeds when ``seed`` and it is new."""
    from qexplore.db.schema import SchemaTooNew, open_db

    new = not paths.db.exists()
    try:
        db = open_db(paths.db)
    except (sqlite3.DatabaseError, SchemaTooNew, OSError) as exc:
        fail(f"cannot open database {paths.db}: {exc}")
    try:
        if seed and new:
            from qexplore.db.load import load_files

            report = load_files(db, seed_files(), extractors=_extractors(paths))
            typer.echo(
                f"qexplore: built {paths.db} from {report.added} seed articles", err=True
            )
        yield db
    except sqlite3.DatabaseError as exc:
        fail(f"database {paths.db}: {exc}")
    finally:
        db.close()


@app.callback(invoke_without_command=True)
def main_callback(ctx: typer.Context, db: DbOption = None) -> None:
    """Open the explorer on the database (built from the shipped seed articles on first use).

    Example: qexplore --db news.db
    """
    ctx.obj = {"db": db}
    if ctx.invoked_subcommand is not None:
        return
    paths = _paths(ctx, db)
    with _opened(paths, seed=True):
        pass
    from qexplore.tui.app import run_app

    run_app(paths.db)


def _listener(verbose: bool) -> Callable[[str, str, str], None]:
    def on(event: str, where: str, detail: str) -> None:
        if event == "failed":
            typer.echo(f"qexplore: {clean(where)}: {clean(detail)}", err=True)
        elif verbose and event in ("added", "unchanged"):
            typer.echo(f"{event:9} {clean(where)} {clean(detail)}".rstrip(), err=True)

    return on


@app.command()
def load(
    ctx: typer.Context,
    paths: Annotated[list[str], typer.Argument(help="Files, directories or globs to load.")],
    db: DbOption = None,
    verbose: Annotated[bool, typer.Option("--verbose", "-v", help="Name every article.")] = False,
) -> None:
    """Add articles (.txt in any common encoding, .html, .jsonl, .jsonl.gz) to the database.

    Articles already loaded (same text) are reported unchanged. A file that cannot be loaded is
    named with the reason and skipped; the exit status is 1 if any failed.

    Example: qexplore load ~/news/*.txt archive.jsonl
    """
    from qexplore.db.load import load as load_paths
    from qexplore.tui.progress import progress_listener

    started = time.perf_counter()
    chosen = _paths(ctx, db)
    with _opened(chosen, seed=False) as database:
        with progress_listener(_listener(verbose)) as on:
            report = load_paths(database, paths, on, _extractors(chosen))
    took = time.perf_counter() - started
    typer.echo(
        f"{report.added} added, {report.unchanged} unchanged, {len(report.failed)} failed; "
        f"{report.sentences} sentences in {took:.2f}s"
    )
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

    with _opened(_paths(ctx, db), seed=True) as database:
        try:
            result = run_search(database, query, limit=limit, include_boilerplate=all_kinds)
        except QueryError as exc:
            fail(str(exc), 2)
    if as_json:
        typer.echo(json.dumps(asdict(result), ensure_ascii=False, indent=1))
        return
    colour = sys.stdout.isatty() and "NO_COLOR" not in os.environ
    order = "best first" if result.order == "rank" else "newest first (too many to rank)"
    typer.echo(f"{result.total} matching sentences, {order}")
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

    with _opened(_paths(ctx, db), seed=True) as database:
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
    with _opened(_paths(ctx, db), seed=True) as database:
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


# The other commands live in their own modules; importing them registers them on `app`.
from qexplore.tui import cli_actors, cli_tools  # noqa: E402, F401
