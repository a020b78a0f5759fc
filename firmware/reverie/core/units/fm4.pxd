# Four FM operators in one fused op (UNIT_FM4, the `fm` instrument; docs/instruments.md "fm").
# Per frame, operators 4, 3, 2, 1 in that order (a modulator always has the higher number, so
# every algorithm runs without a frame of delay):
#   s4 = e4 sin(2 pi ph4 + fb (s4[-1] + s4[-2]) / 2)      feedback on op 4, fm.pxd's form
#   sk = ek sin(2 pi phk + D sum_{m modulates k} Lm sm)     k = 3, 2, 1
#   out = (sum_{k carrier} Lk sk) / carriers
# ek: the operator's own ADSR (env.pxd, audio rate); Lk its level (a carrier's amplitude; as a
# modulator, its modulation index in radians); D = depth x (1 - v + v x velocity), v the
# velocity-to-index amount. The phase increment is ratio x the note's increment, in double
# (exact: a ratio of 3 is 3 x the note's increment), times the tune, or fixed_hz / SR.
# Levels, D, feedback, tune and ratios are read at each control tick and ramped linearly per
# frame to the next tick (frame t of a tick: x0 + (x1 - x0) t / CONTROL_FRAMES), so rendering
# in chunks of any size gives the same output and a moving knob does not zipper.
from libc.stdint cimport int32_t
from libc.math cimport exp2
from reverie.core.defs cimport CONTROL_FRAMES
from reverie.core.units.common cimport *
from reverie.core.units.env cimport (AdsrState, adsr_init, adsr_reset, adsr_release,
                                     adsr_render)

# The op's parameter block: consecutive track parameters from op.par[0], in this order
# (sound/graph.py UNITS["fm4"] names them in the same order).
cdef enum:  # Fm4Param
    FM4_ALGORITHM = 0       # 0..7
    FM4_FEEDBACK = 1        # radians, 0..2 (op 4)
    FM4_DEPTH = 2           # x every modulator's index (the wheel's and LFO's destination)
    FM4_VEL_INDEX = 3       # 0..1: how much velocity scales the modulation index
    FM4_TUNE = 4            # semitones, the whole voice (vibrato's destination)
    FM4_OP = 5              # the first operator's block; then each FM4_OP_STRIDE further
    FM4_OP_RATIO = 0        # coarse ratio: 0 = 0.5, 1..16 = itself
    FM4_OP_FINE = 1         # cents
    FM4_OP_FIXED = 2        # Hz; 0 = follow the note
    FM4_OP_LEVEL = 3        # 0..16
    FM4_OP_ATTACK = 4       # ms
    FM4_OP_DECAY = 5        # ms
    FM4_OP_SUSTAIN = 6      # 0..1
    FM4_OP_RELEASE = 7      # ms
    FM4_OP_STRIDE = 8
    FM4_PARAMS = 37         # FM4_OP + 4 x FM4_OP_STRIDE
    FM4_ALGORITHMS = 8

cdef extern from *:
    """
    /* Per algorithm: bit m of mods[a][k] = operator m+1 modulates operator k+1; carriers:
       bit k = operator k+1 is heard. The eight classic 4-operator topologies. */
    static const unsigned char fm4_mods[8][4] = {
        {0x2, 0x4, 0x8, 0}, /* 1: 4 > 3 > 2 > 1 */
        {0x2, 0xC, 0, 0},   /* 2: (3 + 4) > 2 > 1 */
        {0xA, 0x4, 0, 0},   /* 3: (4 + (3 > 2)) > 1 */
        {0x6, 0, 0x8, 0},   /* 4: ((4 > 3) + 2) > 1 */
        {0x2, 0, 0x8, 0},   /* 5: 2 > 1, 4 > 3 */
        {0x8, 0x8, 0x8, 0}, /* 6: 4 > (1, 2, 3) */
        {0, 0, 0x8, 0},     /* 7: 4 > 3, 2, 1 */
        {0, 0, 0, 0}};      /* 8: 1, 2, 3, 4 */
    static const unsigned char fm4_carriers[8] = {0x1, 0x1, 0x1, 0x1, 0x5, 0x7, 0x7, 0xF};
    """
    const unsigned char fm4_mods[8][4]
    const unsigned char fm4_carriers[8]

ctypedef struct Fm4State:
    double phase[4]         # cycles, 0..1
    double a0[4]            # ratio / SR (0 when fixed) at the last tick ...
    double a1[4]            # ... and at this one
    double b0[4]            # fixed_hz / SR (0 when following the note)
    double b1[4]
    float lv0[4]            # levels
    float lv1[4]
    float d0                # modulation index scale D
    float d1
    float fb0               # feedback, radians
    float fb1
    float t0                # tune, as a frequency multiplier
    float t1
    float p1                # op 4's last two outputs before its level (feedback memory)
    float p2
    float inv_sr
    int32_t tick            # the voice's tick these values were read at (-1: none yet)
    int32_t alg
    AdsrState env[4]

