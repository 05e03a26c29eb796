"""A linear-chain CRF read from a crfsuite model file and decoded in numpy, many sentences at a time.

Why not pycrfsuite's tagger (which still trains the model): it takes every attribute as a string
(some 40 a word) and looks each up in the model, ~1 ms a sentence, while the Viterbi path and
marginals over 9 labels are cheap. Here the caller hands over state scores (crf_scores sums them
from cached per-word blocks) and this module does the rest, as crfsuite does it:

- the model is read from crfsuite's file format (header, the FEAT chunk of 20-byte features, the
  CQDB string tables of labels and attributes) in ~0.1 s; pycrfsuite's ``info()`` takes 2 s and
  prints weights to 6 decimals;
- Viterbi in log space in crfsuite's order of operations, ties to the lower label id (its strict
  ``<``); sentences are batched, one numpy step a word position for all of them, so an article
  costs about as much as its longest sentence (a sentence alone costs ~as much as pycrfsuite);
- marginals by forward-backward in exp space, run as one recursion over the sentences and their
  reversals; crfsuite scales differently, so probabilities agree to rounding (~1e-15), not bit
  for bit; stored confidences are rounded to 3 decimals.
"""

from __future__ import annotations

import struct
from collections.abc import Sequence
from dataclasses import dataclass

import numpy as np
import numpy.typing as npt

Floats = npt.NDArray[np.float64]
Ints = npt.NDArray[np.intp]

_HEADER = struct.Struct("<4sI4sIIIIIIIII")
_CQDB_HEADER = struct.Struct("<4sIIIII")
_CQDB_DATA = _CQDB_HEADER.size + 256 * 8  # records start after the header and 256 table refs
_RECORD = struct.Struct("<iI")
_FEATURE = np.dtype([("type", "<u4"), ("src", "<u4"), ("dst", "<u4"), ("weight", "<f8")])
_STATE, _TRANSITION = 0, 1


@dataclass(frozen=True, slots=True)
class Model:
    """A crfsuite CRF1d model: labels, attribute ids, state weights and label transitions."""

    labels: tuple[str, ...]
    attrs: dict[str, int]  # attribute -> row of ``state``
    state: Floats  # (attributes + 1, labels); the last row is zeros (for "no attribute")
    trans: Floats  # (labels, labels): from -> to

    @property
    def zero(self) -> int:
        """Return the row of ``state`` that is all zeros."""
        return len(self.state) - 1


def _strings(data: bytes, offset: int, count: int) -> list[str]:
    """Return the ``count`` strings of the CQDB chunk at ``offset``, by id."""
    magic, size, _flag, order, _bwd_size, _bwd_offset = _CQDB_HEADER.unpack_from(data, offset)
    if magic != b"CQDB" or order != 0x62445371 or offset + size > len(data):
        raise ValueError("not a crfsuite model: bad string table")
    out = [""] * count
    pos = offset + _CQDB_DATA
    for _ in range(count):
        sid, ksize = _RECORD.unpack_from(data, pos)
        start = pos + _RECORD.size
        out[sid] = data[start : start + ksize - 1].decode("utf-8", "surrogateescape")
        pos = start + ksize
    return out


def read_model(data: bytes) -> Model:
    """Return the model in the bytes of a crfsuite CRF1d model file; ValueError if it is not one."""
    if len(data) < _HEADER.size:
        raise ValueError("not a crfsuite model: too short")
    magic, size, kind, _v, _nf, n_labels, n_attrs, off_feat, off_labels, off_attrs, _lr, _ar = (
        _HEADER.unpack_from(data)
    )
    if magic != b"lCRF" or kind != b"FOMC" or size > len(data):
        raise ValueError("not a crfsuite CRF1d model")
    try:
        chunk, _size, count = struct.unpack_from("<4sII", data, off_feat)
        if chunk != b"FEAT":
            raise ValueError("not a crfsuite model: no feature chunk")
        feats = np.frombuffer(data, _FEATURE, count, off_feat + 12)
        labels = _strings(data, off_labels, n_labels)
        attrs = _strings(data, off_attrs, n_attrs)
    except (struct.error, IndexError, UnicodeDecodeError) as exc:
        raise ValueError(f"not a crfsuite model: {exc}") from None
    state = np.zeros((n_attrs + 1, n_labels))
    trans = np.zeros((n_labels, n_labels))
    for table, kind_id in ((state, _STATE), (trans, _TRANSITION)):
        part = feats[feats["type"] == kind_id]
        np.add.at(table, (part["src"].astype(np.intp), part["dst"].astype(np.intp)), part["weight"])
    return Model(tuple(labels), {a: i for i, a in enumerate(attrs)}, state, trans)


@dataclass(frozen=True, slots=True)
class Decoded:
    """Best label paths (label ids, one list a sentence) and every word's label marginals."""

    paths: list[list[int]]
    marginals: Floats  # (words of all sentences, labels), sentences one after another


