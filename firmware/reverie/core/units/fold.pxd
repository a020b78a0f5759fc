# THE TEMPLATE for a new unit (docs/units.md, "Adding a unit"): copy this file, rename Fold and
# fold_ everywhere, keep its shape. A sine wavefolder:
#   out = sin(pi / 2 x gain x in)
# gain 1 is a gentle sine-shaped saturation of a full-scale input, every further step of gain
# folds the wave over again (a classic West-coast timbre).
from libc.stdint cimport int32_t
from reverie.core.units.common cimport *

# 1. The state: everything the unit keeps between blocks, in one struct (no pointers to
#    memory it would own: a unit never allocates).
ctypedef struct FoldState:
    int32_t ramp_frames
    Ramp gain               # a block-rate parameter, ramped per frame (common.pxd)

# 2. init: once, before use, with the sample rate.
cdef inline void fold_init(FoldState *s, float sample_rate) noexcept nogil:
    s.ramp_frames = unit_ramp_frames(sample_rate)
    ramp_init(&s.gain, <float>1.0)

# 3. reset: at note on. Here: take the next gain at once instead of ramping to it.
cdef inline void fold_reset(FoldState *s) noexcept nogil:
    s.gain.fresh = 1

# 4. render: block-rate parameters in physical units (clamped with clip(), which also turns a
#    NaN into the low end), audio-rate inputs by pointer, n >= 1 frames out. State goes into
#    locals for the loop and back at the end.
cdef inline void fold_render(FoldState *s, float gain, const float *inp, float *out,
                             int n) noexcept nogil:
    cdef float g
    cdef int32_t left, i
    ramp_to(&s.gain, clip(gain, <float>0.0, <float>16.0), s.ramp_frames)
    g = s.gain.value
    left = s.gain.left
    for i in range(n):
        g = ramp_tick(g, s.gain.step, s.gain.target, &left)
        out[i] = sine_any(<double>(<float>0.25 * g * clip(inp[i], -<float>16.0, <float>16.0)))
    s.gain.value = g
    s.gain.left = left
