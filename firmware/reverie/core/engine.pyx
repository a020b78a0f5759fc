# cython: boundscheck=False, wraparound=False
"""The real-time engine: command ring in, voices, tracks and master chain, telemetry out.

`engine_render()` is the one render path. The PortAudio callback (`pa_callback`) and the
offline `Engine.render()` both call it, so a live run and an offline render produce the
same samples. It never takes the GIL, never allocates, never locks and never does I/O.
"""
from cpython.mem cimport PyMem_Calloc, PyMem_Free
from libc.stdint cimport int32_t, int64_t, uint64_t
from libc.string cimport memset, memcpy
from libc.math cimport llround, expf
from posix.time cimport clock_gettime, timespec, CLOCK_MONOTONIC

import threading

import numpy as np
cimport numpy as cnp

from reverie.core.defs cimport *
from reverie.core.dsp cimport *
from reverie.core.fx cimport *
from reverie.core.voice cimport Voice, voice_render
from reverie.core.notes cimport note_on, note_off, voice_control, voice_filter_env, voice_fade, voice_free
from reverie.core.mixer cimport track_tick, master_tick, master_design, mix_chunk, reverie_reverb_ms, reverie_smoothed
from reverie.core.state cimport *
from reverie.core.seqstate cimport *
from reverie.core.seq cimport *

cnp.import_array()

# PortAudio's callback flags and return value (portaudio.h).
cdef enum:
    PA_INPUT_UNDERFLOW = 0x01
    PA_INPUT_OVERFLOW = 0x02
    PA_OUTPUT_UNDERFLOW = 0x04
    PA_OUTPUT_OVERFLOW = 0x08
    PA_CONTINUE = 0

ctypedef struct PaStreamCallbackTimeInfo:
    double inputBufferAdcTime
    double currentTime
    double outputBufferDacTime

cdef inline uint64_t now_ns() noexcept nogil:
    cdef timespec ts
    clock_gettime(CLOCK_MONOTONIC, &ts)
    return <uint64_t>ts.tv_sec * 1000000000ULL + <uint64_t>ts.tv_nsec

# --- commands ------------------------------------------------------------------------------

cdef inline double clampd(double x, double lo, double hi) noexcept nogil:
    return lo if x < lo else (hi if x > hi else x)

cdef inline void retire(EngineState *st, int32_t token) noexcept nogil:
    if token == 0:
        return
    if st.n_retired < MAX_RETIRED:
        st.retired[st.n_retired] = token
        st.n_retired += 1
        return
    # No room to wait: stop the voices that read the oldest retired buffer, then reuse its place.
    cdef int k
    for k in range(VOICE_SLOTS):
        if st.voices[k].active and st.voices[k].token == st.retired[0]:
            voice_free(st, &st.voices[k])
    tel_push(st, TEL_SAMPLE_RELEASED, st.retired[0])
    st.retired[0] = token

# Tells the control side which replaced buffers no voice reads any more.
cdef inline void release_retired(EngineState *st) noexcept nogil:
    cdef int i = 0, k, used
    while i < st.n_retired:
        used = 0
        for k in range(VOICE_SLOTS):
            if st.voices[k].active and st.voices[k].token == st.retired[i]:
                used = 1
                break
        if used:
            i += 1
            continue
        tel_push(st, TEL_SAMPLE_RELEASED, st.retired[i])
        st.n_retired -= 1
        st.retired[i] = st.retired[st.n_retired]

