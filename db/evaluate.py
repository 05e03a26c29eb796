"""Scores: entity-level P/R/F1 on CoNLL files, actors and claims against a gold JSON annotation."""

from __future__ import annotations

import json
import re
from collections import defaultdict
from collections.abc import Iterator, Mapping, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from sqlite_utils import Database

from qexplore.db.arabic import drop_article, name_key, normalize, strip_proclitics
from qexplore.db.evaluate_events import (
    EventScore,
    date_ok,
    event_matches,
    gold_actor_spans,
    mention_span,
    overlap_any,
    score_events,
    spans_of,
)
from qexplore.db.extract.claims import Claim
from qexplore.db.extract.crf import spans
from qexplore.db.models import Mention, Sentence

# The event scores live in evaluate_events; they stay importable from here.
__all__ = [
    "EventScore", "date_ok", "event_matches", "gold_actor_spans", "mention_span", "overlap_any",
    "score_events", "spans_of",
]  # fmt: skip

TAG_MAP = {"PERS": "PER"}


def read_conll(path: Path) -> Iterator[list[tuple[str, str | None]]]:
    """Yield sentences of (token, gold tag or None) from a token-per-line file (blank line between)."""
    sentence: list[tuple[str, str | None]] = []
    with open(path, encoding="utf-8") as fh:
        for number, line in enumerate(fh, 1):
            line = line.rstrip("\n").rstrip("\r")
            if not line.strip():
                if sentence:
                    yield sentence
                sentence = []
                continue
            parts = line.split("\t") if "\t" in line else line.split()
            if not parts or not parts[0]:
                raise ValueError(f"{path}:{number}: no token on this line")
            sentence.append((parts[0], map_tag(parts[-1]) if len(parts) > 1 else None))
    if sentence:
        yield sentence


def map_tag(tag: str) -> str:
    """Return a BIO tag with ANERcorp's PERS written PER."""
    prefix, _, kind = tag.partition("-")
    return f"{prefix}-{TAG_MAP.get(kind, kind)}" if kind else tag


@dataclass
class Counts:
    """True positives, gold and predicted entity counts of one type."""

    tp: int = 0
    gold: int = 0
    pred: int = 0

    def prf(self) -> tuple[float, float, float]:
        p = self.tp / self.pred if self.pred else 0.0
        r = self.tp / self.gold if self.gold else 0.0
        return p, r, (2 * p * r / (p + r) if p + r else 0.0)


def entity_scores(gold: Sequence[Sequence[str]], pred: Sequence[Sequence[str]]) -> dict[str, Counts]:
    """Return exact-match entity counts per type and overall ("ALL"), conlleval style."""
    counts: dict[str, Counts] = defaultdict(Counts)
    for g_tags, p_tags in zip(gold, pred, strict=True):
        g, p = set(spans(g_tags)), set(spans(p_tags))
        for kind_set, attr in ((g, "gold"), (p, "pred"), (g & p, "tp")):
            for _, _, kind in kind_set:
                for key in (kind, "ALL"):
                    setattr(counts[key], attr, getattr(counts[key], attr) + 1)
    return dict(counts)


# ---- actors against a gold annotation -----------------------------------------------------------

_LETTER = re.compile(r"\w")


@dataclass
class ArticleScore:
    """Actor-level agreement on one article."""

    article: str
    gold: int
    ours: int
    found: int  # gold actors matched by at least one of ours
    correct: int  # our actors that match some gold actor
    split: list[str] = field(default_factory=list)  # gold actors matched by several of ours
    merged: list[list[str]] = field(default_factory=list)  # gold actors one of ours matches together
    missed: list[str] = field(default_factory=list)
    spurious: list[str] = field(default_factory=list)

    @property
    def recall(self) -> float:
        return self.found / self.gold if self.gold else 1.0

    @property
    def precision(self) -> float:
        return self.correct / self.ours if self.ours else 1.0


def _occurrences(text: str, form: str) -> list[tuple[int, int]]:
    """Where ``form`` stands in ``text`` as whole words (a clitic letter may precede it)."""
    found = []
    for start, end in spans_of(text, form):
        before = text[start - 1] if start else " "
        after = text[end] if end < len(text) else " "
        clitic_ok = before in "وفبلك" and (start < 2 or not _LETTER.match(text[start - 2]))
        if (not _LETTER.match(before) or clitic_ok) and not _LETTER.match(after):
            found.append((start, end))
    return found


