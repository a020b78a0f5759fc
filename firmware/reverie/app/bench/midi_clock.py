"""MIDI clock out benchmark (`reverie bench midi-clock`): how close to the sample clock the
clock messages leave and arrive.

A JACK dummy server runs the clock source: the engine's sequencer through the real audio
backend when the engine has one (`poll_midi`), otherwise `SyntheticClock`, which makes the
same events at the same exact frames. `MidiScheduler` sends them to two ports on the
server: rtmidi's JACK output (what the app uses) and the frame-accurate JACK output of
tools/jack_midi_clock.c. A receiver in another process (this file run as a module) stamps
what arrives: `time.monotonic_ns()` in an rtmidi input callback, and JACK frames
(cycle start + event offset) on plain JACK MIDI inputs.

Figures: (a) the send-time error of each clock against its ideal time, when the port's
send() is called: against the scheduler's own sample-clock estimate, and against a line
fitted afterwards through every anchor of the run; (b) the intervals the receiver sees
from rtmidi's output (which JACK delivers at the start of a period); (c) the intervals it
sees from the frame-accurate output.
"""
from __future__ import annotations

import json
import os
import subprocess
import sys
import threading
import time
from pathlib import Path

import numpy as np

from reverie.base.errors import UserError

SAMPLE_RATE_HZ = 48000
PPQN = 24                           # MIDI clock: 24 per quarter note
CLOCK, START = 0xF8, 0xFA
WARMUP_S = 3.0                      # the frame clock narrows to 1 Hz over its first 2 s
RECEIVER_TIMEOUT_S = 15.0
BAR_SIGMA_US, BAR_MAX_US = 100.0, 1000.0