cdef void apply_command(EngineState *st, Command *c) noexcept nogil:
    cdef int k
    cdef SampleSlot *s
    cdef Track *t
    st.stats.commands += 1
    if c.kind == CMD_NOTE_ON:
        if 0 <= c.track < MAX_TRACKS:
            note_on(st, c.track, c.a, <float>c.value)
    elif c.kind == CMD_NOTE_OFF:
        if 0 <= c.track < MAX_TRACKS:
            note_off(st, c.track, c.a)
    elif c.kind == CMD_TRACK_PARAM:
        if 0 <= c.track < MAX_TRACKS and 0 <= c.a < N_TRACK_PARAMS:
            t = &st.tracks[c.track]
            t.base[c.a] = param_internal(c.a, c.value)
            # A parameter locked by the playing trig keeps its lock; the new base value
            # returns with the next trig.
            if not st.seq.tracks[c.track].locked & (1u << c.a):
                t.target[c.a] = t.base[c.a]
                # Discrete parameters (sample, modes, points, times) take effect at once, so
                # a note posted right after them at the same frame already uses them.
                if not reverie_smoothed[c.a]:
                    t.value[c.a] = t.target[c.a]
    elif c.kind == CMD_BUS_PARAM:
        if 0 <= c.track < MAX_TRACKS and 0 <= c.a < N_BUS_PARAMS:
            t = &st.tracks[c.track]
            t.bus_base[c.a] = <float>c.value
            if not st.seq.tracks[c.track].bus_locked & (1u << c.a):
                t.bus_target[c.a] = <float>c.value
    elif c.kind == CMD_MASTER_PARAM:
        if 0 <= c.a < N_MASTER_PARAMS:
            st.master_target[c.a] = <float>c.value
            master_design(st)
    elif c.kind == CMD_SAMPLE_SET:
        if 0 <= c.a < MAX_SAMPLES:
            s = &st.samples[c.a]
            retire(st, s.token)
            s.data = c.data
            s.frames = c.frames
            s.loop_start = c.loop_start
            s.loop_end = c.loop_end
            s.token = c.b
        else:
            tel_push(st, TEL_SAMPLE_RELEASED, c.b)
    elif c.kind == CMD_ALL_OFF:
        for k in range(VOICE_SLOTS):
            if st.voices[k].active and st.voices[k].counted:
                voice_fade(st, &st.voices[k])
    elif c.kind == CMD_PANIC:
        for k in range(VOICE_SLOTS):
            if st.voices[k].active:
                voice_free(st, &st.voices[k])
    else:
        apply_seq_command(st, c)

cdef void apply_seq_command(EngineState *st, Command *c) noexcept nogil:
    cdef Seq *q = &st.seq
    cdef int k
    cdef int64_t millibpm
    if c.kind == CMD_SEQ_PATTERN:
        if 0 <= c.a < PATTERN_SLOTS:
            if q.tokens[c.a]:
                tel_push(st, TEL_PATTERN_RELEASED, q.tokens[c.a])
            q.patterns[c.a] = <const SeqPattern *>c.data
            q.tokens[c.a] = c.b
        elif c.b:
            tel_push(st, TEL_PATTERN_RELEASED, c.b)
    elif c.kind == CMD_SEQ_ROWS:
        k = <int>c.frames
        k = 0 if k < 0 else (MAX_ROWS if k > MAX_ROWS else k)
        if k > 0:
            memcpy(q.rows, c.data, k * sizeof(SeqRow))
        q.n_rows = k
        q.row_loop = c.a
        if q.row >= q.n_rows:
            q.row = 0
        tel_push(st, TEL_PATTERN_RELEASED, c.b)
    elif c.kind == CMD_SEQ_PLAY:
        seq_play(st, c.a, c.b)
    elif c.kind == CMD_SEQ_STOP:
        seq_stop_now(st)
    elif c.kind == CMD_SEQ_CONTINUE:
        seq_continue(st)
    elif c.kind == CMD_SEQ_TEMPO:
        millibpm = llround(clampd(c.value, TEMPO_MIN_BPM, TEMPO_MAX_BPM) * 1000.0)
        if q.playing:
            seq_tempo_at(st, seq_tick_from(q, st.frame), millibpm)
        else:
            q.millibpm = millibpm
            q.D = millibpm * TICKS_PER_BEAT
            st.master_target[M_TEMPO] = <float>(<double>millibpm * 0.001)
            master_design(st)
    elif c.kind == CMD_SEQ_LOCATE:
        if q.playing:
            seq_locate(st, c.frames, 0)
        else:
            q.stop_tick = c.frames
    elif c.kind == CMD_SEQ_QUEUE:
        if 0 <= c.a < PATTERN_SLOTS:
            if c.b:
                seq_switch_now(st, c.a)
            else:
                q.queued = c.a
    elif c.kind == CMD_SEQ_FILL:
        q.fill = c.a != 0
    elif c.kind == CMD_SEQ_MUTE:
        if 0 <= c.track < MAX_TRACKS:
            q.tracks[c.track].muted = c.a != 0
    elif c.kind == CMD_SEQ_SEED:
        q.seed = <uint32_t>c.frames
    elif c.kind == CMD_SEQ_TRACK:
        if 0 <= c.track < MAX_TRACKS:
            track_end_notes(st, c.track)
            q.tracks[c.track].kind = KIND_MIDI if c.a == KIND_MIDI else KIND_AUDIO
            q.tracks[c.track].channel = c.b & 15
            q.tracks[c.track].port = <int32_t>c.frames
    elif c.kind == CMD_SEQ_METRONOME:
        q.metronome = c.a != 0
        q.click_gain = db_to_gain(clampf(<float>c.value, -60.0, 0.0))
    elif c.kind == CMD_SEQ_CLOCK_OUT:
        if c.a and not q.clock_out and q.playing and q.midi_start_tick == REVERIE_NEVER:
            q.next_clock = rv_ceildiv(seq_tick_from(q, st.frame), CLOCK_TICKS) * CLOCK_TICKS
        q.clock_out = c.a != 0

