# cython: boundscheck=False, wraparound=False
"""The synth's voice hand-written in Cython, beside the same voice run from its program: how
much the program mechanism costs (`reverie bench synth-64`, docs/bench.md). Both render the
bench patch (app/bench/synth.py) for N voices on one track, in chunks of CONTROL_FRAMES with
a control tick before each; tests/core/test_voice_bench.py checks they give the same output.
Benches and tests only: the engine never imports it."""
from libc.stdint cimport int64_t, uint64_t
from libc.string cimport memset
from libc.stdlib cimport calloc, free
from libc.math cimport exp2f

import numpy as np

from reverie.core.defs cimport *
from reverie.core.dsp cimport *
from reverie.core.state cimport EngineState, Track
from reverie.core.state_init cimport state_new, state_free
from reverie.core.program cimport Program
from reverie.core.voice cimport Voice
from reverie.core.mixer cimport param_internal
from reverie.core.voice_alloc cimport note_on
from reverie.core.callback cimport now_ns
from reverie.core.graph cimport (SvfOpState, OutState, graph_tick, graph_render, svf_op_tick,
                                 svf_op_render)
from reverie.core.units.common cimport clip
from reverie.core.units.osc cimport OscState, osc_init, osc_reset, osc_render
from reverie.core.units.env cimport AdsrState, adsr_init, adsr_reset, adsr_render, adsr_coefs
from reverie.core.units.glide cimport GlideState, glide_init, glide_reset, glide_render, GLIDE_CONSTANT_TIME
from reverie.core.units.lfo cimport LfoState, lfo_init, lfo_render

ctypedef struct Fused:
    GlideState glide
    OscState o1
    OscState o2
    SvfOpState svf
    AdsrState amp
    AdsrState env2
    LfoState lfo
    float pitch_hz
    float gl
    float gr
    float env
    int hold

# The patch's fixed values, read once (a hand-written voice knows what does not move).
ctypedef struct Patch:
    float r1, r2, g1, g2, res, base, env_oct, lfo_oct, lo, hi
    float a, d, s, r, e2a, e2d, e2s, e2r, lfo_hz, gain_l, gain_r
    int mode

cdef inline void fused_tick(Fused *f, const Patch *p, float sr, int first) noexcept nogil:
    cdef float e2, lf, x
    adsr_render(&f.env2, p.e2a, p.e2d, p.e2s, p.e2r, 0, &e2, 1)
    lfo_render(&f.lfo, 0, p.lfo_hz, 0.0, 120.0, 0.0, &lf, 1)
    x = p.base
    x += p.env_oct * e2
    x += p.lfo_oct * lf
    x = clip(exp2f(clip(x, <float>-20.0, <float>20.0)), p.lo, p.hi)
    svf_op_tick(&f.svf, p.mode, x, p.res, sr, first)

cdef inline void fused_render(Fused *f, const Patch *p, float *out_l, float *out_r, int n) noexcept nogil:
    cdef float hz[CONTROL_FRAMES]
    cdef float b1[CONTROL_FRAMES]
    cdef float b2[CONTROL_FRAMES]
    cdef float mix[CONTROL_FRAMES]
    cdef float y, level, dec, sustain
    cdef int j, stage
    cdef AdsrState *e
    glide_render(&f.glide, f.pitch_hz, 0.0, GLIDE_CONSTANT_TIME, hz, n)
    osc_render(&f.o1, 0, p.r1, 0.5, hz, NULL, NULL, b1, n)
    osc_render(&f.o2, 0, p.r2, 0.5, hz, NULL, NULL, b2, n)
    for j in range(n):
        mix[j] = b1[j] * (p.g1 + <float>0.0 * <float>j) + b2[j] * (p.g2 + <float>0.0 * <float>j)
    svf_op_render(&f.svf, mix, mix, n)
    # the amp envelope inside the output loop, as one would write it by hand
    j = 0
    if f.hold > 0:
        j = f.hold if f.hold < n else n
        f.hold -= j
    e = &f.amp
    adsr_coefs(e, p.a, p.d, p.r, 0)
    sustain = clip(p.s, <float>0.0, <float>1.0)
    level = e.level
    stage = e.stage
    dec = e.dec
    if stage == ENV_DECAY and sustain != e.dec_sustain:
        dec = level - sustain
    if stage == ENV_DECAY and dec == <float>0.0 and sustain >= REVERIE_ENV_END:
        level = sustain     # at rest on the sustain, as the graph's amp_out_render
        while j < n:
            y = mix[j] * level
            out_l[j] += y * (p.gain_l + <float>0.0 * <float>j)
            out_r[j] += y * (p.gain_r + <float>0.0 * <float>j)
            j += 1
    while j < n:
        if stage == ENV_ATTACK:
            level = level + e.attack_inc
            if level >= <float>1.0:
                level = 1.0
                stage = ENV_DECAY
                dec = <float>1.0 - sustain
        elif stage == ENV_DECAY:
            dec = dec * e.decay_coef
            level = sustain + dec
            if level < REVERIE_ENV_END and sustain < REVERIE_ENV_END:
                level = 0.0
                stage = ENV_IDLE
        elif stage == ENV_RELEASE:
            level = level * e.release_coef
            if level < REVERIE_ENV_END:
                level = 0.0
                stage = ENV_IDLE
        y = mix[j] * level
        out_l[j] += y * (p.gain_l + <float>0.0 * <float>j)
        out_r[j] += y * (p.gain_r + <float>0.0 * <float>j)
        j += 1
    if stage == ENV_DECAY and level == sustain:
        dec = 0.0       # as the graph's amp envelope (graph.pxd amp_out_render)
    e.level = level
    e.stage = stage
    e.dec = dec
    e.dec_sustain = sustain


