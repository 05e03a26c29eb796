"""What every explorer screen shares: a breadcrumb, Esc back, and rows that open other screens."""

from __future__ import annotations

from typing import ClassVar

from textual.binding import Binding, BindingType
from textual.containers import Vertical
from textual.screen import Screen
from textual.widgets import ContentSwitcher

from qexplore.tui.widgets.bars import Breadcrumb, SectionBar
from qexplore.tui.widgets.paged import Listing, PagedList


class BaseScreen(Screen[None]):
    """A screen with a breadcrumb label; Enter on a list row opens what the row points to."""

    crumb: str = ""
    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("escape", "back", "Back", id="back", tooltip="Go back to the previous screen"),
    ]

    def on_screen_resume(self) -> None:
        self.update_breadcrumb()

    def update_breadcrumb(self) -> None:
        """Show the labels of the open screens."""
        path = tuple(s.crumb for s in self.app.screen_stack if isinstance(s, BaseScreen) and s.crumb)
        for crumb in self.query(Breadcrumb):
            crumb.path = path

    def action_back(self) -> None:
        self.app.pop_screen()

    def on_paged_list_chosen(self, message: PagedList.Chosen) -> None:
        listing = message.paged.listing
        target = listing.target(message.item) if listing else None
        if target is not None:
            self.post_message(target)


class SectionScreen(BaseScreen):
    """A detail screen whose lists sit one at a time under a numbered section bar."""

    SECTIONS: ClassVar[tuple[str, ...]] = ()
    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("tab", "section(1)", "Next section", id="section.next", tooltip="Show the next list"),
        Binding("shift+tab", "section(-1)", "Prev section", id="section.prev",
                tooltip="Show the previous list", show=False),
        *[Binding(str(i + 1), f"pick({i})", f"Section {i + 1}", id=f"section.{i + 1}",
                  tooltip=f"Show list {i + 1}", show=False) for i in range(5)],
    ]

    def sections(self) -> Vertical:
        """The section bar and the switcher holding one PagedList per section."""
        lists = [PagedList(id=f"s{i}") for i in range(len(self.SECTIONS))]
        return Vertical(SectionBar(list(self.SECTIONS), id="sections"),
                        ContentSwitcher(*lists, initial="s0", id="switcher"), id="section-box")

    def fill(self, index: int, listing: Listing) -> None:
        """Give section ``index`` its listing."""
        self.query_one(f"#s{index}", PagedList).show(listing)

    def on_paged_list_loaded(self, message: PagedList.Loaded) -> None:
        index = int((message.paged.id or "s0")[1:])
        self.query_one(SectionBar).labels[index] = f"{self.SECTIONS[index]} {message.total}"
        self.query_one(SectionBar).refresh()

    def action_pick(self, index: int) -> None:
        if index >= len(self.SECTIONS):
            return
        self.query_one(SectionBar).current = index
        self.query_one(ContentSwitcher).current = f"s{index}"
        self.query_one(f"#s{index}", PagedList).focus()

    def action_section(self, step: int) -> None:
        self.action_pick((self.query_one(SectionBar).current + step) % len(self.SECTIONS))

    def current_list(self) -> PagedList:
        """The list of the section shown."""
        return self.query_one(f"#s{self.query_one(SectionBar).current}", PagedList)
