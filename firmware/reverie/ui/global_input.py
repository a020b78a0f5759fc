"""What a control does when the page shown does not use it: page keys, transport, live
recording, track select, pads and keyboard notes, learned knobs, and the menu's choices.

Live recording (REC): while the transport plays, every pad hit and keyboard note is played
and written into the pattern shown by project/record.py's Recorder, on the grid (quantize
1), at the step the track plays now (Status.steps); the note's length comes from how long
it was held (event times at the tempo). A pad records into the track it plays, a keyboard
note into the focused track. One take (REC on to REC off) is one undo entry per pattern.
"""
from __future__ import annotations

from reverie.sound.buses import BUS, MASTER
from reverie.base.errors import UserError
from reverie.base.events import LONG, PRESS, RELEASE, Key, Knob, Note, Pad
from reverie.sound.instruments import INSTRUMENTS
from reverie.project import edit, mix_edit, scales
from reverie.core.defs import SIZES
from reverie.project.record import Recorder, step_ticks, swing_ticks
from reverie.ui import effects as fx
from reverie.ui import selection
from reverie.ui.turning import absolute, turn

PAGE_KEYS = ("PATTERN", "SOUND", "MIXER", "SONG", "SAMPLE", "PROJECT", "SETTINGS", "SYSTEM")
PAD_NOTE = 60               # a pad plays its track's sound at its root
TICKS_PER_BEAT = SIZES["TICKS_PER_BEAT"]


FIXED_VELOCITY = 100


