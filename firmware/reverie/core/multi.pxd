# The multisample instrument's zone table (UNIT_MULTI). It travels in the same buffer as the
# program, after it: [Program][MultiTable][MultiZone x n][key index][sample frames...], so the
# one token a voice holds for its program (prog_token) also keeps its zones and samples alive,
# and a replaced set is released like any program (TEL_SAMPLE_RELEASED). Built on the control
# side by pack_multi (multi.pxi) and checked there by multi_check before it is posted.
from libc.stdint cimport int32_t, int64_t, uint32_t
from reverie.core.defs cimport *
from reverie.core.program cimport Program

ctypedef struct MultiZone:
    int64_t data            # byte offset of its sample (interleaved stereo float32) from the program
    int64_t frames          # the file's frames
    int64_t start           # where playing starts and ends, end exclusive (the file's frames)
    int64_t end
    int64_t loop_start      # the loop, end exclusive; used by ZONE_LOOP and ZONE_LOOP_SUSTAIN
    int64_t loop_end
    int32_t mode            # ZoneMode
    int32_t vel_lo          # velocities it plays, inclusive
    int32_t vel_hi
    int32_t seq_length      # round robin: plays on turn seq_position of every seq_length
    int32_t seq_position
    float rate              # the file's rate, Hz: played at rate / engine rate frames per frame
    float pitch_off         # semitones: -root + transpose + tune_cents / 100
    float gain_l            # volume and pan (balance), per channel
    float gain_r
    float vel_track         # -1..1: how far level follows velocity
    float attack_ms         # the set's amplitude envelope
    float decay_ms
    float sustain
    float release_ms

ctypedef struct MultiTable:
    int64_t bytes           # the whole buffer, program included
    int32_t n_zones
    int32_t n_index
    int64_t zones           # byte offset of MultiZone[n_zones] from the program
    int64_t index           # byte offset of int32_t[n_index]: zone numbers, by key
    int32_t first[128]      # key k sounds zones index[first[k] .. first[k] + count[k]), file order
    int32_t count[128]

cdef extern from *:
    """
    /* A zone's release is never shorter: a note-off never cuts a sound mid-wave. */
    #define REVERIE_MULTI_MIN_RELEASE_MS 3.0f
    """
    float REVERIE_MULTI_MIN_RELEASE_MS

# The table of a multisample program, or NULL (no set loaded: the track is silent).
cdef inline const MultiTable *multi_table(const Program *p) noexcept nogil:
    if p.n_ops < 1 or p.ops[0].kind != UNIT_MULTI or p.ops[0].conf <= 0:
        return NULL
    return <const MultiTable *>(<const char *>p + p.ops[0].conf)

cdef inline const MultiZone *multi_zones(const Program *p, const MultiTable *mt) noexcept nogil:
    return <const MultiZone *>(<const char *>p + mt.zones)

cdef inline const int32_t *multi_index(const Program *p, const MultiTable *mt) noexcept nogil:
    return <const int32_t *>(<const char *>p + mt.index)

# A note-on's turn: in order (each note counts its own note-ons) or at random (xorshift32).
cdef inline int32_t multi_turn(int32_t *rr, uint32_t *rng, int note, int random) noexcept nogil:
    cdef int32_t turn
    cdef uint32_t x
    if random:
        x = rng[0]
        if x == 0:
            x = 0x9E3779B9u
        x ^= x << 13
        x ^= x >> 17
        x ^= x << 5
        rng[0] = x
        return <int32_t>(x >> 1)
    turn = rr[note]
    rr[note] = 0 if turn >= 0x3FFFFFFF else turn + 1
    return turn

# The level a velocity gives, from the velocity curve's gain `g` (0..1) and the tracking `vt`.
cdef inline float multi_vel_gain(float g, float vt) noexcept nogil:
    if vt >= <float>0.0:
        return <float>1.0 - vt + vt * g
    return <float>1.0 + vt * g
