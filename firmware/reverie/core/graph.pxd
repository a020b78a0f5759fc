# Running a voice program (program.pxd): per voice and chunk, each op in order, one switch on
# its unit and a call to the unit's render over the chunk; per voice and control tick, the
# modulation (LFOs, the second envelope, the matrix) into the voice's control values, which
# ops read as parameters. No Python, no allocation: the units keep their state in the voice's
# arena, the chunk's signals in the engine's scratch buffers.
from libc.stdint cimport int16_t, int32_t, int64_t, uint32_t
from libc.math cimport exp2f, log2f
from libc.string cimport memcpy, memset
from reverie.core.defs cimport *
from reverie.core.dsp cimport *
from reverie.core.program cimport Program, ProgOp, ModRow
from reverie.core.voice cimport Voice
from reverie.core.state cimport EngineState, Track
from reverie.core.units.common cimport clip
from reverie.core.units.osc cimport OscState, osc_init, osc_reset, osc_render
from reverie.core.units.noise cimport NoiseState, noise_init, noise_reset, noise_render
from reverie.core.units.ladder cimport LadderState, ladder_init, ladder_reset, ladder_render
from reverie.core.units.env cimport (AdsrState, adsr_init, adsr_reset, adsr_release, adsr_render,
                                     adsr_coefs, ENV_CURVE_TARGET)
from reverie.core.units.glide cimport GlideState, glide_init, glide_reset, glide_render, GLIDE_CONSTANT_TIME
from reverie.core.units.shaper cimport DriveState, drive_init, drive_reset, drive_render
from reverie.core.units.fold cimport FoldState, fold_init, fold_reset, fold_render
from reverie.core.units.lfo cimport lfo_init, lfo_reset, lfo_render
from reverie.core.units.blep cimport BLEP_DELAY
from reverie.core.units.drum cimport DrumState, drum_init, drum_render, drum_gain, drum_of_note
from reverie.core.units.fm4 cimport (Fm4State, fm4_init, fm4_reset, fm4_retrigger, fm4_release,
                                     fm4_render)
from reverie.core.units.wavetable cimport (WavetableState, wavetable_init, wavetable_set,
                                           wavetable_reset, wavetable_render)
from reverie.core.units.shaper cimport (BitCrushState, RateCrushState, bitcrush_init, bitcrush_reset,
                                        bitcrush_render, ratecrush_init, ratecrush_reset,
                                        ratecrush_render)
from reverie.core.unit_abi cimport reverie_unit

# The state-variable filter as a graph unit: mono, its coefficients designed at each control
# tick and ramped per frame to them over the tick, as in the sampler.
ctypedef struct SvfOpState:
    SvfCoefs cur
    SvfCoefs step
    SvfCoefs tgt
    float s1
    float s2
    float key_cutoff        # what tgt was designed for
    float key_res
    int32_t key_mode
    float damping           # from key_res

ctypedef struct OutState:
    float gl                # gains at the last tick (level x velocity x pan)
    float gr
    float tgl               # and at this one
    float tgr
    float key_level         # what tgl and tgr were made from
    float key_pan
    float key_sens

# The amp envelope and the output in one op, one loop: the envelope's recurrence then runs
# beside the output's arithmetic instead of in a pass of its own (sound/graph.py fuses an
# `adsr` that only an `out` reads). The same numbers as the two ops.
ctypedef struct AmpOutState:
    AdsrState env
    OutState out

ctypedef struct CrushOpState:
    RateCrushState rate
    BitCrushState bits

# The size of each unit's state in a voice's arena (0: none; an extern unit's is its own);
# the compiler places states.
cdef inline int unit_state_bytes(int kind) noexcept nogil:
    if kind == UNIT_OSC:
        return sizeof(OscState)
    if kind == UNIT_NOISE:
        return sizeof(NoiseState)
    if kind == UNIT_SVF:
        return sizeof(SvfOpState)
    if kind == UNIT_LADDER:
        return sizeof(LadderState)
    if kind == UNIT_ADSR:
        return sizeof(AdsrState)
    if kind == UNIT_GLIDE:
        return sizeof(GlideState)
    if kind == UNIT_DRIVE:
        return sizeof(DriveState)
    if kind == UNIT_FOLD:
        return sizeof(FoldState)
    if kind == UNIT_OUT:
        return sizeof(OutState)
    if kind == UNIT_AMP_OUT:
        return sizeof(AmpOutState)
    if kind == UNIT_DRUM:
        return sizeof(DrumState)
    if kind == UNIT_FM4:
        return sizeof(Fm4State)
    if kind == UNIT_WAVETABLE:
        return sizeof(WavetableState)
    if kind == UNIT_CRUSH:
        return sizeof(CrushOpState)
    return 0

cdef inline void *op_state(Voice *v, const ProgOp *op) noexcept nogil:
    return <void *>(<char *>v.arena + op.state)

cdef inline float *buf(EngineState *st, int b) noexcept nogil:
    return &st.scratch[b][0]