# Applies every command due at the current frame. Returns the frame of the next pending
# command, or -1 if the ring is empty.
cdef inline int64_t drain_commands(EngineState *st) noexcept nogil:
    cdef Command *c
    while True:
        c = <Command *>spsc_peek(&st.commands)
        if c == NULL:
            return -1
        if c.frame > st.frame:
            return c.frame
        apply_command(st, c)
        spsc_pop(&st.commands)

# --- rendering -----------------------------------------------------------------------------

cdef void control_tick(EngineState *st) noexcept nogil:
    cdef int k, any_solo = 0
    cdef Voice *v
    cdef float sr = <float>st.sample_rate
    for k in range(MAX_TRACKS):
        if st.tracks[k].bus_target[B_SOLO] > 0.5:
            any_solo = 1
    for k in range(MAX_TRACKS):
        track_tick(st, &st.tracks[k], any_solo)
        st.tracks[k].peak = st.tracks[k].peak * 0.995
    master_tick(st)
    for k in range(VOICE_SLOTS):
        v = &st.voices[k]
        if v.active:
            voice_filter_env(v, sr)
            voice_control(v, &st.tracks[v.track], sr, 1)

cdef void render_chunk(EngineState *st, float *out, int n) noexcept nogil:
    cdef int k, j
    cdef Voice *v
    cdef Track *t
    cdef int offset = <int>(st.frame - (st.next_tick - CONTROL_FRAMES))
    for k in range(MAX_TRACKS):
        t = &st.tracks[k]
        t.busy = t.voices > 0
        if t.busy:
            for j in range(n):
                st.tbuf[k][0][j] = 0.0
                st.tbuf[k][1][j] = 0.0
    for k in range(VOICE_SLOTS):
        v = &st.voices[k]
        if v.active:
            if not voice_render(v, &st.tbuf[v.track][0][0], &st.tbuf[v.track][1][0], n):
                voice_free(st, v)
    seq_render_click(&st.seq, n)
    if not mix_chunk(st, out, offset, n):
        st.stats.faults += 1
        reset_effects(st)

cdef void reset_effects(EngineState *st) noexcept nogil:
    cdef int k
    cdef int64_t total
    for k in range(VOICE_SLOTS):
        if st.voices[k].active:
            voice_free(st, &st.voices[k])
    memset(st.delay.buf, 0, sizeof(float) * 2 * (st.delay.mask + 1))
    st.delay.lp_l = 0.0
    st.delay.lp_r = 0.0
    total = st.reverb.off[REVERB_LINES + REVERB_AP - 1] + st.reverb.length[REVERB_LINES + REVERB_AP - 1]
    memset(st.reverb.buf, 0, sizeof(float) * total)
    for k in range(REVERB_LINES):
        st.reverb.lp[k] = 0.0
    st.comp.reduction_db = 0.0
    limiter_reset(&st.limiter)

# Renders `frames` frames of interleaved stereo float32 into `out`.
cdef void engine_render(EngineState *st, float *out, int64_t frames) noexcept nogil:
    cdef int64_t done = 0, nxt, sq
    cdef int64_t n
    cdef int k
    while done < frames:
        nxt = drain_commands(st)
        sq = seq_run(st)
        if sq > st.frame and (nxt < 0 or sq < nxt):
            nxt = sq
        if st.frame == st.next_tick:
            control_tick(st)
            st.next_tick += CONTROL_FRAMES
        n = st.next_tick - st.frame
        if frames - done < n:
            n = frames - done
        if nxt > st.frame and nxt - st.frame < n:
            n = nxt - st.frame
        render_chunk(st, out + 2 * done, <int>n)
        st.frame += n
        done += n
    release_retired(st)
    st.stats.frames = st.frame
    st.stats.voices = st.n_counted

