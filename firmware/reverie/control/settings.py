"""The box's own settings (the settings page): kept in a small JSON state file beside the
configuration, written atomically on the worker, and applied at once where they can be.

The configuration (config.py) is what the owner wrote; these are what the musician chose
on the box, and they win over the configuration for the same setting at the next start."""
from __future__ import annotations

import json
import logging
from pathlib import Path

from reverie.base.errors import UserError
from reverie.base.files import atomic_path
from reverie.base.validate import read_json

log = logging.getLogger("reverie")
MAX_SETTINGS_BYTES = 64 * 1024      # a handful of keys; anything larger is not ours

# key -> check of its value; the settings page owns the choices, this keeps a file sane
KNOWN = {
    "midi.clock_out": lambda v: isinstance(v, bool),
    "sync.source": lambda v: v in ("internal", "midi", "link"),
    "pads.velocity": lambda v: v in ("dynamic", "fixed"),
    "pads.scale": lambda v: isinstance(v, str) and len(v) <= 32,   # unknown: plays "off"
    "pads.root": lambda v: isinstance(v, int) and not isinstance(v, bool) and 0 <= v <= 11,
    "display.contrast": lambda v: isinstance(v, int) and not isinstance(v, bool) and 0 <= v <= 255,
    "flow.click": lambda v: isinstance(v, bool),
}


def defaults(config) -> dict:
    return {"midi.clock_out": config.midi.clock_out, "sync.source": config.sync.source,
            "pads.velocity": "dynamic", "pads.scale": "off", "pads.root": 0,
            "display.contrast": 255, "flow.click": False}


def load_settings(path: Path, config) -> dict:
    """The configuration's values overridden by the state file's; a bad file is logged in one
    line and ignored (the box starts with the configuration), never half applied."""
    settings = defaults(config)
    try:
        data = read_json(path, MAX_SETTINGS_BYTES, after="; using the configuration")
    except FileNotFoundError:
        return settings
    except UserError as exc:
        log.warning("%s", exc)
        return settings
    if not isinstance(data, dict) or any(k not in KNOWN or not KNOWN[k](v) for k, v in data.items()):
        log.warning("%s: unknown or bad settings; using the configuration", path)
        return settings
    return {**settings, **data}


def save_settings(path: Path, settings: dict) -> None:
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
        with atomic_path(path) as tmp:
            tmp.write_text(json.dumps({k: settings[k] for k in KNOWN if k in settings}, indent=1),
                           encoding="utf-8")
    except OSError as exc:
        raise UserError(f"cannot keep the settings in {path} ({exc.strerror or exc})") from None


class SettingsApplier:
    """Applies a changed setting on the control thread and keeps the file up to date; while
    `held` (safe mode) the file is left as it is until `release()`."""

    def __init__(self, path: Path, settings: dict, engine, jobs, display=None, notify=None):
        self.path = path
        self.settings = settings
        self.engine = engine
        self.jobs = jobs
        self.display = display          # anything with contrast(level), or None
        self.notify = notify or (lambda text: None)
        self.held = False
        self._changed_while_held = False

    def apply_all(self) -> None:
        for key in ("midi.clock_out", "display.contrast"):
            self._apply(key, self.settings[key])

    def __call__(self, key: str, value) -> None:
        if key not in KNOWN or not KNOWN[key](value):
            self.notify(f"setting {key} = {value!r} is not allowed")
            return
        self.settings[key] = value
        self._apply(key, value)
        if self.held:
            self._changed_while_held = True
        else:
            self._keep()

    def release(self) -> None:
        """Safe mode ends: settings changed since are kept, and every change from now on."""
        if self.held:
            self.held = False
            if self._changed_while_held:
                self._keep()

    def _keep(self) -> None:
        snapshot = dict(self.settings)
        self.jobs.run("keeping the settings", lambda: save_settings(self.path, snapshot), lambda _: None)

    def _apply(self, key: str, value) -> None:
        if key == "midi.clock_out":
            self.engine.seq_clock_out(bool(value))
        elif key == "display.contrast" and self.display is not None:
            self.display.contrast(int(value))
        elif key == "sync.source":
            self.notify(f"sync from {value}: from the next start")