# A parameter as the op reads it: the voice's control value this tick.
cdef inline float par(const Voice *v, const ProgOp *op, int i) noexcept nogil:
    return v.ctl[op.par[i]] if op.par[i] >= 0 else <float>0.0

cdef extern from *:
    """
    static inline int reverie_ctz32(unsigned int x) { return __builtin_ctz(x); }
    """
    int ctz32 "reverie_ctz32" (uint32_t x) nogil

# --- control rate: modulation -------------------------------------------------------------

# A track parameter in its units (a PARAM_LOG2 one is kept as log2), or `fallback` if none.
cdef inline float tval(const Program *pr, const Track *t, int p, float fallback) noexcept nogil:
    if p < 0:
        return fallback
    if pr.params[p].flags & PARAM_LOG2:
        return exp2f(t.value[p])
    return t.value[p]

# A voice parameter from its kept form x: in its units (exp2 for PARAM_LOG2), clamped; ctl0
# takes the last tick's value. Returns 1 if it moved.
cdef inline int voice_param(Voice *v, const Program *pr, int p, float x, int first) noexcept nogil:
    if first or x != v.kept[p]:
        v.kept[p] = x
        if pr.params[p].flags & PARAM_LOG2:
            x = exp2f(clip(x, <float>-20.0, <float>20.0))
        x = clip(x, pr.params[p].lo, pr.params[p].hi)
        v.ctl0[p] = x if first else v.ctl[p]
        v.ctl[p] = x
        return not first
    v.ctl0[p] = v.ctl[p]
    return 0

# The modulation envelope's times and sustain are voice parameters (a route may reach them:
# an accent shortens the bass's filter decay): the voice's own from its last tick, or at its
# first tick, before they are computed, the track's.
cdef inline float env2_par(const Voice *v, const Program *pr, const Track *t, int p, int first) noexcept nogil:
    if p < 0 or first:
        return tval(pr, t, p, 1.0)
    return v.ctl[p]

# The routes that sound now (amount not 0, a source, a destination), and the sources they
# use: an LFO no route uses does not run. They depend on the track's values and program
# alone, which within a frame change only with its epoch: worked out once for all the track's
# voices that tick at this frame.
cdef inline void graph_routes(Track *t, const Program *pr, int64_t frame) noexcept nogil:
    cdef float amount
    cdef int k, p, src, dest
    cdef const ModRow *r
    cdef int n_mod = 0, used = 0, gates = 0
    if t.mod_prog == pr and t.mod_frame == frame and t.mod_epoch == t.epoch:
        return
    for k in range(pr.n_rows):
        r = &pr.rows[k]
        amount = t.value[r.amount]
        if amount == <float>0.0:
            continue
        src = r.src if r.src >= 0 else <int>t.value[r.src_param]
        if src <= SRC_NONE or src >= SRC_COUNT:
            continue
        if r.dest >= 0:
            dest = r.dest
        else:
            p = <int>t.value[r.dest_param]
            if p < 0 or p >= pr.n_dests:
                continue
            dest = pr.dests[p]
        if r.relative:
            amount = amount * pr.params[dest].span
        if pr.params[dest].flags & PARAM_GATES:
            gates = 1
        t.mod_dest[n_mod] = <int16_t>dest
        t.mod_amount[n_mod] = amount
        t.mod_src[n_mod] = src
        n_mod += 1
        used |= 1 << src
    for k in range(VOICE_LFOS):
        if pr.lfo[k][0] >= 0 and used & (1 << (SRC_LFO1 + k)):
            t.mod_lfo[k][0] = tval(pr, t, pr.lfo[k][1], 1.0)
            t.mod_lfo[k][1] = tval(pr, t, pr.lfo[k][2], 0.0)
            t.mod_lfo[k][2] = tval(pr, t, pr.lfo[k][4], 0.0)
    t.mod_n = n_mod
    t.mod_used = used
    t.mod_gates = gates
    t.mod_prog = pr
    t.mod_frame = frame
    t.mod_epoch = t.epoch

