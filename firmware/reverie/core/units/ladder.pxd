# Zero-delay-feedback 4-pole ladder low-pass (Zavalishin, "The Art of VA Filter Design", ch. 5):
# four trapezoidal one-poles with the cutoff prewarped (g = tan(pi fc / fs)), so the -3 dB point
# per stage and the resonance peak sit at the cutoff exactly. The feedback k * sat(y4) is
# solved without a unit delay: the linear zero-delay solution estimates y4 and the soft
# saturation (tanh's Pade approximant, below) is applied to that estimate. It keeps full
# resonance (k slightly above 4, where the filter self-oscillates at its cutoff) bounded.
# -24 dB per octave above the cutoff; the pass band drops by 1 / (1 + k) as resonance rises,
# as an analog ladder's does.
from libc.stdint cimport int32_t
from libc.math cimport tanf, M_PI
from reverie.core.units.common cimport *

cdef extern from *:
    """
    #define LADDER_K_MAX 4.1f     /* feedback at full resonance: just above self-oscillation (4) */
    #define LADDER_MIN_HZ 10.0f
    #define LADDER_MAX_INC 0.45f  /* highest cutoff: 0.45 x the sample rate */
    """
    float LADDER_K_MAX
    float LADDER_MIN_HZ
    float LADDER_MAX_INC

ctypedef struct LadderState:
    float s1
    float s2
    float s3
    float s4
    float pi_over_sr
    float sample_rate
    int32_t ramp_frames
    Ramp cutoff             # Hz
    Ramp k                  # feedback 0 .. LADDER_K_MAX

cdef inline void ladder_init(LadderState *s, float sample_rate) noexcept nogil:
    s.sample_rate = sample_rate
    s.pi_over_sr = <float>M_PI / sample_rate
    s.ramp_frames = unit_ramp_frames(sample_rate)
    s.s1 = 0.0
    s.s2 = 0.0
    s.s3 = 0.0
    s.s4 = 0.0
    ramp_init(&s.cutoff, <float>1000.0)
    ramp_init(&s.k, <float>0.0)

# Note on: clears what the filter holds (use it only from silence: clearing a sounding filter
# is a click) and takes the next cutoff and resonance at once.
cdef inline void ladder_reset(LadderState *s) noexcept nogil:
    s.s1 = 0.0
    s.s2 = 0.0
    s.s3 = 0.0
    s.s4 = 0.0
    s.cutoff.fresh = 1
    s.k.fresh = 1

# tanh's [3/2] Pade approximant, exact at 0 and reaching +-1 with zero slope at +-3: one
# division where v / sqrt(1 + v^2) takes a square root too (the feedback path is the
# filter's critical path).
cdef inline float ladder_sat(float v) noexcept nogil:
    cdef float v2
    if v > <float>3.0:
        return 1.0
    if v < -<float>3.0:
        return -1.0
    v2 = v * v
    return v * (<float>27.0 + v2) / (<float>27.0 + <float>9.0 * v2)

# Filters n frames of `inp` into `out` (the same buffer is allowed). cutoff_hz: 10 .. 0.45 x
# sample rate; resonance: 0..1 (1 self-oscillates).
cdef inline void ladder_render(LadderState *s, float cutoff_hz, float resonance,
                               const float *inp, float *out, int n) noexcept nogil:
    cdef float fc, k, g, G, b, G2, G3, G4, den, x, u, v, y, S
    cdef float s1 = s.s1, s2 = s.s2, s3 = s.s3, s4 = s.s4
    cdef int32_t cleft, kleft, i
    cdef int moving
    ramp_to(&s.cutoff, clip(cutoff_hz, LADDER_MIN_HZ, LADDER_MAX_INC * s.sample_rate), s.ramp_frames)
    ramp_to(&s.k, clip(resonance, <float>0.0, <float>1.0) * LADDER_K_MAX, s.ramp_frames)
    fc = s.cutoff.value
    cleft = s.cutoff.left
    k = s.k.value
    kleft = s.k.left
    moving = 1
    for i in range(n):
        if moving:
            fc = ramp_tick(fc, s.cutoff.step, s.cutoff.target, &cleft)
            k = ramp_tick(k, s.k.step, s.k.target, &kleft)
            g = tanf(fc * s.pi_over_sr)
            G = g / (<float>1.0 + g)
            b = <float>1.0 - G
            G2 = G * G
            G3 = G2 * G
            G4 = G2 * G2
            den = <float>1.0 / (<float>1.0 + k * G4)
            moving = cleft > 0 or kleft > 0
        x = inp[i]
        S = b * (G3 * s1 + G2 * s2 + G * s3 + s4)
        u = x - k * ladder_sat((G4 * x + S) * den)
        v = (u - s1) * G
        y = v + s1
        s1 = y + v
        v = (y - s2) * G
        y = v + s2
        s2 = y + v
        v = (y - s3) * G
        y = v + s3
        s3 = y + v
        v = (y - s4) * G
        y = v + s4
        s4 = y + v
        out[i] = y
    if not (s1 * s1 + s2 * s2 + s3 * s3 + s4 * s4 < <float>1e30):
        s1 = 0.0                    # a NaN or infinite input: start again from silence
        s2 = 0.0
        s3 = 0.0
        s4 = 0.0
    s.s1 = s1
    s.s2 = s2
    s.s3 = s3
    s.s4 = s4
    s.cutoff.value = fc
    s.cutoff.left = cleft
    s.k.value = k
    s.k.left = kleft
