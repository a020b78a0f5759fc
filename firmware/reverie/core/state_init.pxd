# The engine state's life on the control thread: allocated once, with every buffer the audio
# thread will use (the rings, the delay line, the reverb's lines), set to its first values,
# and freed. The audio thread never allocates.
from cpython.mem cimport PyMem_Calloc, PyMem_Free
from libc.stdint cimport int32_t, int64_t
from libc.math cimport llround, expf
from reverie.core.defs cimport *
from reverie.core.dsp cimport db_to_gain, smooth_coef
from reverie.core.fx cimport DELAY_MAX_SECONDS, REVERB_LINES, REVERB_AP, limiter_reset
from reverie.core.state cimport *
from reverie.core.seq_state cimport Seq, MidiEvent
from reverie.core.command cimport Command
from reverie.core.mixer cimport reverie_reverb_ms
from reverie.core.seq_time cimport REVERIE_NEVER
from reverie.core.program cimport program_sampler
from reverie.core.voice cimport SamplerVoice

cdef inline int64_t next_pow2(int64_t n) noexcept nogil:
    cdef int64_t p = 1
    while p < n:
        p <<= 1
    return p

# The frames of each reverb line and diffuser at this rate, and their offsets in one buffer;
# returns the buffer's length in floats.
cdef inline int32_t reverb_layout(EngineState *st, double sample_rate) noexcept nogil:
    cdef int k
    cdef int32_t off = 0
    for k in range(REVERB_LINES + REVERB_AP):
        st.reverb.off[k] = off
        st.reverb.length[k] = <int32_t>(reverie_reverb_ms[k] * 0.001 * sample_rate) + 1
        off += st.reverb.length[k]
    return off

# The sequencer stopped at 120 BPM, nothing scheduled; the click at -12 dB with a 12 ms decay.
cdef inline void seq_init(Seq *q, double sample_rate) noexcept nogil:
    cdef int k
    q.K = llround(sample_rate) * 60000
    q.millibpm = 120000
    q.D = q.millibpm * TICKS_PER_BEAT
    q.queued = -1
    q.seed = 1
    q.click_gain = db_to_gain(-12.0)
    q.click_decay = expf(-1.0 / (0.012 * <float>sample_rate))
    q.midi_start_tick = REVERIE_NEVER
    q.next_clock = REVERIE_NEVER
    q.next_beat = REVERIE_NEVER
    q.pass_end = REVERIE_NEVER
    for k in range(MAX_TRACKS):
        q.tracks[k].port = ALL_PORTS
        q.tracks[k].next = REVERIE_NEVER
        q.tracks[k].next_scan = REVERIE_NEVER

cdef inline void state_free(EngineState *st) noexcept:
    if st == NULL:
        return
    PyMem_Free(st.commands.buf)
    PyMem_Free(st.telemetry.buf)
    PyMem_Free(st.midi.buf)
    PyMem_Free(st.delay.buf)
    PyMem_Free(st.reverb.buf)
    PyMem_Free(st)

# A new engine state at `sample_rate` (a whole number of Hz), or NULL when memory ran out.
cdef inline EngineState *state_new(double sample_rate) noexcept:
    cdef EngineState *st = <EngineState *>PyMem_Calloc(1, sizeof(EngineState))
    if st == NULL:
        return NULL
    cdef int k
    cdef int64_t delay_frames = next_pow2(<int64_t>(DELAY_MAX_SECONDS * sample_rate))
    cdef char *commands = <char *>PyMem_Calloc(COMMAND_RING, sizeof(Command))
    cdef char *telemetry = <char *>PyMem_Calloc(TELEMETRY_RING, sizeof(Telemetry))
    cdef char *midi = <char *>PyMem_Calloc(MIDI_RING, sizeof(MidiEvent))
    spsc_init(&st.commands, commands, COMMAND_RING, sizeof(Command))
    spsc_init(&st.telemetry, telemetry, TELEMETRY_RING, sizeof(Telemetry))
    spsc_init(&st.midi, midi, MIDI_RING, sizeof(MidiEvent))
    st.delay.buf = <float *>PyMem_Calloc(2 * delay_frames, sizeof(float))
    st.reverb.buf = <float *>PyMem_Calloc(reverb_layout(st, sample_rate), sizeof(float))
    if commands == NULL or telemetry == NULL or midi == NULL or st.delay.buf == NULL or st.reverb.buf == NULL:
        state_free(st)
        return NULL
    st.sample_rate = sample_rate
    st.ctl_smooth = smooth_coef(10.0, <float>sample_rate, CONTROL_FRAMES)
    seq_init(&st.seq, sample_rate)
    program_sampler(&st.sampler)
    st.sampler.arena_bytes = sizeof(SamplerVoice)
    for k in range(MAX_TRACKS):
        st.tracks[k].prog = &st.sampler
    # delay: a power-of-two ring of DELAY_MAX_SECONDS
    st.delay.mask = delay_frames - 1
    st.delay.smooth = smooth_coef(50.0, <float>sample_rate, 1)
    st.delay.damp = 0.5
    st.comp.knee_db = 6.0
    # limiter: 1.5 ms of look-ahead
    st.limiter.length = <int32_t>(0.0015 * sample_rate + 0.5)
    if st.limiter.length < 1:
        st.limiter.length = 1
    st.limiter.release_coef = smooth_coef(80.0, <float>sample_rate, 1)
    limiter_reset(&st.limiter)
    return st
