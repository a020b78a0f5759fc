"""Voice graphs: how an instrument is declared, and the compiler that turns one into the flat
program the engine's voices run (docs/instruments.md, docs/engine.md "Voice graphs").

An instrument is a parameter spec (sound/params.py) plus a graph of the core's units: nodes
that read other nodes' signals and the spec's parameters, modulation routes, and the voice's
controls (mode, glide, unison, LFOs, the modulation envelope). `compile_graph` checks it and
returns a `Compiled` holding the program's bytes (core.engine.pack_program), or raises a
`GraphError` with one line that says what is wrong.
"""
from __future__ import annotations

import math
from dataclasses import dataclass, field

import numpy as np

from reverie.base.errors import UserError
from reverie.core import defs
from reverie.core.defs import ModSource, ParamFlag, Unit
from reverie.sound.params import SpecTable

SIZES = defs.SIZES


class GraphError(UserError):
    """A graph the compiler refuses; the message is one line."""


@dataclass(frozen=True)
class UnitDef:
    kind: int
    inputs: tuple[str, ...]     # the signals it reads, in order ("*": up to OP_INPUTS)
    params: tuple[str, ...]     # the parameters it reads, in order
    output: bool = True
    block: bool = False         # reads its parameters as one run of consecutive ids (op.par[0]: the first)


# The units a graph may use, by name. Each maps to one case of the voice loop's switch
# (core/graph.pxd); units/ holds their DSP (docs/units.md).
UNITS = {
    "sampler": UnitDef(Unit.UNIT_SAMPLER, (), (), output=False),
    "multisample": UnitDef(Unit.UNIT_MULTI, (), (), output=False),   # the sampler's voice on zones
    "osc": UnitDef(Unit.UNIT_OSC, ("pitch",), ("shape", "tune_st", "fine_ct", "pulse_width")),
    "noise": UnitDef(Unit.UNIT_NOISE, (), ("color",)),
    "svf": UnitDef(Unit.UNIT_SVF, ("in",), ("mode", "cutoff_hz", "resonance")),
    "ladder": UnitDef(Unit.UNIT_LADDER, ("in",), ("cutoff_hz", "resonance")),
    "adsr": UnitDef(Unit.UNIT_ADSR, (), ("attack_ms", "decay_ms", "sustain", "release_ms")),
    "glide": UnitDef(Unit.UNIT_GLIDE, (), ("time_ms",)),
    "mix": UnitDef(Unit.UNIT_MIX, ("*",), ()),
    "drive": UnitDef(Unit.UNIT_DRIVE, ("in",), ("drive_db",)),
    "fold": UnitDef(Unit.UNIT_FOLD, ("in",), ("gain",)),
    # four FM operators; its parameter block's order is core/units/fm4.pxd's Fm4Param
    "fm4": UnitDef(Unit.UNIT_FM4, ("pitch",), ("algorithm", "feedback", "depth", "vel_index", "tune") + tuple(
        f"op{k}_{p}" for k in (1, 2, 3, 4) for p in ("ratio", "fine", "fixed", "level", "attack", "decay",
                                                     "sustain", "release")), block=True),
    # `data`: the table, frames x points (sound/wavetables.py); position 0..1 across frames
    "wavetable": UnitDef(Unit.UNIT_WAVETABLE, ("pitch",), ("position", "tune_st", "fine_ct")),
    # sample and hold at rate_hz, then quantised to `bits` (1..16); none: 16 bits, the sample rate
    "crush": UnitDef(Unit.UNIT_CRUSH, ("in",), ("bits", "rate_hz")),
    # `data`: a unit compiled outside the core (its module, or its capsule; unit_abi.h), which
    # declares its own inputs (0 or 1) and parameters (up to OP_PARAMS)
    "extern": UnitDef(Unit.UNIT_EXTERN, ("*",), ("*",)),
    "out": UnitDef(Unit.UNIT_OUT, ("in", "env"), ("level_db", "pan", "velocity"), output=False),
    # an adsr that only an out reads, fused with it by the compiler (or declared so)
    "amp_out": UnitDef(Unit.UNIT_AMP_OUT, ("in",), ("level_db", "pan", "velocity", "attack_ms",
                                                    "decay_ms", "sustain", "release_ms"), output=False),
    # a synthesised drum (conf: DrumKind), straight into the bus; the note picks which runs
    "drum": UnitDef(Unit.UNIT_DRUM, (), ("tune", "decay_ms", "shape1", "shape2", "shape3", "level_db",
                                         "kit_level_db", "velocity"), output=False),
}
_OUTS = (Unit.UNIT_OUT, Unit.UNIT_AMP_OUT, Unit.UNIT_SAMPLER, Unit.UNIT_MULTI)

