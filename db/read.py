"""Read input files into decoded articles: .txt (any common encoding), .html, .jsonl(.gz).

Decisions: nothing here raises on bad input; every problem becomes a Failure naming the file (or
``file:line``) and a one-line reason. Binary files are recognised by their magic numbers or NUL
bytes; UTF-16/32 with a BOM are decoded; text that is mostly UTF-8 but damaged (a half-written file)
is refused rather than guessed into another encoding. An article may be at most MAX_ARTICLE_BYTES
(13 times the longest of 30,011 real news articles; the pipeline slows down more than linearly on one
huge paragraph), so a stray 50 MB dump is refused without being read, and a JSON Lines file is
read line by line without ever holding an over-long line in memory.
"""

from __future__ import annotations

import glob
import gzip
import importlib
import json
import os
import zlib
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import IO, Any, cast

from qexplore.db.models import Source

SUFFIXES = (".txt", ".html", ".htm", ".jsonl", ".jsonl.gz")
_SNIFF = 8192
MAX_ARTICLE_BYTES = 500_000
MAX_HTML_BYTES = 10 * MAX_ARTICLE_BYTES  # pages carry scripts and markup around the text
# A JSON line may spell each Arabic letter as a 6-byte \\uXXXX escape.
MAX_LINE_BYTES = 6 * MAX_ARTICLE_BYTES
_BAD_RUN = 20  # this many bad lines before any good one: the file is not JSON Lines at all

_MAGIC = (
    (b"%PDF-", "a PDF document"),
    (b"\x89PNG", "a PNG image"),
    (b"GIF8", "a GIF image"),
    (b"\xff\xd8\xff", "a JPEG image"),
    (b"PK\x03\x04", "a ZIP archive or Office document"),
    (b"\xd0\xcf\x11\xe0", "an old Office document"),
    (b"{\\rtf", "an RTF document"),
    (b"\x1f\x8b", "gzip-compressed data"),
    (b"BZh", "bzip2-compressed data"),
    (b"\xfd7zXZ", "xz-compressed data"),
    (b"SQLite format 3\x00", "an SQLite database"),
    (b"\x7fELF", "a program"),
    (b"RIFF", "audio or video"),
    (b"OggS", "audio or video"),
)
# Longest first: the UTF-32 LE BOM begins with the UTF-16 LE one.
_BOMS = (
    (b"\xff\xfe\x00\x00", "utf-32"),
    (b"\x00\x00\xfe\xff", "utf-32"),
    (b"\xff\xfe", "utf-16"),
    (b"\xfe\xff", "utf-16"),
)


class BadInput(Exception):
    """An input that cannot be loaded; str() is the one-line reason shown to the user."""


@dataclass(frozen=True, slots=True)
class Failure:
    """An input that failed: where (file or file:line) and why."""

    where: str
    reason: str


def shown(path: Path | str) -> str:
    """Return a path as text that can be printed and stored (undecodable name bytes become U+FFFD)."""
    return os.fsencode(path).decode("utf-8", "replace")


def expand(paths: Iterable[str]) -> Iterator[Path | Failure]:
    """Yield the article files named by ``paths`` (files, directories, globs), sorted per argument.

    A path that exists is taken literally even when it looks like a glob (``report [1].txt``).
    A path that names nothing loadable, or a folder that cannot be listed, is yielded as a Failure.
    """
    for arg in paths:
        literal = Path(arg)
        if literal.exists() or literal.is_symlink():
            matches = [literal]
        else:
            matches = [Path(p) for p in sorted(glob.glob(arg, recursive=True))]
        if not matches:
            yield Failure(shown(arg), "no such file or directory")
        for path in matches:
            yield from _walk(path) if path.is_dir() else [path]


def _walk(folder: Path) -> Iterator[Path | Failure]:
    """Yield a folder's loadable files (sorted, symlinked folders not followed) and unlistable folders."""
    problems: list[Failure] = []

    def unlistable(exc: OSError) -> None:
        where = shown(exc.filename) if exc.filename else shown(folder)
        problems.append(Failure(where, f"cannot list folder: {exc.strerror or exc}"))

    files = [
        Path(top, name)
        for top, _, names in os.walk(folder, onerror=unlistable)
        for name in names
        if _loadable(Path(name))
    ]
    yield from problems
    if not files and not problems:
        yield Failure(shown(folder), "no .txt, .html or .jsonl files in it")
    yield from sorted(files)


def _loadable(path: Path) -> bool:
    return path.name.lower().endswith(SUFFIXES) and not path.name.startswith(".")


def decode(data: bytes) -> tuple[str, str]:
    """Return (text with LF line ends, encoding name) for the bytes of a text file.

    A BOM decides UTF-8/16/32; otherwise UTF-8 is tried first and anything else goes to
    charset-normalizer. Raises BadInput for binary, damaged-UTF-8, undecodable or empty content.
    """
    if not data.strip():
        raise BadInput("empty file")
    for magic, kind in _MAGIC:
        if data.startswith(magic):
            raise BadInput(f"binary file ({kind}), not text")
    bom = next((name for mark, name in _BOMS if data.startswith(mark)), None)
    if bom:
        text, encoding = _decode_bom(data, bom)
    elif b"\x00" in data[:_SNIFF]:
        raise BadInput("binary file, not text")
    else:
        text, encoding = _decode_plain(data)
    text = text.replace("\r\n", "\n").replace("\r", "\n")
    if not text.strip():
        raise BadInput("empty file")
    if _control_ratio(text) > 0.05:
        raise BadInput("binary file, not text")
    return text, encoding


