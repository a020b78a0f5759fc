# The step sequencer, run inside engine_render(): it fires every event of a block on its
# exact frame. Time is counted in integer ticks (docs/sequencer.md); tick T sounds at
#   frame + ceil((rem + (T - tick) * K) / D)        K = rate * 60000, D = millibpm * 57600
# i.e. on the first sample at or after its ideal time, in exact integer arithmetic.
from libc.stdint cimport int32_t, int64_t, uint32_t, uint64_t
from libc.string cimport memset
from libc.math cimport sinf, expf, log2f
from reverie.core.defs cimport *
from reverie.core.dsp cimport clampf, db_to_gain
from reverie.core.state cimport EngineState, Track, tel_push, spsc_push, atomic_store_u64
from reverie.core.seqstate cimport *
from reverie.core.notes cimport note_on, note_off
from reverie.core.mixer cimport track_derive, master_design

cdef extern from *:
    """
    #include <stdint.h>
    #define REVERIE_NEVER INT64_MAX
    static inline int64_t rv_floordiv(int64_t a, int64_t b) {
        int64_t q = a / b;
        if ((a % b != 0) && ((a < 0) != (b < 0))) q--;
        return q;
    }
    static inline int64_t rv_ceildiv(int64_t a, int64_t b) { return -rv_floordiv(-a, b); }
    """
    int64_t REVERIE_NEVER
    int64_t rv_floordiv(int64_t a, int64_t b) noexcept nogil
    int64_t rv_ceildiv(int64_t a, int64_t b) noexcept nogil

# --- ticks and frames ---------------------------------------------------------------------

cdef inline int64_t seq_frame_of(Seq *q, int64_t tick) noexcept nogil:
    return q.frame + rv_ceildiv(q.rem + (tick - q.tick) * q.K, q.D)

# The last tick whose ideal time is at or before `frame`.
cdef inline int64_t seq_tick_at(Seq *q, int64_t frame) noexcept nogil:
    return q.tick + rv_floordiv((frame - q.frame) * q.D - q.rem, q.K)

# The first tick whose ideal time is at or after `frame`.
cdef inline int64_t seq_tick_from(Seq *q, int64_t frame) noexcept nogil:
    return q.tick + rv_ceildiv((frame - q.frame) * q.D - q.rem, q.K)

cdef inline void seq_set_anchor(Seq *q, int64_t tick, int64_t frame, int64_t rem) noexcept nogil:
    atomic_store_u64(&q.anchor_version, q.anchor_version + 1)
    q.tick = tick
    q.frame = frame
    q.rem = rem
    atomic_store_u64(&q.anchor_version, q.anchor_version + 1)

# Moves the anchor to tick T without changing any mapping (keeps the products small).
cdef inline void seq_reanchor(Seq *q, int64_t T) noexcept nogil:
    cdef int64_t x = q.rem + (T - q.tick) * q.K
    cdef int64_t whole = rv_floordiv(x, q.D)
    seq_set_anchor(q, T, q.frame + whole, x - whole * q.D)

# A new tempo from tick T on; T keeps its place, so the phase does not move.
cdef inline void seq_tempo_at(EngineState *st, int64_t T, int64_t millibpm) noexcept nogil:
    cdef Seq *q = &st.seq
    cdef int64_t D = millibpm * TICKS_PER_BEAT
    cdef int64_t rem
    if millibpm == q.millibpm:
        return
    seq_reanchor(q, T)
    # the fraction of a frame, carried to the new denominator (rounded down)
    rem = <int64_t>(<double>q.rem * (<double>D / <double>q.D))
    rem = 0 if rem < 0 else (D - 1 if rem >= D else rem)
    atomic_store_u64(&q.anchor_version, q.anchor_version + 1)
    q.millibpm = millibpm
    q.D = D
    q.rem = rem
    atomic_store_u64(&q.anchor_version, q.anchor_version + 1)
    st.master_target[M_TEMPO] = <float>(<double>millibpm * 0.001)
    master_design(st)

