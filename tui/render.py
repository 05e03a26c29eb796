"""Make article text safe and readable on a terminal: no escape sequences, right-to-left laid out.

Decisions:
- clean() runs on every string from the database before it reaches a widget; widgets get rich Text.
- Visual mode wraps the logical text first and reorders each screen line after (reordering first would
  put the end of a sentence on the first line); truncation also happens on logical text.
- Reordering uses python-bidi's pure-Python algorithm, which mirrors brackets, and keeps each
  character's style through the reordering so matches and entities stay highlighted.
- Shaping keeps only the lam-alef ligatures (mandatory in Arabic script); the others, such as الله as
  one glyph, are missing from most terminal fonts or take two cells.
- Shaping goes a word at a time, each word shaped once (``shape``): letters never join across a space
  and no kept ligature spans one, so the line comes out the same (checked on 46k sentences), and the
  pure-Python reshaper, the costliest step of a visual row, runs once per word rather than per row.
  A line of one style (a name, a place) is reordered as plain text, kept by text; short fields
  (outlets, dates, file names) are kept laid out too.
"""

from __future__ import annotations

import re
import unicodedata
from functools import lru_cache
from typing import Any

from rich.style import Style
from rich.text import Text

# C0 controls but tab/newline, DEL, C1 controls (CSI, OSC...), and bidi embeddings/overrides/isolates
# that could make a line display as something it does not say.
_UNSAFE = re.compile("[\x00-\x08\x0b-\x1f\x7f-\x9f\u202a-\u202e\u2066-\u2069]")
_ESCAPE = re.compile(r"\x1b(\[[0-?]*[ -/]*[@-~]|\][^\x07\x1b]*(\x07|\x1b\\)|[@-Z\\-_])")
_LAM_ALEF = {"\ufef5", "\ufef6", "\ufef7", "\ufef8", "\ufef9", "\ufefa", "\ufefb", "\ufefc"}
_KEPT_LIGATURES = {
    "ARABIC LIGATURE LAM WITH ALEF",
    "ARABIC LIGATURE LAM WITH ALEF WITH HAMZA ABOVE",
    "ARABIC LIGATURE LAM WITH ALEF WITH HAMZA BELOW",
    "ARABIC LIGATURE LAM WITH ALEF WITH MADDA ABOVE",
}
BIDI_MODES = ("auto", "logical", "visual")


def clean(text: str) -> str:
    """Return ``text`` with every character that could steer a terminal removed.

    Whole escape sequences go first (so that ``\\x1b]0;title\\x07`` leaves no ``]0;title``), then
    any remaining control or bidi override character.
    """
    return _UNSAFE.sub("", _ESCAPE.sub("", text))


def styled(raw: str, spans: list[tuple[int, int, Style]], style: str | Style = "") -> Text:
    """Return raw database text as an inert Text with ``spans`` (offsets into ``raw``) styled.

    The characters clean() removes are taken out first and the spans moved to match.
    """
    keep = [True] * len(raw)
    for m in _ESCAPE.finditer(raw):
        keep[m.start():m.end()] = [False] * (m.end() - m.start())
    for m in _UNSAFE.finditer(raw):
        keep[m.start()] = False
    shift, new = 0, []
    for k in keep:
        new.append(shift)
        shift += k
    new.append(shift)
    text = Text("".join(c for c, k in zip(raw, keep, strict=True) if k), style=style, end="")
    for start, end, span_style in spans:
        a, b = new[max(0, min(start, len(raw)))], new[max(0, min(end, len(raw)))]
        if b > a:
            text.stylize(span_style, a, b)
    return text


def safe_text(text: str | None, style: str | Style = "") -> Text:
    """Return database text as an inert rich Text: cleaned, never parsed as markup."""
    return Text(clean(text or ""), style=style, end="")


@lru_cache(maxsize=1)
def _reshaper() -> Any:
    import arabic_reshaper
    from arabic_reshaper.ligatures import LIGATURES

    config: dict[str, Any] = {"delete_harakat": False, "support_ligatures": True}
    config.update({name: name in _KEPT_LIGATURES for name, _ in LIGATURES})
    reshaper = arabic_reshaper.ArabicReshaper(configuration=config)
    reshaper.configuration = _Settled(reshaper.configuration)
    return reshaper


class _Settled:
    """A configparser section read once: the reshaper asks it for six flags on every call."""

    def __init__(self, section: Any) -> None:
        self._section, self._flags = section, dict[str, bool]()

    def getboolean(self, key: str) -> bool:
        if key not in self._flags:
            self._flags[key] = bool(self._section.getboolean(key))
        return self._flags[key]

    def get(self, key: str, *args: Any) -> Any:
        return self._section.get(key, *args)


