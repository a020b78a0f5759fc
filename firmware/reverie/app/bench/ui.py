"""UI benchmark: how long the display thread takes to draw a screen (view -> 128x64 image)
and the control thread to turn an input event into effects (UI.handle), on the demo
project. The bars: a render's p99 within 5 ms, an event's p99 within 1 ms.

Every page is drawn `iterations` times while the playhead moves (a new Status each time);
events are a pad hit on the pattern page (a step added, then cleared), an encoder turn on
the sound page (one parameter up and down) and a key (LEFT/RIGHT on the sound page).

Each figure comes as wall time (`..._ms`) and as this thread's CPU time (`..._cpu_ms`): on
a shared machine the wall time's p99 is the scheduler's (another process's time slice),
the CPU time is the UI's own cost.
"""
from __future__ import annotations

import json
import os
import time

import numpy as np

from reverie.base.events import Key, Pad, Turn
from reverie.project.demo import demo_project_path
from reverie.project.model import Project
from reverie.ui.draw import render
from reverie.ui.machine import UI
from reverie.ui.status import Status

RENDER_P99_MS = 5.0
EVENT_P99_MS = 1.0


def _figures(prefix: str, ns: list[tuple[int, int]]) -> dict:
    """p50, p99 and max of (wall ns, CPU ns) pairs, in ms."""
    out = {}
    for column, kind in ((0, ""), (1, "_cpu")):
        ms = np.asarray([pair[column] for pair in ns], dtype=np.float64) / 1e6
        out.update({f"{prefix}{kind}_p50_ms": round(float(np.percentile(ms, 50)), 3),
                    f"{prefix}{kind}_p99_ms": round(float(np.percentile(ms, 99)), 3),
                    f"{prefix}{kind}_max_ms": round(float(ms.max()), 3)})
    return out


def _timed(fn, *args) -> tuple[int, int]:
    w0, c0 = time.perf_counter_ns(), time.thread_time_ns()
    fn(*args)
    return time.perf_counter_ns() - w0, time.thread_time_ns() - c0


def _demo() -> Project:
    with open(demo_project_path() / "project.json", encoding="utf-8") as f:
        return Project.from_dict(json.load(f))


def _status(i: int) -> Status:
    return Status(playing=True, steps=(i % 16,) * 16, meters=tuple((i * 7 + k) % 10 / 10 for k in range(16)))


def render_times(ui: UI, iterations: int) -> dict:
    out: dict = {}
    worst = worst_cpu = 0.0
    for page in ui.menu.pages:
        ui.open_page(page)
        ns = []
        for i in range(iterations):
            ui.update(_status(i))
            ns.append(_timed(lambda: render(ui.view())))
        figures = _figures(f"render_{page.lower()}", ns)
        worst = max(worst, figures[f"render_{page.lower()}_p99_ms"])
        worst_cpu = max(worst_cpu, figures[f"render_{page.lower()}_cpu_p99_ms"])
        out.update(figures)
    out["render_worst_p99_ms"] = worst
    out["render_worst_cpu_p99_ms"] = worst_cpu
    return out


def event_times(ui: UI, iterations: int) -> dict:
    def timed(events) -> list[tuple[int, int]]:
        return [_timed(ui.handle, ev) for ev in events]

    ui.open_page("PATTERN")
    pads = [Pad(5, 100 if i % 2 == 0 else 0, i * 0.01) for i in range(iterations)]
    out = _figures("event_pad", timed(pads))
    ui.open_page("SOUND")
    turns = [Turn(1, 1 if (i // 8) % 2 == 0 else -1, i * 0.01) for i in range(iterations)]
    out.update(_figures("event_turn", timed(turns)))
    keys = [Key("RIGHT" if (i // 4) % 2 == 0 else "LEFT", "press" if i % 2 == 0 else "release", i * 0.01)
            for i in range(iterations)]
    out.update(_figures("event_key", timed(keys)))
    return out


def run(iterations: int = 2000) -> dict:
    """Render times per page and event times per kind, in ms (p50, p99, max)."""
    ui = UI(_demo())
    out = {"iterations": iterations, "pages": len(ui.menu.pages),
           "load_average_1min": round(os.getloadavg()[0], 2)}
    out.update(render_times(ui, iterations))
    out.update(event_times(UI(_demo()), iterations))
    out["render_bar_p99_ms"] = RENDER_P99_MS
    out["event_bar_p99_ms"] = EVENT_P99_MS
    return out
