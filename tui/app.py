"""The qexplore explorer: glue between the screens, the settings and the read-only database.

Decisions:
- Every query runs on a thread worker with a read-only connection of its own for that piece of work
  (``reader()``): never shared at once. Connections are kept in a small pool rather than closed:
  a new one starts with an empty page cache and reads the pages a search needs from the file again.
- Preparing a query (parse, Latin names, named actors: ``prepare_query``) uses one long-lived
  read-only connection under a lock instead: the fuzzy index of Latin names is built once for it
  (warmed up after the first lists load) rather than once for every connection.
- Navigation is a stack of screens; any widget asks for a record with an ``Open`` message.
- The bidi mode, theme and keymap come from settings.py; ``b`` and the theme picker save them.
"""

from __future__ import annotations

import csv
import gc
import json
import threading
import time
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any, ClassVar

from sqlite_utils import Database
from textual import work
from textual.app import App
from textual.binding import Binding, BindingType
from textual.theme import Theme

from qexplore.db.browse import Prepared, prepare
from qexplore.db.browse_cache import evidence_stories, forget_memo, sentence_actors
from qexplore.db.query_actors import latin_matches
from qexplore.db.schema import open_db
from qexplore.tui import settings as settings_mod
from qexplore.tui.commands import QexploreCommands
from qexplore.tui.messages import Open
from qexplore.tui.render import clean
from qexplore.tui.screens.article import ArticleScreen
from qexplore.tui.screens.base import BaseScreen, SectionScreen
from qexplore.tui.screens.detail import ActorScreen, ClaimScreen, StoryScreen
from qexplore.tui.screens.main import MainScreen
from qexplore.tui.screens.modals import ExportScreen, HelpScreen
from qexplore.tui.widgets.article import ArticleView
from qexplore.tui.widgets.bars import Breadcrumb, InfoPanel, StatusLine
from qexplore.tui.widgets.paged import PagedList

POOL = 4  # read-only connections kept between pieces of work (three panes and a spare)
READER_CACHE_KB = 8_192  # each reader's page cache: the pages of the last searches stay at hand


GC_YOUNG = 10_000  # objects allocated between collections of the young generation (Python's default: 700)


GC_HOLD_S = 1.0  # at most this long without collecting garbage while a keystroke's results come

_frozen = threading.Event()


def freeze_once() -> None:
    """Leave what the process holds now (modules, widgets, in-memory indexes) to reference counting
    alone: no later collection walks it again (see GC_YOUNG). Once a process: a test run makes many
    explorers, and each freeze keeps the cycles then pending for good."""
    if not _frozen.is_set():
        _frozen.set()
        gc.freeze()


