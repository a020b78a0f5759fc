"""Audio recovery benchmark (`reverie bench audio-recovery`): how long the box is silent after
its audio device comes back, and how well the engine's clock holds through the gap.

The box's own audio path (the supervisor, Reverie's JACK client, the fallback clock) plays on
a JACK dummy server, which is stopped and started again `cycles` times. Figures: the time
from asking jackd to stop to the supervisor playing on the fallback clock (`detect`); from launching jackd again to
the engine rendering through it (`back_after_launch`), beside the time jackd itself takes
until `jack_wait` sees it (`server_ready_after_launch`): the difference is what the
supervisor adds (its retry interval is 1 s); and how far the engine's frame count strayed
from the wall clock over the whole run (the fallback clock runs the engine at real-time
pace while the server is away).
"""
from __future__ import annotations

import threading
import time

import numpy as np

from reverie.base.errors import UserError

SAMPLE_RATE_HZ = 48000
PERIOD_FRAMES = 256
AWAY_S = 0.5                        # how long the server stays stopped in each cycle
TIMEOUT_S = 10.0


def _wait(condition, what: str, timeout_s: float = TIMEOUT_S) -> None:
    """Until `condition()` holds (polled every 1 ms); UserError naming `what` on timeout."""
    deadline = time.monotonic() + timeout_s
    while not condition():
        if time.monotonic() > deadline:
            raise UserError(f"{what} did not happen within {timeout_s:g} s")
        time.sleep(0.001)


class _BackWatcher(threading.Thread):
    """Notes the first moment the supervisor plays through a device again."""

    def __init__(self, supervisor):
        super().__init__(name="bench-back-watcher", daemon=True)
        self.supervisor = supervisor
        self.back_at: float | None = None
        self.start()

    def run(self) -> None:
        deadline = time.monotonic() + TIMEOUT_S
        while self.supervisor.health().silent and time.monotonic() < deadline:
            time.sleep(0.001)
        if not self.supervisor.health().silent:
            self.back_at = time.monotonic()

    def result(self) -> float:
        self.join()
        if self.back_at is None:
            raise UserError(f"the audio did not come back within {TIMEOUT_S:g} s")
        return self.back_at


def run_audio_recovery_bench(cycles: int = 5) -> dict:
    from reverie.hal.audio.jackd import JackServer
    from reverie.hal.audio.output import AudioSettings
    from reverie.hal.audio.supervisor import AudioSupervisor
    from reverie.sound.buses import make_engine

    if cycles < 1:
        raise UserError(f"the bench needs at least one cycle, not {cycles}")
    engine = make_engine(SAMPLE_RATE_HZ)
    detect_s, ready_s, recovery_s = [], [], []
    with JackServer(SAMPLE_RATE_HZ, PERIOD_FRAMES) as server:
        settings = AudioSettings(device="jack", jack_server=server.name,
                                 jack_client=server.client_name("box"), period_frames=PERIOD_FRAMES)
        supervisor = AudioSupervisor(engine, settings).start()
        try:
            _wait(lambda: engine.frame > 0, "the first audio callback")
            frame0, t0 = engine.frame, time.monotonic()
            for _ in range(cycles):
                stopping = time.monotonic()
                server.stop()                       # SIGTERM, then waits for jackd to exit
                _wait(lambda: supervisor.health().silent, "noticing the stopped server")
                detect_s.append(time.monotonic() - stopping)
                time.sleep(AWAY_S)
                launched = time.monotonic()
                watcher = _BackWatcher(supervisor)  # the box may be back before jack_wait says
                server.start()                      # the server is: this returns after it does
                ready_s.append(time.monotonic() - launched)
                recovery_s.append(watcher.result() - launched)
                time.sleep(0.2)
            played_s = (engine.frame - frame0) / SAMPLE_RATE_HZ
            wall_s = time.monotonic() - t0
            health = supervisor.health()
        finally:
            supervisor.close()
    detect_ms, ready_ms, back_ms = (np.array(x) * 1e3 for x in (detect_s, ready_s, recovery_s))
    return {
        "cycles": cycles,
        "server_away_s": AWAY_S,
        "detect_median_ms": round(float(np.median(detect_ms)), 1),
        "detect_max_ms": round(float(detect_ms.max()), 1),
        "server_ready_after_launch_median_ms": round(float(np.median(ready_ms)), 1),
        "back_after_launch_median_ms": round(float(np.median(back_ms)), 1),
        "back_after_launch_max_ms": round(float(back_ms.max()), 1),
        "back_after_ready_max_ms": round(float(max(0.0, (back_ms - ready_ms).max())), 1),
        "goal_back_after_ready_max_ms": 3000,
        "engine_vs_wall_clock_ms": round((played_s - wall_s) * 1e3, 1),
        "losses_counted": health.losses,
        "fallback_frames": health.fallback_frames,
    }