def clock_frame(k: int, sample_rate_hz: int, bpm: float) -> int:
    """Frame of clock k after the start: ceil(k * sr * 60 / (bpm * 24)), in exact integers
    (the tempo in thousandths of a BPM, as the sequencer holds it)."""
    millibpm = round(bpm * 1000)
    return -(-k * sample_rate_hz * 60_000 // (millibpm * PPQN))


class SyntheticClock:
    """Stands in for the engine's sequencer: `poll_midi()` gives a START and then a clock at
    the exact frame of each 24 ppqn tick, for the frames rendered so far; `clock_anchor()`
    is `anchors()`, (frame, monotonic ns) at the start of the last period."""

    def __init__(self, anchors, period_frames: int, bpm: float = 120.0,
                 sample_rate_hz: int = SAMPLE_RATE_HZ, port: int = 255):
        self.anchors = anchors
        self.period_frames = period_frames
        self.bpm = bpm
        self.sample_rate_hz = sample_rate_hz
        self.port = port
        self.start_frame: int | None = None
        self._next_tick = 0

    def clock_anchor(self):
        return self.anchors()

    def poll_midi(self) -> list[tuple[int, int, bytes]]:
        anchor = self.anchors()
        if anchor is None:
            return []
        rendered_end = anchor[0] + self.period_frames   # the last callback rendered this far
        events = []
        if self.start_frame is None:
            self.start_frame = rendered_end
            events.append((self.start_frame, self.port, bytes([START])))
        while True:
            frame = self.start_frame + clock_frame(self._next_tick, self.sample_rate_hz, self.bpm)
            if frame >= rendered_end:
                return events
            events.append((frame, self.port, bytes([CLOCK])))
            self._next_tick += 1


class WallAnchors:
    """Anchors of an imaginary audio callback that starts every period on the monotonic
    clock, late by `jitter_ns` at most (uniform): a synthetic anchor source."""

    def __init__(self, period_frames: int, sample_rate_hz: int = SAMPLE_RATE_HZ,
                 jitter_ns: int = 0, seed: int = 0):
        self.period_frames = period_frames
        self.sample_rate_hz = sample_rate_hz
        self.jitter_ns = jitter_ns
        self.t0_ns = time.monotonic_ns()
        self._rng = np.random.default_rng(seed)
        self._last = None

    def __call__(self) -> tuple[int, int]:
        elapsed = time.monotonic_ns() - self.t0_ns
        periods = elapsed * self.sample_rate_hz // (1_000_000_000 * self.period_frames)
        frame = periods * self.period_frames
        if self._last is None or self._last[0] != frame:
            late = int(self._rng.integers(0, self.jitter_ns + 1))
            self._last = (frame, self.t0_ns + frame * 1_000_000_000 // self.sample_rate_hz + late)
        return self._last


class AnchorLog:
    """Wraps an anchor source and keeps every new anchor, for the fit afterwards."""

    def __init__(self, source):
        self.source = source
        self.anchors: list[tuple[int, int]] = []

    def __call__(self):
        anchor = self.source()
        if anchor is not None and (not self.anchors or anchor != self.anchors[-1]):
            self.anchors.append(tuple(anchor))
        return anchor


# --- the receiver, in its own process --------------------------------------------------------

class Receiver:
    """`python -m reverie.app.bench.midi_clock receive ...` in a subprocess; `sources` are the
    JACK output ports to listen to: the first also feeds its rtmidi input."""

    def __init__(self, server, sources: list[str]):
        env = dict(os.environ, JACK_DEFAULT_SERVER=server.name,
                   PYTHONPATH=os.pathsep.join([str(Path(__file__).resolve().parents[3]),
                                               os.environ.get("PYTHONPATH", "")]))
        self.proc = subprocess.Popen(
            [sys.executable, "-m", "reverie.app.bench.midi_clock", "receive", server.name,
             server.client_name("rx"), *sources],
            stdin=subprocess.PIPE, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True,
            env=env)
        line = _readline(self.proc, RECEIVER_TIMEOUT_S)
        if line.strip() != "ready":
            self.kill()
            raise RuntimeError(f"the MIDI receiver did not start: {line!r} "
                               f"{self.proc.stderr.read()[-500:]}")

    def result(self) -> dict:
        out, err = self.proc.communicate("stop\n", timeout=RECEIVER_TIMEOUT_S)
        if self.proc.returncode != 0 or not out.strip():
            raise RuntimeError(f"the MIDI receiver failed (exit {self.proc.returncode}): {err[-500:]}")
        return json.loads(out.strip().splitlines()[-1])

    def kill(self) -> None:
        if self.proc.poll() is None:
            self.proc.kill()
            self.proc.communicate()


def _readline(proc, timeout_s: float) -> str:
    box = []
    reader = threading.Thread(target=lambda: box.append(proc.stdout.readline()), daemon=True)
    reader.start()
    reader.join(timeout_s)
    return box[0] if box else ""


def receive(server_name: str, client_prefix: str, sources: list[str]) -> None:
    """The receiver: stamps clocks from `sources` until a line arrives on stdin, then prints
    one JSON line: {"rtmidi_ns": [...], "frames": [[...] per source], "xruns": n}."""
    import jack

    from reverie.hal.midi.ports import open_virtual_input

    rtmidi_ns: list[int] = []
    frames: list[list[int]] = [[] for _ in sources]
    xruns = [0]

    def on_message(data: bytes, t_ns: int) -> None:
        if data[0] == CLOCK:
            rtmidi_ns.append(t_ns)

    rt_in = open_virtual_input(on_message, "in", api="jack", client_name=f"{client_prefix}-rtmidi")
    client = jack.Client(f"{client_prefix}-frames", servername=server_name, no_start_server=True)
    inputs = [client.midi_inports.register(f"in_{k}") for k in range(len(sources))]

    @client.set_process_callback
    def process(_frames):
        start = client.last_frame_time
        for port, stamps in zip(inputs, frames):
            for offset, data in port.incoming_midi_events():
                if bytes(data)[:1] == bytes([CLOCK]):
                    stamps.append(start + offset)

    @client.set_xrun_callback
    def xrun(_delay_us):
        xruns[0] += 1

    with client:
        client.connect(sources[0], rt_in.name)
        for source, port in zip(sources, inputs):
            client.connect(source, port)
        print("ready", flush=True)
        sys.stdin.readline()
    rt_in.close()
    print(json.dumps({"rtmidi_ns": rtmidi_ns, "frames": frames, "xruns": xruns[0]}), flush=True)


# --- the bench -------------------------------------------------------------------------------

def engine_has_sequencer() -> bool:
    from reverie.core.engine import Engine
    return all(hasattr(Engine, m) for m in ("poll_midi", "clock_anchor", "seq_clock_out"))


def run_midi_clock_bench(seconds: float = 60.0, period: int = 128, bpm: float = 120.0,
                         source: str = "auto", hog: bool = False, library: Path | None = None) -> dict:
    """Runs the MIDI clock out at `bpm` on a JACK dummy server (48 kHz, `period` frames) for
    `seconds` after a warm-up. `source`: "engine", "synthetic" or "auto" (the engine when it
    has a sequencer). `hog`: a Python thread holds the GIL meanwhile (as the callback bench)."""
    from reverie.hal.audio.jackd import JackServer

    if seconds <= 0:
        raise UserError(f"the bench needs a positive duration, not {seconds:g} s")
    if source == "auto":
        source = "engine" if engine_has_sequencer() else "synthetic"
    with JackServer(SAMPLE_RATE_HZ, period) as server, server.as_default():
        if source == "engine":
            return _with_engine(server, seconds, period, bpm, hog, library)
        return _measure(server, None, seconds, period, bpm, hog, library)


def _with_engine(server, seconds, period, bpm, hog, library) -> dict:
    from reverie.sound.buses import make_engine
    from reverie.hal.audio.output import AudioSettings, open_output, portaudio_on_jack

    settings = AudioSettings(device="JACK Audio Connection Kit", sample_rate_hz=SAMPLE_RATE_HZ, period_frames=period)
    engine = make_engine(SAMPLE_RATE_HZ)
    with portaudio_on_jack(server), open_output(engine, settings) as output:
        output.start()
        return _measure(server, engine, seconds, period, bpm, hog, library)


def _start_engine_clock(engine, bpm: float) -> None:
    engine.seq_clock_out(True)
    engine.seq_tempo(bpm, -1)
    engine.seq_play(0, -1)


def _measure(server, engine, seconds, period, bpm, hog, library) -> dict:
    from reverie.app.bench.callback import GilHog
    from reverie.hal.midi.jack_frame import JackFrameOutput
    from reverie.hal.midi.ports import close_all, open_virtual_output
    from reverie.sync.frameclock import FrameClock
    from reverie.sync.midi_out import MidiScheduler

    ports = [open_virtual_output("clock", api="jack", client_name=server.client_name("midi-rt"))]
    try:
        ports.append(JackFrameOutput(server.client_name("midi-frame"), "clock",
                                     server=server.name, library=library))
        receiver = Receiver(server, [p.name for p in ports])
        try:
            if engine is None:
                source = SyntheticClock(ports[1].cycle, period, bpm)
            else:
                source = engine
                _start_engine_clock(engine, bpm)
            anchors = AnchorLog(source.clock_anchor)
            clock = FrameClock(SAMPLE_RATE_HZ, period)
            scheduler = MidiScheduler(source.poll_midi, ports, clock, anchors)
            with scheduler:
                time.sleep(WARMUP_S)
                cpu_clock = time.pthread_getcpuclockid(scheduler.thread_id)
                cpu_start = time.clock_gettime(cpu_clock)
                warm = (len(scheduler.records), len(anchors.anchors), scheduler.stats())
                if hog:
                    with GilHog():
                        time.sleep(seconds)
                else:
                    time.sleep(seconds)
                cpu_s = time.clock_gettime(cpu_clock) - cpu_start
            received = receiver.result()
        finally:
            receiver.kill()
        frame_stats = ports[1].stats()
    finally:
        close_all(ports)
    result = figures(scheduler, anchors.anchors, warm, received, frame_stats, clock, seconds,
                     period, bpm, "engine" if engine is not None else "synthetic", hog)
    result["scheduler_cpu_pct"] = round(100.0 * cpu_s / seconds, 2)   # the MIDI out thread's CPU time
    return result


# --- figures ---------------------------------------------------------------------------------

STEP_NS = 1_000_000         # anchors that move this far for good: the server stalled


def sample_clock_segments(anchors: np.ndarray, sample_rate_hz: int = SAMPLE_RATE_HZ) -> list:
    """The sample clock known afterwards: a line t = a + b * frame fitted through the anchors
    of each stretch between two stalls of the server (where the anchors jump for good, as
    after an xrun), as [(first frame, a, b)], refitted without anchors more than 1 ms off."""
    frames, times = anchors[:, 0].astype(float), anchors[:, 1].astype(float)
    residual = times - times[0] - (frames - frames[0]) * 1e9 / sample_rate_hz
    starts = [0]
    for i in np.flatnonzero(np.abs(np.diff(residual)) > STEP_NS) + 1:
        before, after = residual[max(starts[-1], i - 8):i], residual[i:i + 8]
        if len(before) and abs(np.median(after) - np.median(before)) > STEP_NS:
            starts.append(int(i))
    segments = []
    for lo, hi in zip(starts, starts[1:] + [len(frames)]):
        if hi - lo < 16:
            continue
        f, t = frames[lo:hi] - frames[lo], times[lo:hi] - times[lo]
        keep = np.ones(len(f), bool)
        for _ in range(2):
            b, a = np.polyfit(f[keep], t[keep], 1)
            keep = np.abs(t - (a + b * f)) < 1e6
        segments.append((frames[lo], times[lo] + a - b * frames[lo], b))
    return segments


def fitted_times(segments: list, frames: np.ndarray) -> np.ndarray:
    index = np.searchsorted([s[0] for s in segments], frames, side="right") - 1
    index = np.maximum(index, 0)
    a = np.array([s[1] for s in segments])[index]
    b = np.array([s[2] for s in segments])[index]
    return a + b * frames


def _error_figures(error_us: np.ndarray, prefix: str) -> dict:
    if len(error_us) == 0:
        return {}
    return {f"{prefix}_mean_us": round(float(error_us.mean()), 2),
            f"{prefix}_sigma_us": round(float(error_us.std()), 2),
            f"{prefix}_p99_us": round(float(np.percentile(np.abs(error_us), 99)), 2),
            f"{prefix}_max_us": round(float(np.abs(error_us).max()), 2)}


def _interval_figures(intervals_ms: np.ndarray, ideal_ms: float, prefix: str) -> dict:
    if len(intervals_ms) == 0:
        return {f"{prefix}_intervals": 0}
    return {f"{prefix}_intervals": len(intervals_ms),
            f"{prefix}_interval_mean_ms": round(float(intervals_ms.mean()), 4),
            f"{prefix}_interval_sigma_ms": round(float(intervals_ms.std()), 4),
            f"{prefix}_interval_max_dev_ms": round(float(np.abs(intervals_ms - ideal_ms).max()), 4)}


def figures(scheduler, anchors, warm, received, frame_stats, clock, seconds, period, bpm,
            source, hog) -> dict:
    all_records = list(scheduler.records)
    clocks = np.array([r for r in all_records[warm[0]:] if r[2] == CLOCK and r[1] == 0],
                      dtype=np.int64).reshape(-1, 5)
    ideal_ms = 60_000.0 / (bpm * PPQN)
    error_us = (clocks[:, 4] - clocks[:, 3]) / 1e3
    on_time = error_us <= scheduler.late_ns / 1e3
    segments = sample_clock_segments(np.array(anchors[warm[1]:], dtype=np.int64))
    fit_error_us = (clocks[:, 4] - fitted_times(segments, clocks[:, 0] + clock.latency_frames)) / 1e3
    stats = scheduler.stats()
    result = {
        "source": source, "gil_hog": hog, "seconds": seconds, "tempo_bpm": bpm,
        "sample_rate_hz": SAMPLE_RATE_HZ, "period_frames": period,
        "ideal_interval_ms": round(ideal_ms, 4), "realtime_priority": stats["realtime"],
        "clocks_measured": len(clocks),
        **_error_figures(error_us, "send_error"),
        "clocks_late": int((~on_time).sum()),
        **_error_figures(error_us[on_time], "send_error_on_time"),
        "server_stalls": len(segments) - 1,
        **_error_figures(fit_error_us, "send_vs_fitted_clock"),
    }
    result["bar_sigma_0.1ms_max_1ms"] = (
        "met" if result["send_error_sigma_us"] <= BAR_SIGMA_US
        and result["send_error_max_us"] <= BAR_MAX_US else "missed")
    for key in ("late", "dropped", "send_failures", "unsent"):
        result[f"scheduler_{key}"] = stats[key] - warm[2][key]
    # The receiver's lists start at the first clock too: leave out those of the warm-up.
    skip = sum(1 for r in all_records[:warm[0]] if r[2] == CLOCK and r[1] == 0)
    rt_ns = np.array(received["rtmidi_ns"][skip:], dtype=np.int64)
    result.update(_interval_figures(np.diff(rt_ns) / 1e6, ideal_ms, "rtmidi_rx"))
    if len(rt_ns) == len(clocks) and len(clocks):
        result["rtmidi_rx_latency_mean_ms"] = round(float((rt_ns - clocks[:, 3]).mean() / 1e6), 3)
    rt_frames = np.array(received["frames"][0][skip:], dtype=np.int64)
    result.update(_interval_figures(np.diff(rt_frames) * 1e3 / SAMPLE_RATE_HZ, ideal_ms,
                                    "rtmidi_rx_frames"))
    framed = np.diff(np.array(received["frames"][1][skip:], dtype=np.int64))
    result.update(_interval_figures(framed * 1e3 / SAMPLE_RATE_HZ, ideal_ms, "frame_port_rx"))
    if len(framed):
        ideal_frames = SAMPLE_RATE_HZ * ideal_ms / 1e3
        result["frame_port_rx_exact_pct"] = round(100.0 * np.mean(np.abs(framed - ideal_frames) < 1), 2)
        result["frame_port_rx_max_dev_frames"] = round(float(np.abs(framed - ideal_frames).max()), 1)
    for key in ("late", "lost", "dropped", "xruns", "offset_changes", "unsynced"):
        result[f"frame_port_{key}"] = int(frame_stats[key])
    result["receiver_xruns"] = received["xruns"]
    return result


if __name__ == "__main__":
    if len(sys.argv) >= 5 and sys.argv[1] == "receive":
        receive(sys.argv[2], sys.argv[3], sys.argv[4:])
    else:
        sys.exit("usage: python -m reverie.app.bench.midi_clock receive SERVER CLIENT-PREFIX SOURCE...")
