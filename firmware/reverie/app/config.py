"""The one configuration: TOML, loaded once, validated with clear messages, passed down.

No other module reads configuration files or the environment. Every setting has a default,
so a missing file means "defaults"; a present file with a wrong key or value is refused with
one line naming the setting, and nothing starts.
"""
from __future__ import annotations

import dataclasses
import tomllib
from dataclasses import dataclass, field
from pathlib import Path

from reverie.base.errors import UserError

DEFAULT_PATH = Path("~/.config/reverie/config.toml")


@dataclass(frozen=True)
class AudioConfig:
    device: str = "default"             # a part of the output device's name, or "default"
    sample_rate_hz: int = 48000
    period_frames: int = 128            # frames per callback, 64..256
    fallback_wav: str = "reverie-out.wav"   # where audio goes with no device; "" = fail instead


@dataclass(frozen=True)
class SamplesConfig:
    max_megabytes: int = 256            # of one decoded sample (stereo float32 at the engine rate)
    max_seconds: int = 600

    def limits(self):
        """These limits as the sample loader takes them (reverie.sound.samples.SampleLimits)."""
        from reverie.sound.samples import SampleLimits

        return SampleLimits(max_bytes=self.max_megabytes * 2**20, max_seconds=self.max_seconds)


@dataclass(frozen=True)
class ProjectConfig:
    path: str = ""                      # "" = the shipped demo project
    library: str = "~/reverie/projects"  # where the project page lists, saves and loads projects


@dataclass(frozen=True)
class MidiConfig:
    api: str = "alsa"                   # "alsa" on the box; "jack" when a JACK server runs
    clock_out: bool = True              # clock, start/stop/continue, song position on every output
    clock_in_port: str = ""             # a part of the input's name, for [sync] source = "midi"


@dataclass(frozen=True)
class SyncConfig:
    source: str = "internal"            # the tempo: "internal", "midi" (clock in) or "link"


@dataclass(frozen=True)
class HardwareConfig:
    box: str = "simulator"              # a box in reverie/hal/boxes/ ("reference", "minimal") or a TOML path
    window: bool = True                 # the simulator also opens a window when a display is there
    state_file: str = "~/.local/state/reverie/settings.json"   # what the settings page chose


@dataclass(frozen=True)
class ControllersConfig:
    enabled: bool = True                # USB MIDI controllers: hot-plugged, matched to a profile
    scan_interval_ms: int = 250         # how often the port list is read (appear/vanish < 1 s)
    learn_file: str = "~/.config/reverie/learn.toml"   # MIDI learn bindings, kept across runs


@dataclass(frozen=True)
class Config:
    audio: AudioConfig = field(default_factory=AudioConfig)
    samples: SamplesConfig = field(default_factory=SamplesConfig)
    project: ProjectConfig = field(default_factory=ProjectConfig)
    midi: MidiConfig = field(default_factory=MidiConfig)
    sync: SyncConfig = field(default_factory=SyncConfig)
    hardware: HardwareConfig = field(default_factory=HardwareConfig)
    controllers: ControllersConfig = field(default_factory=ControllersConfig)


# (section, key) -> check returning an error text or None
CHECKS = {
    ("audio", "sample_rate_hz"): lambda v: None if v in (44100, 48000, 96000) else "must be 44100, 48000 or 96000",
    ("audio", "period_frames"): lambda v: None if 64 <= v <= 256 else "must be 64..256 frames",
    ("samples", "max_megabytes"): lambda v: None if 1 <= v <= 4096 else "must be 1..4096",
    ("samples", "max_seconds"): lambda v: None if 1 <= v <= 3600 else "must be 1..3600",
    ("midi", "api"): lambda v: None if v in ("alsa", "jack") else 'must be "alsa" or "jack"',
    ("sync", "source"): lambda v: None if v in ("internal", "midi", "link") else
                        'must be "internal", "midi" or "link" (Link opens a network socket)',
    ("controllers", "scan_interval_ms"): lambda v: None if 50 <= v <= 1000 else "must be 50..1000 ms",
}


def load_config(path: str | Path | None = None) -> Config:
    """The configuration at `path` (or the default place); defaults where it is silent."""
    explicit = path is not None
    p = Path(path if explicit else DEFAULT_PATH).expanduser()
    if not p.exists():
        if explicit:
            raise UserError(f"{p}: no such configuration file")
        return Config()
    try:
        data = tomllib.loads(p.read_text(encoding="utf-8"))
    except (OSError, UnicodeDecodeError) as exc:
        raise UserError(f"{p}: cannot read it ({exc.__class__.__name__})") from None
    except tomllib.TOMLDecodeError as exc:
        raise UserError(f"{p}: not valid TOML ({exc})") from None
    return config_from_dict(data, source=str(p))


def config_from_dict(data: dict, source: str = "configuration") -> Config:
    sections = {f.name: f for f in dataclasses.fields(Config)}
    built = {}
    for name, value in data.items():
        if name not in sections:
            raise UserError(f"{source}: unknown section [{name}]; known: {', '.join(sections)}")
        if not isinstance(value, dict):
            raise UserError(f"{source}: [{name}] must be a table of settings")
        built[name] = section_from_dict(name, sections[name].default_factory, value, source)
    return Config(**built)


def section_from_dict(name, cls, data: dict, source: str):
    fields = {f.name: f for f in dataclasses.fields(cls)}
    values = {}
    for key, value in data.items():
        if key not in fields:
            raise UserError(f"{source}: unknown setting {name}.{key}; known: {', '.join(fields)}")
        want = type(fields[key].default)
        if want is int and (isinstance(value, bool) or not isinstance(value, int)):
            raise UserError(f"{source}: {name}.{key} must be a whole number, not {value!r}")
        if want is bool and not isinstance(value, bool):
            raise UserError(f"{source}: {name}.{key} must be true or false, not {value!r}")
        if want is str and not isinstance(value, str):
            raise UserError(f"{source}: {name}.{key} must be text in quotes, not {value!r}")
        problem = CHECKS.get((name, key), lambda v: None)(value)
        if problem:
            raise UserError(f"{source}: {name}.{key} = {value!r} {problem}")
        values[key] = value
    return cls(**values)