# The voice's sources, then every voice parameter: the track's value plus the routes to it,
# in the parameter's kept form (octaves for PARAM_LOG2), then in its units and clamped.
# Returns 1 when which ops run may have changed (a full pass, or a route to a gating level).
cdef inline int graph_modulate(EngineState *st, Voice *v, Track *t, int first) noexcept nogil:
    cdef const Program *pr = v.prog
    cdef float acc[N_TRACK_PARAMS]
    cdef int k, p
    cdef const int16_t *lf
    cdef float tempo = st.master_value[M_TEMPO]
    cdef int16_t dest_of[MOD_ROWS]
    cdef const int32_t *src_of
    cdef const float *amount_of
    cdef int n_mod, used, full, j, gates
    graph_routes(t, pr, st.frame)
    n_mod = t.mod_n
    used = t.mod_used
    gates = t.mod_gates
    src_of = t.mod_src
    amount_of = t.mod_amount
    for j in range(n_mod):
        dest_of[j] = t.mod_dest[j]    # a copy: repeated destinations are struck out below
    v.mod.src[SRC_ENV1] = v.env
    if pr.env2[0] >= 0:
        adsr_render(&v.mod.env2, env2_par(v, pr, t, pr.env2[0], first), env2_par(v, pr, t, pr.env2[1], first),
                    env2_par(v, pr, t, pr.env2[2], first), env2_par(v, pr, t, pr.env2[3], first), 0,
                    &v.mod.src[SRC_ENV2], 1)
    for k in range(VOICE_LFOS):
        lf = pr.lfo[k]
        if lf[0] >= 0 and used & (1 << (SRC_LFO1 + k)):
            lfo_render(&v.mod.lfo[k], <int>t.value[lf[0]], t.mod_lfo[k][0], t.mod_lfo[k][1],
                       tempo, t.mod_lfo[k][2], &v.mod.src[SRC_LFO1 + k], 1)
    v.mod.src[SRC_WHEEL] = t.wheel
    v.mod.src[SRC_PRESSURE] = t.pressure
    # Every parameter after a change on the track (or while one still moved); else only
    # the routes' destinations: the others hold still, ctl0 == ctl.
    full = first or v.mod.settle or t.epoch != v.mod.epoch
    if full:
        for k in range(pr.n_voice):
            acc[pr.voice_params[k]] = t.value[pr.voice_params[k]]
    else:
        for j in range(n_mod):
            acc[dest_of[j]] = t.value[dest_of[j]]
    for j in range(n_mod):
        acc[dest_of[j]] += amount_of[j] * v.mod.src[src_of[j]]
    if full:
        v.mod.epoch = t.epoch
        v.mod.settle = 0
        for k in range(pr.n_voice):
            if voice_param(v, pr, pr.voice_params[k], acc[pr.voice_params[k]], first):
                v.mod.settle = 1
    else:
        for j in range(n_mod):
            p = dest_of[j]
            if p >= 0:
                voice_param(v, pr, p, acc[p], 0)
                # the same destination twice: once is enough
                for k in range(j + 1, n_mod):
                    if dest_of[k] == p:
                        dest_of[k] = -1
    return full or gates

# The SVF's targets for this tick: designed only when cutoff, resonance or mode moved.
cdef inline void svf_op_tick(SvfOpState *s, int mode, float cutoff, float res, float sr,
                             int first) noexcept nogil:
    cdef float inv = <float>1.0 / <float>CONTROL_FRAMES
    s.cur = s.tgt
    if first or res != s.key_res:
        s.damping = svf_damping(res)
    if first or cutoff != s.key_cutoff or res != s.key_res or mode != s.key_mode:
        svf_design(&s.tgt, cutoff, s.damping, mode, sr)
        s.key_cutoff = cutoff
        s.key_res = res
        s.key_mode = mode
    if first:
        s.cur = s.tgt
    s.step.a11 = (s.tgt.a11 - s.cur.a11) * inv
    s.step.a12 = (s.tgt.a12 - s.cur.a12) * inv
    s.step.b1 = (s.tgt.b1 - s.cur.b1) * inv
    s.step.a21 = (s.tgt.a21 - s.cur.a21) * inv
    s.step.a22 = (s.tgt.a22 - s.cur.a22) * inv
    s.step.b2 = (s.tgt.b2 - s.cur.b2) * inv
    s.step.c0 = (s.tgt.c0 - s.cur.c0) * inv
    s.step.c1 = (s.tgt.c1 - s.cur.c1) * inv
    s.step.c2 = (s.tgt.c2 - s.cur.c2) * inv

cdef inline void out_op_tick(Voice *v, const ProgOp *op, OutState *s, int first) noexcept nogil:
    cdef float gl, gr, g, sens = par(v, op, 2), level = par(v, op, 0), pan = par(v, op, 1)
    s.gl = s.tgl
    s.gr = s.tgr
    if first or level != s.key_level or pan != s.key_pan or sens != s.key_sens:
        s.key_level = level
        s.key_pan = pan
        s.key_sens = sens
        g = db_to_gain(level) * (<float>1.0 - sens + sens * v.velocity)
        pan_gains(clip(pan + v.mod.pan_off, <float>-1.0, <float>1.0), &gl, &gr)
        s.tgl = g * gl
        s.tgr = g * gr
    if first:
        s.gl = s.tgl
        s.gr = s.tgr

