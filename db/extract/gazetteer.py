"""The curated gazetteer (shipped and the user's own): entries, and a longest-match name finder."""

from __future__ import annotations

import hashlib
import re
import tomllib
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from functools import lru_cache
from importlib import resources
from pathlib import Path

from qexplore.db.arabic import (
    drop_article,
    is_function_word,
    join_keys,
    key_part,
    name_key,
    strip_proclitics,
    words,
)

TYPES = ("PER", "ORG", "LOC")
# Latin acronyms (AFP, IRNA) appear as such in Arabic text, in captions and credits.
_ACRONYM = re.compile(r"^[A-Z]{2,6}$")
MAX_WORDS = 8
_HEADS_CACHE = 200_000  # words whose name heads are remembered before the memo starts afresh


class GazetteerError(Exception):
    """A gazetteer file that cannot be read; str() names the file and the reason."""


@dataclass(frozen=True, slots=True)
class Entry:
    """A curated actor: identity, names in both scripts and a one-line description."""

    id: str
    type: str
    name_ar: str
    name_en: str
    description: str
    aliases: tuple[str, ...]
    aliases_en: tuple[str, ...]
    ambiguous: bool = False  # a name that is also a common word: found only with support

    @property
    def names(self) -> tuple[str, ...]:
        """Every name the entry is found by in text: Arabic ones, canonical first, and acronyms."""
        return (self.name_ar, *self.aliases, *(a for a in self.aliases_en if _ACRONYM.match(a)))


def _entry(raw: dict[str, object], where: str) -> Entry:
    def text(field: str, required: bool = True) -> str:
        value = raw.get(field, "")
        if not isinstance(value, str) or (required and not value.strip()):
            raise GazetteerError(f"{where}: actor {raw.get('id', '?')!r} needs a text {field!r}")
        return value.strip()

    def texts(field: str) -> tuple[str, ...]:
        value = raw.get(field, [])
        if not isinstance(value, list) or not all(isinstance(v, str) for v in value):
            raise GazetteerError(f"{where}: actor {raw.get('id')!r}: {field!r} must be a list of text")
        return tuple(v.strip() for v in value if v.strip())

    entry = Entry(
        text("id"), text("type"), text("name_ar"), text("name_en", False) or text("name_ar"),
        text("description", False), texts("aliases"), texts("aliases_en"),
        raw.get("ambiguous") is True,
    )
    if entry.type not in TYPES:
        raise GazetteerError(f"{where}: actor {entry.id!r}: type must be one of {', '.join(TYPES)}")
    return entry


def parse(text: str, where: str) -> list[Entry]:
    """Parse gazetteer TOML (``[[actor]]`` tables); raise GazetteerError naming ``where``."""
    try:
        doc = tomllib.loads(text)
    except tomllib.TOMLDecodeError as exc:
        raise GazetteerError(f"{where}: not valid TOML ({exc})") from exc
    actors = doc.get("actor", [])
    if not isinstance(actors, list):
        raise GazetteerError(f"{where}: expected [[actor]] tables")
    return [_entry(a, where) for a in actors if isinstance(a, dict)]


@lru_cache(maxsize=1)
def shipped() -> tuple[Entry, ...]:
    """Return the gazetteer that ships with qexplore (every data/gazetteer*.toml file)."""
    folder = resources.files("qexplore.db") / "data"
    files = sorted(
        (p for p in folder.iterdir() if p.name.startswith("gazetteer") and p.name.endswith(".toml")),
        key=lambda p: p.name,
    )
    return tuple(e for p in files for e in parse(p.read_text(encoding="utf-8"), p.name))


def load_user(path: Path) -> list[Entry]:
    """Return the user's own entries from ``path`` (none if it does not exist)."""
    if not path.exists():
        return []
    try:
        return parse(path.read_text(encoding="utf-8"), str(path))
    except (OSError, UnicodeDecodeError) as exc:
        raise GazetteerError(f"{path}: cannot read ({exc})") from exc


