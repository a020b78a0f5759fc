# Voice allocation: note on and off, stealing (the quietest releasing voice, else the oldest),
# choke groups and the fade of a voice that must make room.
from libc.math cimport lrint, exp2f, log2f, fmaxf
from libc.string cimport memset
from libc.stdint cimport int64_t
from reverie.core.defs cimport *
from reverie.core.dsp cimport *
from reverie.core.program cimport Program
from reverie.core.voice cimport Voice, SamplerVoice, voice_safe_bounds
from reverie.core.voice_control cimport voice_control, tick_coef
from reverie.core.state cimport EngineState, Track, SampleSlot
from reverie.core.graph cimport graph_start, graph_renote, graph_release, graph_tick
from reverie.core.multi cimport *
from reverie.core.units.drum cimport drum_of_note

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
        if v.prog.fused:
            v.fade_dec = v.env / frames if v.env > 0.0 else 1.0
        else:
            v.fade_dec = <float>1.0 / frames if frames >= 1.0 else 1.0

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

# A voice of the track's program, cleared: its header and the part of the arena it uses.
cdef inline Voice *voice_new(EngineState *st, Track *t, int track, int note) noexcept nogil:
    cdef Voice *v = free_slot(st)
    memset(v, 0, <size_t>(<char *>v.arena - <char *>v) + <size_t>t.prog.arena_bytes)
    v.prog = t.prog
    v.prog_token = t.prog_token
    v.track = track
    v.note = note
    v.age = st.frame
    return v

cdef inline void choke_group(EngineState *st, int choke) noexcept nogil:
    cdef int k
    if choke > 0:
        for k in range(VOICE_SLOTS):
            if st.voices[k].active and st.voices[k].counted and st.voices[k].choke == choke:
                voice_fade(st, &st.voices[k])

# A hat played on a track that plays drums fades the hats still sounding there: the hats are
# one voice, as on the classic machines, so a closed hat chokes the open one.
cdef inline void hat_choke(EngineState *st, int track, int note) noexcept nogil:
    cdef const Program *pr = st.tracks[track].prog
    cdef int k, d = drum_of_note(note)
    cdef Voice *v
    if d != DRUM_CLOSED_HAT and d != DRUM_OPEN_HAT:
        return
    for k in range(pr.n_ops):
        if pr.ops[k].kind == UNIT_DRUM:
            break
    else:
        return
    for k in range(VOICE_SLOTS):
        v = &st.voices[k]
        if v.active and v.counted and v.track == track and v.prog == pr:
            d = drum_of_note(v.note)
            if d == DRUM_CLOSED_HAT or d == DRUM_OPEN_HAT:
                voice_fade(st, v)

cdef inline void make_room(EngineState *st) noexcept nogil:
    cdef int k = 0
    while st.n_counted >= POLYPHONY and k < POLYPHONY:
        steal_one(st)
        k += 1

cdef inline void voice_sounds(EngineState *st, Voice *v, Track *t) noexcept nogil:
    v.active = 1
    v.counted = 1
    st.n_counted += 1
    t.voices += 1

cdef inline void note_on(EngineState *st, int track, int note, float velocity) noexcept nogil:
    if st.tracks[track].prog.ops[0].kind == UNIT_MULTI:
        multi_note_on(st, track, note, velocity)
    elif st.tracks[track].prog.fused:
        sampler_note_on(st, track, note, velocity)
    else:
        graph_note_on(st, track, note, velocity)

cdef inline void note_off(EngineState *st, int track, int note) noexcept nogil:
    if st.tracks[track].prog.ops[0].kind == UNIT_MULTI:
        multi_note_off(st, track, note)
    elif st.tracks[track].prog.fused:
        sampler_note_off(st, track, note)
    else:
        graph_note_off(st, track, note)

