# Applying commands in the audio thread: every command due at the current frame, at the top
# of each chunk that engine_render() renders. Also the life of the sample buffers commands
# hand in: a replaced buffer is retired and reported released once no voice reads it.
from libc.stdint cimport int32_t, int64_t, uint32_t
from libc.string cimport memcpy, memset
from posix.time cimport clock_gettime, timespec, CLOCK_MONOTONIC
from libc.math cimport llround
from reverie.core.defs cimport *
from reverie.core.dsp cimport clampf, db_to_gain
from reverie.core.state cimport *
from reverie.core.seq_state cimport *
from reverie.core.command cimport *
from reverie.core.mixer cimport master_design, param_internal
from reverie.core.seq_track cimport mask_has
from reverie.core.voice_alloc cimport note_on, note_off, voice_fade, voice_free
from reverie.core.seq_time cimport REVERIE_NEVER, rv_ceildiv, seq_tick_from, seq_tempo_at, seq_set_rate
from reverie.core.seq_track cimport track_end_notes
from reverie.core.seq_transport cimport *
from reverie.core.capture_apply cimport capture_set, preview_set

# --- sample buffers ------------------------------------------------------------------------

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
        if st.voices[k].active and (st.voices[k].token == st.retired[0] or st.voices[k].prog_token == st.retired[0]):
            voice_free(st, &st.voices[k])
    tel_push(st, TEL_SAMPLE_RELEASED, st.retired[0])
    st.retired[0] = token

# Tells the control side which replaced buffers no voice reads any more.
cdef inline void release_retired(EngineState *st) noexcept nogil:
    cdef int i = 0, k, used
    while i < st.n_retired:
        used = 0
        for k in range(VOICE_SLOTS):
            if st.voices[k].active and (st.voices[k].token == st.retired[i] or st.voices[k].prog_token == st.retired[i]):
                used = 1
                break
        if used:
            i += 1
            continue
        tel_push(st, TEL_SAMPLE_RELEASED, st.retired[i])
        st.n_retired -= 1
        st.retired[i] = st.retired[st.n_retired]

# --- sound: notes, parameters, samples -----------------------------------------------------

cdef inline void set_track_param(EngineState *st, const ParamArgs *a) noexcept nogil:
    cdef Track *t
    if not (0 <= a.track < MAX_TRACKS and 0 <= a.param < N_TRACK_PARAMS):
        return
    t = &st.tracks[a.track]
    t.base[a.param] = param_internal(t.prog, a.param, a.value)
    # A parameter locked by the playing trig keeps its lock; the new base value returns with
    # the next trig.
    if not mask_has(st.seq.tracks[a.track].locked, a.param):
        t.target[a.param] = t.base[a.param]
        # Discrete parameters (sample, modes, points, times) take effect at once, so a note
        # posted right after them at the same frame already uses them.
        if t.snap or not t.prog.params[a.param].flags & PARAM_SMOOTH:
            t.value[a.param] = t.target[a.param]
            t.epoch += 1

cdef inline void set_bus_param(EngineState *st, const ParamArgs *a) noexcept nogil:
    cdef Track *t
    if not (0 <= a.track < MAX_TRACKS and 0 <= a.param < N_BUS_PARAMS):
        return
    t = &st.tracks[a.track]
    t.bus_base[a.param] = <float>a.value
    if not st.seq.tracks[a.track].bus_locked & (1u << a.param):
        t.bus_target[a.param] = <float>a.value

cdef inline void set_sample(EngineState *st, const SampleArgs *a) noexcept nogil:
    cdef SampleSlot *s
    if not 0 <= a.slot < MAX_SAMPLES:
        tel_push(st, TEL_SAMPLE_RELEASED, a.token)
        return
    s = &st.samples[a.slot]
    retire(st, s.token)
    s.data = a.data
    s.frames = a.frames
    s.loop_start = a.loop_start
    s.loop_end = a.loop_end
    s.token = a.token

# A track's new instrument: its voices fade out (they keep the program they run until then;
# the old program is released once none runs it), the new one plays the next notes.
cdef inline void set_program(EngineState *st, const ProgramArgs *a) noexcept nogil:
    cdef Track *t
    cdef int k
    if not 0 <= a.track < MAX_TRACKS:
        if a.token:
            tel_push(st, TEL_SAMPLE_RELEASED, a.token)
        return
    t = &st.tracks[a.track]
    for k in range(VOICE_SLOTS):
        if st.voices[k].active and st.voices[k].track == a.track:
            voice_fade(st, &st.voices[k])
    retire(st, t.prog_token)
    t.prog = a.program if a.program != NULL else &st.sampler
    t.prog_token = a.token
    t.n_held = 0
    memset(t.rr, 0, sizeof(t.rr))   # a new set's round robins start at their first turn
    t.snap = 1      # its parameters, posted next, start at their values: no glide from the last instrument's

