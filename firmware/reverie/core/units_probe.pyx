# cython: boundscheck=False, wraparound=False
"""Each DSP unit of core/units/ behind a thin Python class, for tests and benches only
(docs/units.md): the class holds the unit's state, `render` checks shapes and dtypes (float32,
C-contiguous, inputs at least as long as `out`) and runs the unit without the GIL."""
from libc.stdint cimport uint32_t
from reverie.core.units.common cimport *
from reverie.core.units.osc cimport *
from reverie.core.units.wavetable cimport *
from reverie.core.units.noise cimport *
from reverie.core.units.fm cimport *
from reverie.core.units.ladder cimport *
from reverie.core.units.env cimport *
from reverie.core.units.lfo cimport *
from reverie.core.units.shaper cimport *
from reverie.core.units.glide cimport *
from reverie.core.units.unison cimport *
from reverie.core.units.fold cimport *

import numpy as np

OSC_SHAPES = {"saw": OSC_SAW, "square": OSC_SQUARE, "triangle": OSC_TRIANGLE, "sine": OSC_SINE}
NOISE_COLORS = {"white": NOISE_WHITE, "pink": NOISE_PINK}
LFO_SHAPES = {"sine": LFO_SINE, "triangle": LFO_TRIANGLE, "saw-up": LFO_SAW_UP,
              "saw-down": LFO_SAW_DOWN, "square": LFO_SQUARE, "sample-hold": LFO_SAMPLE_HOLD,
              "smooth-random": LFO_SMOOTH_RANDOM}
GLIDE_MODES = {"constant-time": GLIDE_CONSTANT_TIME, "constant-rate": GLIDE_CONSTANT_RATE}
UNISON_VOICES = UNISON_MAX
LADDER_FULL_K = LADDER_K_MAX
NO_SYNC = OSC_NO_SYNC
BLEP_LATENCY_FRAMES = BLEP_DELAY
RAMP_MS = UNIT_RAMP_MS


cdef const float *_input(object a, Py_ssize_t n, str name) except? NULL:
    """A pointer to an optional float32 input of at least n frames, NULL for None."""
    cdef const float[::1] view
    if a is None:
        return NULL
    view = a
    if view.shape[0] < n:
        raise ValueError(f"{name} has {view.shape[0]} frames, fewer than out's {n}")
    return &view[0]


cdef float *_output(object a, Py_ssize_t n, str name) except? NULL:
    cdef float[::1] view
    if a is None:
        return NULL
    view = a
    if view.shape[0] < n:
        raise ValueError(f"{name} has {view.shape[0]} frames, fewer than out's {n}")
    return &view[0]


cdef int _frames(float[::1] out) except -1:
    if out.shape[0] < 1:
        raise ValueError("out must hold at least one frame")
    return <int>out.shape[0]


cdef class Osc:
    """Band-limited oscillator (units/osc.pxd)."""
    cdef OscState s

    def __init__(self, float sample_rate):
        osc_init(&self.s, sample_rate)

    def reset(self, float phase=0.0):
        osc_reset(&self.s, phase)

    def render(self, float[::1] out, int shape, float freq_hz, float pulse_width=0.5,
               fm=None, sync_in=None, sync_out=None):
        cdef int n = _frames(out)
        cdef const float *fm_p = _input(fm, n, "fm")
        cdef const float *sin_p = _input(sync_in, n, "sync_in")
        cdef float *sout_p = _output(sync_out, n, "sync_out")
        with nogil:
            osc_render(&self.s, shape, freq_hz, pulse_width, fm_p, sin_p, sout_p, &out[0], n)


