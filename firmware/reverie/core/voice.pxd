# The sampler voice: sample player (cubic Hermite) -> SVF -> drive -> amp envelope -> pan.
# voice_render() is the hot loop; control-rate updates live in engine.pyx.
from libc.stdint cimport int32_t, int64_t
from libc.math cimport floor
from reverie.core.dsp cimport *

ctypedef struct Voice:
    int32_t active          # 1 while it sounds
    int32_t counted         # 1 while it counts against POLYPHONY (0 once stolen or choked)
    int32_t track
    int32_t note
    int32_t choke
    int32_t gated
    int32_t releasing
    int32_t loop_mode
    int32_t in_loop         # has wrapped at the loop edge at least once
    int32_t drive_on
    int32_t slot
    int32_t token           # the sample buffer it reads (released only when no voice reads it)
    int64_t age             # frame at which it started
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
    int32_t stage
    float env
    float attack_inc
    float decay_coef
    float sustain
    float release_coef
    float fade_dec
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
    float cutoff            # the cutoff `tgt` was designed for (cache key)
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

cdef inline void voice_safe_bounds(Voice *v) noexcept nogil:
    if v.inc > 0:
        v.safe_lo = v.loop_start if v.in_loop else v.start
        v.safe_hi = v.loop_end if v.loop_mode != 0 else v.end
    else:
        v.safe_lo = v.loop_start if v.loop_mode != 0 else v.start
        v.safe_hi = v.loop_end if v.in_loop else v.end

# Positions past which voice_wrap() must run, for the current direction of play.
cdef inline void voice_limits(const Voice *v, double *lim_lo, double *lim_hi) noexcept nogil:
    if v.inc > 0:
        lim_lo[0] = -1.0e300
        if v.loop_mode == 0:
            lim_hi[0] = <double>v.end
        elif v.loop_mode == 1:
            lim_hi[0] = <double>v.loop_end
        else:
            lim_hi[0] = v.loop_end - 0.5
    else:
        lim_hi[0] = 1.0e300
        if v.loop_mode == 0:
            lim_lo[0] = <double>v.start
        elif v.loop_mode == 1:
            lim_lo[0] = <double>v.loop_start
        else:
            lim_lo[0] = v.loop_start - 0.5

# Reads frame i as the voice will actually play it: through the loop (wrapped or mirrored),
# and silence outside [start, end).
cdef inline void voice_tap(const Voice *v, int64_t i, float *l, float *r) noexcept nogil:
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
        l[0] = 0.0
        r[0] = 0.0
    else:
        l[0] = v.data[2 * i]
        r[0] = v.data[2 * i + 1]

# Moves the play position past a loop edge or the end. Returns 0 when the sample has ended.
cdef inline int voice_wrap(Voice *v) noexcept nogil:
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
                if v.pos < v.loop_end - 0.5:
                    return 1
                v.pos = 2.0 * v.loop_end - 1.0 - v.pos
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
                if v.pos >= v.loop_start - 0.5:
                    return 1
                v.pos = 2.0 * v.loop_start - 1.0 - v.pos
                v.inc = -v.inc
        v.in_loop = 1
        voice_safe_bounds(v)
    return 1

