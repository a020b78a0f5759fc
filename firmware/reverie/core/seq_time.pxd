# The sequencer's arithmetic of time (docs/sequencer.md): every position is a whole number of
# ticks, and tick T sounds at
#   frame + ceil((rem + (T - tick) * K) / D)        K = rate * 60000, D = millibpm * 57600
# i.e. on the first sample at or after its ideal time, in exact integer arithmetic. Also the
# lengths in ticks that a compiled pattern sets: its pass, and a step of each track.
from libc.stdint cimport int64_t
from reverie.core.defs cimport *
from reverie.core.state cimport (EngineState, seqlock_write_begin, seqlock_write_end,
                                 seqlock_read_begin, seqlock_read_retry, seqlock_store_i64,
                                 seqlock_load_i64)
from reverie.core.seq_state cimport *
from reverie.core.mixer cimport master_design

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

# --- ticks and frames ----------------------------------------------------------------------

cdef inline int64_t seq_frame_of(Seq *q, int64_t tick) noexcept nogil:
    return q.frame + rv_ceildiv(q.rem + (tick - q.tick) * q.K, q.D)

# The last tick whose ideal time is at or before `frame`.
cdef inline int64_t seq_tick_at(Seq *q, int64_t frame) noexcept nogil:
    return q.tick + rv_floordiv((frame - q.frame) * q.D - q.rem, q.K)

# The first tick whose ideal time is at or after `frame`.
cdef inline int64_t seq_tick_from(Seq *q, int64_t frame) noexcept nogil:
    return q.tick + rv_ceildiv((frame - q.frame) * q.D - q.rem, q.K)

# The mapping (tick, frame, rem, D) changes only here and in seq_set_rate, under the seqlock
# anchor_version (seqlock.h), so Engine.tick_at()/frame_at() on the control side read it
# whole. The audio thread, its only writer, reads its own fields plainly; they are stored
# as relaxed atomics because other threads read them meanwhile.
cdef inline void seq_set_anchor(Seq *q, int64_t tick, int64_t frame, int64_t rem) noexcept nogil:
    seqlock_write_begin(&q.anchor_version)
    seqlock_store_i64(&q.tick, tick)
    seqlock_store_i64(&q.frame, frame)
    seqlock_store_i64(&q.rem, rem)
    seqlock_write_end(&q.anchor_version)

# A new tempo (and the frame fraction carried to its denominator) at the same anchor.
cdef inline void seq_set_rate(Seq *q, int64_t millibpm, int64_t rem) noexcept nogil:
    seqlock_write_begin(&q.anchor_version)
    seqlock_store_i64(&q.millibpm, millibpm)
    seqlock_store_i64(&q.D, millibpm * TICKS_PER_BEAT)
    seqlock_store_i64(&q.rem, rem)
    seqlock_write_end(&q.anchor_version)

# The mapping as one snapshot, from any thread.
cdef inline void seq_read_anchor(Seq *q, int64_t *tick, int64_t *frame, int64_t *rem, int64_t *K,
                                 int64_t *D) noexcept nogil:
    cdef uint64_t s
    while True:
        s = seqlock_read_begin(&q.anchor_version)
        tick[0] = seqlock_load_i64(&q.tick)
        frame[0] = seqlock_load_i64(&q.frame)
        rem[0] = seqlock_load_i64(&q.rem)
        K[0] = seqlock_load_i64(&q.K)
        D[0] = seqlock_load_i64(&q.D)
        if not seqlock_read_retry(&q.anchor_version, s):
            return

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
    seq_set_rate(q, millibpm, rem)
    st.master_target[M_TEMPO] = <float>(<double>millibpm * 0.001)
    master_design(st)

# --- a compiled pattern: reading it, and its lengths in ticks ------------------------------

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
