"""Train db/data/ner/anercorp.crfsuite, the CRF named-entity model, on ANERcorp's train split.

Run: python -m qexplore.db.build.train_ner ../shared/data/ner/anercorp_camel/train.conll
Trains on the first 90% of sentences and prints entity-level (conlleval: exact span and type)
precision, recall and F1 on the last 10%; ``--final`` then trains on every sentence and writes
the shipped model; ``--bench`` prints tagging speed (features + tagging) on one core.
The model learns from each sentence twice: as the corpus tokenises it (punctuation marks are
tokens) and as the product does (qexplore.db.arabic.words: punctuation dropped, ``ق.م.`` split);
scores are printed for both forms of the held-out sentences.
The features read the word clusters in db/data/ner (build them first with
``qexplore.db.build.clusters``) and the curated gazetteer db/data/gazetteer*.toml.
"""

from __future__ import annotations

import argparse
import tempfile
import time
from collections import Counter
from collections.abc import Sequence
from pathlib import Path

import pycrfsuite

from qexplore.db.arabic import strip_proclitics, words
from qexplore.db.extract import crf

DEFAULT_OUT = Path(__file__).resolve().parent.parent / "data" / "ner" / crf.MODEL_NAME
Sentence = tuple[list[str], list[str]]


def read_conll(path: Path) -> list[Sentence]:
    """Return (tokens, tags) per sentence of a ``token<TAB>tag`` file; PERS becomes PER."""
    sentences: list[Sentence] = []
    toks: list[str] = []
    tags: list[str] = []
    for line in [*path.read_text(encoding="utf-8").splitlines(), ""]:
        if not line.strip():
            if toks:
                sentences.append((toks, tags))
            toks, tags = [], []
            continue
        tok, _, tag = line.partition("\t")
        toks.append(tok)
        tags.append(tag.strip().replace("PERS", "PER"))
    return sentences


def retokenize(sentence: Sentence) -> Sentence:
    """Return ``sentence`` in the product's tokens: punctuation dropped, glued words split."""
    toks: list[str] = []
    tags: list[str] = []
    for tok, tag in zip(*sentence, strict=True):
        for k, word in enumerate(words(tok)):
            toks.append(word)
            tags.append(tag if k == 0 or tag == "O" else "I-" + tag[2:])
    return toks, tags


def train(sentences: Sequence[Sentence], out: Path, args: argparse.Namespace) -> None:
    """Train an L-BFGS CRF on ``sentences`` and write it to ``out``."""
    trainer = pycrfsuite.Trainer(verbose=False)
    for toks, tags in sentences:
        trainer.append(crf.features(toks), tags)
    trainer.set_params(
        {
            "c1": args.c1,
            "c2": args.c2,
            "max_iterations": args.iterations,
            "feature.minfreq": args.minfreq,
            "feature.possible_transitions": True,
        }
    )
    out.parent.mkdir(parents=True, exist_ok=True)
    tmp = out.with_name(out.name + ".tmp")
    trainer.train(str(tmp))
    tmp.replace(out)  # never leave a half-written model at ``out``


def score(gold: Sequence[Sequence[str]], pred: Sequence[Sequence[str]]) -> dict[str, Counter[str]]:
    """Return per-type counts of true positives, gold and predicted entities (exact span + type)."""
    counts: dict[str, Counter[str]] = {t: Counter() for t in crf.TYPES}
    for g_tags, p_tags in zip(gold, pred, strict=True):
        g, p = set(crf.spans(g_tags)), set(crf.spans(p_tags))
        for chunks, key in ((g, "gold"), (p, "pred"), (g & p, "tp")):
            for _, _, label in chunks:
                counts.setdefault(label, Counter())[key] += 1
    return counts


def prf(c: Counter[str]) -> tuple[float, float, float]:
    """Return precision, recall and F1 of one type's counts."""
    p = c["tp"] / c["pred"] if c["pred"] else 0.0
    r = c["tp"] / c["gold"] if c["gold"] else 0.0
    return p, r, (2 * p * r / (p + r) if p + r else 0.0)


def report(counts: dict[str, Counter[str]]) -> float:
    """Print a per-type and micro-averaged P/R/F1 table; return the micro F1."""
    total: Counter[str] = sum(counts.values(), Counter())
    print(f"{'type':6} {'gold':>5} {'pred':>5} {'P':>6} {'R':>6} {'F1':>6}")
    for label, c in [*counts.items(), ("micro", total)]:
        p, r, f = prf(c)
        print(f"{label:6} {c['gold']:5} {c['pred']:5} {p:6.3f} {r:6.3f} {f:6.3f}")
    return prf(total)[2]


def evaluate(model: Path, sentences: Sequence[Sentence]) -> float:
    """Tag ``sentences`` with ``model``, print the scores and return the micro F1."""
    tagger = crf.Tagger(model.read_bytes())
    pred = [tagger.tag(toks) for toks, _ in sentences]
    return report(score([tags for _, tags in sentences], pred))


def bench(model: Path, sentences: Sequence[Sentence], rounds: int = 3) -> None:
    """Print tokens per second for features + tagging, first with a cold feature cache."""
    tagger = crf.Tagger(model.read_bytes())
    tagger.tag(["تجربة"])  # load the model and cluster maps outside the timing
    n = sum(len(toks) for toks, _ in sentences)
    crf._word.cache_clear()
    strip_proclitics.cache_clear()
    for i in range(rounds):
        start = time.perf_counter()
        for toks, _ in sentences:
            tagger.tag(toks)
        secs = time.perf_counter() - start
        print(f"{'cold' if i == 0 else 'warm'} cache: {n / secs:,.0f} tokens/s ({n} tokens)")


def both_forms(sentences: Sequence[Sentence]) -> list[Sentence]:
    """Return ``sentences`` as the corpus tokenises them followed by the product's tokens."""
    return [*sentences, *(retokenize(s) for s in sentences)]


def held_out(sentences: Sequence[Sentence], args: argparse.Namespace) -> None:
    """Train on the first 90% of ``sentences``, print scores (and speed) on the last 10%."""
    cut = len(sentences) * 9 // 10
    test = [retokenize(s) for s in sentences[cut:]]
    with tempfile.TemporaryDirectory() as tmp:
        model = Path(tmp) / "heldout.crfsuite"
        train(both_forms(sentences[:cut]), model, args)
        print(f"trained on {cut} sentences; held out {len(test)}, product tokens:")
        evaluate(model, test)
        print("held out, corpus tokens (punctuation kept):")
        evaluate(model, sentences[cut:])
        if args.bench:
            bench(model, test)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("conll", type=Path)
    parser.add_argument("--out", type=Path, default=DEFAULT_OUT)
    parser.add_argument("--final", action="store_true", help="then train on 100%% into --out")
    parser.add_argument("--bench", action="store_true", help="print tagging speed")
    parser.add_argument("--c1", type=float, default=0.05)
    parser.add_argument("--c2", type=float, default=0.01)
    parser.add_argument("--iterations", type=int, default=150)
    parser.add_argument("--minfreq", type=float, default=1)
    args = parser.parse_args()
    sentences = read_conll(args.conll)
    held_out(sentences, args)
    if args.final:
        train(both_forms(sentences), args.out, args)
        print(f"final model on all {len(sentences)} sentences -> {args.out}")


if __name__ == "__main__":
    main()
