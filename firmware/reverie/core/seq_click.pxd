# The metronome click: 880 Hz on a beat, 1760 Hz on the bar, 12 ms decay, mixed into the
# master by mix_chunk() from click_buf.
from libc.stdint cimport int64_t
from libc.string cimport memset
from libc.math cimport sinf
from reverie.core.defs cimport CONTROL_FRAMES, TICKS_PER_BEAT
from reverie.core.state cimport EngineState
from reverie.core.seq_state cimport Seq
from reverie.core.seq_time cimport rv_floordiv

# Starts a click at tick t.
cdef inline void seq_click(EngineState *st, int64_t t) noexcept nogil:
    cdef Seq *q = &st.seq
    cdef int accent = rv_floordiv(t, 4 * TICKS_PER_BEAT) * 4 * TICKS_PER_BEAT == t
    q.click_phase = 0.0
    q.click_inc = <float>(6.283185307179586 * (1760.0 if accent else 880.0) / st.sample_rate)
    q.click_env = q.click_gain * (<float>1.0 if accent else <float>0.6)
    q.clicking = 1

cdef inline void seq_render_click(Seq *q, int n) noexcept nogil:
    # The click is faded per sample, so where it ends does not depend on the block size.
    cdef int j
    if q.clicking:
        for j in range(n):
            q.click_buf[j] = q.click_env * sinf(q.click_phase)
            q.click_phase = q.click_phase + q.click_inc
            q.click_env = q.click_env * q.click_decay
            if q.click_env < <float>1.0e-4:
                q.click_env = 0.0
        q.click_dirty = 1
        if q.click_env == 0.0:
            q.clicking = 0
    elif q.click_dirty:
        memset(q.click_buf, 0, sizeof(float) * CONTROL_FRAMES)
        q.click_dirty = 0
