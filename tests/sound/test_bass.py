"""The bass instrument played by the sequencer, in frames and physical units: a slid step glides
into the next note over the slide time without retriggering the envelopes, a plain step
retriggers, an accented step is louder and brighter by the stated amounts, the note starts on
its frame, block-size invariance, no NaN, no clicks, no zipper, peaks below 0 dBFS, and every
factory preset renders."""
import math
import sys
import tomllib
from fractions import Fraction
from pathlib import Path

import numpy as np
import pytest

sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "core"))
from enginekit import db, limiter_delay, neutral_engine, render  # noqa: E402

import reverie  # noqa: E402
from reverie.core.defs import SIZES, TrackKind  # noqa: E402
from reverie.seq.buffer import PatternBuffer  # noqa: E402
from reverie.sound.graph import compile_graph  # noqa: E402
from reverie.sound.instruments import INSTRUMENTS, program_for  # noqa: E402
from reverie.sound.instruments.bass import BASS  # noqa: E402

SR = 48000.0
BPM = 120
STEP = 6000                 # frames of a step (a 16th) at 120 BPM, 48 kHz
START = 1000                # the transport starts here
LATE = limiter_delay(SR) + 16    # the limiter's look-ahead, the oscillator's BLEP delay
PRESETS = Path(reverie.__file__).parent / "sound" / "presets" / "bass"
# The oscillator near a sine: a low cutoff, no resonance, no envelopes on the filter, no drive.
ROUND = {"cutoff_hz": 150, "resonance": 0, "env_amount_oct": 0, "accent_oct": 0, "drive_db": 0,
         "sustain": 1, "amp_decay_ms": 1000, "velocity": 0}


def bass(values=None, track=0):
    eng = neutral_engine(SR)
    eng.seq_track(track, TrackKind.KIND_AUDIO, 0)
    eng.set_program(track, program_for("bass"))
    merged = {s.key: s.default for s in BASS} | (values or {})
    for key, value in merged.items():
        eng.set_param(track, BASS[key].id, float(BASS[key].check(value)))
    eng.render(np.zeros((64, 2), np.float32))
    return eng


def sequence(eng, steps, length=16):
    """steps: {index: dict of PatternBuffer.step arguments}; plays from frame START."""
    pb = PatternBuffer(length)
    pb.track(0, length)
    for i, kw in steps.items():
        pb.step(0, i, **kw)
    eng.seq_set_pattern(0, pb.build())
    eng.seq_tempo(BPM)
    eng.seq_play(0, frame=START)


def played(values, steps, frames, block=256, length=16):
    eng = bass(values)
    sequence(eng, steps, length)
    return _from_start(eng, frames, block)


def _from_start(eng, frames, block):
    """The output from frame 0 of the transport's clock (the engine's frame 0)."""
    before = eng.frame
    out = render(eng, frames - before, block)
    return np.concatenate([np.zeros((before, 2), np.float32), out])


def periods(x, start, end):
    """(times in frames, instantaneous frequency in Hz) from the rising zero crossings of
    the left channel in [start, end): one frequency per period, at the period's middle."""
    s = x[start:end, 0].astype(np.float64)
    up = np.flatnonzero((s[:-1] <= 0) & (s[1:] > 0))
    t = up - s[up] / (s[up + 1] - s[up]) + start
    return (t[1:] + t[:-1]) / 2, SR / np.diff(t)


def cents(f, ref):
    return 1200 * np.log2(f / ref)


def hz(note):
    return 440 * 2 ** ((note - 69) / 12)


def envelope(x, width=480):
    return np.array([np.abs(x[k:k + width, 0]).max() for k in range(0, len(x) - width, width)])


def rms_env(x, width=960):
    return np.array([np.sqrt(np.mean(np.square(x[k:k + width, 0], dtype=np.float64)))
                     for k in range(0, len(x) - width + 1, width)])


def centroid(x):
    s = np.abs(np.fft.rfft(x[:, 0] * np.hanning(len(x))))
    f = np.fft.rfftfreq(len(x), 1 / SR)
    return float(np.sum(f * s) / np.sum(s))


# --- slide ----------------------------------------------------------------------------------

