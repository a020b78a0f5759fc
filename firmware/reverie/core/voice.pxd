# Voices: the header every voice has, and the sampler's fused unit (UNIT_SAMPLER): sample
# player (cubic Hermite) -> SVF -> drive -> amp envelope -> pan. voice_render() is its hot
# loop; control-rate updates live in voice_control.pxd, note on and off in voice_alloc.pxd,
# the other units' dispatch in graph.pxd.
from libc.stdint cimport int32_t, int64_t, uint32_t
from libc.math cimport floor
from reverie.core.dsp cimport *
from reverie.core.defs cimport *
from reverie.core.program cimport Program
from reverie.core.units.lfo cimport LfoState
from reverie.core.units.env cimport AdsrState

# What every voice has, whatever its instrument: who it is, its amp envelope's stage and level
# (stealing and fades read them), its program and, for a graph, its modulation and control
# values; then the arena where its program's units keep their state.
ctypedef struct VoiceMod:
    LfoState lfo[VOICE_LFOS]
    AdsrState env2          # the modulation envelope (control rate)
    float src[SRC_COUNT]    # ModSource values at the last tick
    float detune_st         # unison: this copy's detune, in semitones
    float pan_off           # unison: this copy's place in the stereo spread, -1..1
    float pitch_hz          # the note's frequency (with detune), the glide's target
    uint32_t run            # bit k: op k runs until the next tick (graph_tick)
    uint32_t copy           # bit k: op k is gated off and passes its input on
    uint32_t ticking        # bit k: op k has work at each tick (a filter's design, the output's gains)
    uint32_t ratio_set      # bit k: ratio[k] holds op k's oscillator ratio for ratio_key[k]
    float ratio[PROGRAM_OPS]
    float ratio_key[PROGRAM_OPS]
    int32_t ticked          # control ticks since note on
    uint32_t epoch          # the track's epoch at the last full pass over the parameters
    int32_t settle          # some parameter still moved at that pass: the next is full too
    int32_t hold            # frames the amp envelope still waits at note on (the oscillators' latency)

ctypedef struct Voice:
    int32_t active          # 1 while it sounds
    int32_t counted         # 1 while it counts against POLYPHONY (0 once stolen or choked)
    int32_t track
    int32_t note
    int32_t choke
    int32_t gated
    int32_t releasing
    int32_t token           # the sample buffer it reads (released only when no voice reads it)
    int32_t prog_token      # the program it runs (likewise)
    int32_t stage           # EnvStage of its amp envelope; ENV_FADE after a steal or choke
    int64_t age             # frame at which it started
    float env               # its amp envelope's level
    float fade_dec          # the sampler's fade per frame
    float fade              # a graph voice's fade gain, 1 until a steal or choke
    float velocity          # 0..1
    const Program *prog
    VoiceMod mod
    float ctl0[N_TRACK_PARAMS]  # voice parameters at the last tick and now (graph.pxd)
    float ctl[N_TRACK_PARAMS]
    float kept[N_TRACK_PARAMS]  # the kept form `ctl` was made from (skips an unchanged exp2)
    double arena[VOICE_ARENA_WORDS]

# The sampler's own state, in the voice's arena.
ctypedef struct SamplerVoice:
    int32_t loop_mode
    int32_t in_loop         # has wrapped at the loop edge at least once
    int32_t drive_on
    const float *data       # interleaved stereo frames
    int64_t start
    int64_t end
    int64_t loop_start
    int64_t loop_end
    int64_t safe_lo         # taps in [safe_lo, safe_hi) are read directly (fast path)
    int64_t safe_hi
    double pos
    double inc              # frames per output frame, signed: negative plays in reverse
    double rate             # |inc|
    float pitch             # semitones from the sample's root, for the rate cache
    float dec               # env - sustain while decaying: one multiply per frame
    int32_t ramping         # filter coefficients move during this control period
    float attack_inc
    float decay_coef
    float sustain
    float release_coef
    int32_t fstage          # filter envelope, advanced once per control tick
    float fenv
    float fattack_inc
    float fdecay_coef
    float fsustain
    float frelease_coef
    float ic1l
    float ic2l
    float ic1r
    float ic2r
    SvfCoefs cur            # filter coefficients now, ramped per sample toward `tgt`
    SvfCoefs step
    SvfCoefs tgt
    float cutoff            # log2 of the cutoff `tgt` was designed for (cache key)
    float resonance
    int32_t mode
    float gl
    float gr
    float dgl
    float dgr
    float tgl
    float tgr
    float drive_pre
    float drive_post
    float vel_gain
    int32_t zoned           # 1: plays a multisample zone (multi.pxd), pitch and pan from it
    int32_t zone            # its index in the program's zone table
    float pitch_off         # semitones added to the note: -root + transpose + tune + the rate ratio
    float zl                # the zone's volume and pan, per channel
    float zr

