"""The song page: what PLAY plays (the pattern, the chain or the song), the chain as a list of
pattern names, the song as rows, and the pads queueing the 16 patterns of a bank.

The cursor runs over lines: the mode line (-1), the chain's entries or the song's rows, and
the end (where an insert appends). ENC2..ENC4 edit the cursor line's fields; with one encoder
a short push moves the focus over the cursor and those fields (ui/one_knob.py). Every edit goes
through project/mix_edit.py, so a refused one (a 65th chain entry) changes nothing.
"""
from __future__ import annotations

from dataclasses import dataclass, replace

from reverie.core.defs import SIZES
from reverie.base.events import DOUBLE, LONG, PRESS, Key, Pad, Turn
from reverie.project import mix_edit
from reverie.project.model import MODES, SongRow
from reverie.project.pattern import BANKS, SLOTS, pattern_name, pattern_slot
from reverie.ui import effects as fx
from reverie.ui.one_knob import SHORT, Push, one_knob, step
from reverie.ui.page import Page

VIEWS = ("chain", "song")
MODE_LINE = -1
MIN_BPM, MAX_BPM = SIZES["TEMPO_MIN_BPM"], SIZES["TEMPO_MAX_BPM"]


@dataclass(frozen=True)
class SongView:
    view: str                      # "chain" or "song"
    mode: str                      # what PLAY plays
    loop: bool
    chain: tuple[str, ...]
    rows: tuple[SongRow, ...]
    line: int                      # the cursor: -1 the mode line, len(entries) the end
    fields: tuple[str, ...]        # the cursor line's fields
    focus: str                     # the one field a single encoder edits; "" = four encoders
    playing: int                   # the entry or row playing, -1 when none
    bank: str                      # the pads' bank, "A".."P"
    queued: str                    # the pattern queued next, "" when none


