"""The practice layer: the session clock, the check-in and check-out flows and what the
journal keeps, between the box's input and its pages.

    ui.practice.configure(PracticeOptions(...))   # the app, at start
    ui.practice.power_on(now)                     # the session of the power-on, its check-in
    out = ui.practice.handle(ctx, event, dispatch)   # UI.handle: every event
    out = ui.practice.update(ctx, status, now)    # UI.update: every control tick
    shown = ui.practice.screen(now)               # UI.view: (title, view) while a prompt shows
    out = ui.practice.stop(now)                   # the app's stop path: the last journal write

Off (not configured) it hands every event straight to `dispatch`. On, an event goes to the
prompt showing, if any (prompts.py); one it does not answer skips the rest of the check-in or
check-out and still goes to the page, so PLAY plays and a pad sounds at once. A pad or a
keyboard note always reaches the page: sound never waits for a prompt.

Kind by rule: never a prompt within QUIET_S of the last one closing; a check-out left
unanswered after an idle end goes away after CHECKOUT_WAIT_S; a session with nothing in it
(the box switched on and left, a few presses on the way to switching off: Session.kept) is
not kept. The open session is written at least every CHECKPOINT_S, and at once when it
starts, is answered or ends, so a killed box loses at most that much of it."""
from __future__ import annotations

import time
from dataclasses import dataclass, field, replace
from typing import Callable

from reverie.base.events import LONG, PRESS, RELEASE, Device, Key, Note, Pad, Turn, Typed
from reverie.ui import effects as fx
from reverie.ui.global_input import FIXED_VELOCITY, PAD_NOTE
from reverie.ui.practice.effects import EndSession, JournalWrite
from reverie.ui.practice.options import PracticeOptions
from reverie.ui.practice.prompts import (NEXT, NOTE_CHARS, SKIP, STAY, MoodPrompt, Outcome, PacerPrompt,
                                         TagsPrompt, WheelPrompt, WordsPrompt)
from reverie.ui.practice.record import SessionRecord
from reverie.ui.practice.session import Session, SessionClock

CHECKPOINT_S = 30.0         # the open session is written at least this often
CHECKOUT_WAIT_S = 600.0     # an idle end's check-out, unanswered, goes away after this
POWER_WAIT_S = 60.0         # the power key's check-out: the box switches off after this anyway
QUIET_S = 60.0              # no new prompt within this long of the last one closing
PLAYING_RUN_S = 1.5         # a pad hit this soon after the last hit is playing, not answering
MODIFIERS = ("SHIFT", "FUNC")


@dataclass
class Flow:
    kind: str                           # "checkin" or "checkout"
    prompts: list
    session: Session
    expires: float | None = None        # it goes away (unanswered) at this time
    then: list = field(default_factory=list)   # effects once it is over (the power key's Shutdown)
    at: int = 0

    @property
    def prompt(self):
        return self.prompts[self.at]


