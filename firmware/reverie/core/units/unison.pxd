# Unison: up to UNISON_MAX band-limited oscillators (osc.pxd) on one note, detuned evenly over
# detune_cents (from -detune/2 to +detune/2) and panned evenly over -spread..+spread (constant
# power), written to a left and a right output; the sum is scaled by 1 / sqrt(voices), so the
# loudness stays about that of one oscillator. A note on starts each copy at its own phase
# (spread by the golden ratio), so copies never start in phase and never flange the same way
# twice in a row. The number of copies is taken at note on.
from libc.stdint cimport int32_t
from libc.math cimport exp2f, sqrtf
from reverie.core.units.common cimport *
from reverie.core.units.osc cimport *
from reverie.core.dsp cimport pan_gains

cdef enum:
    UNISON_MAX = 8
    UNISON_CHUNK = 64       # frames rendered per oscillator at a time (a buffer on the stack)

ctypedef struct UnisonState:
    OscState osc[8]
    Ramp gl[8]
    Ramp gr[8]
    int32_t voices
    int32_t ramp_frames

cdef inline void unison_init(UnisonState *s, float sample_rate) noexcept nogil:
    cdef int k
    for k in range(UNISON_MAX):
        osc_init(&s.osc[k], sample_rate)
        ramp_init(&s.gl[k], <float>0.0)
        ramp_init(&s.gr[k], <float>0.0)
    s.voices = 1
    s.ramp_frames = unit_ramp_frames(sample_rate)

# Note on with `voices` copies (1..8).
cdef inline void unison_reset(UnisonState *s, int32_t voices) noexcept nogil:
    cdef int k
    cdef double ph
    s.voices = voices if 1 <= voices <= UNISON_MAX else (1 if voices < 1 else UNISON_MAX)
    for k in range(s.voices):
        ph = k * 0.6180339887498949
        osc_reset(&s.osc[k], <float>(ph - <int>ph))
        s.gl[k].fresh = 1
        s.gr[k].fresh = 1

# shape, freq_hz, pulse_width, fm: as osc_render; detune_cents: 0..100 (the whole spread);
# spread: 0..1 (stereo width). Writes (not adds) out_l and out_r.
cdef inline void unison_render(UnisonState *s, int32_t shape, float freq_hz, float pulse_width,
                               float detune_cents, float spread, const float *fm,
                               float *out_l, float *out_r, int n) noexcept nogil:
    cdef float buf[64]
    cdef float detune = clip(detune_cents, <float>0.0, <float>100.0)
    cdef float width = clip(spread, <float>0.0, <float>1.0)
    cdef float norm = <float>1.0 / sqrtf(<float>s.voices)
    cdef float x, gl, gr, tl, tr
    cdef int32_t k, i, done, m, left_l, left_r
    cdef int voices = s.voices
    for k in range(voices):
        x = <float>0.0 if voices == 1 else <float>k / <float>(voices - 1) - <float>0.5
        pan_gains(width * <float>2.0 * x, &tl, &tr)
        ramp_to(&s.gl[k], tl * norm, s.ramp_frames)
        ramp_to(&s.gr[k], tr * norm, s.ramp_frames)
    for i in range(n):
        out_l[i] = 0.0
        out_r[i] = 0.0
    done = 0
    while done < n:
        m = n - done
        if m > UNISON_CHUNK:
            m = UNISON_CHUNK
        for k in range(voices):
            x = <float>0.0 if voices == 1 else <float>k / <float>(voices - 1) - <float>0.5
            osc_render(&s.osc[k], shape, freq_hz * exp2f(detune * x / <float>1200.0), pulse_width,
                       NULL if fm == NULL else fm + done, NULL, NULL, buf, m)
            gl = s.gl[k].value
            gr = s.gr[k].value
            left_l = s.gl[k].left
            left_r = s.gr[k].left
            for i in range(m):
                gl = ramp_tick(gl, s.gl[k].step, s.gl[k].target, &left_l)
                gr = ramp_tick(gr, s.gr[k].step, s.gr[k].target, &left_r)
                out_l[done + i] += buf[i] * gl
                out_r[done + i] += buf[i] * gr
            s.gl[k].value = gl
            s.gl[k].left = left_l
            s.gr[k].value = gr
            s.gr[k].left = left_r
        done += m
