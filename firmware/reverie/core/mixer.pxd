# Tracks and the master bus: how a track parameter is kept, their control-rate updates, and
# the per-frame mix of a chunk through the effects and the master chain.
from libc.math cimport exp2f, powf, log2f, isfinite
from libc.stdint cimport int32_t, int64_t
from reverie.core.defs cimport *
from reverie.core.dsp cimport *
from reverie.core.fx cimport *
from reverie.core.state cimport EngineState, Track, atomic_store_f32
from reverie.core.program cimport Program

cdef extern from *:
    """
    static const float reverie_reverb_ms[12] = {
        29.7f, 37.1f, 41.1f, 43.7f, 53.3f, 59.9f, 67.3f, 73.1f, 4.7f, 3.6f, 5.3f, 4.1f};
    """
    const float reverie_reverb_ms[12]

# A track parameter as the engine keeps it: a frequency (the cutoff) glides in octaves, so
# its program keeps it as log2(Hz) (PARAM_LOG2).
cdef inline float param_internal(const Program *prog, int p, double value) noexcept nogil:
    if prog.params[p].flags & PARAM_LOG2:
        return log2f(clampf(<float>value, prog.params[p].lo, prog.params[p].hi))
    return <float>value

# The values voices read that follow from the track's parameters. Also run at once when a
# parameter lock changes them, so the locked trig sounds with them from its first sample.
cdef inline void track_derive(Track *t) noexcept nogil:
    if not t.prog.derive:
        return
    t.level_gain = db_to_gain(t.value[P_LEVEL])
    pan_gains(t.value[P_PAN], &t.pan_l, &t.pan_r)
    t.damping = svf_damping(t.value[P_RESONANCE])
    t.drive_on = t.value[P_DRIVE] > <float>0.001
    t.drive_pre = db_to_gain(t.value[P_DRIVE] * <float>30.0)
    t.drive_post = sqrtf(<float>1.0 + t.drive_pre * t.drive_pre) / t.drive_pre

cdef inline void track_tick(EngineState *st, Track *t, int any_solo) noexcept nogil:
    cdef float a = st.ctl_smooth
    cdef float inv = <float>1.0 / <float>CONTROL_FRAMES
    cdef float gate, gain, pl, pr
    cdef int p
    cdef float was
    for p in range(t.prog.n_params):
        if t.prog.params[p].flags & PARAM_SMOOTH:
            was = t.value[p]
            t.value[p] = t.value[p] + (t.target[p] - t.value[p]) * a
            # A graph's glide lands on its target (1e-5 of a unit, an octave or a dB: far
            # below hearing) instead of creeping on through denormals: a level turned to 0
            # reaches 0, and the op it gates stops (graph.pxd).
            if not t.prog.derive and fabsf(t.target[p] - t.value[p]) < <float>1e-5:
                t.value[p] = t.target[p]
            if t.value[p] != was:
                t.epoch += 1
        elif t.value[p] != t.target[p]:
            t.value[p] = t.target[p]
            t.epoch += 1        # graph voices and their routes (graph_routes) notice
    t.snap = 0
    for p in range(N_BUS_PARAMS):
        t.bus_value[p] = t.bus_value[p] + (t.bus_target[p] - t.bus_value[p]) * a
    track_derive(t)
    # bus: the gains reached at the end of the last tick, then a straight ramp to the new ones
    t.gain_l = t.gain_l + t.gain_l_step * CONTROL_FRAMES
    t.gain_r = t.gain_r + t.gain_r_step * CONTROL_FRAMES
    t.delay_send = t.delay_send + t.delay_send_step * CONTROL_FRAMES
    t.reverb_send = t.reverb_send + t.reverb_send_step * CONTROL_FRAMES
    gate = <float>1.0 - t.bus_value[B_MUTE]
    if any_solo:
        gate = gate * t.bus_value[B_SOLO]
    gain = db_to_gain(t.bus_value[B_VOLUME]) * gate
    pan_gains(t.bus_value[B_PAN], &pl, &pr)
    t.gain_l_step = (gain * pl - t.gain_l) * inv
    t.gain_r_step = (gain * pr - t.gain_r) * inv
    t.delay_send_step = (t.bus_value[B_DELAY_SEND] - t.delay_send) * inv
    t.reverb_send_step = (t.bus_value[B_REVERB_SEND] - t.reverb_send) * inv