# Once per control tick (and at note on, `first`): modulation, then the ops that design
# something at control rate.
cdef inline void graph_tick(EngineState *st, Voice *v, int first) noexcept nogil:
    cdef const Program *pr = v.prog
    cdef const ProgOp *op
    cdef int k, fresh
    cdef uint32_t run = 0, copy = 0, bit, ticking
    cdef float sr = <float>st.sample_rate
    if not graph_modulate(st, v, &st.tracks[v.track], first):
        # the same ops run: only their work at the tick
        ticking = v.mod.run & v.mod.ticking
        while ticking:
            k = ctz32(ticking)
            ticking &= ticking - 1
            op = &pr.ops[k]
            if op.kind == UNIT_SVF:
                svf_op_tick(<SvfOpState *>op_state(v, op), <int>par(v, op, 0), par(v, op, 1),
                            par(v, op, 2), sr, 0)
            elif op.kind == UNIT_OUT:
                out_op_tick(v, op, <OutState *>op_state(v, op), 0)
            elif op.kind == UNIT_AMP_OUT:
                out_op_tick(v, op, &(<AmpOutState *>op_state(v, op)).out, 0)
            else:
                extern_tick(v, op)
        v.mod.ticked += 1
        return
    # Which ops run until the next tick (their `when` and `gate` read control values, which
    # move only here), and which, gated off, pass their input on. An op that comes back (a
    # filter chosen again) starts from rest, so nothing stale sounds.
    for k in range(pr.n_ops):
        op = &pr.ops[k]
        bit = 1u << k
        if op.when_param >= 0 and <int>v.ctl[op.when_param] != op.when_value:
            continue
        if op.kind == UNIT_DRUM and op.conf != drum_of_note(v.note):
            continue        # the note picks the drum (units/drum.pxd)
        if gated_off(v, op.gate):
            if op.inp[0] >= 0 and op.out >= 0 and op.inp[0] != op.out:
                copy |= bit
            continue
        run |= bit
        fresh = first or not (v.mod.run & bit)
        if fresh and not first:
            op_start(st, v, op, k)
        if op.kind == UNIT_SVF:
            svf_op_tick(<SvfOpState *>op_state(v, op), <int>par(v, op, 0), par(v, op, 1),
                        par(v, op, 2), sr, fresh)
        elif op.kind == UNIT_OUT:
            out_op_tick(v, op, <OutState *>op_state(v, op), fresh)
        elif op.kind == UNIT_AMP_OUT:
            out_op_tick(v, op, &(<AmpOutState *>op_state(v, op)).out, fresh)
        elif op.kind == UNIT_EXTERN:
            extern_tick(v, op)
    v.mod.run = run
    v.mod.copy = copy
    v.mod.ticked += 1

# --- note on and off ------------------------------------------------------------------------

cdef inline void op_start(EngineState *st, Voice *v, const ProgOp *op, int k) noexcept nogil:
    cdef void *s = op_state(v, op)
    cdef float sr = <float>st.sample_rate
    if op.kind == UNIT_OSC:
        osc_init(<OscState *>s, sr)
        osc_reset(<OscState *>s, <float>0.0)
    elif op.kind == UNIT_NOISE:
        noise_init(<NoiseState *>s, sr)
        noise_reset(<NoiseState *>s, <uint32_t>(v.age * 2654435761u + <uint32_t>k))
    elif op.kind == UNIT_LADDER:
        ladder_init(<LadderState *>s, sr)
    elif op.kind == UNIT_SVF:
        (<SvfOpState *>s).s1 = 0.0
        (<SvfOpState *>s).s2 = 0.0
    elif op.kind == UNIT_ADSR:
        adsr_init(<AdsrState *>s, sr)
        adsr_reset(<AdsrState *>s)
    elif op.kind == UNIT_AMP_OUT:
        adsr_init(&(<AmpOutState *>s).env, sr)
        adsr_reset(&(<AmpOutState *>s).env)
    elif op.kind == UNIT_GLIDE:
        glide_init(<GlideState *>s, sr)
        glide_reset(<GlideState *>s, v.mod.pitch_hz)
    elif op.kind == UNIT_DRIVE:
        drive_init(<DriveState *>s, sr)
    elif op.kind == UNIT_FOLD:
        fold_init(<FoldState *>s, sr)
    elif op.kind == UNIT_DRUM:
        drum_init(<DrumState *>s, sr, op.conf, v.note, <uint32_t>(v.age * 2654435761u + <uint32_t>k))
    elif op.kind == UNIT_FM4:
        fm4_init(<Fm4State *>s, sr)
        fm4_reset(<Fm4State *>s)
    elif op.kind == UNIT_WAVETABLE:
        wavetable_init(<WavetableState *>s, sr)
        wavetable_set(<WavetableState *>s, <const float *>op.data, op.dims[0], op.dims[1], op.dims[2])
        wavetable_reset(<WavetableState *>s, <float>0.0)
    elif op.kind == UNIT_CRUSH:
        ratecrush_init(&(<CrushOpState *>s).rate, sr)
        ratecrush_reset(&(<CrushOpState *>s).rate)
        bitcrush_init(&(<CrushOpState *>s).bits, sr)
        bitcrush_reset(&(<CrushOpState *>s).bits)
    elif op.kind == UNIT_EXTERN:
        (<const reverie_unit *>op.data).init(s, sr)

