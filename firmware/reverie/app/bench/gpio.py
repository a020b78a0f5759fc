"""GPIO input benchmark: the reference box's GpioInput on MockFactory pins for `seconds`.

The scan thread runs as on the box (1 kHz, absolute deadlines) while this thread plays the
panel: it presses and releases PLAY through the FakeMatrix and turns each encoder one detent
at a time by driving its pins in Gray-code order, and stamps every action and every event
with time.perf_counter().

Figures: the scan rate achieved and the period between scan starts (p50/p99/max); one
scan's own run time (6 x 6 matrix, 35 switches debounced), measured before the thread
starts; press of a matrix key to its Key event (debounce 5 ms + up to one scan period); the
pin edge that completes a detent to its Turn event. MockFactory runs edge callbacks in the thread that
drives the pin, so the Turn figure is the decoder's own cost, without the kernel's and the
pin library's callback delivery that a real Pi adds.
"""
from __future__ import annotations

import queue
import time

import numpy as np

from reverie.base.events import PRESS, RELEASE, Key, Turn
from reverie.hal.gpio.scan import GpioInput
from reverie.hal.gpio.matrix import FakeMatrix
from reverie.hal.box import load_box

WAIT_S = 0.5                        # an event that has not come by then is counted as lost
EDGE_GAP_S = 0.002                  # between the quarter steps of a turn: ~125 detents/s
CW = ((0, 1), (0, 0), (1, 0), (1, 1))   # AB after each quarter step clockwise from rest
COST_SCANS = 500


def run(seconds: float = 2.0) -> dict:
    from gpiozero.pins.mock import MockFactory

    box = load_box("reference")
    factory = MockFactory()
    matrix = FakeMatrix(factory, box.matrix.rows, box.matrix.columns)
    play = next((r, c) for r, c, name in box.matrix.named_cells() if name == "PLAY")
    arrivals: queue.SimpleQueue = queue.SimpleQueue()
    gpio = GpioInput(box, factory, lambda e: arrivals.put((time.perf_counter(), e)),
                     history=int(seconds * 1500) + 1000)
    encoder_pins = [(factory.pin(e.a), factory.pin(e.b)) for e in box.encoders]
    costs_us = []
    for _ in range(COST_SCANS):     # one scan's own run time, before the thread starts
        started = time.perf_counter()
        gpio.scan(started)
        costs_us.append((time.perf_counter() - started) * 1e6)
    key_latencies, turn_latencies, lost = [], [], 0
    gpio.start()
    try:
        end = time.perf_counter() + seconds
        while time.perf_counter() < end:
            for action, act in ((PRESS, matrix.press), (RELEASE, matrix.release)):
                started = time.perf_counter()
                act(*play)
                arrived = _wait(arrivals, lambda e: isinstance(e, Key) and e.name == "PLAY"
                                 and e.action == action)
                if arrived is None:
                    lost += 1
                elif action == PRESS:
                    key_latencies.append(arrived - started)
            for index, (a, b) in enumerate(encoder_pins):
                for level_a, level_b in CW:
                    time.sleep(EDGE_GAP_S)
                    started = time.perf_counter()
                    (a.drive_high if level_a else a.drive_low)()
                    (b.drive_high if level_b else b.drive_low)()
                arrived = _wait(arrivals, lambda e: isinstance(e, Turn) and e.encoder == index)
                if arrived is None:
                    lost += 1
                else:
                    turn_latencies.append(arrived - started)
    finally:
        gpio.close()
    periods_ms = np.diff(np.array(gpio.scan_times)) * 1e3
    span_s = gpio.scan_times[-1] - gpio.scan_times[0]
    return {
        "scans": gpio.scans,
        "scan_rate_hz": (len(gpio.scan_times) - 1) / span_s,
        "scan_period_p50_ms": float(np.percentile(periods_ms, 50)),
        "scan_period_p99_ms": float(np.percentile(periods_ms, 99)),
        "scan_period_max_ms": float(periods_ms.max()),
        "scan_overruns": gpio.overruns,
        "scan_cost_p50_us": float(np.percentile(costs_us, 50)),
        "scan_cost_p99_us": float(np.percentile(costs_us, 99)),
        "key_presses": len(key_latencies),
        "key_latency_p50_ms": float(np.percentile(key_latencies, 50)) * 1e3,
        "key_latency_p99_ms": float(np.percentile(key_latencies, 99)) * 1e3,
        "turns": len(turn_latencies),
        "turn_latency_p50_us": float(np.percentile(turn_latencies, 50)) * 1e6,
        "turn_latency_p99_us": float(np.percentile(turn_latencies, 99)) * 1e6,
        "events_lost": lost,
    }


def _wait(arrivals: queue.SimpleQueue, wanted) -> float | None:
    """The arrival time of the first event `wanted` accepts; earlier others are dropped."""
    give_up = time.perf_counter() + WAIT_S
    while (left := give_up - time.perf_counter()) > 0:
        try:
            arrived, event = arrivals.get(timeout=left)
        except queue.Empty:
            return None
        if wanted(event):
            return arrived
    return None