def _decode_bom(data: bytes, encoding: str) -> tuple[str, str]:
    try:
        return data.decode(encoding), encoding  # the codec reads the BOM and drops it
    except UnicodeDecodeError as exc:
        where = f"byte {exc.start}"
        raise BadInput(f"not valid {encoding.upper()} despite its byte-order mark ({where})") from exc


def _decode_plain(data: bytes) -> tuple[str, str]:
    try:
        return data.decode("utf-8-sig"), "utf-8"
    except UnicodeDecodeError as exc:
        if not _mostly_utf8(data):
            return _detect(data)
        if exc.reason == "unexpected end of data":
            raise BadInput(
                f"truncated UTF-8: the file ends inside a character at byte {exc.start} "
                "(still being written, or cut off?)"
            ) from exc
        raise BadInput(f"damaged UTF-8: invalid bytes at byte {exc.start}") from exc


def _mostly_utf8(data: bytes) -> bool:
    """True when nearly all non-ASCII characters decode as UTF-8: damage, not another encoding."""
    text = data.decode("utf-8", "replace")
    bad = text.count("\ufffd")
    wide = sum(1 for c in text if ord(c) > 127)
    return wide - bad >= 9 * bad


def _detect(data: bytes) -> tuple[str, str]:
    from charset_normalizer import from_bytes

    best = from_bytes(data).best()
    if best is None:
        raise BadInput("cannot decode: not UTF-8 and no known encoding fits")
    return str(best), best.encoding


def _control_ratio(text: str) -> float:
    sample = text[:_SNIFF]
    bad = sum(1 for c in sample if ord(c) < 32 and c not in "\n\t\f\v\x1b")
    return bad / max(1, len(sample))


def _sidecar(path: Path) -> dict[str, Any]:
    side = path.with_name(path.name.rsplit(".", 1)[0] + ".meta.json")
    if not side.exists():
        return {}
    try:
        meta = json.loads(side.read_text(encoding="utf-8"))
    except (OSError, ValueError, RecursionError) as exc:
        raise BadInput(f"unreadable sidecar {shown(side.name)}: {exc}") from exc
    if not isinstance(meta, dict):
        raise BadInput(f"sidecar {shown(side.name)} is not a JSON object")
    return meta


def _str_field(obj: dict[str, Any], *names: str) -> str | None:
    for name in names:
        value = obj.get(name)
        if isinstance(value, str | int) and str(value).strip():
            return str(value).strip()
    return None


def _source(file: str, text: str, encoding: str, meta: dict[str, Any], basis: str) -> Source:
    published = _str_field(meta, "date", "published")
    return Source(
        file=file,
        text=text,
        encoding=encoding,
        title=_str_field(meta, "title"),
        outlet=_str_field(meta, "outlet", "sitename", "source"),
        url=_str_field(meta, "url"),
        published=published,
        date_basis=basis if published else None,
    )


def read_text_file(path: Path) -> Source:
    """Read a .txt article (any common encoding) and its optional NAME.meta.json sidecar."""
    text, encoding = decode(_read_bytes(path, MAX_ARTICLE_BYTES))
    return _source(shown(path.name), text, encoding, _sidecar(path), "sidecar")


def read_html_file(path: Path) -> Source:
    """Extract the main text and metadata of an .html article with trafilatura."""
    html, _ = decode(_read_bytes(path, MAX_HTML_BYTES))
    import trafilatura  # slow to import: only when an HTML file comes

    try:
        doc = trafilatura.bare_extraction(html, with_metadata=True, include_comments=False)
    except Exception as exc:  # noqa: BLE001 - an extractor failing on hostile markup is bad input
        raise BadInput(f"cannot extract text from the HTML ({type(exc).__name__}: {exc})") from exc
    found = doc.as_dict() if doc is not None and hasattr(doc, "as_dict") else (doc or {})
    text = (found.get("text") or "").strip()
    if not text or _only_navigation(html, text):
        raise BadInput("no article text found in the HTML (only navigation, scripts or markup)")
    meta = {k: found.get(k) for k in ("title", "url", "date")}
    meta["outlet"] = found.get("sitename") or found.get("hostname")
    meta.update(_sidecar(path))
    return _source(shown(path.name), text, "utf-8", meta, "extracted")


_NAVIGATION = "//nav | //header | //footer | //menu | //aside | //*[@role='navigation']"