cdef class Wavetable:
    """Wavetable oscillator (units/wavetable.pxd) on mip-maps from wavetable_build.mipmaps."""
    cdef WavetableState s
    cdef object tables      # keeps the mip-maps alive while the unit reads them

    def __init__(self, float sample_rate, tables):
        cdef const float[:, :, ::1] view = tables
        wavetable_init(&self.s, sample_rate)
        self.tables = tables
        wavetable_set(&self.s, &view[0, 0, 0], <int>view.shape[0], <int>view.shape[1],
                      <int>view.shape[2] - 1)

    def reset(self, float phase=0.0):
        wavetable_reset(&self.s, phase)

    def render(self, float[::1] out, float freq_hz, float position, fm=None):
        cdef int n = _frames(out)
        cdef const float *fm_p = _input(fm, n, "fm")
        with nogil:
            wavetable_render(&self.s, freq_hz, position, fm_p, &out[0], n)


cdef class Noise:
    """White or pink noise (units/noise.pxd)."""
    cdef NoiseState s

    def __init__(self, float sample_rate):
        noise_init(&self.s, sample_rate)

    def reset(self, uint32_t seed):
        noise_reset(&self.s, seed)

    def render(self, float[::1] out, int color):
        cdef int n = _frames(out)
        with nogil:
            noise_render(&self.s, color, &out[0], n)


cdef class FmOp:
    """FM operator (units/fm.pxd)."""
    cdef FmOpState s

    def __init__(self, float sample_rate):
        fm_init(&self.s, sample_rate)

    def reset(self, double phase=0.0):
        fm_reset(&self.s, phase)

    def render(self, float[::1] out, double note_hz, double ratio=1.0, double fixed_hz=0.0,
               float level=1.0, float feedback=0.0, pm=None):
        cdef int n = _frames(out)
        cdef const float *pm_p = _input(pm, n, "pm")
        with nogil:
            fm_render(&self.s, note_hz, ratio, fixed_hz, level, feedback, pm_p, &out[0], n)


cdef class Ladder:
    """Zero-delay-feedback ladder low-pass (units/ladder.pxd)."""
    cdef LadderState s

    def __init__(self, float sample_rate):
        ladder_init(&self.s, sample_rate)

    def reset(self):
        ladder_reset(&self.s)

    def render(self, float[::1] out, inp, float cutoff_hz, float resonance):
        cdef int n = _frames(out)
        cdef const float *in_p = _input(inp, n, "inp")
        if in_p == NULL:
            raise ValueError("the ladder needs an input")
        with nogil:
            ladder_render(&self.s, cutoff_hz, resonance, in_p, &out[0], n)


cdef class Adsr:
    """ADSR envelope (units/env.pxd)."""
    cdef AdsrState s

    def __init__(self, float sample_rate):
        adsr_init(&self.s, sample_rate)

    def reset(self):
        adsr_reset(&self.s)

    def release(self):
        adsr_release(&self.s)

    @property
    def active(self):
        return bool(adsr_active(&self.s))

    def render(self, float[::1] out, float attack_ms, float decay_ms, float sustain,
               float release_ms, int curved=0):
        cdef int n = _frames(out)
        with nogil:
            adsr_render(&self.s, attack_ms, decay_ms, sustain, release_ms, curved, &out[0], n)


cdef class Ad:
    """AD envelope (units/env.pxd)."""
    cdef AdState s

    def __init__(self, float sample_rate):
        ad_init(&self.s, sample_rate)

    def reset(self):
        ad_reset(&self.s)

    @property
    def active(self):
        return bool(adsr_active(&self.s))

    def render(self, float[::1] out, float attack_ms, float decay_ms, int curved=0):
        cdef int n = _frames(out)
        with nogil:
            ad_render(&self.s, attack_ms, decay_ms, curved, &out[0], n)


cdef class Lfo:
    """LFO (units/lfo.pxd)."""
    cdef LfoState s

    def __init__(self, float sample_rate, uint32_t seed=1):
        lfo_init(&self.s, sample_rate, seed)

    def reset(self, bint retrigger=True):
        lfo_reset(&self.s, retrigger)

    def render(self, float[::1] out, int shape, float rate_hz=1.0, float cycles_per_beat=0.0,
               float tempo_bpm=120.0, float phase_offset=0.0):
        cdef int n = _frames(out)
        with nogil:
            lfo_render(&self.s, shape, rate_hz, cycles_per_beat, tempo_bpm, phase_offset, &out[0], n)


