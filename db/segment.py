"""Split an article into sentences with character offsets, a kind for each, and boilerplate flagged."""

from __future__ import annotations

import re
from collections import Counter
from dataclasses import dataclass

from qexplore.db.arabic import normalize, words
from qexplore.db.models import Sentence

KINDS = ("body", "headline", "subhead", "byline", "caption", "pullquote", "boilerplate")

# A sentence ends at . ! ? ؟ (a run of them), with any closing quotes or brackets that follow,
# when whitespace or the end of the line comes next. Ellipses (..) and decimals (2.5) do not end one.
_END = re.compile(r"(?<![.])(?:[!?؟]+|\.(?!\.)[!?؟]*)[\"»”’')\]]*(?=\s|$)")
_TERMINAL_AT_END = re.compile(r"[.!?؟][\"»”’')\]]*\s*$")
# Words after which a sentence cannot stop: a line ending in one continues on the next line.
_CONTINUERS = frozenset(
    normalize(w)
    for w in (
        "في من إلى الى على عن مع و أو أن إن لأن بأن كما التي الذي الذين اللذين اللتين حيث بين "
        "حول ضد عند منذ لدى نحو خلال بعد قبل ثم لكن بل قد لم لن كان كانت وفق بحسب حسب"
    ).split()
)
_BOILERPLATE = re.compile(
    r"^(?:اقرا(?:/ي)? ايضا|اقرا المزيد|شاهد ايضا|طالع ايضا|اقرا كذلك|تصنيفات$|قصص قد تهمك|"
    r"مواضيع ذات صلة|اخبار ذات صلة|back to top|read more|تابعونا على|شارك(?:وا)? (?:هذا|المقال))"
)
_DATELINE = re.compile(r"^(?:نشر في|تاريخ النشر|اخر تحديث|تم النشر|published|updated)\b")
_BYLINE = re.compile(r"^[^\s:،]+(?: [^\s:،]+){0,3} ?[-–—|/] ?[^\s:،]+(?: [^\s:،]+){0,3}$")
_CREDIT = re.compile(
    r"(?:[-–—|/(]\s*)(?:afp|reuters|ap|epa|getty(?: images)?|رويترز|ا ف ب|فرانس برس|الاناضول|"
    r"اسوشيتد برس)\)?\s*$"
)
_PULLQUOTE = re.compile(r"^[^\s:،.]+(?: [^\s:،.]+){0,2}: ?\S")
_SUBHEAD_WORDS = 14
_HEADLINE_WORDS = 30


@dataclass(frozen=True, slots=True)
class _Line:
    start: int
    end: int
    text: str


def _lines(text: str) -> list[_Line | None]:
    """Return the article's lines, trimmed, with offsets; None stands for a blank line."""
    out: list[_Line | None] = []
    pos = 0
    for raw in text.split("\n"):
        stripped = raw.strip()
        if stripped:
            start = pos + raw.index(stripped)
            out.append(_Line(start, start + len(stripped), stripped))
        else:
            out.append(None)
        pos += len(raw) + 1
    return out


def _continues(line: _Line) -> bool:
    """True when a line stops mid-sentence: it ends in a word no Arabic sentence ends with."""
    if _TERMINAL_AT_END.search(line.text):
        return False
    last = words(line.text[-40:])
    return bool(last) and last[-1] in _CONTINUERS


def _join_broken(lines: list[_Line | None], text: str) -> list[_Line | None]:
    """Join a line to the next when a stray newline cut a sentence in two."""
    out: list[_Line | None] = []
    for line in lines:
        prev = out[-1] if out else None
        if line is not None and prev is not None and _continues(prev):
            out[-1] = _Line(prev.start, line.end, text[prev.start : line.end])
        else:
            out.append(line)
    return out


def _split_sentences(line: _Line) -> list[tuple[int, int]]:
    """Split a body line at sentence-final punctuation; return (start, end) pairs in the article."""
    spans: list[tuple[int, int]] = []
    begin = 0
    for m in _END.finditer(line.text):
        if m.group().startswith("."):
            before = line.text[begin : m.start()].rsplit(None, 1)  # the last word is enough
            if before and len(before[-1]) == 1:
                continue  # an initial such as "د." is no sentence end
        spans.append((begin, m.end()))
        begin = m.end()
    spans.append((begin, len(line.text)))
    out = []
    for a, b in spans:
        chunk = line.text[a:b]
        if chunk.strip():
            lead = len(chunk) - len(chunk.lstrip())
            out.append((line.start + a + lead, line.start + a + len(chunk.rstrip())))
    return out


def _kind(line: _Line, norm: str, index: int, in_top: bool) -> str:
    """Classify a line that is not boilerplate by its shape and place."""
    n_words = len(norm.split())
    if _DATELINE.match(norm) or (n_words <= 8 and _BYLINE.match(norm)):
        return "byline"
    if _CREDIT.search(norm):
        return "caption"
    if index > 0 and n_words <= 40 and _PULLQUOTE.match(norm) and not norm.endswith("."):
        return "pullquote"
    if _TERMINAL_AT_END.search(line.text):
        return "body"
    if in_top:
        return "headline" if n_words <= _HEADLINE_WORDS else "body"
    return "subhead" if n_words <= _SUBHEAD_WORDS else "body"


def segment(text: str) -> list[Sentence]:
    """Return the sentences of an article with offsets into ``text``, kinds and boilerplate flags.

    Body lines are split at sentence-final punctuation; headlines, subheads, bylines, captions and
    pull-quotes stay whole. Read-also links, page furniture and lines repeated within the article
    are kept but flagged as boilerplate.
    """
    lines = _join_broken(_lines(text), text)
    seen: set[str] = set()
    keys = [normalize(line.text) if line is not None else "" for line in lines]
    counts = Counter(key for line, key in zip(lines, keys, strict=True) if line is not None)
    sentences: list[Sentence] = []
    in_top, link_list, index = True, False, -1
    for line, key in zip(lines, keys, strict=True):
        if line is None:
            link_list = False  # a blank line ends a list of read-also links
            continue
        index += 1
        norm = key.strip()
        if _BOILERPLATE.match(norm) or (link_list and not _TERMINAL_AT_END.search(line.text)):
            kind, flagged = "boilerplate", True
            link_list = link_list or norm.endswith(":")
        else:
            link_list = False
            kind = "caption" if counts[key] > 1 else _kind(line, norm, index, in_top)
            flagged = key in seen
        seen.add(key)
        in_top = in_top and kind != "body"
        spans = _split_sentences(line) if kind == "body" else [(line.start, line.end)]
        for start, end in spans:
            sentences.append(Sentence(len(sentences), start, end, text[start:end], kind, flagged))
    return sentences
