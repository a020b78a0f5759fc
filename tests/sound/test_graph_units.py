"""The wavetable and crush units in a graph, in physical units: a 4 kHz wavetable saw's
strongest non-harmonic component at least 60 dB under its fundamental; frame morphing moves
the spectrum (sine to saw); a crush to N bits leaves exactly the mid-tread levels of N bits;
its held samples change at rate_hz; blocks of any size render the same bytes."""
import numpy as np
import pytest

from reverie.core.defs import MasterParam as M
from reverie.sound.buses import make_engine
from reverie.sound.graph import GraphError, Instrument, Node, compile_graph
from reverie.sound.params import ParamSpec, SpecTable
from reverie.sound.wavetables import basic

SR = 48000.0
SPEC = SpecTable("wt", [
    ParamSpec("position", 0, "POS", 0, 1, 2 / 3, "lin", smooth=True),       # frame 2 of 4: saw
    ParamSpec("fine_ct", 1, "FINE", -100, 100, 0, "lin"),
    ParamSpec("bits", 2, "BITS", 1, 16, 16, "lin"),
    ParamSpec("rate_hz", 3, "RATE", 20, 48000, 48000, "exp"),
    ParamSpec("level_db", 4, "LEV", -60, 12, 0, "lin"),
    ParamSpec("attack_ms", 5, "ATK", 0.5, 1000, 0.5, "exp"),
    ParamSpec("sustain", 6, "SUS", 0, 1, 1, "lin"),
])


def wavetable_crush():
    return Instrument("wt", SPEC, (
        Node("pitch", "glide"),
        Node("osc", "wavetable", ("pitch",), ("position", None, "fine_ct")),
        Node("crush", "crush", ("osc",), ("bits", "rate_hz")),
        Node("env", "adsr", params=("attack_ms", None, "sustain")),
        Node("out", "out", ("crush", "env"), ("level_db", None, None)),
    ))


def play(inst, frames, note=69, params=(), block=256, changes=()):
    """Renders a held note; `changes`: (frame, key, value) set at those frames."""
    eng = make_engine(SR)
    eng.set_master(M.M_COMP_RATIO, 1.0)            # the master chain leaves the signal alone
    eng.set_master(M.M_LIMIT_CEILING, 0.0)
    eng.set_program(0, compile_graph(inst).program)
    values = {s.key: s.default for s in inst.spec}
    values.update(dict(params))
    for s in inst.spec:
        eng.set_param(0, s.id, values[s.key])
    eng.render(np.zeros((64, 2), np.float32))
    eng.note_on(0, note, 127)
    for frame, key, value in changes:
        eng.set_param(0, inst.spec[key].id, value, frame=eng.frame + frame)
    out = np.zeros((frames, 2), np.float32)
    for start in range(0, frames, block):
        eng.render(out[start:start + block])
    return out[:, 0].astype(np.float64)


def spectrum_db(x):
    # 4-term Blackman-Harris: side lobes at -92 dB, under anything measured here
    t = 2 * np.pi * np.arange(len(x)) / len(x)
    w = 0.35875 - 0.48829 * np.cos(t) + 0.14128 * np.cos(2 * t) - 0.01168 * np.cos(3 * t)
    mag = np.abs(np.fft.rfft(x * w))
    return 20 * np.log10(mag / mag.max() + 1e-30), np.fft.rfftfreq(len(x), 1 / SR)


def test_a_4khz_wavetable_saw_keeps_its_aliases_60_db_down():
    # note 107 is 3951 Hz: 48 kHz is no multiple of it, so an alias could not hide on a harmonic
    x = play(wavetable_crush(), 48000 + 4800, note=107)[4800:]
    db, hz = spectrum_db(x)
    f0 = 440.0 * 2 ** ((107 - 69) / 12)
    near_harmonic = np.min(np.abs(hz[:, None] - f0 * np.arange(1, 7)[None, :]), axis=1) < 30.0
    fundamental = db[np.abs(hz - f0) < 30].max()
    assert fundamental == pytest.approx(0.0)
    assert db[~near_harmonic & (hz > 30)].max() < -60.0
    # and it is a saw: its second and third harmonics at 1/2 and 1/3 of the fundamental
    for k in (2, 3):
        h = db[np.abs(hz - k * f0) < 30].max()
        assert h == pytest.approx(20 * np.log10(1 / k), abs=0.5)


