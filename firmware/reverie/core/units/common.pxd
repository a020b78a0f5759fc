# What every DSP unit shares: parameter ramps, NaN-safe clamps, the sine table, a seeded
# random generator. All inline, nogil, no allocation (docs/units.md).
from libc.stdint cimport int32_t, int64_t, uint32_t
from libc.math cimport floor

cdef extern from "units/tables.h":
    enum:
        UNIT_SINE_SIZE
        UNIT_BLEP_TAPS
        UNIT_BLEP_PHASES
    const float unit_sine[2056]
    const float unit_blep[129][32]
    const float unit_blamp[129][32]

cdef extern from *:
    """
    #define UNIT_RAMP_MS 2.0f      /* a block-rate parameter reaches its new value in 2 ms */
    #define UNIT_TWO_PI 6.28318530717958647692
    """
    float UNIT_RAMP_MS
    double UNIT_TWO_PI

# --- clamps that also catch NaN: a NaN or -inf parameter takes `lo`, +inf takes `hi` -------

cdef inline float clip(float x, float lo, float hi) noexcept nogil:
    if x > hi:
        return hi
    if x >= lo:
        return x
    return lo

cdef inline double clipd(double x, double lo, double hi) noexcept nogil:
    if x > hi:
        return hi
    if x >= lo:
        return x
    return lo

# --- block-rate parameters ramped per sample ------------------------------------------------
# A new target starts a linear ramp from the current value that lasts `frames` frames (the
# unit's ramp, UNIT_RAMP_MS, fixed at init): the path does not depend on how the host slices
# time into blocks, so rendering in blocks of any size gives the same output. The first target
# after init or reset is taken at once (a note starts at its own values).

ctypedef struct Ramp:
    float value
    float target
    float step
    int32_t left            # frames still to go
    int32_t fresh           # 1: the next target is taken at once

cdef inline int32_t unit_ramp_frames(float sample_rate) noexcept nogil:
    return <int32_t>(sample_rate * UNIT_RAMP_MS * <float>0.001 + <float>0.5)

cdef inline void ramp_init(Ramp *r, float value) noexcept nogil:
    r.value = value
    r.target = value
    r.step = 0.0
    r.left = 0
    r.fresh = 1

cdef inline void ramp_to(Ramp *r, float target, int32_t frames) noexcept nogil:
    if r.fresh:
        r.fresh = 0
        r.value = target
        r.target = target
        r.left = 0
    elif target != r.target:
        r.target = target
        r.left = frames
        r.step = (target - r.value) / <float>frames

# One frame of the ramp, for loops that keep `value` and `left` in locals.
cdef inline float ramp_tick(float value, float step, float target, int32_t *left) noexcept nogil:
    if left[0] > 0:
        left[0] -= 1
        if left[0] == 0:
            return target
        return value + step
    return value

# --- the sine table -------------------------------------------------------------------------

# sin(2 pi phase) for phase in [0, 1), linear interpolation in the generated table.
cdef inline float sine_of(double phase) noexcept nogil:
    cdef double x = phase * UNIT_SINE_SIZE
    cdef int32_t i = <int32_t>x
    cdef float f = <float>(x - i)
    return unit_sine[i] + f * (unit_sine[i + 1] - unit_sine[i])

# sin(2 pi phase) for any phase (in cycles); 0 for NaN or infinity, never a read outside the
# table.
# (A cast instead of floor(): floor is a library call without SSE4.1. phase - i may round up
# to 1.0, which the table's guard points cover.)
cdef inline float sine_any(double phase) noexcept nogil:
    cdef int64_t i
    if not (phase > -1e15 and phase < 1e15):
        return 0.0
    i = <int64_t>phase
    if phase < <double>i:
        i -= 1
    return sine_of(phase - <double>i)

# --- seeded random numbers (xorshift32): reproducible, never zero ----------------------------

cdef inline uint32_t rng_seed(uint32_t seed) noexcept nogil:
    seed = seed * <uint32_t>2654435761u + <uint32_t>0x9E3779B9u
    return seed if seed != 0 else <uint32_t>0x6D2B79F5u

cdef inline uint32_t rng_next(uint32_t x) noexcept nogil:
    x ^= x << 13
    x ^= x >> 17
    x ^= x << 5
    return x

# Uniform in [-1, 1).
cdef inline float rng_bipolar(uint32_t x) noexcept nogil:
    return <float>(<int32_t>x) * <float>4.656612873077392578125e-10
