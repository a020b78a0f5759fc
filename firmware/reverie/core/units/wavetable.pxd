# Wavetable oscillator with band-limited mip-maps and frame morphing.
# The tables come from Python (wavetable_build.py: numpy, at load time) and are handed in by
# pointer: levels x frames x (size + 1) floats, level L holding each frame's harmonics
# 1..size/4 >> L (the +1 is a guard copy of the first point). Per frame the level with no
# harmonic above Nyquist is chosen from the phase increment; over the last quarter octave
# before a level runs out of room the next level is faded in, so a sweep never steps. The
# position moves between frames linearly (ramped like every block-rate parameter).
from libc.stdint cimport int32_t
from libc.math cimport log2f
from reverie.core.units.common cimport *

cdef extern from *:
    """
    #define WT_MAX_INC 0.45f
    """
    float WT_MAX_INC

ctypedef struct WavetableState:
    double phase            # 0..1
    float inv_sr
    float sample_rate
    int32_t ramp_frames
    Ramp freq               # Hz
    Ramp position           # 0 .. frames - 1
    float top               # log2 of the highest harmonic of level 0 (size / 4)
    const float *tables
    int32_t size            # points per frame (a power of two)
    int32_t frames
    int32_t levels

cdef inline void wavetable_init(WavetableState *s, float sample_rate) noexcept nogil:
    s.sample_rate = sample_rate
    s.inv_sr = <float>1.0 / sample_rate
    s.ramp_frames = unit_ramp_frames(sample_rate)
    s.phase = 0.0
    ramp_init(&s.freq, <float>0.0)
    ramp_init(&s.position, <float>0.0)
    s.tables = NULL
    s.size = 0
    s.frames = 0
    s.levels = 0
    s.top = 0.0

# The tables (wavetable_build.mipmaps) stay owned by Python and must outlive their use.
cdef inline void wavetable_set(WavetableState *s, const float *tables, int32_t levels,
                               int32_t frames, int32_t size) noexcept nogil:
    s.tables = tables
    s.levels = levels
    s.frames = frames
    s.size = size
    s.top = log2f(<float>size * <float>0.25)

cdef inline void wavetable_reset(WavetableState *s, float phase) noexcept nogil:
    s.phase = clipd(phase, 0.0, 0.999999)
    s.freq.fresh = 1
    s.position.fresh = 1

# One table read: level, frame, phase; linear interpolation.
cdef inline float wavetable_read(const WavetableState *s, int32_t level, int32_t frame,
                                 double phase) noexcept nogil:
    cdef const float *t = s.tables + (<long>level * s.frames + frame) * (s.size + 1)
    cdef double x = phase * s.size
    cdef int32_t i = <int32_t>x
    cdef float f = <float>(x - i)
    return t[i] + f * (t[i + 1] - t[i])

# Renders n frames. freq_hz: 0..0.45 x sample rate; position: 0..frames-1 (fractional moves
# between frames). fm: per-frame frequency multipliers or NULL. Silence without tables.
cdef inline void wavetable_render(WavetableState *s, float freq_hz, float position,
                                  const float *fm, float *out, int n) noexcept nogil:
    cdef double ph = s.phase
    cdef double inc
    cdef float f, pos, frac, octave, fade, a, b, last_inc = -1.0
    cdef int32_t fleft, pleft, i, frame, frame2, level = 0, level2 = 0
    if s.tables == NULL or s.frames < 1:
        for i in range(n):
            out[i] = 0.0
        return
    ramp_to(&s.freq, clip(freq_hz, <float>0.0, WT_MAX_INC * s.sample_rate), s.ramp_frames)
    ramp_to(&s.position, clip(position, <float>0.0, <float>(s.frames - 1)), s.ramp_frames)
    f = s.freq.value
    fleft = s.freq.left
    pos = s.position.value
    pleft = s.position.left
    fade = 0.0
    for i in range(n):
        f = ramp_tick(f, s.freq.step, s.freq.target, &fleft)
        pos = ramp_tick(pos, s.position.step, s.position.target, &pleft)
        inc = f * s.inv_sr
        if fm != NULL:
            inc = clipd(inc * fm[i], 0.0, WT_MAX_INC)
        if <float>inc != last_inc:
            last_inc = <float>inc
            # octave = log2(highest harmonic x frequency / Nyquist) at level 0: level L is
            # alias-free when L >= octave
            octave = s.top + log2f(<float>(2.0 * inc) + <float>1e-30)
            level = 0
            if octave > <float>0.0:
                level = <int32_t>octave
                if <float>level < octave:
                    level += 1
            fade = clip((octave - <float>level + <float>0.25) * <float>4.0, <float>0.0, <float>1.0)
            if level >= s.levels:
                level = s.levels - 1
                fade = 0.0
            level2 = level + 1 if level + 1 < s.levels else level
        frame = <int32_t>pos
        if frame >= s.frames - 1:
            frame = s.frames - 1
            frame2 = frame
            frac = 0.0
        else:
            frame2 = frame + 1
            frac = pos - <float>frame
        a = wavetable_read(s, level, frame, ph)
        b = wavetable_read(s, level, frame2, ph)
        a = a + frac * (b - a)
        if fade > <float>0.0:
            b = wavetable_read(s, level2, frame, ph)
            b = b + frac * (wavetable_read(s, level2, frame2, ph) - b)
            a = a + fade * (b - a)
        out[i] = a
        ph += inc
        if ph >= 1.0:
            ph -= 1.0
    s.phase = ph
    s.freq.value = f
    s.freq.left = fleft
    s.position.value = pos
    s.position.left = pleft
