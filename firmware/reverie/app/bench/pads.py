"""Pad edge -> note in the engine: the reference box's GpioInput on MockFactory pins (the scan
thread at 1 kHz, as on the box), its events into the control loop's queue, a control thread
that ticks when an event arrives (as BoxApp.loop does), the UI on the KEYS page and the
applier posting the note to the engine's command ring, stamped by a frame clock.

For each hit this thread closes a pad's contact in the FakeMatrix at a random moment against
the scan and times, in monotonic ns from that edge:

- `edge_to_event`: the Pad event's scan stamp (leading-edge debounce: the first scan that
  sees the contact closed, so at most one scan period);
- `edge_to_posted`: the note-on reaching the engine's command ring (the control thread's
  path included);
- `edge_to_note`: the sample time of the frame the note was stamped for: the event's time
  plus one audio period (design §4), when the engine plays it. The bar: at most 1 ms plus
  one period. The output device's own latency comes after it and is not in the figure;
- `late`: notes posted after the audio block holding their frame had started: a real
  callback plays such a note at the start of its next block instead (the engine plays a
  command whose frame has passed at once), later by less than the control path's time;
- `edge_to_sound`: `edge_to_note`, with the late notes at the start of that next block.

MockFactory runs no kernel edge delivery and the matrix is read by the scan thread, so the
figures are the box's own path; the frame clock is anchored once, a perfect sample clock.
"""
from __future__ import annotations

import random
import tempfile
import threading
import time
from pathlib import Path

import numpy as np

from reverie.base.events import Pad

RATE, PERIOD = 48000, 128
WAIT_S = 0.5
TICK_S = 0.005                      # the control loop's idle tick (control/loop.py)


class _NoteSpy:
    """The engine as the applier sees it, with every note on and off timed."""

    def __init__(self, engine):
        self._engine = engine
        self.ons: list[tuple[int, int]] = []       # (monotonic ns posted, frame)
        self.offs = 0

    def __getattr__(self, name):
        return getattr(self._engine, name)

    def note_on(self, track, note, velocity, frame=-1):
        posted = self._engine.note_on(track, note, velocity, frame)
        self.ons.append((time.monotonic_ns(), frame))
        return posted

    def note_off(self, track, note, frame=-1):
        posted = self._engine.note_off(track, note, frame)
        self.offs += 1
        return posted


def _figures(prefix: str, ns) -> dict:
    ms = np.asarray(ns, dtype=np.float64) / 1e6
    return {f"{prefix}_p50_ms": float(np.percentile(ms, 50)), f"{prefix}_p99_ms": float(np.percentile(ms, 99)),
            f"{prefix}_max_ms": float(ms.max())}


def _wait(condition) -> bool:
    give_up = time.monotonic() + WAIT_S
    while not condition():
        if time.monotonic() > give_up:
            return False
        time.sleep(0.0001)
    return True


def run(seconds: float = 2.0, seed: int = 1) -> dict:
    from gpiozero.pins.mock import MockFactory

    from reverie.app.rig import build_rig
    from reverie.hal.box import load_box
    from reverie.hal.gpio.matrix import FakeMatrix
    from reverie.hal.gpio.scan import GpioInput
    from reverie.project.demo import demo_project_path
    from reverie.project.store import load_project
    from reverie.sound.buses import make_engine
    from reverie.sync.frameclock import FrameClock

    rng = random.Random(seed)
    box = load_box("reference")
    factory = MockFactory()
    matrix = FakeMatrix(factory, box.matrix.rows, box.matrix.columns)
    cells = {int(name[4:]): (r, c) for r, c, name in box.matrix.named_cells() if name.startswith("pad ")}
    clock = FrameClock(RATE, PERIOD)
    clock.update(0, time.monotonic_ns())
    engine = make_engine(RATE)
    stamps: list[tuple[int, float]] = []            # (pad, event t) of each press, as queued
    with tempfile.TemporaryDirectory(prefix="reverie-bench-") as tmp:
        rig = build_rig(engine, load_project(demo_project_path()), demo_project_path(), rate=RATE,
                        period=PERIOD, library=Path(tmp), clock=clock)
        rig.control.hooks = []
        spy = _NoteSpy(engine)
        rig.applier.engine = spy
        rig.ui.open_page("KEYS")

        def emit(event):
            if isinstance(event, Pad) and event.velocity:
                stamps.append((event.pad, event.t))
            rig.queue.put(event)

        stop = threading.Event()

        def control():
            while not stop.is_set():
                rig.control.tick()
                rig.queue.wake.wait(TICK_S)

        gpio = GpioInput(box, factory, emit)
        thread = threading.Thread(target=control, name="reverie-bench-control", daemon=True)
        edges, lost = [], 0
        gpio.start()
        thread.start()
        try:
            end = time.monotonic() + seconds
            while time.monotonic() < end:
                pad = rng.randrange(16)
                time.sleep(rng.uniform(0.0, 0.002))   # a random moment against the 1 ms scan
                ons, offs = len(spy.ons), spy.offs
                edge = time.monotonic_ns()
                matrix.press(*cells[pad])
                if not _wait(lambda: len(spy.ons) > ons):
                    lost += 1
                else:
                    edges.append((edge, spy.ons[-1], stamps[-1][1]))
                matrix.release(*cells[pad])
                if not _wait(lambda: spy.offs > offs):
                    lost += 1
        finally:
            stop.set()
            rig.queue.wake.set()
            thread.join()
            gpio.close()
            rig.jobs.close()
    to_event = [t * 1e9 - edge for edge, _, t in edges]
    to_posted = [posted - edge for edge, (posted, _), _ in edges]
    to_note = [clock.sample_time_of(frame) - edge for edge, (_, frame), _ in edges]
    late = [posted > clock.sample_time_of(frame - frame % PERIOD) for _, (posted, frame), _ in edges]
    to_sound = [clock.sample_time_of(frame - frame % PERIOD + PERIOD if missed else frame) - edge
                for (edge, (_, frame), _), missed in zip(edges, late)]
    period_ms = PERIOD / RATE * 1e3
    out = {"hits": len(edges), "lost": lost, "period_ms": period_ms}
    out.update(_figures("edge_to_event", to_event))
    out.update(_figures("edge_to_posted", to_posted))
    out.update(_figures("edge_to_note", to_note))
    out.update(_figures("edge_to_sound", to_sound))
    out["late"] = sum(late)
    out["bar_ms"] = 1.0 + period_ms
    return out
