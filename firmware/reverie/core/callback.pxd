# The audio callback: a C function with PortAudio's signature (PaStreamCallback), registered
# through `Engine.callback_address` and `Engine.userdata_address`. It renders the block with
# engine_render() and keeps the statistics a live run needs: xruns, overloads, run times (a
# histogram in 1 us bins), and the anchor that ties engine frames to the monotonic clock.
from libc.stdint cimport int64_t, uint64_t
from posix.time cimport clock_gettime, timespec, CLOCK_MONOTONIC
from reverie.core.defs cimport CB_HIST_BINS
from reverie.core.state cimport EngineState, atomic_store_u64, anchor_write
from reverie.core.render cimport engine_render

# PortAudio's callback flags and return value (portaudio.h).
cdef enum:
    PA_INPUT_UNDERFLOW = 0x01
    PA_INPUT_OVERFLOW = 0x02
    PA_OUTPUT_UNDERFLOW = 0x04
    PA_OUTPUT_OVERFLOW = 0x08
    PA_CONTINUE = 0

ctypedef struct PaStreamCallbackTimeInfo:
    double inputBufferAdcTime
    double currentTime
    double outputBufferDacTime

cdef inline uint64_t now_ns() noexcept nogil:
    cdef timespec ts
    clock_gettime(CLOCK_MONOTONIC, &ts)
    return <uint64_t>ts.tv_sec * 1000000000ULL + <uint64_t>ts.tv_nsec

cdef inline int pa_callback(const void *inp, void *outp, unsigned long frames,
                            const PaStreamCallbackTimeInfo *time_info, unsigned long status,
                            void *user) noexcept nogil:
    cdef EngineState *st = <EngineState *>user
    cdef uint64_t t0 = now_ns()
    cdef uint64_t dt, bin
    if status & (PA_OUTPUT_UNDERFLOW | PA_INPUT_OVERFLOW):
        st.stats.xruns += 1
    # the anchor, under its seqlock: a reader never takes half of it
    anchor_write(st, st.frame, t0)
    engine_render(st, <float *>outp, <int64_t>frames)
    dt = now_ns() - t0
    bin = dt // 1000
    if bin >= CB_HIST_BINS:
        bin = CB_HIST_BINS - 1
    st.stats.cb_hist[bin] += 1
    st.stats.cb_last_ns = dt
    if dt > st.stats.cb_max_ns:
        st.stats.cb_max_ns = dt
    st.stats.period_ns = <uint64_t>(1.0e9 * frames / st.sample_rate)
    if dt > st.stats.period_ns:
        st.stats.overloads += 1
    atomic_store_u64(&st.stats.callbacks, st.stats.callbacks + 1)
    return PA_CONTINUE
