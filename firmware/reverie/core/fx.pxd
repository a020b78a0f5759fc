# Bus effects: tempo-synced stereo delay, FDN reverb, compressor and a look-ahead limiter.
# Buffers are allocated once by the engine on the control thread; the *_tick functions only
# read and write them.
from libc.stdint cimport int32_t, int64_t
from libc.math cimport floor
from reverie.core.dsp cimport *

cdef enum:
    DELAY_MAX_SECONDS = 4
    REVERB_LINES = 8
    REVERB_AP = 4           # input diffusers (allpasses), two per channel
    LIMIT_MAX = 512         # look-ahead frames at most (power of two)

# --- delay ---------------------------------------------------------------------------------

ctypedef struct Delay:
    float *buf              # interleaved stereo ring
    int64_t mask            # frames - 1 (power of two)
    int64_t w
    float time              # frames, smoothed per sample toward `target`
    float target
    float smooth
    float feedback
    float spread            # 0: straight echoes, 1: full ping-pong
    float damp              # one-pole coefficient in the feedback path
    float lp_l
    float lp_r

cdef inline void delay_tick(Delay *d, float in_l, float in_r, float *out_l, float *out_r) noexcept nogil:
    cdef float rd, frac, yl, yr, fl, fr
    cdef int64_t i0, i1
    d.time = d.time + (d.target - d.time) * d.smooth
    rd = <float>d.w - d.time
    i0 = <int64_t>floor(rd)
    frac = rd - <float>i0
    i1 = (i0 + 1) & d.mask
    i0 = i0 & d.mask
    yl = d.buf[2 * i0] + (d.buf[2 * i1] - d.buf[2 * i0]) * frac
    yr = d.buf[2 * i0 + 1] + (d.buf[2 * i1 + 1] - d.buf[2 * i0 + 1]) * frac
    fl = (<float>1.0 - d.spread) * yl + d.spread * yr
    fr = (<float>1.0 - d.spread) * yr + d.spread * yl
    d.lp_l = d.lp_l + (fl - d.lp_l) * d.damp
    d.lp_r = d.lp_r + (fr - d.lp_r) * d.damp
    d.buf[2 * d.w] = soft_clip(in_l + d.feedback * d.lp_l)
    d.buf[2 * d.w + 1] = soft_clip(in_r + d.feedback * d.lp_r)
    d.w = (d.w + 1) & d.mask
    out_l[0] = yl
    out_r[0] = yr

# --- reverb: 8-line feedback delay network with a Hadamard mixing matrix --------------------

ctypedef struct Reverb:
    float *buf              # all lines and diffusers, one allocation
    int32_t off[REVERB_LINES + REVERB_AP]
    int32_t length[REVERB_LINES + REVERB_AP]
    int32_t pos[REVERB_LINES + REVERB_AP]
    float gain[REVERB_LINES]
    float lp[REVERB_LINES]
    float damp

cdef inline float allpass(Reverb *rv, int k, float x) noexcept nogil:
    cdef float *b = rv.buf + rv.off[k]
    cdef int32_t p = rv.pos[k]
    cdef float delayed = b[p]
    cdef float w = x + <float>0.6 * delayed
    b[p] = w
    rv.pos[k] = p + 1 if p + 1 < rv.length[k] else 0
    return delayed - <float>0.6 * w

cdef inline void reverb_tick(Reverb *rv, float in_l, float in_r, float *out_l, float *out_r) noexcept nogil:
    cdef float x[REVERB_LINES]
    cdef float a0, a1, a2, a3, a4, a5, a6, a7, b0, b1, b2, b3, b4, b5, b6, b7
    cdef float *b
    cdef int k
    in_l = allpass(rv, REVERB_LINES + 1, allpass(rv, REVERB_LINES + 0, in_l))
    in_r = allpass(rv, REVERB_LINES + 3, allpass(rv, REVERB_LINES + 2, in_r))
    for k in range(REVERB_LINES):
        b = rv.buf + rv.off[k]
        rv.lp[k] = rv.lp[k] + (b[rv.pos[k]] - rv.lp[k]) * rv.damp
        x[k] = rv.lp[k] * rv.gain[k]
    out_l[0] = (x[0] + x[2] + x[4] + x[6]) * <float>0.5
    out_r[0] = (x[1] + x[3] + x[5] + x[7]) * <float>0.5
    # Hadamard 8 (three butterfly stages), scaled by 1/sqrt(8) so the matrix keeps energy.
    a0 = x[0] + x[1]; a1 = x[0] - x[1]; a2 = x[2] + x[3]; a3 = x[2] - x[3]
    a4 = x[4] + x[5]; a5 = x[4] - x[5]; a6 = x[6] + x[7]; a7 = x[6] - x[7]
    b0 = a0 + a2; b1 = a1 + a3; b2 = a0 - a2; b3 = a1 - a3
    b4 = a4 + a6; b5 = a5 + a7; b6 = a4 - a6; b7 = a5 - a7
    x[0] = (b0 + b4) * <float>0.35355339 + in_l
    x[1] = (b1 + b5) * <float>0.35355339 + in_r
    x[2] = (b2 + b6) * <float>0.35355339 + in_l
    x[3] = (b3 + b7) * <float>0.35355339 - in_r
    x[4] = (b0 - b4) * <float>0.35355339 - in_l
    x[5] = (b1 - b5) * <float>0.35355339 + in_r
    x[6] = (b2 - b6) * <float>0.35355339 - in_l
    x[7] = (b3 - b7) * <float>0.35355339 - in_r
    for k in range(REVERB_LINES):
        b = rv.buf + rv.off[k]
        b[rv.pos[k]] = x[k]
        rv.pos[k] = rv.pos[k] + 1 if rv.pos[k] + 1 < rv.length[k] else 0

