# A voice program: the flat form of an instrument's voice graph (docs/engine.md, "Voice
# graphs"). The control side compiles a graph (sound/graph.py) into one Program, a plain
# struct (its only pointers: an op's `data`), owned by Python and handed to the engine like a
# sample buffer.
# A voice runs its ops in order over each chunk (at most CONTROL_FRAMES frames): one switch
# on the unit kind and a call to the unit's render (graph.pxd).
from libc.stdint cimport int16_t, int32_t, uint8_t
from libc.string cimport memset
from reverie.core.defs cimport *

ctypedef struct ProgOp:
    int32_t kind            # Unit
    int32_t state           # byte offset of the unit's state in the voice's arena
    int32_t conf            # a fixed setting (an envelope's curve, a channel)
    float k                 # a fixed number (an oscillator's octave offset)
    int16_t inp[OP_INPUTS]  # scratch buffers read, -1: none
    int16_t out             # the scratch buffer written, -1: none
    int16_t par[OP_PARAMS]  # the track parameters it reads, -1: none
    int16_t when_param      # runs only while this parameter equals when_value (-1: always)
    int16_t when_value
    int16_t gate            # skipped while this level parameter is 0 now and at the last tick
    int32_t dims[3]         # a wavetable's levels, frames and points per frame
    const void *data        # a wavetable's mip-maps, an extern unit's reverie_unit (unit_abi.h):
                            # memory the program's Python owner keeps alive (sound/graph.py)

ctypedef struct ProgParam:
    int32_t flags           # ParamFlag
    float lo                # clamp of the value a voice computes, in the parameter's units
    float hi
    float span              # the whole range in its kept form (octaves for PARAM_LOG2)

ctypedef struct ModRow:
    int16_t src             # ModSource; -1: parameter src_param holds the ModSource
    int16_t src_param
    int16_t dest            # parameter id; -1: parameter dest_param picks one of `dests`
    int16_t dest_param
    int16_t amount          # the parameter holding the amount
    int16_t relative        # 1: the amount is a fraction of the destination's span

ctypedef struct Program:
    int32_t n_ops
    int32_t n_rows
    int32_t n_params        # the instrument's parameters are ids 0..n_params-1
    int32_t n_voice         # entries of voice_params
    int32_t n_dests         # entries of dests
    int32_t arena_bytes     # of the voice's arena its ops use
    int32_t derive          # 1: the sampler's derived track values (mixer.pxd track_derive)
    int32_t fused           # 1: the sampler super-unit (its control tick is its own)
    int16_t choke           # parameters (-1: none): choke group,
    int16_t vmode           #   VoiceMode,
    int16_t glide_ms        #   glide time,
    int16_t unison          #   voices stacked per note,
    int16_t detune          #   their detune (cents, whole spread),
    int16_t spread          #   their stereo spread (0..1)
    int16_t lfo[VOICE_LFOS][5]  # per LFO: shape, rate_hz, sync (cycles per beat, 0: free), retrigger, phase
    int16_t env2[4]         # the modulation envelope: attack, decay, sustain, release
    int16_t voice_params[N_TRACK_PARAMS]    # computed per voice at each tick (modulated)
    int16_t dests[N_TRACK_PARAMS]           # what a dest_param's value names
    ProgParam params[N_TRACK_PARAMS]
    ModRow rows[MOD_ROWS]
    ProgOp ops[PROGRAM_OPS]

cdef extern from *:
    """
    /* Sampler parameters that glide (one-pole per control tick) instead of jumping. */
    static const unsigned char reverie_smoothed[28] = {
        0, 1, 1, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 1,
        1, 1, 0, 0, 0, 0, 1, 1, 1, 0, 0, 0};
    """
    const unsigned char reverie_smoothed[28]

cdef inline void program_clear(Program *p) noexcept nogil:
    cdef int k
    memset(p, 0, sizeof(Program))
    p.choke = -1
    p.vmode = -1
    p.glide_ms = -1
    p.unison = -1
    p.detune = -1
    p.spread = -1
    for k in range(VOICE_LFOS):
        p.lfo[k][0] = -1
        p.lfo[k][1] = -1
        p.lfo[k][2] = -1
        p.lfo[k][3] = -1
        p.lfo[k][4] = -1
    for k in range(4):
        p.env2[k] = -1

# The engine's own first program on every track: the sampler as one fused op. The sampler's
# graph in sound/instruments/sampler.py compiles to the same bytes (tests/sound/test_graph.py).
cdef inline void program_sampler(Program *p) noexcept nogil:
    cdef int k
    program_clear(p)
    p.n_ops = 1
    p.n_params = 28
    p.derive = 1
    p.fused = 1
    p.choke = P_CHOKE
    for k in range(28):
        p.params[k].flags = PARAM_SMOOTH if reverie_smoothed[k] else 0
    p.params[P_CUTOFF].flags = PARAM_SMOOTH | PARAM_LOG2
    p.params[P_CUTOFF].lo = 10.0
    p.params[P_CUTOFF].hi = 24000.0
    p.ops[0].kind = UNIT_SAMPLER
    p.ops[0].out = -1
    p.ops[0].when_param = -1
    p.ops[0].gate = -1
    for k in range(OP_INPUTS):
        p.ops[0].inp[k] = -1
    for k in range(OP_PARAMS):
        p.ops[0].par[k] = -1