# --- patterns -----------------------------------------------------------------------------

cdef inline const SeqPattern *seq_pattern(EngineState *st, int slot) noexcept nogil:
    if 0 <= slot < PATTERN_SLOTS:
        return st.seq.patterns[slot]
    return NULL

cdef inline int64_t pattern_ticks(const SeqPattern *p) noexcept nogil:
    if p == NULL or p.length < 1:
        return 16 * STEP_TICKS
    if p.length > MAX_PATTERN_LENGTH:
        return MAX_PATTERN_LENGTH * STEP_TICKS
    return p.length * STEP_TICKS

cdef inline int64_t speed_ticks(const SeqPattern *p, int k) noexcept nogil:
    if p == NULL or p.tracks[k].speed < 0 or p.tracks[k].speed > SPEED_2:
        return STEP_TICKS
    return reverie_speed_ticks[p.tracks[k].speed]

cdef inline int track_length(const SeqPattern *p, int k) noexcept nogil:
    if p == NULL or p.tracks[k].length < 1:
        return 16
    if p.tracks[k].length > MAX_STEPS:
        return MAX_STEPS
    return p.tracks[k].length

cdef inline const SeqLock *pattern_locks(const SeqPattern *p) noexcept nogil:
    return <const SeqLock *>(<const char *>p + sizeof(SeqPattern))

cdef inline float param_internal(int p, double value) noexcept nogil:
    # The cutoff glides in octaves, so it is kept as log2(Hz).
    if p == P_CUTOFF:
        return log2f(clampf(<float>value, 10.0, 24000.0))
    return <float>value

# --- MIDI out -----------------------------------------------------------------------------

cdef inline void midi_out(EngineState *st, int port, int size, int b0, int b1, int b2) noexcept nogil:
    cdef MidiEvent e
    e.frame = st.frame
    e.port = port
    e.size = size
    e.data[0] = <unsigned char>b0
    e.data[1] = <unsigned char>b1
    e.data[2] = <unsigned char>b2
    e.data[3] = 0
    if not spsc_push(&st.midi, &e):
        st.seq.midi_dropped += 1

cdef inline void midi_song_position(EngineState *st, int64_t tick) noexcept nogil:
    cdef int64_t pos = rv_floordiv(tick, STEP_TICKS)     # MIDI beats: 16ths
    pos = 0 if pos < 0 else (16383 if pos > 16383 else pos)
    midi_out(st, ALL_PORTS, 3, 0xF2, <int>(pos & 0x7F), <int>(pos >> 7))

# --- track state --------------------------------------------------------------------------

cdef inline void track_next(SeqTrack *tr) noexcept nogil:
    cdef int64_t m = tr.next_scan
    cdef int i
    for i in range(tr.n_pending):
        if tr.pending[i].tick < m:
            m = tr.pending[i].tick
    if tr.rt_n > 0 and tr.rt_next < m:
        m = tr.rt_next
    for i in range(tr.n_offs):
        if tr.offs[i].tick < m:
            m = tr.offs[i].tick
    tr.next = m

cdef inline void track_note_off(EngineState *st, int k, int note) noexcept nogil:
    cdef SeqTrack *tr = &st.seq.tracks[k]
    if tr.kind == KIND_MIDI:
        midi_out(st, tr.port, 3, 0x80 | tr.channel, note, 0)
    else:
        note_off(st, k, note)

cdef inline void track_end_notes(EngineState *st, int k) noexcept nogil:
    cdef SeqTrack *tr = &st.seq.tracks[k]
    cdef int i
    for i in range(tr.n_offs):
        track_note_off(st, k, tr.offs[i].note)
    tr.n_offs = 0

