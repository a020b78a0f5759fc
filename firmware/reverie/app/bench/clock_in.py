"""`midi-clock-in`: how fast and how well the MIDI clock follower locks (docs/sync.md).

Simulated time: a clock at 90, 120.5 and 174 BPM with uniform jitter of +-1 ms, one run per
seed; the worst figure over the runs is printed. Next to it: a second-order DLL (the filter
JACK and many clock followers use) on the same clocks, a tempo step, clocks delivered once
per JACK period, and clocks stamped late by a busy interpreter, with and without the delta
times the MIDI system gives. Live: the same clocks sent through JACK MIDI between two rtmidi
clients on a JACK dummy server.
"""
from __future__ import annotations

import math
import random
import threading
import time

from reverie.hal.midi.clock_in import MidiClockInput
from reverie.sync.arrival_clock import ArrivalClock
from reverie.sync.clock_follower import CLOCK, CLOCKS_PER_BEAT, START, ClockFollower

TEMPI_BPM = (90.0, 120.5, 174.0)
JITTER_NS = 1_000_000
RUNS = 200
T0_NS = 10**12
DLL_OMEGA = 0.1                 # per clock; the best of 0.05..0.5 on these clocks
LIVE_PERIOD_FRAMES = 128
POLL_S = 0.005


def period_ns(bpm: float) -> float:
    return 60e9 / (CLOCKS_PER_BEAT * bpm)


def jittered_clock(bpm: float, clocks: int, seed: int, jitter_ns: float = JITTER_NS,
                   t0_ns: int = T0_NS) -> list[int]:
    """Arrival times of `clocks` clocks: the ideal grid plus uniform jitter."""
    rng = random.Random(seed)
    return [int(t0_ns + k * period_ns(bpm) + rng.uniform(-jitter_ns, jitter_ns))
            for k in range(clocks)]


def follow(bpm: float, seed: int) -> dict:
    """Start, then 4 beats of jittered clock: tempo errors after 2 and 4 beats, the phase
    error of the fitted last clock, the time from the first clock to lock."""
    follower = ClockFollower()
    times = jittered_clock(bpm, 4 * CLOCKS_PER_BEAT, seed)
    follower.feed(START, times[0] - 1_000_000)
    result = {"lock_ms": math.inf}
    for k, t_ns in enumerate(times):
        follower.feed(CLOCK, t_ns)
        if follower.locked and math.isinf(result["lock_ms"]):
            result["lock_ms"] = (t_ns - times[0]) / 1e6
        if k + 1 in (2 * CLOCKS_PER_BEAT, 4 * CLOCKS_PER_BEAT):
            result[f"error_{(k + 1) // CLOCKS_PER_BEAT}_beats_bpm"] = follower.tempo_bpm - bpm
    anchor = follower.anchor()
    result["phase_ms"] = (anchor.t_ns - (T0_NS + anchor.clocks * period_ns(bpm))) / 1e6
    return result


def dll_errors(bpm: float, seed: int, omega: float = DLL_OMEGA) -> tuple[float, float]:
    """Tempo errors (BPM) after 2 and 4 beats of a second-order DLL (damping 0.707,
    bandwidth `omega` radians per clock) started from the first interval."""
    times = jittered_clock(bpm, 4 * CLOCKS_PER_BEAT, seed)
    b, c = math.sqrt(2) * omega, omega * omega
    period = times[1] - times[0]
    predicted = times[1] + period
    errors = []
    for k in range(2, len(times)):
        error = times[k] - predicted
        predicted += b * error + period
        period += c * error
        if k + 1 in (2 * CLOCKS_PER_BEAT, 4 * CLOCKS_PER_BEAT):
            errors.append(60e9 / (CLOCKS_PER_BEAT * period) - bpm)
    return errors[0], errors[1]


def step_clocks(seed: int, before_bpm: float = 120.0, after_bpm: float = 90.0,
                tolerance_pct: float = 0.5) -> int:
    """Clocks after a tempo step until the estimate stays within `tolerance_pct`."""
    times = jittered_clock(before_bpm, 4 * CLOCKS_PER_BEAT, seed)
    rng = random.Random(seed + 1)
    t = times[-1] + period_ns(before_bpm)
    for _ in range(4 * CLOCKS_PER_BEAT):
        times.append(int(t + rng.uniform(-JITTER_NS, JITTER_NS)))
        t += period_ns(after_bpm)
    follower = ClockFollower()
    last_off = 0
    for k, t_ns in enumerate(times):
        follower.feed(CLOCK, t_ns)
        if k >= 4 * CLOCKS_PER_BEAT and \
                abs(follower.tempo_bpm - after_bpm) > after_bpm * tolerance_pct / 100:
            last_off = k + 1 - 4 * CLOCKS_PER_BEAT
    return last_off


