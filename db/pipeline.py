"""A small pipeline of extractors that declare what they need and add, checked when built."""

from __future__ import annotations

from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass
from typing import Any

State = dict[str, Any]


class PipelineError(Exception):
    """Steps in an order where one needs what no earlier step provides."""


@dataclass(frozen=True, slots=True)
class Step:
    """One extractor: a function from the fields it requires to the fields it provides."""

    name: str
    requires: tuple[str, ...]
    provides: tuple[str, ...]
    run: Callable[[Mapping[str, Any]], Mapping[str, Any]]


class Pipeline:
    """Runs steps in order over one article's state; the order is checked at construction."""

    def __init__(self, steps: Sequence[Step], inputs: Sequence[str] = ("source",)) -> None:
        available = set(inputs)
        for step in steps:
            missing = set(step.requires) - available
            if missing:
                raise PipelineError(f"step {step.name!r} needs {', '.join(sorted(missing))} first")
            available.update(step.provides)
        self.steps = tuple(steps)

    def __call__(self, **inputs: Any) -> State:
        state: State = dict(inputs)
        for step in self.steps:
            out = step.run(state)
            unexpected = set(out) - set(step.provides)
            if unexpected:
                raise PipelineError(f"step {step.name!r} added undeclared {sorted(unexpected)}")
            state.update(out)
        return state
