"""The one data directory: everything the box writes lives below it (design §6b).

    projects/            the user's projects, each with .history/ (the last saves)
    settings.json        what the settings page chose
    learn.toml           MIDI learn bindings
    controllers/         controller profiles of one's own (TOML), over the shipped ones
    session.json         the last project, pattern, tempo and page, reopened at start
    journal.sqlite       the practice journal
    recordings/          WAV/FLAC recordings, when asked for
    captures/            the audio log: captures and session recordings, a folder per session
    logs/                the log file while the simulator draws on the terminal
    cache/factory/       the factory kit, built on first use
    instruments/multisamples/NAME/   imported multisample sets: samples and multisample.json
    presets/INSTRUMENT/  presets of one's own (TOML), beside the factory ones (docs/presets.md)
    plugins/             instruments from outside: Python packages or modules (docs/instrument-api.md)

`[paths] data` in the configuration sets it; `--data-dir DIR` overrides both. The service
runs with `--data-dir /var/lib/reverie` and nothing else writable.
"""
from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

DEFAULT_DATA_DIR = Path("~/.local/share/reverie")
SERVICE_DATA_DIR = Path("/var/lib/reverie")


def data_dir(config, override: str | Path | None = None) -> Path:
    """The data directory: `override` (--data-dir), else the configuration's, else the default."""
    chosen = override or getattr(getattr(config, "paths", None), "data", "") or DEFAULT_DATA_DIR
    return Path(chosen).expanduser()


@dataclass(frozen=True)
class DataDir:
    root: Path

    @property
    def projects(self) -> Path:
        return self.root / "projects"

    @property
    def settings(self) -> Path:
        return self.root / "settings.json"

    @property
    def learn(self) -> Path:
        return self.root / "learn.toml"

    @property
    def controllers(self) -> Path:
        return self.root / "controllers"

    @property
    def session(self) -> Path:
        return self.root / "session.json"

    @property
    def journal(self) -> Path:
        return self.root / "journal.sqlite"

    @property
    def recordings(self) -> Path:
        return self.root / "recordings"

    @property
    def captures(self) -> Path:
        return self.root / "captures"

    @property
    def logs(self) -> Path:
        return self.root / "logs"

    @property
    def multisamples(self) -> Path:
        return self.root / "instruments" / "multisamples"

    @property
    def presets(self) -> Path:
        return self.root / "presets"

    @property
    def plugins(self) -> Path:
        # instruments from outside, as Python code (docs/instrument-api.md); not under
        # instruments/, which holds data the box imports (multisamples), never code
        return self.root / "plugins"

    @property
    def factory(self) -> Path:
        return self.root / "cache" / "factory"