cdef inline void voice_safe_bounds(SamplerVoice *v) noexcept nogil:
    if v.inc > 0:
        v.safe_lo = v.loop_start if v.in_loop else v.start
        v.safe_hi = v.loop_end if v.loop_mode != 0 else v.end
    else:
        v.safe_lo = v.loop_start if v.loop_mode != 0 else v.start
        v.safe_hi = v.loop_end if v.in_loop else v.end

# Positions past which voice_wrap() must run, for the current direction of play.
cdef inline void voice_limits(const SamplerVoice *v, double *lim_lo, double *lim_hi) noexcept nogil:
    if v.inc > 0:
        lim_lo[0] = -<double>1.0e300
        if v.loop_mode == 0:
            lim_hi[0] = <double>v.end
        elif v.loop_mode == 1:
            lim_hi[0] = <double>v.loop_end
        else:
            lim_hi[0] = v.loop_end - <double>0.5
    else:
        lim_hi[0] = <double>1.0e300
        if v.loop_mode == 0:
            lim_lo[0] = <double>v.start
        elif v.loop_mode == 1:
            lim_lo[0] = <double>v.loop_start
        else:
            lim_lo[0] = v.loop_start - <double>0.5

# Reads frame i as the voice will actually play it: through the loop (wrapped or mirrored),
# and silence outside [start, end).
cdef inline void voice_tap(const SamplerVoice *v, int64_t i, float *l, float *r) noexcept nogil:
    cdef int64_t n = v.loop_end - v.loop_start
    if v.loop_mode != 0:
        if i >= v.loop_end and (v.inc > 0 or v.in_loop):
            if v.loop_mode == 1:
                i = v.loop_start + (i - v.loop_end) % n
            else:
                i = 2 * v.loop_end - 1 - i
                if i < v.loop_start:
                    i = v.loop_start
        elif i < v.loop_start and (v.inc < 0 or v.in_loop):
            if v.loop_mode == 1:
                i = v.loop_end - 1 - (v.loop_start - 1 - i) % n
            else:
                i = 2 * v.loop_start - 1 - i
                if i >= v.loop_end:
                    i = v.loop_end - 1
    if i < v.start or i >= v.end:
        l[0] = <float>0.0
        r[0] = <float>0.0
    else:
        l[0] = v.data[2 * i]
        r[0] = v.data[2 * i + 1]

# Moves the play position past a loop edge or the end. Returns 0 when the sample has ended.
cdef inline int voice_wrap(SamplerVoice *v) noexcept nogil:
    cdef int guard = 0
    cdef double n = <double>(v.loop_end - v.loop_start)
    while guard < 64:
        guard += 1
        if v.inc > 0:
            if v.loop_mode == 0:
                if v.pos < v.end:
                    return 1
                return 0
            if v.loop_mode == 1:
                if v.pos < v.loop_end:
                    return 1
                v.pos -= n
            else:
                if v.pos < v.loop_end - <double>0.5:
                    return 1
                v.pos = <double>2.0 * v.loop_end - <double>1.0 - v.pos
                v.inc = -v.inc
        else:
            if v.loop_mode == 0:
                if v.pos >= v.start:
                    return 1
                return 0
            if v.loop_mode == 1:
                if v.pos >= v.loop_start:
                    return 1
                v.pos += n
            else:
                if v.pos >= v.loop_start - <double>0.5:
                    return 1
                v.pos = <double>2.0 * v.loop_start - <double>1.0 - v.pos
                v.inc = -v.inc
        v.in_loop = 1
        voice_safe_bounds(v)
    return 1

# The amp envelope for the next n frames into `env_out`. Returns how many frames the voice
# still sounds (n, or fewer when the envelope ends). A pass of its own keeps the main loop's
# registers for the filter and the play position.
cdef inline int voice_envelope(Voice *h, SamplerVoice *v, float *env_out, int n) noexcept nogil:
    cdef float env = h.env, dec = v.dec, sustain = v.sustain
    cdef int stage = h.stage
    cdef int j = 0
    cdef int m = n
    while j < n:
        if stage == ENV_DECAY:
            dec = dec * v.decay_coef
            env = sustain + dec
            if env < REVERIE_ENV_END:
                m = j
                break
        elif stage == ENV_ATTACK:
            env = env + v.attack_inc
            if env >= <float>1.0:
                env = <float>1.0
                dec = <float>1.0 - sustain
                stage = ENV_DECAY
        elif stage == ENV_RELEASE:
            env = env * v.release_coef
            if env < REVERIE_ENV_END:
                m = j
                break
        else:
            env = env - h.fade_dec
            if env <= <float>0.0:
                m = j
                break
        env_out[j] = env
        j += 1
    # the level at rest on the sustain stays there: the distance left is dropped rather than
    # shrunk on through denormals (checked once a block, out of the per-frame chain)
    if stage == ENV_DECAY and env == sustain:
        dec = 0.0
    h.env = env
    v.dec = dec
    h.stage = stage
    return m

