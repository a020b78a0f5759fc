"""The graph compiler: what it makes of the instruments, and the one-line refusals of a bad
graph (unknown unit, cycle, missing input, too many ops, buffers or routes, state over the
arena)."""
from pathlib import Path

import numpy as np
import pytest

from reverie.core.defs import SIZES, Unit
from reverie.core.engine import PROGRAM_BYTES, UNIT_STATE_BYTES, sampler_program
from reverie.sound.graph import GraphError, Instrument, Node, Route, compile_graph
from reverie.sound.instruments import INSTRUMENTS, program_for
from reverie.sound.instruments.synth import SYNTH, SYNTH_SPEC
from reverie.sound.params import ParamSpec, SpecTable
from reverie.sound.buses import make_engine
from reverie.core.defs import MasterParam as M

SPEC = SpecTable("t", [ParamSpec("level_db", 0, "LEV", -60, 12, 0, "lin", "dB"),
                       ParamSpec("cutoff_hz", 1, "FREQ", 20, 20000, 1000, "exp", "Hz"),
                       ParamSpec("a", 2, "A", 0.5, 1000, 1, "exp", "ms"),
                       ParamSpec("spare", 3, "SPAR", 0, 1, 0, "lin")])


def graph(*nodes, routes=()):
    return Instrument("t", SPEC, tuple(nodes), tuple(routes))


GOOD = (Node("pitch", "glide"), Node("osc", "osc", ("pitch",)),
        Node("flt", "svf", ("osc",), (None, "cutoff_hz")), Node("env", "adsr", params=("a",)),
        Node("out", "out", ("flt", "env"), ("level_db",)))


def refusal(inst) -> str:
    with pytest.raises(GraphError) as e:
        compile_graph(inst)
    message = str(e.value)
    assert "\n" not in message and message.startswith("instrument 't': ")
    return message


def test_a_good_graph_compiles_to_one_program():
    c = compile_graph(graph(*GOOD))
    assert c.program.dtype == np.uint8 and c.program.nbytes == PROGRAM_BYTES
    # each node after what it reads; the envelope only the out reads is fused into it
    assert c.ops == ["pitch", "osc", "flt", "out"]
    # the filter works in place over the oscillator's buffer: 2 buffers for 3 signals
    assert c.buffers == 2
    assert c.arena_bytes == sum((UNIT_STATE_BYTES[k] + 7) // 8 * 8 for k in
                                (Unit.UNIT_GLIDE, Unit.UNIT_OSC, Unit.UNIT_SVF, Unit.UNIT_AMP_OUT))


def test_the_fused_envelope_sounds_as_the_two_ops():
    """`adsr` -> `out` compiled as one op gives the samples the two ops give (an envelope
    read by a second node stays an op of its own)."""
    def play(nodes):
        eng = make_engine(48000.0)
        eng.set_program(0, compile_graph(graph(*nodes)).program)
        for s in SPEC:
            eng.set_param(0, s.id, s.default)
        eng.render(np.zeros((256, 2), np.float32))
        eng.note_on(0, 57, 90)
        eng.note_off(0, 57, frame=eng.frame + 5001)
        out = np.zeros((24000, 2), np.float32)
        for start in range(0, 24000, 65):
            eng.render(out[start:start + 65])
        return out, compile_graph(graph(*nodes)).ops
    fused, ops = play(GOOD)
    both, ops2 = play((*GOOD[:4], Node("spy", "mix", ("env",)), GOOD[4]))
    assert ops == ["pitch", "osc", "flt", "out"] and "env" in ops2
    assert np.abs(fused).max() > 0.05 and fused.tobytes() == both.tobytes()


@pytest.mark.parametrize("inst, words", [
    (graph(Node("x", "wobbler"), *GOOD[1:]), "node 'x' uses unknown unit 'wobbler'"),
    (graph(Node("pitch", "glide"), Node("osc", "osc", ("pitch",)), Node("flt", "svf", ("drv",)),
           Node("drv", "drive", ("flt",)), Node("env", "adsr"), Node("out", "out", ("drv", "env"))),
     "the graph has a cycle through drv, flt, out"),
    (graph(*GOOD[:2], Node("flt", "svf", ()), *GOOD[3:]), "node 'flt' (svf) needs 1 input(s) (in), has 0"),
    (graph(*GOOD[:2], Node("flt", "svf", ("nowhere",)), *GOOD[3:]), "node 'flt' reads 'nowhere', which is not in the graph"),
    (graph(*GOOD[:2], Node("flt", "svf", ("osc",), (None, "colour")), *GOOD[3:]),
     "node 'flt' reads parameter 'colour', which is not in the spec"),
    (graph(*GOOD[:4]), "the graph needs exactly one out (or sampler) node"),
    (graph(*GOOD, routes=(Route("lfo1", "spare", "level_db"),)), "a route modulates 'spare', which no node reads"),
])
def test_a_bad_graph_is_refused_with_one_line(inst, words):
    assert words in refusal(inst)


