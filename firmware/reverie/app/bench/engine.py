"""Offline engine benchmarks: `voices-64` and `stage` (see docs/bench.md)."""
from __future__ import annotations

import json
import subprocess
import time
from pathlib import Path

import numpy as np

from reverie.sound.buses import make_engine
from reverie.core.defs import BusParam as B, MasterParam as M, TrackParam as P

SR = 48000.0
REF_VOICE = Path(__file__).resolve().parents[4] / "tools" / "bin" / "ref_voice"


def bench_sample() -> np.ndarray:
    """The loop the C reference plays too: two detuned sines with a little wobble."""
    i = np.arange(int(SR))
    left = 0.5 * np.sin(2 * np.pi * 110 * i / SR) + 0.1 * np.sin(0.37 * i)
    right = 0.5 * np.sin(2 * np.pi * 110.5 * i / SR) + 0.1 * np.sin(0.41 * i)
    return np.stack([left, right], axis=1).astype(np.float32)


def voices_engine(voices: int, tracks: int, fx: bool):
    eng = make_engine(SR)
    eng.set_sample(0, bench_sample(), 1000, int(SR) - 1000)
    for t in range(16):
        eng.set_param(t, P.P_LOOP_MODE, 1)
        eng.set_param(t, P.P_CUTOFF, 400 + 100 * t)
        eng.set_param(t, P.P_RESONANCE, 0.3)
        eng.set_param(t, P.P_SUSTAIN, 0.7)
        eng.set_param(t, P.P_PAN, (t - 8) / 8)
        eng.set_param(t, P.P_LEVEL, -24.0)
        if fx:
            eng.set_bus(t, B.B_DELAY_SEND, 0.3)
            eng.set_bus(t, B.B_REVERB_SEND, 0.3)
    if fx:
        eng.set_master(M.M_COMP_THRESHOLD, -18.0)
        eng.set_master(M.M_COMP_RATIO, 3.0)
    eng.render(np.zeros((4800, 2), np.float32))
    for k in range(voices):
        eng.note_on(k % tracks, 48 + k % 25, 100)   # mixed pitches: -12..+12 semitones
    eng.render(np.zeros((256, 2), np.float32))
    return eng


def time_blocks(eng, seconds: float, block: int) -> np.ndarray:
    out = np.zeros((block, 2), np.float32)
    n = int(seconds * SR / block)
    times = np.empty(n)
    clock = time.perf_counter_ns
    for k in range(n):
        t0 = clock()
        eng.render(out)
        times[k] = clock() - t0
    return times


def run_reference(voices: int, seconds: float) -> dict | None:
    if not REF_VOICE.exists():
        return None
    done = subprocess.run([str(REF_VOICE), str(voices), str(seconds), str(int(SR))],
                          capture_output=True, text=True, check=True)
    return json.loads(done.stdout)


def voices_64(seconds: float = 5.0, repeats: int = 5) -> dict:
    """64 looping stereo voices (cubic, filter, envelope, pan, no FX) on one track. The cost
    per voice-sample is net of the same engine rendering no voice; best of `repeats`, each
    alternated with the plain C reference doing the same per-voice work."""
    block = 256
    ours, ref = [], []
    base = float(np.sum(time_blocks(voices_engine(0, 1, False), seconds, block)))
    for _ in range(repeats):
        total = float(np.sum(time_blocks(voices_engine(64, 1, False), seconds, block)))
        ours.append((total, (total - base) / (64 * seconds * SR)))
        r = run_reference(64, seconds)
        if r:
            ref.append(r["ns_per_voice_sample"])
    total, net = min(ours, key=lambda t: t[1])
    result = {
        "voices": 64,
        "ns_per_voice_sample": round(net, 3),
        "ns_per_voice_sample_gross": round(total / (64 * seconds * SR), 3),
        "realtime_factor": round(seconds * 1e9 / total, 2),
    }
    if ref:
        result["reference_c_ns_per_voice_sample"] = round(min(ref), 3)
        result["ratio_to_reference"] = round(net / min(ref), 3)
    else:
        result["reference_c"] = f"not built: run `make build` ({REF_VOICE} missing)"
    return result


def stage(seconds: float = 10.0, block: int = 128) -> dict:
    """16 tracks, 64 voices, delay and reverb sends, compressor and limiter."""
    eng = voices_engine(64, 16, True)
    times = time_blocks(eng, seconds, block)
    period_ns = block / SR * 1e9
    return {
        "tracks": 16,
        "voices": int(eng.stats()["voices"]),
        "block_frames": block,
        "realtime_factor": round(len(times) * period_ns / float(np.sum(times)), 2),
        "block_p50_us": round(float(np.percentile(times, 50)) / 1e3, 2),
        "block_p99_us": round(float(np.percentile(times, 99)) / 1e3, 2),
        "block_max_us": round(float(np.max(times)) / 1e3, 2),
        "block_period_us": round(period_ns / 1e3, 2),
    }