cdef int pa_callback(const void *inp, void *outp, unsigned long frames,
                     const PaStreamCallbackTimeInfo *time_info, unsigned long status,
                     void *user) noexcept nogil:
    cdef EngineState *st = <EngineState *>user
    cdef uint64_t t0 = now_ns()
    cdef uint64_t dt, bin
    if status & (PA_OUTPUT_UNDERFLOW | PA_INPUT_OVERFLOW):
        st.stats.xruns += 1
    atomic_store_u64(&st.anchor_seq, st.anchor_seq + 1)
    st.anchor_frame = st.frame
    st.anchor_ns = t0
    atomic_store_u64(&st.anchor_seq, st.anchor_seq + 1)
    engine_render(st, <float *>outp, <int64_t>frames)
    dt = now_ns() - t0
    bin = dt // 1000
    if bin >= CB_HIST_BINS:
        bin = CB_HIST_BINS - 1
    st.stats.cb_hist[bin] += 1
    st.stats.cb_last_ns = dt
    if dt > st.stats.cb_max_ns:
        st.stats.cb_max_ns = dt
    st.stats.period_ns = <uint64_t>(1.0e9 * frames / st.sample_rate)
    if dt > st.stats.period_ns:
        st.stats.overloads += 1
    atomic_store_u64(&st.stats.callbacks, st.stats.callbacks + 1)
    return PA_CONTINUE

# --- the Python face (control thread) ------------------------------------------------------

cdef int64_t next_pow2(int64_t n):
    cdef int64_t p = 1
    while p < n:
        p <<= 1
    return p