# --- compressor: feed-forward, stereo-linked, soft knee ------------------------------------

ctypedef struct Compressor:
    float threshold_db
    float ratio
    float knee_db
    float attack_coef
    float release_coef
    float makeup_db
    float reduction_db      # smoothed gain change, <= 0
    float gain

cdef inline void comp_tick(Compressor *c, float *l, float *r) noexcept nogil:
    cdef float level = fabsf(l[0])
    cdef float over, target, slope
    if fabsf(r[0]) > level:
        level = fabsf(r[0])
    over = <float>20.0 * log10f(level + <float>1.0e-9) - c.threshold_db
    slope = <float>1.0 / c.ratio - <float>1.0
    if <float>2.0 * over <= -c.knee_db:
        target = <float>0.0
    elif <float>2.0 * over < c.knee_db:
        target = slope * (over + <float>0.5 * c.knee_db) * (over + <float>0.5 * c.knee_db) / (<float>2.0 * c.knee_db)
    else:
        target = slope * over
    if target < c.reduction_db:
        c.reduction_db = target + (c.reduction_db - target) * c.attack_coef
    else:
        c.reduction_db = target + (c.reduction_db - target) * c.release_coef
    c.gain = db_to_gain(c.reduction_db + c.makeup_db)
    l[0] = l[0] * c.gain
    r[0] = r[0] * c.gain

# --- limiter -----------------------------------------------------------------------------
# The gain each frame needs (ceiling / peak) goes through a sliding minimum over the
# look-ahead window and then a moving average of the same length, while the signal is
# delayed by that length less one. Every frame is therefore multiplied by the average of
# gains that are each at most the gain it needs: the output cannot pass the ceiling.

ctypedef struct Limiter:
    int32_t length          # look-ahead, frames
    int64_t n               # frames seen
    float ceiling
    float release_coef
    float g                 # held gain after release
    double sum              # running sum of the last `length` held gains
    float gains[LIMIT_MAX]
    float xl[LIMIT_MAX]
    float xr[LIMIT_MAX]
    float dq_val[LIMIT_MAX]
    int64_t dq_idx[LIMIT_MAX]
    int32_t dq_head
    int32_t dq_tail
    float reduction         # last applied gain, for metering

cdef inline void limiter_reset(Limiter *lim) noexcept nogil:
    cdef int k
    lim.n = 0
    lim.g = <float>1.0
    lim.sum = lim.length
    lim.dq_head = 0
    lim.dq_tail = 0
    lim.reduction = <float>1.0
    for k in range(LIMIT_MAX):
        lim.gains[k] = <float>1.0
        lim.xl[k] = <float>0.0
        lim.xr[k] = <float>0.0

cdef inline void limiter_tick(Limiter *lim, float *l, float *r) noexcept nogil:
    cdef float peak = fabsf(l[0])
    cdef float need, wmin, s
    cdef int32_t m = LIMIT_MAX - 1
    cdef int64_t n = lim.n
    cdef int32_t slot
    if fabsf(r[0]) > peak:
        peak = fabsf(r[0])
    need = lim.ceiling / peak if peak > lim.ceiling else <float>1.0
    # sliding minimum over the last `length` frames (monotonic deque)
    while lim.dq_tail != lim.dq_head and lim.dq_val[(lim.dq_tail - 1) & m] >= need:
        lim.dq_tail = (lim.dq_tail - 1) & m
    lim.dq_val[lim.dq_tail] = need
    lim.dq_idx[lim.dq_tail] = n
    lim.dq_tail = (lim.dq_tail + 1) & m
    while lim.dq_idx[lim.dq_head] <= n - lim.length:
        lim.dq_head = (lim.dq_head + 1) & m
    wmin = lim.dq_val[lim.dq_head]
    lim.g = lim.g + (<float>1.0 - lim.g) * lim.release_coef
    if wmin < lim.g:
        lim.g = wmin
    # moving average of the held gain over the same window
    slot = <int32_t>(n & m)
    lim.sum = lim.sum + lim.g - lim.gains[(n - lim.length) & m]
    lim.gains[slot] = lim.g
    s = <float>(lim.sum / lim.length)
    if s > <float>1.0:
        s = <float>1.0
    # the signal, delayed by length - 1 frames
    lim.xl[slot] = l[0]
    lim.xr[slot] = r[0]
    l[0] = lim.xl[(n - lim.length + 1) & m] * s
    r[0] = lim.xr[(n - lim.length + 1) & m] * s
    lim.reduction = s
    lim.n = n + 1