# Parameters no longer locked go back to the value the control side set.
cdef inline void track_unlock(Track *t, uint32_t gone, uint32_t bus_gone) noexcept nogil:
    cdef int p
    for p in range(N_TRACK_PARAMS):
        if gone & (1u << p):
            t.target[p] = t.base[p]
            t.value[p] = t.base[p]
    for p in range(N_BUS_PARAMS):
        if bus_gone & (1u << p):
            t.bus_target[p] = t.bus_base[p]

cdef inline void track_release_locks(EngineState *st, int k) noexcept nogil:
    cdef SeqTrack *tr = &st.seq.tracks[k]
    if tr.locked == 0 and tr.bus_locked == 0:
        return
    track_unlock(&st.tracks[k], tr.locked, tr.bus_locked)
    tr.locked = 0
    tr.bus_locked = 0
    track_derive(&st.tracks[k])

# Puts track k at the first step at or after tick T of the pass [pass_start, pass_end).
cdef inline void track_place(EngineState *st, int k, int64_t T, int first) noexcept nogil:
    cdef Seq *q = &st.seq
    cdef SeqTrack *tr = &q.tracks[k]
    cdef const SeqPattern *p
    cdef int64_t span
    tr.slot = q.slot
    p = seq_pattern(st, tr.slot)
    tr.pass_start = q.pass_start
    tr.pass_end = q.pass_end
    tr.step_ticks = speed_ticks(p, k)
    tr.n = rv_ceildiv(T - tr.pass_start, tr.step_ticks)
    if tr.n < 0:
        tr.n = 0
    span = track_length(p, k) * tr.step_ticks
    tr.loop = <int32_t>rv_floordiv(tr.n * tr.step_ticks - 1, span) if tr.n > 0 else 0
    if first:
        tr.loop = 0
        tr.last_cond = 0
        tr.step_now = -1
    tr.next_scan = tr.pass_start + tr.n * tr.step_ticks - tr.step_ticks // 2
    if tr.next_scan < st.seq.start_tick:
        tr.next_scan = st.seq.start_tick
    tr.n_pending = 0
    tr.rt_n = 0
    tr.row_muted = (q.mutes >> k) & 1
    track_next(tr)

# --- conditions ---------------------------------------------------------------------------

cdef inline uint32_t seq_random(Seq *q) noexcept nogil:
    # xorshift32
    cdef uint32_t x = q.rng
    x ^= x << 13
    x ^= x >> 17
    x ^= x << 5
    q.rng = x
    return x

cdef inline int step_plays(EngineState *st, int k, const SeqStep *s) noexcept nogil:
    cdef Seq *q = &st.seq
    cdef SeqTrack *tr = &q.tracks[k]
    cdef int c = s.cond
    cdef int r = 1
    cdef int counts = 1          # PRE and NEI read this trig's result afterwards
    cdef int b
    # Cond pairs a condition (odd) with its negation (the next, even, value).
    cdef int base = c - 1 + (c & 1)
    if base == COND_AB:
        b = s.cond_b if s.cond_b > 0 else 1
        r = (tr.loop % b) == (s.cond_a - 1)
    elif base == COND_FILL:
        r = q.fill != 0
    elif base == COND_FIRST:
        r = tr.loop == 0
    elif base == COND_PRE:
        r = tr.last_cond != 0
        counts = 0
    elif base == COND_NEI:
        r = q.tracks[(k + MAX_TRACKS - 1) % MAX_TRACKS].last_cond != 0
        counts = 0
    else:
        counts = 0
    if c != COND_NONE and not (c & 1):
        r = not r
    if s.prob < 100:
        r = (seq_random(q) % 100 < s.prob) and r
        counts = 1
    if counts:
        tr.last_cond = r
    return r

