/* A sequence lock: one writer (the audio thread) publishes a few words that readers on
 * other threads take as one consistent snapshot, without the writer ever waiting.
 *
 * The count is odd while a write is under way. The data words are themselves atomics,
 * accessed relaxed: a reader may race with the writer, so plain accesses would be a data
 * race (undefined behaviour, and free for the compiler to split or cache). Ordering comes
 * from the two fences and the acquire/release accesses of the count, as laid out by
 * H.-J. Boehm, "Can seqlocks get along with programming language memory models?" (2012).
 * x86 keeps stores in order by itself; the Pi's ARM cores do not, so every fence below is
 * needed there. Each fence is also a compiler barrier: no access moves across it. */
#ifndef REVERIE_SEQLOCK_H
#define REVERIE_SEQLOCK_H

#include <stdint.h>

/* Writer (one thread only). */
static inline void seqlock_write_begin(uint64_t *seq) {
    uint64_t s = __atomic_load_n(seq, __ATOMIC_RELAXED);    /* the writer's own count */
    __atomic_store_n(seq, s + 1, __ATOMIC_RELAXED);         /* odd: a write is under way */
    /* Release fence: the odd count is ordered before every data store that follows. A
     * reader that sees any of those stores (and then runs its acquire fence) therefore
     * sees the odd count, or a later one, when it reads the count again. */
    __atomic_thread_fence(__ATOMIC_RELEASE);
}

static inline void seqlock_write_end(uint64_t *seq) {
    uint64_t s = __atomic_load_n(seq, __ATOMIC_RELAXED);
    /* Release store: every data store above is visible to a reader that reads this even
     * count with acquire. */
    __atomic_store_n(seq, s + 1, __ATOMIC_RELEASE);
}

/* Reader: s = seqlock_read_begin(); copy the data with the relaxed loads below; the copy
 * is whole when seqlock_read_retry(seq, s) is 0, else start again. */
static inline uint64_t seqlock_read_begin(const uint64_t *seq) {
    /* Acquire load: the data loads that follow cannot move before it, and if it reads the
     * even count of a finished write, that write's data stores are visible. */
    return __atomic_load_n(seq, __ATOMIC_ACQUIRE);
}

static inline int seqlock_read_retry(const uint64_t *seq, uint64_t s) {
    /* Acquire fence: the data loads above cannot move after the count is read again. If
     * one of them saw a store of a later write, that write's release fence synchronises
     * with this fence, and the reload below sees its odd count (or later): a retry. */
    __atomic_thread_fence(__ATOMIC_ACQUIRE);
    return (s & 1) || __atomic_load_n(seq, __ATOMIC_RELAXED) != s;
}

/* The data words, accessed as relaxed atomics on both sides. */
static inline void seqlock_store_i64(int64_t *p, int64_t v) { __atomic_store_n(p, v, __ATOMIC_RELAXED); }
static inline int64_t seqlock_load_i64(const int64_t *p) { return __atomic_load_n(p, __ATOMIC_RELAXED); }
static inline void seqlock_store_u64(uint64_t *p, uint64_t v) { __atomic_store_n(p, v, __ATOMIC_RELAXED); }
static inline uint64_t seqlock_load_u64(const uint64_t *p) { return __atomic_load_n(p, __ATOMIC_RELAXED); }

#endif
