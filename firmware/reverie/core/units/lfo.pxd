# LFO: sine, triangle, saw up and down, square, sample-and-hold and smooth random, -1..1.
# The rate is in Hz, or tempo-synced: cycles per beat at a tempo in BPM. A phase offset (in
# cycles) moves the wave; a retrigger at note on starts it again at the offset, a free LFO runs
# on. Every shape passes a 0.5 ms one-pole slew, so a square's edges, a saw's wrap, a new random
# value or a retrigger never step (the largest frame-to-frame change is 2 x 4 % of the range at
# 48 kHz); below 100 Hz the slew's lag is under 2 % of a cycle.
from libc.stdint cimport int32_t, uint32_t
from libc.math cimport expf
from reverie.core.units.common cimport *

cdef enum:  # LfoShape
    LFO_SINE = 0
    LFO_TRIANGLE = 1
    LFO_SAW_UP = 2
    LFO_SAW_DOWN = 3
    LFO_SQUARE = 4
    LFO_SAMPLE_HOLD = 5
    LFO_SMOOTH_RANDOM = 6

cdef extern from *:
    """
    #define LFO_SLEW_MS 0.5f
    #define LFO_MAX_HZ 1000.0f
    """
    float LFO_SLEW_MS
    float LFO_MAX_HZ

ctypedef struct LfoState:
    double phase            # 0..1, without the offset
    float inv_sr
    float slew              # one-pole coefficient
    float y                 # the output, after the slew
    float held              # sample-and-hold: the value of this cycle
    float prev              # smooth random: from prev to held over a cycle
    uint32_t rng
    int32_t started

cdef inline void lfo_init(LfoState *s, float sample_rate, uint32_t seed) noexcept nogil:
    s.phase = 0.0
    s.inv_sr = <float>1.0 / sample_rate
    s.slew = <float>1.0 - expf(-<float>1000.0 / (LFO_SLEW_MS * sample_rate))
    s.y = 0.0
    s.rng = rng_next(rng_seed(seed))
    s.held = rng_bipolar(s.rng)
    s.prev = 0.0
    s.started = 0

# Note on: with retrigger the wave starts again from its offset; a free LFO runs on.
cdef inline void lfo_reset(LfoState *s, int32_t retrigger) noexcept nogil:
    if retrigger:
        s.phase = 0.0

cdef inline float lfo_shape(int32_t shape, double p, float held, float prev) noexcept nogil:
    cdef float c
    if shape == LFO_SINE:
        return sine_of(p)
    if shape == LFO_TRIANGLE:
        if p < 0.25:
            return <float>(4.0 * p)
        if p < 0.75:
            return <float>(2.0 - 4.0 * p)
        return <float>(4.0 * p - 4.0)
    if shape == LFO_SAW_UP:
        return <float>(2.0 * p - 1.0)
    if shape == LFO_SAW_DOWN:
        return <float>(1.0 - 2.0 * p)
    if shape == LFO_SQUARE:
        return <float>1.0 if p < 0.5 else -<float>1.0
    if shape == LFO_SAMPLE_HOLD:
        return held
    # smooth random: a raised cosine, 0.5 - 0.5 cos(pi p), from the last value to this cycle's
    c = <float>0.5 - <float>0.5 * sine_of(0.5 * p + 0.25)
    return prev + (held - prev) * c

# rate_hz: 0..1000; cycles_per_beat > 0 syncs to tempo_bpm instead (e.g. 0.25: one cycle a
# bar of 4/4); phase_offset in cycles.
cdef inline void lfo_render(LfoState *s, int32_t shape, float rate_hz, float cycles_per_beat,
                            float tempo_bpm, float phase_offset, float *out, int n) noexcept nogil:
    cdef double ph = s.phase, inc, off, p
    cdef float rate, v, y = s.y, k = s.slew, held = s.held, prev = s.prev
    cdef uint32_t x = s.rng
    cdef int i
    if cycles_per_beat > <float>0.0:
        rate = clip(cycles_per_beat, <float>0.0, <float>64.0) * clip(tempo_bpm, <float>1.0, <float>1000.0) / <float>60.0
    else:
        rate = rate_hz
    inc = clip(rate, <float>0.0, LFO_MAX_HZ) * s.inv_sr
    off = clipd(phase_offset, -1e6, 1e6)
    off = off - <long>off
    if off < 0.0:
        off += 1.0
    for i in range(n):
        p = ph
        if shape < LFO_SAMPLE_HOLD:     # the random shapes change value where the cycle wraps
            p = ph + off
            if p >= 1.0:
                p -= 1.0
        v = lfo_shape(shape, p, held, prev)
        if not s.started:
            s.started = 1
            y = v
        y = y + (v - y) * k
        out[i] = y
        ph += inc
        if ph >= 1.0:
            ph -= 1.0
            x = rng_next(x)
            prev = held
            held = rng_bipolar(x)
    s.phase = ph
    s.y = y
    s.held = held
    s.prev = prev
    s.rng = x