# Chooses the pattern of the next pass (once per pass): a queued one, the arrangement's
# next row, or the same pattern again.
cdef inline void seq_decide(EngineState *st) noexcept nogil:
    cdef Seq *q = &st.seq
    cdef int r, rep
    if q.decided:
        return
    q.decided = 1
    q.next_row = q.row
    q.next_repeat = q.repeat
    q.next_slot = q.slot
    q.next_mutes = q.mutes
    if q.queued >= 0:
        q.next_slot = q.queued
        q.queued = -1
        q.arranging = 0
        q.next_mutes = 0
        return
    if not q.arranging or q.n_rows < 1:
        return
    r = q.row
    rep = q.repeat + 1
    if rep >= (q.rows[r].repeats if q.rows[r].repeats > 0 else 1):
        r += 1
        rep = 0
    if r >= q.n_rows:
        if not q.row_loop:
            q.stop_at_end = 1
            return
        r = 0
    q.next_row = r
    q.next_repeat = rep
    q.next_slot = q.rows[r].slot
    q.next_mutes = q.rows[r].mutes

# --- scanning: a step becomes a pending trig half a step before it starts -------------------

cdef inline void track_cross(EngineState *st, int k) noexcept nogil:
    # The track's pass is over: it goes on with the pattern chosen for the next pass.
    cdef Seq *q = &st.seq
    cdef SeqTrack *tr = &q.tracks[k]
    cdef const SeqPattern *p
    cdef int slot, mutes
    if tr.pass_end == q.pass_end:
        seq_decide(st)
        if q.stop_at_end:
            tr.next_scan = REVERIE_NEVER
            return
        slot = q.next_slot
        mutes = q.next_mutes
    else:
        slot = q.slot
        mutes = q.mutes
    if slot == tr.slot:
        tr.loop += 1
    else:
        tr.loop = 0
    tr.slot = slot
    p = seq_pattern(st, slot)
    tr.pass_start = tr.pass_end
    tr.pass_end = tr.pass_start + pattern_ticks(p)
    tr.step_ticks = speed_ticks(p, k)
    tr.n = 0
    tr.row_muted = (mutes >> k) & 1
    tr.next_scan = tr.pass_start - tr.step_ticks // 2

cdef inline void track_scan(EngineState *st, int k) noexcept nogil:
    cdef Seq *q = &st.seq
    cdef SeqTrack *tr = &q.tracks[k]
    cdef const SeqPattern *p
    cdef const SeqStep *s
    cdef const SeqLock *locks
    cdef PendingTrig *pt
    cdef int64_t start = tr.pass_start + tr.n * tr.step_ticks
    cdef int64_t onset
    cdef int i, j, n
    if start >= tr.pass_end:
        track_cross(st, k)
        return
    p = seq_pattern(st, tr.slot)
    i = <int>(tr.n % track_length(p, k))
    if i == 0 and tr.n > 0:
        tr.loop += 1
    if p != NULL:
        s = &p.tracks[k].steps[i]
        # a step with its trig off but with locks is a trigless lock: the locks apply, no note
        if (s.trig and s.n_notes > 0 and step_plays(st, k, s)) or (not s.trig and s.n_locks > 0):
            onset = start + tr.step_ticks * s.micro // MICRO_DIV
            if tr.n & 1:
                onset += tr.step_ticks * (p.swing - 50) // 50
            if onset < q.start_tick:
                onset = q.start_tick
            if tr.n_pending < PENDING_TRIGS:
                pt = &tr.pending[tr.n_pending]
                tr.n_pending += 1
                pt.tick = onset
                pt.index = i
                pt.step = s[0]
                n = s.n_locks
                if n > STEP_LOCKS or s.first_lock + n > p.n_locks:
                    n = 0
                pt.n_locks = n
                locks = pattern_locks(p)
                for j in range(n):
                    pt.locks[j] = locks[s.first_lock + j]
            else:
                q.late += 1
    tr.n += 1
    tr.next_scan = tr.pass_start + tr.n * tr.step_ticks - tr.step_ticks // 2

# --- starting trigs -----------------------------------------------------------------------

