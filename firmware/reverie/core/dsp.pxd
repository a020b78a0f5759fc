# Small DSP units shared by the voices and the buses. All inline, all nogil, no allocation.
from libc.math cimport tanf, expf, exp2f, powf, sqrtf, sinf, cosf, logf, log10f, fabsf, M_PI

cdef extern from *:
    """
    #define REVERIE_SQRT2 1.41421356237309504880f
    #define SVF_OPEN_HZ 19999.0f  /* a low-pass at (or above) its top setting is bypassed */
    #define REVERIE_ENV_END 1.0e-4f  /* -80 dB: an envelope below this has ended */
    """
    float REVERIE_SQRT2
    float REVERIE_ENV_END
    float SVF_OPEN_HZ

cdef enum EnvStage:
    ENV_IDLE = 0
    ENV_ATTACK = 1
    ENV_DECAY = 2
    ENV_RELEASE = 3
    ENV_FADE = 4            # a steal or choke: linear fade to zero in FADE_MS

# --- conversions -------------------------------------------------------------------------

cdef inline float db_to_gain(float db) noexcept nogil:
    return powf(<float>10.0, db * <float>0.05)

# A plain compare: libm's fmaxf is a call (it must honour NaN), this is one instruction.
cdef inline float maxf(float a, float b) noexcept nogil:
    return a if a > b else b

cdef inline float clampf(float x, float lo, float hi) noexcept nogil:
    return lo if x < lo else (hi if x > hi else x)

cdef inline float ms_to_frames(float ms, float sample_rate) noexcept nogil:
    return ms * <float>0.001 * sample_rate

# Exponential segment coefficient: the distance to the target shrinks by 60 dB in `ms`.
cdef inline float exp_coef(float ms, float sample_rate) noexcept nogil:
    cdef float frames = ms_to_frames(ms, sample_rate)
    if frames < <float>1.0:
        return <float>0.0
    return expf(-<float>6.907755279 / frames)

# One-pole smoothing coefficient for a time constant in ms, applied every `step` frames.
cdef inline float smooth_coef(float ms, float sample_rate, int step) noexcept nogil:
    cdef float frames = ms_to_frames(ms, sample_rate)
    if frames <= <float>0.0:
        return <float>1.0
    return <float>1.0 - expf(-<float>step / frames)

# --- state-variable filter (trapezoidal integration, Zavalishin/Simper form) ---------------

# The trapezoidal SVF written as a state-space update of its two integrator states, so the
# loop-carried dependency is one multiply and two adds (the textbook form chains five):
#   y    = c0*x + c1*s1 + c2*s2
#   s1' = a11*s1 + a12*s2 + b1*x
#   s2' = a21*s1 + a22*s2 + b2*x
ctypedef struct SvfCoefs:
    float a11
    float a12
    float b1
    float a21
    float a22
    float b2
    float c0
    float c1
    float c2

# Damping from resonance 0..1: k = sqrt(2) (Butterworth, -3 dB at the cutoff) down to 0.04 (Q 25).
cdef inline float svf_damping(float resonance) noexcept nogil:
    return REVERIE_SQRT2 * powf(<float>0.04 / REVERIE_SQRT2, clampf(resonance, <float>0.0, <float>1.0))

# The coefficients for a cutoff and a damping k (from svf_damping: the track derives it once).
cdef inline void svf_design(SvfCoefs* c, float cutoff_hz, float k, int mode,
                            float sample_rate) noexcept nogil:
    cdef float fc = clampf(cutoff_hz, <float>10.0, <float>0.49 * sample_rate)
    cdef float g = tanf(<float>M_PI * fc / sample_rate)
    cdef float a1 = <float>1.0 / (<float>1.0 + g * (g + k))
    cdef float a2 = g * a1
    cdef float a3 = g * a2
    cdef float m0, m1, m2
    if mode == 0:      # low-pass
        m0 = <float>0.0; m1 = <float>0.0; m2 = <float>1.0
    elif mode == 1:    # band-pass, unity gain at the centre
        m0 = <float>0.0; m1 = k; m2 = <float>0.0
    else:              # high-pass
        m0 = <float>1.0; m1 = -k; m2 = -<float>1.0
    # band = a1*s1 - a2*s2 + a2*x, low = a2*s1 + (1 - a3)*s2 + a3*x, s' = 2*out - s
    c.a11 = <float>2.0 * a1 - <float>1.0
    c.a12 = -<float>2.0 * a2
    c.b1 = <float>2.0 * a2
    c.a21 = <float>2.0 * a2
    c.a22 = <float>1.0 - <float>2.0 * a3
    c.b2 = <float>2.0 * a3
    c.c0 = m0 + m1 * a2 + m2 * a3
    c.c1 = m1 * a1 + m2 * a2
    c.c2 = -m1 * a2 + m2 * (<float>1.0 - a3)
    if mode == 0 and cutoff_hz >= SVF_OPEN_HZ:
        # A low-pass turned fully open passes the sample untouched.
        c.c0 = 1.0
        c.c1 = 0.0
        c.c2 = 0.0

# --- interpolation -----------------------------------------------------------------------

# 4-point cubic Hermite (Catmull-Rom) between x0 and x1 at 0 <= t < 1, in the form with the
# fewest operations (15 instead of 19 for the textbook polynomial).
cdef inline float hermite(float xm1, float x0, float x1, float x2, float t) noexcept nogil:
    cdef float c = (x1 - xm1) * <float>0.5
    cdef float v = x0 - x1
    cdef float w = c + v
    cdef float a = w + v + (x2 - x0) * <float>0.5
    cdef float b_neg = w + a
    return ((a * t - b_neg) * t + c) * t + x0

# --- shaping -----------------------------------------------------------------------------

# Soft clipper with unity slope at zero, bounded by +-1: x / sqrt(1 + x^2).
cdef inline float soft_clip(float x) noexcept nogil:
    return x / sqrtf(<float>1.0 + x * x)

# Constant-power pan, unity in the centre: -1 hard left .. +1 hard right.
cdef inline void pan_gains(float pan, float* gl, float* gr) noexcept nogil:
    cdef float theta = (clampf(pan, -<float>1.0, <float>1.0) + <float>1.0) * <float>(M_PI * <float>0.25)
    gl[0] = REVERIE_SQRT2 * cosf(theta)
    gr[0] = REVERIE_SQRT2 * sinf(theta)

cdef inline float velocity_gain(int curve, float velocity) noexcept nogil:
    cdef float v = clampf(velocity / <float>127.0, <float>0.0, <float>1.0)
    if curve == 1:
        return sqrtf(v)
    if curve == 2:
        return v * v
    if curve == 3:
        return <float>1.0
    return v
