"""Effects: what the UI asks of the rest of the box. The UI state machine is pure; it returns
these and the control thread's `Controller` (reverie/control.py) carries them out on the
engine, the sequencer, the worker thread and the controllers. Plain frozen data, so tests
assert them directly.
"""
from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True, slots=True)
class PlayNote:
    """Sound a note now (a pad, a keyboard key): velocity 0 releases it. `t` is the input's
    arrival time (monotonic s): the controller places it one block later at that offset."""
    track: int
    note: int
    velocity: int
    t: float = 0.0


@dataclass(frozen=True, slots=True)
class Modulate:
    """A track's mod wheel (`which` 0) or aftertouch (1), 0..1, for its instrument's routes."""
    track: int
    which: int
    value: float


@dataclass(frozen=True, slots=True)
class SetParam:
    """A live parameter change. `scope` is "track" (the instrument), "bus" or "master"."""
    scope: str
    track: int            # ignored for "master"
    key: str              # the spec key, e.g. "cutoff_hz"
    value: float


@dataclass(frozen=True, slots=True)
class PatternEdited:
    """The named pattern changed in the project: compile it and swap it in, even while it plays."""
    name: str


@dataclass(frozen=True, slots=True)
class ProjectEdited:
    """Tracks, tempo, chain, song or the mode changed: reload the sequencer's project."""


@dataclass(frozen=True, slots=True)
class Transport:
    action: str           # "play", "stop", "continue"


@dataclass(frozen=True, slots=True)
class Tempo:
    bpm: float


@dataclass(frozen=True, slots=True)
class QueuePattern:
    name: str
    immediate: bool = False


@dataclass(frozen=True, slots=True)
class Mute:
    track: int
    on: bool


@dataclass(frozen=True, slots=True)
class Fill:
    on: bool


@dataclass(frozen=True, slots=True)
class SaveProject:
    """The project page saves under a name (a folder in the box's projects folder, listed
    in Status.projects once saved); "" saves where the project was loaded from."""
    path: str             # a project folder or a name; "" = where it was loaded from


@dataclass(frozen=True, slots=True)
class LoadProject:
    path: str             # a project folder, or a name from Status.projects


@dataclass(frozen=True, slots=True)
class NewProject:
    """Start a new project from the shipped demo's tracks and sounds, unsaved and with no
    folder yet (its first save asks for a name)."""


@dataclass(frozen=True, slots=True)
class ListSaves:
    """Read the saves kept for the loaded project (its .history/) on the worker thread into
    Context.saves: (file name, "12-04 20:44:01") pairs, the newest first."""


@dataclass(frozen=True, slots=True)
class RestoreSave:
    """Make a kept save the project, as one edit that undo takes back."""
    name: str             # its file name in .history/, from Context.saves


@dataclass(frozen=True, slots=True)
class LoadOverview:
    """Compute a sample's waveform overview on the worker thread (ui/waveform.py) and put it
    in Context.overviews[sample]; Overview.failed(message) when the file cannot be read."""
    sample: str           # a sample reference from Status.samples


@dataclass(frozen=True, slots=True)
class LoadSample:
    """Put a sample file on a track (decoded on the worker thread); None: no sample (silence).
    Every change of a track's sample makes one, undo and redo included (context.changes)."""
    track: int
    path: str | None


@dataclass(frozen=True, slots=True)
class Learn:
    """Bind a controller's CC to a parameter (MIDI learn), or unbind when `key` is ""."""
    device: str
    channel: int
    control: int
    key: str              # "cutoff_hz", "bus.volume_db", "master.tempo_bpm"
    track: int            # -1 = whichever track is focused when it moves


@dataclass(frozen=True, slots=True)
class Setting:
    """A box setting changed on the settings page (saved to the box's state file)."""
    key: str
    value: object


@dataclass(frozen=True, slots=True)
class Cue:
    """The micro-session timer ran out and a soft click was asked for: one quiet click on
    the next bar's downbeat while the transport plays (control/cue.py)."""


@dataclass(frozen=True, slots=True)
class TrackSound:
    """A track's instrument or whole sound changed (a preset chosen or taken back on the sound
    page): post its program and every parameter (control/track_sound.py)."""
    track: int


@dataclass(frozen=True, slots=True)
class SavePreset:
    """Save a sound as a preset of one's own in the data directory (control/track_sound.py)."""
    instrument: str
    name: str
    params: tuple         # (key, value) pairs, as a track keeps them


@dataclass(frozen=True, slots=True)
class Shutdown:
    """The power key was held: save and stop the box, by the same path as SIGTERM."""


Effect = (PlayNote | SetParam | PatternEdited | ProjectEdited | Transport | Tempo | QueuePattern
          | Mute | Fill | SaveProject | LoadProject | NewProject | ListSaves | RestoreSave | LoadSample
          | LoadOverview | Learn | Setting | Cue | Shutdown | TrackSound | SavePreset)
