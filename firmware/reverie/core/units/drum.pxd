# Synthesised drums (the `drums` instrument, docs/instruments.md "drums"): one unit that is
# any of six analogue-style models, the op's `conf` saying which; the voice's note picks the
# drum (drum_of_note, the General MIDI map), so one track plays a whole kit.
#   kick   sine whose pitch falls from tune * 2^sweep to tune (exponentially in octaves,
#          -60 dB of the sweep in sweep_ms), plus a 4 ms noise click
#   snare  two membrane modes (1 : 1.59) with a small pitch drop, plus band-passed noise
#   clap   band-passed noise in 1..8 bursts `spread_ms` apart, the last one the tail
#   hats   six square oscillators at the classic inharmonic frequencies (205.3 .. 800 Hz)
#          and some noise through a resonant high-pass (closed and open: two sets)
#   tom    sine with a pitch drop, pitched by the note, plus a noise stick
# Every amplitude decay is exponential: -60 dB in its time (dsp.pxd exp_coef). A voice opens
# over a fixed 0.5 ms onset ramp and ends once its envelopes are below -80 dB. Parameters
# are read per chunk; the output gain (levels, velocity) is ramped per frame over the tick.
from libc.stdint cimport int32_t, uint32_t
from libc.math cimport exp2f, powf, tanf, M_PI
from reverie.core.units.common cimport *
from reverie.core.dsp cimport exp_coef, REVERIE_ENV_END
from reverie.core.defs cimport DRUM_KICK, DRUM_SNARE, DRUM_CLAP, DRUM_TOM

cdef enum:
    DRUM_CHUNK = 32         # frames rendered at once (a chunk is at most CONTROL_FRAMES)
    DRUM_HATS = 6           # square oscillators of a hat
    DRUM_SEG = 16           # frames over which a pitch sweep's frequency moves in a straight line

cdef extern from *:
    """
    /* General MIDI drum notes 35..51 and the drum each plays; another note plays what its
       pitch class plays in 36..47 (60, a pad's note, is a kick). */
    static const signed char reverie_drum_gm[17] = {
        0, 0, 1, 1, 2, 1, 5, 3, 5, 3, 5, 4, 5, 5, 4, 5, 4};
    /* The classic analogue hat's six square oscillators, Hz. */
    static const float reverie_hat_hz[6] = {205.3f, 304.4f, 369.6f, 522.7f, 540.0f, 800.0f};
    #define DRUM_ONSET_MS 0.5f      /* every drum opens over 0.5 ms */
    #define DRUM_CLICK_MS 4.0f      /* the kick's click: -60 dB in 4 ms */
    #define DRUM_SNARE_BEND 0.25f   /* the snare's modes fall a quarter octave */
    #define DRUM_SNARE_BEND_MS 30.0f
    #define DRUM_SNARE_MODE 1.59f   /* the second mode of a circular membrane */
    """
    const signed char reverie_drum_gm[17]
    const float reverie_hat_hz[6]
    float DRUM_ONSET_MS
    float DRUM_CLICK_MS
    float DRUM_SNARE_BEND
    float DRUM_SNARE_BEND_MS
    float DRUM_SNARE_MODE

# The General MIDI note a note stands for: itself in 35..51, else its pitch class in 36..47.
cdef inline int drum_gm_note(int note) noexcept nogil:
    if 35 <= note <= 51:
        return note
    return 36 + (note % 12 if note >= 0 else 0)

cdef inline int drum_of_note(int note) noexcept nogil:
    return reverie_drum_gm[drum_gm_note(note) - 35]

# A tom's pitch against its tune (the tune is the low tom's, note 45): two semitones a note,
# so 41 .. 50 span -8 .. +10 semitones.
cdef inline float drum_tom_ratio(int note) noexcept nogil:
    return exp2f(<float>(drum_gm_note(note) - 45) * <float>(1.0 / 6.0))

ctypedef struct DrumState:
    float sample_rate
    int32_t kind
    int32_t frames          # since note on
    int32_t onset           # frames of the onset ramp
    int32_t burst           # clap: bursts started
    int32_t count           # clap: bursts in all
    uint32_t rng
    double phase1           # sine phases, cycles
    double phase2
    uint32_t hat_phase[DRUM_HATS]
    uint32_t hat_inc[DRUM_HATS]
    float ratio             # tom: the note's pitch ratio
    float amp               # main envelope and its factor per frame
    float amp_coef
    float amp2              # second envelope: kick click, snare and tom noise, clap bursts
    float amp2_coef
    float pitch             # pitch envelope, 1 -> 0, at the start of the next segment
    float pitch_coef        # its factor a segment (DRUM_SEG frames)
    int32_t seg             # frames left in this segment
    float inc               # the frequency this frame, cycles a frame, and its step a frame
    float dinc
    float key_decay         # what the coefficients were made for
    float key_decay2
    float key_pitch
    float key_tune
    float key_tone
    float a1                # TPT state-variable filter (snare, clap, hats)
    float a2
    float a3
    float k
    float ic1
    float ic2
    float key_gain[2][3]    # level, kit level, velocity sensitivity: at the last tick, now
    float gain[2]