def test_a_slid_step_glides_into_the_next_note_over_the_slide_time():
    """A2 (110 Hz) slid into A3 (220 Hz), slide 60 ms, the filter open (no group delay): the
    pitch leaves A2 at the next step's
    onset and is at A3 60 ms (2880 frames) later, straight in pitch; steady on each note within
    1 cent; the glide's measured time (a line fitted to the instantaneous pitch between 20 %
    and 80 % of the way, extended to the whole octave) within 10 %, starting at the onset
    within 100 frames."""
    x = played(ROUND | {"cutoff_hz": 20000}, {0: dict(notes=(45,), length=0.5, slide=True),
                                              1: dict(notes=(57,), length=2)},
               START + 3 * STEP)
    onset = START + STEP + LATE
    t, f = periods(x, START + LATE + 1200, START + 3 * STEP)
    c = cents(f, hz(45))
    before = (t > START + LATE + 1500) & (t < onset - 600)
    after = (t > onset + 2880 + 600) & (t < onset + 2880 + 4000)
    assert np.abs(cents(np.median(f[before]), hz(45))) < 1.0
    assert np.abs(cents(np.median(f[after]), hz(57))) < 1.0
    assert before.sum() > 5 and after.sum() > 5
    # straight in pitch: a line through the periods between 20 % and 80 % of the octave
    mid = (c > 240) & (c < 960)
    slope, at0 = np.polyfit(t[mid], c[mid], 1)                    # cents per frame, cents
    assert np.abs(np.polyval((slope, at0), t[mid]) - c[mid]).max() < 15
    assert 1200 / slope == pytest.approx(2880, rel=0.10)
    assert -at0 / slope == pytest.approx(onset, abs=100)             # it starts at the onset


def test_a_slide_does_not_retrigger_the_amp_envelope_and_a_plain_step_does():
    """Gates of half a step, the amp envelope decaying (300 ms) to 0.3, the filter open: slid
    from A2 into E3, the level follows that of A2 held on through both steps (the RMS of
    every 20 ms window within 5 %: no dip, no new attack); without slide the note has ended
    before the boundary (under 5 % of it) and the next one attacks afresh (over 1.5 times
    the held note's decayed level)."""
    values = {"cutoff_hz": 20000, "resonance": 0, "env_amount_oct": 0, "accent_oct": 0,
              "drive_db": 0, "sustain": 0.3, "amp_decay_ms": 300}
    a, b = dict(notes=(45,), length=0.5), dict(notes=(52,), length=0.5)
    slid = played(values, {0: a | {"slide": True}, 1: b}, START + 3 * STEP)
    plain = played(values, {0: a, 1: b}, START + 3 * STEP)
    held = played(values, {0: dict(notes=(45,), length=1.5)}, START + 3 * STEP)
    boundary = START + STEP + LATE
    span = slice(boundary - 2400, boundary + 2400)
    ratio = rms_env(slid[span]) / rms_env(held[span])
    assert np.all(np.abs(ratio - 1) < 0.05)
    assert rms_env(plain[boundary - 960:boundary]).max() < 0.05 * rms_env(held[boundary - 960:boundary]).max()
    assert rms_env(plain[boundary:boundary + 960]).max() > 1.5 * rms_env(held[boundary:boundary + 960]).max()


def test_a_slide_does_not_retrigger_the_filter_envelope_and_a_plain_step_does():
    """The filter envelope 4 octaves, decay 300 ms, cutoff 200 Hz, slide 10 ms: just after
    the glide from A2 into E3, the spectral centroid is that of E3 held from the first step
    with the same envelope (within 5 %: the sweep runs on from the first note); a plain step
    starts the sweep again (over 1.5 times as bright as both)."""
    values = ROUND | {"env_amount_oct": 4, "decay_ms": 300, "cutoff_hz": 200, "slide_ms": 10}
    a, b = dict(notes=(45,), length=0.5), dict(notes=(52,), length=0.5)
    slid = played(values, {0: a | {"slide": True}, 1: b}, START + 3 * STEP)
    plain = played(values, {0: a, 1: b}, START + 3 * STEP)
    still = played(values, {0: dict(notes=(52,), length=1.5)}, START + 3 * STEP)
    boundary = START + STEP + LATE
    window = slice(boundary + 600, boundary + 600 + 2048)          # after the 480-frame glide
    assert centroid(slid[window]) == pytest.approx(centroid(still[window]), rel=0.05)
    assert centroid(plain[window]) > 1.5 * centroid(still[window])


