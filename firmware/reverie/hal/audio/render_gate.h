/* The render gate: one engine, several drivers that may call its audio callback (a sound
 * card's callback thread, a JACK process thread, the fallback clock), never two at once.
 *
 * Each driver calls rg_callback with a slot of its own as user data. The slot whose id is
 * the gate's `owner` renders: it takes `busy` with an acquiring compare-and-swap, calls the
 * engine's callback and gives `busy` back with a releasing store, so the engine's state as
 * one thread left it is what the next thread sees, on ARM as on x86. Any other slot, or
 * the owner while a late call of another slot still renders, fills its buffer with
 * silence and returns at once: nothing here waits, allocates or takes a lock.
 *
 * The supervisor moves `owner` (release store) to hand the engine from a device that died
 * to the fallback clock and back. A device whose callback thread is stuck or comes back
 * late can never render over the driver that took its place. */
#ifndef REVERIE_RENDER_GATE_H
#define REVERIE_RENDER_GATE_H

#include <stdint.h>
#include <string.h>

/* PortAudio's PaStreamCallback, which the engine's callback is. */
typedef int (*rg_render)(const void *input, void *output, unsigned long frames,
                         const void *time_info, unsigned long status_flags, void *user);

typedef struct {
    rg_render render;       /* the engine's callback and its user data */
    void *user;
    int channels;           /* interleaved float32 channels of the output buffer */
    int owner;              /* the id of the slot that renders; 0: none */
    int busy;               /* 1 while a slot is inside render() */
} rg_gate;

typedef struct {
    rg_gate *gate;
    int id;
    /* Written by the driver's thread only, read by the supervisor with relaxed loads. */
    uint64_t calls;         /* callbacks through this slot */
    uint64_t frames;        /* frames it rendered */
    uint64_t silent;        /* frames it filled with silence: another slot owned the engine */
} rg_slot;

static inline int rg_owner(rg_gate *g) {
    return __atomic_load_n(&g->owner, __ATOMIC_ACQUIRE);
}

static inline void rg_set_owner(rg_gate *g, int id) {
    __atomic_store_n(&g->owner, id, __ATOMIC_RELEASE);
}

static inline uint64_t rg_load(const uint64_t *p) {
    return __atomic_load_n(p, __ATOMIC_RELAXED);
}

static inline void rg_add(uint64_t *p, uint64_t v) {
    __atomic_store_n(p, __atomic_load_n(p, __ATOMIC_RELAXED) + v, __ATOMIC_RELAXED);
}

static int rg_callback(const void *input, void *output, unsigned long frames,
                       const void *time_info, unsigned long status_flags, void *user) {
    rg_slot *s = (rg_slot *)user;
    rg_gate *g = s->gate;
    int result = 0;         /* paContinue */
    int idle = 0;
    rg_add(&s->calls, 1);
    if (rg_owner(g) == s->id &&
        __atomic_compare_exchange_n(&g->busy, &idle, 1, 0, __ATOMIC_ACQUIRE, __ATOMIC_RELAXED)) {
        /* Owner again under `busy`: the engine may have moved on while this call waited. */
        if (rg_owner(g) == s->id) {
            result = g->render(input, output, frames, time_info, status_flags, g->user);
            __atomic_store_n(&g->busy, 0, __ATOMIC_RELEASE);
            rg_add(&s->frames, frames);
            return result;
        }
        __atomic_store_n(&g->busy, 0, __ATOMIC_RELEASE);
    }
    memset(output, 0, (size_t)frames * (size_t)g->channels * sizeof(float));
    rg_add(&s->silent, frames);
    return result;
}

#endif