def test_too_many_ops_buffers_routes_or_state_are_refused():
    chain = [Node("pitch", "glide")] + [Node(f"o{k}", "osc", ("pitch",)) for k in range(SIZES["PROGRAM_OPS"])]
    assert f"a program runs at most {SIZES['PROGRAM_OPS']}" in refusal(graph(*chain, *GOOD[3:4],
                                                                            Node("out", "out", ("o0", "env"))))
    # every oscillator read by a mix at the end: all live at once
    many = SIZES["VOICE_BUFS"] + 1
    oscs = [Node(f"o{k}", "osc", ("pitch",)) for k in range(many)]
    mixes = [Node(f"m{k}", "mix", tuple(f"o{j}" for j in range(k * 4, min(k * 4 + 4, many))))
             for k in range((many + 3) // 4)]
    nodes = [Node("pitch", "glide"), *oscs, *mixes, Node("all", "mix", tuple(m.name for m in mixes)),
             GOOD[3], Node("out", "out", ("all", "env"))]
    assert f"scratch buffers; a voice has {SIZES['VOICE_BUFS']}" in refusal(graph(*nodes))
    # sixteen filters in a row, in place: one buffer, but their state outgrows the arena
    chain = [Node("pitch", "glide"), Node("f0", "osc", ("pitch",))]
    chain += [Node(f"f{k}", "svf", (f"f{k - 1}",)) for k in range(1, 17)]
    assert f"bytes; a voice has {SIZES['VOICE_ARENA']}" in refusal(graph(*chain, GOOD[3],
                                                                       Node("out", "out", ("f16", "env"))))
    routes = [Route("lfo1", "cutoff_hz", "level_db")] * (SIZES["MOD_ROWS"] + 1)
    assert "modulation routes" in refusal(graph(*GOOD, routes=routes))


def test_the_synth_compiles_within_the_limits():
    c = compile_graph(SYNTH)
    assert c.buffers <= SIZES["VOICE_BUFS"] and c.arena_bytes <= SIZES["VOICE_ARENA"]
    assert len(SYNTH_SPEC.specs) <= SIZES["N_TRACK_PARAMS"]
    assert program_for("synth") is program_for("synth")     # compiled once


def test_the_sampler_graph_is_the_engines_own_program_and_sounds_the_same():
    """The sampler declared as a graph (one fused op) and the engine's own program give the
    same bytes of sound; project loads leave the engine's own in place (program_for: None)."""
    assert program_for("sampler") is None
    compiled = compile_graph(INSTRUMENTS["sampler"]).program
    own = sampler_program()
    assert compiled[:16].tobytes() == own[:16].tobytes()   # ops, rows, params, arena: the same counts

    def render(eng, frames, block):
        out = np.zeros((frames, 2), np.float32)
        for start in range(0, frames, block):
            eng.render(out[start:start + block])
        return out

    def play(program):
        eng = make_engine(48000.0)
        eng.set_master(M.M_LIMIT_CEILING, 0.0)
        if program is not None:
            eng.set_program(0, program)
            for s in INSTRUMENTS["sampler"]:
                eng.set_param(0, s.id, s.default)
        eng.render(np.zeros((256, 2), np.float32))    # a new program's parameters jump until a tick
        i = np.arange(48000)
        eng.set_sample(0, np.stack([np.sin(i * 0.05), np.cos(i * 0.031)], axis=1).astype(np.float32) * 0.3)
        eng.set_param(0, 15, 900.0)
        eng.set_param(0, 17, 2.0)
        eng.note_on(0, 60, 100)
        eng.set_param(0, 15, 3000.0, frame=7001)
        eng.note_off(0, 60, frame=9000)
        return render(eng, 24000, 65)
    assert play(compiled).tobytes() == play(None).tobytes()


def test_the_example_in_docs_instruments_compiles_and_plays():
    text = (Path(__file__).resolve().parents[2] / "docs" / "instruments.md").read_text()
    code = text.split("```python\n", 1)[1].split("```", 1)[0]
    scope: dict = {}
    exec(code, scope)
    pluck = scope["PLUCK"]
    eng = make_engine(48000.0)
    eng.set_program(0, compile_graph(pluck).program)
    for s in pluck:
        eng.set_param(0, s.id, s.default)
    eng.note_on(0, 60, 100)
    out = np.zeros((24000, 2), np.float32)
    eng.render(out)
    assert np.isfinite(out).all() and np.abs(out).max() > 0.05
    assert np.abs(out[-1000:]).max() < 1e-3          # plucked: it has died away
