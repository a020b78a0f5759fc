"""One scenario per unit for the tests every unit passes (test_every_unit.py): how to make it,
how to call it, parameter changes mid-way, audio-rate inputs, extreme parameters, and which
parameter to sweep for the zipper test."""
import numpy as np

import reverie.core.units_probe as U
from reverie.core.units.wavetable_build import mipmaps
from unitkit import SR

FRAMES = 1 << 17            # input length: enough for every test below
t = np.arange(FRAMES) / SR


def sine(freq_hz, amplitude=1.0, frames=FRAMES):
    return (amplitude * np.sin(2 * np.pi * freq_hz * np.arange(frames) / SR)).astype(np.float32)


def band_limited_saw(freq_hz, frames=FRAMES):
    osc = U.Osc(SR)
    out = np.zeros(frames + U.BLEP_LATENCY_FRAMES, np.float32)
    osc.render(out, U.OSC_SHAPES["saw"], freq_hz)
    return out[U.BLEP_LATENCY_FRAMES:].copy()


def saw_frames(count=4, size=2048):
    """count frames morphing from a sine to a saw (harmonics up to size / 2)."""
    x = np.arange(size) / size
    out = []
    for f in range(count):
        top = 1 + (size // 2 - 1) * f // max(1, count - 1)
        out.append(sum(np.sin(2 * np.pi * h * x) / h for h in range(1, top + 1)))
    return np.array(out, dtype=np.float32)


TABLES = mipmaps(saw_frames())
SYNC = np.full(FRAMES, U.NO_SYNC, np.float32)
SYNC[::97] = 0.25


class Scenario:
    def __init__(self, name, make, call, changes, inputs=None, extremes=(), sweep=None,
                 note_on=None, bound=8.0, click_bound=None, start=None):
        self.name = name
        self.make = make            # () -> unit
        self.call = call            # (unit, out, **params_and_inputs)
        self.changes = changes      # [(frame, params)]
        self.inputs = inputs or {}  # audio-rate inputs, sliced with the output
        self.extremes = extremes    # params that must still give finite, bounded output
        self.sweep = sweep          # (param, lo, hi): swept in steps for the zipper test
        self.note_on = note_on      # (unit) -> None: what a note on calls
        self.bound = bound          # no output beyond +-bound, whatever the parameters
        self.click_bound = click_bound  # largest step at a note on (None: the unit's own)
        self.start = start          # (unit) -> None: called once after make, before rendering

    def new(self):
        unit = self.make()
        if self.start:
            self.start(unit)
        return unit

    def __repr__(self):
        return self.name


def osc_call(shape):
    def call(u, out, freq_hz=220.0, pulse_width=0.5, fm=None, sync_in=None):
        u.render(out, U.OSC_SHAPES[shape], freq_hz, pulse_width, fm=fm, sync_in=sync_in)
    return call


def unison_call(u, out, freq_hz=220.0, detune_cents=20.0, spread=0.7, voices=None):
    right = np.zeros_like(out)
    u.render(out, right, U.OSC_SHAPES["saw"], freq_hz, 0.5, detune_cents, spread)
    out += 0.5 * right      # both channels count


INF, NAN = float("inf"), float("nan")
HUGE = 1e30

SCENARIOS = [
    Scenario("osc-saw", lambda: U.Osc(SR), osc_call("saw"),
             [(0, {"freq_hz": 220.0}), (5003, {"freq_hz": 1760.0}), (12000, {"freq_hz": 93.3})],
             extremes=[{"freq_hz": INF}, {"freq_hz": NAN}, {"freq_hz": -5.0}, {"freq_hz": HUGE}],
             note_on=lambda u: u.reset(0.0)),
    Scenario("osc-square-pwm", lambda: U.Osc(SR), osc_call("square"),
             [(0, {"freq_hz": 330.0, "pulse_width": 0.5}), (4000, {"pulse_width": 0.1}),
              (9000, {"pulse_width": 0.93, "freq_hz": 6000.0})],
             extremes=[{"pulse_width": NAN}, {"pulse_width": -3.0}, {"pulse_width": 9.0},
                       {"freq_hz": 23999.0, "pulse_width": 0.01}],
             sweep=("pulse_width", 0.2, 0.8), note_on=lambda u: u.reset(0.0)),
    Scenario("osc-triangle-fm", lambda: U.Osc(SR), osc_call("triangle"),
             [(0, {"freq_hz": 440.0})],
             inputs={"fm": (1.0 + 0.5 * np.sin(2 * np.pi * 3.0 * t)).astype(np.float32)},
             extremes=[{"freq_hz": INF}]),
    Scenario("osc-sine-sync", lambda: U.Osc(SR), osc_call("sine"),
             [(0, {"freq_hz": 1234.5})], inputs={"sync_in": SYNC},
             extremes=[{"freq_hz": NAN}]),
    Scenario("wavetable", lambda: U.Wavetable(SR, TABLES),
             lambda u, out, freq_hz=110.0, position=0.0, fm=None: u.render(out, freq_hz, position, fm=fm),
             [(0, {"freq_hz": 110.0, "position": 0.0}), (3000, {"position": 2.5}),
              (9001, {"freq_hz": 3000.0, "position": 3.0})],
             extremes=[{"position": NAN}, {"position": 1e9}, {"freq_hz": INF}, {"freq_hz": -1.0}],
             sweep=("position", 0.0, 3.0)),
    Scenario("noise-white", lambda: U.Noise(SR),
             lambda u, out, color=0: u.render(out, color), [(0, {"color": 0})],
             extremes=[{"color": 99}, {"color": -1}], note_on=lambda u: u.reset(7)),
    Scenario("noise-pink", lambda: U.Noise(SR),
             lambda u, out, color=1: u.render(out, color), [(0, {"color": 1}), (7000, {"color": 1})],
             note_on=lambda u: u.reset(7)),
    Scenario("fm-operator", lambda: U.FmOp(SR),
             lambda u, out, note_hz=220.0, ratio=2.0, level=1.0, feedback=0.0, pm=None:
             u.render(out, note_hz, ratio, 0.0, level, feedback, pm=pm),
             [(0, {"note_hz": 220.0, "ratio": 2.0}), (6000, {"level": 0.3, "feedback": 1.5}),
              (11000, {"ratio": 0.5, "level": 1.0})],
             inputs={"pm": sine(330.0, 2.0)},
             extremes=[{"ratio": INF}, {"note_hz": NAN}, {"level": INF, "feedback": INF},
                       {"level": NAN, "feedback": NAN}, {"note_hz": 30000.0}], bound=16.0,
             sweep=("level", 0.2, 1.0)),
    Scenario("ladder", lambda: U.Ladder(SR),
             lambda u, out, cutoff_hz=800.0, resonance=0.5, inp=None: u.render(out, inp, cutoff_hz, resonance),
             [(0, {"cutoff_hz": 800.0, "resonance": 0.5}), (5000, {"cutoff_hz": 3000.0}),
              (10000, {"resonance": 1.0, "cutoff_hz": 200.0})],
             inputs={"inp": band_limited_saw(110.0)},
             extremes=[{"cutoff_hz": NAN}, {"cutoff_hz": INF, "resonance": INF},
                       {"cutoff_hz": -1.0, "resonance": NAN}, {"cutoff_hz": 1e9, "resonance": 1.0}],
             sweep=("cutoff_hz", 500.0, 2000.0)),
    Scenario("adsr", lambda: U.Adsr(SR),
             lambda u, out, a=5.0, d=50.0, s=0.5, r=80.0, curved=0, gate=None: u.render(out, a, d, s, r, curved),
             [(0, {"a": 5.0, "d": 50.0, "s": 0.5}), (3000, {"s": 0.8, "curved": 1}), (9000, {"r": 30.0})],
             extremes=[{"a": NAN, "d": NAN, "s": NAN, "r": NAN}, {"a": INF, "d": -1.0, "s": INF, "r": 0.0}],
             note_on=lambda u: u.reset(), start=lambda u: u.reset()),
    Scenario("ad", lambda: U.Ad(SR),
             lambda u, out, a=2.0, d=120.0, curved=1: u.render(out, a, d, curved),
             [(0, {"a": 2.0, "d": 120.0}), (4000, {"d": 30.0})],
             extremes=[{"a": NAN, "d": INF}, {"a": -1.0, "d": 0.0}], note_on=lambda u: u.reset(),
             start=lambda u: u.reset()),
    Scenario("lfo-smooth-random", lambda: U.Lfo(SR, 5),
             lambda u, out, shape=6, rate_hz=7.0, cpb=0.0, bpm=120.0, offset=0.0:
             u.render(out, shape, rate_hz, cpb, bpm, offset),
             [(0, {"rate_hz": 7.0}), (5000, {"shape": 5}), (9000, {"shape": 0, "cpb": 4.0, "offset": 0.3})],
             extremes=[{"rate_hz": INF}, {"rate_hz": NAN, "offset": NAN}, {"cpb": INF, "bpm": NAN},
                       {"shape": 77}], note_on=lambda u: u.reset(True), click_bound=0.082),
    Scenario("drive", lambda: U.Drive(SR),
             lambda u, out, drive_db=12.0, inp=None: u.render(out, inp, drive_db),
             [(0, {"drive_db": 12.0}), (7000, {"drive_db": 30.0})], inputs={"inp": sine(220.0, 0.8)},
             extremes=[{"drive_db": NAN}, {"drive_db": INF}, {"drive_db": -INF}],
             sweep=("drive_db", 0.0, 24.0), note_on=lambda u: u.reset()),
    Scenario("bitcrush", lambda: U.BitCrush(SR),
             lambda u, out, bits=6.0, inp=None: u.render(out, inp, bits),
             [(0, {"bits": 6.0}), (7000, {"bits": 2.5})], inputs={"inp": sine(220.0, 0.8)},
             extremes=[{"bits": NAN}, {"bits": 0.0}, {"bits": INF}], note_on=lambda u: u.reset()),
    Scenario("ratecrush", lambda: U.RateCrush(SR),
             lambda u, out, rate_hz=4321.5, inp=None: u.render(out, inp, rate_hz),
             [(0, {"rate_hz": 4321.5}), (7000, {"rate_hz": 777.7})], inputs={"inp": sine(220.0, 0.8)},
             extremes=[{"rate_hz": NAN}, {"rate_hz": 0.0}, {"rate_hz": INF}], note_on=lambda u: u.reset()),
    Scenario("glide", lambda: U.Glide(SR),
             lambda u, out, target=440.0, ms=100.0, mode=0: u.render(out, target, ms, mode),
             [(0, {"target": 440.0}), (2000, {"target": 220.0}), (9000, {"target": 1000.0, "mode": 1})],
             extremes=[{"target": NAN}, {"target": INF, "ms": INF}, {"target": -4.0, "ms": NAN}],
             bound=24000.0),
    Scenario("unison", lambda: U.Unison(SR), unison_call,
             [(0, {"freq_hz": 220.0}), (6000, {"detune_cents": 50.0, "spread": 0.2})],
             extremes=[{"freq_hz": NAN, "detune_cents": NAN, "spread": NAN},
                       {"detune_cents": INF, "spread": -INF}], bound=24000.0,
             sweep=("spread", 0.0, 1.0), start=lambda u: u.reset(5)),
    Scenario("fold", lambda: U.Fold(SR),
             lambda u, out, gain=1.5, inp=None: u.render(out, inp, gain),
             [(0, {"gain": 1.5}), (7000, {"gain": 4.0})], inputs={"inp": sine(220.0, 0.9)},
             extremes=[{"gain": NAN}, {"gain": INF}], sweep=("gain", 0.5, 3.0),
             note_on=lambda u: u.reset()),
]
