"""Reusable widgets of the explorer: the paged list view and the panes."""
