# Band-limited steps and ramps (BLEP and BLAMP) for oscillators: a discontinuity adds a
# correction from the generated tables over UNIT_BLEP_TAPS frames around it. The kernel is
# linear phase, so the output leaves UNIT_BLEP_TAPS / 2 frames (16, 0.33 ms at 48 kHz) after
# the naive waveform goes in. Tables: tools/make_unit_tables.py.
from libc.stdint cimport int32_t
from libc.string cimport memset
from reverie.core.units.common cimport *

cdef enum:
    BLEP_MASK = 31          # UNIT_BLEP_TAPS - 1
    BLEP_DELAY = 16         # UNIT_BLEP_TAPS / 2: frames of latency

ctypedef struct Blep:
    float acc[32]           # the next 32 output frames, corrections added in place
    int32_t pos             # the slot of the current frame

cdef inline void blep_clear(Blep *b) noexcept nogil:
    memset(b.acc, 0, sizeof(b.acc))
    b.pos = 0

# A step of height h that happened t frames before the current frame (0 <= t <= 1).
cdef inline void blep_step(Blep *b, float t, float h) noexcept nogil:
    cdef float x = clip(t, <float>0.0, <float>1.0) * <float>UNIT_BLEP_PHASES
    cdef int32_t row = <int32_t>x
    if row >= UNIT_BLEP_PHASES:
        row = UNIT_BLEP_PHASES - 1
    cdef float f = x - <float>row
    cdef const float *a = unit_blep[row]
    cdef const float *c = unit_blep[row + 1]
    cdef int32_t pos = b.pos
    cdef int32_t k
    for k in range(32):
        b.acc[(pos + k) & BLEP_MASK] += h * (a[k] + f * (c[k] - a[k]))

# A change of slope by d (units per frame) t frames before the current frame.
cdef inline void blep_ramp(Blep *b, float t, float d) noexcept nogil:
    cdef float x = clip(t, <float>0.0, <float>1.0) * <float>UNIT_BLEP_PHASES
    cdef int32_t row = <int32_t>x
    if row >= UNIT_BLEP_PHASES:
        row = UNIT_BLEP_PHASES - 1
    cdef float f = x - <float>row
    cdef const float *a = unit_blamp[row]
    cdef const float *c = unit_blamp[row + 1]
    cdef int32_t pos = b.pos
    cdef int32_t k
    for k in range(32):
        b.acc[(pos + k) & BLEP_MASK] += d * (a[k] + f * (c[k] - a[k]))

# The naive value of the current frame goes in; the band-limited frame BLEP_DELAY earlier
# comes out.
cdef inline float blep_out(Blep *b, float naive) noexcept nogil:
    cdef int32_t pos = b.pos
    cdef float y
    b.acc[(pos + BLEP_DELAY) & BLEP_MASK] += naive
    y = b.acc[pos]
    b.acc[pos] = 0.0
    b.pos = (pos + 1) & BLEP_MASK
    return y
