"""Read input files into decoded articles: .txt (any common encoding), .html, .jsonl(.gz)."""

from __future__ import annotations

import glob
import gzip
import json
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from qexplore.db.models import Source

SUFFIXES = (".txt", ".html", ".htm", ".jsonl", ".jsonl.gz")
_SNIFF = 8192


class BadInput(Exception):
    """An input that cannot be loaded; str() is the one-line reason shown to the user."""


@dataclass(frozen=True, slots=True)
class Failure:
    """An input that failed: where (file or file:line) and why."""

    where: str
    reason: str


def expand(paths: Iterable[str]) -> Iterator[Path | Failure]:
    """Yield the article files named by ``paths`` (files, directories, globs), sorted per argument.

    A path that names nothing loadable is yielded as a Failure.
    """
    for arg in paths:
        matches = [Path(p) for p in sorted(glob.glob(arg, recursive=True))] or [Path(arg)]
        for path in matches:
            if path.is_dir():
                files = sorted(p for p in path.rglob("*") if p.is_file() and _loadable(p))
                if not files:
                    yield Failure(str(path), "no .txt, .html or .jsonl files in it")
                yield from files
            elif path.exists():
                yield path
            else:
                yield Failure(arg, "no such file or directory")


def _loadable(path: Path) -> bool:
    return path.name.lower().endswith(SUFFIXES) and not path.name.startswith(".")


def decode(data: bytes) -> tuple[str, str]:
    """Return (text with LF line ends, encoding name) for the bytes of a text file.

    UTF-8 (with or without BOM) is tried first; anything else goes to charset-normalizer.
    Raises BadInput for binary, undecodable or empty content.
    """
    if not data.strip():
        raise BadInput("empty file")
    if b"\x00" in data[:_SNIFF] and not data.startswith((b"\xff\xfe", b"\xfe\xff")):
        raise BadInput("binary file, not text")
    try:
        text, encoding = data.decode("utf-8-sig"), "utf-8"
    except UnicodeDecodeError:
        text, encoding = _detect(data)
    text = text.replace("\r\n", "\n").replace("\r", "\n")
    if not text.strip():
        raise BadInput("empty file")
    if _control_ratio(text) > 0.05:
        raise BadInput("binary file, not text")
    return text, encoding


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
    except (OSError, ValueError) as exc:
        raise BadInput(f"unreadable sidecar {side.name}: {exc}") from exc
    if not isinstance(meta, dict):
        raise BadInput(f"sidecar {side.name} is not a JSON object")
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
    text, encoding = decode(_read_bytes(path))
    return _source(path.name, text, encoding, _sidecar(path), "sidecar")


def read_html_file(path: Path) -> Source:
    """Extract the main text and metadata of an .html article with trafilatura."""
    html, _ = decode(_read_bytes(path))
    import trafilatura  # slow to import: only when an HTML file comes

    doc = trafilatura.bare_extraction(html, with_metadata=True, include_comments=False)
    found = doc.as_dict() if doc is not None and hasattr(doc, "as_dict") else (doc or {})
    text = (found.get("text") or "").strip()
    if not text:
        raise BadInput("no article text found in the HTML")
    meta = {k: found.get(k) for k in ("title", "url", "date")}
    meta["outlet"] = found.get("sitename") or found.get("hostname")
    meta.update(_sidecar(path))
    return _source(path.name, text, "utf-8", meta, "extracted")


def _read_bytes(path: Path) -> bytes:
    try:
        return path.read_bytes()
    except OSError as exc:
        raise BadInput(f"cannot read: {exc.strerror or exc}") from exc


def read_jsonl(path: Path) -> Iterator[Source | Failure]:
    """Yield one Source per line of a JSON Lines file (``text`` plus optional metadata fields).

    A bad line is yielded as a Failure naming ``file:line``; the other lines still load.
    """
    opener = gzip.open if path.name.lower().endswith(".gz") else open
    try:
        with opener(path, "rt", encoding="utf-8", errors="strict") as fh:
            for number, line in enumerate(fh, 1):
                if line.strip():
                    yield _jsonl_line(f"{path.name}:{number}", line)
    except (OSError, UnicodeDecodeError, EOFError) as exc:
        yield Failure(path.name, f"cannot read: {exc}")


def _jsonl_line(where: str, line: str) -> Source | Failure:
    try:
        obj = json.loads(line)
    except json.JSONDecodeError as exc:
        return Failure(where, f"not valid JSON ({exc.msg})")
    if not isinstance(obj, dict) or not isinstance(obj.get("text"), str):
        return Failure(where, 'no "text" string field')
    text = obj["text"].replace("\r\n", "\n").replace("\r", "\n")
    if not text.strip():
        return Failure(where, "empty text")
    return _source(where, text, "utf-8", obj, "sidecar")


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
        yield Failure(str(path), str(exc))
    except (OSError, ValueError) as exc:  # a decoder or extractor failing on hostile input
        yield Failure(str(path), f"cannot load: {exc}")



