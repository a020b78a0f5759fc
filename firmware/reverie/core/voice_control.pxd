# The control-rate update of a sounding voice from its track's parameters: pitch, the filter
# envelope, and the filter and gain targets it ramps to over the next CONTROL_FRAMES frames.
from libc.math cimport exp2f, expf
from reverie.core.defs cimport *
from reverie.core.dsp cimport *
from reverie.core.voice cimport Voice, SamplerVoice
from reverie.core.state cimport Track

cdef inline void voice_pitch(SamplerVoice *v, int note, Track *t) noexcept nogil:
    cdef float semis
    if v.zoned:
        semis = <float>(note) + v.pitch_off + t.value[P_TUNE] + t.value[P_FINE] * 0.01
    else:
        semis = <float>(note) - t.value[P_ROOT] + t.value[P_TUNE] + t.value[P_FINE] * 0.01
    cdef double sign = 1.0 if v.inc >= 0.0 else -1.0
    if semis != v.pitch:
        v.pitch = semis
        v.rate = exp2f(clampf(semis, -60.0, 60.0) / 12.0)
        v.inc = sign * v.rate

cdef inline void voice_filter_env(SamplerVoice *v, float sample_rate) noexcept nogil:
    # Advanced once per control tick: CONTROL_FRAMES frames at a time.
    if v.fstage == ENV_ATTACK:
        v.fenv = v.fenv + v.fattack_inc
        if v.fenv >= 1.0:
            v.fenv = 1.0
            v.fstage = ENV_DECAY
    elif v.fstage == ENV_DECAY:
        v.fenv = v.fsustain + (v.fenv - v.fsustain) * v.fdecay_coef
    elif v.fstage == ENV_RELEASE:
        v.fenv = v.fenv * v.frelease_coef

cdef inline float tick_coef(float ms, float sample_rate) noexcept nogil:
    cdef float frames = ms_to_frames(ms, sample_rate)
    if frames < 1.0:
        return 0.0
    return expf(-6.907755279 * <float>CONTROL_FRAMES / frames)

cdef inline int svf_same(const SvfCoefs *a, const SvfCoefs *b) noexcept nogil:
    return (a.a11 == b.a11 and a.a12 == b.a12 and a.b1 == b.b1 and a.a21 == b.a21 and
            a.a22 == b.a22 and a.b2 == b.b2 and a.c0 == b.c0 and a.c1 == b.c1 and a.c2 == b.c2)

cdef inline void svf_step(SvfCoefs *step, const SvfCoefs *a, const SvfCoefs *b, float inv) noexcept nogil:
    step.a11 = (b.a11 - a.a11) * inv
    step.a12 = (b.a12 - a.a12) * inv
    step.b1 = (b.b1 - a.b1) * inv
    step.a21 = (b.a21 - a.a21) * inv
    step.a22 = (b.a22 - a.a22) * inv
    step.b2 = (b.b2 - a.b2) * inv
    step.c0 = (b.c0 - a.c0) * inv
    step.c1 = (b.c1 - a.c1) * inv
    step.c2 = (b.c2 - a.c2) * inv

# Sets the voice's targets for the next CONTROL_FRAMES frames; `ramp` 0 jumps straight there.
cdef inline void voice_control(SamplerVoice *v, int note, Track *t, float sample_rate, int ramp) noexcept nogil:
    cdef float inv = 1.0 / <float>CONTROL_FRAMES
    cdef int mode = <int>t.value[P_FILTER_MODE]
    cdef float cutoff_log2 = t.value[P_CUTOFF] + t.value[P_FENV_AMOUNT] * v.fenv
    voice_pitch(v, note, t)
    v.cur = v.tgt
    v.gl = v.tgl
    v.gr = v.tgr
    if cutoff_log2 != v.cutoff or t.damping != v.resonance or mode != v.mode:
        svf_design(&v.tgt, exp2f(cutoff_log2), t.damping, mode, sample_rate)
        v.cutoff = cutoff_log2
        v.resonance = t.damping
        v.mode = mode
    v.tgl = t.pan_l * t.level_gain * v.vel_gain
    v.tgr = t.pan_r * t.level_gain * v.vel_gain
    if v.zoned:
        v.tgl = v.tgl * v.zl
        v.tgr = v.tgr * v.zr
    v.drive_on = t.drive_on
    v.drive_pre = t.drive_pre
    v.drive_post = t.drive_post
    if ramp and not svf_same(&v.cur, &v.tgt):
        svf_step(&v.step, &v.cur, &v.tgt, inv)
        v.ramping = 1
    else:
        v.cur = v.tgt
        v.ramping = 0
    if ramp:
        v.dgl = (v.tgl - v.gl) * inv
        v.dgr = (v.tgr - v.gr) * inv
    else:
        v.gl = v.tgl
        v.gr = v.tgr
        v.dgl = 0.0
        v.dgr = 0.0
