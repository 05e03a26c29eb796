"""Bad input files: each gets one clear line naming it, the rest loads, the exit status tells."""

from __future__ import annotations

import gzip
import json
import random
import sqlite3
import zlib
from pathlib import Path

import pytest
from hardening_support import SKIP_ROOT, TRACEBACK, public_dir, run_cli, unprivileged_cli
from hypothesis import given, settings
from hypothesis import strategies as st
from typer.testing import CliRunner

from qexplore.db.config import seed_files
from qexplore.db.read import Failure, decode, read_path
from qexplore.tui.cli import app

ARTICLE = (
    "وصل الوفد الإيراني إلى بغداد أمس لبحث التهدئة مع الحكومة العراقية. وقال مسؤول إن اللقاء كان إيجابيا."
)
MB50 = 50 * 1024 * 1024


def _png() -> bytes:
    def chunk(kind: bytes, data: bytes) -> bytes:
        body = kind + data
        return len(data).to_bytes(4, "big") + body + zlib.crc32(body).to_bytes(4, "big")

    raw = b"".join(b"\x00" + bytes(range(30)) for _ in range(10))
    ihdr = (10).to_bytes(4, "big") * 2 + b"\x08\x00\x00\x00\x00"
    body = chunk(b"IHDR", ihdr) + chunk(b"IDAT", zlib.compress(raw)) + chunk(b"IEND", b"")
    return b"\x89PNG\r\n\x1a\n" + body


PDF = (b"%PDF-1.4\n%\xe2\xe3\xcf\xd3\n1 0 obj\n<< /Type /Catalog /Pages 2 0 R >>\nendobj\n"
       b"2 0 obj\n<< /Length 44 >>\nstream\nx\x9c\xcb\xc9\xb7\xe2\xe5\nendstream\nendobj\ntrailer\n%%EOF\n")

NAV_ONLY = (
    "<html><head><script>var a='خبر عاجل'; track();</script><style>nav{}</style></head><body>"
    "<nav><a href='/'>الرئيسية</a> | <a href='/p'>سياسة</a> | <a href='/e'>اقتصاد</a></nav>"
    "<script>document.write('إعلان')</script><footer>جميع الحقوق محفوظة</footer></body></html>"
)
NAV_AND_ARTICLE = (
    "<html><head><title>الوفد في بغداد</title><script>var secret='لا تظهر هذه الجملة';</script></head>"
    "<body><nav>الرئيسية | سياسة | اقتصاد | رياضة</nav><script>alert('x')</script><article>"
    + "".join(f"<p>{ARTICLE} الفقرة رقم {i}.</p>" for i in range(6))
    + "</article><aside><script>ads()</script></aside><footer>جميع الحقوق محفوظة</footer></body></html>"
)


def _bad_folder(root: Path) -> dict[str, str]:
    """Write one of each bad input into ``root``; return file name -> expected reason fragment."""
    rng = random.Random(3)
    utf8 = ARTICLE.rstrip(".").encode("utf-8")  # ends in a two-byte letter
    files: dict[str, tuple[bytes, str]] = {
        "empty.txt": (b"", "empty file"),
        "blank.txt": (b" \n\t\n", "empty file"),
        "report.pdf": (PDF, "binary file (a PDF document)"),
        "photo.png": (_png(), "binary file (a PNG image)"),
        "noise.bin": (bytes(rng.randrange(256) for _ in range(20_000)), "binary file"),
        "cut.txt": (utf8[:-1], "truncated UTF-8"),
        "damaged.txt": (utf8[:40] + b"\xff\xfe\xfa" + utf8[40:], "damaged UTF-8"),
        "menu.html": (NAV_ONLY.encode("utf-8"), "no article text found in the HTML"),
        "ملف فارغ.txt": (b"", "empty file"),
        "huge line.txt": (b"", "too large for one article (52.4 MB"),
    }
    for name, (data, _) in files.items():
        (root / name).write_bytes(data)
    with open(root / "huge line.txt", "wb") as fh:  # 50 MB on one line, no newline anywhere
        fh.write(("بغداد " * 100_000).encode("utf-8")[: 1 << 20] * 50)
    return {name: reason for name, (_, reason) in files.items()}


