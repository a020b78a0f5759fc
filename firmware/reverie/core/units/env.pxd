# Envelopes: ADSR and AD, output 0..1.
# Attack: linear (a constant rise of 1 per attack time) or curved (the charge of a capacitor
# toward 1.3, reaching 1 in the attack time from 0, as analog envelopes do). Decay and release
# are exponential: the distance to the sustain level (or to 0) shrinks by 60 dB in their time,
# as in the sampler's envelope (dsp.pxd exp_coef). A retrigger starts the attack from the
# current level, so it never steps; the envelope ends (stage ENV_IDLE, output 0) once below
# -80 dB. Times are clamped to 0.5 ms (attack) and 1 ms (decay, release) .. 60 s: the largest
# frame-to-frame step is 1 / attack frames (1/24 at 48 kHz) in the attack and 13 % of the
# level in the fastest release.
from libc.stdint cimport int32_t
from libc.math cimport expf, logf
from reverie.core.units.common cimport *
from reverie.core.dsp cimport EnvStage, ENV_IDLE, ENV_ATTACK, ENV_DECAY, ENV_RELEASE, REVERIE_ENV_END

cdef extern from *:
    """
    #define ENV_CURVE_TARGET 1.3f      /* a curved attack charges toward 1.3 and stops at 1 */
    #define ENV_MIN_ATTACK_MS 0.5f
    #define ENV_MIN_MS 1.0f
    #define ENV_MAX_MS 60000.0f
    """
    float ENV_CURVE_TARGET
    float ENV_MIN_ATTACK_MS
    float ENV_MIN_MS
    float ENV_MAX_MS

ctypedef struct AdsrState:
    float level
    int32_t stage           # EnvStage
    float sample_rate
    float attack_ms         # the times the coefficients below were made for
    float decay_ms
    float release_ms
    int32_t curved
    float attack_inc        # linear attack: per frame
    float attack_coef       # curved attack: distance to ENV_CURVE_TARGET kept per frame
    float decay_coef
    float release_coef
    float dec               # in the decay: the level's distance to the sustain
    float dec_sustain       # the sustain `dec` is measured from

cdef inline void adsr_init(AdsrState *s, float sample_rate) noexcept nogil:
    s.sample_rate = sample_rate
    s.level = 0.0
    s.stage = ENV_IDLE
    s.attack_ms = -1.0
    s.decay_ms = -1.0
    s.release_ms = -1.0
    s.curved = -1
    s.dec = 0.0
    s.dec_sustain = -1.0

# Note on: the attack starts from wherever the envelope is.
cdef inline void adsr_reset(AdsrState *s) noexcept nogil:
    s.stage = ENV_ATTACK

# Note off: the release starts from wherever the envelope is.
cdef inline void adsr_release(AdsrState *s) noexcept nogil:
    if s.stage != ENV_IDLE:
        s.stage = ENV_RELEASE

cdef inline int adsr_active(const AdsrState *s) noexcept nogil:
    return s.stage != ENV_IDLE

# 60 dB in `ms`: the per-frame factor.
cdef inline float env_coef(float ms, float sample_rate) noexcept nogil:
    return expf(-<float>6.907755279 / (ms * <float>0.001 * sample_rate))

cdef inline void adsr_coefs(AdsrState *s, float attack_ms, float decay_ms, float release_ms,
                            int32_t curved) noexcept nogil:
    attack_ms = clip(attack_ms, ENV_MIN_ATTACK_MS, ENV_MAX_MS)
    decay_ms = clip(decay_ms, ENV_MIN_MS, ENV_MAX_MS)
    release_ms = clip(release_ms, ENV_MIN_MS, ENV_MAX_MS)
    curved = 1 if curved else 0
    if attack_ms != s.attack_ms or curved != s.curved:
        s.attack_ms = attack_ms
        s.curved = curved
        s.attack_inc = <float>1000.0 / (attack_ms * s.sample_rate)
        # from 0, 1.3 (1 - c^N) = 1 after N frames: c = (0.3 / 1.3) ^ (1 / N)
        s.attack_coef = expf(logf((ENV_CURVE_TARGET - <float>1.0) / ENV_CURVE_TARGET) * s.attack_inc)
    if decay_ms != s.decay_ms:
        s.decay_ms = decay_ms
        s.decay_coef = env_coef(decay_ms, s.sample_rate)
    if release_ms != s.release_ms:
        s.release_ms = release_ms
        s.release_coef = env_coef(release_ms, s.sample_rate)

# Renders n frames of the envelope. Times in ms, sustain 0..1, curved: 0 linear attack, 1 curved.
cdef inline void adsr_render(AdsrState *s, float attack_ms, float decay_ms, float sustain,
                             float release_ms, int32_t curved, float *out, int n) noexcept nogil:
    cdef float level = s.level
    cdef int32_t stage = s.stage
    cdef float inc, ac, dc, rc, dec
    cdef int i
    adsr_coefs(s, attack_ms, decay_ms, release_ms, curved)
    sustain = clip(sustain, <float>0.0, <float>1.0)
    inc = s.attack_inc
    ac = s.attack_coef
    dc = s.decay_coef
    rc = s.release_coef
    # The decay keeps the distance to the sustain and shrinks it by one multiply a frame: a
    # chain of one multiply per frame, not a subtraction, multiply and addition. A new
    # sustain (between blocks) measures the distance again from where the level is.
    dec = s.dec
    if stage == ENV_DECAY and sustain != s.dec_sustain:
        dec = level - sustain
    for i in range(n):
        if stage == ENV_ATTACK:
            if curved:
                level = ENV_CURVE_TARGET - (ENV_CURVE_TARGET - level) * ac
            else:
                level = level + inc
            if level >= <float>1.0:
                level = 1.0
                stage = ENV_DECAY
                dec = <float>1.0 - sustain
        elif stage == ENV_DECAY:
            dec = dec * dc
            level = sustain + dec
            if level < REVERIE_ENV_END and sustain < REVERIE_ENV_END:
                level = 0.0
                stage = ENV_IDLE
        elif stage == ENV_RELEASE:
            level = level * rc
            if level < REVERIE_ENV_END:
                level = 0.0
                stage = ENV_IDLE
        out[i] = level
    # the level at rest on the sustain stays there: the distance left is dropped rather than
    # shrunk on through denormals (checked once a block, out of the per-frame chain)
    if stage == ENV_DECAY and level == sustain:
        dec = 0.0
    s.level = level
    s.stage = stage
    s.dec = dec
    s.dec_sustain = sustain

# AD: attack, then an exponential decay to 0 without waiting for a note off (drums, plucks).
ctypedef AdsrState AdState

cdef inline void ad_init(AdState *s, float sample_rate) noexcept nogil:
    adsr_init(s, sample_rate)

cdef inline void ad_reset(AdState *s) noexcept nogil:
    adsr_reset(s)

cdef inline void ad_render(AdState *s, float attack_ms, float decay_ms, int32_t curved,
                           float *out, int n) noexcept nogil:
    adsr_render(s, attack_ms, decay_ms, <float>0.0, decay_ms, curved, out, n)
