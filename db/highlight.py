"""Highlight spans: where a parsed query's terms match a sentence, as offsets into its raw text.

Decisions:

- The spans are exactly those of comparing the index forms of every word of the sentence (as
  arabic.tokens gives them) with the query's terms: a word begins a term when its form in the term's
  column equals the term's first form (or begins with it, for a one-word prefix term), and the term's
  other words follow it.
- Tokenising a page of hits word by word in Python cost more than the index search. Instead a regex
  made once a query finds, in C, the few words worth comparing: a word that can begin a term holds,
  once normalised, the term's first form without a leading ال (a clitic can stand in its place:
  للكاظمي for الكاظمي), with its alef runs of any length (index forms collapse them), and ends with it
  unless the term is a prefix. That holds because removing proclitics keeps a suffix of the word, or
  ال and a suffix, or gives الله. Only those words, and the words a phrase needs after them, are
  tokenised and compared; a page's sentences are searched as one text.
- The regex runs on the raw text, each letter standing for the raw letters that normalise to it, with
  harakat and tatweel allowed anywhere: right only where normalising a word is normalising each of its
  characters alone. A sentence with a word character for which that is not known (a presentation form,
  a letter that composes with hamza into one that does not fold back) is tokenised whole, still in C.
- tests/test_search_speed_equivalence.py holds the word-by-word implementation and checks this one
  against it on generated text, and the clitic and per-character properties above.
"""

from __future__ import annotations

import re
import unicodedata
from bisect import bisect_right
from collections.abc import Sequence
from functools import lru_cache
from itertools import accumulate, compress
from typing import TYPE_CHECKING, NamedTuple

from qexplore.db.arabic import _WORD, index_forms, normalize
from qexplore.db.models import Span

if TYPE_CHECKING:
    from qexplore.db.query_parse import ParsedQuery, Term

_normal = lru_cache(maxsize=65_536)(normalize)  # the words of news text recur: normalised once each
_span = lru_cache(maxsize=4_096)(Span)  # frozen: one object serves every hit with the same offsets
_ARTICLE = "ال"
_Bounds = Sequence[tuple[int, int]]

# Word characters that may take the fast path (whether they really may is worked out in _Letters):
# ASCII, the Arabic letters and digits, and the Persian and Urdu letters.
_CANDIDATES = (*range(0x30, 0x3A), *range(0x41, 0x5B), 0x5F, *range(0x61, 0x7B), *range(0x621, 0x64B),
               *range(0x660, 0x66A), *range(0x66E, 0x6D4), 0x6D5, *range(0x6EE, 0x700))
# What _WORD takes inside a word besides word characters: harakat and Quranic marks (arabic._MARKS).
_WORD_MARKS = (*range(0x610, 0x61B), *range(0x64B, 0x660), 0x670, *range(0x6D6, 0x6EE))
# The blocks a fast-path sentence is made of: in them, what is not a word character only parts words.
_BLOCKS = (range(0x0000, 0x0800), range(0x2000, 0x2070))
_IS_WORD = re.compile(r"\w")
_WORD_ENDS = r"(?![\w\u0610-\u061a\u064b-\u065f\u0670\u06d6-\u06ed])"  # no more of _WORD's word follows


class _Letters:
    """The characters a word may hold for the fast path: by normalised letter, and those dropped."""

    def __init__(self) -> None:
        marks = [chr(c) for c in _WORD_MARKS]
        dropped = [m for m in marks if normalize(m) == ""]
        safe = set(dropped)
        self.by_letter: dict[str, list[str]] = {}
        for ch in map(chr, _CANDIDATES):
            form = normalize(ch)
            if len(form) > 1 or not _IS_WORD.match(ch) or not all(_alone(ch, m, form) for m in marks):
                continue
            safe.add(ch)
            if form:
                self.by_letter.setdefault(form, []).append(ch)
            else:
                dropped.append(ch)  # tatweel
        self.dropped = "[" + _chars(dropped) + "]*" if dropped else ""
        # Anything else is a character a word may hold that is not known safe: tokenise it all.
        safe.update(chr(c) for block in _BLOCKS for c in block
                    if not _IS_WORD.match(chr(c)) and c not in _WORD_MARKS)
        self.unsafe = re.compile("[^" + _ranges(sorted(map(ord, safe))) + "]")

    def needle(self, core: str, last: bool) -> str:
        """The raw-text regex of a normalised ``core``: each letter any raw letter normalising to it,
        alefs any run of them, harakat and tatweel anywhere between; ``last``: ending its word."""
        # A leading alef is left out when two letters remain (any part of the core will do): alef is
        # the commonest letter, and written five ways, so that branches beginning with it are slow.
        if core.startswith("ا") and len(core.lstrip("ا")) > 1:
            core = core.lstrip("ا")
        parts = []
        for letter in re.findall("ا+|.", core, re.S):
            cls = _chars(self.by_letter.get(letter[0], []))
            one = f"[{cls}]" if cls else "(?!)"
            parts.append(f"{one}(?:{self.dropped}{one})*" if letter[0] == "ا" else one)
        return self.dropped.join(parts) + (self.dropped + _WORD_ENDS if last else "")


