# Programs on the control side: packing a compiled voice graph (sound/graph.py) into the C
# struct the engine runs (program.pxd), and reading one back. Included in engine.pyx.

from reverie.core.program cimport Program, ProgOp, ModRow, program_clear, program_sampler
from reverie.core.graph cimport unit_state_bytes
from reverie.core.voice cimport SamplerVoice
from reverie.core.units.fm4 cimport FM4_PARAMS
from reverie.core.unit_abi cimport reverie_unit, REVERIE_UNIT_CAPSULE, REVERIE_UNIT_ABI
from cpython.pycapsule cimport PyCapsule_IsValid, PyCapsule_GetPointer
from libc.stdint cimport uintptr_t

# Bytes of each unit's state in a voice's arena (the compiler places states with them).
UNIT_STATE_BYTES = {kind: int(unit_state_bytes(kind)) for kind in range(1, UNIT_KINDS)}
UNIT_STATE_BYTES[UNIT_SAMPLER] = int(sizeof(SamplerVoice))
UNIT_STATE_BYTES[UNIT_MULTI] = int(sizeof(SamplerVoice))
PROGRAM_BYTES = int(sizeof(Program))
# Units that read a block of consecutive parameters (sound/graph.py `block=True`): how many.
UNIT_BLOCK_PARAMS = {UNIT_FM4: int(FM4_PARAMS)}


cdef void _fill(int16_t *dst, values, int n, str what) except *:
    values = list(values)
    if len(values) > n:
        raise ValueError(f"{what}: at most {n}, not {len(values)}")
    for i in range(n):
        dst[i] = values[i] if i < len(values) else -1


def pack_program(d):
    """A Program (program.pxd) as a uint8 array, from the compiler's plain description:
    {"ops": [{"kind", "state", "conf", "k", "inp", "out", "par", "when": (param, value) or
    None, "gate"}], "params": [(id, flags, lo, hi, span)], "rows": [(src, src_param, dest,
    dest_param, amount, relative)], "voice_params", "dests", "n_params", "arena_bytes",
    "choke", "vmode", "glide_ms", "unison", "detune", "spread", "lfo": [[5 ids]...],
    "env2": [4 ids]}; -1 for "none" throughout. An op's "data" is an address (a wavetable's
    mip-maps, an extern unit) whose memory the caller keeps alive as long as the program."""
    arr = np.zeros(sizeof(Program), np.uint8)
    cdef unsigned char[::1] view = arr
    cdef Program *p = <Program *>&view[0]
    cdef ProgOp *op
    cdef ModRow *r
    program_clear(p)
    ops, params, rows = d["ops"], d.get("params", ()), d.get("rows", ())
    if len(ops) > PROGRAM_OPS:
        raise ValueError(f"a program has at most {PROGRAM_OPS} ops, not {len(ops)}")
    if len(rows) > MOD_ROWS:
        raise ValueError(f"a program has at most {MOD_ROWS} modulation routes, not {len(rows)}")
    p.n_ops = len(ops)
    p.n_rows = len(rows)
    p.n_params = d["n_params"]
    p.arena_bytes = d["arena_bytes"]
    if not 0 <= p.arena_bytes <= VOICE_ARENA:
        raise ValueError(f"a program's state takes at most {VOICE_ARENA} bytes, not {p.arena_bytes}")
    if not 0 <= p.n_params <= N_TRACK_PARAMS:
        raise ValueError(f"an instrument has at most {N_TRACK_PARAMS} parameters, not {p.n_params}")
    p.derive = d.get("derive", 0)
    p.fused = d.get("fused", 0)
    for name in ("choke", "vmode", "glide_ms", "unison", "detune", "spread"):
        setattr_prog(p, name, d.get(name, -1))
    for k, ids in enumerate(d.get("lfo", ())):
        _fill(p.lfo[k], ids, 5, "an LFO's parameters")
    _fill(p.env2, d.get("env2", ()), 4, "the modulation envelope's parameters")
    voice = list(d.get("voice_params", ()))
    dests = list(d.get("dests", ()))
    _fill(p.voice_params, voice, N_TRACK_PARAMS, "voice parameters")
    _fill(p.dests, dests, N_TRACK_PARAMS, "destinations")
    p.n_voice = len(voice)
    p.n_dests = len(dests)
    for pid, flags, lo, hi, span in params:
        p.params[pid].flags = flags
        p.params[pid].lo = lo
        p.params[pid].hi = hi
        p.params[pid].span = span
    for k, o in enumerate(ops):
        op = &p.ops[k]
        op.kind = o["kind"]
        op.state = o.get("state", 0)
        op.conf = o.get("conf", 0)
        op.k = o.get("k", 0.0)
        _fill(op.inp, o.get("inp", ()), OP_INPUTS, "an op's inputs")
        op.out = o.get("out", -1)
        _fill(op.par, o.get("par", ()), OP_PARAMS, "an op's parameters")
        when = o.get("when")
        op.when_param, op.when_value = when if when is not None else (-1, 0)
        op.gate = o.get("gate", -1)
        dims = o.get("dims", (0, 0, 0))
        op.dims[0], op.dims[1], op.dims[2] = dims
        op.data = <const void *><uintptr_t>o.get("data", 0)
    for k, (src, src_param, dest, dest_param, amount, relative) in enumerate(rows):
        r = &p.rows[k]
        r.src, r.src_param, r.dest, r.dest_param, r.amount, r.relative = \
            src, src_param, dest, dest_param, amount, relative
    return arr


cdef void setattr_prog(Program *p, str name, int value):
    if name == "choke":
        p.choke = value
    elif name == "vmode":
        p.vmode = value
    elif name == "glide_ms":
        p.glide_ms = value
    elif name == "unison":
        p.unison = value
    elif name == "detune":
        p.detune = value
    elif name == "spread":
        p.spread = value


def sampler_program():
    """The engine's own sampler program (program.pxd program_sampler), as bytes."""
    arr = np.zeros(sizeof(Program), np.uint8)
    cdef unsigned char[::1] view = arr
    program_sampler(<Program *>&view[0])
    (<Program *>&view[0]).arena_bytes = sizeof(SamplerVoice)
    return arr


def extern_unit(capsule):
    """What a unit compiled outside the core declares (unit_abi.h): a dict with its address,
    "abi", "state_bytes", "inputs", "params"; ValueError (one line) for anything but a
    reverie_unit capsule with all its functions."""
    if not PyCapsule_IsValid(capsule, REVERIE_UNIT_CAPSULE):
        raise ValueError(f"not a reverie unit (a PyCapsule named {REVERIE_UNIT_CAPSULE.decode()!r})")
    cdef const reverie_unit *u = <const reverie_unit *>PyCapsule_GetPointer(capsule, REVERIE_UNIT_CAPSULE)
    if u.init == NULL or u.process == NULL:
        raise ValueError("the unit has no init or no process function")
    return {"address": <uintptr_t>u, "abi": u.abi, "state_bytes": u.state_bytes,
            "inputs": u.inputs, "params": u.params}


UNIT_ABI = REVERIE_UNIT_ABI