def test_position_morphs_the_frames_from_sine_to_saw():
    """Position 0 plays frame 0 (a sine: no second harmonic), 2/3 frame 2 (the saw), and
    halfway between frames 1 and 2 their mean: its second harmonic against its fundamental
    as the table's own spectrum says."""
    f0 = 440.0
    table = np.fft.rfft(basic(), axis=1)
    mean = 0.5 * (table[1] + table[2])
    expect = {0.0: None, 0.5: 20 * np.log10(abs(mean[2]) / abs(mean[1])),
              2 / 3: 20 * np.log10(abs(table[2][2]) / abs(table[2][1]))}
    for position, want in expect.items():
        db, hz = spectrum_db(play(wavetable_crush(), 24000, params={"position": position})[4800:])
        second = db[np.abs(hz - 2 * f0) < 15].max()
        if want is None:
            assert second < -80
        else:
            assert second == pytest.approx(want, abs=0.2)


@pytest.mark.parametrize("bits", [2, 3, 4])
def test_a_crush_to_n_bits_leaves_the_levels_of_n_bits(bits):
    x = play(wavetable_crush(), 9600, params={"position": 0.0, "bits": bits})[2400:]
    gain = np.abs(x).max()                      # full scale (1.0) after the out's and the bus's gains
    levels = np.unique(np.round(x / gain, 5))
    step = 2.0 ** (1 - bits)
    # mid-tread: every level a whole number of steps, and a full-scale sine reaches all
    # 2^bits + 1 of them from -1 to +1
    assert np.allclose(levels / step, np.round(levels / step), atol=1e-3)
    assert len(levels) == 2 ** bits + 1
    assert levels.min() == pytest.approx(-1.0, abs=1e-4) and levels.max() == pytest.approx(1.0, abs=1e-4)


@pytest.mark.parametrize("rate_hz", [1000.0, 1100.0, 6000.0])
def test_the_held_samples_change_at_rate_hz(rate_hz):
    # a 3 kHz saw under a slower hold: every held value differs from the last
    x = play(wavetable_crush(), 48000 + 4800, note=102, params={"rate_hz": rate_hz})[4800:]
    changes = np.flatnonzero(np.diff(x) != 0.0)
    measured_hz = SR * (len(changes) - 1) / (changes[-1] - changes[0])
    assert measured_hz == pytest.approx(rate_hz, rel=1e-3)
    # and between changes the sample is held: whole frames, each interval floor or ceil of SR / rate
    assert set(np.diff(changes)) <= {int(SR // rate_hz), int(-(-SR // rate_hz))}


def test_blocks_of_any_size_render_the_same_bytes():
    changes = ((3000, "position", 0.1), (7001, "bits", 5.5), (9000, "rate_hz", 3000.0), (11000, "fine_ct", 37.0))
    ref = play(wavetable_crush(), 16384, block=16384, changes=changes)
    assert np.abs(ref).max() > 0.1
    for block in (1, 64, 65, 128, 8193):
        assert play(wavetable_crush(), 16384, block=block, changes=changes).tobytes() == ref.tobytes()


def test_a_wavetable_of_bad_frames_is_refused_with_one_line():
    bad = Instrument("wt", SPEC, (Node("pitch", "glide"),
                                  Node("osc", "wavetable", ("pitch",), data=np.zeros((2, 100))),
                                  Node("env", "adsr"), Node("out", "out", ("osc", "env"))))
    with pytest.raises(GraphError) as e:
        compile_graph(bad)
    assert str(e.value) == ("instrument 'wt': node 'osc' (wavetable): a wavetable frame has 100 points; "
                            "it must be a power of two from 64 to 8192")


def test_the_default_table_is_sine_triangle_saw_square():
    t = basic()
    assert t.shape == (4, 2048)
    assert np.abs(t).max(axis=1) == pytest.approx([1.0, 1.0, 1.0, 1.0])