# Renders n frames added into out_l/out_r. Returns 0 when the voice has ended.
cdef inline int voice_render(Voice *v, float *out_l, float *out_r, int n) noexcept nogil:
    cdef const float *d = v.data
    cdef double pos = v.pos
    cdef double inc = v.inc
    cdef double hi = v.safe_hi - 2
    cdef double lo = v.safe_lo + 1
    cdef double lim_hi, lim_lo
    cdef int64_t i
    cdef float t, xl, xr, yl, yr, v0, v1, v2, v3
    cdef float ml1, m0l, m1l, m2l, mr1, m0r, m1r, m2r
    cdef float a1 = v.cur.a1, a2 = v.cur.a2, a3 = v.cur.a3
    cdef float m0 = v.cur.m0, m1 = v.cur.m1, m2 = v.cur.m2
    cdef float da1 = v.step.a1, da2 = v.step.a2, da3 = v.step.a3
    cdef float dm0 = v.step.m0, dm1 = v.step.m1, dm2 = v.step.m2
    cdef float ic1l = v.ic1l, ic2l = v.ic2l, ic1r = v.ic1r, ic2r = v.ic2r
    cdef float gl = v.gl, gr = v.gr, dgl = v.dgl, dgr = v.dgr
    cdef float env = v.env
    cdef int stage = v.stage
    cdef int drive_on = v.drive_on
    cdef float drive_pre = v.drive_pre, drive_post = v.drive_post
    cdef int alive = 1
    cdef int j
    cdef double fi
    voice_limits(v, &lim_lo, &lim_hi)
    for j in range(n):
        if stage == ENV_ATTACK:
            env = env + v.attack_inc
            if env >= 1.0:
                env = 1.0
                stage = ENV_DECAY
        elif stage == ENV_DECAY:
            env = v.sustain + (env - v.sustain) * v.decay_coef
            if env < REVERIE_ENV_END:
                alive = 0
                break
        elif stage == ENV_RELEASE:
            env = env * v.release_coef
            if env < REVERIE_ENV_END:
                alive = 0
                break
        else:
            env = env - v.fade_dec
            if env <= 0.0:
                alive = 0
                break
        if pos >= lo and pos < hi:
            i = <int64_t>pos
            t = <float>(pos - <double>i)
            xl = hermite(d[2 * i - 2], d[2 * i], d[2 * i + 2], d[2 * i + 4], t)
            xr = hermite(d[2 * i - 1], d[2 * i + 1], d[2 * i + 3], d[2 * i + 5], t)
        else:
            fi = floor(pos)
            i = <int64_t>fi
            t = <float>(pos - fi)
            voice_tap(v, i - 1, &ml1, &mr1)
            voice_tap(v, i, &m0l, &m0r)
            voice_tap(v, i + 1, &m1l, &m1r)
            voice_tap(v, i + 2, &m2l, &m2r)
            xl = hermite(ml1, m0l, m1l, m2l, t)
            xr = hermite(mr1, m0r, m1r, m2r, t)
        # state-variable filter, both channels
        v3 = xl - ic2l
        v1 = a1 * ic1l + a2 * v3
        v2 = ic2l + a2 * ic1l + a3 * v3
        ic1l = 2.0 * v1 - ic1l
        ic2l = 2.0 * v2 - ic2l
        yl = m0 * xl + m1 * v1 + m2 * v2
        v3 = xr - ic2r
        v1 = a1 * ic1r + a2 * v3
        v2 = ic2r + a2 * ic1r + a3 * v3
        ic1r = 2.0 * v1 - ic1r
        ic2r = 2.0 * v2 - ic2r
        yr = m0 * xr + m1 * v1 + m2 * v2
        a1 = a1 + da1
        a2 = a2 + da2
        a3 = a3 + da3
        m0 = m0 + dm0
        m1 = m1 + dm1
        m2 = m2 + dm2
        if drive_on:
            yl = soft_clip(yl * drive_pre) * drive_post
            yr = soft_clip(yr * drive_pre) * drive_post
        out_l[j] += yl * env * gl
        out_r[j] += yr * env * gr
        gl = gl + dgl
        gr = gr + dgr
        pos = pos + inc
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
    v.pos = pos
    v.cur.a1 = a1; v.cur.a2 = a2; v.cur.a3 = a3
    v.cur.m0 = m0; v.cur.m1 = m1; v.cur.m2 = m2
    v.ic1l = ic1l; v.ic2l = ic2l; v.ic1r = ic1r; v.ic2r = ic2r
    v.gl = gl
    v.gr = gr
    v.env = env
    v.stage = stage
    return alive