cdef inline void track_apply_locks(EngineState *st, int k, PendingTrig *pt) noexcept nogil:
    # The previous trig's locks end, this trig's begin; both from this sample on.
    cdef SeqTrack *tr = &st.seq.tracks[k]
    cdef Track *t = &st.tracks[k]
    cdef uint32_t want = 0, bus_want = 0
    cdef int j, p, cc
    cdef float v
    for j in range(pt.n_locks):
        p = pt.locks[j].target
        if 0 <= p < N_TRACK_PARAMS:
            want |= 1u << p
        elif LOCK_BUS <= p < LOCK_BUS + N_BUS_PARAMS:
            bus_want |= 1u << (p - LOCK_BUS)
    track_unlock(t, tr.locked & ~want, tr.bus_locked & ~bus_want)
    for j in range(pt.n_locks):
        p = pt.locks[j].target
        if 0 <= p < N_TRACK_PARAMS:
            v = param_internal(p, pt.locks[j].value)
            t.target[p] = v
            t.value[p] = v
        elif LOCK_BUS <= p < LOCK_BUS + N_BUS_PARAMS:
            t.bus_target[p - LOCK_BUS] = pt.locks[j].value
        elif LOCK_CC <= p < LOCK_CC + 128 and tr.kind == KIND_MIDI:
            cc = <int>clampf(pt.locks[j].value, 0.0, 127.0)
            midi_out(st, tr.port, 3, 0xB0 | tr.channel, p - LOCK_CC, cc)
    if want or tr.locked:
        track_derive(t)
    tr.locked = want
    tr.bus_locked = bus_want

cdef inline void track_note(EngineState *st, int k, int note, float velocity, int64_t tick,
                            int64_t gate) noexcept nogil:
    cdef SeqTrack *tr = &st.seq.tracks[k]
    cdef int i = 0, first
    # the same note still held ends first
    while i < tr.n_offs:
        if tr.offs[i].note == note:
            track_note_off(st, k, note)
            tr.n_offs -= 1
            tr.offs[i] = tr.offs[tr.n_offs]
        else:
            i += 1
    velocity = clampf(velocity, 1.0, 127.0)
    if tr.kind == KIND_MIDI:
        midi_out(st, tr.port, 3, 0x90 | tr.channel, note, <int>(velocity + <float>0.5))
    else:
        note_on(st, k, note, velocity)
    if tr.n_offs == PENDING_OFFS:
        first = 0
        for i in range(1, tr.n_offs):
            if tr.offs[i].tick < tr.offs[first].tick:
                first = i
        track_note_off(st, k, tr.offs[first].note)
        tr.n_offs -= 1
        tr.offs[first] = tr.offs[tr.n_offs]
    tr.offs[tr.n_offs].tick = tick + (gate if gate > 0 else 1)
    tr.offs[tr.n_offs].note = note
    tr.n_offs += 1

cdef inline void track_trig(EngineState *st, int k, PendingTrig *pt) noexcept nogil:
    cdef SeqTrack *tr = &st.seq.tracks[k]
    cdef SeqStep *s = &pt.step
    cdef int64_t gate = tr.step_ticks * s.length // MICRO_DIV
    cdef int64_t count
    cdef int j, n = s.n_notes if s.n_notes <= STEP_NOTES else STEP_NOTES
    if tr.muted or tr.row_muted:
        return
    track_apply_locks(st, k, pt)
    if not s.trig:
        return
    tr.rt_n = 0
    if s.retrig_rate > 0:
        tr.rt_interval = tr.step_ticks // s.retrig_rate
        if tr.rt_interval < 1:
            tr.rt_interval = 1
        tr.rt_end = pt.tick + tr.step_ticks * s.retrig_len // MICRO_DIV
        count = rv_ceildiv(tr.rt_end - pt.tick, tr.rt_interval)
        if gate > tr.rt_interval:
            gate = tr.rt_interval
        if count > 1:
            tr.rt_n = <int32_t>(count - 1)
            tr.rt_next = pt.tick + tr.rt_interval
            tr.rt_gate = gate
            tr.rt_vel = <float>s.velocity
            tr.rt_dvel = <float>s.velocity * <float>s.retrig_vel * <float>0.001 / <float>(count - 1)
            tr.rt_chord = n
            for j in range(n):
                tr.rt_notes[j] = s.notes[j]
    for j in range(n):
        track_note(st, k, s.notes[j], <float>s.velocity, pt.tick, gate)
    tr.step_now = pt.index