def _good_folder(root: Path) -> dict[str, str]:
    """Write loadable inputs in several encodings; return file name -> the text it must store."""
    texts = {
        "خبر عاجل من بغداد.txt": ARTICLE + " (UTF-8)",
        "legacy cp1256.txt": ARTICLE + " (Windows-1256)",
        "utf16 bom.txt": ARTICLE + " (UTF-16)",
    }
    (root / "خبر عاجل من بغداد.txt").write_text(texts["خبر عاجل من بغداد.txt"], encoding="utf-8")
    (root / "legacy cp1256.txt").write_bytes(texts["legacy cp1256.txt"].encode("cp1256"))
    (root / "utf16 bom.txt").write_bytes(texts["utf16 bom.txt"].encode("utf-16"))  # BOM first
    (root / "page.html").write_text(NAV_AND_ARTICLE, encoding="utf-8")
    return texts


def _jsonl(root: Path) -> None:
    lines = [
        json.dumps({"text": ARTICLE + " سطر 1"}, ensure_ascii=False).encode(),
        b'{"text": "broken',
        b"\xff\xfe not utf-8",
        json.dumps({"title": "no text"}).encode(),
        b"[" * 100_000 + b"]" * 100_000,
        b'{"text": "\\ud800 lone surrogate"}',
        json.dumps({"text": ARTICLE + " سطر 7"}).encode(),
    ]
    (root / "batch.jsonl").write_bytes(b"\n".join(lines) + b"\n")
    with gzip.open(root / "cut.jsonl.gz", "wb") as fh:
        noise = random.Random(1).randbytes(3000).hex().encode()  # does not compress: the cut hits it
        fh.write(json.dumps({"text": ARTICLE + " مضغوط"}).encode() + b"\n" + noise)
    data = (root / "cut.jsonl.gz").read_bytes()
    (root / "cut.jsonl.gz").write_bytes(data[: len(data) - 20])  # a download cut short


def test_a_folder_of_bad_files_gives_one_line_each_and_the_rest_loads(tmp_path: Path) -> None:
    inputs = tmp_path / "in"
    inputs.mkdir()
    bad = _bad_folder(inputs)
    good = _good_folder(inputs)
    _jsonl(inputs)
    db = tmp_path / "x.db"
    result = run_cli(tmp_path, "--db", str(db), "load", str(inputs / "*"), str(tmp_path / "missing.txt"))
    assert result.returncode == 1
    assert TRACEBACK not in result.stderr
    errors = result.stderr.splitlines()
    for name, reason in bad.items():
        lines = [e for e in errors if f"{name}:" in e]
        assert len(lines) == 1 and reason in lines[0], (name, errors)
    expected_lines = {
        "batch.jsonl:2: not valid JSON", "batch.jsonl:3: not UTF-8", 'batch.jsonl:4: no "text"',
        "batch.jsonl:5: not usable JSON (RecursionError)", "batch.jsonl:6: a field holds an unpaired",
        "cut.jsonl.gz: cannot read past line 1", "missing.txt: no such file or directory",
    }
    for fragment in expected_lines:
        assert sum(fragment in e for e in errors) == 1, (fragment, errors)
    assert len(errors) == len(bad) + len(expected_lines), errors
    added = len(good) + 1 + 3  # the HTML page, 2 good JSON lines, the gzip line before the cut
    assert result.stdout.startswith(f"{added} added, 0 unchanged, {len(errors)} failed")
    conn = sqlite3.connect(db)
    stored = dict(conn.execute("SELECT file, text FROM articles").fetchall())
    for name, text in good.items():
        assert stored[name] == text  # decoded, not mangled: the same text as written
    page = stored["page.html"]
    assert "الفقرة رقم 5" in page and "secret" not in page and "alert" not in page and "الرئيسية" not in page
    assert set(stored) >= {"batch.jsonl:1", "batch.jsonl:7", "cut.jsonl.gz:1"}
    conn.close()
    again = run_cli(tmp_path, "--db", str(db), "load", *(str(inputs / n) for n in good))
    assert again.returncode == 0 and again.stdout.startswith(f"0 added, {len(good)} unchanged, 0 failed")