def decode(model: Model, scores: Floats, lengths: Sequence[int], marginals: bool = True) -> Decoded:
    """Return the Viterbi paths and marginals of sentences, given their words' state scores.

    ``scores`` holds one (labels,) row a word, sentences one after another, ``lengths`` words each.
    Without ``marginals`` (paths only, ~1/3 faster) the marginals come back empty.
    """
    live = [n for n in lengths if n]
    none = np.zeros((0, len(model.labels)))
    if not live:
        return Decoded([[] for _ in lengths], none)
    n = np.array(live)
    batch = np.repeat(np.arange(len(n)), n)  # each word's sentence and position in it
    pos = np.arange(len(scores)) - np.repeat(np.cumsum(n) - n, n)
    layout = np.zeros((int(n.max()), len(n), len(model.labels)))  # time-major, left-aligned
    layout[pos, batch] = scores
    paths = iter(_viterbi(model.trans, layout, n))
    probs = _marginals(model.trans, layout, n, (pos, batch)) if marginals else none
    return Decoded([next(paths) if k else [] for k in lengths], probs)


def _viterbi(trans: Floats, layout: Floats, n: Ints) -> list[list[int]]:
    """Return the best label path of each sentence, computed as crfsuite does.

    best[t, j] = max over i of (best[t - 1, i] + trans[i, j]), plus the state score of j at t;
    ties go to the lower label id (argmax takes the first, as crfsuite's strict "<").
    """
    width, batch, labels = layout.shape
    best = np.empty_like(layout)  # best[t, b, j]: best score of a path ending in j at t
    best[0] = layout[0]
    back = np.zeros((width, batch * labels), dtype=np.intp)  # back[t, b * labels + j]: i
    step = np.empty((batch, labels, labels))  # step[b, j, i] = best[t - 1, b, i] + trans[i, j]
    rows, cells = step.reshape(-1, labels), step.reshape(-1)
    first = np.arange(batch * labels) * labels
    picked = np.empty(batch * labels, dtype=np.intp)
    into = np.ascontiguousarray(trans.T)
    for t in range(1, width):  # argmax, then fetch the max: cheaper than a max reduction
        np.add(best[t - 1][:, None, :], into, out=step)
        rows.argmax(axis=1, out=back[t])
        np.add(first, back[t], out=picked)
        cells.take(picked, out=best[t].reshape(-1))
        best[t] += layout[t]
    ends = best[n - 1, np.arange(batch)].argmax(axis=1).tolist()
    pointers = back.astype(np.uint8).tobytes() if labels < 256 else back.ravel().tolist()
    paths: list[list[int]] = []
    for b, size in enumerate(n.tolist()):
        label = ends[b]
        path = [label] * size
        at = b * labels
        for t in range(size - 1, 0, -1):
            label = pointers[(t * batch) * labels + at + label]
            path[t - 1] = label
        paths.append(path)
    return paths


def _marginals(trans: Floats, layout: Floats, n: Ints, where: tuple[Ints, Ints]) -> Floats:
    """Return every word's label marginals by forward-backward in exp space.

    Forward runs over the sentences as laid out; backward is the same recursion over each
    sentence reversed (and left-aligned) with the transposed transitions, so both run in one loop.
    Scores are shifted so that every factor is at most 1; a step then multiplies the total by
    at most ``labels`` and at least exp(-spread of the transitions), so rescaling every
    ``every`` steps keeps it within exp(+-200), far from overflow and underflow.
    """
    pos, batch = where
    labels = layout.shape[-1]
    flipped = (n[batch] - 1 - pos, batch)
    words = layout[pos, batch]
    words = words - words.max(axis=-1, keepdims=True)
    grid = np.zeros((layout.shape[0], 2, *layout.shape[1:]))  # (width, 2, sentences, labels)
    grid[pos, 0, batch] = words
    grid[flipped[0], 1, batch] = words
    np.exp(grid, out=grid)
    shifted = trans - trans.max()
    every = max(1, int(200 // max(-shifted.min(), np.log(labels), 1.0)))
    exp_trans = np.exp(shifted)
    into = np.stack([exp_trans, exp_trans.T])  # (2, labels, labels): forward, backward
    before = np.ones_like(grid)  # before[t]: what reaches t from the side already walked
    total = np.add.reduce
    run = grid[0].copy()
    for t in range(1, len(grid)):
        np.matmul(run, into, out=before[t])
        np.multiply(before[t], grid[t], out=run)
        if t % every == 0:
            run /= total(run, axis=-1, keepdims=True)
    joint = before[pos, 0, batch] * grid[pos, 0, batch] * before[flipped[0], 1, batch]
    return joint / joint.sum(axis=-1, keepdims=True)  # type: ignore[no-any-return]
