# The engine's whole real-time state: one C struct, allocated once, handed to the callback.
from libc.stdint cimport int16_t, int32_t, int64_t, uint32_t, uint64_t
from reverie.core.defs cimport *
from reverie.core.voice cimport Voice
from reverie.core.program cimport Program
from reverie.core.fx cimport Delay, Reverb, Compressor, Limiter
from reverie.core.seq_state cimport Seq
from reverie.core.command cimport Waiting
from reverie.core.capture cimport capture_ring, Preview

cdef extern from "spsc.h" nogil:
    ctypedef struct spsc_ring:
        uint64_t head
        uint64_t tail
        uint64_t dropped
        char *buf
    void spsc_init(spsc_ring *r, char *buf, unsigned int capacity, unsigned int elem_size)
    int spsc_push(spsc_ring *r, const void *item)
    void *spsc_peek(spsc_ring *r)
    void spsc_pop(spsc_ring *r)
    uint64_t spsc_count(spsc_ring *r)
    uint64_t spsc_dropped(spsc_ring *r)
    void atomic_store_u64(uint64_t *p, uint64_t v)
    uint64_t atomic_load_u64(uint64_t *p)
    void atomic_store_f32(float *p, float v)
    float atomic_load_f32(float *p)

cdef extern from "seqlock.h" nogil:
    void seqlock_write_begin(uint64_t *seq)
    void seqlock_write_end(uint64_t *seq)
    uint64_t seqlock_read_begin(const uint64_t *seq)
    int seqlock_read_retry(const uint64_t *seq, uint64_t s)
    void seqlock_store_i64(int64_t *p, int64_t v)
    int64_t seqlock_load_i64(const int64_t *p)
    void seqlock_store_u64(uint64_t *p, uint64_t v)
    uint64_t seqlock_load_u64(const uint64_t *p)

ctypedef struct Telemetry:
    int32_t kind            # Telem
    int32_t a               # a buffer token (*_RELEASED) or a pattern slot (the others)
    int64_t frame

ctypedef struct SampleSlot:
    const float *data
    int64_t frames
    int64_t loop_start      # < 0: the file has no loop
    int64_t loop_end
    int32_t token

ctypedef struct Track:
    float base[N_TRACK_PARAMS]      # as set by the control side; a p-lock overrides it
    float target[N_TRACK_PARAMS]
    float value[N_TRACK_PARAMS]     # smoothed at control rate (continuous parameters only)
    float bus_base[N_BUS_PARAMS]
    float bus_target[N_BUS_PARAMS]
    float bus_value[N_BUS_PARAMS]
    float level_gain                # from P_LEVEL
    float pan_l                     # from P_PAN
    float pan_r
    float damping                   # SVF k from P_RESONANCE
    int32_t drive_on                # from P_DRIVE
    float drive_pre
    float drive_post
    # The bus at the last control tick, each moving by its *_step per frame until the next:
    float gain_l                    # volume x pan x mute/solo
    float gain_r
    float gain_l_step
    float gain_r_step
    float delay_send                # the delay send level, 0..1
    float delay_send_step
    float reverb_send               # the reverb send level, 0..1
    float reverb_send_step
    float peak
    int32_t voices
    int32_t busy                    # has voices or ringing bus ramps this chunk
    const Program *prog             # its instrument (at first the engine's own sampler)
    int32_t snap                    # a new program: parameters jump until the next tick
    uint32_t epoch                  # moves on whenever a value changes (graph voices notice)
    # The routes that sound (graph.pxd graph_routes), found by the first of the track's voices
    # to tick at a frame and read by the others: they depend on the track's values alone.
    int64_t mod_frame
    uint32_t mod_epoch
    const Program *mod_prog
    int32_t mod_n
    int32_t mod_used                # the sources they read, a bit each
    int32_t mod_gates               # one reaches a gating level
    int16_t mod_dest[MOD_ROWS]
    int32_t mod_src[MOD_ROWS]
    float mod_amount[MOD_ROWS]
    float mod_lfo[VOICE_LFOS][3]    # each LFO's rate (Hz), cycles per beat, phase offset
    int32_t prog_token              # the buffer holding it (0: the engine's own)
    float wheel                     # mod wheel, 0..1
    float pressure                  # aftertouch, 0..1
    float accent                    # 1 while the sequencer starts an accented step's notes
    int32_t n_held                  # mono and legato: the notes held, the latest last
    int32_t held[HELD_NOTES]
    float held_vel[HELD_NOTES]
    int32_t rr[128]                 # a multisample's round robin: note-ons of each note so far
    uint32_t rng                    # its random turns (xorshift32)

