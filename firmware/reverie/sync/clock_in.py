"""MIDI clock in: a tempo and song-position follower (`ClockFollower`, pure: time-stamped
messages in, tempo, phase and transport events out) and the rtmidi input that feeds it
(`MidiClockInput`). docs/sync.md explains the estimator and its figures.

The tempo is the slope of a least-squares line through the arrival times of the recent
clocks against their clock count. A clock far off the line is held back: a gap of two to
four periods is one to three dropped clocks, three clocks in a row drifting further off on
one side are a tempo change (the line restarts from them), a lone one is jitter and stays
out of the fit.
"""
from __future__ import annotations

import time
from collections import deque
from typing import NamedTuple

from reverie.base.errors import UserError
from reverie.core.defs import SIZES

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
ARRIVAL_WINDOW_NS = 1_000_000_000       # the least callback delay is sought over 1 s
MAX_DELTA_S = 10.0                      # a longer delta time restarts the device clock
MAX_PENDING = 4096                      # messages queued between two polls (34 s at 300 BPM)


class Anchor(NamedTuple):
    clocks: int         # song position of the last clock played, in clocks (1/24 beat)
    ticks: int          # the same in sequencer ticks (57600 per beat)
    t_ns: float         # its time on the fitted line, monotonic ns


class _Line:
    """Least-squares line time = f(clock index) through the last `size` points."""

    def __init__(self, size: int):
        self.points: deque[tuple[int, int]] = deque(maxlen=size)
        self.period_ns: float | None = None
        self.residual_rms_ns = 0.0
        self._origin = (0, 0, 0.0, 0.0)   # first point (x0, t0) and the means relative to it

    def __len__(self) -> int:
        return len(self.points)

    def clear(self) -> None:
        self.points.clear()
        self.period_ns = None
        self.residual_rms_ns = 0.0

    def add(self, x: int, t_ns: int) -> None:
        self.points.append((x, t_ns))
        self._solve()

    def time_at(self, x: float) -> float:
        x0, t0, x_mean, t_mean = self._origin
        return t0 + t_mean + self.period_ns * (x - x0 - x_mean)

    def _solve(self) -> None:
        n = len(self.points)
        x0, t0 = self.points[0]
        sx = st = sxx = sxt = stt = 0.0
        for x, t in self.points:
            x, t = x - x0, t - t0       # small numbers: no float precision lost
            sx += x
            st += t
            sxx += x * x
            sxt += x * t
            stt += t * t
        sxx -= sx * sx / n              # centred sums
        sxt -= sx * st / n
        stt -= st * st / n
        if n < 2 or sxx <= 0 or sxt <= 0:
            self.period_ns = None
            return
        self.period_ns = sxt / sxx
        self._origin = (x0, t0, sx / n, st / n)
        if n > 2:
            self.residual_rms_ns = (max(0.0, stt - sxt * self.period_ns) / (n - 2)) ** 0.5


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
        self._line = _Line(window_clocks)
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


class ArrivalClock:
    """Arrival times freed of the delay before our callback ran. rtmidi passes each message
    with the time since the previous one, measured by the MIDI system (the ALSA sequencer's
    event time stamps; JACK's cycle time): summed, they give a device clock. The callback's
    own monotonic stamp is that time plus a delay (the GIL, the scheduler) that is never
    negative. The arrival time is the device clock plus the smallest stamp offset seen in
    the last `window_ns`."""

    def __init__(self, window_ns: int = ARRIVAL_WINDOW_NS):
        self.window_ns = window_ns
        self._device_ns: int | None = None
        self._offsets: deque[tuple[int, int]] = deque()   # (stamp, offset), offsets rising

    def arrival_ns(self, stamp_ns: int, delta_s: float) -> int:
        if self._device_ns is None or not 0.0 <= delta_s < MAX_DELTA_S:
            self._device_ns = stamp_ns       # first message, or a delta not to trust
            self._offsets.clear()
        else:
            self._device_ns += round(delta_s * 1e9)
        offset = stamp_ns - self._device_ns
        offsets = self._offsets
        while offsets and offsets[-1][1] >= offset:
            offsets.pop()
        offsets.append((stamp_ns, offset))
        while offsets[0][0] < stamp_ns - self.window_ns:
            offsets.popleft()
        return self._device_ns + offsets[0][1]


