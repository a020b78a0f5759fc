# The interface of a unit compiled outside the core (unit_abi.h): cimported by the core's
# voice loop and by a hobbyist's unit module alike (docs/instrument-api.md).
from libc.stdint cimport int32_t

cdef extern from "unit_abi.h":
    int REVERIE_UNIT_ABI
    const char *REVERIE_UNIT_CAPSULE
    int REVERIE_UNIT_MAX_PARAMS
    ctypedef void (*unit_init_fn)(void *state, float sample_rate) noexcept nogil
    ctypedef void (*unit_tick_fn)(void *state, const float *params) noexcept nogil
    ctypedef void (*unit_process_fn)(void *state, const float *inp, float *out, int n,
                                     const float *params) noexcept nogil
    ctypedef struct reverie_unit:
        int32_t abi
        int32_t state_bytes
        int32_t inputs
        int32_t params
        unit_init_fn init
        unit_tick_fn tick
        unit_process_fn process