class Gazetteer:
    """Entries by id; their names by key for actor matching and by detection key for finding them.

    The detection key keeps the article (``name_key(keep_article=True)``): a name written with
    ال matches text without it (كاظمي finds الكاظمي's entry), but a name without ال never matches
    a common word that has it (مشهد, the city, is not المشهد, "the scene").
    """

    def __init__(self, entries: Iterable[Entry]) -> None:
        self.entries: dict[str, Entry] = {}
        self._keys: dict[str, list[tuple[str, str]]] = {}  # name key -> [(type, id)]
        self._detect: dict[str, list[tuple[str, str]]] = {}  # detection key -> [(type, id)]
        self._first: set[str] = set()
        for entry in entries:  # a later entry (the user's) replaces an earlier one of its id
            self.entries[entry.id] = entry
        self.digest = hashlib.sha256(repr(sorted(self.entries.items())).encode()).hexdigest()
        for entry in self.entries.values():
            for name in entry.names:
                for table, key in (
                    (self._keys, name_key(name)),
                    (self._detect, name_key(name, keep_article=True, clitic=False)),
                ):
                    if key and (entry.type, entry.id) not in table.get(key, []):
                        table.setdefault(key, []).append((entry.type, entry.id))
                self._first.update(_first_words(name))
        # Every beginning of a detection key: a run of words whose key begins no name cannot
        # become one by taking more words (a key only ever grows at its end), so longest() stops.
        self._prefixes = {key[:n] for key in self._detect for n in range(len(key) + 1)}
        self._heads: dict[str, tuple[str, ...]] = {}  # a sentence token -> the name heads it can be
        # longest() of a word and the next when no name can take in a third (most words): its result.
        self._pairs: dict[tuple[str, ...], tuple[int, list[tuple[str, str]]]] = {}

    def starts(self, parts: Sequence[str]) -> list[int]:
        """The indexes of ``parts`` (a sentence's key parts) where a name may begin (see may_start)."""
        memo, out = self._heads, []
        for i, part in enumerate(parts):
            heads = memo.get(part)  # the memo of _heads_of, looked at here: a call per token is dear
            if heads is None:
                heads = self._heads_of(part)
            if heads:
                out.append(i)
        return out

    def may_start(self, part: str) -> bool:
        """True when a name may begin at a token whose key part is ``part`` (see longest)."""
        return bool(self._heads_of(part))

    def _heads_of(self, part: str) -> tuple[str, ...]:
        """The forms of a first token that begin some name: as written, then without a clitic
        (لحزب الله); none for a lone particle (فإن is not the town of Van). Cached per word."""
        heads = self._heads.get(part)
        if heads is None:
            if len(self._heads) > _HEADS_CACHE:
                self._heads.clear()
            stripped = strip_proclitics(part)
            forms = (part,) if stripped == part else (part, stripped)
            found = () if is_function_word(part) else forms
            heads = self._heads[part] = tuple(h for h in found if h in self._first or "ال" + h in self._first)
        return heads

    def lookup(self, key: str) -> list[tuple[str, str]]:
        """Return (type, id) of the entries with a name whose name key is ``key``."""
        return self._keys.get(key, [])

    def detect(self, text: str) -> list[tuple[str, str]]:
        """Return (type, id) of the entries that the words of ``text`` name exactly."""
        parts = [key_part(w, keep_article=True) for w in words(text)]
        n, found = self.longest(parts, 0) if parts else (0, [])
        return found if n == len(parts) else []

    def _found(self, key: str) -> list[tuple[str, str]]:
        found = self._detect.get(key)
        if found is None and key and not key.startswith("ال"):
            found = self._detect.get("ال" + key)  # كاظمي finds الكاظمي
        return found or []

    def longest(self, parts: Sequence[str], i: int) -> tuple[int, list[tuple[str, str]]]:
        """Return (words, matches) of the longest name at parts[i:] ((0, []) if none).

        ``parts`` are a sentence's tokens as key parts (key_part(..., keep_article=True)),
        punctuation included. The first word is tried as written, then without a clitic
        (لحزب الله). A name starts and ends on a word and holds its quotes balanced (كتلة "تقدم",
        not قوة القدس" التابعة); a lone particle is never a name (فإن is not the town of Van).
        """
        pair = tuple(parts[i : i + 2])
        known = self._pairs.get(pair)
        if known is not None:
            return known
        heads = self._heads_of(parts[i])
        if not heads:
            return 0, []
        best: tuple[int, list[tuple[str, str]]] = (0, [])
        rest = parts[i + 1 : i + min(MAX_WORDS, len(parts) - i)]
        # The keys of parts[i : i + n] for n = 1, 2, ..., one per head, each built on the last.
        growing = zip(*(join_keys([head, *rest], keep_article=True) for head in heads), strict=True)
        for n, keys in enumerate(growing, 1):
            span = parts[i : i + n]
            if not any(map(self._may_grow, keys)):
                if n <= 2:  # what the first two words hold decided it: the same pair always will
                    if len(self._pairs) > _HEADS_CACHE:
                        self._pairs.clear()
                    self._pairs[pair] = best
                break
            ends_on_word = span[-1][:1].isalnum() or (n > 2 and span[-1] in _CLOSING)
            if not ends_on_word or not _balanced(span):
                continue  # كتلة "تقدم" ends on its closing quote; قوة القدس" التابعة is no name
            found = next((f for f in map(self._found, keys) if f), None)
            if found:
                best = (n, found)
        return best

    def _may_grow(self, key: str) -> bool:
        """True when ``key`` (or ال + key, see _found) begins some detection key."""
        return key in self._prefixes or (not key.startswith("ال") and "ال" + key in self._prefixes)


_CLOSING = frozenset('"»”')


def _balanced(tokens: Sequence[str]) -> bool:
    """True when every quote opened among ``tokens`` closes among them, and none closes unopened."""
    straight_open, depth = False, 0
    for tok in tokens:
        if tok == '"':
            straight_open = not straight_open
        elif tok in ("«", "“"):
            depth += 1
        elif tok in ("»", "”"):
            depth -= 1
            if depth < 0:
                return False
    return depth == 0 and not straight_open


def _first_words(name: str) -> set[str]:
    """The forms a name's first token can take in running text (عبد العزيز or عبدالعزيز)."""
    ws = [key_part(w, keep_article=True) for w in words(name)]
    if not ws:
        return set()
    first = {ws[0]}
    for head in ("ابو", "ابي", "ابا", "عبد"):
        if ws[0] == head and len(ws) > 1:
            rest = drop_article(ws[1])
            first |= {head + rest, head + "ال" + rest}
        elif ws[0].startswith(head) and len(ws[0]) > len(head) + 1:
            first.add(head)
    return first


def build(user_file: Path | None = None) -> Gazetteer:
    """Return the shipped gazetteer with the user's file (if any) added; user entries win by id."""
    entries = list(shipped())
    if user_file is not None:
        entries.extend(load_user(user_file))
    return Gazetteer(entries)
