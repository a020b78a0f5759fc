"""The sound page's preset screen (LEFT of its first parameter screen): choose the focused
track's instrument and browse its presets, hearing each at once (docs/presets.md).

Turning to a preset puts it on the track straight away, without an undo entry (the history's
`preview`), and plays its audition note while the transport is stopped. A push keeps it: ONE
undo entry from the sound that was there. LEFT, RIGHT, another page key, another track or
coming back to the page takes it back, exactly. The last line of the list saves the track's
sound as a preset of one's own, named from a list of words and the first free number.
"""
from __future__ import annotations

from dataclasses import dataclass

from reverie.base.errors import UserError
from reverie.base.events import PRESS, Key, Turn
from reverie.project import mix_edit
from reverie.project.model import installed
from reverie.sound.instruments import INSTRUMENTS
from reverie.sound.presets import NAME_CHARS, load_library
from reverie.ui import effects as fx
from reverie.ui import selection
from reverie.ui.context import changes

AUDITION_VELOCITY = 100
LIST_ROWS = 3                # preset lines under the instrument line
SAVE = "SAVE"
WORDS = ("Mine", "Warm", "Dark", "Bright", "Soft", "Deep", "Wide", "Thin", "Lead", "Bass", "Pad",
         "Pluck", "Keys", "Drone", "Hit", "Noise")
PAGE_KEYS = ("PATTERN", "SOUND", "MIXER", "SONG", "SAMPLE", "PROJECT", "SETTINGS", "SYSTEM")
_FACTORY = []                # the factory library, read once when the app gave none


@dataclass(frozen=True)
class Line:
    text: str
    chosen: bool = False     # the line the list is on (inverse video)
    in_use: bool = False     # the preset the track's sound comes from (a dot)


@dataclass(frozen=True)
class PresetView:
    instrument: str
    focus: int               # the one-encoder cursor: 0 instrument, 1 list, 2 name; -1 none
    lines: tuple[Line, ...]
    trying: bool = False     # a preset is on the track but not kept yet
    note: str = ""


def library(ctx):
    if ctx.presets is not None:
        return ctx.presets
    if not _FACTORY:
        _FACTORY.append(load_library())
    return _FACTORY[0]