cdef inline void drum_init(DrumState *s, float sample_rate, int kind, int note,
                           uint32_t seed) noexcept nogil:
    cdef int i
    s.sample_rate = sample_rate
    s.kind = kind
    s.frames = 0
    s.onset = <int32_t>(DRUM_ONSET_MS * <float>0.001 * sample_rate + <float>0.5)
    if s.onset < 1:
        s.onset = 1
    s.burst = 0
    s.count = 1
    s.rng = rng_seed(seed)
    s.phase1 = 0.0
    s.phase2 = 0.0
    for i in range(DRUM_HATS):
        # free-running oscillators: each hit catches them at some phase, never all in step
        s.rng = rng_next(s.rng)
        s.hat_phase[i] = s.rng
        s.hat_inc[i] = 0
    s.ratio = drum_tom_ratio(note)
    s.amp = 1.0
    s.amp2 = <float>1.0 if kind == DRUM_KICK or kind == DRUM_SNARE or kind == DRUM_TOM else <float>0.0
    s.pitch = 1.0
    s.seg = 0
    s.key_decay = -1.0
    s.key_decay2 = -1.0
    s.key_pitch = -1.0
    s.key_tune = -1.0e30
    s.key_tone = -1.0
    s.ic1 = 0.0
    s.ic2 = 0.0
    for i in range(3):
        s.key_gain[0][i] = -1.0e30
        s.key_gain[1][i] = -1.0e30

# Coefficients, made again only when their parameter moved.
cdef inline void drum_decays(DrumState *s, float decay_ms, float decay2_ms, float pitch_ms) noexcept nogil:
    if decay_ms != s.key_decay:
        s.key_decay = decay_ms
        s.amp_coef = exp_coef(clip(decay_ms, <float>1.0, <float>60000.0), s.sample_rate)
    if decay2_ms != s.key_decay2:
        s.key_decay2 = decay2_ms
        s.amp2_coef = exp_coef(clip(decay2_ms, <float>1.0, <float>60000.0), s.sample_rate)
    if pitch_ms != s.key_pitch:
        s.key_pitch = pitch_ms
        s.pitch_coef = powf(exp_coef(clip(pitch_ms, <float>1.0, <float>60000.0), s.sample_rate),
                            <float>DRUM_SEG)

# The filter for a centre or corner frequency and a damping k (2: Q 0.5).
cdef inline void drum_filter(DrumState *s, float hz, float k) noexcept nogil:
    cdef float g
    if hz != s.key_tone:
        s.key_tone = hz
        g = tanf(<float>M_PI * clip(hz, <float>20.0, <float>0.45 * s.sample_rate) / s.sample_rate)
        s.k = k
        s.a1 = <float>1.0 / (<float>1.0 + g * (g + k))
        s.a2 = g * s.a1
        s.a3 = g * s.a2

# One frame of the filter: band-pass (mode 1) or high-pass (mode 2).
cdef inline float drum_svf(DrumState *s, float x, int mode) noexcept nogil:
    cdef float v3 = x - s.ic2
    cdef float v1 = s.a1 * s.ic1 + s.a2 * v3
    cdef float v2 = s.ic2 + s.a2 * s.ic1 + s.a3 * v3
    s.ic1 = <float>2.0 * v1 - s.ic1
    s.ic2 = <float>2.0 * v2 - s.ic2
    if mode == 1:
        return v1
    return x - s.k * v1 - v2

# One frame of an exponential decay; below -80 dB it rests at 0 (no denormals, and the frame
# it ends on does not depend on how the frames are chunked).
cdef inline float fall(float v, float coef) noexcept nogil:
    v = v * coef
    return v if v >= REVERIE_ENV_END else <float>0.0