cdef class Engine:
    """The audio engine. Create it, post commands, and either render offline with
    `render()` or hand `callback_address`/`userdata_address` to an audio stream.

    Every method here runs on the control side. Commands travel to the audio thread through
    a lock-free ring; a full ring refuses the command (the method returns False) and counts
    it, it never blocks the audio thread.
    """
    cdef EngineState *st
    cdef char *cmd_buf
    cdef char *tel_buf
    cdef char *midi_buf
    cdef float *delay_buf
    cdef float *reverb_buf
    cdef object _lock
    cdef dict _buffers
    cdef list _unread
    cdef int32_t _next_token
    cdef readonly double sample_rate

    def __cinit__(self, double sample_rate=48000.0, *args, **kwargs):
        if not 8000.0 <= sample_rate <= 192000.0:
            raise ValueError(f"sample rate {sample_rate:g} Hz is outside 8000..192000 Hz")
        self.sample_rate = sample_rate
        self.st = <EngineState *>PyMem_Calloc(1, sizeof(EngineState))
        self.cmd_buf = <char *>PyMem_Calloc(COMMAND_RING, sizeof(Command))
        self.tel_buf = <char *>PyMem_Calloc(TELEMETRY_RING, sizeof(Telemetry))
        self.midi_buf = <char *>PyMem_Calloc(MIDI_RING, sizeof(MidiEvent))
        if self.st == NULL or self.cmd_buf == NULL or self.tel_buf == NULL or self.midi_buf == NULL:
            raise MemoryError("no memory for the engine state")
        if sample_rate != <double>llround(sample_rate):
            raise ValueError(f"the sample rate must be a whole number of Hz, not {sample_rate:g}")
        cdef EngineState *st = self.st
        st.sample_rate = sample_rate
        spsc_init(&st.commands, self.cmd_buf, COMMAND_RING, sizeof(Command))
        spsc_init(&st.telemetry, self.tel_buf, TELEMETRY_RING, sizeof(Telemetry))
        spsc_init(&st.midi, self.midi_buf, MIDI_RING, sizeof(MidiEvent))
        cdef Seq *q = &st.seq
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
        cdef int kk
        for kk in range(MAX_TRACKS):
            q.tracks[kk].port = ALL_PORTS
            q.tracks[kk].next = REVERIE_NEVER
            q.tracks[kk].next_scan = REVERIE_NEVER
        st.ctl_smooth = smooth_coef(10.0, <float>sample_rate, CONTROL_FRAMES)
        # delay: a power-of-two ring of DELAY_MAX_SECONDS
        cdef int64_t dframes = next_pow2(<int64_t>(DELAY_MAX_SECONDS * sample_rate))
        self.delay_buf = <float *>PyMem_Calloc(2 * dframes, sizeof(float))
        st.delay.buf = self.delay_buf
        st.delay.mask = dframes - 1
        st.delay.smooth = smooth_coef(50.0, <float>sample_rate, 1)
        st.delay.damp = 0.5
        # reverb: eight lines and four diffusers in one buffer
        cdef int k
        cdef int32_t off = 0
        for k in range(REVERB_LINES + REVERB_AP):
            st.reverb.off[k] = off
            st.reverb.length[k] = <int32_t>(reverie_reverb_ms[k] * 0.001 * sample_rate) + 1
            off += st.reverb.length[k]
        self.reverb_buf = <float *>PyMem_Calloc(off, sizeof(float))
        st.reverb.buf = self.reverb_buf
        if self.delay_buf == NULL or self.reverb_buf == NULL:
            raise MemoryError("no memory for the effect buffers")
        st.comp.knee_db = 6.0
        st.limiter.length = <int32_t>(0.0015 * sample_rate + 0.5)
        if st.limiter.length < 1:
            st.limiter.length = 1
        st.limiter.release_coef = smooth_coef(80.0, <float>sample_rate, 1)
        limiter_reset(&st.limiter)

    def __init__(self, double sample_rate=48000.0, track_defaults=None, bus_defaults=None,
                 master_defaults=None):
        """Defaults are sequences of (parameter id, value); they apply at once, with no glide."""
        self._lock = threading.Lock()
        self._buffers = {}
        self._unread = []
        self._next_token = 1
        cdef EngineState *st = self.st
        cdef int k
        for k in range(MAX_TRACKS):
            for p, value in track_defaults or ():
                st.tracks[k].base[p] = param_internal(p, value)
                st.tracks[k].target[p] = st.tracks[k].base[p]
                st.tracks[k].value[p] = st.tracks[k].base[p]
            for p, value in bus_defaults or ():
                st.tracks[k].bus_base[p] = value
                st.tracks[k].bus_target[p] = value
                st.tracks[k].bus_value[p] = value
        for p, value in master_defaults or ():
            st.master_target[p] = value
            st.master_value[p] = value
        st.mgain = db_to_gain(st.master_value[M_VOLUME])
        master_design(st)
        st.delay.time = st.delay.target

    def __dealloc__(self):
        PyMem_Free(self.delay_buf)
        PyMem_Free(self.reverb_buf)
        PyMem_Free(self.cmd_buf)
        PyMem_Free(self.tel_buf)
        PyMem_Free(self.midi_buf)
        PyMem_Free(self.st)

    cdef bint _post(self, Command *c):
        with self._lock:
            return spsc_push(&self.st.commands, c)

    cdef bint _simple(self, int kind, int track, int a, double value, int64_t frame):
        return self._command(kind, track, a, 0, value, 0, frame)

    cdef bint _command(self, int kind, int track, int a, int b, double value, int64_t n, int64_t frame):
        cdef Command c
        memset(&c, 0, sizeof(Command))
        c.kind = kind
        c.track = track
        c.a = a
        c.b = b
        c.value = value
        c.frames = n
        c.frame = frame
        return self._post(&c)

    def note_on(self, int track, int note, double velocity=100.0, int64_t frame=-1):
        return self._simple(CMD_NOTE_ON, track, note, velocity, frame)

    def note_off(self, int track, int note, int64_t frame=-1):
        return self._simple(CMD_NOTE_OFF, track, note, 0.0, frame)

    def set_param(self, int track, int param, double value, int64_t frame=-1):
        return self._simple(CMD_TRACK_PARAM, track, param, value, frame)

    def set_bus(self, int track, int param, double value, int64_t frame=-1):
        return self._simple(CMD_BUS_PARAM, track, param, value, frame)

    def set_master(self, int param, double value, int64_t frame=-1):
        return self._simple(CMD_MASTER_PARAM, 0, param, value, frame)

    def all_notes_off(self, int64_t frame=-1):
        return self._simple(CMD_ALL_OFF, 0, 0, 0.0, frame)

    def panic(self, int64_t frame=-1):
        return self._simple(CMD_PANIC, 0, 0, 0.0, frame)

    def set_sample(self, int slot, data, int64_t loop_start=-1, int64_t loop_end=-1,
                   int64_t frame=-1):
        """Puts a (frames, 2) float32 buffer in a sample slot. The engine reads the buffer in
        place; it is kept alive here until the engine reports that no voice reads it."""
        if not 0 <= slot < MAX_SAMPLES:
            raise ValueError(f"sample slot {slot} is outside 0..{MAX_SAMPLES - 1}")
        arr = np.ascontiguousarray(data, dtype=np.float32)
        if arr.ndim != 2 or arr.shape[1] != 2 or arr.shape[0] < 1:
            raise ValueError("a sample buffer must be (frames, 2) with at least one frame")
        cdef float[:, ::1] view = arr
        cdef Command c
        memset(&c, 0, sizeof(Command))
        c.kind = CMD_SAMPLE_SET
        c.a = slot
        c.b = self._next_token
        c.data = &view[0, 0]
        c.frames = arr.shape[0]
        c.loop_start = loop_start
        c.loop_end = loop_end
        c.frame = frame
        self._buffers[c.b] = arr
        self._next_token += 1
        if not self._post(&c):
            del self._buffers[c.b]
            return False
        return True

    # --- the sequencer (docs/sequencer.md) ------------------------------------------------

    cdef bint _post_buffer(self, int kind, int a, int b, arr, int64_t count, int64_t frame):
        cdef const unsigned char[::1] view = arr
        cdef Command c
        memset(&c, 0, sizeof(Command))
        c.kind = kind
        c.a = a
        c.b = self._next_token
        c.data = <const float *>&view[0]
        c.frames = count
        c.frame = frame
        self._buffers[c.b] = arr
        self._next_token += 1
        if not self._post(&c):
            del self._buffers[c.b]
            return False
        return True

    def seq_set_pattern(self, int slot, buf, int64_t frame=-1):
        """Puts a compiled pattern (reverie.seq.compile) in a slot, replacing what was there;
        the playing pattern can be replaced while it plays."""
        if not 0 <= slot < PATTERN_SLOTS:
            raise ValueError(f"pattern slot {slot} is outside 0..{PATTERN_SLOTS - 1}")
        arr = np.ascontiguousarray(buf).view(np.uint8).reshape(-1)
        if arr.nbytes < sizeof(SeqPattern):
            raise ValueError(f"a compiled pattern has at least {sizeof(SeqPattern)} bytes, not {arr.nbytes}")
        cdef const SeqPattern *p = <const SeqPattern *><size_t>arr.ctypes.data
        if p.n_locks < 0 or arr.nbytes < sizeof(SeqPattern) + p.n_locks * sizeof(SeqLock):
            raise ValueError("the compiled pattern is shorter than its lock table")
        return self._post_buffer(CMD_SEQ_PATTERN, slot, 0, arr, arr.nbytes, frame)

    def seq_arrangement(self, rows, bint loop=False, int64_t frame=-1):
        """A chain or song: rows of (slot, repeats, mute mask, tempo in BPM or 0)."""
        rows = list(rows)
        if len(rows) > MAX_ROWS:
            raise ValueError(f"an arrangement has at most {MAX_ROWS} rows, not {len(rows)}")
        arr = np.zeros((max(1, len(rows)), 4), dtype=np.int32)
        for i, (slot, repeats, mutes, bpm) in enumerate(rows):
            if not 0 <= slot < PATTERN_SLOTS:
                raise ValueError(f"row {i}: pattern slot {slot} is outside 0..{PATTERN_SLOTS - 1}")
            arr[i] = (slot, max(1, int(repeats)), int(mutes),
                      int(round(min(<double>TEMPO_MAX_BPM, max(<double>TEMPO_MIN_BPM, bpm)) * 1000)) if bpm else 0)
        return self._post_buffer(CMD_SEQ_ROWS, int(loop), 0, arr.view(np.uint8).reshape(-1), len(rows), frame)

    def seq_play(self, int slot=0, int64_t frame=-1, int count_in_bars=0):
        """Starts slot `slot` (or, with slot -1, the arrangement's first row) from its start."""
        return self._command(CMD_SEQ_PLAY, 0, slot, count_in_bars, 0.0, 0, frame)

    def seq_stop(self, int64_t frame=-1):
        return self._simple(CMD_SEQ_STOP, 0, 0, 0.0, frame)

    def seq_continue(self, int64_t frame=-1):
        return self._simple(CMD_SEQ_CONTINUE, 0, 0, 0.0, frame)

    def seq_tempo(self, double bpm, int64_t frame=-1):
        if not TEMPO_MIN_BPM <= bpm <= TEMPO_MAX_BPM:
            raise ValueError(f"tempo {bpm:g} BPM is outside {TEMPO_MIN_BPM}..{TEMPO_MAX_BPM}")
        return self._simple(CMD_SEQ_TEMPO, 0, 0, bpm, frame)

    def seq_locate(self, int64_t tick, int64_t frame=-1):
        return self._command(CMD_SEQ_LOCATE, 0, 0, 0, 0.0, tick, frame)

    def seq_queue(self, int slot, bint immediate=False, int64_t frame=-1):
        if not 0 <= slot < PATTERN_SLOTS:
            raise ValueError(f"pattern slot {slot} is outside 0..{PATTERN_SLOTS - 1}")
        return self._command(CMD_SEQ_QUEUE, 0, slot, immediate, 0.0, 0, frame)

    def seq_fill(self, bint on, int64_t frame=-1):
        return self._simple(CMD_SEQ_FILL, 0, on, 0.0, frame)

    def seq_mute(self, int track, bint on, int64_t frame=-1):
        return self._simple(CMD_SEQ_MUTE, track, on, 0.0, frame)

    def seq_seed(self, uint32_t seed, int64_t frame=-1):
        return self._command(CMD_SEQ_SEED, 0, 0, 0, 0.0, seed, frame)

    def seq_track(self, int track, int kind, int channel=0, int port=ALL_PORTS, int64_t frame=-1):
        return self._command(CMD_SEQ_TRACK, track, kind, channel, 0.0, port, frame)

    def seq_metronome(self, bint on, double level_db=-12.0, int64_t frame=-1):
        return self._simple(CMD_SEQ_METRONOME, 0, on, level_db, frame)

    def seq_clock_out(self, bint on, int64_t frame=-1):
        return self._simple(CMD_SEQ_CLOCK_OUT, 0, on, 0.0, frame)

    cdef _anchor(self):
        cdef Seq *q = &self.st.seq
        cdef uint64_t v
        while True:
            v = atomic_load_u64(&q.anchor_version)
            if v & 1:
                continue
            tick, frame, rem, K, D = q.tick, q.frame, q.rem, q.K, q.D
            if atomic_load_u64(&q.anchor_version) == v:
                return tick, frame, rem, K, D

    def tick_at(self, int64_t frame):
        """The sequencer tick at `frame` (the last tick at or before it), by the mapping in force."""
        tick, f0, rem, K, D = self._anchor()
        return tick + ((frame - f0) * D - rem) // K

    def frame_at(self, int64_t tick):
        """The frame on which `tick` sounds, by the mapping in force."""
        t0, frame, rem, K, D = self._anchor()
        return frame - ((-(rem + (tick - t0) * K)) // D)

    def seq_state(self):
        """What the sequencer is doing (read without locking: for display)."""
        cdef Seq *q = &self.st.seq
        return {
            "playing": bool(q.playing),
            "tempo_bpm": q.millibpm / 1000.0,
            "pattern": q.slot,
            "pass_start": q.pass_start,
            "pass_end": q.pass_end,
            "row": q.row,
            "repeat": q.repeat,
            "arranging": bool(q.arranging),
            "queued": q.queued,
            "fill": bool(q.fill),
            "steps": [q.tracks[k].step_now for k in range(MAX_TRACKS)],
            "loops": [q.tracks[k].loop for k in range(MAX_TRACKS)],
            "late": q.late,
            "midi_dropped": q.midi_dropped,
        }

    def poll_midi(self):
        """The MIDI messages the sequencer made since the last call: (frame, port, bytes)."""
        cdef MidiEvent *e
        out = []
        while True:
            e = <MidiEvent *>spsc_peek(&self.st.midi)
            if e == NULL:
                break
            out.append((e.frame, e.port, bytes(e.data[:e.size])))
            spsc_pop(&self.st.midi)
        return out

    def clock_anchor(self):
        """(first frame of the last audio callback's block, monotonic ns at its start)."""
        cdef uint64_t v
        while True:
            v = atomic_load_u64(&self.st.anchor_seq)
            if v & 1:
                continue
            frame, ns = self.st.anchor_frame, self.st.anchor_ns
            if atomic_load_u64(&self.st.anchor_seq) == v:
                return frame, ns

    def render(self, out):
        """Renders len(out) frames into a C-contiguous (frames, 2) float32 array."""
        cdef float[:, ::1] view = out
        if view.shape[1] != 2:
            raise ValueError("render() needs a (frames, 2) float32 array")
        if view.shape[0] == 0:
            return out
        with nogil:
            engine_render(self.st, &view[0, 0], view.shape[0])
        if spsc_count(&self.st.telemetry):
            self._unread.extend(self._drain())
            if len(self._unread) > TELEMETRY_RING:
                del self._unread[:len(self._unread) - TELEMETRY_RING]
        return out

    def poll(self):
        """Drains the telemetry ring: frees released sample buffers; returns the messages
        (kind, a, frame), those read during render() first (the newest TELEMETRY_RING)."""
        events = self._unread + self._drain()
        self._unread = []
        return events

    cdef list _drain(self):
        cdef Telemetry *m
        events = []
        while True:
            m = <Telemetry *>spsc_peek(&self.st.telemetry)
            if m == NULL:
                break
            if m.kind == TEL_SAMPLE_RELEASED or m.kind == TEL_PATTERN_RELEASED:
                self._buffers.pop(m.a, None)
            events.append((m.kind, m.a, m.frame))
            spsc_pop(&self.st.telemetry)
        return events

    @property
    def frame(self):
        return self.st.frame

    @property
    def buffers_held(self):
        return len(self._buffers)

    @property
    def callback_address(self):
        """Address of the C PortAudio stream callback (PaStreamCallback)."""
        return <size_t>&pa_callback

    @property
    def userdata_address(self):
        """The `userData` pointer to pass along with `callback_address`."""
        return <size_t>self.st

    def stats(self):
        cdef Stats *s = &self.st.stats
        return {
            "frames": atomic_load_u64(&s.frames),
            "callbacks": atomic_load_u64(&s.callbacks),
            "xruns": atomic_load_u64(&s.xruns),
            "overloads": atomic_load_u64(&s.overloads),
            "faults": atomic_load_u64(&s.faults),
            "commands": atomic_load_u64(&s.commands),
            "commands_dropped": spsc_dropped(&self.st.commands),
            "commands_pending": spsc_count(&self.st.commands),
            "telemetry_dropped": atomic_load_u64(&s.telemetry_dropped),
            "steals": atomic_load_u64(&s.steals),
            "hard_steals": atomic_load_u64(&s.hard_steals),
            "silent_trigs": atomic_load_u64(&s.silent_trigs),
            "limiter_overshoots": atomic_load_u64(&s.limiter_overshoots),
            "voices": atomic_load_u64(&s.voices),
            "callback_max_ns": atomic_load_u64(&s.cb_max_ns),
            "callback_last_ns": atomic_load_u64(&s.cb_last_ns),
            "period_ns": atomic_load_u64(&s.period_ns),
            "peak_l": atomic_load_f32(&s.peak_l),
            "peak_r": atomic_load_f32(&s.peak_r),
            "limiter_gain": atomic_load_f32(&s.reduction),
        }

    def callback_histogram(self):
        """Callback run times: counts per 1 microsecond bin (the last bin holds the rest)."""
        cdef Stats *s = &self.st.stats
        return np.array([atomic_load_u64(&s.cb_hist[k]) for k in range(CB_HIST_BINS)],
                        dtype=np.uint64)

    def track_peak(self, int track):
        return self.st.tracks[track].peak


def hold_gil(double seconds):
    """Spins for `seconds` without ever releasing the GIL (a test and bench tool)."""
    cdef uint64_t end = now_ns() + <uint64_t>(seconds * 1e9)
    cdef uint64_t spins = 0
    while now_ns() < end:
        spins += 1
    return spins


def seq_layout():
    """numpy dtypes of the compiled pattern structs, from the C structs' own offsets, so the
    layout is defined once (seqstate.pxd)."""
    cdef SeqStep s
    cdef SeqLock l
    cdef SeqTrackPat t
    cdef SeqPattern p
    cdef size_t bs = <size_t>&s, bl = <size_t>&l, bt = <size_t>&t, bp = <size_t>&p
    step = np.dtype({
        "names": ["trig", "n_notes", "notes", "velocity", "prob", "cond", "cond_a", "cond_b",
                  "retrig_rate", "micro", "length", "retrig_len", "retrig_vel", "first_lock", "n_locks"],
        "formats": ["u1", "u1", ("u1", STEP_NOTES), "u1", "u1", "u1", "u1", "u1", "u1", "i2", "u2",
                    "u2", "i2", "u2", "u2"],
        "offsets": [<size_t>&s.trig - bs, <size_t>&s.n_notes - bs, <size_t>&s.notes - bs,
                    <size_t>&s.velocity - bs, <size_t>&s.prob - bs, <size_t>&s.cond - bs,
                    <size_t>&s.cond_a - bs, <size_t>&s.cond_b - bs, <size_t>&s.retrig_rate - bs,
                    <size_t>&s.micro - bs, <size_t>&s.length - bs, <size_t>&s.retrig_len - bs,
                    <size_t>&s.retrig_vel - bs, <size_t>&s.first_lock - bs, <size_t>&s.n_locks - bs],
        "itemsize": sizeof(SeqStep)})
    lock = np.dtype({"names": ["target", "value"], "formats": ["i4", "f4"],
                     "offsets": [<size_t>&l.target - bl, <size_t>&l.value - bl],
                     "itemsize": sizeof(SeqLock)})
    track = np.dtype({"names": ["length", "speed", "steps"],
                      "formats": ["i4", "i4", (step, MAX_STEPS)],
                      "offsets": [<size_t>&t.length - bt, <size_t>&t.speed - bt, <size_t>&t.steps - bt],
                      "itemsize": sizeof(SeqTrackPat)})
    pattern = np.dtype({"names": ["length", "swing", "n_locks", "tracks"],
                        "formats": ["i4", "i4", "i4", (track, MAX_TRACKS)],
                        "offsets": [<size_t>&p.length - bp, <size_t>&p.swing - bp,
                                    <size_t>&p.n_locks - bp, <size_t>&p.tracks - bp],
                        "itemsize": sizeof(SeqPattern)})
    return {"step": step, "lock": lock, "track": track, "pattern": pattern}
