# Waveshaping and crushing: drive (soft saturation with level compensation), bit crush and
# rate crush. Each filters `inp` into `out` (the same buffer is allowed).
from libc.stdint cimport int32_t
from libc.math cimport floorf, exp2f, sqrtf
from reverie.core.units.common cimport *
from reverie.core.dsp cimport soft_clip, db_to_gain

cdef extern from *:
    """
    #define REVERIE_SQRT2_F 1.41421356237309504880f
    #define DRIVE_MAX_DB 48.0f
    #define CRUSH_MIN_HZ 20.0f
    """
    float REVERIE_SQRT2_F
    float DRIVE_MAX_DB
    float CRUSH_MIN_HZ

# --- drive: out = soft_clip(in x pre) x post, soft_clip(v) = v / sqrt(1 + v^2) ---------------
# post = sqrt(1 + pre^2) / pre, the sampler's law (mixer.pxd): a full-scale input still peaks
# at full scale whatever the drive, while quieter parts come up as they are squashed.

ctypedef struct DriveState:
    int32_t ramp_frames
    float drive_db          # the value `pre` and `post` were made for
    Ramp pre
    Ramp post

cdef inline void drive_init(DriveState *s, float sample_rate) noexcept nogil:
    s.ramp_frames = unit_ramp_frames(sample_rate)
    s.drive_db = 0.0
    ramp_init(&s.pre, <float>1.0)
    ramp_init(&s.post, REVERIE_SQRT2_F)

cdef inline void drive_reset(DriveState *s) noexcept nogil:
    s.pre.fresh = 1
    s.post.fresh = 1

# drive_db: 0..48, the gain into the saturator.
cdef inline void drive_render(DriveState *s, float drive_db, const float *inp, float *out,
                              int n) noexcept nogil:
    cdef float pre, post
    cdef int32_t left_pre, left_post, i
    drive_db = clip(drive_db, <float>0.0, DRIVE_MAX_DB)
    if drive_db != s.drive_db or s.pre.fresh:
        s.drive_db = drive_db
        pre = db_to_gain(drive_db)
        ramp_to(&s.pre, pre, s.ramp_frames)
        ramp_to(&s.post, sqrtf(<float>1.0 + pre * pre) / pre, s.ramp_frames)
    pre = s.pre.value
    post = s.post.value
    left_pre = s.pre.left
    left_post = s.post.left
    for i in range(n):
        pre = ramp_tick(pre, s.pre.step, s.pre.target, &left_pre)
        post = ramp_tick(post, s.post.step, s.post.target, &left_post)
        out[i] = soft_clip(inp[i] * pre) * post
    s.pre.value = pre
    s.pre.left = left_pre
    s.post.value = post
    s.post.left = left_post

# --- bit crush: a mid-tread quantiser with 2^(bits-1) steps per unit -------------------------
# bits 1..16, fractional bits move the step size smoothly (ramped), so a change never jumps.

ctypedef struct BitCrushState:
    int32_t ramp_frames
    Ramp bits

cdef inline void bitcrush_init(BitCrushState *s, float sample_rate) noexcept nogil:
    s.ramp_frames = unit_ramp_frames(sample_rate)
    ramp_init(&s.bits, <float>16.0)

cdef inline void bitcrush_reset(BitCrushState *s) noexcept nogil:
    s.bits.fresh = 1

cdef inline void bitcrush_render(BitCrushState *s, float bits, const float *inp, float *out,
                                 int n) noexcept nogil:
    cdef float b, q, iq, x
    cdef int32_t left, i
    ramp_to(&s.bits, clip(bits, <float>1.0, <float>16.0), s.ramp_frames)
    b = s.bits.value
    left = s.bits.left
    q = exp2f(<float>1.0 - b)
    iq = <float>1.0 / q
    for i in range(n):
        if left > 0:
            b = ramp_tick(b, s.bits.step, s.bits.target, &left)
            q = exp2f(<float>1.0 - b)
            iq = <float>1.0 / q
        x = clip(inp[i], -<float>4.0, <float>4.0)
        out[i] = floorf(x * iq + <float>0.5) * q
    s.bits.value = b
    s.bits.left = left

# --- rate crush: sample and hold at rate_hz (fractional: 20 Hz .. the sample rate) ------------

ctypedef struct RateCrushState:
    double phase            # 0..1 of the held sample's period
    float held
    float inv_sr
    float sample_rate

cdef inline void ratecrush_init(RateCrushState *s, float sample_rate) noexcept nogil:
    s.sample_rate = sample_rate
    s.inv_sr = <float>1.0 / sample_rate
    s.phase = 1.0
    s.held = 0.0

cdef inline void ratecrush_reset(RateCrushState *s) noexcept nogil:
    s.phase = 1.0           # the next frame is taken at once

cdef inline void ratecrush_render(RateCrushState *s, float rate_hz, const float *inp, float *out,
                                  int n) noexcept nogil:
    cdef double ph = s.phase
    cdef double inc = clip(rate_hz, CRUSH_MIN_HZ, s.sample_rate) * s.inv_sr
    cdef float held = s.held
    cdef int i
    for i in range(n):
        if ph >= 1.0:
            ph -= 1.0
            if ph >= 1.0:
                ph = 0.0
            held = inp[i]
        out[i] = held
        ph += inc
    s.phase = ph
    s.held = held
