# Band-limited oscillator: saw, square with pulse width, triangle and sine, with hard sync.
# Every discontinuity of the waveform (a wrap, a pulse edge, a sync reset, a reset) gets a
# band-limited step, every corner (triangle, sync) a band-limited ramp (blep.pxd): with the
# 32-tap kernel the strongest alias of a 4 kHz saw lies more than 80 dB under the fundamental.
# Output is BLEP_DELAY (16) frames late, the same for every shape and for a master and its
# slave. Values are -1..1: saw rising from -1 at phase 0, square +1 until the pulse width,
# triangle from -1 at phase 0 to +1 at 0.5, sine sin(2 pi phase).
from libc.stdint cimport int32_t
from reverie.core.units.common cimport *
from reverie.core.units.blep cimport *

cdef enum:  # OscShape
    OSC_SAW = 0
    OSC_SQUARE = 1
    OSC_TRIANGLE = 2
    OSC_SINE = 3

cdef extern from *:
    """
    #define OSC_MAX_INC 0.45f     /* the highest frequency: 0.45 x the sample rate */
    #define OSC_NO_SYNC (-1.0f)   /* a sync buffer's frame without a wrap */
    """
    float OSC_MAX_INC
    float OSC_NO_SYNC

ctypedef struct OscState:
    double phase            # 0..1
    float inv_sr
    float sample_rate
    int32_t ramp_frames
    Ramp freq               # Hz
    Ramp pw                 # 0..1
    int32_t high            # square: 1 while high
    int32_t shape           # the shape last rendered
    int32_t started         # 0 after init: the first frame rises from silence
    int32_t pending         # a reset waits for the next render
    double reset_phase
    Blep blep

cdef inline void osc_init(OscState *s, float sample_rate) noexcept nogil:
    s.sample_rate = sample_rate
    s.inv_sr = <float>1.0 / sample_rate
    s.ramp_frames = unit_ramp_frames(sample_rate)
    s.phase = 0.0
    ramp_init(&s.freq, <float>0.0)
    ramp_init(&s.pw, <float>0.5)
    s.high = 1
    s.shape = OSC_SAW
    s.started = 0
    s.pending = 0
    s.reset_phase = 0.0
    blep_clear(&s.blep)

# Note on: the next render starts at `phase` (0..1) with a band-limited jump from where the
# waveform was, and takes its frequency and pulse width at once.
cdef inline void osc_reset(OscState *s, float phase) noexcept nogil:
    s.pending = 1
    s.reset_phase = clipd(phase, 0.0, 0.999999)
    s.freq.fresh = 1
    s.pw.fresh = 1

cdef inline float osc_value(int32_t shape, double ph, int32_t high) noexcept nogil:
    if shape == OSC_SAW:
        return <float>(2.0 * ph - 1.0)
    if shape == OSC_SQUARE:
        return <float>1.0 if high else -<float>1.0
    if shape == OSC_TRIANGLE:
        if ph < 0.5:
            return <float>(4.0 * ph - 1.0)
        return <float>(3.0 - 4.0 * ph)
    return sine_of(ph)

# d value / d phase
cdef inline float osc_slope(int32_t shape, double ph) noexcept nogil:
    if shape == OSC_SAW:
        return <float>2.0
    if shape == OSC_TRIANGLE:
        return <float>4.0 if ph < 0.5 else -<float>4.0
    if shape == OSC_SINE:
        ph = ph + 0.25
        if ph >= 1.0:
            ph -= 1.0
        return <float>UNIT_TWO_PI * sine_of(ph)
    return <float>0.0

cdef inline float osc_since(double x, double inc) noexcept nogil:
    if inc > 1e-12:
        return <float>(x / inc)
    return <float>0.0

