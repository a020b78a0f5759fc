"""The UI's Status from the engine's telemetry and the other subsystems, read on the control
thread without locking anything the audio thread uses."""
from __future__ import annotations

from dataclasses import replace
from pathlib import Path

from reverie.core.defs import SIZES
from reverie.project.pattern import pattern_name
from reverie.ui.status import Status

TRACKS = SIZES["MAX_TRACKS"]


class StatusReader:
    """Keeps the DSP load as the peak over the last second of callbacks, so a short overload
    is seen on the system page rather than lost between two reads."""

    def __init__(self, engine, hold_s: float = 1.0):
        self.engine = engine
        self.hold_s = hold_s
        self._peak_load = 0.0
        self._peak_at = 0.0

    def read(self, now: float, base: Status) -> Status:
        e = self.engine
        seq = e.seq_state()
        stats = e.stats()
        load = stats["callback_last_ns"] / stats["period_ns"] if stats["period_ns"] else 0.0
        if load >= self._peak_load or now - self._peak_at > self.hold_s:
            self._peak_load, self._peak_at = load, now
        playing = seq["playing"]
        queued = seq["queued"]
        return replace(
            base,
            playing=playing,
            tempo_bpm=seq["tempo_bpm"],
            pattern=pattern_name(seq["pattern"]) if 0 <= seq["pattern"] < 256 else base.pattern,
            queued=pattern_name(queued) if 0 <= queued < 256 else "",
            steps=tuple(seq["steps"]) if playing else (-1,) * TRACKS,
            song_row=seq["row"] if seq["arranging"] else -1,
            voices=stats["voices"],
            dsp_load=round(self._peak_load, 3),
            xruns=stats["xruns"],
            meters=tuple(round(e.track_peak(k), 3) for k in range(TRACKS)),
        )


def period_in_use(engine, configured: int) -> int:
    """The frames of the engine's last audio callback: the period the audio really runs at.
    On JACK that is the server's, whatever `[audio] period_frames` says; `configured` until
    the first callback (and for an engine rendered offline)."""
    ns = engine.stats()["period_ns"]
    return round(ns * engine.sample_rate / 1e9) if ns else configured


def ip_address(fib_trie: Path = Path("/proc/net/fib_trie")) -> str:
    """The box's first non-loopback IPv4 address, read from the kernel's routing table
    without opening a socket; "" when there is none."""
    try:
        lines = fib_trie.read_text().splitlines()
    except OSError:
        return ""
    for i, line in enumerate(lines[1:], 1):
        if "/32 host LOCAL" in line:
            addr = lines[i - 1].split()[-1]
            if not addr.startswith("127."):
                return addr
    return ""