# The frequency of a pitch swept `octaves` above `hz` by the pitch envelope, in cycles a
# frame: worked out exactly at the start of each segment of DRUM_SEG frames of the voice and
# moved in a straight line across it (one exp2f a segment, not a frame; frames of the voice,
# so the same however the engine chunks them).
cdef inline float sweep_inc(DrumState *s, float hz, float octaves) noexcept nogil:
    cdef float inc, end
    if s.seg == 0:
        s.seg = DRUM_SEG
        # below Nyquist, so a phase never passes 2 cycles (the sine table reads [0, 1))
        s.inc = clip(hz * exp2f(octaves * s.pitch) / s.sample_rate, <float>0.0, <float>0.45)
        s.pitch = fall(s.pitch, s.pitch_coef)
        end = clip(hz * exp2f(octaves * s.pitch) / s.sample_rate, <float>0.0, <float>0.45)
        s.dinc = (end - s.inc) * <float>(1.0 / DRUM_SEG)
    inc = s.inc
    s.inc += s.dinc
    s.seg -= 1
    return inc

cdef inline float drum_noise(DrumState *s) noexcept nogil:
    s.rng = rng_next(s.rng)
    return rng_bipolar(s.rng)

# --- the models: a mono chunk, before the output gain -------------------------------------

cdef inline void kick_render(DrumState *s, float tune, float decay, float sweep, float sweep_ms,
                             float click, float *x, int n) noexcept nogil:
    cdef int j
    drum_decays(s, decay, DRUM_CLICK_MS, sweep_ms)
    tune = clip(tune, <float>10.0, <float>2000.0)
    sweep = clip(sweep, <float>0.0, <float>8.0)
    click = clip(click, <float>0.0, <float>1.0) * <float>0.5
    for j in range(n):
        x[j] = sine_of(s.phase1) * s.amp + click * drum_noise(s) * s.amp2
        s.phase1 += <double>sweep_inc(s, tune, sweep)
        if s.phase1 >= 1.0:
            s.phase1 -= 1.0
        s.amp = fall(s.amp, s.amp_coef)
        s.amp2 = fall(s.amp2, s.amp2_coef)

cdef inline void tom_render(DrumState *s, float tune, float decay, float bend, float noise,
                            float *x, int n) noexcept nogil:
    cdef int j
    drum_decays(s, decay, decay * <float>0.25, decay * <float>0.5)
    tune = clip(tune, <float>10.0, <float>4000.0) * s.ratio
    bend = clip(bend, <float>0.0, <float>4.0)
    noise = clip(noise, <float>0.0, <float>1.0) * <float>0.5
    for j in range(n):
        x[j] = sine_of(s.phase1) * s.amp + noise * drum_noise(s) * s.amp2
        s.phase1 += <double>sweep_inc(s, tune, bend)
        if s.phase1 >= 1.0:
            s.phase1 -= 1.0
        s.amp = fall(s.amp, s.amp_coef)
        s.amp2 = fall(s.amp2, s.amp2_coef)

cdef inline void snare_render(DrumState *s, float tune, float decay, float snappy, float snap_ms,
                              float tone, float *x, int n) noexcept nogil:
    cdef float f
    cdef int j
    drum_decays(s, decay, snap_ms, DRUM_SNARE_BEND_MS)
    drum_filter(s, tone, <float>1.4)
    tune = clip(tune, <float>20.0, <float>4000.0)
    snappy = clip(snappy, <float>0.0, <float>1.0)
    for j in range(n):
        x[j] = (sine_of(s.phase1) + <float>0.6 * sine_of(s.phase2)) * <float>0.45 * s.amp \
            + snappy * drum_svf(s, drum_noise(s), 1) * s.amp2
        f = sweep_inc(s, tune, DRUM_SNARE_BEND)
        s.phase1 += <double>f
        s.phase2 += <double>(f * DRUM_SNARE_MODE)
        if s.phase1 >= 1.0:
            s.phase1 -= 1.0
        if s.phase2 >= 1.0:
            s.phase2 -= 1.0
        s.amp = fall(s.amp, s.amp_coef)
        s.amp2 = fall(s.amp2, s.amp2_coef)

# The clap: burst b starts at b * spread frames; each but the last decays -60 dB in 1.5
# spreads; the last is the tail (decay_ms).
cdef inline void clap_render(DrumState *s, float tone, float decay, float spread_ms, float bursts,
                             float *x, int n) noexcept nogil:
    cdef int32_t spread = <int32_t>(clip(spread_ms, <float>1.0, <float>100.0) * <float>0.001 * s.sample_rate)
    cdef int32_t count = <int32_t>clip(bursts + <float>0.5, <float>1.0, <float>8.0)
    cdef int j
    drum_decays(s, decay, <float>spread * <float>1.5e3 / s.sample_rate, 1.0)
    drum_filter(s, tone, <float>0.8)
    s.count = count
    if s.burst == 0:
        s.amp = 0.0
    for j in range(n):
        if s.burst < count and s.frames + j >= s.burst * spread:
            s.burst += 1
            if s.burst == count:
                s.amp = 1.0
            else:
                s.amp2 = 1.0
        x[j] = drum_svf(s, drum_noise(s), 1) * (s.amp + s.amp2) * <float>1.6
        s.amp = fall(s.amp, s.amp_coef)
        s.amp2 = fall(s.amp2, s.amp2_coef)

