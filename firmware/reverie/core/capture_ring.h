/* The capture ring: the last seconds of the master output, as the listener heard them.
 *
 * One writer (the audio thread, at the end of every render, after the master limiter) and
 * any number of readers on other threads (the worker copies the span it needs). The writer
 * never waits: a reader that is too slow loses the oldest frames, and knows which.
 *
 * Positions are engine frames. `end` is published with a release store after the data of
 * every frame below it; a reader that loads it with acquire sees those frames. A frame f
 * lives in slot f % frames, so writing frame f overwrites frame f - frames. Before it
 * touches any slot the writer stores `claim` (the end of the span it is about to write)
 * and runs a release fence, as a seqlock's writer makes its count odd (seqlock.h). The
 * reader copies, runs an acquire fence and reads `claim`: if a load of the copy saw a
 * store of a later write, that write's fence synchronises with the reader's, so the claim
 * read covers it, and every frame below claim - frames may have been overwritten during
 * the copy: the reader drops them. The samples are atomics accessed relaxed on both sides
 * (a plain access racing with the writer is a data race); on the Pi's ARM cores as on x86
 * a relaxed 32-bit access is a plain load or store, and the fences are what ARM needs. */
#ifndef REVERIE_CAPTURE_RING_H
#define REVERIE_CAPTURE_RING_H

#include <stdint.h>

typedef struct {
    float *buf;             /* interleaved stereo, `frames` frames; NULL until handed in (release) */
    int64_t frames;         /* capacity */
    int64_t start;          /* the engine frame at which the ring was handed in */
    int64_t claim;          /* the writer may be writing frames below this */
    int64_t end;            /* every frame below this is written */
    int32_t token;          /* names the buffer on the control side */
} capture_ring;

/* Audio thread: the ring becomes `buf` from engine frame `at` on. Called once, before any
 * write; the fields are stored first and `buf` last, with release, so a reader that loads
 * a non-NULL `buf` with acquire sees them. */
static inline void capture_ring_set(capture_ring *r, float *buf, int64_t frames, int64_t at, int32_t token) {
    r->frames = frames;
    r->start = at;
    r->token = token;
    __atomic_store_n(&r->claim, at, __ATOMIC_RELAXED);
    __atomic_store_n(&r->end, at, __ATOMIC_RELAXED);
    __atomic_store_n(&r->buf, buf, __ATOMIC_RELEASE);
}

/* Audio thread: the n frames just rendered, the first of them engine frame `first`. */
static inline void capture_ring_write(capture_ring *r, const float *out, int64_t first, int64_t n) {
    float *buf = __atomic_load_n(&r->buf, __ATOMIC_RELAXED);   /* the writer's own store */
    int64_t frames = r->frames, skip, stop, f, slot;
    if (buf == 0 || n <= 0)
        return;
    skip = r->start - first;                /* frames rendered before the ring was handed in */
    if (n - frames > skip)
        skip = n - frames;                  /* a render longer than the ring: only its tail */
    if (skip > 0) {
        out += 2 * skip;
        first += skip;
        n -= skip;
        if (n <= 0)
            return;
    }
    stop = first + n;
    __atomic_store_n(&r->claim, stop, __ATOMIC_RELAXED);
    /* Release fence: the claim is ordered before every sample store below. */
    __atomic_thread_fence(__ATOMIC_RELEASE);
    slot = first % frames;
    for (f = 0; f < n; f++) {
        __atomic_store(&buf[2 * slot], &out[2 * f], __ATOMIC_RELAXED);
        __atomic_store(&buf[2 * slot + 1], &out[2 * f + 1], __ATOMIC_RELAXED);
        if (++slot == frames)
            slot = 0;
    }
    /* Release store: the samples above are visible to whoever loads this end with acquire. */
    __atomic_store_n(&r->end, stop, __ATOMIC_RELEASE);
}

/* Any thread: the frames a reader may ask for now, [*first, *end); both 0 while no ring. */
static inline void capture_ring_span(capture_ring *r, int64_t *first, int64_t *end) {
    float *buf = __atomic_load_n(&r->buf, __ATOMIC_ACQUIRE);
    int64_t e, f;
    if (buf == 0) {
        *first = *end = 0;
        return;
    }
    e = __atomic_load_n(&r->end, __ATOMIC_ACQUIRE);
    f = e - r->frames;
    *first = f > r->start ? f : r->start;
    *end = e;
}

/* Any thread: copies frames [first, first + n) into out (frame f at out[2 * (f - first)]);
 * the caller asks for no frame at or past the end it read from capture_ring_span. Returns
 * the first frame of the copy that is whole: the frames before it were gone before the copy
 * or overwritten during it, and hold nothing to use. */
static inline int64_t capture_ring_copy(capture_ring *r, float *out, int64_t first, int64_t n) {
    float *buf = __atomic_load_n(&r->buf, __ATOMIC_ACQUIRE);
    int64_t frames, lo, claim, f, slot;
    if (buf == 0 || n <= 0)
        return first + (n > 0 ? n : 0);
    frames = r->frames;
    /* Frames already overwritten when the copy starts are not copied at all. */
    lo = __atomic_load_n(&r->claim, __ATOMIC_ACQUIRE) - frames;
    if (lo < r->start)
        lo = r->start;
    if (lo < first)
        lo = first;
    if (lo > first + n)
        lo = first + n;
    slot = lo % frames;
    for (f = lo - first; f < n; f++) {
        __atomic_load(&buf[2 * slot], &out[2 * f], __ATOMIC_RELAXED);
        __atomic_load(&buf[2 * slot + 1], &out[2 * f + 1], __ATOMIC_RELAXED);
        if (++slot == frames)
            slot = 0;
    }
    /* Acquire fence: the loads above cannot move after the claim is read again; if one of
     * them saw a later write's store, this read of the claim sees that write's claim. */
    __atomic_thread_fence(__ATOMIC_ACQUIRE);
    claim = __atomic_load_n(&r->claim, __ATOMIC_RELAXED);
    if (claim - frames > lo)
        lo = claim - frames;
    return lo < first + n ? lo : first + n;
}

#endif