cdef inline void sampler_note_on(EngineState *st, int track, int note, float velocity) noexcept nogil:
    cdef Track *t = &st.tracks[track]
    cdef int slot = <int>t.value[P_SAMPLE]
    cdef SampleSlot *s
    cdef Voice *h
    cdef SamplerVoice *v
    cdef int k, choke
    cdef int64_t n, start, end, ls, le
    cdef float sr = <float>st.sample_rate
    if slot < 0 or slot >= MAX_SAMPLES or st.samples[slot].data == NULL or st.samples[slot].frames < 1:
        st.stats.silent_trigs += 1
        return
    s = &st.samples[slot]
    choke = <int>t.value[P_CHOKE]
    choke_group(st, choke)
    make_room(st)
    h = voice_new(st, t, track, note)
    v = <SamplerVoice *>(<char *>h.arena + t.prog.ops[0].state)
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
    h.token = s.token
    v.data = s.data
    v.start = start
    v.end = end
    v.loop_start = ls
    v.loop_end = le
    h.choke = choke
    h.gated = <int>t.value[P_TRIG_MODE] == TRIG_GATED
    if t.value[P_REVERSE] > 0.5:
        v.inc = -1.0
        v.pos = <double>(end - 1)
    else:
        v.inc = 1.0
        v.pos = <double>start
    v.pitch = 1.0e9
    voice_safe_bounds(v)
    h.stage = ENV_ATTACK
    h.env = 0.0
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
    voice_control(v, note, t, sr, 0)
    voice_sounds(st, h, t)

cdef inline void sampler_note_off(EngineState *st, int track, int note) noexcept nogil:
    cdef int k
    cdef Voice *h
    cdef SamplerVoice *v
    cdef float sr = <float>st.sample_rate
    cdef Track *t = &st.tracks[track]
    for k in range(VOICE_SLOTS):
        h = &st.voices[k]
        if h.active and h.counted and h.track == track and h.note == note and h.gated and not h.releasing:
            v = <SamplerVoice *>(<char *>h.arena + h.prog.ops[0].state)
            h.releasing = 1
            v.release_coef = exp_coef(t.value[P_RELEASE], sr)
            v.frelease_coef = tick_coef(t.value[P_FENV_RELEASE], sr)
            if h.stage != ENV_FADE:
                h.stage = ENV_RELEASE
            v.fstage = ENV_RELEASE

# --- multisample: the sampler's voice playing the zones a note-on picks (multi.pxd) -------------

cdef inline void multi_start(EngineState *st, Track *t, Voice *h, const MultiZone *z, int zone,
                             float velocity) noexcept nogil:
    cdef SamplerVoice *v = <SamplerVoice *>(<char *>h.arena + t.prog.ops[0].state)
    cdef float sr = <float>st.sample_rate
    cdef float frames = ms_to_frames(z.attack_ms + t.value[P_ATTACK], sr)
    cdef float vt = z.vel_track * clampf(t.value[P_VEL_SENS], 0.0, 1.0)
    v.data = <const float *>(<const char *>t.prog + z.data)
    v.start = z.start
    v.end = z.end
    v.loop_mode = LOOP_FORWARD if z.mode == ZONE_LOOP or z.mode == ZONE_LOOP_SUSTAIN else LOOP_OFF
    v.loop_start = z.loop_start if v.loop_mode else z.start
    v.loop_end = z.loop_end if v.loop_mode else z.end
    h.gated = z.mode != ZONE_ONE_SHOT
    v.inc = 1.0
    v.pos = <double>z.start
    v.pitch = 1.0e9
    voice_safe_bounds(v)
    h.stage = ENV_ATTACK
    h.env = 0.0
    v.attack_inc = 1.0 / frames if frames >= 1.0 else 2.0
    v.decay_coef = exp_coef(z.decay_ms + t.value[P_DECAY], sr)
    v.sustain = clampf(z.sustain * t.value[P_SUSTAIN], 0.0, 1.0)
    v.release_coef = exp_coef(fmaxf(z.release_ms + t.value[P_RELEASE], REVERIE_MULTI_MIN_RELEASE_MS), sr)
    v.fstage = ENV_ATTACK
    v.fenv = 0.0
    v.fattack_inc = <float>CONTROL_FRAMES / ms_to_frames(t.value[P_FENV_ATTACK], sr) if ms_to_frames(t.value[P_FENV_ATTACK], sr) >= 1.0 else 2.0
    v.fdecay_coef = tick_coef(t.value[P_FENV_DECAY], sr)
    v.fsustain = clampf(t.value[P_FENV_SUSTAIN], 0.0, 1.0)
    v.frelease_coef = tick_coef(t.value[P_FENV_RELEASE], sr)
    v.vel_gain = multi_vel_gain(velocity_gain(<int>t.value[P_VEL_CURVE], velocity), vt)
    v.zoned = 1
    v.zone = zone
    v.pitch_off = z.pitch_off + <float>12.0 * log2f(z.rate / sr)
    v.zl = z.gain_l
    v.zr = z.gain_r
    v.cutoff = -1.0e9
    voice_control(v, h.note, t, sr, 0)

