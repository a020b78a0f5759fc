"""The sample clock in monotonic time: which `time.monotonic_ns()` an engine frame is heard at.

The engine's `clock_anchor()` gives (frame, monotonic ns) at the start of its last audio
callback. Callbacks start late by a varying amount (scheduling, other clients), so a single
anchor is off by up to a millisecond or more. `FrameClock` filters the anchors with a
second-order delay-locked loop, the filter JACK uses for its own frame timer (F. Adriaensen,
"Using a DLL to filter time", 2005): each anchor's error against the prediction pulls the
phase by `b * e` and the period by `c * e`, with `b = sqrt(2) * w`, `c = w**2` and
`w = 2 pi B dt` for a loop bandwidth B. At B = 1 Hz the estimate keeps a small fraction
of the callbacks' jitter and follows a drifting sample rate without a lasting error.
Anchors may arrive at any interval: the loop's constants follow the frames between them.

The loop starts wide (ACQUIRE_BANDWIDTH_HZ) and narrows to its bandwidth over ACQUIRE_S,
so that it locks in a second or two. A lone anchor far off the prediction is left out;
several in a row on the same side are a step (the server skipped a cycle): the phase jumps
to them and the period is kept.
"""
from __future__ import annotations

import math
import threading

ACQUIRE_BANDWIDTH_HZ = 10.0
ACQUIRE_S = 2.0
MAX_LOOP_GAIN = 0.5             # w per update at most: a long gap does not overshoot
OUTLIER_MIN_NS = 2_000_000      # an anchor this far off the prediction is an outlier ...
OUTLIER_PERIODS = 0.75          # ... or this many periods, whichever is more
STEP_OUTLIERS = 3               # outliers in a row on one side: a step, not jitter
RESTART_S = 5.0                 # anchors this far apart or off: start again


class FrameClock:
    """Maps engine frames to `time.monotonic_ns()`. Feed it `update(frame, t_ns)` with the
    engine's anchors (from one thread); read `time_of()` from any thread.

    `latency_frames` (default: one period) is the constant output latency: a frame rendered
    in one callback is heard one period later, so `time_of(frame)` is the anchor line's time
    for `frame + latency_frames`."""

    def __init__(self, sample_rate_hz: float, period_frames: int,
                 latency_frames: int | None = None, bandwidth_hz: float = 1.0):
        if sample_rate_hz <= 0 or period_frames <= 0 or bandwidth_hz <= 0:
            raise ValueError("the sample rate, period and bandwidth must be positive")
        self.sample_rate_hz = float(sample_rate_hz)
        self.period_frames = int(period_frames)
        self.latency_frames = self.period_frames if latency_frames is None else int(latency_frames)
        self.bandwidth_hz = float(bandwidth_hz)
        self._outlier_ns = max(OUTLIER_MIN_NS, OUTLIER_PERIODS * 1e9 * period_frames / sample_rate_hz)
        self._lock = threading.Lock()   # update() against reset(); readers need no lock
        self.reset()

    def set_period(self, period_frames: int, latency_frames: int) -> None:
        """The device runs at another period than the one given (a JACK server's own): the
        output latency and the outlier bound follow it; the anchor line stays."""
        if period_frames <= 0:
            raise ValueError("the period must be positive")
        with self._lock:
            self.period_frames = int(period_frames)
            self.latency_frames = int(latency_frames)
            self._outlier_ns = max(OUTLIER_MIN_NS, OUTLIER_PERIODS * 1e9 * period_frames / self.sample_rate_hz)

    def reset(self) -> None:
        """Forgets every anchor (the engine restarted its frame count)."""
        with self._lock:
            self._line: tuple[int, float, float] | None = None  # (frame, t_ns, ns per frame)
            self._first_ns = 0
            self._outliers = 0                  # in a row, signed by their side
            self.updates = 0
            self.outliers = 0
            self.steps = 0
            self.restarts = 0
            self.last_error_ns = 0.0

    @property
    def ready(self) -> bool:
        return self._line is not None

    @property
    def sample_rate_estimate_hz(self) -> float:
        """The sample rate measured in monotonic time (nominal until the first anchors)."""
        line = self._line
        return self.sample_rate_hz if line is None else 1e9 / line[2]

    def update(self, frame: int, t_ns: int) -> None:
        """Takes one anchor: the engine's callback for `frame` started at `t_ns`."""
        with self._lock:
            self._update(int(frame), int(t_ns))

    def _update(self, frame: int, t_ns: int) -> None:
        line = self._line
        if line is None:
            self._start(frame, t_ns, 1e9 / self.sample_rate_hz)
            return
        f0, t0, ns_per_frame = line
        frames = frame - f0
        if frames == 0:
            return                              # the same callback again
        predicted = t0 + frames * ns_per_frame
        error = t_ns - predicted
        if frames < 0 or max(frames * ns_per_frame, abs(error)) > RESTART_S * 1e9:
            # The engine counts from zero again, or its stream stood still for a while.
            self.restarts += 1
            self._start(frame, t_ns, ns_per_frame if frames > 0 else 1e9 / self.sample_rate_hz)
            return
        self.updates += 1
        self.last_error_ns = error
        if abs(error) > self._outlier_ns:
            self.outliers += 1
            side = 1 if error > 0 else -1
            self._outliers = self._outliers + side if self._outliers * side > 0 else side
            if abs(self._outliers) >= STEP_OUTLIERS:
                self.steps += 1
                self._outliers = 0
                self._line = (frame, float(t_ns), ns_per_frame)
            return
        self._outliers = 0
        w = min(MAX_LOOP_GAIN, 2 * math.pi * self._bandwidth(t_ns) * frames / self.sample_rate_hz)
        self._line = (frame, predicted + math.sqrt(2) * w * error,
                      ns_per_frame + w * w * error / frames)

    def _start(self, frame: int, t_ns: int, ns_per_frame: float) -> None:
        self._line = (frame, float(t_ns), ns_per_frame)
        self._first_ns = t_ns
        self._outliers = 0

    def _bandwidth(self, t_ns: int) -> float:
        """ACQUIRE_BANDWIDTH_HZ at the first anchor, down to the loop's bandwidth (geometric)
        over ACQUIRE_S."""
        progress = min(1.0, (t_ns - self._first_ns) / (ACQUIRE_S * 1e9))
        wide = max(ACQUIRE_BANDWIDTH_HZ, self.bandwidth_hz)
        return wide * (self.bandwidth_hz / wide) ** progress

    def sample_time_of(self, frame: float) -> float:
        """Monotonic ns at which the engine's callback reaches `frame` (no latency)."""
        line = self._line
        if line is None:
            raise RuntimeError("the frame clock has no anchor yet")
        f0, t0, ns_per_frame = line
        return t0 + (frame - f0) * ns_per_frame

    def time_of(self, frame: int) -> int:
        """Monotonic ns at which `frame` is heard: its sample time plus the output latency."""
        return round(self.sample_time_of(frame + self.latency_frames))

    def frame_at(self, t_ns: int) -> float:
        """The engine frame whose sample time is `t_ns` (the inverse of `sample_time_of`)."""
        line = self._line
        if line is None:
            raise RuntimeError("the frame clock has no anchor yet")
        f0, t0, ns_per_frame = line
        return f0 + (t_ns - t0) / ns_per_frame

    def stats(self) -> dict:
        return {"updates": self.updates, "outliers": self.outliers, "steps": self.steps,
                "restarts": self.restarts, "last_error_us": round(self.last_error_ns / 1e3, 1),
                "sample_rate_estimate_hz": round(self.sample_rate_estimate_hz, 3)}
