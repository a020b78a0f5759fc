/* Lock-free single-producer / single-consumer ring of fixed-size elements.
 * One thread pushes, one thread pops; neither ever blocks. A full ring refuses the push
 * and counts it. Memory order: the producer publishes the element with a release store
 * of `head`; the consumer reads it after an acquire load of `head` (and vice versa for
 * `tail`), so an element is never read half-written. */
#ifndef REVERIE_SPSC_H
#define REVERIE_SPSC_H

#include <stdint.h>
#include <string.h>

typedef struct {
    uint64_t head;          /* written by the producer only */
    char pad0[56];
    uint64_t tail;          /* written by the consumer only */
    char pad1[56];
    uint64_t dropped;       /* pushes refused because the ring was full (producer side) */
    uint32_t mask;
    uint32_t elem_size;
    char *buf;
} spsc_ring;

static inline void spsc_init(spsc_ring *r, char *buf, uint32_t capacity, uint32_t elem_size) {
    r->head = 0;
    r->tail = 0;
    r->dropped = 0;
    r->mask = capacity - 1;
    r->elem_size = elem_size;
    r->buf = buf;
}

static inline int spsc_push(spsc_ring *r, const void *item) {
    uint64_t head = __atomic_load_n(&r->head, __ATOMIC_RELAXED);
    uint64_t tail = __atomic_load_n(&r->tail, __ATOMIC_ACQUIRE);
    if (head - tail > r->mask) {
        __atomic_store_n(&r->dropped, r->dropped + 1, __ATOMIC_RELAXED);
        return 0;
    }
    memcpy(r->buf + (size_t)(head & r->mask) * r->elem_size, item, r->elem_size);
    __atomic_store_n(&r->head, head + 1, __ATOMIC_RELEASE);
    return 1;
}

/* Pointer to the oldest element, or NULL when empty; it stays valid until spsc_pop(). */
static inline void *spsc_peek(spsc_ring *r) {
    uint64_t tail = __atomic_load_n(&r->tail, __ATOMIC_RELAXED);
    uint64_t head = __atomic_load_n(&r->head, __ATOMIC_ACQUIRE);
    if (tail == head) return NULL;
    return r->buf + (size_t)(tail & r->mask) * r->elem_size;
}

static inline void spsc_pop(spsc_ring *r) {
    uint64_t tail = __atomic_load_n(&r->tail, __ATOMIC_RELAXED);
    __atomic_store_n(&r->tail, tail + 1, __ATOMIC_RELEASE);
}

static inline uint64_t spsc_count(spsc_ring *r) {
    return __atomic_load_n(&r->head, __ATOMIC_ACQUIRE) - __atomic_load_n(&r->tail, __ATOMIC_ACQUIRE);
}

static inline uint64_t spsc_dropped(spsc_ring *r) {
    return __atomic_load_n(&r->dropped, __ATOMIC_RELAXED);
}

/* Relaxed atomic counters shared between the audio thread (sole writer) and readers. */
static inline void atomic_store_u64(uint64_t *p, uint64_t v) { __atomic_store_n(p, v, __ATOMIC_RELAXED); }
static inline uint64_t atomic_load_u64(uint64_t *p) { return __atomic_load_n(p, __ATOMIC_RELAXED); }
static inline void atomic_store_f32(float *p, float v) { __atomic_store(p, &v, __ATOMIC_RELAXED); }
static inline float atomic_load_f32(float *p) { float v; __atomic_load(p, &v, __ATOMIC_RELAXED); return v; }

#endif
