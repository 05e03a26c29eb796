"""The explorer's remembered settings (bidi mode, theme, keymap) in the user's config folder.

Decisions:
- A frozen dataclass loaded once from ``explorer.json`` in the config folder (QEXPLORE_CONFIG_DIR
  overrides the XDG path); the app writes it back when the user changes the bidi mode or theme.
- The bidi mode in force: ``--bidi`` first, then $QEXPLORE_BIDI, then the saved setting, then auto.
  Auto picks logical only for a terminal known to do bidi itself (Konsole, mlterm, VTE outside
  tmux); everything else, and any session whose variables SSH dropped, gets visual.
- A bad file is reported in one line and ignored, never a traceback.
"""

from __future__ import annotations

import json
import os
from collections.abc import Mapping
from dataclasses import asdict, dataclass, field, replace
from pathlib import Path
from typing import Any

from qexplore.tui.render import BIDI_MODES

FILE = "explorer.json"
BIDI_ENV = "QEXPLORE_BIDI"


class SettingsError(Exception):
    """The settings file cannot be read; str() names it and says why."""


@dataclass(frozen=True, slots=True)
class Settings:
    """What the user chose: bidi mode, theme, and key overrides (binding id -> keys)."""

    bidi: str = "auto"
    theme: str = "textual-dark"
    keymap: Mapping[str, str] = field(default_factory=dict)

    def with_(self, **changes: Any) -> Settings:
        """Return a copy with ``changes`` applied."""
        return replace(self, **changes)


def load(config_dir: Path) -> Settings:
    """Read the settings in ``config_dir``; defaults when there is no file. Raises SettingsError."""
    path = config_dir / FILE
    if not path.exists():
        return Settings()
    try:
        data = json.loads(path.read_text(encoding="utf-8"))
    except (OSError, UnicodeDecodeError, json.JSONDecodeError) as exc:
        raise SettingsError(f"{path}: {exc}") from exc
    if not isinstance(data, dict):
        raise SettingsError(f"{path}: expected a JSON object")
    bidi = data.get("bidi", "auto")
    keymap = data.get("keymap", {})
    if bidi not in BIDI_MODES or not isinstance(keymap, dict):
        raise SettingsError(f"{path}: bidi must be one of {', '.join(BIDI_MODES)}, keymap an object")
    theme = data.get("theme", "textual-dark")
    return Settings(bidi, str(theme), {str(k): str(v) for k, v in keymap.items()})


def save(config_dir: Path, settings: Settings) -> None:
    """Write ``settings`` to ``config_dir`` (created if needed); errors are left to the caller."""
    config_dir.mkdir(parents=True, exist_ok=True)
    data = asdict(settings)
    data["keymap"] = dict(settings.keymap)
    tmp = config_dir / (FILE + ".tmp")
    tmp.write_text(json.dumps(data, ensure_ascii=False, indent=1) + "\n", encoding="utf-8")
    tmp.replace(config_dir / FILE)


def terminal_does_bidi(env: Mapping[str, str]) -> bool:
    """True for terminals known to lay out right-to-left text themselves (and not behind tmux)."""
    if env.get("TMUX") or env.get("TERM", "").startswith(("screen", "tmux")):
        return False
    if env.get("KONSOLE_VERSION") or env.get("MLTERM"):
        return True
    vte = env.get("VTE_VERSION", "")
    return vte.isdigit() and int(vte) >= 5800


def choose_bidi(option: str | None, saved: str, env: Mapping[str, str] | None = None) -> tuple[str, str]:
    """Return (the mode asked for, the mode in force: logical or visual) from the option, the
    environment and the saved setting, in that order of precedence."""
    env = os.environ if env is None else env
    asked = option or env.get(BIDI_ENV) or saved or "auto"
    if asked not in BIDI_MODES:
        asked = "auto"
    if asked == "auto":
        return asked, "logical" if terminal_does_bidi(env) else "visual"
    return asked, asked
