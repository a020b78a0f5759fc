# Voice allocation: note on and off, stealing (the quietest releasing voice, else the oldest),
# choke groups and the fade of a voice that must make room.
from libc.math cimport lrint
from libc.string cimport memset
from libc.stdint cimport int64_t
from reverie.core.defs cimport *
from reverie.core.dsp cimport *
from reverie.core.voice cimport Voice, voice_safe_bounds
from reverie.core.voice_control cimport voice_control, tick_coef
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