# A fresh voice of a graph program: units from rest, modulation sources, control values.
cdef inline void graph_start(EngineState *st, Voice *v, Track *t) noexcept nogil:
    cdef const Program *pr = v.prog
    cdef int k
    cdef float sr = <float>st.sample_rate
    cdef float ctl_rate = sr / <float>CONTROL_FRAMES
    cdef uint32_t seed = <uint32_t>(v.age * 2654435761u) ^ <uint32_t>(v.note * 40503u + v.track)
    for k in range(VOICE_LFOS):
        lfo_init(&v.mod.lfo[k], ctl_rate, seed + <uint32_t>k)
    adsr_init(&v.mod.env2, ctl_rate)
    adsr_reset(&v.mod.env2)
    v.mod.src[SRC_VELOCITY] = v.velocity
    v.mod.src[SRC_NOTE] = (<float>v.note - <float>60.0) / <float>60.0
    v.mod.src[SRC_ACCENT] = t.accent
    seed = seed * 1664525u + 1013904223u
    v.mod.src[SRC_RANDOM] = <float>(<int32_t>seed) * <float>4.656612873077392578125e-10
    v.fade = 1.0
    v.stage = ENV_ATTACK
    # The band-limited oscillators sound BLEP_DELAY frames after they start: the amp envelope
    # waits as long, so it opens on their first frames, not on the silence before them.
    v.mod.hold = BLEP_DELAY
    v.mod.ticking = 0
    for k in range(pr.n_ops):
        op_start(st, v, &pr.ops[k], k)
        if pr.ops[k].kind == UNIT_SVF or pr.ops[k].kind == UNIT_OUT or pr.ops[k].kind == UNIT_AMP_OUT:
            v.mod.ticking |= 1u << k
        elif pr.ops[k].kind == UNIT_EXTERN and (<const reverie_unit *>pr.ops[k].data).tick != NULL:
            v.mod.ticking |= 1u << k
    graph_tick(st, v, 1)

# Mono and legato: the voice goes on to a new note. `retrigger` starts the envelopes again
# (from their level, so nothing steps) and the LFOs set to retrigger.
cdef inline void graph_renote(Voice *v, Track *t, int retrigger) noexcept nogil:
    cdef const Program *pr = v.prog
    cdef int k
    if retrigger:
        for k in range(pr.n_ops):
            if pr.ops[k].kind == UNIT_ADSR or pr.ops[k].kind == UNIT_AMP_OUT:
                adsr_reset(<AdsrState *>op_state(v, &pr.ops[k]))     # env comes first
            elif pr.ops[k].kind == UNIT_FM4:
                fm4_retrigger(<Fm4State *>op_state(v, &pr.ops[k]))
        adsr_reset(&v.mod.env2)
        for k in range(VOICE_LFOS):
            if pr.lfo[k][3] >= 0:
                lfo_reset(&v.mod.lfo[k], <int>t.value[pr.lfo[k][3]])
        v.stage = ENV_ATTACK
    v.mod.src[SRC_VELOCITY] = v.velocity
    v.mod.src[SRC_NOTE] = (<float>v.note - <float>60.0) / <float>60.0
    v.mod.src[SRC_ACCENT] = t.accent

cdef inline void graph_release(Voice *v) noexcept nogil:
    cdef const Program *pr = v.prog
    cdef int k
    for k in range(pr.n_ops):
        if pr.ops[k].kind == UNIT_ADSR or pr.ops[k].kind == UNIT_AMP_OUT:
            adsr_release(<AdsrState *>op_state(v, &pr.ops[k]))     # env comes first
        elif pr.ops[k].kind == UNIT_FM4:
            fm4_release(<Fm4State *>op_state(v, &pr.ops[k]))
    adsr_release(&v.mod.env2)

# --- units compiled outside the core (unit_abi.h) ------------------------------------------

# The op's parameters as the unit reads them: this tick's control values.
cdef inline void extern_params(const Voice *v, const ProgOp *op, float *ps) noexcept nogil:
    cdef int i
    for i in range(OP_PARAMS):
        ps[i] = par(v, op, i)

cdef inline void extern_tick(Voice *v, const ProgOp *op) noexcept nogil:
    cdef const reverie_unit *u = <const reverie_unit *>op.data
    cdef float ps[OP_PARAMS]
    if u.tick != NULL:
        extern_params(v, op, ps)
        u.tick(op_state(v, op), ps)

cdef inline void extern_render(EngineState *st, Voice *v, const ProgOp *op, float *o,
                               int n) noexcept nogil:
    cdef const reverie_unit *u = <const reverie_unit *>op.data
    cdef float ps[OP_PARAMS]
    extern_params(v, op, ps)
    u.process(op_state(v, op), buf(st, op.inp[0]) if op.inp[0] >= 0 else NULL, o, n, ps)

# --- audio rate: one chunk -----------------------------------------------------------------

# Is a gated op silent over this whole tick (its level 0 at the last tick and now)?
cdef inline bint gated_off(const Voice *v, int p) noexcept nogil:
    return p >= 0 and v.ctl[p] == <float>0.0 and v.ctl0[p] == <float>0.0

