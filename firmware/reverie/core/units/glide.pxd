# Glide (portamento): a frequency that moves to each new target along a straight line in
# pitch (equal cents per frame), per frame in Hz for an oscillator's fm input (with freq_hz 1)
# or any unit that takes a frequency. Constant time: every glide takes time_ms, however far.
# Constant rate: time_ms per octave, so a wide leap takes longer.
from libc.stdint cimport int32_t
from libc.math cimport log2, exp2, fabs
from reverie.core.units.common cimport *

cdef enum:  # GlideMode
    GLIDE_CONSTANT_TIME = 0
    GLIDE_CONSTANT_RATE = 1

cdef extern from *:
    """
    #define GLIDE_MIN_HZ 1.0
    #define GLIDE_MAX_HZ 24000.0
    #define GLIDE_MAX_MS 10000.0f
    """
    double GLIDE_MIN_HZ
    double GLIDE_MAX_HZ
    float GLIDE_MAX_MS

ctypedef struct GlideState:
    double hz               # now
    double target           # Hz
    double ratio            # per frame while gliding
    int32_t left            # frames to go
    float sample_rate

cdef inline void glide_init(GlideState *s, float sample_rate) noexcept nogil:
    s.sample_rate = sample_rate
    s.hz = 440.0
    s.target = 440.0
    s.ratio = 1.0
    s.left = 0

# A note without glide (the first of a phrase): jump to hz.
cdef inline void glide_reset(GlideState *s, double hz) noexcept nogil:
    s.hz = clipd(hz, GLIDE_MIN_HZ, GLIDE_MAX_HZ)
    s.target = s.hz
    s.left = 0

# target_hz: 1..24000; time_ms: 0..10000 (0: no glide); mode: GlideMode.
cdef inline void glide_render(GlideState *s, double target_hz, float time_ms, int32_t mode,
                              float *out_hz, int n) noexcept nogil:
    cdef double hz, ratio, frames, target
    cdef int32_t left, i
    target = clipd(target_hz, GLIDE_MIN_HZ, GLIDE_MAX_HZ)
    if target != s.target:
        s.target = target
        frames = clip(time_ms, <float>0.0, GLIDE_MAX_MS) * 0.001 * s.sample_rate
        if mode == GLIDE_CONSTANT_RATE:
            frames = frames * fabs(log2(target / s.hz))
        if frames < 1.0:
            s.hz = target
            s.left = 0
        else:
            s.left = <int32_t>(frames + 0.5)
            if s.left < 1:
                s.left = 1
            s.ratio = exp2(log2(target / s.hz) / s.left)
    hz = s.hz
    ratio = s.ratio
    left = s.left
    target = s.target
    for i in range(n):
        if left > 0:
            left -= 1
            hz = target if left == 0 else hz * ratio
        out_hz[i] = <float>hz
    s.hz = hz
    s.left = left
