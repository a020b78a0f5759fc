"""What every page shares: the project (through its undo History), what is focused, what is
held, the box's controls and the latest Status. Pages change the project only through
`edit()`, which also says what the rest of the box must do about the change: the effects
come from comparing the project before and after, so an undo or a redo produces exactly
the effects its edit did, the other way round."""
from __future__ import annotations

from dataclasses import dataclass, field

from reverie.base.errors import UserError
from reverie.project.history import History
from reverie.project.model import Project
from reverie.ui import effects as fx
from reverie.ui.flow import SessionTimer
from reverie.ui.imports import LoadMultisample
from reverie.ui.status import Status


@dataclass(frozen=True)
class Caps:
    """The controls this box has (from its hw/ box file): pages adapt to them."""
    encoders: int = 4
    keys: frozenset[str] = frozenset()
    pads: bool = True                    # pads on the box or on a controller


@dataclass
class Context:
    history: History
    caps: Caps = field(default_factory=Caps)
    status: Status = field(default_factory=Status)
    track: int = 0                       # the focused track
    shift: bool = False                  # SHIFT held: help mode
    func: bool = False                   # FUNC held: second functions
    held_pads: set[int] = field(default_factory=set)
    message: str = ""                    # a one-line notice (an edit refused, saved…)
    last_encoder: int = 0                # the encoder turned last (what MIDI learn binds)
    settings: dict = field(default_factory=dict)
    overviews: dict = field(default_factory=dict)   # sample reference -> waveform.Overview
    multisets: tuple = ()       # the multisample sets there are (ListMultisamples), "factory:" ones first
    saves: tuple | None = None           # the loaded project's kept saves, (file, when); None: not read
    focus: int = 0                       # fewer than 4 encoders: the field ENC1 edits (0 = ENC1's)
    goto: str = ""                       # a page asks to open another page (its name) after this event
    step: int = 0                        # the step the step page shows (focused track, this pattern)
    held_steps: dict[int, int] = field(default_factory=dict)   # pad -> step held on the pattern page
    recording: bool = False              # live recording (REC) is on
    live: object = None                  # global_input.GlobalInput: play(key, ...) and holding(key)
    timer: SessionTimer = field(default_factory=SessionTimer)   # the micro-session timer (flow.py)
    journal: object = None               # the journal page's summary (ui/practice/summary.py), read on the worker
    presets: object = None               # sound.presets.PresetLibrary, read at start; None: the factory's

    @property
    def project(self) -> Project:
        return self.history.project

    def edit(self, fn, *args, label: str | None = None, coalesce: str | None = None) -> list:
        """Applies a pure edit through the history; returns the effects of the change. A
        refused edit (UserError) changes nothing and shows its message."""
        before = self.project
        try:
            self.history.apply(fn, *args, label=label, coalesce=coalesce)
        except UserError as exc:
            self.message = str(exc)
            return []
        return changes(before, self.project)

    def undo(self) -> list:
        return self._travel(self.history.undo, self.history.can_undo)

    def redo(self) -> list:
        return self._travel(self.history.redo, self.history.can_redo)

    def _travel(self, step, possible) -> list:
        if not possible:
            self.message = "nothing to undo" if step == self.history.undo else "nothing to redo"
            return []
        before = self.project
        self.message = step()
        return changes(before, self.project)


def changes(before: Project, after: Project) -> list:
    """The effects that bring the engine from `before` to `after`: live parameter changes
    and pattern swaps where they say it all, a project reload for the rest."""
    if before is after:
        return []
    out: list = []
    for name in sorted(set(before.patterns) | set(after.patterns)):
        if before.patterns.get(name) is not after.patterns.get(name):
            out.append(fx.PatternEdited(name))
    reload = len(before.tracks) != len(after.tracks)
    for i, (a, b) in enumerate(zip(before.tracks, after.tracks)):
        if a is b:
            continue
        for key in sorted(set(a.params) | set(b.params)):
            if a.params.get(key) != b.params.get(key) and key in b.params:
                out.append(fx.SetParam("track", i, key, b.params[key]))
            elif key not in b.params:
                reload = True
        for key in sorted(set(a.bus) | set(b.bus)):
            if a.bus.get(key) != b.bus.get(key) and key in b.bus:
                out.append(fx.SetParam("bus", i, key, b.bus[key]))
            elif key not in b.bus:
                reload = True
        if a.sample != b.sample:
            # the engine's slot for the track gets the new sound (or, undone, the old one back)
            out.append(fx.LoadSample(i, b.sample))
        if b.instrument == "multisample" and (a.instrument, a.multisample) != (b.instrument, b.multisample):
            out.append(LoadMultisample(i, b.multisample))       # the track's set, or none
        if (a.kind, a.instrument, a.sample, a.midi_channel, a.midi_port) != \
           (b.kind, b.instrument, b.sample, b.midi_channel, b.midi_port):
            reload = True
    for key in sorted(set(before.master) | set(after.master)):
        if key in after.master and before.master.get(key) != after.master[key]:
            out.append(fx.SetParam("master", 0, key, after.master[key]))
        elif key not in after.master:
            reload = True
    if before.tempo != after.tempo:
        out.append(fx.Tempo(after.tempo))
    if (before.chain, before.song, before.mode, before.pattern, before.metronome,
            before.count_in_bars) != (after.chain, after.song, after.mode, after.pattern,
                                      after.metronome, after.count_in_bars):
        reload = True
    if reload:
        out.append(fx.ProjectEdited())
    return out
