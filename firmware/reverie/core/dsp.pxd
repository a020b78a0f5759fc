# Small DSP units shared by the voices and the buses. All inline, all nogil, no allocation.
from libc.math cimport tanf, expf, exp2f, powf, sqrtf, sinf, cosf, logf, log10f, fabsf, M_PI

cdef extern from *:
    """
    #define REVERIE_SQRT2 1.41421356237309504880f
    #define REVERIE_ENV_END 1.0e-4f  /* -80 dB: an envelope below this has ended */
    """
    float REVERIE_SQRT2
    float REVERIE_ENV_END

cdef enum EnvStage:
    ENV_IDLE = 0
    ENV_ATTACK = 1
    ENV_DECAY = 2
    ENV_RELEASE = 3
    ENV_FADE = 4            # a steal or choke: linear fade to zero in FADE_MS

# --- conversions -------------------------------------------------------------------------

cdef inline float db_to_gain(float db) noexcept nogil:
    return powf(10.0, db * 0.05)

cdef inline float clampf(float x, float lo, float hi) noexcept nogil:
    return lo if x < lo else (hi if x > hi else x)

cdef inline float ms_to_frames(float ms, float sample_rate) noexcept nogil:
    return ms * 0.001 * sample_rate

# Exponential segment coefficient: the distance to the target shrinks by 60 dB in `ms`.
cdef inline float exp_coef(float ms, float sample_rate) noexcept nogil:
    cdef float frames = ms_to_frames(ms, sample_rate)
    if frames < 1.0:
        return 0.0
    return expf(-6.907755279 / frames)

# One-pole smoothing coefficient for a time constant in ms, applied every `step` frames.
cdef inline float smooth_coef(float ms, float sample_rate, int step) noexcept nogil:
    cdef float frames = ms_to_frames(ms, sample_rate)
    if frames <= 0.0:
        return 1.0
    return 1.0 - expf(-<float>step / frames)

# --- state-variable filter (trapezoidal integration, Zavalishin/Simper form) ---------------

ctypedef struct SvfCoefs:
    float a1
    float a2
    float a3
    float m0       # output = m0*input + m1*band + m2*low
    float m1
    float m2
    float k

# Damping from resonance 0..1: k = sqrt(2) (Butterworth, -3 dB at the cutoff) down to 0.04 (Q 25).
cdef inline float svf_damping(float resonance) noexcept nogil:
    return REVERIE_SQRT2 * powf(0.04 / REVERIE_SQRT2, clampf(resonance, 0.0, 1.0))

cdef inline void svf_design_k(SvfCoefs* c, float cutoff_hz, float k, int mode,
                              float sample_rate) noexcept nogil:
    cdef float fc = clampf(cutoff_hz, 10.0, 0.49 * sample_rate)
    cdef float g = tanf(<float>M_PI * fc / sample_rate)
    c.k = k
    c.a1 = 1.0 / (1.0 + g * (g + k))
    c.a2 = g * c.a1
    c.a3 = g * c.a2
    if mode == 0:      # low-pass
        c.m0 = 0.0; c.m1 = 0.0; c.m2 = 1.0
    elif mode == 1:    # band-pass, unity gain at the centre
        c.m0 = 0.0; c.m1 = k; c.m2 = 0.0
    else:              # high-pass
        c.m0 = 1.0; c.m1 = -k; c.m2 = -1.0

cdef inline void svf_design(SvfCoefs* c, float cutoff_hz, float resonance, int mode,
                            float sample_rate) noexcept nogil:
    svf_design_k(c, cutoff_hz, svf_damping(resonance), mode, sample_rate)

# --- interpolation -----------------------------------------------------------------------

# 4-point cubic Hermite (Catmull-Rom) between x0 and x1 at 0 <= t < 1.
cdef inline float hermite(float xm1, float x0, float x1, float x2, float t) noexcept nogil:
    cdef float c1 = 0.5 * (x1 - xm1)
    cdef float c2 = xm1 - 2.5 * x0 + 2.0 * x1 - 0.5 * x2
    cdef float c3 = 0.5 * (x2 - xm1) + 1.5 * (x0 - x1)
    return ((c3 * t + c2) * t + c1) * t + x0

# --- shaping -----------------------------------------------------------------------------

# Soft clipper with unity slope at zero, bounded by +-1: x / sqrt(1 + x^2).
cdef inline float soft_clip(float x) noexcept nogil:
    return x / sqrtf(1.0 + x * x)

# Constant-power pan, unity in the centre: -1 hard left .. +1 hard right.
cdef inline void pan_gains(float pan, float* gl, float* gr) noexcept nogil:
    cdef float theta = (clampf(pan, -1.0, 1.0) + 1.0) * <float>(M_PI * 0.25)
    gl[0] = REVERIE_SQRT2 * cosf(theta)
    gr[0] = REVERIE_SQRT2 * sinf(theta)

cdef inline float velocity_gain(int curve, float velocity) noexcept nogil:
    cdef float v = clampf(velocity / 127.0, 0.0, 1.0)
    if curve == 1:
        return sqrtf(v)
    if curve == 2:
        return v * v
    if curve == 3:
        return 1.0
    return v