def late_stamps_error(seed: int, use_deltas: bool, bpm: float = 120.0) -> float:
    """Tempo error (%) after 8 beats when the callback's stamps come late: 30 % of clocks
    by up to 5 ms (another Python thread holding the GIL for its switch interval), and now
    and then by a 20 ms hold. With `use_deltas` the input rebuilds the arrival times from
    rtmidi's delta times, without it the follower gets the late stamps."""
    rng = random.Random(seed)
    now = [0]
    follower = ClockFollower()
    clock_in = MidiClockInput(follower, api=0, virtual_port="bench",
                              arrivals=ArrivalClock() if use_deltas else None,
                              clock_ns=lambda: now[0])
    previous, hold_until = None, 0.0
    for k in range(8 * CLOCKS_PER_BEAT):
        t = T0_NS + k * period_ns(bpm) + rng.uniform(-JITTER_NS, JITTER_NS)
        if rng.random() < 0.02:
            hold_until = t + 20e6
        late = max(0.0, hold_until - t) + (rng.uniform(0, 5e6) if rng.random() < 0.3 else 0)
        delta_s = 0.0 if previous is None or not use_deltas else (t - previous) / 1e9
        previous = t
        now[0] = int(t + late)
        clock_in.on_message(([CLOCK], delta_s))
        clock_in.poll(now[0])
    return abs(follower.tempo_bpm - bpm) / bpm * 100