cdef class Drive:
    """Soft saturation with level compensation (units/shaper.pxd)."""
    cdef DriveState s

    def __init__(self, float sample_rate):
        drive_init(&self.s, sample_rate)

    def reset(self):
        drive_reset(&self.s)

    def render(self, float[::1] out, inp, float drive_db):
        cdef int n = _frames(out)
        cdef const float *in_p = _input(inp, n, "inp")
        if in_p == NULL:
            raise ValueError("drive needs an input")
        with nogil:
            drive_render(&self.s, drive_db, in_p, &out[0], n)


cdef class BitCrush:
    """Bit crush (units/shaper.pxd)."""
    cdef BitCrushState s

    def __init__(self, float sample_rate):
        bitcrush_init(&self.s, sample_rate)

    def reset(self):
        bitcrush_reset(&self.s)

    def render(self, float[::1] out, inp, float bits):
        cdef int n = _frames(out)
        cdef const float *in_p = _input(inp, n, "inp")
        if in_p == NULL:
            raise ValueError("bit crush needs an input")
        with nogil:
            bitcrush_render(&self.s, bits, in_p, &out[0], n)


cdef class RateCrush:
    """Rate crush (units/shaper.pxd)."""
    cdef RateCrushState s

    def __init__(self, float sample_rate):
        ratecrush_init(&self.s, sample_rate)

    def reset(self):
        ratecrush_reset(&self.s)

    def render(self, float[::1] out, inp, float rate_hz):
        cdef int n = _frames(out)
        cdef const float *in_p = _input(inp, n, "inp")
        if in_p == NULL:
            raise ValueError("rate crush needs an input")
        with nogil:
            ratecrush_render(&self.s, rate_hz, in_p, &out[0], n)


cdef class Glide:
    """Glide (units/glide.pxd)."""
    cdef GlideState s

    def __init__(self, float sample_rate):
        glide_init(&self.s, sample_rate)

    def reset(self, double hz):
        glide_reset(&self.s, hz)

    def render(self, float[::1] out, double target_hz, float time_ms, int mode=0):
        cdef int n = _frames(out)
        with nogil:
            glide_render(&self.s, target_hz, time_ms, mode, &out[0], n)


cdef class Unison:
    """Unison of band-limited oscillators (units/unison.pxd)."""
    cdef UnisonState s

    def __init__(self, float sample_rate):
        unison_init(&self.s, sample_rate)

    def reset(self, int voices):
        unison_reset(&self.s, voices)

    def render(self, float[::1] out, float[::1] out_r, int shape, float freq_hz,
               float pulse_width=0.5, float detune_cents=0.0, float spread=0.0, fm=None):
        """out is the left output."""
        cdef int n = _frames(out)
        cdef const float *fm_p = _input(fm, n, "fm")
        if out_r.shape[0] < n:
            raise ValueError("out_r is shorter than out")
        with nogil:
            unison_render(&self.s, shape, freq_hz, pulse_width, detune_cents, spread, fm_p,
                          &out[0], &out_r[0], n)


cdef class Fold:
    """Sine wavefolder: the template unit (units/fold.pxd)."""
    cdef FoldState s

    def __init__(self, float sample_rate):
        fold_init(&self.s, sample_rate)

    def reset(self):
        fold_reset(&self.s)

    def render(self, float[::1] out, inp, float gain):
        cdef int n = _frames(out)
        cdef const float *in_p = _input(inp, n, "inp")
        if in_p == NULL:
            raise ValueError("the folder needs an input")
        with nogil:
            fold_render(&self.s, gain, in_p, &out[0], n)