cdef class VoiceBench:
    cdef EngineState *st
    cdef Fused *fused
    cdef Patch patch
    cdef int n
    cdef bint fuse
    cdef object program

    def __cinit__(self, double sample_rate, program, dict values, int voices, bint fuse, dict ids=None):
        self.st = state_new(sample_rate)
        self.fused = <Fused *>calloc(voices, sizeof(Fused))
        if self.st == NULL or self.fused == NULL:
            raise MemoryError()

    def __init__(self, double sample_rate, program, dict values, int voices, bint fuse, dict ids=None):
        """`values`: parameter id -> value; `ids`: the synth's key -> id (the fused voice
        needs to know which is which; the core knows no instrument)."""
        cdef unsigned char[::1] view = program
        cdef Track *t = &self.st.tracks[0]
        cdef Voice *v
        cdef int k, cutoff
        self.program = program
        self.n = voices
        self.fuse = fuse
        t.prog = <const Program *>&view[0]
        for pid, value in values.items():
            t.base[pid] = param_internal(t.prog, pid, value)
            t.target[pid] = t.base[pid]
            t.value[pid] = t.base[pid]
        self.st.master_value[M_TEMPO] = 120.0
        for k in range(voices):
            note_on(self.st, 0, 36 + k % 25, 100.0)
        if not fuse:
            return
        # the same voices, hand-written: what graph_start and the program compute
        key = {name: float(values[i]) for name, i in ids.items()}
        cutoff = ids["cutoff_hz"]
        p = &self.patch
        p.r1 = exp2f((<float>key["osc1_tune_st"] + <float>key["osc1_fine_ct"] * <float>0.01) * <float>(1.0 / 12.0))
        p.r2 = exp2f((<float>key["osc2_tune_st"] + <float>key["osc2_fine_ct"] * <float>0.01) * <float>(1.0 / 12.0))
        p.g1, p.g2, p.res = key["osc1_level"], key["osc2_level"], key["resonance"]
        p.base = t.value[cutoff]
        p.env_oct, p.lfo_oct = key["env_amount_oct"], key["lfo1_cutoff_oct"]
        p.lo, p.hi = t.prog.params[cutoff].lo, t.prog.params[cutoff].hi
        p.a, p.d, p.s, p.r = key["attack_ms"], key["decay_ms"], key["sustain"], key["release_ms"]
        p.e2a, p.e2d, p.e2s, p.e2r = key["env2_attack_ms"], key["env2_decay_ms"], key["env2_sustain"], key["env2_release_ms"]
        p.lfo_hz, p.mode = key["lfo1_rate_hz"], int(key["filter_mode"])
        sens = <float>key["velocity"]
        g = db_to_gain(<float>key["level_db"]) * (<float>1.0 - sens + sens * self.st.voices[0].velocity)
        pan_gains(<float>key["pan"], &p.gain_l, &p.gain_r)
        p.gain_l, p.gain_r = g * p.gain_l, g * p.gain_r
        for k in range(voices):
            v = &self.st.voices[k]
            f = &self.fused[k]
            f.pitch_hz = v.mod.pitch_hz
            glide_init(&f.glide, <float>sample_rate)
            glide_reset(&f.glide, f.pitch_hz)
            osc_init(&f.o1, <float>sample_rate)
            osc_reset(&f.o1, 0.0)
            osc_init(&f.o2, <float>sample_rate)
            osc_reset(&f.o2, 0.0)
            adsr_init(&f.amp, <float>sample_rate)
            adsr_reset(&f.amp)
            f.hold = 16
            adsr_init(&f.env2, <float>sample_rate / CONTROL_FRAMES)
            adsr_reset(&f.env2)
            lfo_init(&f.lfo, <float>sample_rate / CONTROL_FRAMES, 0)
            fused_tick(f, p, <float>sample_rate, 1)

    def __dealloc__(self):
        state_free(self.st)
        free(self.fused)

    cdef void _chunk(self, float *out_l, float *out_r, int first) noexcept nogil:
        cdef int k
        cdef float sr = <float>self.st.sample_rate
        if self.fuse:
            for k in range(self.n):
                if not first:
                    fused_tick(&self.fused[k], &self.patch, sr, 0)
                fused_render(&self.fused[k], &self.patch, out_l, out_r, CONTROL_FRAMES)
        else:
            for k in range(self.n):
                if not first:
                    graph_tick(self.st, &self.st.voices[k], 0)
                graph_render(self.st, &self.st.voices[k], out_l, out_r, CONTROL_FRAMES, 0)

    def render(self, int64_t frames):
        """(frames, 2) of the voices' sum, from note on (frames: a multiple of 32)."""
        out = np.zeros((2, frames), np.float32)
        cdef float[:, ::1] o = out
        cdef int64_t f
        f = 0
        while f < frames:
            self._chunk(&o[0, f], &o[1, f], f == 0)
            f += CONTROL_FRAMES
        return out.T.copy()

    def run(self, int64_t frames):
        """Renders `frames` frames; returns the time taken in ns."""
        cdef float out_l[CONTROL_FRAMES]
        cdef float out_r[CONTROL_FRAMES]
        cdef int64_t f = CONTROL_FRAMES
        cdef uint64_t t0, t1
        memset(out_l, 0, sizeof(out_l))
        memset(out_r, 0, sizeof(out_r))
        with nogil:
            t0 = now_ns()
            self._chunk(out_l, out_r, 1)
            while f < frames:
                self._chunk(out_l, out_r, 0)
                f += CONTROL_FRAMES
            t1 = now_ns()
        return t1 - t0
