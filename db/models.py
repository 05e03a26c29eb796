"""Frozen dataclasses for what the pipeline produces and what queries return."""

from __future__ import annotations

from dataclasses import dataclass, field
from operator import attrgetter
from typing import Any

_FIELDS: dict[type, attrgetter[Any]] = {}


class Positional:
    """A frozen dataclass pickled as its class and its fields in order, not as a field-by-field state.

    Unpickling then makes each object with one call to ``__init__``: about twice as fast for the
    many small objects a worker process sends back with each article (db.parallel).
    """

    __slots__ = ()

    def __reduce__(self) -> tuple[type, tuple[Any, ...]]:
        kind = type(self)
        get = _FIELDS.get(kind)
        if get is None:  # __match_args__: the init fields, in order (set by @dataclass); two or more here
            get = _FIELDS[kind] = attrgetter(*kind.__match_args__)  # type: ignore[attr-defined]
        return kind, get(self)


@dataclass(frozen=True, slots=True)
class Sentence(Positional):
    """One sentence (or headline, byline, caption...) of an article, by offsets into its text."""

    seq: int
    start: int
    end: int
    text: str
    kind: str
    boilerplate: bool


@dataclass(frozen=True, slots=True)
class Source(Positional):
    """A decoded input article before processing: its text and what the file said about it."""

    file: str
    text: str
    encoding: str = "utf-8"
    title: str | None = None
    outlet: str | None = None
    url: str | None = None
    published: str | None = None
    date_basis: str | None = None


@dataclass(frozen=True, slots=True)
class Mention(Positional):
    """A span naming a person, organisation, place (or MISC), by offsets into the article text."""

    sentence_seq: int
    start: int
    end: int
    surface: str
    type: str  # PER | ORG | LOC | MISC
    source: str  # gazetteer | rule | crf
    confidence: float
    gid: str | None = None  # the gazetteer entry it names, when known


@dataclass(frozen=True, slots=True)
class Article(Positional):
    """A processed article ready to store: metadata, identity and sentences."""

    content_hash: str
    file: str
    text: str
    encoding: str
    title: str | None
    outlet: str | None
    url: str | None
    published: str | None
    date_precision: str | None
    date_basis: str | None
    sentences: tuple[Sentence, ...] = field(default=())
    mentions: tuple[Mention, ...] = field(default=())
    claims: tuple[Any, ...] = field(default=())  # qexplore.db.extract.claims.Claim
    events: tuple[Any, ...] = field(default=())  # qexplore.db.extract.events.Event
    # Made where the extraction runs (a worker process with --jobs), so the one writer does less:
    index: tuple[tuple[str, str], ...] | None = None  # each sentence's search-index columns
    local_actors: tuple[Any, ...] | None = None  # qexplore.db.extract.actors.LocalActor


@dataclass(frozen=True, slots=True)
class Span:
    """A highlighted stretch of a sentence: offsets into the sentence's raw text."""

    start: int
    end: int


@dataclass(frozen=True, slots=True)
class Hit:
    """One search result: a sentence with its article and the matched spans."""

    sentence_id: int
    article_id: int
    file: str
    title: str | None
    outlet: str | None
    published: str | None
    seq: int
    kind: str
    text: str
    start: int
    end: int
    spans: tuple[Span, ...]
    score: float | None
