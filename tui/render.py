"""Make article text safe and readable on a terminal: no escape sequences, right-to-left laid out."""

from __future__ import annotations

import re
import textwrap
from functools import lru_cache
from typing import Any

# C0 controls but tab/newline, DEL, C1 controls (CSI, OSC...), and bidi embeddings/overrides/isolates
# that could make a line display as something it does not say.
_UNSAFE = re.compile("[\x00-\x08\x0b-\x1f\x7f-\x9f\u202a-\u202e\u2066-\u2069]")


def clean(text: str) -> str:
    """Return ``text`` with every character that could steer a terminal removed."""
    return _UNSAFE.sub("", text)


@lru_cache(maxsize=1)
def _reshaper() -> Any:
    import arabic_reshaper

    # Ligatures off: with them الله and لا become single glyphs that many terminal fonts lack.
    return arabic_reshaper.ArabicReshaper(
        configuration={"support_ligatures": False, "delete_harakat": False}
    )


def visual(line: str, *, rtl: bool = True) -> str:
    """Lay out one line for a terminal without bidi: joined letter forms, Arabic runs reordered.

    ``rtl`` sets the line's base direction: right-to-left for Arabic prose, left-to-right for a
    mostly Latin line such as ``file.txt · الجريدة · 2020-06-29``.
    """
    from bidi.algorithm import get_display

    return str(get_display(_reshaper().reshape(clean(line)), base_dir="R" if rtl else "L"))


def visual_lines(text: str, width: int) -> list[str]:
    """Wrap ``text`` to ``width`` in reading order, then lay out each line with visual()."""
    lines = textwrap.wrap(clean(text).replace("\n", " "), max(10, width)) or [""]
    return [visual(line) for line in lines]


def visual_fields(fields: list[str | None], sep: str = " · ") -> str:
    """Join short fields (file, outlet, date) left to right, each laid out on its own.

    Laying out the joined line instead lets the bidi algorithm pull a date into the Arabic run
    beside it, and 2020-06-29 would show as 29-06-2020.
    """
    return sep.join(visual(f, rtl=False) for f in fields if f)