# Units that may write over their input (each frame's output depends on that frame's input
# and the unit's own state only).
IN_PLACE = {"svf", "ladder", "drive", "fold", "crush"}

SOURCES = {s.name.removeprefix("SRC_").lower(): int(s) for s in ModSource}
SOURCE_NAMES = tuple(SOURCES)      # in ModSource order: a choice parameter's values


@dataclass(frozen=True)
class Node:
    """One op. `inputs` names the nodes whose signal it reads; an input may be a tuple of
    alternatives, nodes switched by the same parameter (`when`), of which one runs. `params`
    names spec keys in the unit's order (None: 0). `when` = (key, value): the node runs only
    while that parameter has that value. `gate` = a level key: while it is 0 the node is
    skipped (a processor passes its input through). `k`: an oscillator's octave offset.
    `data`: a wavetable's frames, an extern unit's module (or capsule)."""
    name: str
    unit: str
    inputs: tuple = ()
    params: tuple = ()
    when: tuple[str, int] | None = None
    gate: str | None = None
    k: float = 0.0
    conf: int = 0
    data: object = field(default=None, compare=False, repr=False)


@dataclass(frozen=True)
class Route:
    """A modulation route. `source`: a source name (SOURCES) or a spec key whose value picks
    one. `dest`: a spec key, or (with `pick`) a spec key whose value picks one of the
    instrument's `dests`. `amount`: the spec key of its amount; `relative`: the amount is a
    fraction of the destination's whole range (in octaves for an exp parameter), else it is
    in the destination's own units (octaves for an exp parameter)."""
    source: str
    dest: str
    amount: str
    relative: bool = False
    pick: bool = False


@dataclass(frozen=True)
class VoiceControls:
    """Spec keys (None: none) of what the engine reads per note rather than per op."""
    mode: str | None = None         # VoiceMode: poly, mono, legato
    glide_ms: str | None = None
    unison: str | None = None       # voices stacked per note
    detune_ct: str | None = None    # their detune, the whole spread
    spread: str | None = None       # their stereo spread
    choke: str | None = None
    lfos: tuple = ()                # per LFO: (shape, rate_hz, sync, retrigger, phase)
    env2: tuple = ()                # (attack, decay, sustain, release)


@dataclass(frozen=True)
class Instrument:
    name: str
    spec: SpecTable
    nodes: tuple = ()
    routes: tuple = ()
    voice: VoiceControls = VoiceControls()
    dests: tuple = ()               # keys a picking route may reach, in its choice order

    # SpecTable's face, so an instrument stands where a spec did
    def __iter__(self):
        return iter(self.spec)

    def __getitem__(self, key):
        return self.spec[key]

    @property
    def by_key(self):
        return self.spec.by_key

    @property
    def by_id(self):
        return self.spec.by_id

    def defaults(self):
        return self.spec.defaults()

    def pages(self):
        return self.spec.pages()


@dataclass
class Compiled:
    instrument: Instrument
    program: object                 # the packed Program (numpy uint8)
    ops: list = field(default_factory=list)     # node names in the order they run
    buffers: int = 0
    arena_bytes: int = 0
    keep: list = field(default_factory=list)    # what the program's op data points into


class Program(np.ndarray):
    """A packed program (uint8) that holds what its ops point at (wavetable mip-maps, extern
    unit modules): the engine holds the array, or a view of it, while any voice may run it,
    so these live as long."""
    keep: tuple = ()


def _fail(instrument: Instrument, message: str):
    raise GraphError(f"instrument {instrument.name!r}: {message}")


def _alternatives(x) -> tuple[str, ...]:
    return tuple(x) if isinstance(x, tuple) else (x,)


def _order(inst: Instrument, nodes: dict[str, Node]) -> list[str]:
    """The nodes in an order where each comes after what it reads (Kahn), or a cycle."""
    reads = {n.name: {a for i in n.inputs for a in _alternatives(i)} for n in nodes.values()}
    order, done = [], set()
    pending = list(nodes)
    while pending:
        ready = [n for n in pending if reads[n] <= done]
        if not ready:
            _fail(inst, f"the graph has a cycle through {', '.join(sorted(pending))}")
        for n in ready:
            order.append(n)
            done.add(n)
        pending = [n for n in pending if n not in done]
    return order


