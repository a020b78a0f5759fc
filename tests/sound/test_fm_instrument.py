"""The fm instrument through a real engine, in physical units: each of the eight algorithms
against an independent numpy model of its equations, operator ratios exact, block-size
invariance, no NaN, no click at note on, note off and voice steal, no zipper when a level
or a fine tune moves, peaks under 0 dBFS at the defaults."""
import math

import numpy as np
import pytest

from fmkit import DELAY, SR, fm_engine, play, render, set_
from reverie.core.defs import SIZES
from reverie.sound.graph import UNITS
from reverie.sound.instruments.fm import BLOCK, FM

# --- the model: the equations of docs/instruments.md "fm", written from the math ---------

# algorithm -> ({operator: the operators that modulate it}, carriers)
TOPOLOGY = {
    1: ({1: [2], 2: [3], 3: [4]}, [1]),
    2: ({1: [2], 2: [3, 4]}, [1]),
    3: ({1: [2, 4], 2: [3]}, [1]),
    4: ({1: [2, 3], 3: [4]}, [1]),
    5: ({1: [2], 3: [4]}, [1, 3]),
    6: ({1: [4], 2: [4], 3: [4]}, [1, 2, 3]),
    7: ({3: [4]}, [1, 2, 3]),
    8: ({}, [1, 2, 3, 4]),
}
HOLD = 16           # frames the amp envelope waits at note on (docs/engine.md)


def adsr(frames, attack_ms, decay_ms, sustain):
    """Linear attack of 1 per attack time, then the distance to the sustain shrinking 60 dB
    per decay time; below -80 dB with sustain 0 it ends at 0. In single precision, as the
    envelope unit keeps its level: the frame where the attack reaches 1 then matches
    (feedback would magnify a frame's difference)."""
    f = np.float32
    out = np.zeros(frames)
    rise = f(1000.0) / (f(attack_ms) * f(SR))
    k = f(math.exp(f(-6.907755279) / (f(decay_ms) * f(0.001) * f(SR))))
    level, attack, dist, sustain = f(0.0), True, f(0.0), f(sustain)
    for t in range(frames):
        if attack:
            level = f(level + rise)
            if level >= 1.0:
                level, attack, dist = f(1.0), False, f(1.0) - sustain
        else:
            dist = f(dist * k)
            level = f(sustain + dist)
            if level < 1e-4 and sustain < 1e-4:
                level = dist = f(0.0)
        out[t] = level
    return out


def model(p, note, velocity, frames):
    """The left channel of one note: ops, algorithm, feedback, envelopes, amp (attack 0.5 ms
    after the hold, sustain 1, level_db, centre, velocity 0)."""
    f0 = float(np.float32(440.0 * 2.0 ** ((note - 69) / 12.0)))     # the note's Hz, as a float
    mods, carriers = TOPOLOGY[p["algorithm"] + 1]
    vel = velocity / 127.0
    d = p["depth"] * (1.0 - p["vel_index"] + p["vel_index"] * vel)
    t = np.arange(frames)
    phase, env, level = {}, {}, {}
    for k in (1, 2, 3, 4):
        ratio = (0.5 if p[f"op{k}_ratio"] == 0 else p[f"op{k}_ratio"]) * 2.0 ** (p[f"op{k}_fine_ct"] / 1200.0)
        phase[k] = 2 * np.pi * np.mod(t * (ratio * f0 / SR), 1.0)
        env[k] = adsr(frames, p[f"op{k}_attack_ms"], p[f"op{k}_decay_ms"], p[f"op{k}_sustain"])
        level[k] = p[f"op{k}_level"]
    s = {4: np.zeros(frames)}
    fb, s1, s2 = p["feedback_rad"], 0.0, 0.0
    for i in range(frames):
        y = env[4][i] * math.sin(phase[4][i] + fb * 0.5 * (s1 + s2))
        s[4][i], s2, s1 = y, s1, y
    for k in (3, 2, 1):
        pm = sum((level[m] * s[m] for m in mods.get(k, [])), np.zeros(frames))
        s[k] = env[k] * np.sin(phase[k] + d * pm)
    mix = sum(level[k] * s[k] for k in carriers) / len(carriers)
    amp = np.concatenate([np.zeros(HOLD), adsr(frames - HOLD, 0.5, 1000.0, 1.0)])
    return mix * amp * 10 ** (p["level_db"] / 20)


