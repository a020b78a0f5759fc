"""The synth instrument through the engine's voice programs, in physical units: block-size
invariance, no NaN and no click at note on, note off and voice steal, no zipper noise,
modulation that routes (LFO to cutoff, velocity to level, the mod wheel), mono, legato and
glide timing in frames, unison detune in cents."""
import numpy as np
import pytest

from enginekit import db, neutral_engine, render
from reverie.core.defs import SIZES
from reverie.sound.graph import compile_graph
from reverie.sound.instruments.synth import SYNTH

SR = 48000.0
PROGRAM = compile_graph(SYNTH).program
# A plain sine with no filter: frequency and level read straight off the output.
SINE = {"osc1_shape": 3, "osc2_level": 0, "cutoff_hz": 20000, "env_amount_oct": 0, "resonance": 0,
        "attack_ms": 1, "decay_ms": 1, "sustain": 1, "release_ms": 50, "level_db": -12,
        "velocity": 0}


def synth(values=None, track=0):
    eng = neutral_engine(SR)
    eng.set_program(track, PROGRAM)
    merged = {s.key: s.default for s in SYNTH} | (values or {})
    for key, value in merged.items():
        eng.set_param(track, SYNTH[key].id, float(value))
    eng.render(np.zeros((64, 2), np.float32))     # the parameters settle (a new program's jump)
    return eng


def set_(eng, key, value, frame=-1, track=0):
    eng.set_param(track, SYNTH[key].id, float(value), frame)


def steps(x):
    return np.abs(np.diff(x[:, 0]))


def rms(x):
    return float(np.sqrt(np.mean(np.square(x[:, 0], dtype=np.float64))))


def zero_cross_hz(x, start, end):
    """Mean frequency of the left channel in [start, end) from its rising zero crossings."""
    s = x[start:end, 0]
    up = np.flatnonzero((s[:-1] <= 0) & (s[1:] > 0))
    frac = -s[up] / (s[up + 1] - s[up])
    t = up + frac
    return (len(t) - 1) / ((t[-1] - t[0]) / SR)


def scenario(eng):
    """Notes, a steal of nothing, parameter changes and a mono glide at fixed frames."""
    eng.note_on(0, 57, 100, frame=eng.frame + 100)
    eng.note_on(0, 64, 80, frame=eng.frame + 3001)
    set_(eng, "cutoff_hz", 4000, frame=eng.frame + 5003)
    set_(eng, "lfo1_cutoff_oct", 1.5, frame=eng.frame + 6007)
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
    values = {"unison": 3, "noise_level": 0.2, "sub_level": 0.3, "lfo1_cutoff_oct": 0.5,
              "mod1_source": 2, "mod1_dest": 1, "mod1_amount": 0.3}
    whole = synth(values)
    scenario(whole)
    want = render(whole, 24000, 24000)
    eng = synth(values)
    scenario(eng)
    got = render(eng, 24000, block)
    assert np.isfinite(got).all() and np.max(np.abs(want)) > 0.05
    assert got.tobytes() == want.tobytes()


def test_no_click_at_note_on_and_note_off():
    """Bound: around a note on (attack 0.5 ms, the shortest) and a note off (release 1 ms,
    the shortest) no frame-to-frame step exceeds the held note's own largest step."""
    eng = synth({"attack_ms": 0.5, "release_ms": 1, "sustain": 1, "cutoff_hz": 3000,
                 "env_amount_oct": 0, "osc2_level": 0})
    eng.note_on(0, 45, 127, frame=eng.frame + 1000)
    out = render(eng, 24000)
    eng.note_off(0, 45)
    tail = render(eng, 4800)
    onset = 1000 + 71           # the limiter's look-ahead
    held = steps(out[onset + 4800:])
    assert np.isfinite(out).all() and np.isfinite(tail).all()
    assert steps(out[onset - 10:onset + 480]).max() <= held.max()
    assert steps(np.concatenate([out[-10:], tail]) ).max() <= held.max()
    assert np.abs(tail[-100:]).max() == 0.0          # the voice ended


def test_no_click_at_voice_steal():
    """Bound: a stolen synth voice fades out linearly over 5 ms, so stealing changes the sum
    by at most its level / 240 per frame: the steal's largest step stays within the held
    chord's own largest step plus that."""
    poly = SIZES["POLYPHONY"]
    eng = synth({"osc1_shape": 3, "osc2_level": 0, "cutoff_hz": 20000, "level_db": -48,
                 "attack_ms": 1, "sustain": 1, "release_ms": 2000, "velocity": 0})
    for k in range(poly):
        eng.note_on(0, 40 + k % 40, 100)
    held = render(eng, 9600)
    assert eng.stats()["voices"] == poly
    eng.note_on(0, 100, 100)
    after = render(eng, 960)
    one_voice = 10 ** (-48 / 20)
    assert eng.stats()["steals"] == 1
    assert steps(after).max() <= steps(held[4800:]).max() + one_voice / 240 + 1e-6


