"""`qexplore actors`: find and list actors, suggest merges, and the user's merge/alias/split/undo."""

from __future__ import annotations

import json
from dataclasses import asdict
from typing import Annotated, Any

import typer

from qexplore.tui.cli import DbOption, _opened, _paths, app, fail
from qexplore.tui.render import clean

CURATION = ("merge", "alias", "split", "history", "undo")


def _pick(db: Any, text: str) -> int:
    """Return the one actor ``text`` names (an id, or an Arabic or Latin name), else fail."""
    from qexplore.db.query_actors import actor_rows

    if text.isdigit():
        if db.execute("SELECT 1 FROM actors WHERE id = ?", [int(text)]).fetchone():
            return int(text)
        fail(f"no actor with id {text}", 2)
    rows = actor_rows(db, text, limit=6)
    if len(rows) == 1:
        return rows[0].id
    if not rows:
        fail(f"no actor is named {text!r}", 2)
    listed = "; ".join(f"{r.id} {r.name_ar} ({r.name_en})" for r in rows[:5])
    fail(f"{text!r} names several actors, give an id: {listed}", 2)


def _show(row: Any) -> str:
    desc = f" — {clean(row.description)}" if row.description else ""
    return (
        f"{row.id:>6} {row.type:3} {clean(row.name_ar)} ({clean(row.name_en)}) "
        f"{row.mentions} mentions in {row.articles} articles{desc}"
    )


def _curate(db: Any, action: str, args: list[str]) -> str:
    from qexplore.db import curation

    try:
        if action == "history":
            lines = [
                f"{d.id:>4} {d.at} {'undone ' if d.undone_at else ''}{clean(d.describe())}"
                for d in curation.history(db)
            ]
            return "\n".join(lines) or "no decisions yet"
        if action == "undo":
            decision = curation.undo(db, int(args[0]) if args else None)
            return f"undone: {clean(decision.describe())}"
        if len(args) != 2:
            fail(f"actors {action} takes two arguments (see qexplore actors --help)", 2)
        first = _pick(db, args[0])
        if action == "merge":
            decision = curation.merge(db, first, _pick(db, args[1]))
        elif action == "alias":
            decision = curation.alias(db, first, args[1])
        else:
            decision = curation.split(db, first, args[1])
    except curation.CurationError as exc:
        fail(str(exc), 2)
    except ValueError:
        fail("undo takes the number of a decision (see qexplore actors history)", 2)
    return f"done: {clean(decision.describe())} (undo: qexplore actors undo {decision.id})"


@app.command()
def actors(
    ctx: typer.Context,
    args: Annotated[
        list[str] | None, typer.Argument(help="A name to find, or merge|alias|split|history|undo ...")
    ] = None,
    db: DbOption = None,
    kind: Annotated[str | None, typer.Option("--type", help="PER, ORG or LOC.")] = None,
    limit: Annotated[int, typer.Option(min=1, help="Actors to list.")] = 50,
    suggest: Annotated[bool, typer.Option("--suggest-merges", help="Propose merges.")] = False,
    as_json: Annotated[bool, typer.Option("--json", help="Print JSON.")] = False,
) -> None:
    """List or find actors (Arabic or Latin letters), and record your decisions about them.

    qexplore actors [NAME]              actors, most mentioned first (NAME: الكاظمي or kadhimi)
    qexplore actors --suggest-merges    pairs whose names look alike (never merged on their own)
    qexplore actors merge A B           B becomes part of A (A, B: ids or names)
    qexplore actors alias A NAME        NAME also names A, now and in later loads
    qexplore actors split A NAME        mentions written NAME leave A for an actor of their own
    qexplore actors history             your decisions; qexplore actors undo [N] takes one back

    Example: qexplore actors kadhimi
    """
    from qexplore.db.query_actors import actor_rows, suggest_merges

    words = args or []
    with _opened(_paths(ctx, db), seed=True) as database:
        if words and words[0] in CURATION:
            typer.echo(_curate(database, words[0], words[1:]))
            return
        if suggest:
            found: list[Any] = suggest_merges(database, limit=limit)
            if as_json:
                typer.echo(json.dumps([asdict(s) for s in found], ensure_ascii=False, indent=1))
            for s in found if not as_json else []:
                typer.echo(f"{s.score:5.1f}  {_show(s.a)}\n       {_show(s.b)}")
            return
        rows = actor_rows(database, " ".join(words) or None, kind, limit)
    if as_json:
        typer.echo(json.dumps([asdict(r) for r in rows], ensure_ascii=False, indent=1))
        return
    if not rows:
        fail(f"no actor is named {' '.join(words)!r}", 1)
    for row in rows:
        typer.echo(_show(row))