# Every zone the key, velocity and turn pick sounds (layers are legal), each as one voice.
cdef inline void multi_note_on(EngineState *st, int track, int note, float velocity) noexcept nogil:
    cdef Track *t = &st.tracks[track]
    cdef const MultiTable *mt = multi_table(t.prog)
    cdef const MultiZone *zones
    cdef const int32_t *index
    cdef const MultiZone *z
    cdef Voice *h
    cdef int i, zi, vel, found = 0
    cdef int choke = <int>t.value[P_CHOKE]
    cdef int32_t turn
    if mt == NULL or not 0 <= note < 128:
        st.stats.silent_trigs += 1
        return
    zones = multi_zones(t.prog, mt)
    index = multi_index(t.prog, mt)
    vel = <int>lrint(clampf(velocity, 0.0, 127.0))
    turn = multi_turn(t.rr, &t.rng, note, <int>t.value[P_ROUND_ROBIN] == RR_RANDOM)
    for i in range(mt.count[note]):
        zi = index[mt.first[note] + i]
        z = &zones[zi]
        if vel < z.vel_lo or vel > z.vel_hi or turn % z.seq_length != z.seq_position - 1:
            continue
        if not found:
            choke_group(st, choke)
        found += 1
        make_room(st)
        h = voice_new(st, t, track, note)
        h.choke = choke
        multi_start(st, t, h, z, zi, velocity)
        voice_sounds(st, h, t)
    if not found:
        st.stats.silent_trigs += 1

cdef inline void multi_note_off(EngineState *st, int track, int note) noexcept nogil:
    cdef int k
    cdef Voice *h
    cdef SamplerVoice *v
    cdef const MultiZone *z
    cdef float sr = <float>st.sample_rate
    cdef Track *t = &st.tracks[track]
    for k in range(VOICE_SLOTS):
        h = &st.voices[k]
        if h.active and h.counted and h.track == track and h.note == note and h.gated and not h.releasing \
                and multi_table(h.prog) != NULL:
            v = <SamplerVoice *>(<char *>h.arena + h.prog.ops[0].state)
            z = &multi_zones(h.prog, multi_table(h.prog))[v.zone]
            h.releasing = 1
            v.release_coef = exp_coef(fmaxf(z.release_ms + t.value[P_RELEASE], REVERIE_MULTI_MIN_RELEASE_MS), sr)
            v.frelease_coef = tick_coef(t.value[P_FENV_RELEASE], sr)
            if h.stage != ENV_FADE:
                h.stage = ENV_RELEASE
            v.fstage = ENV_RELEASE
            if z.mode == ZONE_LOOP_SUSTAIN and v.loop_mode != LOOP_OFF:
                v.loop_mode = LOOP_OFF      # plays on from where it is to the zone's end
                voice_safe_bounds(v)

# --- graph programs: poly, mono, legato; unison stacks ----------------------------------------

cdef inline int track_mode(const Track *t) noexcept nogil:
    cdef int m = <int>t.value[t.prog.vmode] if t.prog.vmode >= 0 else VMODE_POLY
    return m if VMODE_POLY <= m <= VMODE_LEGATO else VMODE_POLY

cdef inline float note_hz(int note, float detune_st) noexcept nogil:
    return <float>440.0 * exp2f((<float>note - <float>69.0 + detune_st) * <float>(1.0 / 12.0))

