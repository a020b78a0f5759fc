# FM operator: a sine with an audio-rate phase-modulation input, as in the classic 4-operator
# FM synths:
#   y[i] = level * sin(2 pi phase[i] + pm[i] + feedback * (y[i-1] + y[i-2]) / 2)
# phase in double precision; its increment is ratio x the note's frequency / sample rate,
# computed in double (a ratio of 3 is exactly 3 x the note's increment), or fixed_hz / sample
# rate when fixed_hz > 0. pm and feedback are in radians. Level and feedback ramp like every
# block-rate parameter; the increment is taken at once (a phase-continuous jump, no click).
from libc.stdint cimport int32_t
from libc.math cimport floor
from reverie.core.units.common cimport *

ctypedef struct FmOpState:
    double phase            # cycles, 0..1
    double inv_sr
    double nyquist
    int32_t ramp_frames
    Ramp level
    Ramp feedback
    float y1                # the last two outputs, for feedback
    float y2

cdef inline void fm_init(FmOpState *s, float sample_rate) noexcept nogil:
    s.inv_sr = 1.0 / <double>sample_rate
    s.nyquist = 0.5 * <double>sample_rate
    s.ramp_frames = unit_ramp_frames(sample_rate)
    s.phase = 0.0
    ramp_init(&s.level, <float>0.0)
    ramp_init(&s.feedback, <float>0.0)
    s.y1 = 0.0
    s.y2 = 0.0

# Note on: phase to `phase` (cycles; key sync), level and feedback taken at once. The
# feedback memory is kept, as it holds what the operator last played.
cdef inline void fm_reset(FmOpState *s, double phase) noexcept nogil:
    s.phase = phase - floor(phase)
    s.level.fresh = 1
    s.feedback.fresh = 1

# note_hz: the note's frequency; ratio: 0..64 (or fixed_hz 0..nyquist when > 0); level: 0..16
# (linear; a modulator's level is its modulation index in radians); feedback: 0..4 radians
# (past 2 the loop turns chaotic, the classic synths' noisy top settings). pm: phase
# modulation in radians per frame, or NULL.
cdef inline void fm_render(FmOpState *s, double note_hz, double ratio, double fixed_hz,
                           float level, float feedback, const float *pm, float *out,
                           int n) noexcept nogil:
    cdef double inc, ph = s.phase, x
    cdef float lv, fb, y, y1 = s.y1, y2 = s.y2
    cdef int32_t lleft, fleft, i
    if fixed_hz > 0.0:
        inc = clipd(fixed_hz, 0.0, s.nyquist) * s.inv_sr
    else:
        inc = clipd(ratio, 0.0, 64.0) * (clipd(note_hz, 0.0, s.nyquist) * s.inv_sr)
    if inc >= 0.5:
        inc = 0.0                                   # above Nyquist: silent, not aliased
    ramp_to(&s.level, clip(level, <float>0.0, <float>16.0), s.ramp_frames)
    ramp_to(&s.feedback, clip(feedback, <float>0.0, <float>4.0), s.ramp_frames)
    lv = s.level.value
    lleft = s.level.left
    fb = s.feedback.value
    fleft = s.feedback.left
    if fb == <float>0.0 and fleft == 0:
        # no feedback: nothing carries from one frame to the next but the phase
        for i in range(n):
            lv = ramp_tick(lv, s.level.step, s.level.target, &lleft)
            if pm != NULL:
                y = lv * sine_any(ph + <double>pm[i] * (1.0 / UNIT_TWO_PI))
            else:
                y = lv * sine_of(ph)
            out[i] = y
            ph += inc
            if ph >= 1.0:
                ph -= 1.0
        if n >= 2:
            y2 = out[n - 2]
        else:
            y2 = y1
        y1 = out[n - 1]
    else:
        for i in range(n):
            lv = ramp_tick(lv, s.level.step, s.level.target, &lleft)
            fb = ramp_tick(fb, s.feedback.step, s.feedback.target, &fleft)
            x = <double>(fb * <float>0.5 * (y1 + y2))
            if pm != NULL:
                x = x + <double>pm[i]
            y = lv * sine_any(ph + x * (1.0 / UNIT_TWO_PI))
            out[i] = y
            y2 = y1
            y1 = y
            ph += inc
            if ph >= 1.0:
                ph -= 1.0
    s.phase = ph
    s.y1 = y1
    s.y2 = y2
    s.level.value = lv
    s.level.left = lleft
    s.feedback.value = fb
    s.feedback.left = fleft