def _gold_spans(text: str, actors: list[dict[str, Any]], article: str) -> list[tuple[int, int, str]]:
    """Every occurrence of every gold form, less those nested in a longer form of another actor."""
    spans_: list[tuple[int, int, str]] = []
    for actor in actors:
        forms = actor.get("forms_by_article", {}).get(article, [])
        forms += actor.get("clitic_forms_by_article", {}).get(article, [])
        for form in set(forms):
            spans_ += [(a, b, actor["id"]) for a, b in _occurrences(text, form)]
    return [
        s for s in spans_
        if not any(o[2] != s[2] and o[0] <= s[0] and s[1] <= o[1] and o[1] - o[0] > s[1] - s[0]
                   for o in spans_)
    ]


def actor_scores(db: Database, gold: dict[str, Any]) -> list[ArticleScore]:
    """Score the database's actors, article by article, against a gold annotation (gold/seeds.json).

    One of our actors matches a gold actor when one of its mentions overlaps an occurrence of one of
    that actor's forms in the article, the gold form it overlaps most (the longest form wins where
    forms nest).
    """
    scores = []
    for art in gold["articles"]:
        row = db.execute("SELECT id, text FROM articles WHERE file = ?", [art["file"]]).fetchone()
        if row is None:
            continue
        aid, text = row
        key = art["file"][:3]
        gold_actors = [a for a in gold["actors"] if key in a["articles"]]
        gspans = _gold_spans(text, gold_actors, key)
        ours: dict[int, set[str]] = defaultdict(set)
        names: dict[int, str] = {}
        for actor_id, start, end, surface in db.execute(
            "SELECT m.actor_id, m.start, m.end, m.surface FROM mentions m "
            "WHERE m.article_id = ? AND m.actor_id IS NOT NULL", [aid]
        ):
            names.setdefault(actor_id, surface)
            best = max(
                ((min(b, end) - max(a, start), g) for a, b, g in gspans if a < end and start < b),
                default=None,
            )
            ours[actor_id] |= {best[1]} if best else set()
        matched_by: dict[str, list[int]] = defaultdict(list)
        for actor_id, golds in ours.items():
            for g in golds:
                matched_by[g].append(actor_id)
        score = ArticleScore(
            art["file"], len(gold_actors), len(ours), len(matched_by),
            sum(1 for g in ours.values() if g),
        )
        score.split = sorted(g for g, who in matched_by.items() if len(who) > 1)
        score.merged = [sorted(g) for g in ours.values() if len(g) > 1]
        score.missed = sorted(a["id"] for a in gold_actors if a["id"] not in matched_by)
        score.spurious = sorted(normalize(names[i]) for i, g in ours.items() if not g)
        scores.append(score)
    return scores


def load_gold(path: Path) -> dict[str, Any]:
    """Read a gold annotation file."""
    doc: dict[str, Any] = json.loads(path.read_text(encoding="utf-8"))
    return doc


# ---- claims against a gold annotation -----------------------------------------------------------


@dataclass(frozen=True, slots=True)
class ClaimScore:
    """Sentence-level recall and precision of claims, and agreement on the matched gold claims."""

    found: int
    gold: int
    right: int
    ours: int
    cue: int
    anonymity: int
    outlet: int
    speaker: int = 0
    wrong_speakers: tuple[str, ...] = ()  # gold claim ids whose speaker we got wrong

    @property
    def recall(self) -> float:
        return self.found / self.gold if self.gold else 1.0

    @property
    def precision(self) -> float:
        return self.right / self.ours if self.ours else 1.0


def _cue_key(text: str) -> str:
    norm = normalize(text).split()[0] if text.strip() else ""
    return norm[1:] if norm[:1] in "وف" and len(norm) > 3 else norm


ClaimInput = tuple[str, Sequence[Sentence], Sequence[Claim], Sequence[Mention]]


@dataclass(frozen=True, slots=True)
class _ClaimContext:
    """What the speaker rule needs about one article: its text, mentions, gold actor forms and claims."""

    text: str
    mentions: Sequence[Mention]
    actor_spans: dict[str, list[tuple[int, int]]]
    gold_by_id: dict[str, dict[str, Any]]


def _speaker_words(text: str) -> set[str]:
    """Content words of a speaker phrase, normalised, without clitics and the article."""
    return {drop_article(strip_proclitics(w)) for w in normalize(text).split()} - {""}


def _gold_speaker_text(g: Mapping[str, Any], gold_by_id: Mapping[str, Mapping[str, Any]]) -> str | None:
    """The gold speaker phrase, or that of the claim an implicit speaker is carried over from."""
    seen: set[str] = set()
    while g["speaker_ar"] is None and g.get("same_speaker_as") and g["same_speaker_as"] not in seen:
        seen.add(g["same_speaker_as"])
        g = gold_by_id.get(g["same_speaker_as"], g)
    speaker: str | None = g["speaker_ar"]
    return speaker