def _data(inst: Instrument, nodes: dict[str, Node]) -> dict[str, dict]:
    """What the wavetable and extern nodes point at: {name: {"data": address, "dims",
    "state_bytes", "inputs", "params", "keep": the objects that own the memory}}."""
    from reverie.core.engine import UNIT_ABI, extern_unit
    from reverie.core.units.wavetable_build import mipmaps
    out = {}
    for n in nodes.values():
        if n.unit == "wavetable":
            if n.data is None:
                from reverie.sound.wavetables import basic
                frames = basic()
            else:
                frames = n.data
            try:
                maps = np.ascontiguousarray(mipmaps(frames), dtype=np.float32)
            except ValueError as e:
                _fail(inst, f"node {n.name!r} (wavetable): {e}")
            levels, count, points = maps.shape
            out[n.name] = {"data": maps.ctypes.data, "dims": (levels, count, points - 1), "keep": [maps]}
        elif n.unit == "extern":
            capsule = getattr(n.data, "REVERIE_UNIT", n.data)
            try:
                info = extern_unit(capsule)
            except (ValueError, TypeError) as e:
                _fail(inst, f"node {n.name!r} (extern): {e}")
            if info["abi"] != UNIT_ABI:
                _fail(inst, f"node {n.name!r} (extern): built for unit ABI {info['abi']}, "
                            f"this engine runs {UNIT_ABI}; rebuild it")
            if not 0 <= info["inputs"] <= 1 or not 0 <= info["params"] <= SIZES["OP_PARAMS"] \
                    or not 0 <= info["state_bytes"] <= SIZES["VOICE_ARENA"]:
                _fail(inst, f"node {n.name!r} (extern): declares {info['inputs']} inputs, "
                            f"{info['params']} parameters, {info['state_bytes']} state bytes")
            out[n.name] = {**info, "data": info["address"], "keep": [n.data, capsule]}
    return out


def _check_nodes(inst: Instrument, nodes: dict[str, Node], data: dict) -> None:
    if len(nodes) != len(inst.nodes):
        _fail(inst, "two nodes have the same name")
    keys = inst.spec.by_key
    for n in inst.nodes:
        u = UNITS.get(n.unit)
        if u is None:
            _fail(inst, f"node {n.name!r} uses unknown unit {n.unit!r}; units: {', '.join(UNITS)}")
        if n.unit == "extern":
            u = UnitDef(u.kind, ("in",) * data[n.name]["inputs"], ("p",) * data[n.name]["params"])
        want = len(n.inputs) if u.inputs == ("*",) else len(u.inputs)
        if u.inputs == ("*",) and not 1 <= want <= SIZES["OP_INPUTS"]:
            _fail(inst, f"node {n.name!r} ({n.unit}) mixes 1..{SIZES['OP_INPUTS']} inputs, not {want}")
        if len(n.inputs) != want:
            _fail(inst, f"node {n.name!r} ({n.unit}) needs {want} input(s) "
                        f"({', '.join(u.inputs)}), has {len(n.inputs)}")
        for i in n.inputs:
            for a in _alternatives(i):
                if a not in nodes:
                    _fail(inst, f"node {n.name!r} reads {a!r}, which is not in the graph")
                if not UNITS[nodes[a].unit].output:
                    _fail(inst, f"node {n.name!r} reads {a!r}, which has no output")
        nparams = len(n.inputs) if n.unit == "mix" else len(u.params)
        if len(n.params) > nparams:
            _fail(inst, f"node {n.name!r} ({n.unit}) reads {nparams} parameter(s), not {len(n.params)}")
        for key in (*n.params, n.gate, n.when[0] if n.when else None):
            if key is not None and key not in keys:
                _fail(inst, f"node {n.name!r} reads parameter {key!r}, which is not in the spec")
        if u.block:
            ids = [keys[k].id if k is not None else None for k in n.params]
            if len(ids) != len(u.params) or None in ids or ids != list(range(ids[0], ids[0] + len(ids))):
                _fail(inst, f"node {n.name!r} ({n.unit}) reads {len(u.params)} parameters with consecutive "
                            f"ids ({', '.join(u.params)})")
    outs = sum(UNITS[n.unit].kind in _OUTS for n in inst.nodes)
    drums = [n for n in inst.nodes if n.unit == "drum"]
    if drums and (outs or len(drums) != len(inst.nodes)):
        _fail(inst, "drum nodes are the whole graph: each is its own output")
    for n in drums:
        if len(n.params) != len(UNITS["drum"].params) or None in n.params[5:]:
            _fail(inst, f"drum node {n.name!r} needs its level, kit level and velocity (parameters 6..8)")
    if not drums and outs != 1:
        _fail(inst, "the graph needs exactly one out (or sampler) node")


