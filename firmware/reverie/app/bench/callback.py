"""Callback benchmark: the engine's C callback under a realistic load on a JACK dummy
server, next to a C reference client on the same server, while Python hogs the GIL.

The engine plays through the real backend (PortAudio's JACK host API). Its callback times
itself into a 1 us histogram; the reference client (tools/jack_ref_client.c) times its own
sine writer the same way. JACK reports an xrun to every client of the server, so equal
xrun counts mean the server missed its clock, not that our callback was late; the run
times say whose callback is slow.
"""
from __future__ import annotations

import json
import shutil
import subprocess
import threading
import time
from dataclasses import dataclass
from pathlib import Path

import numpy as np

from reverie.base.errors import UserError

SAMPLE_RATE_HZ = 48000
TRACKS = 8
NOTES_PER_TRACK = 4             # 32 voices in all
LOOP_S = 1.0
HOG_CHUNK_S = 0.05              # GIL held in one go, then as long again in Python code
START_TIMEOUT_S = 5.0
REF_CLIENT = "jack_ref_client"
REPO_ROOT = Path(__file__).resolve().parents[4]


def find_ref_client() -> Path:
    built = REPO_ROOT / "tools" / "bin" / REF_CLIENT
    if built.is_file():
        return built
    found = shutil.which(REF_CLIENT)
    if found is None:
        raise UserError(f"the C reference client {REF_CLIENT} is not built: run `make build`")
    return Path(found)


# --- the load -------------------------------------------------------------------------------

def loop_sample(seed: int) -> np.ndarray:
    """One second of a bright, slightly detuned saw pair plus a little noise, stereo."""
    rng = np.random.default_rng(seed)
    t = np.arange(int(LOOP_S * SAMPLE_RATE_HZ)) / SAMPLE_RATE_HZ
    f0 = 110.0 * (1 + seed)
    left = 2 * ((f0 * t) % 1.0) - 1
    right = 2 * ((f0 * 1.003 * t) % 1.0) - 1
    noise = 0.05 * rng.standard_normal((len(t), 2))
    return (0.3 * np.stack([left, right], axis=1) + noise).astype(np.float32)


def loaded_engine():
    """An engine with 32 looping voices on 8 tracks: pitched (interpolating), filtered with
    resonance, some drive, sends to delay and reverb."""
    from reverie.sound.buses import make_engine
    from reverie.core.defs import BusParam, LoopMode, TrackParam

    engine = make_engine(SAMPLE_RATE_HZ)
    for track in range(TRACKS):
        engine.set_sample(track, loop_sample(track))
        for param, value in ((TrackParam.P_SAMPLE, track),
                             (TrackParam.P_LOOP_MODE, LoopMode.LOOP_FORWARD),
                             (TrackParam.P_CUTOFF, 800.0 + 400.0 * track),
                             (TrackParam.P_RESONANCE, 0.4),
                             (TrackParam.P_DRIVE, 0.2 if track % 2 else 0.0)):
            engine.set_param(track, param, value)
        for param, value in ((BusParam.B_VOLUME, -18.0), (BusParam.B_DELAY_SEND, 0.3),
                             (BusParam.B_REVERB_SEND, 0.4)):
            engine.set_bus(track, param, value)
    # At frame 1, after every parameter: a note applied in the same block as a parameter
    # change still sees the old value, and a timed command holds back those behind it.
    for track in range(TRACKS):
        for k in range(NOTES_PER_TRACK):
            engine.note_on(track, 55 + 3 * k + track, 100, frame=1)
    return engine


# --- measuring ------------------------------------------------------------------------------

@dataclass
class Snapshot:
    time_s: float
    stats: dict
    histogram: np.ndarray

    @classmethod
    def take(cls, engine) -> Snapshot:
        return cls(time.monotonic(), engine.stats(), engine.callback_histogram())


def histogram_percentile_us(histogram: np.ndarray, percent: float) -> float:
    """Upper edge of the 1 us bin that holds the percentile (0 for an empty histogram)."""
    total = int(histogram.sum())
    if total == 0:
        return 0.0
    rank = max(1, int(np.ceil(percent / 100.0 * total)))
    return float(np.searchsorted(np.cumsum(histogram), rank) + 1)


def busy_python(seconds: float) -> int:
    """Pure Python work (the interpreter hands the GIL over every 5 ms meanwhile)."""
    end = time.perf_counter() + seconds
    spins = 0
    while time.perf_counter() < end:
        spins += 1
    return spins


class GilHog(threading.Thread):
    """Holds the GIL (`hold_gil`) and runs pure Python in turns until told to stop."""

    def __init__(self):
        super().__init__(name="gil-hog", daemon=True)
        self.halt = threading.Event()

    def run(self) -> None:
        from reverie.core.engine import hold_gil

        while not self.halt.is_set():
            hold_gil(HOG_CHUNK_S)
            busy_python(HOG_CHUNK_S)

    def __enter__(self) -> GilHog:
        self.start()
        return self

    def __exit__(self, *exc) -> None:
        self.halt.set()
        self.join()


def run_ref_client(ref_client: Path, server, seconds: float) -> dict:
    command = [str(ref_client), "-s", server.name, "-n", server.client_name("ref"),
               "-c", "system:playback_1", "-c", "system:playback_2", f"{seconds:g}"]
    done = subprocess.run(command, capture_output=True, text=True, timeout=seconds + 30)
    lines = done.stdout.strip().splitlines()
    if done.returncode != 0 or not lines:
        raise RuntimeError(f"{REF_CLIENT} failed (exit {done.returncode}): "
                           f"{done.stderr.strip().splitlines()[-1:] or 'no output'}")
    return json.loads(lines[-1])


