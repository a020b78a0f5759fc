# The capture ring (capture_ring.h: the last seconds of the master output, written by the
# audio thread, copied by the worker) and the preview player's state (capture_apply.pxd).
from libc.stdint cimport int32_t, int64_t, uint64_t

cdef extern from "capture_ring.h" nogil:
    ctypedef struct capture_ring:
        float *buf
        int64_t frames
        int64_t start
        int32_t token
    void capture_ring_set(capture_ring *r, float *buf, int64_t frames, int64_t at, int32_t token)
    void capture_ring_write(capture_ring *r, const float *out, int64_t first, int64_t n)
    void capture_ring_span(capture_ring *r, int64_t *first, int64_t *end)
    int64_t capture_ring_copy(capture_ring *r, float *out, int64_t first, int64_t n)

# A capture played back for listening: one buffer, straight into the master after the
# compressor (so it is heard as it was captured), taking no sample slot, voice or track.
ctypedef struct Preview:
    const float *data               # interleaved stereo; NULL: nothing plays
    int64_t frames
    int64_t pos                     # the next frame to play
    int32_t token                   # released (TEL_SAMPLE_RELEASED) when it ends or stops
    int32_t fade                    # frames left of the fade-out after a stop; 0: none
    uint64_t playing                # relaxed atomics, read by the control side:
    uint64_t played                 #   1 while playing; frames played so far