cdef inline void hat_render(DrumState *s, float tune, float decay, float tone, float noise,
                            float *x, int n) noexcept nogil:
    cdef float scale
    cdef float m
    cdef int i, j
    cdef uint32_t half = <uint32_t>0x80000000u
    drum_decays(s, decay, 1.0, 1.0)
    drum_filter(s, tone, <float>0.9)
    if tune != s.key_tune:
        s.key_tune = tune
        scale = exp2f(clip(tune, <float>-48.0, <float>48.0) * <float>(1.0 / 12.0)) \
            * <float>4294967296.0 / s.sample_rate
        for i in range(DRUM_HATS):
            s.hat_inc[i] = <uint32_t>clip(reverie_hat_hz[i] * scale, <float>0.0, <float>2.0e9)
    noise = clip(noise, <float>0.0, <float>1.0)
    for j in range(n):
        m = 0.0
        for i in range(DRUM_HATS):
            m += <float>1.0 if s.hat_phase[i] < half else <float>-1.0
            s.hat_phase[i] += s.hat_inc[i]
        # the squares carry less energy above the corner than noise: 3x brings them level
        m = m * <float>0.5 * (<float>1.0 - noise) + noise * drum_noise(s)
        x[j] = drum_svf(s, m, 2) * s.amp * <float>1.2
        s.amp = fall(s.amp, s.amp_coef)

# --- the unit -------------------------------------------------------------------------------

# The gain for level, kit level (dB) and velocity sensitivity, made again only when they moved.
cdef inline float drum_gain(DrumState *s, int w, float level, float kit, float sens,
                            float velocity) noexcept nogil:
    if level != s.key_gain[w][0] or kit != s.key_gain[w][1] or sens != s.key_gain[w][2]:
        s.key_gain[w][0] = level
        s.key_gain[w][1] = kit
        s.key_gain[w][2] = sens
        sens = clip(sens, <float>0.0, <float>1.0)
        s.gain[w] = exp2f(clip(level + kit, <float>-120.0, <float>24.0) * <float>0.16609640474)
        s.gain[w] *= <float>1.0 - sens + sens * velocity
    return s.gain[w]

# Renders n <= DRUM_CHUNK frames of the model into both channels (added), the gain moving
# from g0 (at the last tick, `offset` frames ago) by dg a frame; a fading voice (a steal or choke) falls by fade_dec a frame and ends
# at 0. p: the op's first five parameters. Returns 0 once the drum has ended.
cdef inline int drum_render(DrumState *s, const float *p, float g0, float dg, int offset, int fading,
                            float fade_dec, float *fade, float *out_l, float *out_r,
                            int n) noexcept nogil:
    cdef float x[DRUM_CHUNK]
    cdef float y, f = fade[0], onset = <float>1.0 / <float>s.onset
    cdef int j, kind = s.kind
    if n > DRUM_CHUNK:
        n = DRUM_CHUNK
    if kind == DRUM_KICK:
        kick_render(s, p[0], p[1], p[2], p[3], p[4], x, n)
    elif kind == DRUM_SNARE:
        snare_render(s, p[0], p[1], p[2], p[3], p[4], x, n)
    elif kind == DRUM_CLAP:
        clap_render(s, p[0], p[1], p[2], p[3], x, n)
    elif kind == DRUM_TOM:
        tom_render(s, p[0], p[1], p[2], p[3], x, n)
    else:
        hat_render(s, p[0], p[1], p[2], p[3], x, n)
    for j in range(n):
        y = x[j] * (g0 + dg * <float>(offset + j))     # the same sum however frames are chunked
        if s.frames < s.onset:
            y = y * <float>(s.frames + 1) * onset
        s.frames += 1
        if fading:
            f = f - fade_dec
            if f <= <float>0.0:
                fade[0] = 0.0
                return 0
            y = y * f
        out_l[j] += y
        out_r[j] += y
    fade[0] = f
    return s.amp > <float>0.0 or s.amp2 > <float>0.0 or (kind == DRUM_CLAP and s.burst < s.count)
