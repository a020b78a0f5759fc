"""Sequencer benchmarks (docs/bench.md):

- `seq-onsets`: a dense pattern (16 MIDI tracks, every speed, swing, micro-timing, retrigs,
  a tempo change) played offline and through the live audio callback on a JACK dummy
  server; every onset's frame is compared with its ideal frame, computed here with exact
  fractions (the first sample at or after the ideal time).
- `seq-stage`: the `stage` load plus the sequencer running 16 tracks x 128 steps, every
  step a trig with four parameter locks and a retrig; the extra render time in percent.
"""
from __future__ import annotations

import math
import time
from fractions import Fraction

import numpy as np

from reverie.core.defs import SIZES, SPEED_NAMES, SPEED_TICKS, Speed, TrackKind, TrackParam as P

SR = 48000
TPB = SIZES["TICKS_PER_BEAT"]
STEP = SIZES["STEP_TICKS"]
MICRO_DIV = SIZES["MICRO_DIV"]
SPEEDS = tuple(Speed)                   # track k plays at SPEEDS[k % 7]


# --- onsets -----------------------------------------------------------------------------------

def onset_pattern():
    """Track k: speed SPEEDS[k % 7], length 16 + k, swing 58 %, a micro offset on every step,
    a retrig (rate 3) on every fifth step."""
    from reverie.seq.buffer import PatternBuffer

    pb = PatternBuffer(length=64, swing=58)
    for k in range(16):
        pb.track(k, length=16 + k, speed=SPEED_NAMES[SPEEDS[k % 7]])
        for i in range(16 + k):
            pb.step(k, i, notes=(36 + i % 48,), micro=(7 * i + k) % 97 - 48, length=0.5,
                    retrig=(3, 1, -0.3) if i % 5 == 4 else None)
    return pb


def ideal_onsets(seconds_frames: int, start: int, bpm0, change_frame: int, bpm1) -> list:
    """(frame, channel) of every note-on, computed from the pattern's definition with exact
    fractions, the tempo changing at the first tick whose ideal time is at/after change_frame."""
    k0 = Fraction(SR * 60) / (Fraction(str(bpm0)) * TPB)
    k1 = Fraction(SR * 60) / (Fraction(str(bpm1)) * TPB)
    t_change = math.ceil((change_frame - start) / k0)
    at_change = start + t_change * k0

    def frame(t):
        return math.ceil(start + t * k0) if t < t_change else math.ceil(at_change + (t - t_change) * k1)

    pass_ticks = 64 * STEP
    out = []
    for k in range(16):
        st = Fraction(SPEED_TICKS[SPEEDS[k % 7]])
        length = 16 + k
        trigs = []                       # (onset tick, retrig step?) in onset order
        for p in range(64):
            if frame(p * pass_ticks) > start + seconds_frames:
                break
            n = 0
            while n * st < pass_ticks:
                i = n % length
                onset = p * pass_ticks + n * st + st * ((7 * i + k) % 97 - 48) / MICRO_DIV
                if n % 2:
                    onset += st * 8 / 50
                trigs.append((max(onset, 0), i % 5 == 4))
                n += 1
        trigs.sort()
        for j, (onset, retrig) in enumerate(trigs):
            hits = [onset]
            if retrig:
                # the repeats go on until the track's next trig starts
                nxt = trigs[j + 1][0] if j + 1 < len(trigs) else None
                hits += [h for h in (onset + st / 3, onset + 2 * st / 3) if nxt is None or h < nxt]
            out += [(frame(h), k) for h in hits if frame(h) < start + seconds_frames]
    return sorted(out)


def onset_engine():
    from reverie.sound.buses import make_engine

    eng = make_engine(SR)
    for k in range(16):
        eng.seq_track(k, TrackKind.KIND_MIDI, k)
    eng.seq_set_pattern(0, onset_pattern().build())
    return eng


def collect_onsets(eng, until: int, poll) -> list:
    got = []
    while eng.frame < until:
        poll()
        got += [(f, b[0] & 15) for f, _, b in eng.poll_midi() if b[0] & 0xF0 == 0x90]
    got += [(f, b[0] & 15) for f, _, b in eng.poll_midi() if b[0] & 0xF0 == 0x90]
    return sorted(got)


def compare(got: list, want: list) -> dict:
    got_until = [g for g in got if g[0] < want[-1][0]]
    want_until = [w for w in want if w[0] < want[-1][0]]
    errors = [abs(g[0] - w[0]) for g, w in zip(got_until, want_until)]
    return {"onsets": len(want_until), "matched": len(got_until) == len(want_until) and max(errors, default=0) == 0,
            "max_error_frames": max(errors, default=0)}


