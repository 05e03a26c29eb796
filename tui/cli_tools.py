"""`qexplore tag` and `qexplore eval`: the tagger on CoNLL files, and scores against gold data."""

from __future__ import annotations

import json
import sys
from pathlib import Path
from typing import Annotated, Any

import typer

from qexplore.tui.cli import app, fail

ConllFile = Annotated[Path, typer.Option("--conll", help="token<TAB>tag lines, blank between sentences.")]


def _read_conll(path: Path) -> list[Any]:
    from qexplore.db.evaluate import read_conll

    try:
        return list(read_conll(path))
    except (OSError, UnicodeDecodeError, ValueError) as exc:
        fail(f"{path}: cannot read CoNLL data ({exc})", 2)


def _tagger() -> Any:
    from qexplore.db.extract import crf

    try:
        tagger = crf.default_tagger()
        tagger.tag(["x"])
    except (OSError, FileNotFoundError) as exc:
        fail(f"the tagger model is missing ({exc})", 1)
    return tagger


@app.command()
def tag(conll: ConllFile) -> None:
    """Tag a CoNLL file: print token, gold and predicted BIO tags (PER/ORG/LOC/MISC), in order.

    The output is what conlleval and seqeval read. A missing gold column is printed as O.

    Example: qexplore tag --conll test.conll > tagged.tsv
    """
    tagger = _tagger()
    out = sys.stdout
    for sentence in _read_conll(conll):
        predicted = tagger.tag([t for t, _ in sentence])
        for (token, gold), pred in zip(sentence, predicted, strict=True):
            out.write(f"{token}\t{gold or 'O'}\t{pred}\n")
        out.write("\n")


def _conll_scores(path: Path, as_json: bool) -> None:
    from qexplore.db.evaluate import entity_scores

    sentences = _read_conll(path)
    tagger = _tagger()
    gold = [[g or "O" for _, g in s] for s in sentences]
    pred = [tagger.tag([t for t, _ in s]) for s in sentences]
    counts = entity_scores(gold, pred)
    table = {k: dict(zip(("precision", "recall", "f1"), c.prf(), strict=True)) | vars(c)
             for k, c in sorted(counts.items())}
    if as_json:
        typer.echo(json.dumps(table, indent=1))
        return
    typer.echo(f"{'type':5} {'precision':>9} {'recall':>7} {'f1':>6} {'gold':>6} {'pred':>6}")
    for kind, row in table.items():
        typer.echo(f"{kind:5} {row['precision']:9.3f} {row['recall']:7.3f} {row['f1']:6.3f} "
                   f"{row['gold']:6} {row['pred']:6}")


def _gold_scores(path: Path, as_json: bool) -> None:
    from qexplore.db.config import seed_files
    from qexplore.db.evaluate import actor_scores, load_gold
    from qexplore.db.load import Extractors, process, ready, store
    from qexplore.db.models import Source
    from qexplore.db.read import read_path
    from qexplore.db.schema import open_db

    try:
        gold = load_gold(path)
    except (OSError, ValueError) as exc:
        fail(f"{path}: cannot read the gold file ({exc})", 2)
    wanted = {a["file"] for a in gold["articles"]}
    db = open_db(":memory:")
    extractors = ready(db, Extractors.default())
    articles = {}  # each seed is processed once, for the actors, the claims and the events
    for path in (p for p in seed_files() if p.name in wanted):
        for source in read_path(path):
            if isinstance(source, Source):
                articles[path.name] = process(source, extractors)
                store(db, articles[path.name], extractors.gazetteer)
    scores = actor_scores(db, gold)
    if as_json:
        typer.echo(json.dumps([vars(s) | {"recall": s.recall, "precision": s.precision}
                               for s in scores], ensure_ascii=False, indent=1))
        return
    typer.echo(f"{'article':28} {'gold':>4} {'ours':>4} {'recall':>6} {'prec':>6} split merged")
    for s in scores:
        typer.echo(f"{s.article:28} {s.gold:4} {s.ours:4} {s.recall:6.3f} {s.precision:6.3f} "
                   f"{len(s.split):5} {len(s.merged):6}")
        for label, items in (("missed", s.missed), ("spurious", s.spurious), ("split", s.split),
                             ("merged", s.merged)):
            if items:
                typer.echo(f"    {label}: {items}")
    found, total = sum(s.found for s in scores), sum(s.gold for s in scores)
    right, ours = sum(s.correct for s in scores), sum(s.ours for s in scores)
    typer.echo(f"{'all':28} {total:4} {ours:4} {found / total:6.3f} {right / ours:6.3f}")
    typer.echo(f"lowest per-article recall {min(s.recall for s in scores):.3f}, "
               f"precision {min(s.precision for s in scores):.3f}")
    _claim_summary(gold, articles)


def _claim_summary(gold: dict[str, Any], articles: dict[str, Any]) -> None:
    from qexplore.db.evaluate import claim_scores, score_events
    from qexplore.db.extract.events import extract_events

    dates = {a["file"]: a.get("date") for a in gold["articles"]}
    ours, events = {}, {}
    for name, art in articles.items():
        ours[name[:3]] = (art.text, art.sentences, art.claims, art.mentions)
        # Dated as a sidecar would date it: the gold article date is the reference.
        found = extract_events(art.sentences, art.mentions, art.claims, dates.get(name))
        events[name[:3]] = (found, art)
    c = claim_scores(gold, ours)
    typer.echo(
        f"\nclaims: recall {c.recall:.3f} ({c.found}/{c.gold}) and precision {c.precision:.3f} "
        f"({c.right}/{c.ours}) by evidence sentence; of those found, cue {c.cue / c.found:.3f}, "
        f"speaker anonymity {c.anonymity / c.found:.3f}, outlet {c.outlet / c.found:.3f}, "
        f"speaker {c.speaker / c.found:.3f} ({c.speaker}/{c.found})"
    )
    e = score_events(gold, events)
    typer.echo(
        f"events (gold article dates as reference): recall {e.recall:.3f} ({len(e.found)}/{e.gold}), "
        f"precision {e.precision:.3f} ({e.ours_matching}/{e.ours}), dates right "
        f"{e.date_accuracy:.3f} ({e.dates_right}/{e.dated_found})"
    )


@app.command(name="eval")
def evaluate(
    conll: Annotated[Path | None, typer.Option("--conll", help="Score the tagger on this file.")] = None,
    gold: Annotated[Path | None, typer.Option("--gold", help="Score actors on the seeds.")] = None,
    as_json: Annotated[bool, typer.Option("--json", help="Print JSON.")] = False,
) -> None:
    """Score the tagger on a CoNLL file (entity P/R/F1 per type) or actors against a gold JSON.

    Example: qexplore eval --conll ../shared/data/ner/anercorp_camel/train.conll
    Example: qexplore eval --gold ../shared/gold/seeds.json
    """
    if (conll is None) == (gold is None):
        fail("give one of --conll FILE or --gold FILE", 2)
    if conll is not None:
        _conll_scores(conll, as_json)
    elif gold is not None:
        _gold_scores(gold, as_json)