def _chars(chars: list[str]) -> str:
    return "".join(re.escape(c) if c in "\\]^-[" else c for c in chars)


def _ranges(codes: list[int]) -> str:
    """A character class body for sorted code points, runs as ranges (a short class matches fast)."""
    out, first = [], 0
    for i, code in enumerate(codes):
        if i + 1 == len(codes) or codes[i + 1] != code + 1:
            lo, hi = codes[first], code
            out.append(f"\\u{lo:04x}" if lo == hi else f"\\u{lo:04x}-\\u{hi:04x}")
            first = i + 1
    return "".join(out)


def _alone(ch: str, mark: str, form: str) -> bool:
    """Whether ``ch`` followed by ``mark`` normalises to what each does alone."""
    nfkc = unicodedata.normalize
    if nfkc("NFKC", ch + mark) == nfkc("NFKC", ch) + nfkc("NFKC", mark):
        return True  # nothing composes: the folding after NFKC is one character at a time
    return normalize(ch + mark) == form + normalize(mark)


@lru_cache(maxsize=1)
def _letters() -> _Letters:
    return _Letters()


class _Plan(NamedTuple):
    """What a word that begins a term gives: a span of its own, and the longer terms to try."""

    alone: bool  # a one-word term (or prefix) matches it
    phrases: tuple[tuple[int, tuple[str, ...], bool], ...]  # (column, forms, prefix) of longer terms


class _Plans(dict[str, "_Plan | None"]):
    """Raw word -> its plan, or None when it begins no term; made when first asked (a C lookup after)."""

    def __init__(self, highlighter: Highlighter) -> None:
        super().__init__()
        self.highlighter = highlighter

    def __missing__(self, raw: str) -> _Plan | None:
        plan = self[raw] = self.highlighter.plan(_normal(raw))
        return plan