class SongPage(Page):
    name = "SONG"
    title = "SONG"
    help = {
        "ENC1": "turn: move the cursor (top line: the mode); push: insert the current pattern",
        "ENC2": "turn: the pattern here; top line: chain or song; push: delete the entry here",
        "ENC3": "turn: chain: move the entry; song: repeats; top line: what PLAY plays; "
                "push: song loop on/off",
        "ENC4": "turn: the row's tempo, - keeps it; top line: loop; push: tempo on/off",
        "LEFT": "The pads' bank before.", "RIGHT": "The pads' next bank.",
        "PADS": "Queue this pattern of the bank to play next.",
        "SONG": "Switch between the chain and the song.",
    }

    def __init__(self) -> None:
        self.view_name = "song"
        self.line = 0
        self.focus = "line"        # one encoder: "line" (the cursor) or one of the line's fields
        self.bank = 0
        self._push = Push()

    def enter(self, ctx) -> list:
        if ctx.project.mode in VIEWS:
            self.view_name = ctx.project.mode
        self.bank = pattern_slot(ctx.project.pattern) // 16
        self._clamp(ctx)
        return []

    # --- input -------------------------------------------------------------------------

    def key(self, ctx, ev: Key) -> list | None:
        if ev.name == "SONG":
            if ev.action == PRESS:
                self._switch(ctx, 1 if self.view_name == "chain" else -1)
            return []
        if ev.name in ("LEFT", "RIGHT"):
            if ev.action == PRESS:
                self.bank = step(self.bank, 1 if ev.name == "RIGHT" else -1, 0, len(BANKS) - 1)
                ctx.message = f"pads queue bank {BANKS[self.bank]}"
            return []
        if not ev.name.startswith("ENC"):
            return None
        if one_knob(ctx):
            return self._click(ctx, ev) if ev.name == "ENC1" else None
        if ev.action != PRESS:
            return []
        return self._pushed(ctx, int(ev.name[3:]) - 1)

    def _click(self, ctx, ev: Key) -> list | None:
        """One encoder: a click moves the focus; a double click is the push of the field
        focused before that click (what its encoder's push does with four encoders)."""
        kind = self._push.kind(ev)
        if kind == LONG:
            return None                    # the machine's menu
        order = ("line",) + self._fields(ctx)
        at = order.index(self._focused(ctx))
        if kind == SHORT:
            at = (at + 1) % len(order)
        elif kind == DOUBLE:
            at = (at - 1) % len(order)
        self.focus = order[at]
        ctx.focus = min(at, 3)             # the encoder whose help SHIFT shows
        return self._pushed(ctx, at) if kind == DOUBLE else []

    def _pushed(self, ctx, encoder: int) -> list:
        """ENC1..ENC4's push (0..3)."""
        if encoder == 0:
            return self._insert(ctx)
        if encoder == 1:
            return self._delete(ctx)
        if encoder == 2 and self.view_name == "song":
            return self._set_loop(ctx, not ctx.project.song.loop)
        if encoder == 3 and self._is_entry(ctx) and self.view_name == "song":
            row = ctx.project.song.rows[self.line]
            tempo = None if row.tempo is not None else round(ctx.project.tempo)
            return self._put_row(ctx, replace(row, tempo=tempo), f"song row {self.line + 1} tempo")
        return []

    def turn(self, ctx, ev: Turn) -> list | None:
        fields = self._fields(ctx)
        if one_knob(ctx):
            field = self._focused(ctx)
        elif ev.encoder == 0:
            field = "line"
        elif ev.encoder - 1 < len(fields):
            field = fields[ev.encoder - 1]
        else:
            return []
        return self._turn(ctx, field, ev.detents)

    def pad(self, ctx, ev: Pad) -> list | None:
        if ctx.func or ctx.shift:
            return None
        if ev.velocity == 0:
            return []
        return [fx.QueuePattern(pattern_name(self.bank * 16 + ev.pad))]

    # --- edits -------------------------------------------------------------------------

    def _turn(self, ctx, field: str, d: int) -> list:
        p = ctx.project
        if field == "line":
            self.line = step(self.line, d, MODE_LINE, len(self._entries(ctx)))
            return []
        if field == "view":
            self._switch(ctx, d)
            return []
        if field == "mode":
            mode = MODES[step(MODES.index(p.mode), d, 0, len(MODES) - 1)]
            return ctx.edit(mix_edit.set_mode, mode, label=f"play the {mode}", coalesce="mode")
        if field == "loop":
            return self._set_loop(ctx, d > 0)
        if field == "rows":
            return self._insert(ctx) if d > 0 else self._delete(ctx)
        if field == "move":
            return self._move(ctx, d)
        if self.view_name == "chain":       # field == "pattern"
            chain = list(p.chain)
            chain[self.line] = pattern_name(step(pattern_slot(chain[self.line]), d, 0, SLOTS - 1))
            return ctx.edit(mix_edit.set_chain, chain, label=f"chain entry {self.line + 1}",
                            coalesce=f"chain pattern {self.line}")
        row = p.song.rows[self.line]
        if field == "pattern":
            row = replace(row, pattern=pattern_name(step(pattern_slot(row.pattern), d, 0, SLOTS - 1)))
        elif field == "repeats":
            row = replace(row, repeats=step(row.repeats, d, 1, 99))
        elif row.tempo is None:
            row = replace(row, tempo=float(round(p.tempo))) if d > 0 else row
        else:
            bpm = row.tempo + d
            row = replace(row, tempo=None if bpm < MIN_BPM else float(min(bpm, MAX_BPM)))
        return self._put_row(ctx, row, f"song row {self.line + 1} {field}")

    def _put_row(self, ctx, row: SongRow, label: str) -> list:
        rows = list(ctx.project.song.rows)
        rows[self.line] = row
        return ctx.edit(mix_edit.set_song_rows, rows, label=label, coalesce=label)

    def _set_loop(self, ctx, on: bool) -> list:
        return ctx.edit(mix_edit.set_song_rows, list(ctx.project.song.rows), on,
                        label=f"song loop {'on' if on else 'off'}")

    def _insert(self, ctx) -> list:
        if self.line == MODE_LINE:
            ctx.message = "move the cursor down to a place in the list"
            return []
        current = ctx.project.pattern
        if self.view_name == "chain":
            return ctx.edit(mix_edit.set_chain, self._spliced(ctx, current),
                            label=f"add {current} to the chain")
        return ctx.edit(mix_edit.set_song_rows, self._spliced(ctx, SongRow(pattern=current)),
                        label=f"insert song row {self.line + 1}")

    def _delete(self, ctx) -> list:
        if not self._is_entry(ctx):
            ctx.message = "nothing to delete here"
            return []
        entries = list(self._entries(ctx))
        del entries[self.line]
        if self.view_name == "chain":
            out = ctx.edit(mix_edit.set_chain, entries, label=f"remove chain entry {self.line + 1}")
        else:
            out = ctx.edit(mix_edit.set_song_rows, entries, label=f"delete song row {self.line + 1}")
        self._clamp(ctx)
        return out

    def _move(self, ctx, d: int) -> list:
        entries = list(self._entries(ctx))
        to = step(self.line, d, 0, len(entries) - 1)
        if to == self.line:
            return []
        entries.insert(to, entries.pop(self.line))
        fn = mix_edit.set_chain if self.view_name == "chain" else mix_edit.set_song_rows
        out = ctx.edit(fn, entries, label=f"move {self.view_name} entry", coalesce="move")
        if list(self._entries(ctx)) == entries:
            self.line = to
        return out

    def _spliced(self, ctx, entry) -> list:
        entries = list(self._entries(ctx))
        entries.insert(self.line, entry)
        return entries

    # --- the cursor --------------------------------------------------------------------

    def _entries(self, ctx) -> tuple:
        return tuple(ctx.project.chain) if self.view_name == "chain" else tuple(ctx.project.song.rows)

    def _is_entry(self, ctx) -> bool:
        return 0 <= self.line < len(self._entries(ctx))

    def _fields(self, ctx) -> tuple[str, ...]:
        if self.line == MODE_LINE:
            return ("view", "mode", "loop") if self.view_name == "song" else ("view", "mode")
        if not self._is_entry(ctx):
            return ("rows",)
        return ("pattern", "move", "rows") if self.view_name == "chain" else \
            ("pattern", "repeats", "tempo", "rows")

    def _focused(self, ctx) -> str:
        """The focused field, kept by name so it survives the line changing under it."""
        return self.focus if self.focus in self._fields(ctx) else "line"

    def _switch(self, ctx, d: int) -> None:
        self.view_name = VIEWS[step(VIEWS.index(self.view_name), d, 0, len(VIEWS) - 1)]
        self._clamp(ctx)

    def _clamp(self, ctx) -> None:
        self.line = step(self.line, 0, MODE_LINE, len(self._entries(ctx)))

    def view(self, ctx) -> SongView:
        self._clamp(ctx)
        p, s = ctx.project, ctx.status
        entries = self._entries(ctx)
        playing = s.song_row if s.playing and p.mode == self.view_name and 0 <= s.song_row < len(entries) else -1
        focus = self._focused(ctx) if one_knob(ctx) else ""
        return SongView(self.view_name, p.mode, p.song.loop, tuple(p.chain), tuple(p.song.rows),
                        self.line, self._fields(ctx), focus, playing, BANKS[self.bank], s.queued)