def _buffers(inst: Instrument, nodes: dict[str, Node], order: list[str]) -> dict[str, int]:
    """A scratch buffer per signal: alternatives share one; a buffer is free again after the
    last node that reads it (never the buffer of the node's own output)."""
    group = {}
    for n in nodes.values():
        for i in n.inputs:
            alts = _alternatives(i)
            if len(alts) > 1:
                whens = [nodes[a].when for a in alts]
                if None in whens or len({w[0] for w in whens}) != 1 or len({w[1] for w in whens}) != len(alts):
                    _fail(inst, f"alternatives {', '.join(alts)} must run on distinct values of one parameter (when)")
                for a in alts:
                    group[a] = alts[0]
    last: dict[str, int] = {}
    for pos, name in enumerate(order):
        for i in nodes[name].inputs:
            for a in _alternatives(i):
                last[group.get(a, a)] = pos
    free, given, count = [], {}, 0
    for pos, name in enumerate(order):
        n = nodes[name]
        if UNITS[n.unit].output:
            g = group.get(name, name)
            src = group.get(_alternatives(n.inputs[0])[0], _alternatives(n.inputs[0])[0]) if n.inputs else None
            if g not in given and n.unit in IN_PLACE and last.get(src) == pos:
                # a frame-by-frame processor whose input nobody reads later works in place:
                # one buffer less, and while gated off it simply leaves its input there
                given[g] = given[src]
                del last[src]
            elif g not in given:
                if free:
                    given[g] = free.pop(0)
                else:
                    given[g] = count
                    count += 1
        for g, p in list(last.items()):
            if p == pos and g in given and g not in free:
                free.append(given[g])
                free.sort()
    if count > SIZES["VOICE_BUFS"]:
        _fail(inst, f"the graph needs {count} scratch buffers; a voice has {SIZES['VOICE_BUFS']}")
    return {name: given[group.get(name, name)] for name in nodes if UNITS[nodes[name].unit].output}


def _fuse_amp(nodes: dict[str, Node]) -> dict[str, Node]:
    """An `adsr` read only by the `out` (as its envelope), neither switched nor gated: one
    `amp_out` op, so the envelope's per-frame recurrence runs inside the output's loop
    instead of in a pass of its own (the same samples; docs/engine.md)."""
    for out in [n for n in nodes.values() if n.unit == "out"]:
        env = nodes[_alternatives(out.inputs[1])[0]] if len(_alternatives(out.inputs[1])) == 1 else None
        readers = [n for n in nodes.values() for i in n.inputs if env is not None and env.name in _alternatives(i)]
        if env is None or env.unit != "adsr" or len(readers) != 1 or env.when or env.gate or out.when or out.gate:
            continue
        pad = lambda t, k: tuple(t) + (None,) * (k - len(t))   # noqa: E731
        nodes = {k: n for k, n in nodes.items() if k != env.name}
        nodes[out.name] = Node(out.name, "amp_out", (out.inputs[0],), pad(out.params, 3) + pad(env.params, 4),
                               conf=env.conf)
    return nodes


