"""Mentions of people, organisations and places: gazetteer, rules and the CRF tagger combined."""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import replace

from qexplore.db.arabic import Token, key_parts, lexicon, name_key, scan, strip_proclitics
from qexplore.db.extract import crf, rules
from qexplore.db.extract.gazetteer import Gazetteer
from qexplore.db.models import Mention, Sentence

# Words and single punctuation marks, as the tagger was trained on (ANERcorp splits punctuation).
_TOKEN = re.compile(r"[^\W_][\w\u0610-\u061a\u064b-\u065f\u0670\u06d6-\u06ed\u0640]*|[^\w\s]")
_MARK = re.compile("[\u0610-\u061a\u064b-\u065f\u0670\u06d6-\u06ed\u0640]")
# Gazetteer and rule matches outrank the statistical tagger where they overlap.
# A unit named after a known body (خلية الحرس الثوري) outranks the body's own name inside it.
_RANK = {"unit": -1, "gazetteer": 0, "rule": 1, "crf": 2}
CRF_MIN_CONFIDENCE = 0.5


# A token of a sentence: offsets into the sentence, raw text and normalised form. The words and
# punctuation marks come from arabic.scan, which the claim and event extractors share.
Tok = Token


def sentence_tokens(text: str) -> list[Tok]:
    """Return the words and punctuation marks of a sentence with their offsets."""
    return list(scan(text)[0])


def skip_clitic(raw: str, norm: str, stem: str) -> int:
    """Return how many raw characters the clitic letters before ``stem`` take (0 for لل forms)."""
    drop = len(norm) - len(stem)
    if drop <= 0 or not norm.endswith(stem):
        return 0
    pos = 0
    for _ in range(drop):
        pos += 1
        while pos < len(raw) and _MARK.match(raw[pos]):
            pos += 1
    return pos


def surface_stem(word: str) -> str:
    """Return a name's first word without its clitic, for where a mention's surface starts.

    Stricter than strip_proclitics for a lone ب/ك/ل, which names start with more often than
    they carry one (بايدن is no ب + ايدن): the rest must be ten times the commoner word.
    """
    stem = strip_proclitics(word)
    if len(word) - len(stem) == 1 and word[0] in "بكل":
        lex = lexicon()
        if lex.get(stem, 0) < 10 * lex.get(word, 0) or word not in lex:
            return word
    return stem


def _gazetteer(toks: Sequence[Tok], gaz: Gazetteer) -> list[tuple[int, int, str, str, int]]:
    """Longest gazetteer names: (first token, end token, type, id, clitic chars to skip)."""
    forms = [t.norm for t in toks]
    parts = key_parts(forms, keep_article=True)
    found = []
    after = 0  # a name ends before this token: the next one starts here or later
    for i in gaz.starts(parts):
        if i < after:
            continue
        n, hits = gaz.longest(parts, i)
        if n:
            kind, gid = hits[0]
            skip = skip_clitic(toks[i].raw, forms[i], strip_proclitics(forms[i]))
            found.append((i, i + n, kind, gid, skip))
            after = i + n
    return found


def _overlaps(a: tuple[int, int], taken: list[tuple[int, int]]) -> bool:
    return any(a[0] < b[1] and b[0] < a[1] for b in taken)


Candidate = tuple[int, int, str, str, float, str | None]  # tokens, type, source, confidence, gid


def _supported(toks: Sequence[Tok], i: int, j: int, kind: str, tagged: list[tuple[int, int]]) -> bool:
    """An ambiguous gazetteer name needs the tagger, a cue word before it, or quotes around it."""
    if _overlaps((i, j), tagged):
        return True
    before = toks[i - 1].norm if i else ""
    after = toks[j].norm if j < len(toks) else ""
    quoted = before in rules.OPEN_QUOTES and after in rules.CLOSE_QUOTES
    return quoted or strip_proclitics(before) in rules.CUES.get(kind, frozenset())


