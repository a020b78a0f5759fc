# Scanning: half a step before a step can start (the earliest a micro-timed trig sounds), the
# track reads it from the pattern and, if its condition and probability let it play, keeps it
# as a pending trig with a copy of its locks. Also the choice of the next pass's pattern.
from libc.stdint cimport int32_t, int64_t, uint32_t
from reverie.core.defs cimport *
from reverie.core.state cimport EngineState
from reverie.core.seq_state cimport *
from reverie.core.seq_time cimport *

# --- conditions ----------------------------------------------------------------------------

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

# --- the next pass -------------------------------------------------------------------------

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

# --- scanning: a step becomes a pending trig half a step before it starts ------------------

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
