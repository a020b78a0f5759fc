# The render loop: engine_render() is the one render path. The audio callback (callback.pxd)
# and the offline Engine.render() both call it, so a live run and an offline render produce
# the same samples. A block is split at every command, sequencer event and control tick, so
# each starts on its exact frame whatever the block size.
from libc.stdint cimport int64_t
from libc.string cimport memset
from reverie.core.defs cimport *
from reverie.core.fx cimport REVERB_LINES, REVERB_AP, limiter_reset
from reverie.core.state cimport *
from reverie.core.voice cimport Voice, SamplerVoice, voice_render, sampler_of
from reverie.core.graph cimport graph_tick, graph_render
from reverie.core.voice_alloc cimport voice_free
from reverie.core.voice_control cimport voice_control, voice_filter_env
from reverie.core.mixer cimport track_tick, master_tick, mix_chunk
from reverie.core.seq_click cimport seq_render_click
from reverie.core.seq_transport cimport seq_run
from reverie.core.apply_commands cimport drain_commands, release_retired
from reverie.core.capture cimport capture_ring_write
from reverie.core.capture_apply cimport preview_render

# Once every CONTROL_FRAMES frames: parameters glide a step, voices take new targets.
cdef inline void control_tick(EngineState *st) noexcept nogil:
    cdef int k, any_solo = 0
    cdef Voice *v
    cdef float sr = <float>st.sample_rate
    for k in range(MAX_TRACKS):
        if st.tracks[k].bus_target[B_SOLO] > 0.5:
            any_solo = 1
    for k in range(MAX_TRACKS):
        track_tick(st, &st.tracks[k], any_solo)
        st.tracks[k].peak = st.tracks[k].peak * 0.995
    master_tick(st)
    for k in range(VOICE_SLOTS):
        v = &st.voices[k]
        if v.active:
            if v.prog.fused:
                voice_filter_env(sampler_of(v), sr)
                voice_control(sampler_of(v), v.note, &st.tracks[v.track], sr, 1)
    # A graph voice takes its tick in render_chunk, right before this frame's chunk (nothing
    # runs in between): its state is then read once per chunk instead of twice.
    st.tick_due = 1

# After a non-finite output: silence, and every voice and effect starts from rest.
cdef inline void reset_effects(EngineState *st) noexcept nogil:
    cdef int k
    cdef int64_t total
    for k in range(VOICE_SLOTS):
        if st.voices[k].active:
            voice_free(st, &st.voices[k])
    memset(st.delay.buf, 0, sizeof(float) * 2 * (st.delay.mask + 1))
    st.delay.lp_l = 0.0
    st.delay.lp_r = 0.0
    total = st.reverb.off[REVERB_LINES + REVERB_AP - 1] + st.reverb.length[REVERB_LINES + REVERB_AP - 1]
    memset(st.reverb.buf, 0, sizeof(float) * total)
    for k in range(REVERB_LINES):
        st.reverb.lp[k] = 0.0
    st.comp.reduction_db = 0.0
    limiter_reset(&st.limiter)

# n frames (at most CONTROL_FRAMES, within one control tick): voices into their track
# buffers, then the mix.
cdef inline void render_chunk(EngineState *st, float *out, int n) noexcept nogil:
    cdef int k, j, alive
    cdef Voice *v
    cdef Track *t
    cdef int offset = <int>(st.frame - (st.next_tick - CONTROL_FRAMES))
    for k in range(MAX_TRACKS):
        t = &st.tracks[k]
        t.busy = t.voices > 0
        if t.busy:
            for j in range(n):
                st.tbuf[k][0][j] = 0.0
                st.tbuf[k][1][j] = 0.0
    for k in range(VOICE_SLOTS):
        v = &st.voices[k]
        if v.active:
            if v.prog.fused:
                alive = voice_render(v, sampler_of(v), &st.tbuf[v.track][0][0], &st.tbuf[v.track][1][0], n)
            else:
                if st.tick_due:
                    graph_tick(st, v, 0)
                if n == CONTROL_FRAMES:
                    # a whole tick (offset 0), the usual chunk: a copy of the op loop whose
                    # frame counts the compiler knows (the same arithmetic)
                    alive = graph_render(st, v, &st.tbuf[v.track][0][0], &st.tbuf[v.track][1][0],
                                         CONTROL_FRAMES, 0)
                else:
                    alive = graph_render(st, v, &st.tbuf[v.track][0][0], &st.tbuf[v.track][1][0],
                                         n, offset)
            if not alive:
                voice_free(st, v)
    st.tick_due = 0
    seq_render_click(&st.seq, n)
    preview_render(st, n)
    if not mix_chunk(st, out, offset, n):
        st.stats.faults += 1
        reset_effects(st)

# Renders `frames` frames of interleaved stereo float32 into `out`.
cdef inline void engine_render(EngineState *st, float *out, int64_t frames) noexcept nogil:
    cdef int64_t done = 0, nxt, sq
    cdef int64_t n
    while done < frames:
        nxt = drain_commands(st)
        sq = seq_run(st)
        if sq > st.frame and (nxt < 0 or sq < nxt):
            nxt = sq
        if st.frame == st.next_tick:
            control_tick(st)
            st.next_tick += CONTROL_FRAMES
        n = st.next_tick - st.frame
        if frames - done < n:
            n = frames - done
        if nxt > st.frame and nxt - st.frame < n:
            n = nxt - st.frame
        render_chunk(st, out + 2 * done, <int>n)
        st.frame += n
        done += n
    release_retired(st)
    # what was heard, after the limiter, into the capture ring (capture_ring.h)
    capture_ring_write(&st.capture, out, st.frame - frames, frames)
    st.stats.commands_waiting = st.n_pending
    st.stats.frames = st.frame
    st.stats.voices = st.n_counted
