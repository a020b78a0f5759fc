"""The LISTEN page (from the menu): keep what was just played, and listen back to the audio
log, this session's captures first, then the earlier sessions'.

    KEEP AUDIO        60 s       (REC 12:05 while the whole session is recorded)
    KEEP NOTES
    this session ─────────
    ▶21:52:03   3.1/12.4s

A recording of the whole session reads `rec 18:02:10`. ENC1 turns through the lines; a push keeps (the first two lines, as FUNC+REC and
FUNC+PATTERN do anywhere), or plays the capture chosen back through the box, or stops it
when it is the one playing. LEFT and RIGHT jump to the session before or after. Listening
never touches the project: the capture plays beside it (docs/capture.md).
"""
from __future__ import annotations

from dataclasses import dataclass

from reverie.base.events import LONG, PRESS, Key, Turn
from reverie.ui import capture as cx
from reverie.ui.one_knob import SHORT, Push, one_knob, step
from reverie.ui.page import Page

THIS_SESSION = "this session"
READING = "reading the log…"
NOTHING = "nothing kept yet"
OFF = "capture is off"


@dataclass(frozen=True)
class Row:
    kind: str                      # "action", "capture", "session" (a heading) or "note" (a word)
    left: str
    right: str = ""
    playing: bool = False


@dataclass(frozen=True)
class ListenView:
    rows: tuple[Row, ...]
    at: int                        # the row chosen


def _seconds(s: float) -> str:
    return f"{s:.1f}s" if s < 60 else f"{int(s) // 60}:{int(s) % 60:02d}"


class ListenPage(Page):
    name = "LISTEN"
    title = "LISTEN"
    help = {
        "ENC1": "turn: choose a line; push: keep, or play the capture back (again: stop)",
        "LEFT": "The session before (earlier captures).",
        "RIGHT": "The session after (later captures).",
    }

    def __init__(self) -> None:
        self.at = 0
        self._push = Push()

    def enter(self, ctx) -> list:
        return [cx.ListCaptures()]

    def fields(self, ctx) -> int:
        return 1

    # --- input -------------------------------------------------------------------------

    def turn(self, ctx, ev: Turn) -> list | None:
        if ev.encoder == 0 or one_knob(ctx):
            rows = self._rows(ctx)
            at = self.at
            for _ in range(abs(ev.detents)):
                at = self._next(rows, at, 1 if ev.detents > 0 else -1)
            self.at = at
        return []

    def key(self, ctx, ev: Key) -> list | None:
        if ev.name in ("LEFT", "RIGHT"):
            if ev.action == PRESS:
                self.at = self._session_jump(self._rows(ctx), 1 if ev.name == "RIGHT" else -1)
            return []
        if ev.name != "ENC1":
            return [] if ev.name.startswith("ENC") else None
        if one_knob(ctx):
            kind = self._push.kind(ev)
            if kind == LONG:
                return None                            # the machine's menu
            return self._choose(ctx) if kind == SHORT else []
        return self._choose(ctx) if ev.action == PRESS else []

    def _choose(self, ctx) -> list:
        rows, captures = self._rows(ctx), self._captures(ctx)
        row = rows[min(self.at, len(rows) - 1)]
        if row.kind == "action":
            return cx.key(ctx, cx.KEEP_AUDIO_KEY if row.left == "KEEP AUDIO" else cx.KEEP_NOTES_KEY) \
                if ctx.status.capture.enabled else []
        if row.kind != "capture":
            return []
        chosen = captures[self._capture_index(rows, self.at)]
        if chosen.path == ctx.status.capture.playing:
            return [cx.StopCapture()]
        return [cx.PlayCapture(chosen.path)]

    # --- the lines ---------------------------------------------------------------------

    def _captures(self, ctx) -> tuple[cx.LoggedCapture, ...]:
        return ctx.status.capture.log or ()

    def _rows(self, ctx) -> tuple[Row, ...]:
        s = ctx.status.capture
        if not s.enabled:
            rows = [Row("note", OFF)]
        else:
            rec = f"REC {_seconds(s.recorded_s)}" if s.recording else f"{s.ring_s} s"
            rows = [Row("action", "KEEP AUDIO", rec), Row("action", "KEEP NOTES")]
        if s.log is None:
            return tuple(rows + [Row("note", READING)])
        if not s.log:
            return tuple(rows + [Row("note", NOTHING)])
        session = None
        for c in s.log:
            if c.session != session:
                session = c.session
                rows.append(Row("session", THIS_SESSION if c.session == s.session else c.session))
            playing = c.path == s.playing
            right = f"{_seconds(s.played_s)}/{_seconds(c.seconds)}" if playing else _seconds(c.seconds)
            left = ("rec " if c.kind == "recording" else "") + c.when
            rows.append(Row("capture", left, right, playing))
        return tuple(rows)

    def _capture_index(self, rows, at: int) -> int:
        return sum(1 for r in rows[:at] if r.kind == "capture")

    def _next(self, rows, at: int, direction: int) -> int:
        """The next line that does something (not a heading), or `at` when there is none."""
        k = at + direction
        while 0 <= k < len(rows):
            if rows[k].kind in ("action", "capture"):
                return k
            k += direction
        return at

    def _session_jump(self, rows, direction: int) -> int:
        """The first capture of the session after (or before) the one chosen."""
        heads = [k for k, r in enumerate(rows) if r.kind == "session"]
        mine = max([k for k in heads if k <= self.at], default=-1)
        targets = [k for k in heads if (k > mine if direction > 0 else k < mine)]
        if not targets:
            return self.at
        head = targets[0] if direction > 0 else targets[-1]
        return self._next(rows, head, 1) if head + 1 < len(rows) else self.at

    def view(self, ctx) -> ListenView:
        rows = self._rows(ctx)
        self.at = step(self.at, 0, 0, len(rows) - 1)
        if rows[self.at].kind not in ("action", "capture"):
            self.at = self._next(rows, self.at, -1 if self.at else 1)
        return ListenView(rows, self.at)