def wait_for_callbacks(engine, count: int) -> None:
    deadline = time.monotonic() + START_TIMEOUT_S
    while engine.stats()["callbacks"] < count:
        if time.monotonic() > deadline:
            raise RuntimeError("the audio stream did not start calling back")
        time.sleep(0.01)


def measure(engine, server, ref_client: Path, seconds: float, hog: bool) -> tuple:
    before = Snapshot.take(engine)
    if hog:
        with GilHog():
            ref = run_ref_client(ref_client, server, seconds)
    else:
        ref = run_ref_client(ref_client, server, seconds)
    return before, Snapshot.take(engine), ref


# --- the bench ------------------------------------------------------------------------------

def run_callback_bench(seconds: float = 30.0, period: int = 128, hog: bool = True,
                       ref_client: Path | None = None) -> dict:
    """Runs the engine through PortAudio on a JACK dummy server (48 kHz, `period` frames)
    for `seconds`, beside the C reference client, with a GIL hog if `hog`. Returns figures
    with units in the key names."""
    from reverie.hal.audio.output import AudioSettings, open_output, portaudio_on_jack
    from reverie.hal.audio.jackd import JackServer

    if seconds <= 0:
        raise UserError(f"the bench needs a positive duration, not {seconds:g} s")
    ref_client = ref_client or find_ref_client()
    settings = AudioSettings(device="JACK Audio Connection Kit", sample_rate_hz=SAMPLE_RATE_HZ,
                             period_frames=period)
    settings.validate()
    engine = loaded_engine()
    with JackServer(SAMPLE_RATE_HZ, period) as server, portaudio_on_jack(server):
        with open_output(engine, settings) as output:
            output.start()
            wait_for_callbacks(engine, count=int(0.5 * SAMPLE_RATE_HZ / period))  # warm up
            before, after, ref = measure(engine, server, ref_client, seconds, hog)
            device_latency_s = output.latency_s
    return {**figures(before, after, ref, period, hog), **latency(engine, device_latency_s)}


def latency(engine, device_latency_s: float) -> dict:
    """From a step's frame to its sound at the output: the engine's look-ahead (the master
    limiter's) and then the device's own output latency (PortAudio's figure for the stream)."""
    lookahead_ms = 1e3 * engine.lookahead_frames / SAMPLE_RATE_HZ
    return {"lookahead_frames": engine.lookahead_frames,
            "lookahead_ms": round(lookahead_ms, 3),
            "device_latency_ms": round(1e3 * device_latency_s, 3),
            "step_to_output_ms": round(lookahead_ms + 1e3 * device_latency_s, 3)}


def figures(before: Snapshot, after: Snapshot, ref: dict, period: int, hog: bool) -> dict:
    period_us = 1e6 * period / SAMPLE_RATE_HZ
    histogram = after.histogram - before.histogram
    wall_s = after.time_s - before.time_s
    run = {f"run_p{p}_us": histogram_percentile_us(histogram, p) for p in (50, 99)}
    run["run_max_us"] = histogram_percentile_us(histogram, 100)
    if histogram[-1]:
        run["run_max_us"] = max(run["run_max_us"], after.stats["callback_max_ns"] / 1000.0)

    def delta(key):
        return after.stats[key] - before.stats[key]

    result = {
        "seconds": round(wall_s, 3),
        "sample_rate_hz": SAMPLE_RATE_HZ,
        "period_frames": period,
        "period_us": round(period_us, 1),
        "voices": after.stats["voices"],
        "gil_hog": hog,
        "callbacks": delta("callbacks"),
        "callback_rate_hz": round(delta("callbacks") / wall_s, 2),
        "expected_rate_hz": round(SAMPLE_RATE_HZ / period, 2),
        "xruns": delta("xruns"),
        "overloads": delta("overloads"),
        "faults": delta("faults"),
        **run,
    }
    for key in ("run_p50", "run_p99", "run_max"):
        result[f"{key}_pct_of_period"] = round(100.0 * result[f"{key}_us"] / period_us, 2)
    for key in ("callbacks", "xruns", "run_p50_us", "run_p99_us", "run_max_us"):
        result[f"ref_{key}"] = ref[key]
    return result


def format_callback(result: dict) -> str:
    """The bench's figures as a small table for the terminal."""
    r = result
    lines = [
        f"callback bench: {r['seconds']:g} s at {r['sample_rate_hz']} Hz, "
        f"{r['period_frames']}-frame period ({r['period_us']:g} us), {r['voices']} voices, "
        f"GIL hog {'on' if r['gil_hog'] else 'off'}",
        f"{'':16}{'engine':>22}{'C reference':>16}",
        f"{'callbacks':16}{r['callbacks']:>22}{r['ref_callbacks']:>16}",
        f"{'rate':16}{r['callback_rate_hz']:>19.2f} Hz{'':>16}",
        f"{'xruns':16}{r['xruns']:>22}{r['ref_xruns']:>16}",
    ]
    for key, name in (("run_p50", "run time p50"), ("run_p99", "run time p99"),
                      ("run_max", "run time max")):
        ours = f"{r[key + '_us']:g} us ({r[key + '_pct_of_period']:.1f} %)"
        lines.append(f"{name:16}{ours:>22}{r['ref_' + key + '_us']:>13g} us")
    lines.append(f"{'overloads':16}{r['overloads']:>22}")
    if "step_to_output_ms" in r:
        lines.append(f"{'latency':16}{r['step_to_output_ms']:>19g} ms = look-ahead "
                     f"{r['lookahead_frames']} frames ({r['lookahead_ms']:g} ms) + device "
                     f"{r['device_latency_ms']:g} ms")
    return "\n".join(lines)
