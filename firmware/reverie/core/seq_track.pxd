# A track of the sequencer between its trigs: when it next has something to do, the notes it
# holds, the parameter locks it holds, and where it stands in the pass.
from libc.stdint cimport int32_t, int64_t, uint32_t
from reverie.core.defs cimport *
from reverie.core.state cimport EngineState, Track
from reverie.core.seq_state cimport *
from reverie.core.seq_time cimport *
from reverie.core.seq_midi cimport *
from reverie.core.voice_alloc cimport note_off
from reverie.core.mixer cimport track_derive

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
        midi_out(st, tr.port, 3, MIDI_NOTE_OFF | tr.channel, note, 0)
    else:
        note_off(st, k, note)

cdef inline void track_end_notes(EngineState *st, int k) noexcept nogil:
    cdef SeqTrack *tr = &st.seq.tracks[k]
    cdef int i
    for i in range(tr.n_offs):
        track_note_off(st, k, tr.offs[i].note)
    tr.n_offs = 0

# Is track parameter p in the lock mask?
cdef inline bint mask_has(const uint32_t *mask, int p) noexcept nogil:
    return (mask[p >> 5] >> (p & 31)) & 1u

cdef inline bint mask_any(const uint32_t *mask) noexcept nogil:
    cdef int w
    for w in range(LOCK_WORDS):
        if mask[w]:
            return 1
    return 0

# Parameters no longer locked go back to the value the control side set.
cdef inline void track_unlock(Track *t, const uint32_t *gone, uint32_t bus_gone) noexcept nogil:
    cdef int p, w
    for w in range(LOCK_WORDS):
        if gone[w] == 0:
            continue
        for p in range(32 * w, 32 * w + 32):
            if mask_has(gone, p):
                t.target[p] = t.base[p]
                t.value[p] = t.base[p]
                t.epoch += 1
    for p in range(N_BUS_PARAMS):
        if bus_gone & (1u << p):
            t.bus_target[p] = t.bus_base[p]

cdef inline void track_release_locks(EngineState *st, int k) noexcept nogil:
    cdef SeqTrack *tr = &st.seq.tracks[k]
    cdef int w
    if not mask_any(tr.locked) and tr.bus_locked == 0:
        return
    track_unlock(&st.tracks[k], tr.locked, tr.bus_locked)
    for w in range(LOCK_WORDS):
        tr.locked[w] = 0
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