def quantised_error(seed: int, period_frames: int, bpm: float = 120.0) -> float:
    """Tempo error (%) after 4 beats when clocks arrive only at the end of each JACK period
    (48 kHz), as JACK MIDI delivers them."""
    quantum_ns = period_frames / 48000 * 1e9
    phase_ns = random.Random(seed).uniform(0, quantum_ns)
    follower = ClockFollower()
    for t in jittered_clock(bpm, 4 * CLOCKS_PER_BEAT, seed, jitter_ns=300_000):
        follower.feed(CLOCK, int(((t - phase_ns) // quantum_ns + 1) * quantum_ns + phase_ns))
    return abs(follower.tempo_bpm - bpm) / bpm * 100


def simulated() -> dict:
    figures = {"runs_per_tempo": RUNS, "jitter_ms": f"+-{JITTER_NS / 1e6:g} uniform"}
    for bpm in TEMPI_BPM:
        runs = [follow(bpm, seed) for seed in range(RUNS)]
        name = f"{bpm:g}_bpm"
        for beats in (2, 4):
            worst = max(abs(r[f"error_{beats}_beats_bpm"]) for r in runs)
            figures[f"{name}_error_{beats}_beats_bpm_max"] = round(worst, 4)
            figures[f"{name}_error_{beats}_beats_pct_max"] = round(worst / bpm * 100, 4)
        figures[f"{name}_phase_error_ms_max"] = round(max(abs(r["phase_ms"]) for r in runs), 3)
        figures[f"{name}_lock_ms_max"] = round(max(r["lock_ms"] for r in runs), 1)
    bpm = 120.5
    dll = [dll_errors(bpm, seed) for seed in range(RUNS)]
    for beats, i in ((2, 0), (4, 1)):
        figures[f"dll_{bpm:g}_bpm_error_{beats}_beats_pct_max"] = round(
            max(abs(e[i]) for e in dll) / bpm * 100, 4)
    figures["step_120_to_90_bpm_clocks_to_0.5pct_max"] = max(
        step_clocks(seed) for seed in range(RUNS))
    for frames in (128, 256, 512):
        figures[f"jack_{frames}_frames_120_bpm_error_4_beats_pct_max"] = round(
            max(quantised_error(seed, frames) for seed in range(RUNS)), 3)
    for use, label in ((False, "stamps_only"), (True, "with_delta_times")):
        figures[f"late_stamps_error_8_beats_pct_max_{label}"] = round(
            max(late_stamps_error(seed, use) for seed in range(RUNS // 4)), 3)
    return figures


# --- live, through JACK MIDI ----------------------------------------------------------------

class ClockSender(threading.Thread):
    """Sends START then clocks on an rtmidi output at jittered times on this machine's
    monotonic clock; `sent_ns` holds each clock's intended time."""

    def __init__(self, midi_out, bpm: float, clocks: int, seed: int = 1,
                 jitter_ns: float = JITTER_NS, lead_ns: int = 50_000_000):
        super().__init__(name="clock-sender", daemon=True)
        self.midi_out = midi_out
        self.bpm = bpm
        self.clocks = clocks
        self.t0_ns = time.monotonic_ns() + lead_ns
        self.targets = jittered_clock(bpm, clocks, seed, jitter_ns, self.t0_ns)
        self.sent_ns: list[int] = []

    def run(self) -> None:
        self.midi_out.send_message([START])
        for target in self.targets:
            delay_s = (target - time.monotonic_ns()) / 1e9
            if delay_s > 0:
                time.sleep(delay_s)
            self.midi_out.send_message([CLOCK])
            self.sent_ns.append(target)


def live_run(server, bpm: float, seed: int = 1) -> dict:
    """4 beats sent through JACK MIDI: tempo errors after 2 and 4 beats and the phase of
    the fitted last clock against the sender's grid (JACK adds about a period)."""
    import rtmidi

    source = server.client_name("clock-src")
    with server.as_default():
        midi_out = rtmidi.MidiOut(rtmidi.API_UNIX_JACK, name=source)
        try:
            midi_out.open_virtual_port("clock out")
            follower = ClockFollower()
            with MidiClockInput(follower, rtmidi.API_UNIX_JACK, port=source,
                                client_name=server.client_name("clock-in"),
                                arrivals=ArrivalClock()) as clock_in:
                return _follow_live(clock_in, ClockSender(midi_out, bpm, 4 * CLOCKS_PER_BEAT,
                                                          seed))
        finally:
            midi_out.close_port()
            midi_out.delete()


def _follow_live(clock_in: MidiClockInput, sender: ClockSender) -> dict:
    follower = clock_in.follower
    result, events = {}, []
    sender.start()
    deadline = sender.targets[-1] + 500_000_000
    while follower.stats["clocks"] < sender.clocks and time.monotonic_ns() < deadline:
        time.sleep(POLL_S)
        clocks_before = follower.stats["clocks"]
        events += clock_in.poll()
        for beats in (2, 4):
            if clocks_before < beats * CLOCKS_PER_BEAT <= follower.stats["clocks"]:
                result[f"error_{beats}_beats_bpm"] = follower.tempo_bpm - sender.bpm
    sender.join()
    anchor = follower.anchor()
    result["clocks_received"] = follower.stats["clocks"]
    result["start_seen"] = any(e[0] == "start" for e in events)
    if anchor is not None:
        ideal_ns = sender.t0_ns + anchor.clocks * period_ns(sender.bpm)
        result["phase_ms"] = (anchor.t_ns - ideal_ns) / 1e6
    return result


def live() -> dict:
    from reverie.hal.audio.jackd import JackError, JackServer

    figures = {"live_jack_period_frames": LIVE_PERIOD_FRAMES}
    try:
        with JackServer(period_frames=LIVE_PERIOD_FRAMES) as server:
            for bpm in TEMPI_BPM:
                run = live_run(server, bpm)
                name = f"live_{bpm:g}_bpm"
                figures[f"{name}_clocks_received"] = run["clocks_received"]
                for beats in (2, 4):
                    error = run.get(f"error_{beats}_beats_bpm")
                    if error is not None:
                        figures[f"{name}_error_{beats}_beats_bpm"] = round(error, 4)
                        figures[f"{name}_error_{beats}_beats_pct"] = round(error / bpm * 100, 4)
                if "phase_ms" in run:
                    figures[f"{name}_phase_vs_sender_ms"] = round(run["phase_ms"], 3)
    except JackError as exc:
        figures["live_jack"] = f"not run: {exc}"
    return figures


def midi_clock_in(with_live: bool = True) -> dict:
    figures = simulated()
    if with_live:
        figures.update(live())
    return figures