@pytest.mark.parametrize("key, centre, depth", [("level_db", -12, 6), ("cutoff_hz", 1046.5, 0)])
def test_no_zipper_when_a_knob_moves(key, centre, depth):
    """A knob swept along a 2 Hz sine (level +-6 dB; cutoff 1 to 2 octaves around a 1046.5 Hz
    sine), a new value every control tick (32 frames) as the fastest control moves it: the
    engine ramps every frame in between, so there are no steps at the tick rate (1.5 kHz):
    everything 250 Hz or more from the tone is 90 dB under it. (Stepped, the same sweep puts
    its tick-rate sidebands at -60 dB.)"""
    eng = synth(SINE | ({"cutoff_hz": 2000, "filter_mode": 0} if key == "cutoff_hz" else {}))
    eng.note_on(0, 84, 100)
    out = np.zeros((48000, 2), np.float32)
    for start in range(0, 48000, 32):
        phase = np.sin(2 * np.pi * 2 * start / SR)
        set_(eng, key, centre + depth * phase if depth else centre * 2 ** (1.5 + 0.5 * phase))
        eng.render(out[start:start + 32])
    x = out[4800:, 0].astype(np.float64)
    spec = np.abs(np.fft.rfft(x * np.blackman(len(x)))) ** 2
    f = np.fft.rfftfreq(len(x), 1 / SR)
    tone = spec[np.abs(f - 1046.5) < 250].sum()
    far = spec[np.abs(f - 1046.5) >= 250].sum()
    assert 10 * np.log10(far / tone) < -90


def centroid(x, hop=480):
    c = []
    for start in range(0, len(x) - 2048, hop):
        s = np.abs(np.fft.rfft(x[start:start + 2048, 0] * np.hanning(2048)))
        f = np.fft.rfftfreq(2048, 1 / SR)
        c.append(np.sum(f * s) / np.sum(s))
    return np.array(c)


def test_lfo_on_cutoff_moves_the_spectral_centroid_at_the_lfo_rate():
    eng = synth({"cutoff_hz": 800, "env_amount_oct": 0, "lfo1_rate_hz": 3, "lfo1_cutoff_oct": 2,
                 "sustain": 1, "osc2_level": 0})
    eng.note_on(0, 45, 100)
    c = centroid(render(eng, 3 * 48000)[4800:])
    spectrum = np.abs(np.fft.rfft(c - c.mean()))
    rate = np.fft.rfftfreq(len(c), 480 / SR)[np.argmax(spectrum)]
    assert abs(rate - 3.0) < 0.2
    assert c.max() / c.min() > 2.0          # four octaves of sweep move it a lot

    still = synth({"cutoff_hz": 800, "env_amount_oct": 0, "lfo1_cutoff_oct": 0, "sustain": 1,
                   "osc2_level": 0})
    still.note_on(0, 45, 100)
    c0 = centroid(render(still, 48000)[4800:])
    assert c0.max() / c0.min() < 1.01


def test_velocity_to_level_scales_rms():
    def level(velocity):
        eng = synth(SINE | {"velocity": 1})
        eng.note_on(0, 69, velocity)
        return rms(render(eng, 24000)[4800:])
    assert db(level(127) / level(64)) == pytest.approx(db(127 / 64), abs=0.05)
    flat = synth(SINE)
    flat.note_on(0, 69, 20)
    assert rms(render(flat, 24000)[4800:]) == pytest.approx(level(127), rel=1e-3)


def test_mod_wheel_through_the_matrix_opens_the_filter():
    def bright(wheel):
        eng = synth({"cutoff_hz": 300, "env_amount_oct": 0, "osc2_level": 0, "mod1_source": 7, "mod1_dest": 0,
                     "mod1_amount": 0.3, "sustain": 1})
        eng.set_mod(0, 0, wheel)
        eng.note_on(0, 45, 100)
        return centroid(render(eng, 24000)[4800:]).mean()
    # 0.3 of the cutoff's 10 octaves: 3 octaves up with the wheel at the top
    assert bright(1.0) > 2.5 * bright(0.0)


