"""The template's unit in a voice graph, tested as the firmware tests its own units: through
a real engine, in physical units (Hz, dB, frames), and rendered in blocks of any size."""
import numpy as np
import pytest

import reverie_ring
from reverie.core.defs import MasterParam as M
from reverie.sound.buses import make_engine
from reverie.sound.graph import GraphError, Instrument, Node, compile_graph
from reverie.sound.params import ParamSpec, SpecTable

SR = 48000.0
SPEC = SpecTable("test.ring", [
    ParamSpec("ring_hz", 0, "RING", 1, 5000, 100, "exp", "Hz"),
    ParamSpec("ring_mix", 1, "MIX", 0, 1, 1, "lin"),
    ParamSpec("shape", 2, "SHAP", 0, 3, 3, "choice", choices=("saw", "square", "triangle", "sine")),
    ParamSpec("sustain", 3, "SUS", 0, 1, 1, "lin"),
])
RING = Instrument("test.ring", SPEC, (
    Node("pitch", "glide"),
    Node("osc", "osc", ("pitch",), ("shape",)),
    Node("ring", "extern", ("osc",), ("ring_hz", "ring_mix"), data=reverie_ring),
    Node("env", "adsr", params=(None, None, "sustain")),
    Node("out", "out", ("ring", "env")),
))


def play(frames, block=256, params=(), changes=()):
    eng = make_engine(SR)
    eng.set_master(M.M_COMP_RATIO, 1.0)             # the master chain leaves the signal alone
    eng.set_program(0, compile_graph(RING).program)
    values = {**{s.key: s.default for s in SPEC}, **dict(params)}
    for s in SPEC:
        eng.set_param(0, s.id, values[s.key])
    eng.render(np.zeros((64, 2), np.float32))
    eng.note_on(0, 69, 100)                         # 440 Hz
    for frame, key, value in changes:
        eng.set_param(0, SPEC[key].id, value, frame=eng.frame + frame)
    out = np.zeros((frames, 2), np.float32)
    for start in range(0, frames, block):
        eng.render(out[start:start + block])
    return out[:, 0].astype(np.float64)


def spectrum_db(x):
    t = 2 * np.pi * np.arange(len(x)) / len(x)      # 4-term Blackman-Harris window
    w = 0.35875 - 0.48829 * np.cos(t) + 0.14128 * np.cos(2 * t) - 0.01168 * np.cos(3 * t)
    mag = np.abs(np.fft.rfft(x * w))
    return 20 * np.log10(mag / mag.max() + 1e-30), np.fft.rfftfreq(len(x), 1 / SR)


def level_at(db, hz, f):
    return db[np.abs(hz - f) < 5].max()


def test_a_ring_modulated_sine_has_the_sum_and_difference_and_no_carrier():
    db, hz = spectrum_db(play(48000 + 4800)[4800:])
    assert level_at(db, hz, 340.0) == pytest.approx(0.0, abs=0.1)     # 440 - 100 Hz
    assert level_at(db, hz, 540.0) == pytest.approx(0.0, abs=0.1)     # 440 + 100 Hz
    assert level_at(db, hz, 440.0) < -80.0                            # the input is gone


def test_mix_zero_leaves_the_input_alone():
    db, hz = spectrum_db(play(24000 + 4800, params={"ring_mix": 0.0})[4800:])
    assert level_at(db, hz, 440.0) == pytest.approx(0.0)
    assert level_at(db, hz, 340.0) < -80.0


def test_blocks_of_any_size_render_the_same_bytes():
    changes = ((2000, "ring_hz", 730.0), (5001, "ring_mix", 0.4))
    ref = play(9600, block=9600, changes=changes)
    assert np.abs(ref).max() > 0.05
    for block in (1, 31, 32, 33, 64, 65, 128, 8193):
        assert play(9600, block=block, changes=changes).tobytes() == ref.tobytes()


def test_a_knob_turned_never_steps():
    """The mix jumps from 0 to 1 between two ticks, where the input is near its peak: the unit
    ramps it over the tick (32 frames), so no frame steps further than the fully modulated
    sound's own fastest move (unramped, that frame steps by 0.77, 14 times more: checked by hand)."""
    change = 4800 - 16 + 11                       # 440 Hz: a peak of the input near here
    x = play(9600, params={"ring_mix": 0.0}, changes=((change, "ring_mix", 1.0),))
    steady = play(9600)[4800:]
    steps = np.abs(np.diff(x[4000:6000]))
    assert steps.max() <= np.abs(np.diff(steady)).max() * 1.1


def test_the_unit_declares_what_the_compiler_checks():
    too_many = Instrument("test.ring", SPEC, (*RING.nodes[:2],
                          Node("ring", "extern", ("osc",), ("ring_hz", "ring_mix", "shape"), data=reverie_ring),
                          *RING.nodes[3:]))
    with pytest.raises(GraphError, match=r"^instrument 'test.ring': node 'ring' \(extern\) reads 2 parameter\(s\), not 3$"):
        compile_graph(too_many)
    not_a_unit = Instrument("test.ring", SPEC, (*RING.nodes[:2],
                            Node("ring", "extern", ("osc",), data=object()), *RING.nodes[3:]))
    with pytest.raises(GraphError, match=r"node 'ring' \(extern\): not a reverie unit"):
        compile_graph(not_a_unit)
