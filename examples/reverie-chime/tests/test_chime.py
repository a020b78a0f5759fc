"""example.chime in physical units, rendered through a real engine: it passes the firmware's
trial render (no NaN, not silent, under 0 dBFS, within its CPU budget), plays the note's
pitch, rings out, and renders the same bytes in blocks of any size."""
import numpy as np
import pytest

from reverie.core.defs import MasterParam as M
from reverie.sound.buses import make_engine
from reverie.sound.graph import compile_graph
from reverie.sound.plugins import check
from reverie.sound.trial import trial
from reverie_chime import CHIME, PRESETS

SR = 48000.0


def play(note, frames, block=256, params=(), release_at=None):
    eng = make_engine(SR)
    eng.set_master(M.M_COMP_RATIO, 1.0)
    eng.set_program(0, compile_graph(CHIME).program)
    values = {**{s.key: s.default for s in CHIME.spec}, **dict(params)}
    for s in CHIME.spec:
        eng.set_param(0, s.id, values[s.key])
    eng.render(np.zeros((64, 2), np.float32))
    eng.note_on(0, note, 100)
    if release_at is not None:
        eng.note_off(0, note, frame=eng.frame + release_at)
    out = np.zeros((frames, 2), np.float32)
    for start in range(0, frames, block):
        eng.render(out[start:start + block])
    return out[:, 0].astype(np.float64)


def pitch_hz(x):
    """The strongest component's frequency, refined between bins (parabola on log magnitude)."""
    w = np.hanning(len(x))
    mag = np.log(np.abs(np.fft.rfft(x * w)) + 1e-20)
    k = int(np.argmax(mag))
    a, b, c = mag[k - 1], mag[k], mag[k + 1]
    return (k + 0.5 * (a - c) / (a - 2 * b + c)) * SR / len(x)


def test_it_passes_the_trial_render_with_its_presets():
    result = trial(CHIME, compile_graph(CHIME).program, PRESETS["example.chime"])
    print(f"chime: peak {result.peak_dbfs:.1f} dBFS, {result.ns_per_voice_sample:.0f} ns a voice-sample, "
          f"{result.cost:.2f}x the synth")
    assert -20.0 < result.peak_dbfs < 0.0


def test_it_is_accepted_as_a_third_party_instrument():
    found = check(CHIME, "test", {"sampler", "synth"}, PRESETS["example.chime"], trial_render=False)
    assert found.ok and found.name == "example.chime"


@pytest.mark.parametrize("note, hz", [(57, 220.0), (69, 440.0), (81, 880.0)])
def test_it_plays_the_pitch_of_the_note(note, hz):
    x = play(note, 24000)[2400:]
    assert pitch_hz(x) == pytest.approx(hz, abs=0.2)


def test_it_rings_out_by_its_decay():
    x = play(69, 96000)
    early = np.abs(x[4800:9600]).max()
    late = np.abs(x[48000:52800]).max()      # 0.9 s later
    # an exponential decay of 1.2 s to -80 dB or so: tens of dB down, not gone at once
    assert 10.0 < 20 * np.log10(early / late) < 60.0


def test_blocks_of_any_size_render_the_same_bytes():
    ref = play(64, 12000, block=12000, release_at=7001)
    for block in (1, 64, 65, 128, 8193):
        assert play(64, 12000, block=block, release_at=7001).tobytes() == ref.tobytes()


def test_no_click_at_note_on_or_note_off():
    """The largest frame-to-frame step over the note's first millisecond (a 0.5 ms attack)
    stays within the ringing sound's own just after, and over the 10 ms after the note is let
    go (an 800 ms release) within the sound's own just before: the envelope opens and closes
    without a step of its own."""
    x = play(69, 24000, release_at=12000)
    d = np.abs(np.diff(x))
    assert x[0] == 0.0 and np.abs(x).max() > 0.1
    assert d[:48].max() <= d[48:2400].max()
    assert d[12000:12480].max() <= d[11000:12000].max()