cdef inline void track_retrig(EngineState *st, int k, int64_t t) noexcept nogil:
    cdef SeqTrack *tr = &st.seq.tracks[k]
    cdef int j
    tr.rt_vel = tr.rt_vel + tr.rt_dvel
    for j in range(tr.rt_chord):
        track_note(st, k, tr.rt_notes[j], tr.rt_vel, t, tr.rt_gate)
    tr.rt_n -= 1
    tr.rt_next += tr.rt_interval

# Everything of track k due at tick t: gates ending, steps scanned, trigs and retrigs.
cdef inline void track_fire(EngineState *st, int k, int64_t t) noexcept nogil:
    cdef SeqTrack *tr = &st.seq.tracks[k]
    cdef int i, best, guard = 0
    i = 0
    while i < tr.n_offs:
        if tr.offs[i].tick <= t:
            track_note_off(st, k, tr.offs[i].note)
            tr.n_offs -= 1
            tr.offs[i] = tr.offs[tr.n_offs]
        else:
            i += 1
    while tr.next_scan <= t and guard < 4 * MAX_STEPS:
        track_scan(st, k)
        guard += 1
    while True:
        best = -1
        for i in range(tr.n_pending):
            if tr.pending[i].tick <= t and (best < 0 or tr.pending[i].tick < tr.pending[best].tick):
                best = i
        if best < 0:
            break
        track_trig(st, k, &tr.pending[best])
        tr.n_pending -= 1
        for i in range(best, tr.n_pending):
            tr.pending[i] = tr.pending[i + 1]
    if tr.rt_n > 0 and tr.rt_next <= t:
        track_retrig(st, k, t)
    track_next(tr)

# --- transport ----------------------------------------------------------------------------

cdef inline void seq_click(EngineState *st, int64_t t) noexcept nogil:
    cdef Seq *q = &st.seq
    cdef int accent = rv_floordiv(t, 4 * TICKS_PER_BEAT) * 4 * TICKS_PER_BEAT == t
    q.click_phase = 0.0
    q.click_inc = <float>(6.283185307179586 * (1760.0 if accent else 880.0) / st.sample_rate)
    q.click_env = q.click_gain * (<float>1.0 if accent else <float>0.6)
    q.clicking = 1

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
        midi_out(st, ALL_PORTS, 1, 0xFC, 0, 0)
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
                midi_out(st, ALL_PORTS, 1, 0xFB, 0, 0)
            else:
                midi_out(st, ALL_PORTS, 1, 0xFA, 0, 0)
        q.midi_start_tick = REVERIE_NEVER
        q.next_clock = t
    if q.next_clock == t:
        if q.clock_out:
            midi_out(st, ALL_PORTS, 1, 0xF8, 0, 0)
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
            q.millibpm = q.rows[0].millibpm
            q.D = q.millibpm * TICKS_PER_BEAT
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

cdef inline void seq_render_click(Seq *q, int n) noexcept nogil:
    # The click is faded per sample, so where it ends does not depend on the block size.
    cdef int j
    if q.clicking:
        for j in range(n):
            q.click_buf[j] = q.click_env * sinf(q.click_phase)
            q.click_phase = q.click_phase + q.click_inc
            q.click_env = q.click_env * q.click_decay
            if q.click_env < <float>1.0e-4:
                q.click_env = 0.0
        q.click_dirty = 1
        if q.click_env == 0.0:
            q.clicking = 0
    elif q.click_dirty:
        memset(q.click_buf, 0, sizeof(float) * CONTROL_FRAMES)
        q.click_dirty = 0
