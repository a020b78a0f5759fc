# Noise: white (uniform, -1..1) or pink (-3 dB per octave: Paul Kellet's refined filter of
# the same white noise), from a seeded xorshift generator, so a seed always gives the same
# noise on every machine.
from libc.stdint cimport int32_t, uint32_t
from reverie.core.units.common cimport *

cdef enum:  # NoiseColor
    NOISE_WHITE = 0
    NOISE_PINK = 1

ctypedef struct NoiseState:
    uint32_t rng
    float b0
    float b1
    float b2
    float b3
    float b4
    float b5
    float b6

cdef inline void noise_reset(NoiseState *s, uint32_t seed) noexcept nogil:
    s.rng = rng_seed(seed)
    s.b0 = 0.0
    s.b1 = 0.0
    s.b2 = 0.0
    s.b3 = 0.0
    s.b4 = 0.0
    s.b5 = 0.0
    s.b6 = 0.0

cdef inline void noise_init(NoiseState *s, float sample_rate) noexcept nogil:
    noise_reset(s, 1)

cdef inline void noise_render(NoiseState *s, int32_t color, float *out, int n) noexcept nogil:
    cdef uint32_t x = s.rng
    cdef float w
    cdef float b0 = s.b0, b1 = s.b1, b2 = s.b2, b3 = s.b3, b4 = s.b4, b5 = s.b5, b6 = s.b6
    cdef int i
    if color != NOISE_PINK:
        for i in range(n):
            x = rng_next(x)
            out[i] = rng_bipolar(x)
    else:
        for i in range(n):
            x = rng_next(x)
            w = rng_bipolar(x)
            b0 = <float>0.99886 * b0 + w * <float>0.0555179
            b1 = <float>0.99332 * b1 + w * <float>0.0750759
            b2 = <float>0.96900 * b2 + w * <float>0.1538520
            b3 = <float>0.86650 * b3 + w * <float>0.3104856
            b4 = <float>0.55000 * b4 + w * <float>0.5329522
            b5 = -<float>0.7616 * b5 - w * <float>0.0168980
            # scaled so that pink and white have about the same loudness (RMS 0.58)
            out[i] = (b0 + b1 + b2 + b3 + b4 + b5 + b6 + w * <float>0.5362) * <float>0.347
            b6 = w * <float>0.115926
    s.rng = x
    s.b0 = b0; s.b1 = b1; s.b2 = b2; s.b3 = b3; s.b4 = b4; s.b5 = b5; s.b6 = b6
