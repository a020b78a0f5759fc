"""The MIDI clock follower: tempo, phase and song position from time-stamped clock
messages (pure: messages and their arrival times in; tempo, phase and transport events
out). The MIDI input that feeds it is reverie.hal.midi.clock_in; docs/sync.md explains the
estimator and its figures.

The tempo is the slope of a least-squares line through the arrival times of the recent
clocks against their clock count. A clock far off the line is held back: a gap of two to
four periods is one to three dropped clocks, three clocks in a row drifting further off on
one side are a tempo change (the line restarts from them), a lone one is jitter and stays
out of the fit.
"""
from __future__ import annotations

from typing import NamedTuple

from reverie.core.defs import SIZES
from reverie.sync.clock_line import ClockLine

CLOCK, START, CONTINUE, STOP, SONG_POSITION = 0xF8, 0xFA, 0xFB, 0xFC, 0xF2
CLOCKS_PER_BEAT = 24                    # MIDI clock: 24 ppqn
CLOCKS_PER_16TH = 6                     # a song-position unit
TICKS_PER_CLOCK = SIZES["CLOCK_TICKS"]  # sequencer ticks per MIDI clock (docs/sequencer.md)
SONG_POSITION_MAX = 0x3FFF              # 14 bits, in 16ths
MIN_BPM, MAX_BPM = float(SIZES["TEMPO_MIN_BPM"]), float(SIZES["TEMPO_MAX_BPM"])

WINDOW_CLOCKS = 48                      # the fit spans up to 2 beats
LOCK_CLOCKS = 12                        # half a beat of consistent clocks: locked
TIMEOUT_NS = 500_000_000                # no clock for 0.5 s: unlocked
TEST_CLOCKS = 6                         # a line of fewer clocks takes any clock
OFF_LINE_MIN_NS = 4_000_000             # off the line by more than the largest of 4 ms,
OFF_LINE_PERIODS = 0.25                 # a quarter of a clock period and
OFF_LINE_SIGMAS = 4.0                   # 4x the fit's residual RMS: an outlier
MAX_GAP_CLOCKS = 4                      # a gap of up to 4 periods: up to 3 clocks dropped
CHANGE_CLOCKS = 3                       # outliers drifting away in a row: a tempo change
RESTART_CLOCKS = 4                      # a restarted line sets the tempo from 4 clocks
CHANGE_ANY_SIDE = 6                     # outliers in a row, however: restart the line


class Anchor(NamedTuple):
    clocks: int         # song position of the last clock played, in clocks (1/24 beat)
    ticks: int          # the same in sequencer ticks (57600 per beat)
    t_ns: float         # its time on the fitted line, monotonic ns