cdef inline void fm4_init(Fm4State *s, float sample_rate) noexcept nogil:
    cdef int k
    s.inv_sr = <float>1.0 / sample_rate
    for k in range(4):
        adsr_init(&s.env[k], sample_rate)
        s.phase[k] = 0.0
    s.p1 = 0.0
    s.p2 = 0.0
    s.tick = -1
    s.alg = 0

# Note on: phases to 0 (key sync) and the operators' envelopes attack from where they are.
cdef inline void fm4_reset(Fm4State *s) noexcept nogil:
    cdef int k
    for k in range(4):
        s.phase[k] = 0.0
        adsr_reset(&s.env[k])

# Mono retrigger: the envelopes start again from their level; the phases run on.
cdef inline void fm4_retrigger(Fm4State *s) noexcept nogil:
    cdef int k
    for k in range(4):
        adsr_reset(&s.env[k])

cdef inline void fm4_release(Fm4State *s) noexcept nogil:
    cdef int k
    for k in range(4):
        adsr_release(&s.env[k])

# A tick's values from the parameter block `p` (the voice's control values, in their units).
cdef inline void fm4_tick(Fm4State *s, const float *p, float velocity) noexcept nogil:
    cdef int k, c, first = s.tick < 0
    cdef const float *o
    cdef double ratio
    cdef float vel = clip(p[FM4_VEL_INDEX], <float>0.0, <float>1.0)
    s.alg = <int>clip(p[FM4_ALGORITHM] + <float>0.5, <float>0.0, <float>7.0)
    s.d0 = s.d1
    s.d1 = clip(p[FM4_DEPTH], <float>0.0, <float>8.0) * (<float>1.0 - vel + vel * velocity)
    s.fb0 = s.fb1
    s.fb1 = clip(p[FM4_FEEDBACK], <float>0.0, <float>4.0)
    s.t0 = s.t1
    s.t1 = <float>exp2(<double>clip(p[FM4_TUNE], <float>-48.0, <float>48.0) * (1.0 / 12.0))
    for k in range(4):
        o = p + FM4_OP + k * FM4_OP_STRIDE
        s.a0[k] = s.a1[k]
        s.b0[k] = s.b1[k]
        s.lv0[k] = s.lv1[k]
        s.lv1[k] = clip(o[FM4_OP_LEVEL], <float>0.0, <float>16.0)
        if o[FM4_OP_FIXED] > <float>0.0:
            s.a1[k] = 0.0
            s.b1[k] = clipd(<double>o[FM4_OP_FIXED], 0.0, 24000.0) * <double>s.inv_sr
        else:
            c = <int>clip(o[FM4_OP_RATIO] + <float>0.5, <float>0.0, <float>16.0)
            ratio = 0.5 if c == 0 else <double>c
            if o[FM4_OP_FINE] != <float>0.0:
                ratio = ratio * exp2(<double>clip(o[FM4_OP_FINE], <float>-1200.0, <float>1200.0)
                                     * (1.0 / 1200.0))
            s.a1[k] = ratio * <double>s.inv_sr
            s.b1[k] = 0.0
    if first:
        s.d0 = s.d1
        s.fb0 = s.fb1
        s.t0 = s.t1
        for k in range(4):
            s.a0[k] = s.a1[k]
            s.b0[k] = s.b1[k]
            s.lv0[k] = s.lv1[k]

# sin(2 pi x), x in cycles, in single precision: the operators' chain (each sine waits for the
# last) is what a voice's time goes to, and float to double conversions lengthen it. Exact
# enough: the phase itself accumulates in double and enters here in [0, 1) (float steps of
# 6e-8 cycles); a modulation of k cycles adds steps of k x 6e-8. The table index wraps with a
# mask (UNIT_SINE_SIZE is a power of two). 0 for NaN, infinity or beyond 2^20 cycles, never a
# read outside the table.
cdef inline float fm4_sin(float x) noexcept nogil:
    cdef int32_t j
    cdef float u
    if not (x > <float>-1048576.0 and x < <float>1048576.0):
        return 0.0
    u = x * <float>UNIT_SINE_SIZE
    j = <int32_t>u
    if u < <float>j:
        j -= 1
    u = u - <float>j
    j = j & (UNIT_SINE_SIZE - 1)
    return unit_sine[j] + u * (unit_sine[j + 1] - unit_sine[j])

# The same for x in (-1, 2^20): operator 4's phase plus its feedback (at most 4 rad x 0.5 x 2 /
# 2 pi = 0.64 cycles either way) always is. One cast is the floor: the feedback loop, a frame
# waiting for the last, is one comparison shorter.
cdef inline float fm4_sin_fb(float x) noexcept nogil:
    cdef float u = (x + <float>1.0) * <float>UNIT_SINE_SIZE
    cdef int32_t j = <int32_t>u
    u = u - <float>j
    j = j & (UNIT_SINE_SIZE - 1)
    return unit_sine[j] + u * (unit_sine[j + 1] - unit_sine[j])