cdef inline void mix_render(EngineState *st, Voice *v, const ProgOp *op, float *out, int n,
                            int offset) noexcept nogil:
    cdef int i, j, m = 0
    cdef float g0[OP_INPUTS]
    cdef float dg[OP_INPUTS]
    cdef const float *x[OP_INPUTS]
    cdef const float *xa
    cdef const float *xb
    cdef float ga, da, gb, db
    cdef float inv = <float>1.0 / <float>CONTROL_FRAMES
    for i in range(OP_INPUTS):
        if op.inp[i] < 0 or gated_off(v, op.par[i]):
            continue
        x[m] = buf(st, op.inp[i])
        if op.par[i] < 0:           # no level parameter: the input as it is
            dg[m] = 0.0
            g0[m] = 1.0
        else:
            dg[m] = (v.ctl[op.par[i]] - v.ctl0[op.par[i]]) * inv
            g0[m] = v.ctl0[op.par[i]] + dg[m] * <float>offset
        m += 1
    if m == 0:
        for j in range(n):
            out[j] = 0.0
        return
    xa = x[0]
    ga = g0[0]
    da = dg[0]
    if m == 1:
        for j in range(n):
            out[j] = xa[j] * (ga + da * <float>j)
        return
    # the first two in one pass: the same sum, in the same order, as a pass for each
    # (no contraction into fma: -ffp-contract=off)
    xb = x[1]
    gb = g0[1]
    db = dg[1]
    for j in range(n):
        out[j] = xa[j] * (ga + da * <float>j) + xb[j] * (gb + db * <float>j)
    for i in range(2, m):
        xa = x[i]
        ga = g0[i]
        da = dg[i]
        for j in range(n):
            out[j] += xa[j] * (ga + da * <float>j)

# The coefficients live in locals for the loop: the output buffer is engine memory, which
# the compiler must otherwise assume may overlap them, storing and loading all nine each frame.
cdef inline void svf_op_render(SvfOpState *s, const float *x, float *y, int n) noexcept nogil:
    cdef float a11 = s.cur.a11, a12 = s.cur.a12, b1 = s.cur.b1, a21 = s.cur.a21
    cdef float a22 = s.cur.a22, b2 = s.cur.b2, c0 = s.cur.c0, c1 = s.cur.c1, c2 = s.cur.c2
    cdef float da11 = s.step.a11, da12 = s.step.a12, db1 = s.step.b1, da21 = s.step.a21
    cdef float da22 = s.step.a22, db2 = s.step.b2, dc0 = s.step.c0, dc1 = s.step.c1, dc2 = s.step.c2
    cdef float s1 = s.s1, s2 = s.s2, a, b, o
    cdef int j
    for j in range(n):
        a = x[j]
        o = c0 * a + c1 * s1 + c2 * s2
        b = a11 * s1 + (a12 * s2 + b1 * a)
        s2 = a21 * s1 + (a22 * s2 + b2 * a)
        s1 = b
        y[j] = o
        a11 += da11; a12 += da12; b1 += db1
        a21 += da21; a22 += da22; b2 += db2
        c0 += dc0; c1 += dc1; c2 += dc2
    s.cur.a11 = a11; s.cur.a12 = a12; s.cur.b1 = b1; s.cur.a21 = a21; s.cur.a22 = a22
    s.cur.b2 = b2; s.cur.c0 = c0; s.cur.c1 = c1; s.cur.c2 = c2
    s.s1 = s1
    s.s2 = s2

# Returns 0 when the voice has ended (its fade or its amp envelope).
cdef inline int out_render(Voice *v, OutState *s, const float *x, const float *env,
                           float *out_l, float *out_r, int n, int offset) noexcept nogil:
    cdef float inv = <float>1.0 / <float>CONTROL_FRAMES
    cdef float dl = (s.tgl - s.gl) * inv, dr = (s.tgr - s.gr) * inv
    # the gain at frame j of the tick is gl + dl * (offset + j) however the tick is cut into
    # chunks, so the output does not depend on the block size (not even in its last bit)
    cdef float gl = s.gl, gr = s.gr
    cdef float y, fade
    cdef int j
    if v.stage == ENV_FADE:
        fade = v.fade
        for j in range(n):
            fade = fade - v.fade_dec
            if fade <= <float>0.0:
                v.fade = 0.0
                return 0
            y = x[j] * env[j] * fade
            out_l[j] += y * (gl + dl * <float>(offset + j))
            out_r[j] += y * (gr + dr * <float>(offset + j))
        v.fade = fade
        return 1
    for j in range(n):
        y = x[j] * env[j]
        out_l[j] += y * (gl + dl * <float>(offset + j))
        out_r[j] += y * (gr + dr * <float>(offset + j))
    return 1

