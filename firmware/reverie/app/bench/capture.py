"""`reverie bench capture`: what capture costs and how well it holds (docs/capture.md).

- the ring write per callback: capture_ring_write alone, in ns per frame at 128-frame
  blocks, and the `stage` scene (64 voices, sends, compressor, limiter) rendered in
  128-frame blocks with the ring and without it, alternated, best of several runs;
- one press: the last 60 s read out of the ring, trimmed and written as a float WAV and a
  FLAC (atomically, fsynced) into a temporary folder, in ms;
- the ring under a racing writer: copies of the newest 60 000 frames of a 65 536-frame
  ring while another thread writes at memory speed, for about `seconds`: frames checked,
  copies the writer cut short, and bad frames (must be 0);
- the tempo read from a played phrase: 300 four-bar phrases at 90, 120 and 150 BPM with
  10 ms and 15 ms of timing scatter: the largest error and the share within 1 BPM.
"""
from __future__ import annotations

import os
import tempfile
import threading
import time
from pathlib import Path

import numpy as np

SR = 48000
BLOCK = 128


def capture(seconds: float = 5.0) -> dict:
    out = {}
    out.update(write_cost())
    out.update(save_cost())
    out.update(race(seconds))
    out.update(tempo())
    return out


def write_cost(blocks: int = 200_000, stage_s: float = 4.0, repeats: int = 5) -> dict:
    from reverie.app.bench.engine import time_blocks, voices_engine
    from reverie.core.engine import Engine, capture_write_cost

    eng = Engine(float(SR))
    eng.capture_start(65.0)
    eng.render(np.zeros((BLOCK, 2), np.float32))
    alone = min(capture_write_cost(eng, BLOCK, blocks) for _ in range(repeats))
    with_ring, without = [], []
    for _ in range(repeats):
        for ring, into in ((True, with_ring), (False, without)):
            e = voices_engine(64, 16, True)
            if ring:
                e.capture_start(65.0)
            into.append(float(np.sum(time_blocks(e, stage_s, BLOCK))) / (stage_s * SR))
    return {"ring_write_ns_per_frame": round(alone, 3),
            "ring_write_ns_per_callback_128": round(alone * BLOCK, 1),
            "stage_ns_per_frame_with_ring": round(min(with_ring), 1),
            "stage_ns_per_frame_without_ring": round(min(without), 1)}


def save_cost(repeats: int = 3, seconds: int = 60) -> dict:
    from reverie.control.audio_log import AudioLog, keep_audio
    from reverie.app.bench.engine import voices_engine

    eng = voices_engine(16, 16, True)
    eng.capture_start(seconds + 5.0)
    block = np.zeros((4096, 2), np.float32)
    for _ in range(int((seconds + 2) * SR / len(block))):
        eng.render(block)
    times = []
    with tempfile.TemporaryDirectory(prefix="reverie-bench-") as tmp:
        for k in range(repeats):
            log = AudioLog(Path(tmp) / "captures")
            t0 = time.perf_counter()
            kept = keep_audio(eng, eng.capture_span()[1], seconds * SR, SR, log, Path(tmp) / f"samples{k}", 0)
            times.append(time.perf_counter() - t0)
        size = kept.log_path.stat().st_size + kept.sample_path.stat().st_size
    return {f"save_{seconds}s_ms": round(1000 * min(times), 1), f"save_{seconds}s_kept_s": round(kept.seconds, 2),
            f"save_{seconds}s_bytes": size}


def race(seconds: float, copies: int = 2000) -> dict:
    """Races of `copies` copies each for about `seconds` on two cores."""
    from reverie.core.engine import Engine, capture_read_race, capture_write_race

    pinned = os.sched_getaffinity(0)
    os.sched_setaffinity(0, range(os.cpu_count() or 1))
    total = {"ring_copies": 0, "ring_frames_checked": 0, "ring_copies_cut_short": 0, "ring_bad_frames": 0}
    try:
        end = time.perf_counter() + seconds
        while total["ring_copies"] == 0 or time.perf_counter() < end:
            eng = Engine(float(SR))
            eng.capture_start(65536 / SR)
            eng.render(np.zeros((64, 2), np.float32))
            stop = np.zeros(1, dtype=np.uint64)
            res = {}
            w = threading.Thread(target=lambda: res.update(w=capture_write_race(eng, BLOCK, stop)))
            r = threading.Thread(target=lambda: res.update(r=capture_read_race(eng, 60_000, copies, stop)))
            w.start()
            r.start()
            r.join()
            w.join()
            reads, bad, cut, checked = res["r"]
            total["ring_copies"] += reads
            total["ring_bad_frames"] += bad
            total["ring_copies_cut_short"] += cut
            total["ring_frames_checked"] += checked
    finally:
        os.sched_setaffinity(0, pinned)
    return total


def tempo(tries: int = 300) -> dict:
    from reverie.project.phrase import infer_tempo

    rhythm = [2, 1, 1, 2, 2, 4, 2, 1, 1, 2, 2, 2, 4, 1, 1, 1, 1, 2, 2, 2, 2, 4, 2, 2, 1, 1, 2, 4, 2, 2]
    onsets = np.concatenate([[0], np.cumsum(rhythm)])[:-1]
    out = {}
    for jitter_ms in (10, 15):
        for bpm in (90, 120, 150):
            errors = []
            for seed in range(tries):
                rng = np.random.default_rng(seed)
                t = onsets * 15.0 / bpm + rng.normal(0, jitter_ms / 1000, len(onsets))
                errors.append(abs(infer_tempo(t) - bpm))
            key = f"tempo_{bpm}bpm_{jitter_ms}ms"
            out[f"{key}_max_error_bpm"] = round(max(errors), 2)
            out[f"{key}_within_1bpm"] = f"{sum(e < 1 for e in errors)}/{tries}"
    return out