def test_a_50_mb_line_in_jsonl_is_skipped_unread_and_the_next_line_loads(tmp_path: Path) -> None:
    path = tmp_path / "dump.jsonl"
    with open(path, "wb") as fh:
        fh.write(b'{"text": "' + b"a" * MB50 + b'"}\n')
        fh.write(json.dumps({"text": ARTICLE}).encode() + b"\n")
    items = list(read_path(path))
    assert isinstance(items[0], Failure) and items[0].where == "dump.jsonl:1"
    assert "too large for one article" in items[0].reason
    assert not isinstance(items[1], Failure) and items[1].text == ARTICLE


def test_5000_small_files_in_one_folder_load_and_one_bad_one_is_named(tmp_path: Path) -> None:
    # 250 distinct texts, each in 20 files: every file is read and hashed, 250 are processed (the
    # rest are recognised by content), which keeps the test to seconds.
    folder = tmp_path / "many"
    for sub in range(10):
        (folder / f"batch {sub}").mkdir(parents=True)
    for i in range(5000):
        text = f"خبر رقم {i % 250} من بغداد."
        (folder / f"batch {i % 10}" / f"خبر {i}.txt").write_text(text, encoding="utf-8")
    bad = folder / "batch 4" / "خبر 1234.txt"
    bad.write_bytes(b"\x00" * 10)
    db = tmp_path / "many.db"
    result = CliRunner().invoke(app, ["--db", str(db), "load", "-v", str(folder)])
    assert result.exit_code == 1, result.output
    lines = result.output.splitlines()
    errors = [line for line in lines if line.startswith("qexplore:")]
    assert errors == [f"qexplore: {bad}: binary file, not text"]
    assert sum(line.startswith(("added ", "unchanged ")) for line in lines) == 4999
    assert "250 added, 4749 unchanged, 1 failed" in result.output
    conn = sqlite3.connect(db)
    counts = conn.execute("SELECT count(DISTINCT content_hash), count(*) FROM articles").fetchone()
    assert counts == (250, 250)
    conn.close()


def test_unreadable_file_and_folder_are_named_and_the_rest_loads() -> None:
    command = unprivileged_cli()
    if command is None:
        pytest.skip(SKIP_ROOT)
    root = public_dir("qexplore-perm-")
    try:
        (root / "ok.txt").write_text(ARTICLE, encoding="utf-8")
        (root / "secret.txt").write_text(ARTICLE + " سري", encoding="utf-8")
        (root / "secret.txt").chmod(0o000)
        (root / "locked").mkdir()
        (root / "locked" / "inside.txt").write_text(ARTICLE + " داخل", encoding="utf-8")
        (root / "locked").chmod(0o000)
        import subprocess

        env = {"QEXPLORE_CONFIG_DIR": str(root / "config"), "CI": "1", "PATH": "/usr/bin:/bin"}
        result = subprocess.run([*command, "--db", str(root / "p.db"), "load", str(root)],
                                capture_output=True, text=True, env=env, timeout=120)
        errors = result.stderr.splitlines()
        assert result.returncode == 1 and TRACEBACK not in result.stderr
        assert f"qexplore: {root / 'secret.txt'}: cannot read: Permission denied" in errors
        assert f"qexplore: {root / 'locked'}: cannot list folder: Permission denied" in errors
        assert len(errors) == 2 and result.stdout.startswith("1 added, 0 unchanged, 2 failed")
    finally:
        (root / "locked").chmod(0o755)
        import shutil

        shutil.rmtree(root)