cdef inline void apply_command(EngineState *st, Command *c) noexcept nogil:
    cdef CommandArgs *a = &c.args
    cdef int k
    st.stats.commands += 1
    if c.kind == CMD_NOTE_ON:
        if 0 <= a.note.track < MAX_TRACKS:
            note_on(st, a.note.track, a.note.note, <float>a.note.velocity)
    elif c.kind == CMD_NOTE_OFF:
        if 0 <= a.note.track < MAX_TRACKS:
            note_off(st, a.note.track, a.note.note)
    elif c.kind == CMD_TRACK_PARAM:
        set_track_param(st, &a.param)
    elif c.kind == CMD_BUS_PARAM:
        set_bus_param(st, &a.param)
    elif c.kind == CMD_MASTER_PARAM:
        if 0 <= a.param.param < N_MASTER_PARAMS:
            st.master_target[a.param.param] = <float>a.param.value
            master_design(st)
    elif c.kind == CMD_SAMPLE_SET:
        set_sample(st, &a.sample)
    elif c.kind == CMD_PROGRAM_SET:
        set_program(st, &a.program)
    elif c.kind == CMD_TRACK_MOD:
        if 0 <= a.mod.track < MAX_TRACKS:
            if a.mod.which == 0:
                st.tracks[a.mod.track].wheel = clampf(<float>a.mod.value, 0.0, 1.0)
            else:
                st.tracks[a.mod.track].pressure = clampf(<float>a.mod.value, 0.0, 1.0)
    elif c.kind == CMD_ALL_OFF:
        for k in range(VOICE_SLOTS):
            if st.voices[k].active and st.voices[k].counted:
                voice_fade(st, &st.voices[k])
    elif c.kind == CMD_PANIC:
        for k in range(VOICE_SLOTS):
            if st.voices[k].active:
                voice_free(st, &st.voices[k])
    elif c.kind == CMD_STALL:
        stall(c.args.stall_ns)
    elif c.kind == CMD_CAPTURE_SET:
        capture_set(st, &a.sample)
    elif c.kind == CMD_PREVIEW:
        preview_set(st, &a.sample)
    else:
        apply_seq_command(st, c)

# A hang in the audio thread, on purpose: what a faulty driver or a runaway loop would do.
# Only the watchdog test and diagnostics post it (Engine.stall_audio); it spins on the
# monotonic clock, taking no lock and no GIL.
cdef inline void stall(int64_t ns) noexcept nogil:
    cdef timespec ts
    clock_gettime(CLOCK_MONOTONIC, &ts)
    cdef int64_t end = ts.tv_sec * 1000000000 + ts.tv_nsec + ns
    while ts.tv_sec * 1000000000 + ts.tv_nsec < end:
        clock_gettime(CLOCK_MONOTONIC, &ts)

# --- the sequencer -------------------------------------------------------------------------

cdef inline void set_pattern(EngineState *st, const PatternArgs *a) noexcept nogil:
    cdef Seq *q = &st.seq
    if 0 <= a.slot < PATTERN_SLOTS:
        if q.tokens[a.slot]:
            tel_push(st, TEL_PATTERN_RELEASED, q.tokens[a.slot])
        q.patterns[a.slot] = a.pattern
        q.tokens[a.slot] = a.token
    elif a.token:
        tel_push(st, TEL_PATTERN_RELEASED, a.token)

cdef inline void set_rows(EngineState *st, const RowsArgs *a) noexcept nogil:
    cdef Seq *q = &st.seq
    cdef int n = <int>a.n_rows
    n = 0 if n < 0 else (MAX_ROWS if n > MAX_ROWS else n)
    if n > 0:
        memcpy(q.rows, a.rows, n * sizeof(SeqRow))
    q.n_rows = n
    q.row_loop = a.loop
    if q.row >= q.n_rows:
        q.row = 0
    tel_push(st, TEL_PATTERN_RELEASED, a.token)

cdef inline void set_tempo(EngineState *st, double bpm) noexcept nogil:
    cdef Seq *q = &st.seq
    cdef int64_t millibpm
    bpm = TEMPO_MIN_BPM if bpm < TEMPO_MIN_BPM else (TEMPO_MAX_BPM if bpm > TEMPO_MAX_BPM else bpm)
    millibpm = llround(bpm * 1000.0)
    if q.playing:
        seq_tempo_at(st, seq_tick_from(q, st.frame), millibpm)
    else:
        seq_set_rate(q, millibpm, q.rem)
        st.master_target[M_TEMPO] = <float>(<double>millibpm * 0.001)
        master_design(st)

cdef inline void set_seq_track(EngineState *st, const SeqTrackArgs *a) noexcept nogil:
    cdef SeqTrack *tr
    if not 0 <= a.track < MAX_TRACKS:
        return
    tr = &st.seq.tracks[a.track]
    track_end_notes(st, a.track)
    tr.kind = KIND_MIDI if a.kind == KIND_MIDI else KIND_AUDIO
    tr.channel = a.channel & 15
    tr.port = a.port

