# cython: language_level=3, boundscheck=False, wraparound=False, cdivision=True
# A ring modulator as a unit of one's own (docs/instrument-api.md, "A unit of your own").
# Copy this folder, rename the package, change the state and the three functions. They run on
# the audio thread: no Python objects, no allocation, no locks, no I/O (Cython refuses a
# Python call inside a nogil function, which is what we want).
from libc.math cimport sin, M_PI
from cpython.pycapsule cimport PyCapsule_New
from reverie.core.unit_abi cimport reverie_unit, REVERIE_UNIT_ABI, REVERIE_UNIT_CAPSULE

DEF TICK_FRAMES = 32        # the engine's control tick: tick() comes every 32 frames

# The unit's state, in the voice's arena (at most 2048 bytes for the whole graph).
ctypedef struct RingState:
    double phase            # 0..1 of the carrier's cycle
    double inv_sr           # 1 / sample rate
    float freq_hz           # the carrier's frequency, ramped per frame to its target
    float freq_step
    float mix               # 0: the input as it is .. 1: fully ring-modulated
    float mix_step
    int left                # frames of the ramp still to go
    int fresh               # the first tick jumps to its targets

cdef float clip(float x, float lo, float hi) noexcept nogil:
    return lo if x < lo else hi if x > hi else x

# At note on: the state from rest (the arena holds whatever the last voice left there).
cdef void ring_init(void *state, float sample_rate) noexcept nogil:
    cdef RingState *s = <RingState *>state
    s.phase = 0.0
    s.inv_sr = 1.0 / sample_rate
    s.freq_hz = 0.0
    s.freq_step = 0.0
    s.mix = 0.0
    s.mix_step = 0.0
    s.left = 0
    s.fresh = 1

# Every control tick: params[0] = carrier frequency (Hz), params[1] = mix (0..1), in the
# units of the instrument's spec. Ramped over the tick so a knob turned never steps (zipper).
cdef void ring_tick(void *state, const float *params) noexcept nogil:
    cdef RingState *s = <RingState *>state
    cdef float freq = clip(params[0], 0.0, 20000.0), mix = clip(params[1], 0.0, 1.0)
    if s.fresh:
        s.freq_hz = freq
        s.mix = mix
        s.fresh = 0
    s.freq_step = (freq - s.freq_hz) / TICK_FRAMES
    s.mix_step = (mix - s.mix) / TICK_FRAMES
    s.left = TICK_FRAMES

# n frames (1..32) of the input into out: copy the state into locals, run, write it back.
cdef void ring_process(void *state, const float *inp, float *out, int n,
                       const float *params) noexcept nogil:
    cdef RingState *s = <RingState *>state
    cdef double phase = s.phase
    cdef float freq = s.freq_hz, mix = s.mix, x
    cdef int i, left = s.left
    for i in range(n):
        if left > 0:
            freq += s.freq_step
            mix += s.mix_step
            left -= 1
        x = inp[i] if inp != NULL else <float>1.0
        out[i] = x * (<float>1.0 - mix + mix * <float>sin(2.0 * M_PI * phase))
        phase += freq * s.inv_sr
        if phase >= 1.0:
            phase -= 1.0
    s.phase = phase
    s.freq_hz = freq
    s.mix = mix
    s.left = left

# What the graph compiler reads: one reverie_unit, exported in a capsule.
cdef reverie_unit RING
RING.abi = REVERIE_UNIT_ABI
RING.state_bytes = sizeof(RingState)
RING.inputs = 1
RING.params = 2
RING.init = ring_init
RING.tick = ring_tick
RING.process = ring_process

REVERIE_UNIT = PyCapsule_New(&RING, REVERIE_UNIT_CAPSULE, NULL)
