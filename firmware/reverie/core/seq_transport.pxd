# The transport: play, stop, continue, locate and switch patterns; the pass boundary; and
# seq_run(), which engine_render() calls to fire every sequencer event due at the current
# frame, in a fixed order per tick.
from libc.stdint cimport int32_t, int64_t
from reverie.core.defs cimport *
from reverie.core.state cimport EngineState, tel_push
from reverie.core.seq_state cimport *
from reverie.core.seq_time cimport *
from reverie.core.seq_midi cimport *
from reverie.core.seq_track cimport *
from reverie.core.seq_scan cimport seq_decide
from reverie.core.seq_trig cimport track_fire
from reverie.core.seq_click cimport seq_click
from reverie.core.mixer cimport master_design

# --- passes and stopping -------------------------------------------------------------------

cdef inline void seq_start_pass(EngineState *st, int slot, int64_t start) noexcept nogil:
    cdef Seq *q = &st.seq
    q.slot = slot
    q.pass_start = start
    q.pass_end = start + pattern_ticks(seq_pattern(st, slot))
    q.decided = 0
    tel_push(st, TEL_PATTERN_STARTED, slot)

cdef inline void seq_stop_now(EngineState *st) noexcept nogil:
    cdef Seq *q = &st.seq
    cdef int k
    if not q.playing:
        return
    q.stop_tick = seq_tick_at(q, st.frame)
    q.playing = 0
    for k in range(MAX_TRACKS):
        track_end_notes(st, k)
        track_release_locks(st, k)
        q.tracks[k].n_pending = 0
        q.tracks[k].rt_n = 0
    if q.clock_out:
        midi_out(st, ALL_PORTS, 1, MIDI_STOP, 0, 0)
    tel_push(st, TEL_TRANSPORT_STOPPED, q.slot)

cdef inline void seq_pass_boundary(EngineState *st) noexcept nogil:
    cdef Seq *q = &st.seq
    seq_decide(st)
    if q.stop_at_end:
        seq_stop_now(st)
        return
    if q.arranging and (q.next_row != q.row or q.next_repeat == 0) and q.rows[q.next_row].millibpm > 0:
        seq_tempo_at(st, q.pass_end, q.rows[q.next_row].millibpm)
    q.row = q.next_row
    q.repeat = q.next_repeat
    q.mutes = q.next_mutes
    seq_start_pass(st, q.next_slot, q.pass_end)

# --- running: the events of a block --------------------------------------------------------

# Every sequencer event at tick t, in a fixed order.
cdef inline void seq_fire(EngineState *st, int64_t t) noexcept nogil:
    cdef Seq *q = &st.seq
    cdef int k
    if t - q.tick > 16 * TICKS_PER_BEAT:
        seq_reanchor(q, t)
    if q.midi_start_tick == t:
        if q.clock_out:
            if q.midi_continue:
                midi_song_position(st, t)
                midi_out(st, ALL_PORTS, 1, MIDI_CONTINUE, 0, 0)
            else:
                midi_out(st, ALL_PORTS, 1, MIDI_START, 0, 0)
        q.midi_start_tick = REVERIE_NEVER
        q.next_clock = t
    if q.next_clock == t:
        if q.clock_out:
            midi_out(st, ALL_PORTS, 1, MIDI_CLOCK, 0, 0)
        q.next_clock += CLOCK_TICKS
    if q.next_beat == t:
        if q.metronome or t < q.count_in_end:
            seq_click(st, t)
        q.next_beat += TICKS_PER_BEAT
    for k in range(MAX_TRACKS):
        if q.tracks[k].next <= t:
            track_fire(st, k, t)
    if q.pass_end == t:
        seq_pass_boundary(st)

cdef inline int64_t seq_next(EngineState *st) noexcept nogil:
    cdef Seq *q = &st.seq
    cdef int64_t m = q.pass_end
    cdef int k
    for k in range(MAX_TRACKS):
        if q.tracks[k].next < m:
            m = q.tracks[k].next
    if q.midi_start_tick < m:
        m = q.midi_start_tick
    if q.midi_start_tick == REVERIE_NEVER and q.next_clock < m:
        m = q.next_clock
    if q.next_beat < m and (q.metronome or q.next_beat < q.count_in_end):
        m = q.next_beat
    return m