class GlobalInput:
    def __init__(self, ui):
        self.ui = ui
        self.recorder: Recorder | None = None
        self._sounding: dict[tuple[str, int], tuple[int, int]] = {}   # ("pad", 3) -> (track, note)
        self._takes: dict[tuple[str, int], tuple[int, float]] = {}     # -> (position, time)
        ui.context.live = self          # keys mode plays through play() and holding()

    @property
    def recording(self) -> bool:
        return self.recorder is not None

    # ---- keys ---------------------------------------------------------------------------

    def key(self, ev: Key) -> list:
        ctx = self.ui.context
        if ev.name == "ENC1" and ev.action == LONG:
            self.ui.open_menu(swallow="ENC1")
            return []
        if ev.action != PRESS:
            return []
        if ev.name in PAGE_KEYS:
            return self.ui.open_page(ev.name)
        if ev.name == "PLAY":
            if ctx.func:
                return [fx.Transport("continue")]
            return [fx.Transport("stop" if ctx.status.playing else "play")]
        if ev.name == "STOP":
            return [fx.Transport("stop")] + ([] if ctx.status.playing else self.release_all(ev.t))
        if ev.name == "REC":
            self.toggle_recording()
        return []

    def toggle_recording(self) -> None:
        ctx = self.ui.context
        if self.recorder is None:
            self.recorder = Recorder(quantize=1.0)
        else:
            self.recorder.reset()
            self.recorder = None
            self._takes.clear()
            ctx.history.close()
        ctx.recording = self.recorder is not None

    def select(self, track: int) -> list:
        ctx = self.ui.context
        count = len(ctx.project.tracks)
        if not 0 <= track < count:
            ctx.message = f"T{track + 1}: the project has {count} track{'s' * (count != 1)}"
        else:
            ctx.track = track
        return []

    # ---- pads, notes and knobs ----------------------------------------------------------

    def pad(self, ev: Pad) -> list:
        if ev.velocity and self.ui.context.func:
            return self.select(ev.pad)
        return self._play(("pad", ev.pad), ev.pad, PAD_NOTE, self._velocity(ev.velocity), ev.t)

    def note(self, ev: Note) -> list:
        for what, v in (("note", ev.note), ("velocity", ev.velocity)):
            if isinstance(v, bool) or not isinstance(v, int) or not 0 <= v <= 127:
                raise UserError(f"a keyboard {what} is 0..127, not {v!r}")
        return self._play(("note", ev.note), self.ui.context.track, self._in_scale(ev.note),
                          self._velocity(ev.velocity), ev.t)

    def _velocity(self, velocity: int) -> int:
        """The settings page's pad velocity: as played, or FIXED_VELOCITY for every hit."""
        fixed = self.ui.context.settings.get("pads.velocity") == "fixed"
        return FIXED_VELOCITY if fixed and velocity else velocity

    def _in_scale(self, note: int) -> int:
        """The scale lock of the settings page (project/scales.py lock): a note outside the
        scale plays the scale's note just below it, so whatever is played fits the key."""
        settings = self.ui.context.settings
        return scales.lock(note, scales.get(settings.get("pads.scale", "off")), int(settings.get("pads.root", 0)))

    def play(self, key, track: int, note: int, velocity: int, t: float) -> list:
        """A live note as a pad plays it (keys mode, ui/pages/keys.py): the settings'
        velocity, recorded while REC is on, let go later by the same `key` (velocity 0)."""
        return self._play(key, track, note, self._velocity(velocity), t)

    def holding(self, key) -> bool:
        """Whether the note played by `key` still sounds (STOP lets go of every one)."""
        return key in self._sounding

    def _play(self, key, track: int, note: int, velocity: int, t: float) -> list:
        if velocity:
            self._sounding[key] = (track, note)
            return [fx.PlayNote(track, note, velocity, t)] + self._record_on(key, track, note, velocity, t)
        sounding = self._sounding.pop(key, None)
        if sounding is None:
            return []
        return [fx.PlayNote(*sounding, 0, t)] + self._record_off(key, *sounding, t)

    def release_all(self, t: float) -> list:
        out = []
        for key in list(self._sounding):
            track, note = self._sounding.pop(key)
            out += [fx.PlayNote(track, note, 0, t)] + self._record_off(key, track, note, t)
        return out

    def knob(self, ev: Knob) -> list:
        """A learned knob ("cutoff_hz", "bus.volume_db", "master.tempo_bpm") on its track or
        the focused one; a slot the page does not use does nothing."""
        if not ev.key:
            return []
        ctx = self.ui.context
        track = ev.track if ev.track >= 0 else ctx.track
        scope, _, key = ev.key.rpartition(".")
        if scope == "master":
            spec = MASTER[key]
            now = ctx.project.tempo if key == "tempo_bpm" else ctx.project.master.get(key, spec.default)
            fn, args = mix_edit.set_master_param, (key,)
        elif scope in ("bus", ""):
            t = selection.track(ctx, track)
            if t is None:
                raise UserError(f"T{track + 1}: the project has {len(ctx.project.tracks)} tracks")
            if not scope and t.instrument not in INSTRUMENTS:
                raise UserError(f"T{track + 1}: {t.instrument} is not installed; it plays silent")
            spec = BUS[key] if scope else INSTRUMENTS[t.instrument][key]
            now = (t.bus if scope else t.params).get(key, spec.default)
            fn, args = (mix_edit.set_bus_param if scope else mix_edit.set_track_param), (track, key)
        else:
            raise UserError(f"a knob is learned to {ev.key!r}: not a parameter")
        now = selection.as_number(spec, now)
        value = turn(spec, now, int(round(ev.value)), ctx.func) if ev.relative else absolute(spec, ev.value)
        return ctx.edit(fn, *args, value, coalesce=f"knob {ev.key} {track}")

    # ---- the menu -----------------------------------------------------------------------

    def menu_key(self, ev: Key) -> list:
        ui = self.ui
        if ev.name.startswith("ENC"):
            if ev.action == LONG:
                ui.close_menu()
                ui.swallow_release(ev.name)
            elif ev.action == RELEASE and ev.name == "ENC1":
                return self._choose(ui.menu.choose())
            return []
        if ev.name in ("LEFT", "RIGHT"):
            if ev.action == PRESS:
                ui.menu.turn(1 if ev.name == "RIGHT" else -1)
            return []
        if ev.name in PAGE_KEYS:
            ui.close_menu()
        return self.key(ev)

    def _choose(self, choice) -> list:
        ui, ctx = self.ui, self.ui.context
        if choice is None:
            return []
        what, arg = choice
        if what == "page":
            return ui.open_page(arg)
        if what == "track":
            ui.close_menu()
            return self.select(arg)
        if what == "REC":
            self.toggle_recording()
            return []
        return ctx.undo() if what == "UNDO" else ctx.redo()

    # ---- recording ----------------------------------------------------------------------

    def _record_on(self, key, track: int, note: int, velocity: int, t: float) -> list:
        ctx = self.ui.context
        s = ctx.status
        if self.recorder is None or not s.playing or not 0 <= track < len(s.steps) or s.steps[track] < 0:
            return []
        name = selection.pattern_name(ctx)
        pattern = ctx.project.pattern_at(name)
        st = step_ticks(pattern.tracks[track].speed)
        n = s.steps[track]
        pos = n * st + swing_ticks(st, pattern.swing) * (n % 2)
        self._takes[key] = (pos, t)
        return ctx.edit(edit.update_pattern, name, self.recorder.note_on, track, note, velocity, pos,
                        label=f"record {name}", coalesce=f"record {name}")

    def _record_off(self, key, track: int, note: int, t: float) -> list:
        take = self._takes.pop(key, None)
        if take is None or self.recorder is None:
            return []
        ctx = self.ui.context
        pos, t0 = take
        held = max(0.0, t - t0) * ctx.status.tempo_bpm / 60 * TICKS_PER_BEAT
        name = selection.pattern_name(ctx)
        return ctx.edit(edit.update_pattern, name, self.recorder.note_off, track, note, pos + round(held),
                        label=f"record {name}", coalesce=f"record {name}")
