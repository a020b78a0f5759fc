"""A full collection of the started box holds the GIL while it runs, and the threads that
stamp pad hits and MIDI notes on arrival wait that long. The box (the demo, the simulator's
controls, no audio device: the fallback clock plays) is started as `reverie run` starts it,
which leaves the start's objects frozen (gc.freeze, hal/realtime.py); full collections are
timed that way and with them given back to the collector."""
from __future__ import annotations

import gc
import io
import tempfile
import time
from dataclasses import replace
from pathlib import Path
from statistics import median


def _collections(count: int) -> float:
    """The median of `count` full collections, in ms."""
    times = []
    for _ in range(count):
        t0 = time.perf_counter_ns()
        gc.collect()
        times.append((time.perf_counter_ns() - t0) / 1e6)
    return round(median(times), 3)


def run(count: int = 5) -> dict:
    from reverie.app.boot import BoxApp, RunOptions
    from reverie.app.config import AudioConfig, Config, ControllersConfig, HardwareConfig
    from reverie.app.paths import DataDir

    config = replace(Config(), audio=AudioConfig(device="no such device"), hardware=HardwareConfig(window=False),
                     controllers=ControllersConfig(enabled=False))
    with tempfile.TemporaryDirectory(prefix="reverie-collect-") as tmp:
        app = BoxApp(config, RunOptions(data=DataDir(Path(tmp) / "data"), stream=io.StringIO(), stdin=io.StringIO()))
        try:
            app.start()
            frozen = gc.get_freeze_count()
            kept_out = _collections(count)
            gc.unfreeze()
            scanned = len(gc.get_objects())
            thawed = _collections(count)
            gc.freeze()                  # as the start left it
        finally:
            app.stop()
    return {"objects_frozen": frozen, "objects_scanned_thawed": scanned,
            "full_collection_ms": kept_out, "full_collection_thawed_ms": thawed}
