# Voice allocation: note on/off, stealing (oldest/quietest first) and choke groups, plus the
# control-rate update of each sounding voice from its track's parameters.
from libc.math cimport floor, exp2f, expf, lrint
from libc.string cimport memset
from libc.stdint cimport int32_t, int64_t
from reverie.core.defs cimport *
from reverie.core.dsp cimport *
from reverie.core.voice cimport Voice, voice_safe_bounds
from reverie.core.state cimport EngineState, Track, SampleSlot

cdef extern from *:
    """
    #define REVERIE_FADE_MS 5.0f  /* a stolen or choked voice fades out over 5 ms */
    """
    float REVERIE_FADE_MS

# Starts the 5 ms fade of a voice; it no longer counts against the polyphony.
cdef inline void voice_fade(EngineState *st, Voice *v) noexcept nogil:
    cdef float frames = ms_to_frames(REVERIE_FADE_MS, <float>st.sample_rate)
    if v.counted:
        v.counted = 0
        st.n_counted -= 1
    if v.stage != ENV_FADE:
        v.stage = ENV_FADE
        v.fade_dec = v.env / frames if v.env > 0.0 else 1.0

cdef inline void voice_free(EngineState *st, Voice *v) noexcept nogil:
    if v.counted:
        st.n_counted -= 1
    v.counted = 0
    v.active = 0
    st.tracks[v.track].voices -= 1

# Steals one voice: the quietest releasing voice if any, else the oldest.
cdef inline void steal_one(EngineState *st) noexcept nogil:
    cdef int k
    cdef int best = -1
    cdef int releasing = 0
    cdef Voice *v
    for k in range(VOICE_SLOTS):
        v = &st.voices[k]
        if not v.active or not v.counted:
            continue
        if v.releasing:
            if not releasing or v.env < st.voices[best].env:
                best = k
                releasing = 1
        elif not releasing and (best < 0 or v.age < st.voices[best].age):
            best = k
    if best >= 0:
        voice_fade(st, &st.voices[best])
        st.stats.steals += 1

# A free slot; when every slot is taken (all spares fading), cuts the faintest fading voice.
cdef inline Voice *free_slot(EngineState *st) noexcept nogil:
    cdef int k
    cdef int best = -1
    for k in range(VOICE_SLOTS):
        if not st.voices[k].active:
            return &st.voices[k]
    for k in range(VOICE_SLOTS):
        if not st.voices[k].counted and (best < 0 or st.voices[k].env < st.voices[best].env):
            best = k
    if best < 0:
        best = 0
    voice_free(st, &st.voices[best])
    st.stats.hard_steals += 1
    return &st.voices[best]

cdef inline int64_t frac_to_frame(float f, int64_t n) noexcept nogil:
    cdef int64_t i = <int64_t>lrint(clampf(f, 0.0, 1.0) * <float>n)
    return i

cdef inline void voice_pitch(Voice *v, Track *t) noexcept nogil:
    cdef float semis = <float>(v.note) - t.value[P_ROOT] + t.value[P_TUNE] + t.value[P_FINE] * 0.01
    cdef double sign = 1.0 if v.inc >= 0.0 else -1.0
    if semis != v.pitch:
        v.pitch = semis
        v.rate = exp2f(clampf(semis, -60.0, 60.0) / 12.0)
        v.inc = sign * v.rate

cdef inline void voice_filter_env(Voice *v, float sample_rate) noexcept nogil:
    # Advanced once per control tick: CONTROL_FRAMES frames at a time.
    if v.fstage == ENV_ATTACK:
        v.fenv = v.fenv + v.fattack_inc
        if v.fenv >= 1.0:
            v.fenv = 1.0
            v.fstage = ENV_DECAY
    elif v.fstage == ENV_DECAY:
        v.fenv = v.fsustain + (v.fenv - v.fsustain) * v.fdecay_coef
    elif v.fstage == ENV_RELEASE:
        v.fenv = v.fenv * v.frelease_coef

