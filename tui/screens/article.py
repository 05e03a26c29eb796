"""The article reader screen: metadata over the whole text, the chosen sentence under the cursor."""

from __future__ import annotations

from dataclasses import dataclass

from textual import work
from textual.app import ComposeResult
from textual.message import Message
from textual.widgets import Footer

from qexplore.db.browse_detail import ArticleDoc, NotFound, article_doc
from qexplore.db.models import Span
from qexplore.db.query import match_spans
from qexplore.tui.messages import Open
from qexplore.tui.render import clean
from qexplore.tui.screens.base import BaseScreen
from qexplore.tui.widgets.article import ArticleView
from qexplore.tui.widgets.bars import Breadcrumb, InfoPanel


class ArticleScreen(BaseScreen):
    """Read one article; matches of the current search and the chosen sentence highlighted."""

    @dataclass
    class Fetched(Message):
        """The article arrived, with the search's matches by sentence id."""

        doc: ArticleDoc | None
        matches: dict[int, tuple[Span, ...]]
        claims: dict[int, int]
        error: str | None = None

    def __init__(self, article_id: int, sentence_id: int | None, label: str, query: str) -> None:
        super().__init__()
        self.article_id, self.sentence_id, self.terms = article_id, sentence_id, query
        self.crumb = label or f"article {article_id}"
        self.claims: dict[int, int] = {}

    def compose(self) -> ComposeResult:
        yield Breadcrumb(id="crumbs")
        yield InfoPanel(id="info")
        yield ArticleView(id="reader")
        yield Footer(compact=True, show_command_palette=False)

    def on_mount(self) -> None:
        self.update_breadcrumb()
        self.load()

    @work(thread=True, exclusive=True, exit_on_error=False, group="article")
    def load(self) -> None:
        """Read the article, the search's matches and the sentences holding claims."""
        with self.app.reader() as db:  # type: ignore[attr-defined]
            try:
                doc = article_doc(db, self.article_id)
            except NotFound as exc:
                self.post_message(self.Fetched(None, {}, {}, str(exc)))
                return
            parsed = self.app.prepare_query(self.terms).parsed  # type: ignore[attr-defined]
            matches: dict[int, tuple[Span, ...]] = {}
            for s in doc.sentences if parsed else ():
                spans = match_spans(doc.text[s.start:s.end], parsed)
                if spans:
                    matches[s.id] = spans
            claims = {int(sid): int(cid) for sid, cid in db.execute(
                "SELECT sentence_id, min(id) FROM claims WHERE article_id = ? GROUP BY sentence_id",
                [self.article_id])}
        self.post_message(self.Fetched(doc, matches, claims))

    def on_article_screen_fetched(self, message: ArticleScreen.Fetched) -> None:
        if message.doc is None:
            self.notify(clean(message.error or "not found"), severity="error")
            return
        doc, self.claims = message.doc, message.claims
        self.query_one(InfoPanel).rows = (
            ("Article", f"{doc.file}" + (f" · {doc.url}" if doc.url else "")),
            ("Title", doc.title or "—"),
            ("Outlet", " · ".join(x for x in (doc.outlet, doc.published, doc.original_source) if x) or "—"),
        )
        matches = dict(message.matches)
        if not matches and self.sentence_id is not None:
            matches[self.sentence_id] = ()
        view = self.query_one(ArticleView)
        view.show(doc, matches, self.sentence_id)
        view.focus()

    def on_article_view_chosen(self, message: ArticleView.Chosen) -> None:
        claim = self.claims.get(message.sentence.id)
        if claim is None:
            self.notify("no claim in this sentence")
            return
        self.post_message(Open("claim", claim, label=f"claim {claim}"))

    def current_text(self) -> str | None:
        """The logical text of the sentence under the cursor (for copying)."""
        view = self.query_one(ArticleView)
        s = view.current()
        return None if s is None or view.doc is None else view.doc.text[s.start:s.end]