def compile_graph(inst: Instrument) -> Compiled:
    """The instrument's program, or a GraphError naming what is wrong in one line."""
    from reverie.core.engine import UNIT_BLOCK_PARAMS, UNIT_STATE_BYTES, pack_program

    nodes = {n.name: n for n in inst.nodes}
    for name, u in UNITS.items():
        if u.block and len(u.params) != UNIT_BLOCK_PARAMS[u.kind]:    # the core's count, kept once
            _fail(inst, f"unit {name!r} names {len(u.params)} parameters; the core reads {UNIT_BLOCK_PARAMS[u.kind]}")
    for n in inst.nodes:
        if n.unit not in UNITS:
            _fail(inst, f"node {n.name!r} uses unknown unit {n.unit!r}; units: {', '.join(UNITS)}")
    data = _data(inst, nodes)
    _check_nodes(inst, nodes, data)
    nodes = _fuse_amp(nodes)
    order = _order(inst, nodes)
    if len(order) > SIZES["PROGRAM_OPS"]:
        _fail(inst, f"the graph has {len(order)} nodes; a program runs at most {SIZES['PROGRAM_OPS']}")
    bufs = _buffers(inst, nodes, order)
    key_id = {s.key: s.id for s in inst.spec}
    pid = lambda key: -1 if key is None else key_id[key]   # noqa: E731
    ops, arena, voice = [], 0, []
    for name in order:
        n = nodes[name]
        u = UNITS[n.unit]
        size = data[name]["state_bytes"] if n.unit == "extern" else UNIT_STATE_BYTES[u.kind]
        state = arena
        arena += (size + 7) // 8 * 8
        params = [pid(k) for k in n.params]
        voice += [p for p in params if p >= 0]
        if u.block:
            params = params[:1]
        if n.when:
            voice.append(pid(n.when[0]))
        if n.gate:
            voice.append(pid(n.gate))
        ops.append({"kind": int(u.kind), "state": state, "conf": n.conf, "k": n.k,
                    "inp": [bufs[_alternatives(i)[0]] for i in n.inputs],
                    "out": bufs.get(name, -1), "par": params,
                    "when": (pid(n.when[0]), int(n.when[1])) if n.when else None,
                    "gate": pid(n.gate), "data": data.get(name, {}).get("data", 0),
                    "dims": tuple(data.get(name, {}).get("dims", (0, 0, 0)))})
    if arena > SIZES["VOICE_ARENA"]:
        _fail(inst, f"the graph's unit state takes {arena} bytes; a voice has {SIZES['VOICE_ARENA']}")
    fused = any(nodes[n].unit in ("sampler", "multisample") for n in order)
    if fused and len(order) != 1:
        _fail(inst, "the sampler unit runs alone: it is the whole voice")
    voice += [pid(k) for k in inst.voice.env2 if k is not None]    # per voice: routes may reach them
    rows = _rows(inst, key_id, set(voice))
    gating = {k for n in nodes.values() for k in (n.gate, n.when[0] if n.when else None) if k}
    v = inst.voice
    desc = {
        "ops": ops, "n_params": max(key_id.values(), default=-1) + 1, "arena_bytes": arena,
        "params": [_param(s, gating) for s in inst.spec],
        "rows": rows, "voice_params": sorted(set(voice)),
        "dests": [key_id[k] for k in inst.dests],
        "derive": int(fused), "fused": int(fused),
        "choke": pid(v.choke), "vmode": pid(v.mode), "glide_ms": pid(v.glide_ms),
        "unison": pid(v.unison), "detune": pid(v.detune_ct), "spread": pid(v.spread),
        "lfo": [[pid(k) for k in lfo] for lfo in v.lfos], "env2": [pid(k) for k in v.env2],
    }
    if len(v.lfos) > SIZES["VOICE_LFOS"]:
        _fail(inst, f"a voice has {SIZES['VOICE_LFOS']} LFOs, not {len(v.lfos)}")
    try:
        program = pack_program(desc).view(Program)
    except ValueError as e:
        _fail(inst, str(e))
    keep = [obj for d in data.values() for obj in d["keep"]]
    program.keep = tuple(keep)
    return Compiled(inst, program, order, len(set(bufs.values())), arena, keep)


def _param(s, gating: set) -> tuple[int, int, float, float, float]:
    flags = (ParamFlag.PARAM_SMOOTH if s.smooth else 0) | (ParamFlag.PARAM_LOG2 if s.curve == "exp" else 0) \
        | (ParamFlag.PARAM_GATES if s.key in gating else 0)
    span = math.log2(s.hi / s.lo) if s.curve == "exp" else s.hi - s.lo
    return s.id, int(flags), float(s.lo), float(s.hi), float(span)


def _rows(inst: Instrument, key_id: dict, voice: set) -> list:
    rows = []
    for r in inst.routes:
        for key in (r.dest if not r.pick else None, r.amount, r.source if r.source not in SOURCES else None):
            if key is not None and key not in key_id:
                _fail(inst, f"a route reads parameter {key!r}, which is not in the spec")
        if r.pick and r.dest not in key_id:
            _fail(inst, f"a route picks its destination with {r.dest!r}, which is not in the spec")
        dest = -1 if r.pick else key_id[r.dest]
        if dest >= 0 and dest not in voice:
            _fail(inst, f"a route modulates {r.dest!r}, which no node reads")
        src = SOURCES.get(r.source, -1)
        rows.append((src, -1 if src >= 0 else key_id[r.source], dest,
                     key_id[r.dest] if r.pick else -1, key_id[r.amount], int(r.relative)))
    for k in inst.dests:
        if key_id.get(k) not in voice:
            _fail(inst, f"destination {k!r} is a parameter no node reads")
    if len(rows) > SIZES["MOD_ROWS"]:
        _fail(inst, f"the instrument has {len(rows)} modulation routes; a program has {SIZES['MOD_ROWS']}")
    return rows
