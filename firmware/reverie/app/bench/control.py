"""The control thread's half of an input: an event taken from the queue, through the UI, to
the engine's command ring (Control.tick), on the demo project with the engine rendering
offline between events, as it does between control ticks. Pad hits on the pattern page
(a step toggled: the pattern recompiled and swapped in), encoder turns on the sound page
(a parameter change) and pads on the mixer page (a mute), each timed from the moment the
tick drained it to the moment its commands were posted."""
from __future__ import annotations

from pathlib import Path
import tempfile

import numpy as np

from reverie.sound.buses import make_engine
from reverie.base.events import PRESS, RELEASE, Key, Pad, Turn
from reverie.project.demo import demo_project_path
from reverie.project.store import load_project

RATE, PERIOD = 48000, 128


def _figures(prefix: str, ns) -> dict:
    ms = np.asarray(ns, dtype=np.float64) / 1e6
    return {f"{prefix}_p50_ms": round(float(np.percentile(ms, 50)), 3),
            f"{prefix}_p99_ms": round(float(np.percentile(ms, 99)), 3),
            f"{prefix}_max_ms": round(float(ms.max()), 3)}


def run(events: int = 1000) -> dict:
    from reverie.app.rig import build_rig

    engine = make_engine(RATE)
    block = np.zeros((PERIOD, 2), np.float32)
    out = {"events_per_kind": events}
    with tempfile.TemporaryDirectory(prefix="reverie-bench-") as tmp:
        rig = build_rig(engine, load_project(demo_project_path()), demo_project_path(), rate=RATE,
                        period=PERIOD, library=Path(tmp))
        rig.control.hooks = []                  # no listing jobs: this measures the input path
        t = 1.0

        def feed(kind: str, make_events, page: str, every: int = 1) -> None:
            nonlocal t
            for ev in (Key(page, PRESS, t), Key(page, RELEASE, t + 0.01)):
                rig.queue.put(ev)
            rig.control.tick(t)
            rig.control.handle_ns.clear()
            for i in range(events):
                t += 0.05
                for ev in make_events(i, t):
                    rig.queue.put(ev)
                    rig.control.tick(t)
                    engine.render(block)
            out.update(_figures(kind, list(rig.control.handle_ns)[::every]))

        # pads: the press is timed (every=2), the release is not (it changes nothing)
        feed("pad_step_toggle", lambda i, t: (Pad(i % 16, 100, t), Pad(i % 16, 0, t + 0.01)), "PATTERN", 2)
        feed("encoder_param", lambda i, t: (Turn(0, 1 if i % 2 else -1, t),), "SOUND")
        feed("pad_mute", lambda i, t: (Pad(i % 8, 100, t), Pad(i % 8, 0, t + 0.01)), "MIXER", 2)
        rig.jobs.close()
    out["commands_refused"] = rig.applier.refused
    out["bar_p99_ms"] = 1.0
    return out
