"""Build db/data/ner/clusters*.tsv.gz: word2vec + k-means word clusters for the NER tagger.

Run: python -m qexplore.db.build.clusters ../shared/data/bench/ant2018.jsonl.gz
Trains skip-gram vectors on the clitic-stripped normalised words of a JSONL news corpus, clusters
the vectors of the frequent words with k-means at two granularities and writes, for each,
``word<TAB>cluster`` lines (only words and numbers, never text). Needs the ``build`` extra
(gensim, scikit-learn, numpy); seeds are fixed and a single worker thread is used so that a
rebuild gives the same files.
"""

from __future__ import annotations

import argparse
import gzip
import json
import re
import sys
from collections.abc import Iterator
from pathlib import Path
from typing import Any

from qexplore.db.arabic import strip_proclitics, words

DEFAULT_OUT = Path(__file__).resolve().parent.parent / "data" / "ner"
SEED = 1
# Lines and sentence ends bound the word2vec context windows.
_SENTENCE_END = re.compile(r"[\n.!?؟]+")


def corpus_sentences(corpus: Path) -> Iterator[list[str]]:
    """Yield the clitic-stripped normalised words of each sentence of ``corpus``'s texts."""
    with gzip.open(corpus, "rt", encoding="utf-8") as fh:
        for line in fh:
            for piece in _SENTENCE_END.split(json.loads(line)["text"]):
                sent = [sys.intern(strip_proclitics(w)) for w in words(piece)]
                if len(sent) > 1:
                    yield sent


def train_vectors(sentences: list[list[str]], min_count: int) -> Any:
    """Return gensim KeyedVectors of a skip-gram model trained on ``sentences``."""
    from gensim.models import Word2Vec

    model = Word2Vec(
        sentences,
        vector_size=100,
        window=5,
        min_count=min_count,
        sg=1,
        negative=5,
        sample=1e-4,
        epochs=5,
        seed=SEED,
        workers=1,  # more threads make the result depend on scheduling
    )
    return model.wv


def cluster(vectors: Any, n_words: int, k: int) -> dict[str, int]:
    """Return word -> k-means cluster id for the ``n_words`` most frequent words of ``vectors``."""
    import numpy as np
    from sklearn.cluster import KMeans

    vocab = vectors.index_to_key[:n_words]
    matrix = np.asarray(vectors.vectors[: len(vocab)], dtype=np.float64)
    matrix /= np.linalg.norm(matrix, axis=1, keepdims=True)
    labels = KMeans(n_clusters=k, n_init=1, random_state=SEED).fit_predict(matrix)
    return {w: int(c) for w, c in zip(vocab, labels, strict=True)}


def write_map(clusters: dict[str, int], out: Path) -> None:
    """Write ``word<TAB>cluster`` lines sorted by word, gzip'd with mtime 0 (byte-identical rebuilds)."""
    text = "".join(f"{w}\t{c}\n" for w, c in sorted(clusters.items()))
    with open(out, "wb") as raw, gzip.GzipFile(fileobj=raw, mode="wb", mtime=0) as gz:
        gz.write(text.encode("utf-8"))


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("corpus", type=Path)
    parser.add_argument("--out", type=Path, default=DEFAULT_OUT)
    # 80,000 keeps every word seen 5 times in the bench corpus (about 51,000).
    parser.add_argument("--words", type=int, default=80_000, help="most frequent words kept")
    parser.add_argument("--k", type=int, nargs="+", default=[100, 1000], help="cluster counts")
    args = parser.parse_args()
    sentences = list(corpus_sentences(args.corpus))
    print(f"{len(sentences)} sentences, {sum(map(len, sentences))} words", flush=True)
    vectors = train_vectors(sentences, min_count=5)
    args.out.mkdir(parents=True, exist_ok=True)
    for k in args.k:
        path = args.out / f"clusters{k}.tsv.gz"
        write_map(cluster(vectors, args.words, k), path)
        print(f"{k} clusters of {min(args.words, len(vectors))} words -> {path}", flush=True)


if __name__ == "__main__":
    main()