cdef inline float tick_coef(float ms, float sample_rate) noexcept nogil:
    cdef float frames = ms_to_frames(ms, sample_rate)
    if frames < 1.0:
        return 0.0
    return expf(-6.907755279 * <float>CONTROL_FRAMES / frames)

cdef inline int svf_same(const SvfCoefs *a, const SvfCoefs *b) noexcept nogil:
    return (a.a11 == b.a11 and a.a12 == b.a12 and a.b1 == b.b1 and a.a21 == b.a21 and
            a.a22 == b.a22 and a.b2 == b.b2 and a.c0 == b.c0 and a.c1 == b.c1 and a.c2 == b.c2)

cdef inline void svf_step(SvfCoefs *step, const SvfCoefs *a, const SvfCoefs *b, float inv) noexcept nogil:
    step.a11 = (b.a11 - a.a11) * inv
    step.a12 = (b.a12 - a.a12) * inv
    step.b1 = (b.b1 - a.b1) * inv
    step.a21 = (b.a21 - a.a21) * inv
    step.a22 = (b.a22 - a.a22) * inv
    step.b2 = (b.b2 - a.b2) * inv
    step.c0 = (b.c0 - a.c0) * inv
    step.c1 = (b.c1 - a.c1) * inv
    step.c2 = (b.c2 - a.c2) * inv

# Sets the voice's targets for the next CONTROL_FRAMES frames; `ramp` 0 jumps straight there.
cdef inline void voice_control(Voice *v, Track *t, float sample_rate, int ramp) noexcept nogil:
    cdef float inv = 1.0 / <float>CONTROL_FRAMES
    cdef int mode = <int>t.value[P_FILTER_MODE]
    cdef float cutoff_log2 = t.value[P_CUTOFF] + t.value[P_FENV_AMOUNT] * v.fenv
    voice_pitch(v, t)
    v.cur = v.tgt
    v.gl = v.tgl
    v.gr = v.tgr
    if cutoff_log2 != v.cutoff or t.damping != v.resonance or mode != v.mode:
        svf_design_k(&v.tgt, exp2f(cutoff_log2), t.damping, mode, sample_rate)
        v.cutoff = cutoff_log2
        v.resonance = t.damping
        v.mode = mode
    v.tgl = t.pan_l * t.level_gain * v.vel_gain
    v.tgr = t.pan_r * t.level_gain * v.vel_gain
    v.drive_on = t.drive_on
    v.drive_pre = t.drive_pre
    v.drive_post = t.drive_post
    if ramp and not svf_same(&v.cur, &v.tgt):
        svf_step(&v.step, &v.cur, &v.tgt, inv)
        v.ramping = 1
    else:
        v.cur = v.tgt
        v.ramping = 0
    if ramp:
        v.dgl = (v.tgl - v.gl) * inv
        v.dgr = (v.tgr - v.gr) * inv
    else:
        v.gl = v.tgl
        v.gr = v.tgr
        v.dgl = 0.0
        v.dgr = 0.0

cdef inline int64_t sample_point(float frac, int64_t own, int64_t fallback, int64_t n) noexcept nogil:
    # A loop point: a fraction of the sample, or (negative) the file's own point if it has one.
    if frac >= 0.0:
        return frac_to_frame(frac, n)
    return own if own >= 0 else fallback