cdef inline void apply_seq_command(EngineState *st, Command *c) noexcept nogil:
    cdef Seq *q = &st.seq
    cdef CommandArgs *a = &c.args
    if c.kind == CMD_SEQ_PATTERN:
        set_pattern(st, &a.pattern)
    elif c.kind == CMD_SEQ_ROWS:
        set_rows(st, &a.rows)
    elif c.kind == CMD_SEQ_PLAY:
        seq_play(st, a.play.slot, a.play.count_in_bars)
    elif c.kind == CMD_SEQ_STOP:
        seq_stop_now(st)
    elif c.kind == CMD_SEQ_CONTINUE:
        seq_continue(st)
    elif c.kind == CMD_SEQ_TEMPO:
        set_tempo(st, a.tempo_bpm)
    elif c.kind == CMD_SEQ_LOCATE:
        if q.playing:
            seq_locate(st, a.tick, 0)
        else:
            q.stop_tick = a.tick
    elif c.kind == CMD_SEQ_QUEUE:
        if 0 <= a.queue.slot < PATTERN_SLOTS:
            if a.queue.immediate:
                seq_switch_now(st, a.queue.slot)
            else:
                q.queued = a.queue.slot
    elif c.kind == CMD_SEQ_FILL:
        q.fill = a.on != 0
    elif c.kind == CMD_SEQ_MUTE:
        if 0 <= a.mute.track < MAX_TRACKS:
            q.tracks[a.mute.track].muted = a.mute.on != 0
    elif c.kind == CMD_SEQ_SEED:
        q.seed = a.seed
    elif c.kind == CMD_SEQ_TRACK:
        set_seq_track(st, &a.seq_track)
    elif c.kind == CMD_SEQ_METRONOME:
        q.metronome = a.metronome.on != 0
        q.click_gain = db_to_gain(clampf(<float>a.metronome.level_db, -60.0, 0.0))
    elif c.kind == CMD_SEQ_CLOCK_OUT:
        # switched on while playing: the clock starts on the next clock tick
        if a.on and not q.clock_out and q.playing and q.midi_start_tick == REVERIE_NEVER:
            q.next_clock = rv_ceildiv(seq_tick_from(q, st.frame), CLOCK_TICKS) * CLOCK_TICKS
        q.clock_out = a.on != 0

# --- draining the ring ----------------------------------------------------------------------
# A command due in a later block must not hold up those behind it (head-of-line blocking): it
# moves from the ring into `pending`, a fixed min-heap ordered by (frame, arrival), and is
# applied on its frame. Commands due on one frame apply in the order they were posted. Only
# when the heap is full does a later command wait at the ring's head again (counted as
# commands_held); the control side never stamps a command more than COMMAND_AHEAD_S ahead.

cdef inline bint waits_less(const Waiting *a, const Waiting *b) noexcept nogil:
    return a.cmd.frame < b.cmd.frame or (a.cmd.frame == b.cmd.frame and a.order < b.order)

cdef inline void pending_push(EngineState *st, const Command *c) noexcept nogil:
    cdef int i = st.n_pending, parent
    cdef Waiting w
    w.cmd = c[0]
    w.order = st.pending_order
    st.pending_order += 1
    st.n_pending += 1
    while i > 0:
        parent = (i - 1) >> 1
        if not waits_less(&w, &st.pending[parent]):
            break
        st.pending[i] = st.pending[parent]
        i = parent
    st.pending[i] = w

cdef inline void pending_pop(EngineState *st) noexcept nogil:
    cdef int n = st.n_pending - 1, i = 0, child
    cdef Waiting last = st.pending[n]
    st.n_pending = n
    if n == 0:
        return
    while True:
        child = 2 * i + 1
        if child >= n:
            break
        if child + 1 < n and waits_less(&st.pending[child + 1], &st.pending[child]):
            child += 1
        if not waits_less(&st.pending[child], &last):
            break
        st.pending[i] = st.pending[child]
        i = child
    st.pending[i] = last

# Applies every command due at the current frame: first those waiting in `pending` (posted
# before anything still in the ring), then the ring's, in order, moving later ones aside.
# Returns the frame of the next command, or -1 when none waits.
cdef inline int64_t drain_commands(EngineState *st) noexcept nogil:
    cdef Command *c
    cdef Command due
    cdef int64_t nxt
    while st.n_pending > 0 and st.pending[0].cmd.frame <= st.frame:
        due = st.pending[0].cmd
        pending_pop(st)
        apply_command(st, &due)
    while True:
        c = <Command *>spsc_peek(&st.commands)
        if c == NULL:
            break
        if c.frame <= st.frame:
            apply_command(st, c)
        elif st.n_pending < PENDING_COMMANDS:
            pending_push(st, c)
        else:
            if not st.ring_held:
                st.ring_held = 1
                st.stats.commands_held += 1
            nxt = c.frame
            if st.pending[0].cmd.frame < nxt:
                nxt = st.pending[0].cmd.frame
            return nxt
        st.ring_held = 0
        spsc_pop(&st.commands)
    return st.pending[0].cmd.frame if st.n_pending > 0 else -1
