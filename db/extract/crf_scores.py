"""State scores of the CRF for whole sentences, from cached per-word score blocks.

Every feature of ``crf.features`` belongs to one word (its own attributes, or what it shows to the
words 2 and 1 before and 1 and 2 after it), to a pair of neighbouring words (the two bigrams) or
to a gazetteer span. So a word is cached as a (5, labels) block of summed weights (360 bytes,
~0.7 KB with its dictionary entry and stem, against 3.3 KB for its ~40 feature strings), and a
position's score is its own block plus its neighbours' blocks, plus the bigram and gazetteer
weights the model has (most pairs have none). Bigrams are matched in numpy: each word keeps the
id of its stem as the left and as the right half of a model bigram. The cache holds ``CAPACITY``
words and starts afresh when full, so a load's memory stays flat (~100 MB at most).
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from typing import TYPE_CHECKING

import numpy as np

from qexplore.db.extract.crf_decode import Floats, Ints, Model

if TYPE_CHECKING:
    from qexplore.db.extract.crf import WordParts

CAPACITY = 150_000
# Block order: own, then as seen from offsets -2, -1, +1, +2 (the word 2 after it sees block 1).
_OFFSETS = ("-2:", "-1:", "1:", "2:")
_BIGRAMS = ("b-=", "b+=")  # prev|cur and cur|next; a sentence's ends read <s> and </s>
Halves = tuple[int, int, int, int]  # a word's ids as halves of bigrams, see Scorer._halves


class _Bigrams:
    """The bigram attributes of one kind, as (left id, right id) codes sorted for searchsorted."""

    def __init__(self, pairs: dict[tuple[str, str], int]) -> None:
        self.left: dict[str, int] = {}
        self.right: dict[str, int] = {}
        for a, b in pairs:
            self.left.setdefault(a, len(self.left))
            self.right.setdefault(b, len(self.right))
        self.width = max(len(self.right), 1)
        codes = {self.left[a] * self.width + self.right[b]: aid for (a, b), aid in pairs.items()}
        order = sorted(codes)
        self.codes: Ints = np.array(order + [-1], dtype=np.intp)  # -1: never found (codes >= 0)
        self.attrs: Ints = np.array([codes[c] for c in order] + [0], dtype=np.intp)

    def find(self, left: Ints, right: Ints) -> tuple[Ints, Ints]:
        """Return (positions, attribute ids) where the left and right ids make a model bigram."""
        ok = (left >= 0) & (right >= 0)
        at = np.flatnonzero(ok)
        code = left[at] * self.width + right[at]
        idx = np.searchsorted(self.codes[:-1], code)
        hit = self.codes[idx] == code
        return at[hit], self.attrs[idx[hit]]


class _Table:
    """Score blocks of words by raw word (block 0: the padding past either end of a sentence)."""

    def __init__(self, labels: int, capacity: int) -> None:
        self.rows: dict[str, int] = {}
        self.keys: list[str] = [""]
        self.blocks = np.zeros((capacity + 1, 5, labels))  # pages are only touched once used
        self.halves = np.full((capacity + 1, 4), -1, dtype=np.intp)  # bigram ids, see _halves
        self.capacity = capacity

    def clear(self) -> None:
        self.rows.clear()
        del self.keys[1:]


class Scorer:
    """Turns sentences into state scores over one model, with crf.features' attributes."""

    def __init__(
        self,
        model: Model,
        parts: Callable[[str], WordParts],
        marks: Callable[[Sequence[str | None]], list[str | None]],
        capacity: int = CAPACITY,
    ) -> None:
        self.model = model
        self._parts = parts
        self._marks = marks
        views: dict[str, dict[str, int]] = {p: {} for p in _OFFSETS}
        pairs: dict[str, dict[tuple[str, str], int]] = {b: {} for b in _BIGRAMS}
        for attr, aid in model.attrs.items():
            cut = 3 if attr[:3] in ("-2:", "-1:") else 2 if attr[:2] in ("1:", "2:") else 0
            if cut:
                views[attr[:cut]][attr[cut:]] = aid
            elif attr[:3] in pairs:  # every split at "|": only the real one can ever match
                rest = attr[3:]
                for i, ch in enumerate(rest):
                    if ch == "|":
                        pairs[attr[:3]][(rest[:i], rest[i + 1 :])] = aid
        # Lookups give row + 1 of the model's weights: 0 (or None) is "no weight", as in _state.
        self._own = {a: i + 1 for a, i in model.attrs.items()}
        self._views = [{a: i + 1 for a, i in views[p].items()} for p in _OFFSETS]
        self._state = np.concatenate([np.zeros((1, len(model.labels))), model.state])
        self._minus, self._plus = (_Bigrams(pairs[b]) for b in _BIGRAMS)
        self._table = _Table(len(model.labels), capacity)
        self._edge(self._table)

    def _edge(self, table: _Table) -> None:
        """Fill block 0: what a sentence's first and last words see past its ends."""
        for block, view, name in ((2, 1, "BOS"), (3, 2, "EOS")):
            table.blocks[0, block] = self._state[self._views[view].get(name, 0)]
        table.halves[0] = self._halves("")

    def _halves(self, key: str) -> Halves:
        """Return a word's ids as left and right half of b-= and of b+= bigrams (-1: none)."""
        return (
            self._minus.left.get(key or "<s>", -1),
            self._minus.right.get(key, -1),
            self._plus.left.get(key, -1),
            self._plus.right.get(key or "</s>", -1),
        )

    def _add(self, raw: str, table: _Table, ids: list[int], starts: list[int], halves: list[Halves]) -> int:
        """Give a new word a row; queue the weight rows whose sums make its block, and its halves."""
        own, near1, near2, key = self._parts(raw)
        views = self._views
        for get, group in (
            (self._own.get, own),
            (views[0].get, near2),
            (views[1].get, near1),
            (views[2].get, near1),
            (views[3].get, near2),
        ):
            starts.append(len(ids))
            ids.append(0)  # every group starts with the zero row: none is empty
            ids.extend(filter(None, map(get, group)))
        row = len(table.keys)
        table.rows[raw] = row
        table.keys.append(key)
        halves.append(self._halves(key))
        return row

    def scores(self, sentences: Sequence[Sequence[str]]) -> Floats:
        """Return the state scores of the sentences' words, one row each, sentences one after another."""
        parts: list[Floats] = []
        pending: list[Sequence[str]] = []
        used = len(self._table.rows)
        for words in sentences:
            if used + len(words) > self._table.capacity:  # full: score what is pending, start afresh
                if pending:
                    parts.append(self._score(pending, self._table))
                    pending = []
                self._table.clear()
                used = 0
                if len(words) > self._table.capacity:  # too long to cache at all
                    table = _Table(len(self.model.labels), len(words))
                    self._edge(table)
                    parts.append(self._score([words], table))
                    continue
            pending.append(words)
            used += len(words)
        if pending:
            parts.append(self._score(pending, self._table))
        if len(parts) == 1:
            return parts[0]
        return np.concatenate(parts) if parts else np.zeros((0, len(self.model.labels)))

    def _rows(self, sentences: Sequence[Sequence[str]], table: _Table) -> list[int]:
        """Return the rows of the sentences' words, each sentence after two padding rows."""
        rows: list[int] = []
        get = table.rows.get
        ids: list[int] = []
        starts: list[int] = []
        halves: list[Halves] = []
        first = len(table.keys)
        for words in sentences:
            rows += (0, 0)
            for w in words:
                r = get(w)
                rows.append(self._add(w, table, ids, starts, halves) if r is None else r)
        rows += (0, 0)
        if ids:
            sums = np.add.reduceat(self._state[ids], starts, axis=0)
            table.blocks[first : len(table.keys)] = sums.reshape(-1, 5, len(self.model.labels))
            table.halves[first : len(table.keys)] = halves
        return rows

    def _score(self, sentences: Sequence[Sequence[str]], table: _Table) -> Floats:
        rows = self._rows(sentences, table)
        g = table.blocks[rows]
        padded = g[2:-2, 0] + g[:-4, 1] + g[1:-3, 2] + g[3:-1, 3] + g[4:, 4]  # row k: word k + 2
        halves = table.halves[rows]
        real = np.zeros(len(rows), dtype=bool)
        at: list[Ints] = []
        ids: list[Ints] = []
        start = 0
        for words in sentences:  # a sentence takes 2 + len rows (its first padding, then words)
            real[start + 2 : start + 2 + len(words)] = True
            start += 2 + len(words)
        word = np.flatnonzero(real)
        for bigrams, left, right in ((self._minus, word - 1, word), (self._plus, word, word + 1)):
            col = 0 if bigrams is self._minus else 2  # see _halves
            pos, found = bigrams.find(halves[left, col], halves[right, col + 1])
            at.append(word[pos] - 2)
            ids.append(found + 1)  # rows of _state
        self._gazetteer(rows, table, at, ids)
        if any(len(a) for a in at):
            np.add.at(padded, np.concatenate(at), self._state[np.concatenate(ids)])
        return padded[word - 2]

    def _gazetteer(self, rows: list[int], table: _Table, at: list[Ints], ids: list[Ints]) -> None:
        """Add to (at, ids) the gazetteer-span attributes of the words in ``rows``."""
        marks = self._marks([table.keys[r] if r else None for r in rows])  # padding: a boundary
        marked = [i for i, m in enumerate(marks) if m]
        if not marked:
            return
        own, before, after = self._own.get, self._views[1].get, self._views[2].get
        found: list[tuple[int, int, int]] = []  # (row, order as in crf.features, attribute)
        for i in marked:
            mark = marks[i] or ""
            for j, order, aid in ((i, 0, own(mark)), (i + 1, 1, before(mark)), (i - 1, 2, after(mark))):
                if aid and rows[j]:  # a word's mark, or its neighbours' (not padding)
                    found.append((j - 2, order, aid))
        found.sort()
        at.append(np.array([f[0] for f in found], dtype=np.intp))
        ids.append(np.array([f[2] for f in found], dtype=np.intp))
