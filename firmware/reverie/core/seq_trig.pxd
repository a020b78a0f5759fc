# Starting trigs: a pending trig's locks take over from the last trig's, its notes start (on
# the track's voices or as MIDI) with their gates, and a retrig repeats them.
from libc.stdint cimport int32_t, int64_t, uint32_t
from reverie.core.defs cimport *
from reverie.core.dsp cimport clampf
from reverie.core.state cimport EngineState, Track
from reverie.core.seq_state cimport *
from reverie.core.seq_time cimport *
from reverie.core.seq_midi cimport *
from reverie.core.seq_track cimport *
from reverie.core.seq_scan cimport track_scan
from reverie.core.voice_alloc cimport note_on
from reverie.core.mixer cimport param_internal, track_derive

cdef inline void track_apply_locks(EngineState *st, int k, PendingTrig *pt) noexcept nogil:
    # The previous trig's locks end, this trig's begin; both from this sample on.
    cdef SeqTrack *tr = &st.seq.tracks[k]
    cdef Track *t = &st.tracks[k]
    cdef uint32_t want[LOCK_WORDS]
    cdef uint32_t gone[LOCK_WORDS]
    cdef uint32_t bus_want = 0
    cdef int j, p, cc, w
    cdef float v
    for w in range(LOCK_WORDS):
        want[w] = 0
    for j in range(pt.n_locks):
        p = pt.locks[j].target
        if 0 <= p < N_TRACK_PARAMS:
            want[p >> 5] |= 1u << (p & 31)
        elif LOCK_BUS <= p < LOCK_BUS + N_BUS_PARAMS:
            bus_want |= 1u << (p - LOCK_BUS)
    for w in range(LOCK_WORDS):
        gone[w] = tr.locked[w] & ~want[w]
    track_unlock(t, gone, tr.bus_locked & ~bus_want)
    for j in range(pt.n_locks):
        p = pt.locks[j].target
        if 0 <= p < N_TRACK_PARAMS:
            v = param_internal(t.prog, p, pt.locks[j].value)
            t.target[p] = v
            t.value[p] = v
            t.epoch += 1
        elif LOCK_BUS <= p < LOCK_BUS + N_BUS_PARAMS:
            t.bus_target[p - LOCK_BUS] = pt.locks[j].value
        elif LOCK_CC <= p < LOCK_CC + 128 and tr.kind == KIND_MIDI:
            cc = <int>clampf(pt.locks[j].value, 0.0, 127.0)
            midi_out(st, tr.port, 3, MIDI_CONTROL_CHANGE | tr.channel, p - LOCK_CC, cc)
    if mask_any(want) or mask_any(tr.locked):
        track_derive(t)
    for w in range(LOCK_WORDS):
        tr.locked[w] = want[w]
    tr.bus_locked = bus_want

cdef inline void track_note(EngineState *st, int k, int note, float velocity, int64_t tick,
                            int64_t gate, int slide) noexcept nogil:
    cdef SeqTrack *tr = &st.seq.tracks[k]
    cdef int i = 0, first, tied = 0
    # the same note still held ends first; held on by a slide, it is tied instead: it sounds
    # on without a new start
    while i < tr.n_offs:
        if tr.offs[i].note == note:
            if tr.offs[i].slide == OFF_HELD:
                tied = 1
            else:
                track_note_off(st, k, note)
            tr.n_offs -= 1
            tr.offs[i] = tr.offs[tr.n_offs]
        else:
            i += 1
    velocity = clampf(velocity, 1.0, 127.0)
    if tr.kind == KIND_MIDI and st.tracks[k].accent > <float>0.0:
        velocity = 127.0        # an accent over MIDI: the full velocity (how MIDI basslines mark it)
    if tied:
        pass
    elif tr.kind == KIND_MIDI:
        midi_out(st, tr.port, 3, MIDI_NOTE_ON | tr.channel, note, <int>(velocity + <float>0.5))
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
    tr.offs[tr.n_offs].slide = OFF_SLIDE if slide else OFF_PLAIN
    tr.n_offs += 1

