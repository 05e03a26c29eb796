"""Invariants of the curated gazetteer shipped in db/data/gazetteer.toml."""

import re
import tomllib
from collections import defaultdict
from pathlib import Path

import pytest

GAZETTEERS = sorted((Path(__file__).resolve().parents[1] / "db" / "data").glob("gazetteer*.toml"))

TYPES = {"PER", "ORG", "LOC"}
ID_RE = re.compile(r"^[a-z0-9][a-z0-9_]*$")
ARABIC_RE = re.compile(r"[\u0600-\u06FF]")
# Titles must not be part of an alias (see the header of the TOML file).
TITLE_PREFIXES = (
    "الشيخ ", "السيد ", "اللواء ", "العميد ", "الجنرال ", "الفريق ", "الحاج ", "آية الله ", "اية الله ",
)

# Arabic forms deliberately shared by two actors of the same type: none so far.
# Add (type, alias) pairs here only after checking that the sharing is intended.
ALLOWED_SHARED: set[tuple[str, str]] = set()


@pytest.fixture(scope="module")
def actors():
    found = []
    for path in GAZETTEERS:
        with path.open("rb") as fh:
            data = tomllib.load(fh)
        assert set(data) == {"actor"}, f"{path.name}: unexpected top-level keys {set(data) - {'actor'}}"
        found += data["actor"]
    return found


def _ar_forms(actor):
    return [actor["name_ar"], *actor.get("aliases", [])]


def test_has_many_actors(actors):
    assert len(actors) >= 300


def test_ids_are_unique_slugs(actors):
    ids = [a.get("id") for a in actors]
    bad = [i for i in ids if not (isinstance(i, str) and ID_RE.match(i))]
    assert not bad, bad
    dupes = sorted({i for i in ids if ids.count(i) > 1})
    assert not dupes, f"duplicate ids: {dupes}"


def test_required_fields(actors):
    for a in actors:
        assert a.get("type") in TYPES, a.get("id")
        for key in ("name_ar", "name_en", "description"):
            value = a.get(key)
            assert isinstance(value, str) and value.strip(), (a.get("id"), key)
            assert value == value.strip() and "\n" not in value, (a.get("id"), key)
        assert ARABIC_RE.search(a["name_ar"]), a["id"]
        known = {"id", "type", "name_ar", "name_en", "description", "aliases", "aliases_en", "ambiguous"}
        unknown = set(a) - known
        assert not unknown, (a["id"], unknown)
        assert isinstance(a.get("ambiguous", False), bool), a["id"]


def test_alias_lists_well_formed(actors):
    for a in actors:
        for key in ("aliases", "aliases_en"):
            values = a.get(key, [])
            assert isinstance(values, list), (a["id"], key)
            for v in values:
                assert isinstance(v, str) and v.strip() and v == v.strip(), (a["id"], key, v)
        for v in a.get("aliases", []):
            assert ARABIC_RE.search(v), (a["id"], v)


def test_no_repeated_alias_within_entry(actors):
    for a in actors:
        ar = _ar_forms(a)
        assert len(ar) == len(set(ar)), (a["id"], sorted({x for x in ar if ar.count(x) > 1}))
        en = [x.casefold() for x in [a["name_en"], *a.get("aliases_en", [])]]
        assert len(en) == len(set(en)), (a["id"], sorted({x for x in en if en.count(x) > 1}))


def test_aliases_have_no_titles(actors):
    for a in actors:
        for v in _ar_forms(a):
            assert not v.startswith(TITLE_PREFIXES), (a["id"], v)


def test_no_alias_shared_within_type(actors):
    owners = defaultdict(set)
    for a in actors:
        for form in _ar_forms(a):
            owners[(a["type"], form)].add(a["id"])
    shared = {k: sorted(v) for k, v in owners.items() if len(v) > 1 and k not in ALLOWED_SHARED}
    assert not shared, f"Arabic forms shared by several actors of the same type: {shared}"
