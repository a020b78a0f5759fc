"""MIDI controllers: how long a pad hit takes to become an input event, and how long a
controller takes to be seen when it is plugged in or pulled out (docs/controllers.md).

On a JACK dummy server: a second rtmidi client, named like a pad controller, sends a note
every 5 ms and keeps each one's send time; the manager stamps each on arrival (the event's
`t`) and the bench notes when `emit` was called. Then the controller's port is made and
removed a few times, each at a random phase of the scan, timed from just before the change
to the Device event's emit: about half a scan interval on average, a whole one at most, plus
the time to open the port.
"""
from __future__ import annotations

import random
import threading
import time

import numpy as np

NOTE_INTERVAL_S = 0.005
PERIOD_FRAMES = 128
HOTPLUG_CYCLES = 5
WAIT_S = 5.0
PORT = "MPD218 Port A"


class _Events:
    """emit(): each event with the monotonic time it was emitted."""

    def __init__(self):
        self.items: list[tuple[object, float]] = []
        self.changed = threading.Condition()

    def __call__(self, event) -> None:
        now = time.monotonic()
        with self.changed:
            self.items.append((event, now))
            self.changed.notify_all()

    def wait(self, predicate, start: int) -> tuple[object, float]:
        with self.changed:
            found = self.changed.wait_for(
                lambda: next((i for i in self.items[start:] if predicate(i[0])), None), WAIT_S)
        if found is None:
            raise RuntimeError("the controller's event never came: is JACK overloaded?")
        return found


def _figures(name: str, seconds: np.ndarray) -> dict:
    ms = seconds * 1e3
    return {f"{name}_ms_p50": round(float(np.percentile(ms, 50)), 3),
            f"{name}_ms_p99": round(float(np.percentile(ms, 99)), 3),
            f"{name}_ms_max": round(float(ms.max()), 3)}


def run(seconds: float = 2.0, period_frames: int = PERIOD_FRAMES,
        hotplug_cycles: int = HOTPLUG_CYCLES, server=None) -> dict:
    """The figures; on `server` (a running reverie.hal.audio.jackd.JackServer, the default one of this
    process) or on a JACK dummy server of its own."""
    from reverie.hal.audio.jackd import JackServer

    if server is None:
        with JackServer(period_frames=period_frames) as own, own.as_default():
            return run(seconds, period_frames, hotplug_cycles, own)
    import rtmidi

    from reverie.base import events
    from reverie.hal.controllers.manager import ControllerManager
    from reverie.hal.controllers.profiles import load_profiles

    got = _Events()
    manager = ControllerManager("jack", got, load_profiles(),
                                own_names=(server.client_name("bench-ctl"),)).start()
    try:
        latency = _latency(server, manager, got, seconds, rtmidi, events)
        hotplug = _hotplug(server, manager, got, hotplug_cycles, rtmidi, events)
    finally:
        manager.close()
    return {"period_frames": server.period_frames, **latency, **hotplug,
            "scan_interval_ms": round(manager.scan_interval_s * 1e3)}


def _device(server, rtmidi, role: str):
    out = rtmidi.MidiOut(rtmidi.API_UNIX_JACK, name=server.client_name(role))
    out.open_virtual_port(PORT)
    return out


def _latency(server, manager, got, seconds, rtmidi, events) -> dict:
    out = _device(server, rtmidi, "bench MPD218")
    try:
        got.wait(lambda e: isinstance(e, events.Device), 0)
        start = len(got.items)
        deadline = time.monotonic() + WAIT_S
        while not any(isinstance(e, events.Control) for e, _ in got.items[start:]):
            out.send_message([0xBF, 100, 1])      # until JACK has made the connection
            time.sleep(0.01)
            if time.monotonic() > deadline:
                raise RuntimeError("the bench controller never got through")
        count = max(1, round(seconds / NOTE_INTERVAL_S))
        sent = np.empty(count)
        t0 = time.monotonic()
        for k in range(count):
            time.sleep(max(0.0, t0 + k * NOTE_INTERVAL_S - time.monotonic()))
            sent[k] = time.monotonic()
            out.send_message([0x99, 36 + k % 16, 1 + k % 127])
        with got.changed:
            got.changed.wait_for(lambda: sum(isinstance(e, events.Pad)
                                             for e, _ in got.items[start:]) >= count, WAIT_S)
            pads = [(e, at) for e, at in got.items[start:] if isinstance(e, events.Pad)]
    finally:
        out.close_port()
        out.delete()
    if len(pads) != count or any(e.pad != k % 16 for k, (e, _) in enumerate(pads)):
        raise RuntimeError(f"{count} notes sent, {len(pads)} came back in order")
    stamped = np.array([e.t for e, _ in pads])
    emitted = np.array([at for _, at in pads])
    return {"notes": count, **_figures("send_to_stamp", stamped - sent),
            **_figures("stamp_to_emit", emitted - stamped),
            **_figures("send_to_emit", emitted - sent), **_counts(manager)}


def _counts(manager) -> dict:
    stats = manager.stats()
    return {k: stats[k] for k in ("coalesced", "dropped", "malformed")}


def _hotplug(server, manager, got, cycles, rtmidi, events) -> dict:
    appear, vanish = [], []
    rng = random.Random(1)
    for k in range(cycles):
        time.sleep(rng.uniform(0, manager.scan_interval_s))     # any phase of the scan
        start = len(got.items)
        t0 = time.monotonic()
        out = _device(server, rtmidi, f"bench MPD218-{k}")
        try:
            _, at = got.wait(lambda e: isinstance(e, events.Device) and e.present, start)
            appear.append(at - t0)
        finally:
            time.sleep(rng.uniform(0, manager.scan_interval_s))
            start = len(got.items)
            t1 = time.monotonic()
            out.close_port()
            out.delete()
        _, at = got.wait(lambda e: isinstance(e, events.Device) and not e.present, start)
        vanish.append(at - t1)
    return {"hotplug_cycles": cycles,
            "appear_ms_median": _ms(np.median(appear)), "appear_ms_max": _ms(max(appear)),
            "vanish_ms_median": _ms(np.median(vanish)), "vanish_ms_max": _ms(max(vanish))}


def _ms(seconds: float) -> float:
    return round(float(seconds) * 1e3, 1)