def test_a_glob_lookalike_name_is_taken_literally(tmp_path: Path) -> None:
    (tmp_path / "report [1].txt").write_text(ARTICLE, encoding="utf-8")
    (tmp_path / "report 1.txt").write_text(ARTICLE + " أخرى", encoding="utf-8")
    items = list(read_path(Path(str(tmp_path / "report [1].txt"))))
    assert [i.text for i in items if not isinstance(i, Failure)] == [ARTICLE]
    from qexplore.db.read import expand

    assert list(expand([str(tmp_path / "report [1].txt")])) == [tmp_path / "report [1].txt"]


def test_hostile_file_names_print_on_one_inert_line(tmp_path: Path) -> None:
    name = "evil\x1b]0;owned\x07\nname\u202e.txt"
    (tmp_path / name).write_bytes(b"")
    result = CliRunner().invoke(app, ["--db", str(tmp_path / "h.db"), "load", str(tmp_path / name)])
    assert result.exit_code == 1
    line = result.output.splitlines()[0]
    assert line.startswith(f"qexplore: {tmp_path}/evil") and line.endswith("name.txt: empty file")
    assert not any(c in result.output for c in "\x1b\x07\u202e")


def test_an_extractor_bug_is_one_line_and_debug_shows_the_traceback(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    from qexplore.db import load as load_module

    def broken(*args: object) -> None:
        raise KeyError("no such field")

    monkeypatch.setattr(load_module, "extract_claims", broken)
    (tmp_path / "a.txt").write_text(ARTICLE, encoding="utf-8")
    db = str(tmp_path / "d.db")
    quiet = CliRunner().invoke(app, ["--db", db, "load", str(tmp_path / "a.txt")])
    assert quiet.exit_code == 1 and TRACEBACK not in quiet.output
    assert "a.txt: cannot process (KeyError): 'no such field'" in quiet.output
    loud = CliRunner().invoke(app, ["--debug", "--db", db, "load", str(tmp_path / "a.txt")])
    assert loud.exit_code == 1 and TRACEBACK in loud.output and "KeyError" in loud.output


def test_an_unexpected_error_is_one_line_unless_debug(
    monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str], seeded_path: Path
) -> None:
    from qexplore.db import query
    from qexplore.tui import cli

    def explode(*args: object, **kwargs: object) -> None:
        raise RuntimeError("boom\nsecond line")

    monkeypatch.setattr(query, "stats", explode)
    monkeypatch.setattr(cli, "DEBUG", {"on": False})
    monkeypatch.setattr("sys.argv", ["qexplore", "--db", str(seeded_path), "stats"])
    with pytest.raises(SystemExit) as stop:
        cli.main()
    assert stop.value.code == 1
    err = capsys.readouterr().err
    assert err == (
        "qexplore: error: unexpected RuntimeError: boom second line (run with --debug for the traceback)\n"
    )
    monkeypatch.setattr("sys.argv", ["qexplore", "--debug", "--db", str(seeded_path), "stats"])
    with pytest.raises(RuntimeError):
        cli.main()


BYTES_EXAMPLES = 300


@settings(max_examples=BYTES_EXAMPLES, deadline=None)
@given(st.binary(max_size=3000), st.sampled_from([".txt", ".html", ".jsonl", ".jsonl.gz"]))
def test_any_bytes_give_articles_or_one_line_failures(data: bytes, suffix: str) -> None:
    import tempfile

    with tempfile.TemporaryDirectory() as tmp:
        path = Path(tmp) / f"x{suffix}"
        path.write_bytes(data)
        for item in read_path(path):
            if isinstance(item, Failure):
                assert item.reason and "\n" not in item.reason and "x" in item.where
            else:
                assert item.text.strip() and "\r" not in item.text
                item.text.encode("utf-8")  # storable: no lone surrogates


def test_decode_keeps_utf16_and_cp1256_text_exact() -> None:
    text = seed_files()[0].read_text(encoding="utf-8")
    assert decode(text.encode("utf-16"))[0] == text
    assert decode(b"\xef\xbb\xbf" + text.encode("utf-8")) == (text, "utf-8")
    assert decode(text.encode("cp1256"))[0] == text