SHAPED_WORDS = 20_000  # words kept shaped (the words of the rows a session shows recur)


@lru_cache(maxsize=SHAPED_WORDS)
def _shape_word(word: str) -> str:
    return str(_reshaper().reshape(word))


def shape(text: str) -> str:
    """``text`` with Arabic letters in their joined forms (presentation forms), a word at a time."""
    return " ".join(_shape_word(word) for word in text.split(" "))


@lru_cache(maxsize=4_096)  # short fields recur: outlets, dates, file names, kinds
def visual(line: str, *, rtl: bool = True) -> str:
    """Lay out one line for a terminal without bidi: joined letter forms, Arabic runs reordered.

    ``rtl`` sets the line's base direction: right-to-left for Arabic prose, left-to-right for a
    mostly Latin line such as ``file.txt · الجريدة · 2020-06-29``.
    """
    from bidi.algorithm import get_display

    return str(get_display(shape(clean(line)), base_dir="R" if rtl else "L"))


_SIMPLE = frozenset({"R", "AL", "EN", "AN", "ES", "ET", "CS", "NSM", "ON", "WS"})


def _rtl_levels(text: str) -> list[int] | None:
    """The bidi levels of a right-to-left line holding no left-to-right letter and no explicit
    embedding: 1, and 2 for numbers (UAX #9 rules W1-W7, N1-N2, I1-I2 reduce to that, as python-bidi
    computes them); None for any other line."""
    types = [unicodedata.bidirectional(ch) for ch in text]
    if not _SIMPLE.issuperset(types):
        return None
    prev_type = prev_strong = "R"
    for i, kind in enumerate(types):  # W1, W2
        if kind == "NSM":
            types[i] = kind = prev_type
        if kind == "EN" and prev_strong == "AL":
            types[i] = "AN"
        if kind in ("R", "AL"):
            prev_strong = kind
        prev_type = types[i]
    for i in range(1, len(types) - 1):  # W4, in order, as each change is seen by the next
        before, kind, after = types[i - 1], types[i], types[i + 1]
        if kind == "ES" and before == after == "EN":
            types[i] = "EN"
        if types[i] == "CS" and before == after and before in ("AN", "EN"):
            types[i] = before
    for i in range(len(types)):  # W5
        if types[i] == "EN":
            for j in range(i - 1, -1, -1):
                if types[j] != "ET":
                    break
                types[j] = "EN"
            for j in range(i + 1, len(types)):
                if types[j] != "ET":
                    break
                types[j] = "EN"
    return [2 if kind in ("EN", "AN") else 1 for kind in types]


def _display_order(text: str, rtl: bool) -> list[tuple[int, str]]:
    """Return (logical index, displayed character) in display order, brackets mirrored."""
    levels = _rtl_levels(text) if rtl else None
    if levels is not None:  # the common Arabic line: reversed, numbers kept left to right
        from bidi.mirror import MIRRORED

        order = list(range(len(text)))[::-1]
        out, k = [], 0
        while k < len(order):
            if levels[order[k]] == 2:  # a number: its run back in logical order
                end = k
                while end < len(order) and levels[order[end]] == 2:
                    end += 1
                out += [(i, text[i]) for i in order[k:end][::-1]]
                k = end
            else:
                ch = text[order[k]]
                out.append((order[k], MIRRORED.get(ch, ch) if unicodedata.mirrored(ch) else ch))
                k += 1
        return out
    from bidi import algorithm as bidi

    storage = bidi.get_empty_storage()
    storage["base_level"] = 1 if rtl else 0
    storage["base_dir"] = "R" if rtl else "L"
    bidi.get_embedding_levels(text, storage)
    for i, ch in enumerate(storage["chars"]):
        ch["i"] = i
    bidi.explicit_embed_and_overrides(storage)
    bidi.resolve_weak_types(storage)
    bidi.resolve_neutral_types(storage, False)
    bidi.resolve_implicit_levels(storage, False)
    bidi.reorder_resolved_levels(storage, False)
    bidi.apply_mirroring(storage, False)
    return [(ch["i"], ch["ch"]) for ch in storage["chars"]]