# An oscillator's frequency ratio (its tune, fine tune and octave), worked out again only
# when they move.
# The amp envelope (adsr_render's loop) and the output (out_render's) in one pass. Returns 0
# when the voice has ended.
cdef inline int amp_out_render(Voice *v, const ProgOp *op, AmpOutState *a, const float *x,
                               float *out_l, float *out_r, int n, int offset) noexcept nogil:
    cdef AdsrState *e = &a.env
    cdef OutState *s = &a.out
    cdef float inv = <float>1.0 / <float>CONTROL_FRAMES
    cdef float dl = (s.tgl - s.gl) * inv, dr = (s.tgr - s.gr) * inv
    # the gain at frame j of the tick is gl + dl * (offset + j) however the tick is cut into
    # chunks, so the output does not depend on the block size (not even in its last bit)
    cdef float gl = s.gl, gr = s.gr
    cdef float sustain, inc, ac, dc, rc, dec, level, y, fade
    cdef int stage, j = 0, curved = op.conf, fading = v.stage == ENV_FADE
    if v.mod.hold > 0:
        # the oscillators' latency: silence, and the envelope waits
        j = v.mod.hold if v.mod.hold < n else n
        v.mod.hold -= j
    adsr_coefs(e, par(v, op, 3), par(v, op, 4), par(v, op, 6), curved)
    sustain = clip(par(v, op, 5), <float>0.0, <float>1.0)
    inc = e.attack_inc
    ac = e.attack_coef
    dc = e.decay_coef
    rc = e.release_coef
    level = e.level
    stage = e.stage
    dec = e.dec
    fade = v.fade
    if stage == ENV_DECAY and sustain != e.dec_sustain:
        dec = level - sustain
    if stage == ENV_DECAY and dec == <float>0.0 and not fading and sustain >= REVERIE_ENV_END:
        # At rest on the sustain (the loop below would give sustain + 0 each frame): no
        # recurrence left, so the frames are independent and the compiler vectorises them.
        level = sustain
        while j < n:
            y = x[j] * level
            out_l[j] += y * (gl + dl * <float>(offset + j))
            out_r[j] += y * (gr + dr * <float>(offset + j))
            j += 1
    while j < n:
        if stage == ENV_ATTACK:
            if curved:
                level = ENV_CURVE_TARGET - (ENV_CURVE_TARGET - level) * ac
            else:
                level = level + inc
            if level >= <float>1.0:
                level = 1.0
                stage = ENV_DECAY
                dec = <float>1.0 - sustain
        elif stage == ENV_DECAY:
            dec = dec * dc
            level = sustain + dec
            if level < REVERIE_ENV_END and sustain < REVERIE_ENV_END:
                level = 0.0
                stage = ENV_IDLE
        elif stage == ENV_RELEASE:
            level = level * rc
            if level < REVERIE_ENV_END:
                level = 0.0
                stage = ENV_IDLE
        y = x[j] * level
        if fading:
            fade = fade - v.fade_dec
            if fade <= <float>0.0:
                fade = 0.0
                stage = ENV_IDLE
                break
            y = y * fade
        out_l[j] += y * (gl + dl * <float>(offset + j))
        out_r[j] += y * (gr + dr * <float>(offset + j))
        j += 1
    # the level at rest on the sustain stays there: the distance left is dropped rather than
    # shrunk on through denormals (checked once a block, out of the per-frame chain)
    if stage == ENV_DECAY and level == sustain:
        dec = 0.0
    e.level = level
    e.stage = stage
    e.dec = dec
    e.dec_sustain = sustain
    v.fade = fade
    v.env = level
    if not fading:
        v.stage = stage
    return stage != ENV_IDLE

# A drum (units/drum.pxd) straight into the track's buffers: its five model parameters, then
# level, kit level and velocity sensitivity, whose gain moves from the last tick's to this
# one's over the tick. Returns 0 when the drum has ended.
cdef inline int drum_op_render(Voice *v, const ProgOp *op, DrumState *s, float *out_l,
                               float *out_r, int n, int offset) noexcept nogil:
    cdef float p[5]
    cdef float g1, g0, dg
    cdef int i, alive
    for i in range(5):
        p[i] = par(v, op, i)
    g0 = drum_gain(s, 0, v.ctl0[op.par[5]], v.ctl0[op.par[6]], v.ctl0[op.par[7]], v.velocity)
    g1 = drum_gain(s, 1, par(v, op, 5), par(v, op, 6), par(v, op, 7), v.velocity)
    dg = (g1 - g0) * <float>(1.0 / CONTROL_FRAMES)
    alive = drum_render(s, p, g0, dg, offset, v.stage == ENV_FADE, v.fade_dec,
                        &v.fade, out_l, out_r, n)
    v.env = s.amp
    if v.stage != ENV_FADE:
        v.stage = ENV_DECAY if alive else ENV_IDLE
    return alive

cdef inline float osc_ratio(Voice *v, const ProgOp *op, int k) noexcept nogil:
    cdef float st = par(v, op, 1) + par(v, op, 2) * <float>0.01
    if st != v.mod.ratio_key[k] or not v.mod.ratio_set & (1u << k):
        v.mod.ratio_key[k] = st
        v.mod.ratio[k] = exp2f(st * <float>(1.0 / 12.0) + op.k)
        v.mod.ratio_set |= 1u << k
    return v.mod.ratio[k]