def _only_navigation(html: str, text: str) -> bool:
    """True when every line the extractor kept is menu, header or footer text (its fallback on pages
    with no article), which is never an article."""
    lxml_html = importlib.import_module("lxml.html")  # trafilatura's parser; untyped
    try:
        root = lxml_html.fromstring(html)
    except (ValueError, lxml_html.etree.ParserError):
        return False
    menus = " ".join(" ".join(el.text_content().split()) for el in root.xpath(_NAVIGATION))
    lines = [" ".join(line.split()) for line in text.splitlines() if line.strip()]
    return bool(menus) and all(line in menus for line in lines)


def _read_bytes(path: Path, limit: int) -> bytes:
    """The file's bytes; BadInput when it cannot be read or is larger than ``limit``."""
    try:
        size = path.stat().st_size
        if size > limit:
            raise BadInput(
                f"too large for one article ({size / 1e6:.1f} MB; the limit is {limit / 1e6:g} MB): "
                "split it, or give a .jsonl file with one article a line"
            )
        return path.read_bytes()
    except OSError as exc:
        raise BadInput(f"cannot read: {exc.strerror or exc}") from exc


def read_jsonl(path: Path) -> Iterator[Source | Failure]:
    """Yield one Source per line of a JSON Lines file (``text`` plus optional metadata fields).

    A bad line is yielded as a Failure naming ``file:line``; the other lines still load. A file
    whose first lines are all bad (binary, or not JSON Lines) is one Failure.
    """
    name = shown(path.name)
    number, good, bad = 0, 0, 0
    try:
        with _open_lines(path) as fh:
            for number, raw in _lines(fh):
                item = _jsonl_line(f"{name}:{number}", raw)
                if item is None:
                    continue
                if isinstance(item, Failure) and not good:
                    bad += 1
                    if b"\x00" in (raw or b""):
                        yield Failure(name, f"binary file, not JSON Lines (NUL bytes on line {number})")
                        return
                    if bad >= _BAD_RUN:
                        yield Failure(name, f"not JSON Lines: none of its first {bad} lines is an article")
                        return
                good += isinstance(item, Source)
                yield item
    except (OSError, EOFError, zlib.error) as exc:
        reason = getattr(exc, "strerror", None) or exc
        at = f" past line {number}" if number else ""
        yield Failure(name, f"cannot read{at}: {reason}")


def _open_lines(path: Path) -> IO[bytes]:
    if path.name.lower().endswith(".gz"):
        return cast(IO[bytes], gzip.open(path, "rb"))
    return open(path, "rb")  # noqa: SIM115 - the caller closes it


def _lines(fh: IO[bytes]) -> Iterator[tuple[int, bytes | None]]:
    """Yield (line number, bytes) per line; None for a line over MAX_LINE_BYTES, skipped unread."""
    number = 0
    while line := fh.readline(MAX_LINE_BYTES + 1):
        number += 1
        if len(line) > MAX_LINE_BYTES:
            while (rest := fh.readline(1 << 20)) and not rest.endswith(b"\n"):
                pass
            yield number, None
        else:
            yield number, line


def _jsonl_line(where: str, raw: bytes | None) -> Source | Failure | None:
    """One line as a Source, a Failure, or None for a blank line."""
    if raw is None:
        return Failure(where, f"line longer than {MAX_LINE_BYTES / 1e6:g} MB: too large for one article")
    try:
        line = raw.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        return Failure(where, f"not UTF-8 (invalid byte at column {exc.start + 1})")
    if not line.strip():
        return None
    try:
        obj = json.loads(line)
    except json.JSONDecodeError as exc:
        return Failure(where, f"not valid JSON: {exc.msg} (column {exc.colno})")
    except (ValueError, RecursionError) as exc:  # e.g. a 5,000-digit number, nesting 100,000 deep
        return Failure(where, f"not usable JSON ({type(exc).__name__})")
    if not isinstance(obj, dict) or not isinstance(obj.get("text"), str):
        return Failure(where, 'no "text" string field')
    if any(isinstance(v, str) and _has_surrogate(v) for v in obj.values()):
        return Failure(where, "a field holds an unpaired \\ud800-\\udfff escape: not valid Unicode")
    text = obj["text"].replace("\r\n", "\n").replace("\r", "\n")
    if not text.strip():
        return Failure(where, "empty text")
    if len(text.encode("utf-8")) > MAX_ARTICLE_BYTES:
        return Failure(where, f"text over {MAX_ARTICLE_BYTES / 1e6:g} MB: too large for one article")
    return _source(where, text, "utf-8", obj, "sidecar")


def _has_surrogate(text: str) -> bool:
    try:
        text.encode("utf-8")
    except UnicodeEncodeError:
        return True
    return False


def read_path(path: Path) -> Iterator[Source | Failure]:
    """Yield the articles of one file, or a Failure naming it and the reason."""
    name = path.name.lower()
    if name.endswith((".jsonl", ".jsonl.gz")):
        yield from read_jsonl(path)
        return
    try:
        reader = read_html_file if name.endswith((".html", ".htm")) else read_text_file
        yield reader(path)
    except BadInput as exc:
        yield Failure(shown(path), str(exc))
    except (OSError, ValueError) as exc:  # a decoder failing on hostile input
        yield Failure(shown(path), f"cannot load: {exc}")
