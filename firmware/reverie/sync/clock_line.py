"""The least-squares line the MIDI clock follower fits (sync.clock_follower): arrival time
against clock count through the most recent clocks. Its slope is the clock period; its value
at a clock count is that clock's time with the jitter averaged out."""
from __future__ import annotations

from collections import deque


class ClockLine:
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