def _named_speaker_right(c: Claim, actor: str, ctx: _ClaimContext) -> bool:
    wanted = ctx.actor_spans.get(actor, [])
    own = (c.speaker_start, c.speaker_end)
    if own[0] is not None and own[1] is not None and overlap_any((own[0], own[1]), wanted):
        return True
    if c.speaker_mention is None:
        return False
    return overlap_any(mention_span(ctx.mentions[c.speaker_mention]), wanted)


def _anonymous_speaker_right(c: Claim, g: Mapping[str, Any], ctx: _ClaimContext) -> bool:
    if c.anonymity == "named" or c.speaker_mention is not None:
        return False
    phrase = _gold_speaker_text(g, ctx.gold_by_id)
    if phrase is None:
        return True
    at = ctx.text.find(g["evidence"])
    spans = [(at + a, at + b) for a, b in spans_of(g["evidence"], phrase)] if g["speaker_ar"] else []
    if spans and c.speaker_start is not None and c.speaker_end is not None:
        return overlap_any((c.speaker_start, c.speaker_end), spans)
    ours = c.descriptor if c.descriptor else c.speaker_text
    return ours is not None and bool(_speaker_words(ours) & _speaker_words(phrase))


def speaker_right(c: Claim, g: Mapping[str, Any], ctx: _ClaimContext) -> bool:
    """True when our claim ``c`` has the speaker of gold claim ``g`` (the rule of ``claim_scores``)."""
    if g["speaker_actor"]:
        return _named_speaker_right(c, g["speaker_actor"], ctx)
    return _anonymous_speaker_right(c, g, ctx)


def claim_scores(gold: Mapping[str, Any], ours: Mapping[str, ClaimInput]) -> ClaimScore:
    """Score claims by evidence sentence: a gold claim is found when one of ours lies in a sentence that
    overlaps its evidence; one of our claim sentences is right when it overlaps some gold evidence.

    ``ours`` maps an article id ("000") to (article text, sentences, claims, mentions). Cue, anonymity,
    outlet and speaker agreement count matched gold claims for which one of our claims in the sentence
    agrees (those with the gold cue when there are any).

    The speaker is right when:

    - the gold names an actor (``speaker_actor``): our speaker span, or the mention our speaker is linked
      to, overlaps one of that actor's forms in the article (``forms_by_article`` and
      ``clitic_forms_by_article``). An implicit or carried-over speaker (gold ``speaker_ar`` null,
      ``same_speaker_as``) is thus right when the mention it is carried from is a form of that actor;
    - the gold speaker is anonymous: ours is not named (no actor-linked mention) and, when the gold
      writes the speaker phrase in the sentence, our speaker span overlaps it; when ours is implicit or
      the gold phrase is that of an earlier claim (``same_speaker_as``), our descriptor shares a word
      (article and clitics aside) with the gold phrase. With no gold phrase at all, not named is enough.
    """
    names = {a["id"]: {name_key(n) for n in [a["name_ar"], *a["aliases"]]} for a in gold["actors"]}
    gold_by_id = {c["id"]: c for c in gold["claims"]}
    found = total = right = count = cue = anon = outlet = speaker = 0
    wrong: list[str] = []
    for art, (text, sentences, claims, mentions) in ours.items():
        ctx = _ClaimContext(text, mentions, gold_actor_spans(dict(gold), art, text), gold_by_id)
        spans = {s.seq: (s.start, s.end) for s in sentences}
        evidence = [(c, text.find(c["evidence"])) for c in gold["claims"] if c["article"] == art]
        ranges = [(c, at, at + len(c["evidence"])) for c, at in evidence if at >= 0]
        mine = [c for c in claims if c.kind == "claim"]
        for g, lo, hi in ranges:
            near = [c for c in mine if spans[c.sentence_seq][0] < hi and lo < spans[c.sentence_seq][1]]
            total += 1
            found += bool(near)
            same = [c for c in near if _cue_key(c.cue) == _cue_key(g["cue"])]
            cue += bool(same)
            best = same or near
            anon += any((c.anonymity != "named") == g["speaker_anonymous"] for c in best)
            keys = names.get(g["outlet"], set()) if g["outlet"] else {None}
            outlet += any((name_key(c.outlet_text) if c.outlet_text else None) in keys for c in best)
            ok = any(speaker_right(c, g, ctx) for c in best)
            speaker += ok
            if near and not ok:
                wrong.append(g["id"])
        seqs = {c.sentence_seq for c in mine}
        count += len(seqs)
        right += sum(any(spans[q][0] < hi and lo < spans[q][1] for _, lo, hi in ranges) for q in seqs)
    return ClaimScore(found, total, right, count, cue, anon, outlet, speaker, tuple(wrong))
