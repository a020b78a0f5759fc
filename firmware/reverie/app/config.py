"""The one configuration: TOML, loaded once, validated with clear messages, passed down.

No other module reads configuration files. Every setting has a default, so a missing file
means "defaults". A wrong key or value is one line naming the setting and what is allowed:
the commands stop there (`load_config`); the box never does (`load_config_for_box`): the
section with the problem takes its factory settings, the box starts and shows the line.
"""
from __future__ import annotations

import dataclasses
from dataclasses import dataclass, field
from pathlib import Path

from reverie.base.errors import UserError
from reverie.base.validate import Check, at, read_toml
from reverie.ui.practice.options import INTENTIONS, TAGS

DEFAULT_PATH = Path("~/.config/reverie/config.toml")


@dataclass(frozen=True)
class AudioConfig:
    device: str = "default"             # "jack" (Reverie's own JACK client), or a part of a device's name
    sample_rate_hz: int = 48000
    period_frames: int = 128            # frames per callback, 64..256
    jack_server: str = ""               # device "jack": the server's name; "" = the default server
    jack_client: str = "reverie"        # device "jack": the client's name
    record_without_device: bool = False  # while no device plays, record into recordings/
    record_max_mb: int = 200            # all such recordings of a run together (~12 min)


@dataclass(frozen=True)
class SamplesConfig:
    max_megabytes: int = 256            # of one decoded sample (stereo float32 at the engine rate)
    max_seconds: int = 600

    def limits(self):
        """These limits as the sample loader takes them (reverie.sound.samples.SampleLimits)."""
        from reverie.sound.samples import SampleLimits

        return SampleLimits(max_bytes=self.max_megabytes * 2**20, max_seconds=self.max_seconds)


@dataclass(frozen=True)
class PathsConfig:
    data: str = ""                      # everything the box writes; "" = ~/.local/share/reverie


@dataclass(frozen=True)
class ProjectConfig:
    path: str = ""                      # the project to open; "" = the last one, else the demo
    autosave_s: int = 30                # an edit is saved within this many seconds; 0 = never


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


@dataclass(frozen=True)
class ControllersConfig:
    enabled: bool = True                # USB MIDI controllers: hot-plugged, matched to a profile
    scan_interval_ms: int = 250         # how often the port list is read (appear/vanish < 1 s)


@dataclass(frozen=True)
class PracticeConfig:
    checkins: bool = True               # check-in and check-out prompts and the pacer; false: none at all
    idle_minutes: int = 20              # no input, sequencer stopped this long: the session ends
    intentions: tuple = INTENTIONS       # words offered for an intention, editable
    tags: tuple = TAGS                  # words offered at the check-out, editable
    pacer: bool = False                 # the breathing pacer after the check-in
    pacer_minutes: int = 2              # 2..3
    pacer_tone: bool = False            # a soft tone follows the breath
    usb_keyboard: bool = True           # type intentions and notes on a USB computer keyboard


@dataclass(frozen=True)
class CaptureConfig:
    enabled: bool = True                # the rings of the last seconds and bars played (docs/capture.md)
    seconds: int = 60                   # the audio ring: what one press keeps, at most
    record_session: bool = False        # also record the whole session to FLAC in captures/
    min_free_mb: int = 200              # recording stops (never the music) below this much free disk


@dataclass(frozen=True)
class Config:
    paths: PathsConfig = field(default_factory=PathsConfig)
    audio: AudioConfig = field(default_factory=AudioConfig)
    samples: SamplesConfig = field(default_factory=SamplesConfig)
    project: ProjectConfig = field(default_factory=ProjectConfig)
    midi: MidiConfig = field(default_factory=MidiConfig)
    sync: SyncConfig = field(default_factory=SyncConfig)
    hardware: HardwareConfig = field(default_factory=HardwareConfig)
    controllers: ControllersConfig = field(default_factory=ControllersConfig)
    practice: PracticeConfig = field(default_factory=PracticeConfig)
    capture: CaptureConfig = field(default_factory=CaptureConfig)