cdef inline void note_on(EngineState *st, int track, int note, float velocity) noexcept nogil:
    cdef Track *t = &st.tracks[track]
    cdef int slot = <int>t.value[P_SAMPLE]
    cdef SampleSlot *s
    cdef Voice *v
    cdef int k, choke
    cdef int64_t n, start, end, ls, le
    cdef float sr = <float>st.sample_rate
    if slot < 0 or slot >= MAX_SAMPLES or st.samples[slot].data == NULL or st.samples[slot].frames < 1:
        st.stats.silent_trigs += 1
        return
    s = &st.samples[slot]
    choke = <int>t.value[P_CHOKE]
    if choke > 0:
        for k in range(VOICE_SLOTS):
            if st.voices[k].active and st.voices[k].counted and st.voices[k].choke == choke:
                voice_fade(st, &st.voices[k])
    k = 0
    while st.n_counted >= POLYPHONY and k < POLYPHONY:
        steal_one(st)
        k += 1
    v = free_slot(st)
    memset(v, 0, sizeof(Voice))
    n = s.frames
    start = frac_to_frame(t.value[P_START], n)
    end = frac_to_frame(t.value[P_END], n)
    if start > n - 1:
        start = n - 1
    if end <= start:
        end = start + 1
    v.loop_mode = <int>t.value[P_LOOP_MODE]
    if v.loop_mode < 0 or v.loop_mode > 2:
        v.loop_mode = 0
    ls = sample_point(t.value[P_LOOP_START], s.loop_start, start, n)
    le = sample_point(t.value[P_LOOP_END], s.loop_end, end, n)
    ls = start if ls < start else (end if ls > end else ls)
    le = start if le < start else (end if le > end else le)
    if le - ls < 2:
        v.loop_mode = 0
        ls = start
        le = end
    v.track = track
    v.note = note
    v.slot = slot
    v.token = s.token
    v.data = s.data
    v.start = start
    v.end = end
    v.loop_start = ls
    v.loop_end = le
    v.age = st.frame
    v.choke = choke
    v.gated = <int>t.value[P_TRIG_MODE] == TRIG_GATED
    if t.value[P_REVERSE] > 0.5:
        v.inc = -1.0
        v.pos = <double>(end - 1)
    else:
        v.inc = 1.0
        v.pos = <double>start
    v.pitch = 1.0e9
    voice_safe_bounds(v)
    v.stage = ENV_ATTACK
    v.env = 0.0
    v.attack_inc = 1.0 / ms_to_frames(t.value[P_ATTACK], sr) if ms_to_frames(t.value[P_ATTACK], sr) >= 1.0 else 2.0
    v.decay_coef = exp_coef(t.value[P_DECAY], sr)
    v.sustain = clampf(t.value[P_SUSTAIN], 0.0, 1.0)
    v.release_coef = exp_coef(t.value[P_RELEASE], sr)
    v.fstage = ENV_ATTACK
    v.fenv = 0.0
    v.fattack_inc = <float>CONTROL_FRAMES / ms_to_frames(t.value[P_FENV_ATTACK], sr) if ms_to_frames(t.value[P_FENV_ATTACK], sr) >= 1.0 else 2.0
    v.fdecay_coef = tick_coef(t.value[P_FENV_DECAY], sr)
    v.fsustain = clampf(t.value[P_FENV_SUSTAIN], 0.0, 1.0)
    v.frelease_coef = tick_coef(t.value[P_FENV_RELEASE], sr)
    v.vel_gain = velocity_gain(<int>t.value[P_VEL_CURVE], velocity)
    v.cutoff = -1.0e9
    voice_control(v, t, sr, 0)
    v.active = 1
    v.counted = 1
    st.n_counted += 1
    t.voices += 1

cdef inline void note_off(EngineState *st, int track, int note) noexcept nogil:
    cdef int k
    cdef Voice *v
    cdef float sr = <float>st.sample_rate
    cdef Track *t = &st.tracks[track]
    for k in range(VOICE_SLOTS):
        v = &st.voices[k]
        if v.active and v.counted and v.track == track and v.note == note and v.gated and not v.releasing:
            v.releasing = 1
            v.release_coef = exp_coef(t.value[P_RELEASE], sr)
            v.frelease_coef = tick_coef(t.value[P_FENV_RELEASE], sr)
            if v.stage != ENV_FADE:
                v.stage = ENV_RELEASE
            v.fstage = ENV_RELEASE