class PresetBrowser:
    def __init__(self) -> None:
        self.instrument = ""
        self.at = 0                      # the list's line: a preset, or the SAVE line after them
        self.word = 0
        self.base = None                 # the project before the audition; None: not trying
        self.shown = None                # the project the audition made current
        self.track = 0
        self.sounding: tuple[int, int] | None = None     # (track, note) of the audition note

    # ---- state ---------------------------------------------------------------------------

    def presets(self, ctx) -> list:
        return library(ctx).of(self.instrument) if installed(self.instrument) else []

    def items(self, ctx) -> int:
        """Lines in the list: the presets, then SAVE (for an installed instrument)."""
        return len(self.presets(ctx)) + (1 if installed(self.instrument) else 0)

    def trying(self) -> bool:
        return self.base is not None

    def open(self, ctx) -> list:
        """The screen is shown: follow the focused track (and take back what it left open)."""
        out = self.back(ctx)
        self._follow(ctx)
        return out

    def _follow(self, ctx) -> None:
        """The list shows the focused track's instrument, on the preset its sound came from."""
        self.track = ctx.track
        t = selection.track(ctx)
        if t is not None and t.instrument != self.instrument:
            self.instrument, self.at = t.instrument, 0
        if t is not None and t.preset is not None:
            names = [p.name for p in self.presets(ctx)]
            if t.preset in names:
                self.at = names.index(t.preset)
        self.at = max(0, min(self.at, self.items(ctx) - 1))

    def _still_ours(self, ctx) -> list:
        """A project changed by something else (undo, a load, a recording) ends the audition
        where it is; another track focused takes it back."""
        if self.base is None:
            return []
        if ctx.project is not self.shown:
            self.base = self.shown = None
            return self._note_off()
        if ctx.track != self.track:
            return self.back(ctx)
        return []

    def _sync(self, ctx) -> list:
        """Before any control: an audition still ours, and the list on the focused track."""
        out = self._still_ours(ctx)
        if self.base is None and ctx.track != self.track:
            self._follow(ctx)
        return out

    # ---- what the controls do ------------------------------------------------------------

    def turn(self, ctx, ev: Turn) -> list:
        out = self._sync(ctx)
        if selection.track(ctx) is None:
            ctx.message = f"T{ctx.track + 1} is not a track of this project"
            return out
        if ev.encoder == 0:
            names = list(INSTRUMENTS)
            now = names.index(self.instrument) if self.instrument in names else -1
            pick = max(0, min(len(names) - 1, now + ev.detents)) if now >= 0 else \
                (0 if ev.detents > 0 else len(names) - 1)
            if names[pick] == self.instrument:
                return out
            return out + self._move(ctx, names[pick], 0)
        if ev.encoder == 1:
            at = max(0, min(self.items(ctx) - 1, self.at + ev.detents))
            return out + (self._move(ctx, self.instrument, at) if at != self.at else [])
        if ev.encoder == 2 and self._on_save(ctx):
            self.word = (self.word + ev.detents) % len(WORDS)
        return out

    def push(self, ctx) -> list:
        out = self._sync(ctx)
        if self._on_save(ctx):
            return out + self._save(ctx)
        if self.base is None:
            return out
        preset = self._preset(ctx)
        base, shown, k = self.base, self.shown, self.track
        ctx.history.preview(base)
        name = preset.name if preset is not None else self.instrument
        try:
            ctx.history.apply(mix_edit.set_track_sound, k, self.instrument,
                              dict(preset.params) if preset is not None else {},
                              preset.name if preset is not None else None,
                              preset.multisample if preset is not None else None, label=f"sound {name} T{k + 1}")
        except UserError as exc:          # cannot happen after the audition made it; said anyway
            ctx.history.preview(shown)
            ctx.message = str(exc)
            return out
        self.base = self.shown = None
        ctx.message = f"T{k + 1}: {name}"
        return out + self._note_off()

    def back(self, ctx) -> list:
        """Takes the audition back: the project exactly as it was, and the engine with it."""
        if self.base is None:
            return self._note_off()
        out = self._note_off()
        before, base, k = ctx.project, self.base, self.track
        self.base = self.shown = None
        if before is not base:
            ctx.history.preview(base)
            out += _sound_effects(before, base, k)
        return out

    def key(self, ctx, ev: Key) -> list | None:
        """LEFT and RIGHT take an audition back (the page then changes screen); a page key
        takes it back and opens that page; an encoder's push keeps it or saves."""
        if ev.name.startswith("ENC"):
            # a release is left to the machine: one encoder's click moves the cursor
            return self.push(ctx) if ev.action == PRESS else None
        if ev.name in PAGE_KEYS and self.base is not None and ev.action == PRESS:
            out = self.back(ctx)
            ctx.goto = ev.name
            return out
        return None

    # ---- helpers -------------------------------------------------------------------------

    def _on_save(self, ctx) -> bool:
        return installed(self.instrument) and self.at == len(self.presets(ctx))

    def _preset(self, ctx):
        presets = self.presets(ctx)
        return presets[self.at] if self.at < len(presets) else None

    def _move(self, ctx, instrument: str, at: int) -> list:
        """The list goes to line `at` of `instrument`'s presets and tries it; a refusal (locks
        the new instrument cannot take) changes nothing."""
        was = (self.instrument, self.at, self.base)
        self.instrument, self.at = instrument, at
        out = self._try(ctx)
        if out is None:
            self.instrument, self.at, self.base = was
            return []
        return out

    def _try(self, ctx) -> list | None:
        """Puts the preset the list is on (or, on SAVE, the sound that was there) on the track
        and plays the audition note."""
        before = ctx.project
        if self.base is None:
            self.base, self.track = before, ctx.track
        if self._on_save(ctx) and self.instrument == self.base.tracks[self.track].instrument:
            return self.back(ctx)             # SAVE saves the track's own sound
        preset = self._preset(ctx)
        try:
            new = mix_edit.set_track_sound(self.base, self.track, self.instrument,
                                           dict(preset.params) if preset is not None else {},
                                           preset.name if preset is not None else None,
                                           preset.multisample if preset is not None else None)
        except UserError as exc:
            ctx.message = str(exc)
            return None
        ctx.history.preview(new)
        self.shown = new
        out = self._note_off() + _sound_effects(before, new, self.track)
        if not ctx.status.playing:
            note = preset.note if preset is not None else 60
            out.append(fx.PlayNote(self.track, note, AUDITION_VELOCITY))
            self.sounding = (self.track, note)
        return out

    def _note_off(self) -> list:
        if self.sounding is None:
            return []
        track, note = self.sounding
        self.sounding = None
        return [fx.PlayNote(track, note, 0)]

    def _save(self, ctx) -> list:
        t = selection.track(ctx)
        if t is None or not installed(t.instrument):
            ctx.message = "nothing to save: choose an instrument first"
            return []
        name = self.save_name(ctx)
        params = tuple((k, v) for k, v in t.params.items())
        ctx.message = f"saving {name}"
        return [fx.SavePreset(t.instrument, name, params)]

    def save_name(self, ctx) -> str:
        """The word chosen and the first number no preset of the instrument has: "Warm 2"."""
        taken = {p.name for p in self.presets(ctx)}
        word, n = WORDS[self.word], 1
        while f"{word} {n}" in taken:
            n += 1
        return f"{word} {n}"[:NAME_CHARS]

    # ---- what it shows -------------------------------------------------------------------

    def heading(self, ctx) -> str:
        if self.base is None and ctx.track != self.track:
            self._follow(ctx)
        count = len(self.presets(ctx))
        if not installed(self.instrument):
            return "PRESETS"
        if self._on_save(ctx):
            return "SAVE"
        return f"{'TRY' if self.base is not None else 'PRST'} {min(self.at + 1, count)}/{count}"

    def view(self, ctx) -> PresetView:
        if self.base is None and ctx.track != self.track:
            self._follow(ctx)
        t = selection.track(ctx)
        if t is None:
            return PresetView("", -1, (), note=f"T{ctx.track + 1}: no track in the project")
        presets = self.presets(ctx)
        kept = self.base.tracks[self.track] if self.base is not None else t
        labels = [(p.name, kept.instrument == self.instrument and kept.preset == p.name) for p in presets]
        if installed(self.instrument):
            labels.append((f"{SAVE} {self.save_name(ctx)}", False))
        first = max(0, min(self.at - 1, len(labels) - LIST_ROWS))
        lines = tuple(Line(text, i == self.at, in_use) for i, (text, in_use) in
                      enumerate(labels) if first <= i < first + LIST_ROWS)
        note = "" if installed(self.instrument) else "not installed:\nit plays silent"
        focus = ctx.focus % 3 if ctx.caps.encoders < 4 else -1
        return PresetView(self.instrument, focus, lines, self.base is not None, note)


def _sound_effects(before, after, k: int) -> list:
    """What the engine needs for track k's new sound: the whole sound at once (TrackSound)
    instead of a SetParam per parameter, and a reload when the instrument changed."""
    rest = [e for e in changes(before, after) if not (isinstance(e, fx.SetParam) and e.scope == "track"
                                                      and e.track == k)]
    return [fx.TrackSound(k)] + rest