# Renders n frames added into out_l/out_r. Returns 0 when the voice has ended.
# `ramp` is a compile-time constant at each call site, so the loop without coefficient
# ramps carries no dead additions.
cdef inline int voice_loop(Voice *h, SamplerVoice *v, float *out_l, float *out_r, int n, const int ramp,
                           const int drive_on) noexcept nogil:
    cdef const float *d = v.data
    cdef double pos = v.pos
    cdef double inc = v.inc
    cdef double hi = v.safe_hi - 2
    cdef double lo = v.safe_lo + 1
    cdef double lim_hi, lim_lo, fi
    cdef int64_t i
    cdef float t, xl, xr, yl, yr, s1, s2, env
    cdef float ml1, m0l, m1l, m2l, mr1, m0r, m1r, m2r
    cdef SvfCoefs *c = &v.cur          # read in place: copies would crowd out the registers
    cdef const SvfCoefs *dc = &v.step
    cdef float s1l = v.ic1l, s2l = v.ic2l, s1r = v.ic1r, s2r = v.ic2r
    cdef float gl = v.gl, gr = v.gr, dgl = v.dgl, dgr = v.dgr
    cdef float drive_pre = v.drive_pre, drive_post = v.drive_post
    cdef float env_buf[CONTROL_FRAMES]
    cdef int m = voice_envelope(h, v, env_buf, n)
    cdef int alive = m == n
    cdef int j
    voice_limits(v, &lim_lo, &lim_hi)
    for j in range(m):
        env = env_buf[j]
        if pos >= lo and pos < hi:
            i = <int64_t>pos
            t = <float>(pos - <double>i)
            xl = hermite(d[2 * i - 2], d[2 * i], d[2 * i + 2], d[2 * i + 4], t)
            xr = hermite(d[2 * i - 1], d[2 * i + 1], d[2 * i + 3], d[2 * i + 5], t)
        else:
            # Outside the fast range: first move past a loop edge or stop at the end.
            if pos >= lim_hi or pos < lim_lo:
                v.pos = pos
                if not voice_wrap(v):
                    alive = 0
                    break
                pos = v.pos
                inc = v.inc
                hi = v.safe_hi - 2
                lo = v.safe_lo + 1
                voice_limits(v, &lim_lo, &lim_hi)
            fi = floor(pos)
            i = <int64_t>fi
            t = <float>(pos - fi)
            voice_tap(v, i - 1, &ml1, &mr1)
            voice_tap(v, i, &m0l, &m0r)
            voice_tap(v, i + 1, &m1l, &m1r)
            voice_tap(v, i + 2, &m2l, &m2r)
            xl = hermite(ml1, m0l, m1l, m2l, t)
            xr = hermite(mr1, m0r, m1r, m2r, t)
        # state-variable filter, both channels (state-space form, see dsp.pxd)
        yl = c.c0 * xl + c.c1 * s1l + c.c2 * s2l
        s1 = c.a11 * s1l + (c.a12 * s2l + c.b1 * xl)
        s2 = c.a21 * s1l + (c.a22 * s2l + c.b2 * xl)
        s1l = s1
        s2l = s2
        yr = c.c0 * xr + c.c1 * s1r + c.c2 * s2r
        s1 = c.a11 * s1r + (c.a12 * s2r + c.b1 * xr)
        s2 = c.a21 * s1r + (c.a22 * s2r + c.b2 * xr)
        s1r = s1
        s2r = s2
        if ramp:
            c.a11 += dc.a11; c.a12 += dc.a12; c.b1 += dc.b1
            c.a21 += dc.a21; c.a22 += dc.a22; c.b2 += dc.b2
            c.c0 += dc.c0; c.c1 += dc.c1; c.c2 += dc.c2
        if drive_on:
            yl = soft_clip(yl * drive_pre) * drive_post
            yr = soft_clip(yr * drive_pre) * drive_post
        out_l[j] += yl * env * gl
        out_r[j] += yr * env * gr
        gl = gl + dgl
        gr = gr + dgr
        pos = pos + inc
    v.pos = pos
    v.ic1l = s1l; v.ic2l = s2l; v.ic1r = s1r; v.ic2r = s2r
    v.gl = gl
    v.gr = gr
    return alive

cdef inline int voice_render(Voice *h, SamplerVoice *v, float *out_l, float *out_r, int n) noexcept nogil:
    if v.drive_on:
        if v.ramping:
            return voice_loop(h, v, out_l, out_r, n, 1, 1)
        return voice_loop(h, v, out_l, out_r, n, 0, 1)
    if v.ramping:
        return voice_loop(h, v, out_l, out_r, n, 1, 0)
    return voice_loop(h, v, out_l, out_r, n, 0, 0)

cdef inline SamplerVoice *sampler_of(Voice *h) noexcept nogil:
    return <SamplerVoice *>(<char *>h.arena + h.prog.ops[0].state)
