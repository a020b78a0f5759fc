# The audio thread's side of capture and listening back: taking the capture ring's buffer
# (once), writing each render into it (render.pxd), and the preview player, which plays one
# buffer straight into the master bus after the compressor, so a capture is heard as it was
# captured, without a sample slot, a voice or a track of the project.
from libc.stdint cimport int32_t, int64_t, uint64_t
from reverie.core.defs cimport *
from reverie.core.state cimport *
from reverie.core.command cimport SampleArgs
from reverie.core.capture cimport capture_ring_set

cdef enum:
    PREVIEW_FADE_FRAMES = 240       # a stop fades out over 5 ms at 48 kHz instead of clicking

cdef inline void capture_set(EngineState *st, const SampleArgs *a) noexcept nogil:
    if st.capture.buf != NULL or a.data == NULL or a.frames < 1:
        tel_push(st, TEL_SAMPLE_RELEASED, a.token)      # handed in once; the control side refuses more
        return
    capture_ring_set(&st.capture, <float *>a.data, a.frames, st.frame, a.token)

cdef inline void preview_end(EngineState *st) noexcept nogil:
    cdef Preview *p = &st.preview
    if p.data != NULL:
        atomic_store_u64(&p.played, <uint64_t>p.pos)
        tel_push(st, TEL_SAMPLE_RELEASED, p.token)
    p.data = NULL
    p.fade = 0
    atomic_store_u64(&p.playing, 0)

# A new buffer to play from its start, or (no data) a stop with a short fade.
cdef inline void preview_set(EngineState *st, const SampleArgs *a) noexcept nogil:
    cdef Preview *p = &st.preview
    if a.data == NULL:
        if p.data != NULL and p.fade == 0:
            p.fade = PREVIEW_FADE_FRAMES
        return
    preview_end(st)
    p.data = a.data
    p.frames = a.frames
    p.pos = 0
    p.token = a.token
    atomic_store_u64(&p.played, 0)
    atomic_store_u64(&p.playing, 1)

# The preview's next n frames into st.pbuf (silence when nothing plays).
cdef inline void preview_render(EngineState *st, int n) noexcept nogil:
    cdef Preview *p = &st.preview
    cdef int j
    cdef float g
    for j in range(n):
        if p.data == NULL:
            st.pbuf[0][j] = <float>0.0
            st.pbuf[1][j] = <float>0.0
            continue
        g = <float>1.0 if p.fade == 0 else <float>p.fade / <float>PREVIEW_FADE_FRAMES
        st.pbuf[0][j] = p.data[2 * p.pos] * g
        st.pbuf[1][j] = p.data[2 * p.pos + 1] * g
        p.pos += 1
        if p.fade > 0:
            p.fade -= 1
        if p.pos >= p.frames or (p.fade == 0 and g < <float>1.0):
            preview_end(st)
    if p.data != NULL:
        atomic_store_u64(&p.played, <uint64_t>p.pos)
