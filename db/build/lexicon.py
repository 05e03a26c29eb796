"""Build db/data/lexicon.tsv.gz: normalised word frequencies counted over a JSONL news corpus.

Run: python -m qexplore.db.build.lexicon ../shared/data/bench/ant2018.jsonl.gz
Only counts are written (no text), for words seen at least ``--min-count`` times.
"""

from __future__ import annotations

import argparse
import gzip
import json
from collections import Counter
from pathlib import Path

from qexplore.db.arabic import words

DEFAULT_OUT = Path(__file__).resolve().parent.parent / "data" / "lexicon.tsv.gz"


def count_words(corpus: Path) -> Counter[str]:
    """Return normalised word counts over the ``text`` field of every line of ``corpus``."""
    counts: Counter[str] = Counter()
    with gzip.open(corpus, "rt", encoding="utf-8") as fh:
        for line in fh:
            counts.update(words(json.loads(line)["text"]))
    return counts


def write_lexicon(counts: Counter[str], out: Path, min_count: int) -> int:
    """Write ``word<TAB>count`` lines, most frequent first; return how many were written."""
    kept = [(w, c) for w, c in counts.most_common() if c >= min_count and not w.isdigit()]
    # mtime=0 keeps the file byte-identical across rebuilds.
    with open(out, "wb") as raw, gzip.GzipFile(fileobj=raw, mode="wb", mtime=0) as gz:
        gz.write("".join(f"{w}\t{c}\n" for w, c in kept).encode("utf-8"))
    return len(kept)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("corpus", type=Path)
    parser.add_argument("--out", type=Path, default=DEFAULT_OUT)
    parser.add_argument("--min-count", type=int, default=3)
    args = parser.parse_args()
    n = write_lexicon(count_words(args.corpus), args.out, args.min_count)
    print(f"{n} words -> {args.out}")


if __name__ == "__main__":
    main()
