"""The relay chain of a claim: publisher, wire agency, outer speakers, the speaker."""

from __future__ import annotations

import re
from dataclasses import dataclass, field

from qexplore.db.arabic import normalize
from qexplore.db.extract import claim_lexicon as L
from qexplore.db.extract.claim_rules import STRIP, View
from qexplore.db.extract.claim_speakers import Antecedents, Speaker


@dataclass(slots=True)
class ChainState:
    """What carries from one sentence to the next: the last speaker and the relay agency."""

    publisher: str | None
    before: Antecedents = field(default_factory=Antecedents)
    relay: str | None = None


def chain(state: ChainState, who: Speaker) -> tuple[str, ...]:
    """Return the outer links of a top-level claim by ``who``: the publisher, then the relay agency."""
    links = [state.publisher] if state.publisher else []
    if state.relay and not is_agency(who.name) and state.relay not in links:
        links.append(state.relay)
    return tuple(links)


def is_agency(text: str | None) -> bool:
    """True when ``text`` names a wire agency (رويترز, فرانس برس...)."""
    if text is None:
        return False
    norm = normalize(text)
    return any(a in norm for a in L.AGENCIES)


def update_relay(v: View, who: Speaker, state: ChainState) -> None:
    """A wire agency's report (كشفت رويترز في تقرير) makes it a link of every later claim."""
    if state.relay or not is_agency(who.name) or not re.search("تقرير|ترجم", normalize(v.text)):
        return
    agency = next(a for a in L.AGENCIES if a in normalize(who.name or ""))
    if state.publisher is None or normalize(state.publisher) != agency:
        state.relay = _as_written(who.name or "", agency)
        state.before.report = who


def _as_written(text: str, norm: str) -> str:
    """Return the words of ``text`` whose normalised form is ``norm`` («رويترز» out of «تقرير رويترز»)."""
    raw = text.split()
    spans = (" ".join(raw[k : k + n]).strip(STRIP) for n in (1, 2, 3) for k in range(len(raw)))
    return next((w for w in spans if normalize(w) == norm), norm)