PATCH = {"feedback_rad": 1.2, "depth": 1.0, "vel_index": 0.5,
         "op1_ratio": 1, "op1_fine_ct": 0, "op1_level": 0.8, "op1_attack_ms": 3, "op1_decay_ms": 900, "op1_sustain": 0.5,
         "op2_ratio": 3, "op2_fine_ct": 7, "op2_level": 1.6, "op2_attack_ms": 1, "op2_decay_ms": 300, "op2_sustain": 0.2,
         "op3_ratio": 0, "op3_fine_ct": -11, "op3_level": 1.1, "op3_attack_ms": 8, "op3_decay_ms": 2000, "op3_sustain": 0.7,
         "op4_ratio": 7, "op4_fine_ct": 0, "op4_level": 2.3, "op4_attack_ms": 0.5, "op4_decay_ms": 150, "op4_sustain": 0.0,
         "attack_ms": 0.5, "sustain": 1.0, "level_db": -12.0, "pan": 0.0, "velocity": 0.0}


def error_db(got, want):
    return 10 * np.log10(np.sum((got - want) ** 2) / np.sum(want ** 2))


@pytest.mark.parametrize("algorithm", range(8))
def test_each_algorithm_matches_the_model(algorithm):
    """Bound: the engine's output against the model over 0.4 s, error energy over signal
    energy under -80 dB, with feedback 1.2 rad (the bound is stated for up to 2 rad:
    test_feedback_up_to_two_radians). At -12 dB, so the master never limits."""
    p = {s.key: s.default for s in FM} | PATCH | {"algorithm": algorithm}
    frames = 19200
    out = play(p, note=57, velocity=100, frames=frames + DELAY)
    want = model(p, 57, 100, frames)
    got = out[DELAY:, 0].astype(np.float64)
    err = error_db(got, want)
    print(f"algorithm {algorithm + 1}: {err:.1f} dB")
    assert np.isfinite(out).all() and np.abs(want).max() > 0.1
    assert err < -80


@pytest.mark.parametrize("feedback", [0.5, 2.0])
def test_feedback_up_to_two_radians(feedback):
    """Operator 4 alone, a carrier with feedback: against the model within -80 dB."""
    p = {s.key: s.default for s in FM} | PATCH | {"algorithm": 7, "feedback_rad": feedback,
                                                   "op1_level": 0, "op2_level": 0, "op3_level": 0,
                                                   "op4_decay_ms": 3000, "op4_sustain": 0.8}
    out = play(p, note=45, velocity=100, frames=19200 + DELAY)
    want = model(p, 45, 100, 19200)
    err = error_db(out[DELAY:, 0].astype(np.float64), want)
    print(f"feedback {feedback} rad: {err:.1f} dB")
    assert err < -80


def zero_cross_hz(x):
    up = np.flatnonzero((x[:-1] <= 0) & (x[1:] > 0))
    t = up - x[up] / (x[up + 1] - x[up])
    return (len(t) - 1) / ((t[-1] - t[0]) / SR)


@pytest.mark.parametrize("op, ratio, fine, fixed", [(1, 1, 0, 0), (2, 0, 0, 0), (3, 3, 0, 0), (4, 13, 0, 0),
                                                     (2, 7, 25, 0), (3, 1, 0, 1234.5)])
def test_operator_ratio_is_exact(op, ratio, fine, fixed):
    """An operator alone (algorithm 8, the others at level 0): its frequency from the rising
    zero crossings over 1 s is ratio x 2^(fine/1200) x the note's (or fixed_hz) within 0.01
    cent."""
    p = {"algorithm": 7, "op1_level": 0, "op2_level": 0, f"op{op}_level": 1.0, f"op{op}_ratio": ratio,
         f"op{op}_fine_ct": fine, f"op{op}_fixed_hz": fixed, f"op{op}_sustain": 1.0, "sustain": 1.0}
    out = play(p, note=57, frames=52800)
    f0 = float(np.float32(220.0))
    want = fixed or (0.5 if ratio == 0 else ratio) * 2 ** (fine / 1200) * f0
    got = zero_cross_hz(out[4800:, 0].astype(np.float64))
    cents = 1200 * math.log2(got / want)
    print(f"op{op} ratio {ratio} fine {fine} fixed {fixed}: {got:.5f} Hz, {cents:+.5f} ct")
    assert abs(cents) < 0.01


def test_block_layout_matches_the_op():
    """The fm4 node reads its parameters as one block in the unit's order."""
    ids = [FM[k].id for k in BLOCK]
    assert ids == list(range(ids[0], ids[0] + len(UNITS["fm4"].params)))