# Moves the phase on by dph, ending t_end frames before the current frame, and adds the
# band-limited corrections of the discontinuities it crosses. Returns the new phase; *wrap
# gets the time of a wrap (frames before the current frame) or stays as it was.
cdef inline double osc_advance(OscState *s, int32_t shape, double ph, double dph, double inc,
                               float pw, float t_end, float *wrap) noexcept nogil:
    cdef double end = ph + dph
    cdef float t
    if shape == OSC_SQUARE:
        if s.high and end >= pw:
            t = t_end + osc_since(end - (pw if pw > ph else ph), inc)
            blep_step(&s.blep, t, -<float>2.0)
            s.high = 0
        if end >= 1.0:
            end -= 1.0
            t = t_end + osc_since(end, inc)
            if not s.high:
                blep_step(&s.blep, t, <float>2.0)
                s.high = 1
            wrap[0] = t
    elif shape == OSC_SAW:
        if end >= 1.0:
            end -= 1.0
            t = t_end + osc_since(end, inc)
            blep_step(&s.blep, t, -<float>2.0)
            wrap[0] = t
    elif shape == OSC_TRIANGLE:
        if ph < 0.5 and end >= 0.5:
            blep_ramp(&s.blep, t_end + osc_since(end - 0.5, inc), <float>(-8.0 * inc))
        if end >= 1.0:
            end -= 1.0
            t = t_end + osc_since(end, inc)
            blep_ramp(&s.blep, t, <float>(8.0 * inc))
            wrap[0] = t
    else:
        if end >= 1.0:
            end -= 1.0
            wrap[0] = t_end + osc_since(end, inc)
    return end

# A jump of the waveform at t frames before the current frame, from (shape0, ph0, high0) to
# (shape, ph) with the square's new level set from the pulse width.
cdef inline void osc_jump(OscState *s, float t, float v0, float slope0, int32_t shape,
                          double ph, float pw, double inc) noexcept nogil:
    if shape == OSC_SQUARE:
        s.high = 1 if ph < pw else 0
    blep_step(&s.blep, t, osc_value(shape, ph, s.high) - v0)
    blep_ramp(&s.blep, t, <float>((osc_slope(shape, ph) - slope0) * inc))

cdef inline float osc_pulse_width(float pw, double inc) noexcept nogil:
    cdef float lo = <float>(2.0 * inc)
    if lo > <float>0.5:
        lo = <float>0.5
    return clip(pw, lo, <float>1.0 - lo)