cdef inline void held_remove(Track *t, int note) noexcept nogil:
    cdef int i = 0, j
    while i < t.n_held:
        if t.held[i] == note:
            for j in range(i, t.n_held - 1):
                t.held[j] = t.held[j + 1]
                t.held_vel[j] = t.held_vel[j + 1]
            t.n_held -= 1
        else:
            i += 1

cdef inline void held_push(Track *t, int note, float velocity) noexcept nogil:
    cdef int j
    held_remove(t, note)
    if t.n_held == HELD_NOTES:
        for j in range(HELD_NOTES - 1):
            t.held[j] = t.held[j + 1]
            t.held_vel[j] = t.held_vel[j + 1]
        t.n_held -= 1
    t.held[t.n_held] = note
    t.held_vel[t.n_held] = velocity
    t.n_held += 1

# Mono and legato: the track's sounding voices (a unison stack) move to `note`. Returns how
# many moved (0: none sounds, a new stack starts).
cdef inline int graph_move(EngineState *st, int track, int note, float velocity, int retrigger) noexcept nogil:
    cdef Track *t = &st.tracks[track]
    cdef Voice *v
    cdef int k, moved = 0
    for k in range(VOICE_SLOTS):
        v = &st.voices[k]
        if v.active and v.counted and v.track == track and v.prog == t.prog and (retrigger or not v.releasing):
            v.note = note
            v.mod.pitch_hz = note_hz(note, v.mod.detune_st)
            if retrigger:
                v.velocity = velocity
                v.releasing = 0
            graph_renote(v, t, retrigger)
            moved += 1
    return moved

cdef inline void graph_note_on(EngineState *st, int track, int note, float velocity) noexcept nogil:
    cdef Track *t = &st.tracks[track]
    cdef const Program *pr = t.prog
    cdef int mode = track_mode(t)
    cdef int n, u, choke
    cdef float detune, spread, x
    cdef Voice *v
    velocity = clampf(velocity * <float>(1.0 / 127.0), 0.0, 1.0)
    if mode != VMODE_POLY:
        held_push(t, note, velocity)
        if graph_move(st, track, note, velocity, mode == VMODE_MONO):
            return
    choke = <int>t.value[pr.choke] if pr.choke >= 0 else 0
    choke_group(st, choke)
    hat_choke(st, track, note)
    n = <int>t.value[pr.unison] if pr.unison >= 0 else 1
    n = 1 if n < 1 else (UNISON_STACK if n > UNISON_STACK else n)
    detune = clampf(t.value[pr.detune], 0.0, 100.0) * <float>0.01 if pr.detune >= 0 else <float>0.0
    spread = clampf(t.value[pr.spread], 0.0, 1.0) if pr.spread >= 0 else <float>0.0
    for u in range(n):
        make_room(st)
        v = voice_new(st, t, track, note)
        x = <float>0.0 if n == 1 else <float>u / <float>(n - 1) - <float>0.5
        v.mod.detune_st = detune * x
        v.mod.pan_off = spread * <float>2.0 * x
        v.mod.pitch_hz = note_hz(note, v.mod.detune_st)
        v.velocity = velocity
        v.choke = choke
        v.gated = 1
        graph_start(st, v, t)
        voice_sounds(st, v, t)

cdef inline void graph_note_off(EngineState *st, int track, int note) noexcept nogil:
    cdef Track *t = &st.tracks[track]
    cdef int k, mode = track_mode(t)
    cdef Voice *v
    if mode != VMODE_POLY:
        held_remove(t, note)
        if t.n_held > 0:
            # back to the latest note still held, gliding, without a new attack
            for k in range(VOICE_SLOTS):
                v = &st.voices[k]
                if v.active and v.counted and v.track == track and v.note == note and not v.releasing:
                    graph_move(st, track, t.held[t.n_held - 1], t.held_vel[t.n_held - 1], 0)
                    return
            return
    for k in range(VOICE_SLOTS):
        v = &st.voices[k]
        if v.active and v.counted and v.track == track and v.note == note and not v.releasing:
            v.releasing = 1
            graph_release(v)