def scenario(eng):
    eng.note_on(0, 57, 100, frame=eng.frame + 100)
    eng.note_on(0, 64, 80, frame=eng.frame + 3001)
    set_(eng, "op2_level", 3.0, frame=eng.frame + 5003)
    set_(eng, "op1_fine_ct", 30, frame=eng.frame + 6007)
    set_(eng, "algorithm", 4, frame=eng.frame + 7001)
    set_(eng, "feedback_rad", 1.5, frame=eng.frame + 7500)
    eng.note_off(0, 57, frame=eng.frame + 9000)
    set_(eng, "voice_mode", 2, frame=eng.frame + 12000)
    set_(eng, "glide_ms", 30, frame=eng.frame + 12000)
    eng.note_on(0, 60, 120, frame=eng.frame + 12500)
    eng.note_on(0, 67, 120, frame=eng.frame + 14011)
    eng.note_off(0, 64, frame=eng.frame + 16000)
    eng.note_off(0, 67, frame=eng.frame + 18000)
    eng.note_off(0, 60, frame=eng.frame + 19000)


@pytest.mark.parametrize("block", [1, 64, 65, 128, 8193])
def test_block_size_invariance(block):
    values = {"unison": 3, "op3_level": 1.0, "op4_level": 0.7, "feedback_rad": 0.8, "lfo1_pitch_st": 0.3,
              "lfo2_depth": 0.5}
    whole = fm_engine(values)
    scenario(whole)
    want = render(whole, 24000, 24000)
    eng = fm_engine(values)
    scenario(eng)
    got = render(eng, 24000, block)
    assert np.isfinite(got).all() and np.max(np.abs(want)) > 0.05
    assert got.tobytes() == want.tobytes()


def steps(x):
    return np.abs(np.diff(x[:, 0]))


def test_no_click_at_note_on_and_note_off():
    """Bound: around a note on (amp attack 0.5 ms, the shortest; operator attacks 0.5 ms) no
    frame-to-frame step exceeds the held note's own largest step. Around a note off (amp
    release 1 ms, the shortest) it exceeds it by at most what the release takes in a frame:
    1 - 10^(-3 / 48) = 13.4 % of the peak (a pure FM tone's own steps are smaller than a
    saw's, so the release's fall shows)."""
    values = {"attack_ms": 0.5, "release_ms": 1, "op1_attack_ms": 0.5, "op2_attack_ms": 0.5,
              "op1_sustain": 1, "op2_sustain": 1, "op2_ratio": 2, "op2_level": 2.0, "level_db": 0}
    eng = fm_engine(values)
    eng.note_on(0, 45, 127, frame=eng.frame + 1000)
    out = render(eng, 24000)
    eng.note_off(0, 45)
    tail = render(eng, 4800)
    onset = 1000 + DELAY
    held = steps(out[onset + 4800:])
    assert np.isfinite(out).all() and np.isfinite(tail).all()
    assert steps(out[onset - 10:onset + 480]).max() <= held.max()
    release = (1 - 10 ** (-3 / 48)) * np.abs(out[onset + 4800:]).max()
    assert steps(np.concatenate([out[-10:], tail])).max() <= held.max() + release
    assert np.abs(tail[-100:]).max() == 0.0          # the voice ended


def test_no_click_at_voice_steal():
    """Bound: a stolen voice fades out linearly over 5 ms, so stealing changes the sum by at
    most its level / 240 per frame: the steal's largest step stays within the held chord's
    own largest step plus that."""
    poly = SIZES["POLYPHONY"]
    eng = fm_engine({"level_db": -48, "op1_sustain": 1, "op2_sustain": 1, "release_ms": 2000,
                     "velocity": 0})
    for k in range(poly):
        eng.note_on(0, 40 + k % 40, 100)
    held = render(eng, 9600)
    assert eng.stats()["voices"] == poly
    eng.note_on(0, 100, 100)
    after = render(eng, 960)
    one_voice = 10 ** (-48 / 20)
    assert eng.stats()["steals"] == 1
    assert np.isfinite(after).all()
    assert steps(after).max() <= steps(held[4800:]).max() + one_voice / 240 + 1e-6