class QexploreApp(App[None]):
    """Browse actors, events, claims and their source sentences from the keyboard."""

    CSS_PATH = "app.tcss"
    TITLE = "qexplore"
    COMMANDS = App.COMMANDS | {QexploreCommands}
    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("q", "quit", "Quit", id="quit", tooltip="Leave qexplore"),
        Binding("ctrl+q", "quit", "Quit", id="quit.ctrl", tooltip="Leave qexplore", show=False),
        Binding("question_mark,f1", "help", "Help", id="help", tooltip="Show every key"),
        Binding("b", "toggle_bidi", "Bidi", id="bidi", tooltip="Switch Arabic layout: logical / visual"),
        Binding("y", "copy", "Copy", id="copy", tooltip="Copy the current sentence (OSC 52)"),
        Binding("e", "export", "Export", id="export", tooltip="Export the current list to CSV or JSONL"),
        Binding("ctrl+p", "command_palette", "Palette", id="palette", priority=True,
                tooltip="Jump to an actor, event or article; change settings"),
    ]

    def __init__(self, db_path: Path, *, bidi: str | None = None, config_dir: Path | None = None) -> None:
        super().__init__()
        # Each keystroke makes tens of thousands of short-lived objects (rows, strips, segments; each
        # Textual Strip holds seven caches, and many end in reference cycles): with Python's default
        # thresholds a full collection (60-150 ms at a million sentences) lands inside a keystroke
        # now and then, and collecting the young generation only every 50,000 objects costs 25-50 ms
        # a time. Once the first lists are shown, what the session keeps (modules, widgets, the
        # in-memory indexes) is frozen (``warm_up``): full collections then walk only what came
        # since, and a young generation of 10,000 objects takes a few ms (measured: RSS ±5 MB).
        # From a keystroke to its results no collection runs at all (``hold_collections``).
        gc.set_threshold(GC_YOUNG, 20, 100)
        self.db_path = Path(db_path)
        self.db_label = self.db_path.name
        self.show_timings = True
        self.config_dir = config_dir
        problem = None
        try:
            self.settings = settings_mod.load(config_dir) if config_dir else settings_mod.Settings()
        except settings_mod.SettingsError as exc:
            self.settings, problem = settings_mod.Settings(), str(exc)
        self.bidi_asked, self.bidi_mode = settings_mod.choose_bidi(bidi, self.settings.bidi)
        self._problem = problem
        self._prep_db: Database | None = None
        self._prep_lock = threading.Lock()
        self._pool: list[Database] = []
        self._pool_lock = threading.Lock()
        self._gc_held = 0.0  # when a keystroke last held garbage collection (time.monotonic)
        if self.settings.keymap:
            self.set_keymap(dict(self.settings.keymap))

    # ---- database ----------------------------------------------------------------------------

    @contextmanager
    def reader(self) -> Iterator[Database]:
        """A read-only connection for the calling thread alone until the work is done (from the pool)."""
        with self._pool_lock:
            db = self._pool.pop() if self._pool else None
        if db is None:
            db = self._open_reader()
        try:
            yield db
        finally:
            forget_memo(db)  # what it kept for this piece of work may be stale for the next
            with self._pool_lock:
                keep = len(self._pool) < POOL and self.is_running
                if keep:
                    self._pool.append(db)
            if not keep:
                db.close()

    def _open_reader(self) -> Database:
        """A read-only connection reading through its page cache, without a memory map: every mapped
        page a query touches would stay resident in the explorer (a scan: the whole file)."""
        db = open_db(self.db_path, read_only=True)
        db.execute("PRAGMA mmap_size = 0")
        db.execute(f"PRAGMA cache_size = -{READER_CACHE_KB}")
        return db

    def prepare_query(self, query: str) -> Prepared:
        """``query`` parsed, its Latin names expanded and its actors found, once (any thread).

        A query the database cannot prepare comes back unprepared: each list then says why itself.
        """
        with self._prep_lock:
            try:
                if self._prep_db is None:
                    self._prep_db = self._open_reader()
                return prepare(self._prep_db, query)
            except Exception:  # noqa: BLE001 - the panes run the query again and report the error
                return Prepared(query.strip())

    def forget_prepared(self) -> None:
        """Drop the preparing connection and its caches (Latin names): the next query sees new actors."""
        with self._prep_lock:
            if self._prep_db is not None:
                self._prep_db.close()
                self._prep_db = None

    @work(thread=True, exit_on_error=False, group="warm")
    def warm_up(self) -> None:
        """Build the fuzzy index of Latin names and what the lists of a search keep in memory (the
        actors of each sentence, the stories of each piece of evidence) now, so that the first search
        does not wait for them."""
        with self._prep_lock:
            if self._prep_db is None:
                self._prep_db = self._open_reader()
            latin_matches(self._prep_db, "warm up")
        with self.reader() as db:
            sentence_actors(db)
            evidence_stories(db)
        freeze_once()

    # ---- garbage collection ------------------------------------------------------------------

    def hold_collections(self) -> None:
        """Hold Python's collection of garbage cycles until the results of a keystroke are drawn
        (``resume_collections``), GC_HOLD_S at most: a collection of the older generations walks
        100,000 objects or more (20-60 ms) and would land inside a keystroke every few keystrokes.
        Once the results are shown it runs at once, while they are read. Objects freed by reference
        counting (most of them) are freed as usual meanwhile."""
        gc.disable()
        self._gc_held = time.monotonic()
        self.set_timer(GC_HOLD_S, self._resume_late)

    def resume_collections(self) -> None:
        """Collect garbage cycles again (see ``hold_collections``)."""
        gc.enable()

    def _resume_late(self) -> None:
        if time.monotonic() - self._gc_held >= GC_HOLD_S - 0.01:  # no keystroke held them since
            gc.enable()

    def on_unmount(self) -> None:
        gc.enable()
        with self._prep_lock:
            if self._prep_db is not None:
                self._prep_db.close()
                self._prep_db = None
        with self._pool_lock:
            for db in self._pool:
                db.close()
            self._pool.clear()

    # ---- life cycle ---------------------------------------------------------------------------

    def on_mount(self) -> None:
        if self.settings.theme in self.available_themes:
            self.theme = self.settings.theme
        self.theme_changed_signal.subscribe(self, self._theme_changed)
        self.push_screen(MainScreen())
        if self._problem:
            self.notify(clean(self._problem) + " (using defaults)", severity="warning")

    def _theme_changed(self, theme: Theme) -> None:
        self._save(theme=theme.name)
        self._restyle()

    def _save(self, **changes: Any) -> None:
        self.settings = self.settings.with_(**changes)
        if self.config_dir is None:
            return
        try:
            settings_mod.save(self.config_dir, self.settings)
        except OSError as exc:
            self.notify(clean(f"cannot save settings: {exc}"), severity="warning")

    # ---- navigation ---------------------------------------------------------------------------

    def on_open(self, message: Open) -> None:
        if message.kind == "actor":
            self.push_screen(ActorScreen(message.id, message.label))
        elif message.kind == "story":
            self.push_screen(StoryScreen(message.id, message.label))
        elif message.kind == "claim":
            self.push_screen(ClaimScreen(message.id, message.label))
        elif message.kind == "article":
            screen = ArticleScreen(message.id, message.sentence_id, message.label, self.current_search())
            self.push_screen(screen)

    def current_search(self) -> str:
        """The search typed on the main screen (the reader highlights its matches)."""
        for screen in self.screen_stack:
            if isinstance(screen, MainScreen):
                return screen.terms
        return ""

    # ---- actions ------------------------------------------------------------------------------

    def action_help(self) -> None:
        self.push_screen(HelpScreen(self.key_rows()))

    def key_rows(self) -> list[tuple[str, str, str]]:
        """(keys, what they do, binding id) for every key with an id here: the app's, the screen's and
        those of every widget on it (focused or not), after the user's keymap."""
        keys: dict[str, list[str]] = {}
        about: dict[str, str] = {}
        seen: set[type] = set()
        for node in (self, self.screen, *self.screen.walk_children()):
            if type(node) in seen:
                continue
            seen.add(type(node))
            bindings = node._bindings.copy()
            if self._keymap:
                bindings.apply_keymap(self._keymap)
            for key, bound in bindings.key_to_bindings.items():
                for b in bound:
                    if b.id and key not in keys.setdefault(b.id, []):
                        keys[b.id].append(key)
                        about.setdefault(b.id, b.tooltip or b.description)
        return [(", ".join(self.get_key_display(Binding(k, "")) for k in ks), about[i], i)
                for i, ks in keys.items()]

    def set_bidi(self, mode: str) -> None:
        """Use bidi ``mode`` (auto, logical or visual), remember it, and redraw."""
        self.bidi_asked, self.bidi_mode = settings_mod.choose_bidi(mode, mode, {})
        self._save(bidi=mode)
        self._restyle()
        self.notify(f"bidi: {self.bidi_mode}" + (" (auto)" if mode == "auto" else ""))

    def action_toggle_bidi(self) -> None:
        self.set_bidi("logical" if self.bidi_mode == "visual" else "visual")

    def _restyle(self) -> None:
        for screen in self.screen_stack:
            for widget in screen.query(PagedList):
                widget.restyle()
            for view in screen.query(ArticleView):
                view.restyle()
            for other in screen.query("Breadcrumb, StatusLine, InfoPanel"):
                other.refresh()

    def _current_list(self) -> PagedList | None:
        screen = self.screen
        if isinstance(screen, MainScreen):
            return screen.focused_list()
        if isinstance(screen, SectionScreen):
            return screen.current_list()
        return None

    def action_copy(self) -> None:
        text: str | None = None
        if isinstance(self.screen, ArticleScreen):
            text = self.screen.current_text()
        else:
            paged = self._current_list()
            item = paged.item() if paged else None
            if paged is not None and paged.listing is not None and item is not None:
                text = paged.listing.copy_text(item)
        if not text:
            self.notify("nothing to copy here", severity="warning")
            return
        self.copy_to_clipboard(clean(text))
        self.notify(f"copied {len(text)} characters (OSC 52)")

    def action_export(self) -> None:
        paged = self._current_list()
        if paged is None or paged.listing is None:
            self.notify("no list to export here", severity="warning")
            return
        stamp = time.strftime("%Y%m%d-%H%M%S")
        name = f"qexplore-{paged.listing.kind}-{stamp}.csv"

        def chosen(path: str | None) -> None:
            if path:
                self.export(paged, Path(path).expanduser())

        self.push_screen(ExportScreen(f"{paged.total or 0} {paged.listing.kind}", name), chosen)

    @work(thread=True, exclusive=True, exit_on_error=False, group="export")
    def export(self, paged: PagedList, path: Path) -> None:
        """Write every row of ``paged``'s listing to ``path`` (JSONL for .jsonl, else CSV)."""
        listing = paged.listing
        assert listing is not None
        rows = 0
        try:
            with self.reader() as db, path.open("w", encoding="utf-8", newline="") as out:
                writer: Any = None
                for item in paged.iter_all(db):
                    record = listing.record(item)
                    if path.suffix.lower() == ".jsonl":
                        out.write(json.dumps(record, ensure_ascii=False) + "\n")
                    else:
                        if writer is None:
                            writer = csv.DictWriter(out, fieldnames=list(record))
                            writer.writeheader()
                        writer.writerow({k: json.dumps(v, ensure_ascii=False) if isinstance(v, list | dict)
                                         else v for k, v in record.items()})
                    rows += 1
        except OSError as exc:
            self.call_from_thread(self.notify, clean(f"cannot write {path}: {exc}"), severity="error")
            return
        self.call_from_thread(self.notify, clean(f"wrote {rows} {listing.kind} to {path.resolve()}"))


def run_app(db_path: Path, *, bidi: str | None = None, config_dir: Path | None = None) -> None:
    """Open the explorer on the database at ``db_path``."""
    QexploreApp(db_path, bidi=bidi, config_dir=config_dir).run()


__all__ = ["QexploreApp", "run_app", "BaseScreen", "Breadcrumb", "InfoPanel", "StatusLine"]