# What a setting allows beyond its type (the type of its default).
RANGES = {"audio.period_frames": (64, 256, "frames"), "audio.record_max_mb": (1, 65536, "MB"), "samples.max_megabytes": (1, 4096, "MB"),
          "samples.max_seconds": (1, 3600, "s"), "controllers.scan_interval_ms": (50, 1000, "ms"),
          "project.autosave_s": (0, 3600, "s"), "practice.idle_minutes": (1, 240, "min"),
          "practice.pacer_minutes": (2, 3, "min"), "capture.seconds": (5, 300, "s"),
          "capture.min_free_mb": (1, 65536, "MB")}
# Lists of words (a tuple default): (most words, most characters a word).
WORDS = {"practice.intentions": (24, 16), "practice.tags": (24, 12)}
CHOICES = {"audio.sample_rate_hz": ((44100, 48000, 96000), "Hz"),
           "midi.api": (("alsa", "jack"), ""),
           "sync.source": (("internal", "midi", "link"), "(Link opens a network socket)")}


# Settings that older files may hold: read and let go, with a word on where they went.
RETIRED = {"project.library": "projects live in the data directory ([paths] data)",
           "hardware.state_file": "the settings page's choices live in the data directory",
           "controllers.learn_file": "MIDI learn bindings live in the data directory",
           "audio.fallback_wav": "without a device the box plays on silently; "
                                 "audio.record_without_device records into the data directory"}


def load_config(path: str | Path | None = None) -> Config:
    """The configuration at `path` (or the default place); defaults where it is silent; the
    first problem is a one-line UserError."""
    p = _config_path(path)
    if p is None:
        return Config()
    return config_from_dict(read_toml(p), source=str(p))


def load_config_for_box(path: str | Path | None = None) -> tuple[Config, list[str]]:
    """The configuration for the box, which starts whatever the file says: (config, problems).
    A section with a problem takes its factory settings; an unreadable file gives all defaults.
    Each problem is one line naming the file, the setting and what is allowed. Only a file
    named on the command line that is not there at all is an error (UserError)."""
    p = _config_path(path)
    try:
        data = read_toml(p) if p is not None else {}
    except UserError as exc:
        return Config(), [str(exc)]
    source, problems, built = str(p), [], {}
    sections = {f.name: f.default_factory for f in dataclasses.fields(Config)}
    for name, value in data.items():
        try:
            Check(source).table({name: value}, "", sections)
            built[name] = section_from_dict(name, sections[name], value, Check(source))
        except UserError as exc:
            problems.append(f"{exc}; [{name}] takes its factory settings" if name in sections else str(exc))
    return Config(**built), problems


def _config_path(path) -> Path | None:
    explicit = path is not None
    p = Path(path if explicit else DEFAULT_PATH).expanduser()
    if not p.exists():
        if explicit:
            raise UserError(f"{p}: no such configuration file")
        return None
    return p


def config_from_dict(data: dict, source: str = "configuration") -> Config:
    check = Check(source)
    sections = {f.name: f.default_factory for f in dataclasses.fields(Config)}
    check.table(data, "", sections)
    return Config(**{name: section_from_dict(name, sections[name], value, check)
                     for name, value in data.items()})


def section_from_dict(name: str, cls, data, check: Check):
    spec = {f.name: (list if isinstance(f.default, tuple) else type(f.default), f.default)
            for f in dataclasses.fields(cls)}
    if isinstance(data, dict):
        data = {k: v for k, v in data.items() if at(name, k) not in RETIRED}
    values = check.settings(data, name, spec)
    for key, value in values.items():
        path = at(name, key)
        if path in RANGES:
            check.number(value, path, *RANGES[path], whole=True)
        if path in CHOICES:
            check.choice(value, path, *CHOICES[path])
        if path in WORDS:
            most, chars = WORDS[path]
            check.items(value, path, 0, most, noun="words")
            values[key] = tuple(check.text(word, at(path, i), 1, chars) for i, word in enumerate(value))
    return cls(**values)
