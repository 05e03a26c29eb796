"""Packaging: every package folder is listed, and the headless core never imports the UI."""

from __future__ import annotations

import subprocess
import sys
import tomllib
from pathlib import Path

from qexplore.db.config import seed_files

ROOT = Path(__file__).resolve().parents[1]


def test_every_package_folder_is_listed_in_pyproject() -> None:
    config = tomllib.loads((ROOT / "pyproject.toml").read_text())["tool"]["setuptools"]
    mapping = {v: k for k, v in config["package-dir"].items()}
    found = set()
    for init in ROOT.glob("*/**/__init__.py"):
        rel = init.parent.relative_to(ROOT).parts
        if rel[0] in mapping:
            found.add(".".join([mapping[rel[0]], *rel[1:]]))
    assert found == set(config["packages"])


def test_seeds_ship_byte_for_byte() -> None:
    shipped = {p.name: p.read_bytes() for p in seed_files()}
    in_repo = {p.name: p.read_bytes() for p in (ROOT / "seeds").glob("*.txt")}
    assert len(shipped) == 5 and shipped == in_repo


def test_db_modules_never_import_textual() -> None:
    code = (
        "import importlib, pkgutil, sys\n"
        "import qexplore.db as root\n"
        "for m in pkgutil.walk_packages(root.__path__, 'qexplore.db.'):\n"
        "    importlib.import_module(m.name)\n"
        "bad = sorted(n for n in sys.modules if n.split('.')[0] in ('textual', 'rich'))\n"
        "print(len(list(pkgutil.walk_packages(root.__path__))), bad)\n"
        "sys.exit(1 if bad else 0)\n"
    )
    done = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True)
    assert done.returncode == 0, done.stdout + done.stderr
    assert int(done.stdout.split()[0]) >= 8