# One chunk of n <= CONTROL_FRAMES frames, `offset` frames after the tick `tick`. pitch: the
# note's frequency per frame (Hz, the glide's output); out: the carriers' mix.
cdef inline void fm4_render(Fm4State *s, const float *p, float velocity, int32_t tick,
                            const float *pitch, float *out, int n, int offset) noexcept nogil:
    cdef float env[4][CONTROL_FRAMES]
    cdef float dl[4]
    cdef double da[4]
    cdef double db[4]
    cdef double ph[4]
    cdef double inc, f, tm
    cdef float inv = <float>1.0 / <float>CONTROL_FRAMES
    cdef float cyc = <float>(1.0 / UNIT_TWO_PI)
    cdef float t, dd, dfb, dt, d, fb, s1, s2, s3, s4, y2, y3, y4, acc, g
    cdef float p1 = s.p1, p2 = s.p2
    cdef float m12, m13, m14, m23, m24, m34, c1, c2, c3, c4
    cdef int i, k, a, steady = 1
    cdef const float *o
    if tick != s.tick:
        fm4_tick(s, p, velocity)
        s.tick = tick
    for k in range(4):
        o = p + FM4_OP + k * FM4_OP_STRIDE
        adsr_render(&s.env[k], o[FM4_OP_ATTACK], o[FM4_OP_DECAY], o[FM4_OP_SUSTAIN],
                    o[FM4_OP_RELEASE], 0, &env[k][0], n)
        dl[k] = (s.lv1[k] - s.lv0[k]) * inv
        da[k] = (s.a1[k] - s.a0[k]) * <double>inv
        db[k] = (s.b1[k] - s.b0[k]) * <double>inv
        if da[k] != 0.0 or db[k] != 0.0:
            steady = 0      # a ratio moving across this tick (s.a0 + 0 x t == s.a1 otherwise)
        ph[k] = s.phase[k]
    a = s.alg
    m12 = <float>((fm4_mods[a][0] >> 1) & 1)
    m13 = <float>((fm4_mods[a][0] >> 2) & 1)
    m14 = <float>((fm4_mods[a][0] >> 3) & 1)
    m23 = <float>((fm4_mods[a][1] >> 2) & 1)
    m24 = <float>((fm4_mods[a][1] >> 3) & 1)
    m34 = <float>((fm4_mods[a][2] >> 3) & 1)
    c1 = <float>(fm4_carriers[a] & 1)
    c2 = <float>((fm4_carriers[a] >> 1) & 1)
    c3 = <float>((fm4_carriers[a] >> 2) & 1)
    c4 = <float>((fm4_carriers[a] >> 3) & 1)
    g = <float>1.0 / (c1 + c2 + c3 + c4)
    dd = (s.d1 - s.d0) * inv
    dfb = (s.fb1 - s.fb0) * inv
    dt = (s.t1 - s.t0) * inv
    for i in range(n):
        t = <float>(offset + i)
        d = (s.d0 + dd * t) * cyc                   # radians to cycles
        fb = (s.fb0 + dfb * t) * (<float>0.5 * cyc)
        tm = <double>(s.t0 + dt * t) * <double>pitch[i]
        # operator 4, with feedback
        s4 = env[3][i] * fm4_sin_fb(<float>ph[3] + fb * (p1 + p2))
        p2 = p1
        p1 = s4
        y4 = (s.lv0[3] + dl[3] * t) * s4
        s3 = env[2][i] * fm4_sin(<float>ph[2] + d * (m34 * y4))
        y3 = (s.lv0[2] + dl[2] * t) * s3
        s2 = env[1][i] * fm4_sin(<float>ph[1] + d * (m23 * y3 + m24 * y4))
        y2 = (s.lv0[1] + dl[1] * t) * s2
        s1 = env[0][i] * fm4_sin(<float>ph[0] + d * (m12 * y2 + m13 * y3 + m14 * y4))
        acc = c1 * (s.lv0[0] + dl[0] * t) * s1 + c2 * y2 + c3 * y3 + c4 * y4
        out[i] = g * acc
        for k in range(4):
            if steady:
                inc = s.a1[k] * tm + s.b1[k]
            else:
                f = <double>t
                inc = (s.a0[k] + da[k] * f) * tm + (s.b0[k] + db[k] * f)
            if inc >= 0.5:
                inc = 0.0                           # above Nyquist: silent, not aliased
            ph[k] = ph[k] + inc
            if ph[k] >= 1.0:
                ph[k] = ph[k] - 1.0
    for k in range(4):
        s.phase[k] = ph[k]
    s.p1 = p1
    s.p2 = p2