class MidiClockInput:
    """A MIDI input port feeding a `ClockFollower`. The rtmidi callback runs on rtmidi's
    thread (JACK's process thread with the JACK API): it only stamps the message with
    `clock_ns` and queues it; `poll()` on the control thread takes the delay out of the
    stamps (`ArrivalClock`) and feeds the follower.

    `api` is an rtmidi API constant (`rtmidi.API_LINUX_ALSA` on the box,
    `rtmidi.API_UNIX_JACK` with a JACK server). `port` picks the first input port whose
    name contains it (case-insensitive); `virtual_port` instead opens a port of that name
    for others to connect to. No message type is filtered out by rtmidi: every delta time
    then spans exactly the gap since the message before. `delta_times=False` takes the
    stamps as they are."""

    def __init__(self, follower: ClockFollower, api: int, port: str | None = None,
                 virtual_port: str | None = None, client_name: str = "reverie clock in",
                 delta_times: bool = True, max_pending: int = MAX_PENDING,
                 clock_ns=time.monotonic_ns):
        if (port is None) == (virtual_port is None):
            raise ValueError("give either port or virtual_port")
        self.follower = follower
        self.api = api
        self.port = port
        self.virtual_port = virtual_port
        self.client_name = client_name
        self.delta_times = delta_times
        self.max_pending = max_pending
        self.port_name: str | None = None
        self.overflows = 0
        self._clock_ns = clock_ns
        self._arrivals = ArrivalClock()
        self._pending: deque = deque()
        self._midi_in = None

    def open(self) -> MidiClockInput:
        """Opens the client and the port (a second call does nothing)."""
        if self._midi_in is not None:
            return self
        import rtmidi   # the backend library, only where it is used

        try:
            midi_in = rtmidi.MidiIn(self.api, name=self.client_name)
        except rtmidi.RtMidiError as exc:
            raise UserError(f"cannot open the MIDI system for clock input: {exc}") from exc
        try:
            midi_in.ignore_types(sysex=False, timing=False, active_sense=False)
            midi_in.set_callback(self.on_message)
            if self.virtual_port is not None:
                midi_in.open_virtual_port(self.virtual_port)
                self.port_name = self.virtual_port
            else:
                self.port_name = self._open_matching(midi_in)
        except rtmidi.RtMidiError as exc:
            midi_in.delete()
            raise UserError(f"cannot open the MIDI clock input port: {exc}") from exc
        except UserError:
            midi_in.delete()
            raise
        self._midi_in = midi_in
        return self

    def _open_matching(self, midi_in) -> str:
        names = midi_in.get_ports()
        for i, name in enumerate(names):
            if self.port.lower() in name.lower():
                midi_in.open_port(i)
                return name
        raise UserError(f"no MIDI input port name contains {self.port!r} "
                        f"(ports: {', '.join(names) or 'none'}); check the clock source")

    def on_message(self, event, _data=None) -> None:
        """rtmidi's callback: `event` is (message bytes, seconds since the previous one)."""
        stamp_ns = self._clock_ns()
        if len(self._pending) >= self.max_pending:
            self.overflows += 1
            return
        self._pending.append((stamp_ns, event))

    def poll(self, now_ns: int | None = None) -> list[tuple]:
        """Feeds the queued messages to the follower and checks its timeout; returns the
        transport events."""
        events = []
        while self._pending:
            stamp_ns, (message, delta_s) = self._pending.popleft()
            if self.delta_times:
                stamp_ns = self._arrivals.arrival_ns(stamp_ns, delta_s)
            events += self.follower.feed_message(message, stamp_ns)
        self.follower.check(self._clock_ns() if now_ns is None else now_ns)
        return events

    @property
    def is_open(self) -> bool:
        return self._midi_in is not None

    def close(self) -> None:
        """Stops the callback, closes the port and the client. Safe to call more than once."""
        midi_in, self._midi_in = self._midi_in, None
        if midi_in is None:
            return
        midi_in.cancel_callback()
        midi_in.close_port()
        midi_in.delete()

    def __enter__(self) -> MidiClockInput:
        return self.open()

    def __exit__(self, *exc) -> None:
        self.close()