class Practice:
    def __init__(self) -> None:
        self.enabled = False
        self.options = PracticeOptions()
        self.wall: Callable[[], float] = time.time
        self.clock = SessionClock(self.options.idle_s)
        self.flow: Flow | None = None
        self.closing: Session | None = None       # ended, its check-out still open
        self.now = 0.0
        self._quiet_until = -1.0
        self._last_hit = -1e9
        self._answered: set[int] = set()         # pads that answered a prompt, still held
        self._written: SessionRecord | None = None
        self._written_at = -1e9

    # --- set-up and the app's calls -----------------------------------------------------

    def configure(self, options: PracticeOptions, wall: Callable[[], float] = time.time) -> None:
        self.enabled, self.options, self.wall = True, options, wall
        self.clock = SessionClock(options.idle_s, options.checkins)

    def power_on(self, now: float) -> None:
        """The box is on: a session starts, and its check-in shows when check-ins are on."""
        if not self.enabled:
            return
        self.now = max(self.now, now)
        session = self.clock.start(now, self.wall())
        self._offer_checkin(session)

    @property
    def session_id(self) -> str | None:
        """The open session's id (journal.add_capture takes it), None between sessions."""
        s = self.clock.session or self.closing
        return s.id if s is not None else None

    @property
    def prompting(self) -> bool:
        return self.flow is not None

    def stop(self, now: float, reason: str = "stop") -> list:
        """The box stops: the open session ends (no check-out now) and its last state, or
        that of a session whose check-out shows, is written as a final journal write."""
        if not self.enabled:
            return []
        self.now = max(self.now, now)
        closing = self.closing
        out = [e for e in self._finish_flow(skipped=True) if not isinstance(e, fx.Shutdown)]
        ended = self.clock.end(self.now, reason, self.wall())
        for s in (ended, closing):
            if s is not None and s.kept:
                out.append(JournalWrite(s.record(), final=True))
        return out

    # --- every event ----------------------------------------------------------------------

    def handle(self, ctx, ev, dispatch) -> list:
        if not self.enabled:
            return dispatch(ev)
        t = getattr(ev, "t", 0.0)
        self.now = max(self.now, t if isinstance(t, (int, float)) else 0.0)
        if isinstance(ev, Key) and ev.name == "POWER" and ev.action == LONG:
            return self._power(ctx, ev, dispatch)
        if isinstance(ev, Pad) and not ev.velocity and ev.pad in self._answered:
            return self._sound(ctx, ev)          # the pad that answered is let go
        if self.flow is not None:
            return dispatch(ev) if ctx.shift else self._answer(ctx, ev, dispatch)   # SHIFT: help only
        started = self._activity(ev)
        out = self._observe(ctx, dispatch(ev))
        if started is not None:
            self._offer_checkin(started)
        return out

    def _activity(self, ev) -> Session | None:
        """An input is activity (a session starts when none is open), except a device
        coming and going and a key let go."""
        if isinstance(ev, Device) or (isinstance(ev, Key) and ev.action == RELEASE):
            return None
        if isinstance(ev, (Pad, Note)) and ev.velocity:
            self._last_hit = self.now
        return self.clock.activity(self.now, self.wall())

    def _answer(self, ctx, ev, dispatch) -> list:
        flow = self.flow
        run = isinstance(ev, (Pad, Note)) and ev.velocity and self.now - self._last_hit < PLAYING_RUN_S
        if flow.kind == "checkin":
            self._activity(ev)
        elif isinstance(ev, (Pad, Note)) and ev.velocity:
            self._last_hit = self.now
        outcome = self._route(flow.prompt, ev, bool(run))
        if outcome.through and outcome.action == NEXT and isinstance(ev, Pad):
            out = self._observe(ctx, self._sound(ctx, ev))   # an answer sounds, but edits nothing
        else:
            out = self._observe(ctx, dispatch(ev)) if outcome.through else []
        out += self._apply(outcome)
        if outcome.action == SKIP and outcome.through and flow.kind == "checkout" and not flow.then:
            self._activity(ev)          # skipped by playing on: that is a new session (quietly)
        return out

    def _sound(self, ctx, ev: Pad) -> list:
        """The pad's sound alone, as the pads play on any page (global_input.py): a pad
        that answers a prompt is heard, and changes nothing on the page under it."""
        if ev.velocity:
            self._answered.add(ev.pad)
            fixed = ctx.settings.get("pads.velocity") == "fixed"
            return [fx.PlayNote(ev.pad, PAD_NOTE, FIXED_VELOCITY if fixed else ev.velocity, ev.t)]
        self._answered.discard(ev.pad)
        return [fx.PlayNote(ev.pad, PAD_NOTE, 0, ev.t)]

    @staticmethod
    def _route(prompt, ev, run: bool) -> Outcome:
        if isinstance(ev, Key):
            if ev.name in MODIFIERS:
                return Outcome(through=True)
            if ev.name.startswith("ENC"):
                return prompt.push() if ev.action == PRESS else Outcome()
            return Outcome(SKIP, through=True) if ev.action == PRESS else Outcome(through=True)
        if isinstance(ev, Turn):
            return prompt.turn(ev.detents) if isinstance(ev.detents, int) else Outcome()
        if isinstance(ev, Pad):
            return prompt.pad(ev.pad, run) if ev.velocity else Outcome(through=True)
        if isinstance(ev, Note):
            return Outcome(SKIP, through=True) if ev.velocity else Outcome(through=True)
        if isinstance(ev, Typed):
            return prompt.typed(ev.key) if isinstance(ev.key, str) else Outcome()
        return Outcome(through=True)

    def _apply(self, outcome: Outcome) -> list:
        flow = self.flow
        if flow is None:
            return []
        if outcome.replace is not None:
            flow.prompts[flow.at] = outcome.replace
            return []
        if outcome.action == STAY:
            return []
        prompt = flow.prompt
        if outcome.action == NEXT:
            out = self._set(flow, prompt.field, outcome.value)
            out += prompt.finish() if isinstance(prompt, PacerPrompt) else []
            flow.at += 1
            if flow.at < len(flow.prompts):
                return out
            return out + self._finish_flow(skipped=False)
        kept = getattr(prompt, "skipped_value", None)
        out = self._set(flow, prompt.field, kept()) if kept is not None else []
        return out + self._finish_flow(skipped=True)

    def _set(self, flow: Flow, name: str, value) -> list:
        if not name or value is None or value == "" or value == ():
            return []
        setattr(flow.session, name, value)
        flow.session.touched = True
        return [] if flow.session.open else [JournalWrite(flow.session.record())]

    def _finish_flow(self, skipped: bool) -> list:
        flow, self.flow = self.flow, None
        if flow is None:
            return []
        self._quiet_until = self.now + QUIET_S
        out = flow.prompt.finish() if flow.at < len(flow.prompts) and isinstance(flow.prompt, PacerPrompt) else []
        if flow.kind == "checkout" and self.closing is flow.session:
            self.closing = None
        return out + list(flow.then)

    def _observe(self, ctx, out: list) -> list:
        """What the page did: notes played count, EndSession (the "done" action) ends."""
        s = self.clock.session
        kept = []
        for e in out:
            if isinstance(e, EndSession):
                kept += self._end(self.now, "done", ask=True)
                continue
            if isinstance(e, fx.PlayNote) and e.velocity > 0 and s is not None:
                s.notes_played += 1
                tracks = ctx.project.tracks
                if 0 <= e.track < len(tracks):
                    s.add("sounds", tracks[e.track].sample or "")
            kept.append(e)
        return kept

    # --- every tick -----------------------------------------------------------------------

    def update(self, ctx, status, now: float) -> list:
        if not self.enabled:
            return []
        self.now = max(self.now, now)
        out: list = []
        s = self.clock.session
        if s is not None:
            self._follow(ctx, status, s)
        ended = self.clock.tick(self.now, bool(status.playing), self.wall())
        if ended is not None:
            out += self._ended(ended, ask=True)
        flow = self.flow
        if flow is not None:
            if flow.expires is not None and self.now >= flow.expires:
                out += self._finish_flow(skipped=True)
            else:
                outcome, effects = flow.prompt.tick(self.now)
                out += effects
                if outcome is not None:
                    out += self._apply(outcome)
        return out + self._checkpoint()

    def _follow(self, ctx, status, s: Session) -> None:
        project = ctx.project
        s.add("projects", project.name)
        if status.playing:
            s.tempo(round(float(status.tempo_bpm), 2))
            if status.pattern and status.pattern not in s.patterns:
                s.add("patterns", status.pattern)
                pattern = project.pattern_at(status.pattern)
                for k, tp in enumerate(pattern.tracks[:len(project.tracks)]):
                    if any(step is not None and step.trig for step in tp.steps):
                        s.add("sounds", project.tracks[k].sample or "")

    def _checkpoint(self) -> list:
        s = self.clock.session
        if s is None or not s.kept:
            return []
        record = s.record()
        if record == self._written:
            return []
        moved = self._written is None or _fixed(record) != _fixed(self._written)
        if not moved and self.now - self._written_at < CHECKPOINT_S:
            return []
        self._written, self._written_at = record, self.now
        return [JournalWrite(record)]

    # --- starting and ending --------------------------------------------------------------

    def _offer_checkin(self, session: Session) -> None:
        o = self.options
        if not o.checkins or self.flow is not None or self.now < self._quiet_until:
            return
        prompts: list = [MoodPrompt("mood_before", "how do you feel?", "CHECK-IN")]
        if o.intentions:
            prompts.append(WordsPrompt(o.intentions))
        if o.pacer:
            prompts.append(PacerPrompt(o.pacer_minutes, o.pacer_tone))
        self.flow = Flow("checkin", prompts, session)

    def _end(self, t: float, reason: str, ask: bool) -> list:
        ended = self.clock.end(t, reason, self.wall())
        return self._ended(ended, ask) if ended is not None else []

    def _ended(self, session: Session, ask: bool) -> list:
        out = self._finish_flow(skipped=True) if self.flow is not None and self.flow.kind == "checkin" else []
        self._written = None
        if not session.kept:
            return out                  # switched on and left alone: nothing to keep
        out.append(JournalWrite(session.record()))
        if ask and self.options.checkins and self.flow is None:
            self.closing = session
            expires = self.now + CHECKOUT_WAIT_S if session.end_reason == "idle" else None
            prompts: list = [MoodPrompt("mood_after", "how do you feel now?", "CHECKOUT")]
            if self.options.tags:
                prompts.append(TagsPrompt(self.options.tags))
            prompts.append(WheelPrompt("note", "a note?", "CHECKOUT", NOTE_CHARS))
            self.flow = Flow("checkout", prompts, session, expires)
        return out

    def _power(self, ctx, ev, dispatch) -> list:
        """The power key held: with check-ins on, the check-out first and then the stop
        (one press skips it; POWER held again, or POWER_WAIT_S, stops at once)."""
        if self.flow is not None and self.flow.then:
            self.flow = None
            return dispatch(ev)
        s = self.clock.session
        if not self.options.checkins or s is None or not s.kept:
            return dispatch(ev)
        if self.flow is not None:
            self._finish_flow(skipped=True)
        out = self._end(self.now, "power", ask=True)
        if self.flow is None:
            return out + dispatch(ev)
        self.flow.then = [fx.Shutdown()]
        self.flow.expires = self.now + POWER_WAIT_S
        return out

    # --- the screen -----------------------------------------------------------------------

    def screen(self, now: float):
        """(title, view) of the prompt showing, or None."""
        if self.flow is None:
            return None
        prompt = self.flow.prompt
        if isinstance(prompt, PacerPrompt):
            prompt.begin(now)
        return prompt.title, prompt.view(now)


def _fixed(record: SessionRecord) -> SessionRecord:
    """A record without what changes all the time while playing (written every CHECKPOINT_S)."""
    return replace(record, seconds=0.0, notes_played=0, tempo_min=None, tempo_max=None)