def test_slide_on_a_sequencer_with_swing_and_micro_timing_still_joins_legato():
    """The next step late by swing and micro-timing: the slid note holds on until it starts."""
    values = ROUND | {"sustain": 1, "cutoff_hz": 20000}
    eng = bass(values)
    pb = PatternBuffer(16, swing=70)
    pb.step(0, 0, notes=(45,), length=0.25, slide=True)
    pb.step(0, 1, notes=(57,), length=0.5, micro=30)
    eng.seq_set_pattern(0, pb.build())
    eng.seq_tempo(BPM)
    eng.seq_play(0, frame=START)
    x = _from_start(eng, START + 3 * STEP, 256)
    onset = START + round(STEP * (1 + Fraction(20, 50) + Fraction(30, 96))) + LATE
    lvl = envelope(x[START + LATE + 960:onset + 2400])
    assert lvl.min() > 0.9 * lvl.max()


# --- accent ---------------------------------------------------------------------------------

def test_an_accented_step_is_louder_by_accent_db():
    """accent_db 6 (the default), no drive: the accented note's peak is 6.0 dB over the
    plain one (+-0.05 dB)."""
    values = ROUND | {"accent_db": 6}
    plain = played(values, {0: dict(notes=(45,))}, START + STEP)
    loud = played(values, {0: dict(notes=(45,), accent=True)}, START + STEP)
    span = slice(START + LATE + 1000, START + STEP)
    assert db(np.abs(loud[span]).max() / np.abs(plain[span]).max()) == pytest.approx(6.0, abs=0.05)


def test_an_accented_step_is_brighter_by_accent_oct():
    """accent_oct 1 (the default) raises the cutoff one octave on the accented note: its
    output is that of the plain note with the cutoff doubled, and its spectral centroid is
    higher by the same measure."""
    values = {"accent_db": 0, "accent_oct": 1, "env_amount_oct": 0, "sustain": 1, "drive_db": 0,
              "cutoff_hz": 400}
    bright = played(values, {0: dict(notes=(45,), accent=True)}, START + STEP)
    plain = played(values, {0: dict(notes=(45,))}, START + STEP)
    doubled = played(values | {"cutoff_hz": 800}, {0: dict(notes=(45,))}, START + STEP)
    span = slice(START + LATE + 960, START + STEP)
    assert np.abs(bright[span] - doubled[span]).max() < 1e-3 * np.abs(doubled[span]).max()
    assert centroid(bright[span]) > 1.3 * centroid(plain[span])
    assert centroid(bright[span]) == pytest.approx(centroid(doubled[span]), rel=0.01)


def sweep_half_time(x, start, end, hop=240, size=1024):
    """Frames from `start` until the spectral centroid has fallen half-way from its first
    value to its last in [start, end)."""
    c = np.array([centroid(x[k:k + size]) for k in range(start, end - size, hop)])
    half = (c[0] + c[-1]) / 2
    return int(np.flatnonzero(c < half)[0]) * hop


def test_an_accented_step_has_a_shorter_filter_sweep():
    """accent_decay_oct -1 (the default): the accented note's filter envelope decays in half
    the time: its brightness falls half-way as soon as that of a plain note with decay_ms
    halved (within 5 %), well before the plain note's (under 0.65 of its time)."""
    values = ROUND | {"env_amount_oct": 4, "cutoff_hz": 150, "decay_ms": 400, "accent_db": 0,
                      "accent_oct": 0, "accent_decay_oct": -1}
    span = (START + LATE, START + 2 * STEP)
    plain = played(values, {0: dict(notes=(33,), length=2)}, START + 2 * STEP)
    accent = played(values, {0: dict(notes=(33,), length=2, accent=True)}, START + 2 * STEP)
    halved = played(values | {"decay_ms": 200}, {0: dict(notes=(33,), length=2)}, START + 2 * STEP)
    t_plain, t_accent, t_halved = (sweep_half_time(x, *span) for x in (plain, accent, halved))
    assert t_accent == pytest.approx(t_halved, rel=0.05)
    assert t_accent < 0.65 * t_plain