def far_from_tone_db(key, value_at, carrier_hz=1046.5, note=84):
    """A knob moved every control tick (32 frames) along value_at(seconds): the energy 250 Hz
    or more from the tone, against the tone's."""
    eng = fm_engine({"algorithm": 7, "op2_level": 0, "op1_sustain": 1, "sustain": 1, "level_db": -6})
    eng.note_on(0, note, 100)
    out = np.zeros((48000, 2), np.float32)
    for start in range(0, 48000, 32):
        set_(eng, key, value_at(start / SR))
        eng.render(out[start:start + 32])
    x = out[4800:, 0].astype(np.float64)
    spec = np.abs(np.fft.rfft(x * np.blackman(len(x)))) ** 2
    f = np.fft.rfftfreq(len(x), 1 / SR)
    near = np.abs(f - carrier_hz) < 250
    return 10 * np.log10(spec[~near].sum() / spec[near].sum())


@pytest.mark.parametrize("key, value_at", [
    ("op1_level", lambda s: 0.75 + 0.25 * math.sin(2 * math.pi * 2 * s)),
    ("op1_fine_ct", lambda s: 20 * math.sin(2 * math.pi * 2 * s)),
])
def test_no_zipper_when_a_knob_moves(key, value_at):
    """A carrier's level swept 0.5..1 at 2 Hz, or its fine tune +-20 cents at 2 Hz, a new
    value every control tick: everything 250 Hz or more from the 1046.5 Hz tone stays 90 dB
    under it (the engine ramps both per frame between ticks)."""
    far = far_from_tone_db(key, value_at)
    print(f"{key}: {far:.1f} dB")
    assert far < -90


def test_peak_under_full_scale_at_the_defaults():
    """The defaults, one note at full velocity: no NaN, peak under 0 dBFS with room (the
    engine's output clips at full scale, so a peak at 0.0 would mean an over)."""
    out = play({}, note=60, velocity=127, frames=48000)
    peak = 20 * np.log10(np.abs(out).max())
    print(f"defaults, one note at velocity 127: peak {peak:.1f} dBFS")
    assert np.isfinite(out).all() and -20 < peak < -1


def test_velocity_scales_the_index_and_the_wheel_opens_it():
    """vel_index 1: a soft note has a smaller index, so fewer harmonics (lower spectral
    centroid); the mod wheel adds wheel_depth to the depth, so more harmonics."""
    def centroid(x):
        spec = np.abs(np.fft.rfft(x[4800:, 0].astype(np.float64) * np.hanning(len(x) - 4800)))
        f = np.fft.rfftfreq(len(x) - 4800, 1 / SR)
        return float((spec * f).sum() / spec.sum())
    base = {"vel_index": 1.0, "op1_sustain": 1, "op2_sustain": 1, "velocity": 0, "wheel_depth": 3}
    soft = centroid(play(base, velocity=30, frames=14400))
    loud = centroid(play(base, velocity=127, frames=14400))
    eng = fm_engine(base)
    eng.set_mod(0, 0, 1.0)
    eng.note_on(0, 60, 30)
    wheel = centroid(render(eng, 14400))
    print(f"centroid soft {soft:.0f} Hz, loud {loud:.0f} Hz, soft with the wheel {wheel:.0f} Hz")
    assert loud > 1.4 * soft and wheel > 1.4 * soft


def test_extreme_settings_stay_finite_and_bounded():
    """Every level at 16 rad, depth 4, feedback 2 rad, ratio 16 on a high note (operators past
    Nyquist), velocity to index at full, in each algorithm: finite, and no carrier mix above
    its level (the engine's output clips at full scale, so the track is checked at -40 dB)."""
    for algorithm in range(8):
        values = {"algorithm": algorithm, "feedback_rad": 2, "depth": 4, "vel_index": 1, "level_db": -40,
                  **{f"op{k}_{p}": v for k in (1, 2, 3, 4) for p, v in
                     (("level", 16), ("ratio", 16), ("sustain", 1))}}
        out = play(values, note=120, velocity=127, frames=4800)
        assert np.isfinite(out).all()
        assert np.abs(out).max() <= 16 * 10 ** (-40 / 20) * 1.001


def test_a_block_unit_needs_consecutive_parameters():
    """The compiler refuses, in one line, an fm4 node whose keys are not one run of ids."""
    from reverie.sound.graph import GraphError, Instrument, Node, compile_graph
    keys = list(BLOCK)
    keys[3], keys[4] = keys[4], keys[3]
    bad = Instrument("t", FM.spec, (Node("pitch", "glide"), Node("fm", "fm4", ("pitch",), tuple(keys)),
                                    Node("amp", "adsr"), Node("out", "out", ("fm", "amp"))))
    with pytest.raises(GraphError) as e:
        compile_graph(bad)
    assert "consecutive" in str(e.value) and "\n" not in str(e.value)