# Renders one chunk of n frames (offset frames after the last tick) into the track's buffers.
# Returns 0 when the voice has ended.
cdef inline int graph_render(EngineState *st, Voice *v, float *out_l, float *out_r, int n,
                             int offset) noexcept nogil:
    cdef const Program *pr = v.prog
    cdef const ProgOp *op
    cdef void *s
    cdef float *o
    cdef AdsrState *env
    cdef int k, j, alive = 1
    cdef uint32_t run = v.mod.run, copy = v.mod.copy
    for k in range(pr.n_ops):
        op = &pr.ops[k]
        if not (run >> k) & 1u:
            if (copy >> k) & 1u:
                memcpy(buf(st, op.out), buf(st, op.inp[0]), n * sizeof(float))
            continue
        s = op_state(v, op)
        o = buf(st, op.out) if op.out >= 0 else NULL
        if op.kind == UNIT_OSC:
            osc_render(<OscState *>s, <int>par(v, op, 0), osc_ratio(v, op, k),
                       par(v, op, 3) if op.par[3] >= 0 else <float>0.5,
                       buf(st, op.inp[0]), NULL, NULL, o, n)
        elif op.kind == UNIT_SVF:
            svf_op_render(<SvfOpState *>s, buf(st, op.inp[0]), o, n)
        elif op.kind == UNIT_ADSR:
            env = <AdsrState *>s
            j = 0
            if v.mod.hold > 0:
                j = v.mod.hold if v.mod.hold < n else n
                memset(o, 0, j * sizeof(float))
                v.mod.hold -= j
            if j < n:
                adsr_render(env, par(v, op, 0), par(v, op, 1), par(v, op, 2), par(v, op, 3),
                            op.conf, o + j, n - j)
            v.env = env.level
            if v.stage != ENV_FADE:
                v.stage = env.stage
            if env.stage == ENV_IDLE:
                alive = 0
        elif op.kind == UNIT_GLIDE:
            glide_render(<GlideState *>s, v.mod.pitch_hz, par(v, op, 0), GLIDE_CONSTANT_TIME, o, n)
        elif op.kind == UNIT_MIX:
            mix_render(st, v, op, o, n, offset)
        elif op.kind == UNIT_LADDER:
            ladder_render(<LadderState *>s, par(v, op, 0), par(v, op, 1), buf(st, op.inp[0]), o, n)
        elif op.kind == UNIT_NOISE:
            noise_render(<NoiseState *>s, <int>par(v, op, 0), o, n)
        elif op.kind == UNIT_DRIVE:
            drive_render(<DriveState *>s, par(v, op, 0), buf(st, op.inp[0]), o, n)
        elif op.kind == UNIT_FOLD:
            fold_render(<FoldState *>s, par(v, op, 0), buf(st, op.inp[0]), o, n)
        elif op.kind == UNIT_FM4:
            # op.par[0]: the first of its FM4_PARAMS consecutive parameters
            fm4_render(<Fm4State *>s, &v.ctl[op.par[0]], v.velocity, v.mod.ticked,
                       buf(st, op.inp[0]), o, n, offset)
        elif op.kind == UNIT_WAVETABLE:
            # the pitch input (Hz per frame) as the per-frame multiplier of the tuning ratio;
            # position 0..1 over the table's frames
            wavetable_render(<WavetableState *>s, osc_ratio(v, op, k),
                             par(v, op, 0) * <float>(op.dims[1] - 1), buf(st, op.inp[0]), o, n)
        elif op.kind == UNIT_CRUSH:
            # no parameter: 16 bits, the sample rate (a clean pass at 2^-15 steps)
            ratecrush_render(&(<CrushOpState *>s).rate,
                             par(v, op, 1) if op.par[1] >= 0 else <float>st.sample_rate,
                             buf(st, op.inp[0]), o, n)
            bitcrush_render(&(<CrushOpState *>s).bits,
                            par(v, op, 0) if op.par[0] >= 0 else <float>16.0, o, o, n)
        elif op.kind == UNIT_EXTERN:
            extern_render(st, v, op, o, n)
        elif op.kind == UNIT_AMP_OUT:
            if not amp_out_render(v, op, <AmpOutState *>s, buf(st, op.inp[0]), out_l, out_r, n, offset):
                alive = 0
        elif op.kind == UNIT_OUT:
            if not out_render(v, <OutState *>s, buf(st, op.inp[0]), buf(st, op.inp[1]),
                              out_l, out_r, n, offset):
                alive = 0
        elif op.kind == UNIT_DRUM:
            if not drum_op_render(v, op, <DrumState *>s, out_l, out_r, n, offset):
                alive = 0
    # nothing runs (a note no drum of the program answers): the voice ends
    return alive if run else 0