cdef inline void master_design(EngineState *st) noexcept nogil:
    # Re-derives the effect coefficients from the master parameters (only after a change).
    cdef float sr = <float>st.sample_rate
    cdef float *m = st.master_target
    cdef float rt60, frames
    cdef int k
    cdef float tempo = clampf(m[M_TEMPO], <float>TEMPO_MIN_BPM, <float>TEMPO_MAX_BPM)
    frames = clampf(m[M_DELAY_BEATS], <float>0.0625, <float>4.0) * <float>60.0 / tempo * sr
    st.delay.target = clampf(frames, <float>1.0, <float>(st.delay.mask - 4))
    st.delay.feedback = clampf(m[M_DELAY_FEEDBACK], <float>0.0, <float>0.95)
    st.delay.spread = clampf(m[M_DELAY_SPREAD], <float>0.0, <float>1.0)
    rt60 = <float>0.3 * powf(<float>30.0, clampf(m[M_REVERB_SIZE], <float>0.0, <float>1.0))
    for k in range(REVERB_LINES):
        st.reverb.gain[k] = powf(<float>10.0, -<float>3.0 * <float>st.reverb.length[k] / (rt60 * sr))
    st.reverb.damp = <float>1.0 - <float>0.85 * clampf(m[M_REVERB_DAMP], <float>0.0, <float>1.0)
    st.comp.threshold_db = clampf(m[M_COMP_THRESHOLD], -<float>60.0, <float>0.0)
    st.comp.ratio = clampf(m[M_COMP_RATIO], <float>1.0, <float>20.0)
    st.comp.attack_coef = exp_coef(clampf(m[M_COMP_ATTACK], <float>0.1, <float>200.0) / <float>6.9, sr)
    st.comp.release_coef = exp_coef(clampf(m[M_COMP_RELEASE], <float>5.0, <float>2000.0) / <float>6.9, sr)
    st.comp.makeup_db = clampf(m[M_COMP_MAKEUP], <float>0.0, <float>24.0)
    st.limiter.ceiling = db_to_gain(clampf(m[M_LIMIT_CEILING], -<float>24.0, <float>0.0))
    st.fx_return = db_to_gain(clampf(m[M_FX_RETURN], -<float>60.0, <float>6.0))

cdef inline void master_tick(EngineState *st) noexcept nogil:
    cdef float inv = <float>1.0 / <float>CONTROL_FRAMES
    st.master_value[M_VOLUME] = st.master_value[M_VOLUME] + (st.master_target[M_VOLUME] - st.master_value[M_VOLUME]) * st.ctl_smooth
    st.mgain = st.mgain + st.dmgain * CONTROL_FRAMES
    st.dmgain = (db_to_gain(st.master_value[M_VOLUME]) - st.mgain) * inv

# Mixes the track buffers of `n` frames starting `offset` frames after the last tick, runs
# the effects and the master chain, and writes interleaved stereo to `out`.
# Returns 0 if the output was not finite (the caller then plays silence).
cdef inline int mix_chunk(EngineState *st, float *out, int offset, int n) noexcept nogil:
    cdef int k, j
    cdef Track *t
    cdef float l, r, delay_send, reverb_send, dl, dr, rl, rr, g, peak, ceiling
    cdef float pk_l = <float>0.0, pk_r = <float>0.0
    cdef float ramp[CONTROL_FRAMES]
    cdef int finite = 1
    for j in range(n):
        st.mix[0][j] = <float>0.0
        st.mix[1][j] = <float>0.0
        st.dsend[0][j] = <float>0.0
        st.dsend[1][j] = <float>0.0
        st.rsend[0][j] = <float>0.0
        st.rsend[1][j] = <float>0.0
    for j in range(n):
        ramp[j] = <float>(offset + j)
    for k in range(MAX_TRACKS):
        t = &st.tracks[k]
        if not t.busy:
            continue
        # straight-line loops without branches, so the compiler can vectorise them
        peak = t.peak
        for j in range(n):
            l = st.tbuf[k][0][j] * (t.gain_l + t.gain_l_step * ramp[j])
            r = st.tbuf[k][1][j] * (t.gain_r + t.gain_r_step * ramp[j])
            st.mix[0][j] += l
            st.mix[1][j] += r
            delay_send = t.delay_send + t.delay_send_step * ramp[j]
            reverb_send = t.reverb_send + t.reverb_send_step * ramp[j]
            st.dsend[0][j] += l * delay_send
            st.dsend[1][j] += r * delay_send
            st.rsend[0][j] += l * reverb_send
            st.rsend[1][j] += r * reverb_send
            peak = maxf(peak, maxf(fabsf(l), fabsf(r)))
        t.peak = peak
    ceiling = st.limiter.ceiling
    for j in range(n):
        delay_tick(&st.delay, st.dsend[0][j], st.dsend[1][j], &dl, &dr)
        reverb_tick(&st.reverb, st.rsend[0][j], st.rsend[1][j], &rl, &rr)
        g = st.mgain + st.dmgain * <float>(offset + j)
        l = (st.mix[0][j] + st.seq.click_buf[j] + (dl + rl) * st.fx_return) * g
        r = (st.mix[1][j] + st.seq.click_buf[j] + (dr + rr) * st.fx_return) * g
        comp_tick(&st.comp, &l, &r)
        l = l + st.pbuf[0][j] * g           # a capture played back (capture_apply.pxd)
        r = r + st.pbuf[1][j] * g
        limiter_tick(&st.limiter, &l, &r)
        if not (isfinite(l) and isfinite(r)):
            finite = 0
            l = <float>0.0
            r = <float>0.0
        if fabsf(l) > ceiling or fabsf(r) > ceiling:
            if fabsf(l) > ceiling * <float>1.000001 or fabsf(r) > ceiling * <float>1.000001:
                st.stats.limiter_overshoots += 1
            l = clampf(l, -ceiling, ceiling)
            r = clampf(r, -ceiling, ceiling)
        out[2 * j] = l
        out[2 * j + 1] = r
        if fabsf(l) > pk_l:
            pk_l = fabsf(l)
        if fabsf(r) > pk_r:
            pk_r = fabsf(r)
    if pk_l > st.stats.peak_l:
        atomic_store_f32(&st.stats.peak_l, pk_l)
    if pk_r > st.stats.peak_r:
        atomic_store_f32(&st.stats.peak_r, pk_r)
    st.stats.reduction = st.limiter.reduction
    return finite