def _shape(plain: str) -> tuple[str, list[int]]:
    """Return the shaped text and, for each shaped character, the index of its logical source."""
    shaped = shape(plain)
    if len(shaped) == len(plain):  # no ligature: one shaped character for each logical one
        return shaped, list(range(len(plain)))
    origin, i = [], 0
    for ch in shaped:
        origin.append(min(i, max(0, len(plain) - 1)))
        i += 2 if ch in _LAM_ALEF and i + 1 < len(plain) else 1
    if i != len(plain):  # an unexpected ligature: keep the text, spread the styles approximately
        origin = [min(len(plain) - 1, k * len(plain) // max(1, len(shaped))) for k in range(len(shaped))]
    return shaped, origin


def _char_styles(line: Text) -> list[Style]:
    styles = [Style.null()] * len(line.plain)
    for span in line.spans:
        style = span.style if isinstance(span.style, Style) else Style.parse(span.style)
        for k in range(max(0, span.start), min(len(styles), span.end)):
            styles[k] = styles[k] + style
    return styles


@lru_cache(maxsize=4_096)  # names and places recur from row to row and keystroke to keystroke
def _visual_plain(plain: str, rtl: bool) -> str:
    return "".join(ch for _, ch in _display_order(shape(plain), rtl))


def visual_text(line: Text, *, rtl: bool = True) -> Text:
    """Lay out one styled logical line in visual order, each character keeping its style."""
    plain = clean(line.plain)
    if plain != line.plain:
        line = Text(plain, style=line.style)
    if not plain:
        return Text("", style=line.style)
    if not line.spans:  # one style (a name, a place): the reordered text alone, kept
        return Text(_visual_plain(plain, rtl), style=line.style, end="")
    styles = _char_styles(line)
    shaped, origin = _shape(plain)
    out = Text(style=line.style, end="")
    run: list[str] = []
    run_style = Style.null()
    for index, ch in _display_order(shaped, rtl):
        style = styles[origin[index]]
        if style is not run_style and style != run_style and run:
            out.append("".join(run), run_style)
            run = []
        run.append(ch)
        run_style = style
    out.append("".join(run), run_style)
    return out


def wrap_offsets(text: str, width: int, limit: int | None = None) -> list[tuple[int, int]]:
    """Greedy word wrap of ``text`` to ``width`` cells: (start, end) of each line, spaces dropped
    (the first ``limit`` lines only, when given)."""
    width = max(1, width)
    lines: list[tuple[int, int]] = []
    start, n = 0, len(text)
    while start < n and (limit is None or len(lines) < limit):
        while start < n and text[start] == " ":
            start += 1
        if start >= n:
            break
        end = min(n, start + width)
        if end < n and text[end] != " ":
            space = text.rfind(" ", start, end)
            end = space if space > start else end
        lines.append((start, end))
        start = end
    return lines or [(0, 0)]


def is_rtl(text: str) -> bool:
    """True when the first letter of ``text`` is Arabic (or another right-to-left script)."""
    import unicodedata

    for ch in text:
        kind = unicodedata.bidirectional(ch)
        if kind in ("R", "AL"):
            return True
        if kind == "L":
            return False
    return False


def layout(text: Text, width: int, mode: str, *, max_lines: int | None = None,
           rtl: bool = True) -> list[Text]:
    """Wrap a styled logical text to ``width`` and lay out each line for ``mode`` (logical|visual).

    With ``max_lines`` the logical text is cut first and ends with an ellipsis. Visual lines are
    right-aligned when ``rtl``.
    """
    text = text.copy()
    text.plain = clean(text.plain).replace("\n", " ")
    spans = wrap_offsets(text.plain, width, None if max_lines is None else max_lines + 1)
    if max_lines is not None and len(spans) > max_lines:
        spans = spans[:max_lines]
        a, b = spans[-1]
        spans[-1] = (a, max(a, b - 1))
        text = text[: spans[-1][1]] + Text("…")
        spans[-1] = (a, len(text.plain))
    lines = [text[a:b] for a, b in spans]
    if mode != "visual":
        return lines
    out = []
    for line in lines:
        shown = visual_text(line, rtl=rtl)
        if rtl and shown.cell_len < width:
            shown = Text(" " * (width - shown.cell_len)) + shown
        out.append(shown)
    return out


def visual_fields(fields: list[str | None], sep: str = " · ") -> str:
    """Join short fields (file, outlet, date) left to right, each laid out on its own.

    Laying out the joined line instead lets the bidi algorithm pull a date into the Arabic run
    beside it, and 2020-06-29 would show as 29-06-2020.
    """
    return sep.join(visual(f, rtl=False) for f in fields if f)


def fields(values: list[str | None], mode: str, sep: str = " · ") -> str:
    """Join short fields for display: laid out one by one in visual mode, as they are otherwise."""
    if mode == "visual":
        return visual_fields(values, sep)
    return sep.join(clean(v) for v in values if v)


def show_date(date: str | None, precision: str | None = None) -> str:
    """A stored date as shown everywhere: ``--11-07`` (no year known) becomes ``????-11-07``, so it
    lines up with full dates and cannot be read as a range; none is ``undated``. A precision coarser
    than a day is added in brackets."""
    if not date:
        return "undated"
    shown = "????-" + date[2:] if date.startswith("--") else date
    return f"{shown} ({precision})" if precision and precision != "day" else shown