# Renders n frames. freq_hz: 0..0.45 x sample rate; pulse_width: 0..1 (square; kept two
# frames' worth of phase away from the edges). fm: per-frame frequency multipliers or NULL.
# sync_in: a master's sync_out or NULL; sync_out: per frame, the time of this oscillator's wrap
# in frames before that frame (0 <= t < 1), or OSC_NO_SYNC; NULL when unused.
cdef inline void osc_render(OscState *s, int32_t shape, float freq_hz, float pulse_width,
                            const float *fm, const float *sync_in, float *sync_out,
                            float *out, int n) noexcept nogil:
    cdef float max_hz = OSC_MAX_INC * s.sample_rate
    cdef double ph = s.phase
    cdef double inc, finc
    cdef float *acc
    cdef float y
    cdef int32_t pos
    cdef float f, pw, v0, slope0, ts, wrap, fstep, ftarget, pstep, ptarget, inv_sr
    cdef int32_t fleft, pleft, i, moved
    shape = shape if OSC_SAW <= shape <= OSC_SINE else OSC_SAW
    ramp_to(&s.freq, clip(freq_hz, <float>0.0, max_hz), s.ramp_frames)
    ramp_to(&s.pw, clip(pulse_width, <float>0.0, <float>1.0), s.ramp_frames)
    f = s.freq.value
    fleft = s.freq.left
    pw = s.pw.value
    pleft = s.pw.left
    inc = f * s.inv_sr
    if s.pending or shape != s.shape or not s.started:
        # A reset, a new shape or the first frame: one band-limited jump from what sounded
        # (silence before the first frame) to the new waveform, at the previous frame.
        v0 = 0.0
        slope0 = 0.0
        if s.started:
            v0 = osc_value(s.shape, ph, s.high)
            slope0 = osc_slope(s.shape, ph)
        if s.pending:
            ph = s.reset_phase
        osc_jump(s, <float>1.0, v0, slope0, shape, ph, osc_pulse_width(pw, inc), inc)
        s.pending = 0
        s.started = 1
        s.shape = shape
    if shape == OSC_SAW and sync_in == NULL and sync_out == NULL:
        # The saw without sync, the commonest case, in its own loop: the same arithmetic as
        # the general loop below (osc_advance for a saw), without its branches per frame.
        # The ramps' steps and targets are read into locals: `out` may be memory the compiler
        # cannot tell from the state's.
        fstep = s.freq.step
        ftarget = s.freq.target
        pstep = s.pw.step
        ptarget = s.pw.target
        inv_sr = s.inv_sr
        if fleft == 0 and pleft == 0 and fm != NULL:
            # Steady parameters and a frequency per frame from `fm` (a voice's pitch): no
            # ramps, and blep_out's slot in a register, not reloaded after each store to `out`.
            finc = f * inv_sr
            acc = s.blep.acc
            pos = s.blep.pos
            # A pitch that holds over the chunk (the glide at rest, no pitch modulation at
            # audio rate): the increment worked out once, the number each frame would get.
            moved = 0
            for i in range(1, n):
                moved = moved | (fm[i] != fm[0])
            if n > 0 and not moved:
                inc = clipd(finc * fm[0], 0.0, OSC_MAX_INC)
                for i in range(n):
                    ph = ph + inc
                    if ph >= 1.0:
                        ph -= 1.0
                        s.blep.pos = pos
                        blep_step(&s.blep, osc_since(ph, inc), -<float>2.0)
                    acc[(pos + BLEP_DELAY) & BLEP_MASK] += <float>(2.0 * ph - 1.0)
                    y = acc[pos]
                    acc[pos] = 0.0
                    out[i] = y
                    pos = (pos + 1) & BLEP_MASK
                n = 0
            for i in range(n):
                inc = clipd(finc * fm[i], 0.0, OSC_MAX_INC)
                ph = ph + inc
                if ph >= 1.0:
                    ph -= 1.0
                    s.blep.pos = pos
                    blep_step(&s.blep, osc_since(ph, inc), -<float>2.0)
                acc[(pos + BLEP_DELAY) & BLEP_MASK] += <float>(2.0 * ph - 1.0)
                y = acc[pos]
                acc[pos] = 0.0
                out[i] = y
                pos = (pos + 1) & BLEP_MASK
            s.blep.pos = pos
            n = 0
        for i in range(n):
            f = ramp_tick(f, fstep, ftarget, &fleft)
            pw = ramp_tick(pw, pstep, ptarget, &pleft)
            inc = f * inv_sr
            if fm != NULL:
                inc = clipd(inc * fm[i], 0.0, OSC_MAX_INC)
            ph = ph + inc
            if ph >= 1.0:
                ph -= 1.0
                blep_step(&s.blep, osc_since(ph, inc), -<float>2.0)
            out[i] = blep_out(&s.blep, <float>(2.0 * ph - 1.0))
        n = 0
    for i in range(n):
        f = ramp_tick(f, s.freq.step, s.freq.target, &fleft)
        pw = ramp_tick(pw, s.pw.step, s.pw.target, &pleft)
        inc = f * s.inv_sr
        if fm != NULL:
            inc = clipd(inc * fm[i], 0.0, OSC_MAX_INC)
        wrap = OSC_NO_SYNC
        if sync_in != NULL and sync_in[i] >= <float>0.0:
            ts = clip(sync_in[i], <float>0.0, <float>1.0)
            ph = osc_advance(s, shape, ph, inc * (1.0 - ts), inc, osc_pulse_width(pw, inc), ts, &wrap)
            v0 = osc_value(shape, ph, s.high)
            slope0 = osc_slope(shape, ph)
            osc_jump(s, ts, v0, slope0, shape, 0.0, osc_pulse_width(pw, inc), inc)
            ph = osc_advance(s, shape, 0.0, inc * ts, inc, osc_pulse_width(pw, inc), <float>0.0, &wrap)
        else:
            ph = osc_advance(s, shape, ph, inc, inc, osc_pulse_width(pw, inc), <float>0.0, &wrap)
        if sync_out != NULL:
            sync_out[i] = wrap
        out[i] = blep_out(&s.blep, osc_value(shape, ph, s.high))
    s.phase = ph
    s.freq.value = f
    s.freq.left = fleft
    s.pw.value = pw
    s.pw.left = pleft