ctypedef struct Stats:
    uint64_t frames
    uint64_t callbacks
    uint64_t xruns
    uint64_t overloads
    uint64_t faults
    uint64_t commands
    uint64_t steals
    uint64_t hard_steals
    uint64_t silent_trigs
    uint64_t limiter_overshoots
    uint64_t telemetry_dropped
    uint64_t commands_waiting       # in the pending set now (due in a later block)
    uint64_t commands_held          # times a later command stayed in the ring: the pending set was full
    uint64_t voices
    uint64_t cb_max_ns
    uint64_t cb_last_ns
    uint64_t period_ns
    uint64_t cb_hist[CB_HIST_BINS]
    float peak_l
    float peak_r
    float reduction

ctypedef struct EngineState:
    double sample_rate
    int64_t frame
    int64_t next_tick
    int32_t n_counted
    int32_t n_retired
    int32_t tick_due                # a control tick ran: graph voices take theirs in the next chunk
    float ctl_smooth                # one-pole coefficient per control tick
    float master_target[N_MASTER_PARAMS]
    float master_value[N_MASTER_PARAMS]
    float mgain
    float dmgain
    float fx_return
    spsc_ring commands
    spsc_ring telemetry
    spsc_ring midi                  # MIDI messages the sequencer makes, frame-stamped
    Waiting pending[PENDING_COMMANDS]   # min-heap by (frame, order): apply_commands.pxd
    int32_t n_pending
    int32_t ring_held               # the ring's oldest command waits for room in `pending`
    uint64_t pending_order
    uint64_t anchor_seq             # seqlock count (seqlock.h): odd while the callback writes
    int64_t anchor_frame            # first frame of the last callback's block
    uint64_t anchor_ns              # monotonic time at that callback's start
    SampleSlot samples[MAX_SAMPLES]
    int32_t retired[MAX_RETIRED]
    Voice voices[VOICE_SLOTS]
    Program sampler                 # the engine's own sampler program (program.pxd)
    float scratch[VOICE_BUFS][CONTROL_FRAMES]   # a graph voice's buffers, one voice at a time
    Track tracks[MAX_TRACKS]
    float tbuf[MAX_TRACKS][2][CONTROL_FRAMES]
    float mix[2][CONTROL_FRAMES]
    float dsend[2][CONTROL_FRAMES]
    float rsend[2][CONTROL_FRAMES]
    Delay delay
    Reverb reverb
    Compressor comp
    Limiter limiter
    Stats stats
    Seq seq
    capture_ring capture            # the last seconds of the output (capture_ring.h)
    Preview preview                 # a capture played back (capture_apply.pxd)
    float pbuf[2][CONTROL_FRAMES]   # the preview's frames of this chunk

cdef inline void tel_push(EngineState *st, int kind, int a) noexcept nogil:
    cdef Telemetry m
    m.kind = kind
    m.a = a
    m.frame = st.frame
    if not spsc_push(&st.telemetry, &m):
        st.stats.telemetry_dropped += 1

# The clock anchor, under its seqlock (seqlock.h): written by the audio callback, read by
# Engine.clock_anchor() on any thread. The data are atomics accessed relaxed; the fences
# in seqlock_write_begin/end and seqlock_read_begin/retry order them.
cdef inline void anchor_write(EngineState *st, int64_t frame, uint64_t ns) noexcept nogil:
    seqlock_write_begin(&st.anchor_seq)
    seqlock_store_i64(&st.anchor_frame, frame)
    seqlock_store_u64(&st.anchor_ns, ns)
    seqlock_write_end(&st.anchor_seq)

cdef inline void anchor_read(EngineState *st, int64_t *frame, uint64_t *ns) noexcept nogil:
    cdef uint64_t s
    while True:
        s = seqlock_read_begin(&st.anchor_seq)
        frame[0] = seqlock_load_i64(&st.anchor_frame)
        ns[0] = seqlock_load_u64(&st.anchor_ns)
        if not seqlock_read_retry(&st.anchor_seq, s):
            return