class ClockFollower:
    """Follows an external MIDI clock. Feed it messages stamped with a monotonic clock on
    arrival (`feed`, `feed_message`) and call `check(now_ns)` now and then for the timeout.
    Transport events come back from each call (and go to `on_event` if given):
    ("start", t_ns), ("stop", t_ns), ("continue", t_ns, position_16ths),
    ("position", position_16ths). Positions are song positions: the first clock after a
    start is position 0, each clock is 1/24 beat."""

    def __init__(self, on_event=None, window_clocks: int = WINDOW_CLOCKS,
                 lock_clocks: int = LOCK_CLOCKS, timeout_ns: int = TIMEOUT_NS):
        if not 3 <= lock_clocks <= window_clocks:
            raise ValueError("need 3 <= lock_clocks <= window_clocks")
        self.on_event = on_event
        self.lock_clocks = lock_clocks
        self.timeout_ns = timeout_ns
        self._line = ClockLine(window_clocks)
        self._index = 0                 # clocks counted since the line began, dropped ones too
        self._suspects: list[list] = []  # [index, t_ns, steps, drift, counted] off the line
        self._last_raw_ns: int | None = None
        self._tempo_bpm: float | None = None
        self.locked = False
        self.running = False
        self.song_position_clocks = 0   # where the next clock plays
        self._last_position: int | None = None  # where the last clock played, while running
        self._last_position_index = 0
        self.stats = dict(clocks=0, dropped_clocks=0, outliers=0, tempo_changes=0,
                          timeouts=0, bad_input=0, ignored=0)

    # --- what the app reads --------------------------------------------------------------

    @property
    def tempo_bpm(self) -> float | None:
        """The tempo in BPM (20..300), or None before two clocks. Kept after a timeout."""
        return self._tempo_bpm

    @property
    def period_ns(self) -> float | None:
        """The estimated time between two clocks."""
        return self._line.period_ns

    @property
    def last_clock_ns(self) -> int | None:
        """Arrival time of the last clock, as stamped."""
        return self._last_raw_ns

    def anchor(self) -> Anchor | None:
        """The last clock played: its song position and its time on the fitted line (less
        jitter than its stamp), the phase to align to. None while stopped, before the first
        clock after a start, a continue or a song position, and while there is no line."""
        if self._last_position is None or self._line.period_ns is None or not self.running:
            return None
        return Anchor(self._last_position, self._last_position * TICKS_PER_CLOCK,
                      self._line.time_at(self._last_position_index))

    def ticks_at(self, t_ns: int) -> float | None:
        """The song position at monotonic time `t_ns` in ticks (57600 per beat),
        extrapolated from the anchor at the followed tempo; None without an anchor."""
        anchor = self.anchor()
        if anchor is None:
            return None
        return anchor.ticks + (t_ns - anchor.t_ns) / self._line.period_ns * TICKS_PER_CLOCK

    def next_clock_ns(self) -> float | None:
        """When the next clock is due on the fitted line (after a start: the downbeat)."""
        if self._line.period_ns is None:
            return None
        return self._line.time_at(self._index + 1)

    # --- input ---------------------------------------------------------------------------

    def feed_message(self, message, t_ns: int) -> list[tuple]:
        """A raw MIDI message (bytes or a list of ints) stamped `t_ns`. Messages other than
        clock, start, continue, stop and song position are ignored and counted; malformed
        ones are counted as bad input."""
        try:
            data = bytes(message)
        except (TypeError, ValueError):
            return self._bad()
        if not data or data[0] < 0x80:
            return self._bad()
        status = data[0]
        if status in (CLOCK, START, CONTINUE, STOP):
            return self.feed(status, t_ns) if len(data) == 1 else self._bad()
        if status == SONG_POSITION:
            if len(data) != 3 or max(data[1], data[2]) > 0x7F:
                return self._bad()
            return self.feed(status, t_ns, data[1] | data[2] << 7)
        self.stats["ignored"] += 1
        return []

    def feed(self, kind: int, t_ns: int, value: int = 0) -> list[tuple]:
        """One message: `kind` is its status byte; `value` the song position in 16ths."""
        if kind == CLOCK:
            return self._clock(t_ns)
        if kind == START:
            self.song_position_clocks = 0
            return self._play(("start", t_ns))
        if kind == CONTINUE:
            return self._play(("continue", t_ns, self.song_position_clocks / CLOCKS_PER_16TH))
        if kind == STOP:
            self.running = False
            return self._emit(("stop", t_ns))
        if kind == SONG_POSITION:
            if not isinstance(value, int) or not 0 <= value <= SONG_POSITION_MAX:
                return self._bad()
            self.song_position_clocks = value * CLOCKS_PER_16TH
            self._forget_position()
            return self._emit(("position", value))
        return self._bad()

    def check(self, now_ns: int) -> None:
        """Unlocks (and forgets the line, not the tempo) when no clock came for the timeout."""
        if self._last_raw_ns is not None and now_ns - self._last_raw_ns > self.timeout_ns:
            self._lose_lock()

    # --- inside --------------------------------------------------------------------------

    def _bad(self) -> list:
        self.stats["bad_input"] += 1
        return []

    def _emit(self, event: tuple) -> list[tuple]:
        if self.on_event is not None:
            self.on_event(event)
        return [event]

    def _play(self, event: tuple) -> list[tuple]:
        self.running = True
        self._forget_position()
        return self._emit(event)

    def _forget_position(self) -> None:
        """The next clock plays at song_position_clocks: the last one no longer anchors."""
        self._last_position = None
        for suspect in self._suspects:
            suspect[4] = False

    def _lose_lock(self) -> None:
        if self.locked or len(self._line):
            self.stats["timeouts"] += 1
        self.locked = False
        self._line.clear()
        self._suspects.clear()

    def _clock(self, t_ns: int) -> list:
        if self._last_raw_ns is not None:
            if t_ns < self._last_raw_ns:
                return self._bad()
            if t_ns - self._last_raw_ns > self.timeout_ns:
                self._lose_lock()
        self.stats["clocks"] += 1
        steps = self._place(t_ns)
        self._last_raw_ns = t_ns
        if self.running:
            self._last_position = self.song_position_clocks + steps - 1
            self._last_position_index = self._index
            self.song_position_clocks = self._last_position + 1
        period = self._line.period_ns
        if period is not None and (not self.locked or len(self._line) >= RESTART_CLOCKS):
            bpm = 60e9 / (CLOCKS_PER_BEAT * period)
            self._tempo_bpm = min(MAX_BPM, max(MIN_BPM, bpm))
            if len(self._line) >= self.lock_clocks:
                self.locked = True
        return []

    def _place(self, t_ns: int) -> int:
        """Puts a clock on the line; returns how many clocks it counts for (more after a gap)."""
        line = self._line
        if len(line) < TEST_CLOCKS or line.period_ns is None:
            self._accept(t_ns)
            return 1
        period = line.period_ns
        off = t_ns - line.time_at(self._index + 1)
        tolerance = max(OFF_LINE_MIN_NS, OFF_LINE_PERIODS * period,
                        OFF_LINE_SIGMAS * line.residual_rms_ns)
        if abs(off) <= tolerance:
            self._accept(t_ns)
            return 1
        steps = round(off / period) + 1
        if self._suspects or not 2 <= steps <= MAX_GAP_CLOCKS or \
                abs(off - (steps - 1) * period) > tolerance:
            steps = 1
        self._index += steps
        # Off the line as if no clock was dropped since the last one on it.
        drift = t_ns - line.time_at(line.points[-1][0] + len(self._suspects) + 1)
        self._suspects.append([self._index, t_ns, steps, drift, self.running])
        if steps > 1:
            self.stats["dropped_clocks"] += steps - 1
        else:
            self.stats["outliers"] += 1
        if self._tempo_changed() or len(self._suspects) >= CHANGE_ANY_SIDE:
            self._restart_line()
        return steps

    def _tempo_changed(self) -> bool:
        """The last suspects drift away from the line on one side, further each clock (a
        burst of clocks stamped late comes back towards it instead)."""
        drifts = [s[3] for s in self._suspects[-CHANGE_CLOCKS:]]
        if len(drifts) < CHANGE_CLOCKS:
            return False
        sign = 1 if drifts[0] > 0 else -1
        return all(sign * a > 0 and sign * b >= sign * a for a, b in zip(drifts, drifts[1:]))

    def _accept(self, t_ns: int) -> None:
        """A clock on the line: a gap held back is confirmed, lone outliers stay out."""
        for index, t, steps, _, _ in self._suspects:
            if steps > 1:
                self._line.add(index, t)
        self._suspects.clear()
        self._index += 1
        self._line.add(self._index, t_ns)

    def _restart_line(self) -> None:
        """A tempo change: the line restarts from the suspects, one clock each (a gap taken
        for dropped clocks was the first longer period). The clock before them stays out:
        when the jump was in phase, not in tempo, it would bend the new line."""
        suspects, self._suspects = self._suspects, []
        x = self._line.points[-1][0]
        self._line.clear()
        for _, t_ns, steps, _, counted in suspects:
            if steps > 1:
                self.stats["dropped_clocks"] -= steps - 1
                self.stats["outliers"] += 1
                if counted and self._last_position is not None:
                    self.song_position_clocks -= steps - 1
                    self._last_position -= steps - 1
            x += 1
            self._line.add(x, t_ns)
        self._index = x
        self._last_position_index = x
        self.stats["tempo_changes"] += 1
