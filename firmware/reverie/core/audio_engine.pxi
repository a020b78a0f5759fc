# AudioEngine: the engine's state and sound, its rendering and telemetry, and the live
# callback with its statistics. Included in engine.pyx, whose cimports it uses; Engine there
# adds the sequencer.

cdef inline Command new_command(int kind, int64_t frame) noexcept:
    cdef Command c
    memset(&c, 0, sizeof(Command))
    c.kind = kind
    c.frame = frame
    return c


cdef class AudioEngine:
    """The audio engine without its sequencer (Engine, in engine.pyx, adds it): the state,
    notes, parameters and samples, rendering, telemetry, and the live callback with its
    statistics.

    Every method here runs on the control side. Commands travel to the audio thread through
    a lock-free ring; a full ring refuses the command (the method returns False) and counts
    it, it never blocks the audio thread.
    """
    cdef EngineState *st
    cdef object _lock
    cdef dict _buffers              # token -> the array the engine reads, until released
    cdef list _unread
    cdef int32_t _next_token
    cdef object _capture            # the capture ring's buffer, once handed in
    cdef readonly double sample_rate
    cdef readonly list programs     # per track: the program last set (None: the engine's own)

    def __cinit__(self, double sample_rate=48000.0, *args, **kwargs):
        if not 8000.0 <= sample_rate <= 192000.0:
            raise ValueError(f"sample rate {sample_rate:g} Hz is outside 8000..192000 Hz")
        if sample_rate != <double>llround(sample_rate):
            raise ValueError(f"the sample rate must be a whole number of Hz, not {sample_rate:g}")
        self.sample_rate = sample_rate
        self.st = state_new(sample_rate)
        if self.st == NULL:
            raise MemoryError("no memory for the engine state")

    def __init__(self, double sample_rate=48000.0, track_defaults=None, bus_defaults=None,
                 master_defaults=None):
        """Defaults are sequences of (parameter id, value); they apply at once, with no glide."""
        self._lock = threading.Lock()
        self._buffers = {}
        self._unread = []
        self._next_token = 1
        self.programs = [None] * MAX_TRACKS
        cdef EngineState *st = self.st
        cdef int k
        for k in range(MAX_TRACKS):
            for p, value in track_defaults or ():
                st.tracks[k].base[p] = param_internal(st.tracks[k].prog, p, value)
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
        state_free(self.st)

    # --- posting commands ----------------------------------------------------------------

    cdef bint _post(self, Command *c) except -1:
        """Posts a command; False when the ring is full. A frame further than
        COMMAND_AHEAD_S ahead of the engine is a ValueError: the engine holds commands due
        later in a small pending set (apply_commands.pxd), so far-future stamps are a bug."""
        cdef int64_t now = self.st.frame
        if c.frame > now + <int64_t>(COMMAND_AHEAD_S * self.sample_rate):
            raise ValueError(f"a command stamped for frame {c.frame} is "
                             f"{(c.frame - now) / self.sample_rate:.1f} s ahead of the engine "
                             f"(frame {now}); commands may be at most {COMMAND_AHEAD_S} s ahead")
        with self._lock:
            return spsc_push(&self.st.commands, c)

    cdef int32_t _hold(self, arr):
        """Keeps `arr` alive under a new token until the engine releases it."""
        cdef int32_t token = self._next_token
        self._buffers[token] = arr
        self._next_token += 1
        return token

    cdef bint _post_holding(self, Command *c, int32_t token) except -1:
        """Posts a command that hands in the buffer held as `token`; lets it go if refused."""
        try:
            if self._post(c):
                return True
        except ValueError:
            del self._buffers[token]
            raise
        del self._buffers[token]
        return False

    cdef bint _note(self, int kind, int track, int note, double velocity, int64_t frame) except -1:
        cdef Command c = new_command(kind, frame)
        c.args.note.track = track
        c.args.note.note = note
        c.args.note.velocity = velocity
        return self._post(&c)

    cdef bint _param(self, int kind, int track, int param, double value, int64_t frame) except -1:
        cdef Command c = new_command(kind, frame)
        c.args.param.track = track
        c.args.param.param = param
        c.args.param.value = value
        return self._post(&c)

    cdef bint _signal(self, int kind, int64_t frame) except -1:
        cdef Command c = new_command(kind, frame)
        return self._post(&c)

    # --- sound ---------------------------------------------------------------------------

    def note_on(self, int track, int note, double velocity=100.0, int64_t frame=-1):
        return self._note(CMD_NOTE_ON, track, note, velocity, frame)

    def note_off(self, int track, int note, int64_t frame=-1):
        return self._note(CMD_NOTE_OFF, track, note, 0.0, frame)

    def set_param(self, int track, int param, double value, int64_t frame=-1):
        return self._param(CMD_TRACK_PARAM, track, param, value, frame)

    def set_bus(self, int track, int param, double value, int64_t frame=-1):
        return self._param(CMD_BUS_PARAM, track, param, value, frame)

    def set_master(self, int param, double value, int64_t frame=-1):
        return self._param(CMD_MASTER_PARAM, 0, param, value, frame)

    def all_notes_off(self, int64_t frame=-1):
        return self._signal(CMD_ALL_OFF, frame)

    def panic(self, int64_t frame=-1):
        return self._signal(CMD_PANIC, frame)

    def stall_audio(self, double seconds, int64_t frame=-1):
        """A diagnostic: the audio thread hangs for `seconds` (0..30) when it reaches `frame`,
        as a faulty driver would make it. The service watchdog's test uses it."""
        if not 0 <= seconds <= 30:
            raise ValueError(f"stall_audio takes 0..30 s, not {seconds:g}")
        cdef Command c = new_command(CMD_STALL, frame)
        c.args.stall_ns = <int64_t>(seconds * 1e9)
        return self._post(&c)

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
        cdef Command c = new_command(CMD_SAMPLE_SET, frame)
        c.args.sample.slot = slot
        c.args.sample.data = &view[0, 0]
        c.args.sample.frames = arr.shape[0]
        c.args.sample.loop_start = loop_start
        c.args.sample.loop_end = loop_end
        c.args.sample.token = self._hold(arr)
        return self._post_holding(&c, c.args.sample.token)

    def set_program(self, int track, program, int64_t frame=-1):
        cdef unsigned char[::1] view
        """Gives a track its instrument: a program packed by pack_program (None: the engine's
        own sampler). The track's voices fade out; the engine reads the program in place, kept
        alive here until it reports that no voice runs it."""
        if not 0 <= track < MAX_TRACKS:
            raise ValueError(f"track {track} is outside 0..{MAX_TRACKS - 1}")
        cdef Command c = new_command(CMD_PROGRAM_SET, frame)
        c.args.program.track = track
        if program is None:
            ok = self._post(&c)
        else:
            arr = np.ascontiguousarray(program, dtype=np.uint8)
            if arr.ndim != 1 or arr.shape[0] != sizeof(Program):
                multi_check(arr)    # a multisample program carries its zones after it (multi.pxi)
            view = arr
            c.args.program.program = <const Program *>&view[0]
            # the program too: what its ops point into (sound/graph.py Program.keep) lives as long
            c.args.program.token = self._hold((arr, program))
            ok = self._post_holding(&c, c.args.program.token)
        if ok:
            self.programs[track] = program
        return ok

    def set_mod(self, int track, int which, double value, int64_t frame=-1):
        """A track's mod wheel (which 0) or aftertouch (1), 0..1."""
        if not 0 <= track < MAX_TRACKS or which not in (0, 1):
            raise ValueError(f"set_mod takes a track 0..{MAX_TRACKS - 1} and which 0 or 1")
        cdef Command c = new_command(CMD_TRACK_MOD, frame)
        c.args.mod.track = track
        c.args.mod.which = which
        c.args.mod.value = value
        return self._post(&c)

    # --- rendering and telemetry ----------------------------------------------------------

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
    def lookahead_frames(self):
        """Frames every sound leaves the engine after its frame: the master limiter's look-ahead
        (1.5 ms: 71 frames at 48 kHz). A live output adds it to its latency; an offline render
        drops that many frames so that frame 0 of the file is frame 0 of the sequencer."""
        return self.st.limiter.length - 1

    @property
    def buffers_held(self):
        return len(self._buffers)

    # --- capture and listening back (capture_ring.h, capture_apply.pxd) --------------------

    def capture_start(self, double seconds):
        """Hands the engine a ring for the last `seconds` of its output, which the render
        writes after the master limiter from the next block on: what the listener heard.
        Allocated here and written through once, so every page of it is resident before the
        audio thread touches it (no page fault in the callback; locked under mlockall).
        Once per engine; False when the command ring is full (try again)."""
        if self._capture is not None:
            raise ValueError("the capture ring is handed to the engine once")
        if not 0.1 <= seconds <= 3600.0:
            raise ValueError(f"a capture ring of {seconds:g} s is outside 0.1..3600 s")
        arr = np.empty((int(seconds * self.sample_rate), 2), dtype=np.float32)
        arr.fill(0.0)
        cdef float[:, ::1] view = arr
        cdef Command c = new_command(CMD_CAPTURE_SET, -1)
        c.args.sample.data = &view[0, 0]
        c.args.sample.frames = arr.shape[0]
        if not self._post(&c):
            return False
        self._capture = arr
        return True

    @property
    def capture_frames(self):
        """The capture ring's length in frames; 0 before capture_start()."""
        return 0 if self._capture is None else len(self._capture)

    def capture_span(self):
        """(first, end): the engine frames the capture ring holds now, [first, end); frame f
        is the f-th frame the engine rendered (as render() returned it). (0, 0) before the
        ring reaches the engine."""
        cdef int64_t first, end
        with nogil:
            capture_ring_span(&self.st.capture, &first, &end)
        return first, end

    def capture_copy(self, int64_t first, int64_t end):
        """Copies the frames [first, end) the ring still holds (clipped to capture_span())
        while the audio thread goes on writing: (whole, frames), `frames` a (n, 2) float32
        copy of [whole, end'), every frame of it whole. Frames the writer overwrote before
        or during the copy are left out, so `whole` may be later than `first`."""
        span_first, span_end = self.capture_span()
        first, end = max(first, span_first), min(end, span_end)
        if end <= first:
            return max(first, 0), np.zeros((0, 2), dtype=np.float32)
        out = np.empty((end - first, 2), dtype=np.float32)
        cdef float[:, ::1] view = out
        cdef int64_t whole, n = end - first
        with nogil:
            whole = capture_ring_copy(&self.st.capture, &view[0, 0], first, n)
        return whole, out[whole - first:]

    def preview_play(self, data):
        """Plays a (frames, 2) buffer from its start straight into the master (after the
        compressor, through the master volume and the limiter), replacing what the preview
        played; no track, voice or sample slot is used. False when the ring is full."""
        arr = np.ascontiguousarray(data, dtype=np.float32)
        if arr.ndim != 2 or arr.shape[1] != 2 or arr.shape[0] < 1:
            raise ValueError("a preview buffer must be (frames, 2) with at least one frame")
        cdef float[:, ::1] view = arr
        cdef Command c = new_command(CMD_PREVIEW, -1)
        c.args.sample.data = &view[0, 0]
        c.args.sample.frames = arr.shape[0]
        c.args.sample.token = self._hold(arr)
        return self._post_holding(&c, c.args.sample.token)

    def preview_stop(self):
        """Stops the preview with a 5 ms fade. False when the ring is full."""
        cdef Command c = new_command(CMD_PREVIEW, -1)
        return self._post(&c)

    def preview_state(self):
        """(playing, frames played) of the preview, read without locking."""
        return (bool(atomic_load_u64(&self.st.preview.playing)),
                int(atomic_load_u64(&self.st.preview.played)))

    # --- the live callback and its statistics ----------------------------------------------

    @property
    def callback_address(self):
        """Address of the C PortAudio stream callback (PaStreamCallback)."""
        return <size_t>&pa_callback

    @property
    def userdata_address(self):
        """The `userData` pointer to pass along with `callback_address`."""
        return <size_t>self.st

    def clock_anchor(self):
        """(first frame of the last audio callback's block, monotonic ns at its start), read
        whole under the anchor's seqlock (state.pxd, seqlock.h)."""
        cdef int64_t frame
        cdef uint64_t ns
        with nogil:
            anchor_read(self.st, &frame, &ns)
        return frame, ns

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
            "commands_waiting": atomic_load_u64(&s.commands_waiting),
            "commands_held": atomic_load_u64(&s.commands_held),
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
    """Spins for `seconds` without ever releasing the GIL: how tests and `reverie bench
    callback` show that the audio callback runs while Python holds the GIL."""
    cdef uint64_t end = now_ns() + <uint64_t>(seconds * 1e9)
    cdef uint64_t spins = 0
    while now_ns() < end:
        spins += 1
    return spins
