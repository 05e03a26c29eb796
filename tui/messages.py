"""Messages that cross screens: a request to open a record, handled by the app's navigation."""

from __future__ import annotations

from dataclasses import dataclass

from textual.message import Message


@dataclass
class Open(Message):
    """Open a record on a new screen: kind is actor | story | claim | article.

    ``sentence_id`` picks the sentence to show first in an article; ``label`` is its breadcrumb.
    """

    kind: str
    id: int
    sentence_id: int | None = None
    label: str = ""