class Highlighter:
    """A query's terms arranged for highlighting (see the module docstring); made once a query."""

    def __init__(self, query: ParsedQuery) -> None:
        self.starts: dict[tuple[int, str], list[Term]] = {}
        self.prefixes: list[tuple[int, str]] = []  # one-word prefix terms: the word need only begin so
        for term in (t for group in query.groups for t in group):
            col = 0 if term.column == "art" else 1
            if term.prefix and len(term.forms) == 1:
                self.prefixes.append((col, term.forms[0]))
            else:
                self.starts.setdefault((col, term.forms[0]), []).append(term)
        self.longest = max((len(t.forms) for ts in self.starts.values() for t in ts), default=1)
        self.plans = _Plans(self)  # most words of a page of hits recur
        # A word that is a term's first word ends with the core; one a prefix begins need only hold it.
        cores = {(_core(w), True) for _, w in self.starts} | {(_core(w), False) for _, w in self.prefixes}
        needles = sorted(_letters().needle(core, last) for core, last in cores)
        self.needle = None if any(not core for core, _ in cores) else re.compile("|".join(needles))

    def plan(self, norm: str) -> _Plan | None:
        """What a normalised word begins: None for no term (or for no word: an empty form)."""
        if not norm:
            return None
        form = index_forms(norm)
        alone = any(form[col].startswith(want) for col, want in self.prefixes)
        phrases = []
        for col in (0, 1):
            for term in self.starts.get((col, form[col]), ()):
                if len(term.forms) == 1:
                    alone = True
                else:
                    phrases.append((col, term.forms, term.prefix))
        return _Plan(alone, tuple(phrases)) if alone or phrases else None

    def spans(self, text: str) -> tuple[Span, ...]:
        """Return the stretches of raw ``text`` that the query's terms match, in order."""
        return self.spans_of([text])[0]

    def spans_of(self, texts: Sequence[str]) -> list[tuple[Span, ...]]:
        """Return spans(text) of each of ``texts`` (a page of hits): the regexes run once over them all."""
        if self.needle is None or not texts:
            return [_as_spans(self._all_words(text), 0) for text in texts]
        joined = "\n".join(texts)  # no word, and no match of the needle, holds a line break
        starts = list(accumulate((len(t) + 1 for t in texts), initial=0))
        unsafe = {bisect_right(starts, m.start()) - 1 for m in _letters().unsafe.finditer(joined)}
        found = self._near_needles(joined, self.needle, starts, unsafe)
        return [
            _as_spans(self._all_words(text), 0) if k in unsafe else _as_spans(found[k], starts[k])
            for k, text in enumerate(texts)
        ]

    def _all_words(self, text: str) -> list[tuple[int, int]]:
        """Tokenise the whole text (arabic.tokens' words, found and normalised in C loops)."""
        words = list(_WORD.finditer(text))
        norms = list(map(_normal, map(re.Match.group, words)))
        if not all(norms):  # a word that normalises to nothing (a lone tatweel) is no word of the index
            words, norms = list(compress(words, norms)), list(filter(None, norms))
        bounds = list(map(re.Match.span, words))
        found: list[tuple[int, int]] = []
        for i, plan in enumerate(map(self.plans.__getitem__, map(re.Match.group, words))):
            if plan is not None:
                _add_spans(found, plan, bounds, norms, i)
        return found

    def _near_needles(
        self, joined: str, needle: re.Pattern[str], starts: list[int], skip: set[int]
    ) -> list[list[tuple[int, int]]]:
        """The spans in each text (``joined`` at ``starts``) found by looking only at the words where
        ``needle`` is found, and at the words after them that a term needs; texts in ``skip`` are not."""
        found: list[list[tuple[int, int]]] = [[] for _ in starts[1:]]
        k, end = 0, starts[1] - 1  # the text looked at, and where it ends
        pos = 0  # where the last word looked at ends: a word boundary
        plans, search = self.plans, _WORD.search
        for hit in needle.finditer(joined):  # a match lies inside one word (letters, harakat, tatweel)
            at = hit.start()
            if at < pos:
                continue
            while at >= end:
                k += 1
                pos, end = starts[k], starts[k + 1] - 1
            if k in skip:
                pos = end
                continue
            # Tokenise from a word boundary (after the last space, or the last word looked at):
            # from there _WORD finds the words it finds from the start of the text.
            word = search(joined, max(pos, joined.rfind(" ", pos, at) + 1), end)
            while word is not None and word.end() <= at:
                word = search(joined, word.end(), end)
            if word is None:
                continue
            pos = word.end()
            plan = plans[word.group()]
            if plan is None:
                continue
            if not plan.phrases:
                found[k].append((word.start(), pos))
                continue
            bounds, norms = [word.span()], [_normal(word.group())]
            _following(joined, pos, end, self.longest, bounds, norms)
            _add_spans(found[k], plan, bounds, norms, 0)
        return found


def _as_spans(found: list[tuple[int, int]], start: int) -> tuple[Span, ...]:
    """Spans of ``found`` (offsets in a joined text, the text beginning at ``start``), in order."""
    if len(found) == 1:
        a, b = found[0]
        return (_span(a - start, b - start),)
    return tuple(_span(a - start, b - start) for a, b in sorted(set(found)))


def _add_spans(
    found: list[tuple[int, int]], plan: _Plan, bounds: _Bounds, norms: Sequence[str], i: int
) -> None:
    """Add the spans of the terms that begin at word ``i`` of ``norms`` (offsets in ``bounds``)."""
    if plan.alone:
        found.append(bounds[i])
    for col, forms, prefix in plan.phrases:
        n = len(forms)
        if i + n > len(norms):
            continue
        for k in range(1, n):
            form, want = index_forms(norms[i + k])[col], forms[k]
            if not (form.startswith(want) if prefix and k == n - 1 else form == want):
                break
        else:
            found.append((bounds[i][0], bounds[i + n - 1][1]))


def _following(
    text: str, pos: int, end: int, count: int, bounds: list[tuple[int, int]], norms: list[str]
) -> None:
    """Append the words of ``text`` between ``pos`` (a word boundary) and ``end``, and their forms, until
    ``norms`` holds ``count``."""
    while len(norms) < count and (word := _WORD.search(text, pos, end)) is not None:
        pos = word.end()
        norm = _normal(word.group())
        if norm:
            bounds.append(word.span())
            norms.append(norm)


def _core(form: str) -> str:
    """What a normalised word holds when its index form is or begins with ``form`` (module docstring)."""
    return form[2:] if form.startswith(_ARTICLE) or _ARTICLE.startswith(form) else form


@lru_cache(maxsize=64)
def highlighter(query: ParsedQuery) -> Highlighter:
    """Return the query's highlighter (see match_spans); one is made a query and kept."""
    return Highlighter(query)


def match_spans(text: str, query: ParsedQuery) -> tuple[Span, ...]:
    """Return the stretches of raw ``text`` that the query's terms match, in order."""
    return highlighter(query).spans(text)