# --- timing, invariance, clicks, zipper, peaks ------------------------------------------------

def test_each_note_starts_on_its_frame():
    """Steps 0, 3 and 6 (the last micro-timed 12/96 late) start sounding exactly at their
    ideal frames plus the oscillator's 16 frames and the limiter's look-ahead."""
    x = played({"attack_ms": 0.5}, {0: dict(notes=(45,), length=0.5), 3: dict(notes=(45,), length=0.5),
                                    6: dict(notes=(45,), length=0.5, micro=12)}, START + 8 * STEP)
    for start in (START, START + 3 * STEP, START + 6 * STEP + STEP // 8):
        first = start + LATE
        assert np.abs(x[first - 200:first, 0]).max() < 1e-4 * np.abs(x[first:first + 600, 0]).max() + 1e-9
        assert x[first + 1, 0] != 0.0


def scenario(eng):
    sequence(eng, {0: dict(notes=(40,), length=0.5, slide=True), 1: dict(notes=(52,), accent=True),
                   2: dict(notes=(47,), length=0.25), 3: dict(notes=(47,), slide=True, accent=True),
                   4: dict(notes=(47,), length=0.5), 6: dict(notes=(35,), slide=True, length=0.5)}, 8)
    eng.set_param(0, BASS["cutoff_hz"].id, 900.0, START + 9001)
    eng.set_param(0, BASS["resonance"].id, 0.8, START + 15011)
    eng.set_param(0, BASS["level_db"].id, -4.0, START + 21017)


@pytest.mark.parametrize("block", [1, 7, 64, 65, 128, 512])
def test_block_size_invariance(block):
    want_eng = bass()
    scenario(want_eng)
    want = render(want_eng, 8 * STEP, 4096)
    eng = bass()
    scenario(eng)
    got = render(eng, 8 * STEP, block)
    assert np.isfinite(got).all() and np.abs(want).max() > 0.05
    assert got.tobytes() == want.tobytes()


def steps(x):
    return np.abs(np.diff(x[:, 0]))


def test_no_click_at_note_on_and_note_off():
    """Bound: around a note on (attack 0.5 ms) and a note off (release 5 ms) no frame-to-frame
    step exceeds the held note's own largest step (the low-passed bass is smooth: a 1 ms
    release would step by up to 13 % of its level in the first frame, over that bound)."""
    eng = bass({"attack_ms": 0.5, "release_ms": 5, "sustain": 1, "env_amount_oct": 0})
    eng.note_on(0, 33, 127, frame=eng.frame + 1000)
    out = render(eng, 24000)
    eng.note_off(0, 33)
    tail = render(eng, 4800)
    onset = 1000 + LATE
    held = steps(out[onset + 4800:])
    assert np.isfinite(out).all() and np.isfinite(tail).all()
    assert steps(out[onset - 10:onset + 480]).max() <= held.max()
    assert steps(np.concatenate([out[-10:], tail])).max() <= held.max()
    assert np.abs(tail[-100:]).max() == 0.0


def test_no_click_at_voice_steal():
    """Bound: in poly mode a stolen voice fades out linearly over 5 ms, at most its level / 240
    a frame: the steal's largest step stays within the held chord's own plus that."""
    poly = SIZES["POLYPHONY"]
    eng = bass(ROUND | {"voice_mode": "poly", "level_db": -48, "release_ms": 2000})
    for k in range(poly):
        eng.note_on(0, 30 + k % 40, 100)
    held = render(eng, 9600)
    eng.note_on(0, 90, 100)
    after = render(eng, 960)
    assert eng.stats()["steals"] == 1
    one_voice = 10 ** (-48 / 20) * 1.5          # a square's peak through the filter, with margin
    assert steps(after).max() <= steps(held[4800:]).max() + one_voice / 240 + 1e-6


def test_the_slide_join_has_no_click():
    """Bound: across a slide the largest frame-to-frame step is within the held notes' own
    largest (the pitch moves, the level does not jump)."""
    x = played(ROUND, {0: dict(notes=(45,), slide=True), 1: dict(notes=(52,))}, START + 3 * STEP)
    boundary = START + STEP + LATE
    held = max(steps(x[START + LATE + 2000:boundary - 100]).max(),
               steps(x[boundary + 3500:START + 2 * STEP]).max())
    assert steps(x[boundary - 100:boundary + 3500]).max() <= 1.05 * held


def off_harmonics_db(x, fundamental=110.0, width=20.0):
    """The share of a 1 s tone's energy more than `width` Hz from every harmonic, in dB."""
    x = x[4800:].astype(np.float64)
    spec = np.abs(np.fft.rfft(x * np.blackman(len(x)))) ** 2
    f = np.fft.rfftfreq(len(x), 1 / SR)
    near = np.abs(f - fundamental * np.round(f / fundamental)) < width
    return 10 * np.log10(spec[~near].sum() / spec.sum())


@pytest.mark.parametrize("key, centre, depth", [("level_db", -10, 6), ("cutoff_hz", 300, 1)])
def test_no_zipper_when_a_knob_moves(key, centre, depth):
    """A knob swept along a 2 Hz sine (level +-6 dB; cutoff +-1 octave) on a held A2 square,
    a new value every control tick (32 frames): the sweep's own sidebands lie within a few
    Hz of each harmonic, a zipper's at 1.5 kHz (the tick rate) away from them, which is 70 Hz
    from the nearest harmonic: everything more than 20 Hz from every harmonic stays 85 dB
    under the tone. The same level sweep applied in steps of 32 frames (no ramp) to the
    steady note puts it at -60 dB, so the measure sees a zipper."""
    values = ROUND | {"shape": "square", "cutoff_hz": 300, "sustain": 1}
    eng = bass(values)
    eng.note_on(0, 45, 100)
    out = np.zeros((48000, 2), np.float32)
    for start in range(0, 48000, 32):
        phase = np.sin(2 * np.pi * 2 * start / SR)
        value = centre + depth * phase if key == "level_db" else centre * 2 ** (depth * phase)
        eng.set_param(0, BASS[key].id, value)
        eng.render(out[start:start + 32])
    assert off_harmonics_db(out[:, 0]) < -85
    steady = bass(values)
    steady.note_on(0, 45, 100)
    x = render(steady, 48000)[:, 0]
    stepped = 10 ** (6 * np.sin(2 * np.pi * 2 * (np.arange(48000) // 32 * 32) / SR) / 20)
    assert off_harmonics_db(x * stepped) > -70
    assert off_harmonics_db(x) < -120


def test_peaks_below_0_dbfs_at_defaults_with_accent_and_slide():
    x = played({}, {0: dict(notes=(36,), accent=True, slide=True), 1: dict(notes=(48,), accent=True),
                    2: dict(notes=(24,), accent=True), 3: dict(notes=(60,))}, START + 5 * STEP)
    assert np.isfinite(x).all()
    assert 0.05 < np.abs(x).max() < 1.0


# --- presets --------------------------------------------------------------------------------

def preset_files():
    return sorted(PRESETS.glob("*.toml"))


def test_at_least_eight_presets_with_short_names():
    files = preset_files()
    assert len(files) >= 8
    for path in files:
        d = tomllib.loads(path.read_text())
        assert d["instrument"] == "bass" and 1 <= len(d["name"]) <= 12
        assert set(d["params"]) <= set(BASS.by_key), path.name


@pytest.mark.parametrize("path", preset_files(), ids=lambda p: p.stem)
def test_each_preset_renders(path):
    """A bassline with accents and slides on the preset: no NaN, not silent (above -30 dBFS),
    peak below 0 dBFS."""
    d = tomllib.loads(path.read_text())
    note = d.get("note", 36)
    x = played(d["params"], {0: dict(notes=(note,), accent=True), 1: dict(notes=(note + 12,), slide=True),
                             2: dict(notes=(note + 7,)), 3: dict(notes=(note,), accent=True, slide=True),
                             4: dict(notes=(note + 3,))}, START + 6 * STEP)
    assert np.isfinite(x).all()
    assert db(np.abs(x).max()) > -30
    assert np.abs(x).max() < 1.0


def test_the_bass_compiles_and_is_registered():
    assert INSTRUMENTS["bass"] is BASS
    assert compile_graph(BASS).program is not None
