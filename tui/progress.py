"""A progress display for long loads on a terminal; silent when output is not a terminal."""

from __future__ import annotations

import os
import sys
from collections.abc import Callable, Iterator
from contextlib import contextmanager

from qexplore.tui.render import clean

Listener = Callable[[str, str, str], None]


@contextmanager
def progress_listener(inner: Listener) -> Iterator[Listener]:
    """Wrap a load listener with a live counter of articles on standard error (when it is a tty)."""
    if not sys.stderr.isatty() or os.environ.get("CI"):
        yield inner
        return
    from rich.console import Console
    from rich.progress import BarColumn, Progress, SpinnerColumn, TextColumn, TimeElapsedColumn

    counts = {"added": 0, "unchanged": 0, "failed": 0}
    columns = (SpinnerColumn(), TextColumn("{task.description}"), BarColumn(), TimeElapsedColumn())
    with Progress(*columns, console=Console(stderr=True), transient=True) as bar:
        task = bar.add_task("loading", total=None)

        def on(event: str, where: str, detail: str) -> None:
            if event in counts:
                counts[event] += 1
            if event == "failed":
                bar.console.print(f"qexplore: {clean(where)}: {clean(detail)}", markup=False, highlight=False)
            elif event != "file":
                inner(event, where, detail)
            bar.update(
                task,
                description=", ".join(f"{v} {k}" for k, v in counts.items()),
            )

        yield on