def offline_onsets(seconds: float, block: int = 173) -> dict:
    frames, start = int(seconds * SR), 4800
    change = start + frames // 2 + 777
    eng = onset_engine()
    eng.seq_tempo(133.3)
    eng.seq_play(0, frame=start)
    eng.seq_tempo(101.25, frame=change)
    out = np.zeros((block, 2), np.float32)
    return compare(collect_onsets(eng, start + frames, lambda: eng.render(out)),
                   ideal_onsets(frames, start, "133.3", change, "101.25"))


def seq_onsets(seconds: float = 20.0) -> dict:
    from reverie.hal.audio.output import AudioSettings, open_output, portaudio_on_jack
    from reverie.hal.audio.jackd import JackServer

    frames = int(seconds * SR)
    start = 4800
    change = start + frames // 2 + 777
    want = ideal_onsets(frames, start, "133.3", change, "101.25")

    def arm(eng, at):
        eng.seq_tempo(133.3)
        eng.seq_play(0, frame=at)
        eng.seq_tempo(101.25, frame=at - start + change)

    offline = offline_onsets(seconds)

    # live: the same engine code in the PortAudio callback, the clock from a JACK server
    eng = onset_engine()
    settings = AudioSettings(device="JACK Audio Connection Kit", sample_rate_hz=SR, period_frames=128)
    with JackServer(SR, 128) as server, portaudio_on_jack(server):
        with open_output(eng, settings) as output:
            output.start()
            while eng.frame == 0:
                time.sleep(0.01)
            live_start = eng.frame + SR // 2
            arm(eng, live_start)
            shift = live_start - start
            got = collect_onsets(eng, live_start + frames, lambda: time.sleep(0.02))
    live = compare([(f - shift, c) for f, c in got], want)
    return {"offline_onsets": offline["onsets"], "offline_max_error_frames": offline["max_error_frames"],
            "offline_all_exact": offline["matched"],
            "live_onsets": live["onsets"], "live_max_error_frames": live["max_error_frames"],
            "live_all_exact": live["matched"]}


# --- overhead on the stage load ------------------------------------------------------------------

def dense_pattern():
    """16 tracks x 128 steps; every step a trig (note 100) with four p-locks and a retrig."""
    from reverie.seq.buffer import PatternBuffer

    pb = PatternBuffer(length=128)
    for k in range(16):
        pb.track(k, length=128)
        for i in range(128):
            pb.step(k, i, notes=(100,), length=0.25, retrig=(4, 1, -0.5),
                    locks=[(P.P_CUTOFF, 500.0 + 40 * ((i + k) % 50)), (P.P_RESONANCE, 0.1 + 0.005 * (i % 100)),
                           (P.P_PAN, ((i * 7) % 21 - 10) / 10), (P.P_LEVEL, -24.0 - (i % 6))])
    return pb


def seq_stage(seconds: float = 10.0, repeats: int = 3) -> dict:
    """The `stage` load with and without the dense pattern playing. The pattern's trigs play
    a note on an empty sample slot, so they start no voice: what is measured is the
    sequencer's own work (scanning, conditions, retrigs, note and gate handling) and the
    locks' effect on the 64 sounding voices (their filters are redesigned at every lock)."""
    from reverie.app.bench.engine import time_blocks, voices_engine

    def engine(seq: bool):
        eng = voices_engine(64, 16, True)
        for k in range(16):
            eng.set_param(k, P.P_SAMPLE, 400)        # empty: the 64 voices keep their sample
        if seq:
            eng.seq_set_pattern(0, dense_pattern().build())
            eng.seq_tempo(120)
            eng.seq_play(0)
        eng.render(np.zeros((128, 2), np.float32))
        return eng

    base, with_seq, events = [], [], 0
    for _ in range(repeats):
        base.append(float(np.sum(time_blocks(engine(False), seconds, 128))))
        eng = engine(True)
        with_seq.append(float(np.sum(time_blocks(eng, seconds, 128))))
        events = eng.stats()["silent_trigs"]
    b, s = min(base), min(with_seq)
    return {"stage_ms": round(b / 1e6, 1), "stage_with_sequencer_ms": round(s / 1e6, 1),
            "overhead_percent": round(100 * (s - b) / b, 2),
            "trigs_per_second": round(events / seconds), "realtime_factor": round(seconds * 1e9 / s, 2)}
