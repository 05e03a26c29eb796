"""A real terminal: start `qexplore` in tmux, search, drill into Qaani, read the screen, quit."""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
import time
from pathlib import Path

import pytest

pytestmark = pytest.mark.skipif(shutil.which("tmux") is None, reason="tmux is not installed")

SESSION = f"qexplore-test-{os.getpid()}"


def _tmux(*args: str) -> str:
    return subprocess.run(["tmux", *args], check=True, capture_output=True, text=True).stdout


def _screen() -> str:
    return _tmux("capture-pane", "-p", "-t", SESSION)


def _wait_for(text: str, timeout: float = 20.0) -> str:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        shown = _screen()
        if text in shown:
            return shown
        time.sleep(0.2)
    raise AssertionError(f"{text!r} never appeared; the screen was:\n{_screen()}")


def _wait_stable(timeout: float = 20.0) -> None:
    """Wait until the screen stops changing (the searches of every keystroke have landed)."""
    deadline, last = time.monotonic() + timeout, ""
    while time.monotonic() < deadline:
        time.sleep(0.8)
        shown = _screen()
        if shown == last:
            return
        last = shown


def test_search_and_drill_into_qaani_in_tmux(seeded_path: Path, tmp_path: Path) -> None:
    exe = Path(sys.executable).with_name("qexplore")
    status = tmp_path / "status"
    # COLUMNS/LINES from the test runner's environment would pin the app to their size, not tmux's.
    command = (f"unset COLUMNS LINES; QEXPLORE_CONFIG_DIR={tmp_path / 'config'} {exe} --db {seeded_path} "
               f"--bidi visual; "
               f"echo $? > {status}; sleep 5")
    _tmux("new-session", "-d", "-s", SESSION, "-x", "100", "-y", "30", command)
    try:
        _wait_for("1 Actors")
        _tmux("send-keys", "-t", SESSION, "-l", "qaani")
        _wait_for("Esmail Qaani")
        _wait_stable()  # let the last keystroke's search land
        _tmux("send-keys", "-t", SESSION, "Enter")
        time.sleep(0.5)
        _tmux("send-keys", "-t", SESSION, "Enter")
        shown = _wait_for("Commander of the IRGC Quds Force")  # the gazetteer's description
        assert "qexplore › Esmail Qaani" in shown and "Claims about" in shown
        _tmux("send-keys", "-t", SESSION, "q")
        deadline = time.monotonic() + 10
        while not status.exists() and time.monotonic() < deadline:
            time.sleep(0.2)
        assert status.read_text().strip() == "0"
    finally:
        subprocess.run(["tmux", "kill-session", "-t", SESSION], capture_output=True)