# Notes a slide held until this trig end now, after its notes started: the join is legato.
cdef inline void track_end_held(EngineState *st, int k) noexcept nogil:
    cdef SeqTrack *tr = &st.seq.tracks[k]
    cdef int i = 0
    while i < tr.n_offs:
        if tr.offs[i].slide == OFF_HELD:
            track_note_off(st, k, tr.offs[i].note)
            tr.n_offs -= 1
            tr.offs[i] = tr.offs[tr.n_offs]
        else:
            i += 1

cdef inline void track_trig(EngineState *st, int k, PendingTrig *pt) noexcept nogil:
    cdef SeqTrack *tr = &st.seq.tracks[k]
    cdef SeqStep *s = &pt.step
    cdef int64_t gate = tr.step_ticks * s.length // MICRO_DIV
    cdef int64_t count
    cdef int j, n = s.n_notes if s.n_notes <= STEP_NOTES else STEP_NOTES
    cdef int slide = (s.flags & STEP_SLIDE) != 0
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
    if slide and gate < tr.step_ticks:
        gate = tr.step_ticks     # a slid note holds at least its whole step
    # slid notes still within their own step (this trig came early) end after it too
    for j in range(tr.n_offs):
        if tr.offs[j].slide == OFF_SLIDE:
            tr.offs[j].slide = OFF_HELD
    st.tracks[k].accent = <float>1.0 if s.flags & STEP_ACCENT else <float>0.0
    for j in range(n):
        track_note(st, k, s.notes[j], <float>s.velocity, pt.tick, gate, slide)
    st.tracks[k].accent = 0.0
    track_end_held(st, k)
    tr.step_now = pt.index

cdef inline void track_retrig(EngineState *st, int k, int64_t t) noexcept nogil:
    cdef SeqTrack *tr = &st.seq.tracks[k]
    cdef int j
    tr.rt_vel = tr.rt_vel + tr.rt_dvel
    for j in range(tr.rt_chord):
        track_note(st, k, tr.rt_notes[j], tr.rt_vel, t, tr.rt_gate, 0)
    tr.rt_n -= 1
    tr.rt_next += tr.rt_interval

# The onset of the track's next pending trig that starts notes, at or after tick t; -1: none.
cdef inline int64_t track_next_notes(SeqTrack *tr, int64_t t) noexcept nogil:
    cdef int64_t m = -1
    cdef int i
    for i in range(tr.n_pending):
        if (tr.pending[i].step.trig and tr.pending[i].step.n_notes > 0 and tr.pending[i].tick >= t
                and (m < 0 or tr.pending[i].tick < m)):
            m = tr.pending[i].tick
    return m

# Everything of track k due at tick t: gates ending, steps scanned, trigs and retrigs.
cdef inline void track_fire(EngineState *st, int k, int64_t t) noexcept nogil:
    cdef SeqTrack *tr = &st.seq.tracks[k]
    cdef int i, best, guard = 0
    cdef int64_t hold
    i = 0
    while i < tr.n_offs:
        if tr.offs[i].tick <= t and tr.offs[i].slide != OFF_SLIDE:
            track_note_off(st, k, tr.offs[i].note)
            tr.n_offs -= 1
            tr.offs[i] = tr.offs[tr.n_offs]
        else:
            i += 1
    while tr.next_scan <= t and guard < 4 * MAX_STEPS:
        track_scan(st, k)
        guard += 1
    # A slid gate ending (at least a step after its onset, so the next step is scanned):
    # held on until the next trig with notes if one is pending, else it ends (a slide into
    # a rest). Held one tick past that onset, so it ends even if that trig does not sound.
    i = 0
    while i < tr.n_offs:
        if tr.offs[i].tick <= t and tr.offs[i].slide == OFF_SLIDE:
            hold = track_next_notes(tr, t)
            if hold >= 0:
                tr.offs[i].slide = OFF_HELD
                tr.offs[i].tick = hold + 1
                i += 1
                continue
            track_note_off(st, k, tr.offs[i].note)
            tr.n_offs -= 1
            tr.offs[i] = tr.offs[tr.n_offs]
        else:
            i += 1
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