# Fires every event due at st.frame. Returns the frame of the next one, or -1.
cdef inline int64_t seq_run(EngineState *st) noexcept nogil:
    cdef Seq *q = &st.seq
    cdef int64_t t, f
    cdef int guard = 0
    while q.playing and guard < 100000:
        t = seq_next(st)
        if t == REVERIE_NEVER:
            return -1
        f = seq_frame_of(q, t)
        if f > st.frame:
            return f
        if f < st.frame:
            q.late += 1
        seq_fire(st, t)
        guard += 1
    return -1

# --- the commands: play, locate, continue, switch ------------------------------------------

cdef inline void seq_play(EngineState *st, int slot, int count_in_bars) noexcept nogil:
    cdef Seq *q = &st.seq
    cdef int k
    if q.playing:
        seq_stop_now(st)
    q.arranging = slot < 0 and q.n_rows > 0
    q.row = 0
    q.repeat = 0
    q.mutes = 0
    if q.arranging:
        slot = q.rows[0].slot
        q.mutes = q.rows[0].mutes
        if q.rows[0].millibpm > 0:
            seq_set_rate(q, q.rows[0].millibpm, q.rem)
            st.master_target[M_TEMPO] = <float>(<double>q.millibpm * 0.001)
            master_design(st)
    elif slot < 0:
        slot = 0
    count_in_bars = 0 if count_in_bars < 0 else (4 if count_in_bars > 4 else count_in_bars)
    seq_set_anchor(q, -count_in_bars * 4 * TICKS_PER_BEAT, st.frame, 0)
    q.start_tick = q.tick
    q.count_in_end = 0
    q.queued = -1
    q.stop_at_end = 0
    q.rng = q.seed if q.seed != 0 else 1
    q.playing = 1
    q.next_beat = q.tick
    q.midi_start_tick = 0
    q.midi_continue = 0
    q.next_clock = REVERIE_NEVER
    seq_start_pass(st, slot, 0)
    for k in range(MAX_TRACKS):
        track_place(st, k, 0, 1)

cdef inline void seq_locate(EngineState *st, int64_t T, int first) noexcept nogil:
    # The playhead is at tick T now; the current pattern is taken as repeating around it.
    cdef Seq *q = &st.seq
    cdef int64_t span = q.pass_end - q.pass_start
    cdef int k
    seq_set_anchor(q, T, st.frame, 0)
    q.start_tick = T
    if T < q.pass_start or T >= q.pass_end:
        q.pass_start = q.pass_start + rv_floordiv(T - q.pass_start, span) * span
        q.pass_end = q.pass_start + span
        q.decided = 0
    q.next_beat = rv_ceildiv(T, TICKS_PER_BEAT) * TICKS_PER_BEAT
    if q.midi_start_tick == REVERIE_NEVER:
        q.next_clock = rv_ceildiv(T, CLOCK_TICKS) * CLOCK_TICKS
    for k in range(MAX_TRACKS):
        track_place(st, k, T, first)

cdef inline void seq_continue(EngineState *st) noexcept nogil:
    cdef Seq *q = &st.seq
    cdef int64_t T
    if q.playing:
        return
    # from the 16th at or before the stop, so the song position sent with it is exact
    T = rv_floordiv(q.stop_tick, STEP_TICKS) * STEP_TICKS
    q.playing = 1
    q.count_in_end = 0
    q.midi_start_tick = T
    q.midi_continue = 1
    q.next_clock = REVERIE_NEVER
    seq_locate(st, T, 0)

cdef inline void seq_switch_now(EngineState *st, int slot) noexcept nogil:
    # An immediate switch: the new pattern takes over, every track keeps its step position.
    cdef Seq *q = &st.seq
    cdef int64_t T
    cdef int k
    q.arranging = 0
    q.queued = -1
    q.mutes = 0
    if not q.playing:
        q.slot = slot
        return
    T = seq_tick_from(q, st.frame)
    q.slot = slot
    q.pass_end = q.pass_start + pattern_ticks(seq_pattern(st, slot))
    q.decided = 0
    if T >= q.pass_end:
        q.pass_start = q.pass_end
        q.pass_end = q.pass_start + pattern_ticks(seq_pattern(st, slot))
    for k in range(MAX_TRACKS):
        track_place(st, k, T, 0)
    tel_push(st, TEL_PATTERN_STARTED, slot)
