"""`reverie bench seqlock`: the engine's seqlocks (core/seqlock.h) under a racing writer.

The audio thread's own anchor writers run in a loop on one thread, the engine's readers on
another, both without the GIL, plus the Python readers (Engine.clock_anchor, seq_anchor) on
the calling thread. Every anchor written is a checkable snapshot, so a torn read shows."""
from __future__ import annotations

import os
import threading
import time

import numpy as np


def race(changes: int, most_reads: int) -> dict:
    """Reads until the reader has seen `changes` different anchors (or `most_reads` reads)."""
    from reverie.core.engine import Engine, read_anchors, write_anchors

    engine = Engine(48000.0)
    stop = np.zeros(1, dtype=np.uint64)
    out: dict = {}
    writer = threading.Thread(target=lambda: out.update(writes=write_anchors(engine, stop)))
    reader = threading.Thread(target=lambda: out.update(r=read_anchors(engine, changes, most_reads, stop)))
    t0 = time.perf_counter()
    writer.start()
    reader.start()
    python_reads = torn_python = 0
    while reader.is_alive():
        frame, ns = engine.clock_anchor()
        tick, sframe, rem, _, _ = engine.seq_anchor()
        torn_python += (frame > 0 and ns != 1000 * frame + 7)
        torn_python += (tick > 0 and (sframe, rem) != (3 * tick + 1, tick % 1000))
        python_reads += 1
    reader.join()
    writer.join()
    seconds = time.perf_counter() - t0
    reads, torn, seen = out["r"]
    writes = out["writes"]
    final_ok = engine.clock_anchor() == (writes, 1000 * writes + 7) and \
        engine.seq_anchor()[:3] == (writes, 3 * writes + 1, writes % 1000)
    return {"seconds": round(seconds, 3), "writes": writes, "reads": reads, "anchors_seen": seen,
            "torn_reads": torn, "python_reads": python_reads, "torn_python_reads": torn_python,
            "final_anchor_whole": final_ok}


def seqlock(seconds: float = 5.0) -> dict:
    """Races of 20 000 anchors each, one after another for about `seconds`; the totals.
    A race needs two cores: `reverie bench` pins itself to one, so this lets go of that."""
    pinned = os.sched_getaffinity(0)
    os.sched_setaffinity(0, range(os.cpu_count() or 1))
    try:
        return _rounds(seconds)
    finally:
        os.sched_setaffinity(0, pinned)


def _rounds(seconds: float) -> dict:
    keys = ("writes", "reads", "anchors_seen", "torn_reads", "python_reads", "torn_python_reads")
    total = dict.fromkeys(keys, 0)
    rounds, whole, end = 0, True, time.perf_counter() + seconds
    while rounds == 0 or time.perf_counter() < end:
        r = race(20_000, most_reads=10**10)
        for k in keys:
            total[k] += r[k]
        whole = whole and r["final_anchor_whole"]
        rounds += 1
    return {"races": rounds, **total, "final_anchors_whole": whole}
