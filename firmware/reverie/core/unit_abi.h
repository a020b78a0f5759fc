/* The interface of a unit compiled outside the core (docs/instrument-api.md, "A unit of your
 * own"). A module built separately exports one `reverie_unit` in a PyCapsule named
 * REVERIE_UNIT_CAPSULE; the graph compiler puts its address in a UNIT_EXTERN op and keeps the
 * module alive with the program. The voice loop calls the three functions on the audio
 * thread: they must not allocate, lock, do I/O or take the GIL. The unit's state lives in the
 * voice's arena (state_bytes, 8-byte aligned, at most VOICE_ARENA for the whole graph). */
#ifndef REVERIE_UNIT_ABI_H
#define REVERIE_UNIT_ABI_H
#include <stdint.h>

#define REVERIE_UNIT_ABI 1
#define REVERIE_UNIT_CAPSULE "reverie.unit"
#define REVERIE_UNIT_MAX_PARAMS 8       /* OP_PARAMS */

typedef void (*unit_init_fn)(void *state, float sample_rate);
typedef void (*unit_tick_fn)(void *state, const float *params);
typedef void (*unit_process_fn)(void *state, const float *in, float *out, int n, const float *params);

typedef struct reverie_unit {
    int32_t abi;            /* REVERIE_UNIT_ABI */
    int32_t state_bytes;    /* of its state in the voice's arena */
    int32_t inputs;         /* signals it reads: 0 or 1 */
    int32_t params;         /* parameters it reads: 0..REVERIE_UNIT_MAX_PARAMS */
    /* at note on: the state from rest (the arena holds the last voice's bytes) */
    unit_init_fn init;
    /* at each control tick (every 32 frames) with the parameters in their units; may be NULL */
    unit_tick_fn tick;
    /* n frames (1..32): in is NULL for a unit without input; params as given to tick */
    unit_process_fn process;
} reverie_unit;

#endif