def test_legato_glides_in_time_and_pitch():
    """Legato, glide 100 ms: from A3 to A4, half-way (2400 frames) at 311.1 Hz (straight in
    pitch), there after 4800 frames; no new attack."""
    eng = synth(SINE | {"voice_mode": 2, "glide_ms": 100, "attack_ms": 20, "decay_ms": 50,
                        "sustain": 0.5})
    eng.note_on(0, 57, 100)
    first = render(eng, 24000)
    start = eng.frame + 71
    eng.note_on(0, 69, 100)
    out = render(eng, 24000)
    assert zero_cross_hz(out, 2400 - 240 + 71, 2400 + 240 + 71) == pytest.approx(220 * 2 ** 0.5, rel=0.02)
    assert zero_cross_hz(out, 4800 + 71, 9600) == pytest.approx(440.0, rel=0.001)
    assert zero_cross_hz(first, 12000, 24000) == pytest.approx(220.0, rel=0.001)
    # no retrigger: the level stays at the sustain
    assert rms(out[71:960]) == pytest.approx(rms(first[-4800:]), rel=0.02)
    assert start > 0
    # let go of A4 while A3 is held: back to A3, gliding
    eng.note_off(0, 69)
    back = render(eng, 24000)
    assert zero_cross_hz(back, 9600, 24000) == pytest.approx(220.0, rel=0.001)


def test_mono_retriggers_the_envelope_from_its_level():
    """Mono: a new note restarts the attack (20 ms: 960 frames from 0 to 1) from the sustain
    level 0.25, so it peaks 720 frames later."""
    eng = synth(SINE | {"voice_mode": 1, "attack_ms": 20, "decay_ms": 2000, "sustain": 0.25,
                        "level_db": -6})
    eng.note_on(0, 57, 100)
    render(eng, 48000 * 3)
    eng.note_on(0, 64, 100)
    out = render(eng, 4800)
    env = np.array([np.abs(out[k:k + 96, 0]).max() for k in range(0, 4800 - 96, 32)])
    peak = int(np.argmax(env)) * 32 - 71
    assert 720 - 64 <= peak <= 720 + 64
    assert env[0] < 0.5 * env.max()          # it rose from the sustain, no jump
    assert steps(out).max() < 0.05
    assert eng.stats()["voices"] == 1


@pytest.mark.parametrize("detune", [10.0, 40.0])
def test_unison_detune_in_cents_from_the_spectrum(detune):
    """Unison 3 at `detune` cents: copies at -detune/2, 0 and +detune/2 cents; with spread 1
    the lowest is left, the highest right."""
    eng = synth(SINE | {"unison": 3, "detune_ct": detune, "spread": 1})
    eng.note_on(0, 81, 100)          # 880 Hz
    x = render(eng, 4 * 48000)[4800:]
    f = np.fft.rfftfreq(len(x), 1 / SR)
    window = np.blackman(len(x))
    specs = [np.abs(np.fft.rfft(x[:, c] * window)) for c in (0, 1)]
    peaks = []
    for cents in (-detune / 2, 0, detune / 2):
        hz = 880 * 2 ** (cents / 1200)
        band = (f > hz - 1) & (f < hz + 1)
        k = np.flatnonzero(band)[np.argmax((specs[0] + specs[1])[band])]
        a, b, c = np.log((specs[0] + specs[1])[k - 1:k + 2])
        peaks.append(f[k] + (a - c) / (2 * (a - 2 * b + c)) * (f[1] - f[0]))
    measured = [1200 * np.log2(p / 880) for p in peaks]
    assert measured == pytest.approx([-detune / 2, 0, detune / 2], abs=0.3)
    low, high = [np.argmin(np.abs(f - p)) for p in (peaks[0], peaks[2])]
    assert specs[0][low] > 10 * specs[1][low] and specs[1][high] > 10 * specs[0][high]
    assert eng.stats()["voices"] == 3


def test_the_ladder_is_selectable_and_both_filters_low_pass():
    def high_energy(kind):
        eng = synth({"filter_type": kind, "cutoff_hz": 500, "resonance": 0.1, "env_amount_oct": 0,
                     "sustain": 1, "osc2_level": 0})
        eng.note_on(0, 45, 100)
        x = render(eng, 24000)[4800:, 0]
        s = np.abs(np.fft.rfft(x)) ** 2
        f = np.fft.rfftfreq(len(x), 1 / SR)
        return s[f > 4000].sum() / s.sum()
    svf, ladder = high_energy(0), high_energy(1)
    assert svf < 1e-4 and ladder < 1e-4 and ladder != svf