def _candidates(toks: Sequence[Tok], gaz: Gazetteer, tagger: crf.Tagger | None) -> list[Candidate]:
    found: list[Candidate] = []
    if tagger is not None:
        for span in tagger.entities([t.raw for t in toks]):
            found.append((span.start, span.end, span.label, "crf", span.confidence, None))
    tagged = [(c[0], c[1]) for c in found]
    gazetteer_spans = []
    for i, j, kind, gid, skip in _gazetteer(toks, gaz):
        if gaz.entries[gid].ambiguous and not _supported(toks, i, j, kind, tagged):
            continue
        gazetteer_spans.append((i, j, kind))
        found.append((i, j, kind, "gazetteer", 1.0, f"{gid}\t{skip}"))
    for i, j, kind in rules.find(toks, gaz):
        found.append((i, j, kind, "rule", 0.9, None))
    for i, j, kind in rules.units(toks, gazetteer_spans):
        found.append((i, j, kind, "unit", 0.9, None))
    return found


def find_mentions(sentence: Sentence, gaz: Gazetteer, tagger: crf.Tagger | None) -> list[Mention]:
    """Return the mentions in one sentence, offsets into the article, best source first on overlap."""
    toks = sentence_tokens(sentence.text)
    candidates = _candidates(toks, gaz, tagger)
    candidates.sort(key=lambda c: (_RANK[c[3]], -(c[1] - c[0]), c[0]))
    taken: list[tuple[int, int]] = []
    mentions = []
    for i, j, kind, source, confidence, extra in candidates:
        if _overlaps((i, j), taken) or (source == "crf" and confidence < CRF_MIN_CONFIDENCE):
            continue
        gid, skip = extra.split("\t") if extra else (None, "0")
        mention = _mention(sentence, toks, (i, j), kind, source, confidence, gid, int(skip), gaz)
        if mention is not None:
            taken.append((i, j))
            mentions.append(mention)
    return _join_name_parts(sorted(mentions, key=lambda m: m.start), sentence, gaz)


def _join_name_parts(mentions: list[Mention], sentence: Sentence, gaz: Gazetteer) -> list[Mention]:
    """Fold a tagged word that continues a known person's name into it (قاآني إسماعيل: the surname
    first, then the given name) instead of letting it stand as a person of its own."""
    out: list[Mention] = []
    for m in mentions:
        prev = out[-1] if out else None
        if (
            prev is not None and prev.gid and prev.type == m.type == "PER" and m.source == "crf"
            and not sentence.text[prev.end - sentence.start : m.start - sentence.start].strip()
            and name_key(m.surface) in _name_words(gaz, prev.gid)
        ):
            surface = sentence.text[prev.start - sentence.start : m.end - sentence.start]
            out[-1] = replace(prev, end=m.end, surface=surface)
            continue
        out.append(m)
    return out


def _name_words(gaz: Gazetteer, gid: str) -> set[str]:
    entry = gaz.entries.get(gid)
    return {w for n in entry.names for w in name_key(n).split()} if entry else set()


def _mention(
    sentence: Sentence, toks: Sequence[Tok], span: tuple[int, int], kind: str, source: str,
    confidence: float, gid: str | None, skip: int, gaz: Gazetteer,
) -> Mention | None:
    i, j = span
    while j - 1 > i and len(toks[j - 1].norm) <= 1:
        j -= 1  # a dangling clitic or mark the tagger took in (الشمري بـ)
    start = toks[i].start + skip
    if source != "gazetteer":
        stem = surface_stem(toks[i].norm)
        start = toks[i].start + skip_clitic(toks[i].raw, toks[i].norm, stem)
    end = toks[j - 1].end
    surface = sentence.text[start:end]
    source = "rule" if source == "unit" else source
    if not surface.strip() or not any(c.isalpha() for c in surface):
        return None
    kind = rules.demote(surface, kind, source, gaz)
    return Mention(
        sentence.seq, sentence.start + start, sentence.start + end, surface, kind, source,
        round(confidence, 3), gid,
    )


def article_mentions(
    sentences: Sequence[Sentence], gaz: Gazetteer, tagger: crf.Tagger | None
) -> list[Mention]:
    """Return the mentions of an article's sentences.

    Read-also links are searched too (they name actors); repeats of a line already seen are not.
    """
    kept = [s for s in sentences if not (s.boilerplate and s.kind != "boilerplate")]
    if tagger is not None:  # tag them together: one numpy pass for all (crf.Tagger.prefetch)
        tagger.prefetch([_TOKEN.findall(s.text) for s in kept])
    return [m for s in kept for m in find_mentions(s, gaz, tagger)]
