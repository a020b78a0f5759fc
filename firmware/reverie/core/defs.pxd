# Constants and enums of the engine, defined once here and exposed to Python by defs.pyx.
from libc.stdint cimport int64_t

cdef enum:
    MAX_TRACKS = 16
    POLYPHONY = 128         # voices that may sound at once
    VOICE_SLOTS = 160       # POLYPHONY plus room for voices fading out after a steal
    MAX_SAMPLES = 512       # sample slots in the engine
    MAX_RETIRED = 64        # replaced sample buffers waiting until no voice reads them
    CONTROL_FRAMES = 32     # control rate: parameters are re-read every 32 frames, ramped in between
    COMMAND_RING = 4096     # commands control -> audio (power of two)
    TELEMETRY_RING = 1024   # messages audio -> control (power of two)
    N_TRACK_PARAMS = 128    # parameters of a track's instrument (ids 0..127)
    LOCK_WORDS = 4          # 32-bit words of a track's p-lock mask: N_TRACK_PARAMS / 32
    N_BUS_PARAMS = 8
    N_MASTER_PARAMS = 16
    CB_HIST_BINS = 4000     # callback run-time histogram, 1 us per bin
    MIDI_RING = 4096        # MIDI messages sequencer -> control (power of two)
    PENDING_COMMANDS = 256  # commands due in a later block, held by the engine in frame order
    COMMAND_AHEAD_S = 10    # the control side refuses a command stamped further ahead (seconds)

# Voice graphs (docs/engine.md, "Voice graphs"): a track's instrument is a program of ops.
cdef enum:
    PROGRAM_OPS = 24        # ops in one program
    VOICE_BUFS = 12         # scratch buffers of CONTROL_FRAMES frames a program may use
    VOICE_ARENA = 2048      # bytes of unit state a voice holds (8-byte aligned)
    VOICE_ARENA_WORDS = 256 # VOICE_ARENA / 8: the arena as doubles
    OP_INPUTS = 4           # audio inputs of one op (scratch buffers)
    OP_PARAMS = 8           # parameters one op reads
    MOD_ROWS = 16           # modulation routes of one program
    VOICE_LFOS = 2          # LFOs of a voice (control rate)
    UNISON_STACK = 8        # voices one note may stack (unison)
    HELD_NOTES = 8          # notes a mono track remembers while they are held

# The sequencer's musical time (docs/sequencer.md): every position is a whole number of ticks.
cdef enum:
    TICKS_PER_BEAT = 57600  # a quarter note
    STEP_TICKS = 14400      # a 16th: one step at speed 1x
    CLOCK_TICKS = 2400      # MIDI clock, 24 ppqn
    TEMPO_MIN_BPM = 20      # the tempo range of the sequencer and the tempo-synced delay
    TEMPO_MAX_BPM = 300
    MICRO_DIV = 96          # micro-timing, gate and retrig lengths in 1/96 of a step
    MICRO_MAX = 48          # micro-timing moves a trig at most half a step either way
    MAX_STEPS = 128         # steps per track in a pattern
    MAX_PATTERN_LENGTH = 1024   # a pattern's master length, in 1x steps
    PATTERN_SLOTS = 256     # 16 banks x 16 patterns
    MAX_ROWS = 256          # rows of a chain or song
    STEP_NOTES = 4          # notes of a chord on one step
    STEP_LOCKS = 32         # parameter locks on one step
    PENDING_TRIGS = 4       # trigs of a track scanned but not yet started
    PENDING_OFFS = 16       # notes of a track waiting for their gate to end
    LOCK_BUS = 128          # lock targets: 0..127 track params, 128..135 bus params,
    LOCK_CC = 192           #   192..319 MIDI CC 0..127 (MIDI tracks)
    ALL_PORTS = 255

cdef enum:  # Cmd
    CMD_NOTE_ON = 1
    CMD_NOTE_OFF = 2
    CMD_TRACK_PARAM = 3
    CMD_BUS_PARAM = 4
    CMD_MASTER_PARAM = 5
    CMD_SAMPLE_SET = 6
    CMD_ALL_OFF = 7
    CMD_PANIC = 8
    CMD_SEQ_PATTERN = 9
    CMD_SEQ_PLAY = 10
    CMD_SEQ_STOP = 11
    CMD_SEQ_CONTINUE = 12
    CMD_SEQ_TEMPO = 13
    CMD_SEQ_LOCATE = 14
    CMD_SEQ_QUEUE = 15
    CMD_SEQ_ROWS = 16
    CMD_SEQ_FILL = 17
    CMD_SEQ_MUTE = 18
    CMD_SEQ_SEED = 19
    CMD_SEQ_TRACK = 20
    CMD_SEQ_METRONOME = 21
    CMD_SEQ_CLOCK_OUT = 22
    CMD_STALL = 23          # a diagnostic: the audio thread hangs for a while (Engine.stall_audio)
    CMD_CAPTURE_SET = 24    # the capture ring's buffer, handed in once (capture_apply.pxd)
    CMD_PREVIEW = 25        # play a capture back for listening; no data: stop
    CMD_PROGRAM_SET = 26    # a track's instrument program (a buffer, like a sample)
    CMD_TRACK_MOD = 27      # a track's mod wheel or aftertouch, 0..1

cdef enum:  # Telem
    TEL_SAMPLE_RELEASED = 1
    TEL_PATTERN_RELEASED = 2    # a compiled pattern or row buffer no longer read
    TEL_PATTERN_STARTED = 3     # a = slot; frame = its first tick
    TEL_TRANSPORT_STOPPED = 4   # the song ended or a stop command ran

cdef enum:  # Cond (a condition is odd, its negation the next value: seq_scan.pxd relies on it)
    COND_NONE = 0
    COND_AB = 1             # plays on loop A of every B
    COND_NOT_AB = 2
    COND_FILL = 3
    COND_NOT_FILL = 4
    COND_FIRST = 5
    COND_NOT_FIRST = 6
    COND_PRE = 7
    COND_NOT_PRE = 8
    COND_NEI = 9
    COND_NOT_NEI = 10

cdef enum:  # Speed (a step lasts STEP_TICKS / speed; SPEED_3_4 is 3/4x)
    SPEED_1_8 = 0
    SPEED_1_4 = 1
    SPEED_1_2 = 2
    SPEED_3_4 = 3
    SPEED_1 = 4
    SPEED_3_2 = 5
    SPEED_2 = 6

# A step's length in ticks at each Speed: STEP_TICKS / speed (tests/core/test_defs.py checks
# it against STEP_TICKS and the speeds' names).
cdef extern from *:
    """
    #include <stdint.h>
    static const int64_t reverie_speed_ticks[7] = {115200, 57600, 28800, 19200, 14400, 9600, 7200};
    """
    const int64_t reverie_speed_ticks[7]

cdef enum:  # TrackKind
    KIND_AUDIO = 0
    KIND_MIDI = 1

# Sampler instrument parameters (one set per track; voices read their track's set).
cdef enum:  # TrackParam
    P_SAMPLE = 0
    P_TUNE = 1              # semitones, -48..48
    P_FINE = 2              # cents, -100..100
    P_START = 3             # 0..1 of the sample
    P_END = 4               # 0..1 of the sample
    P_LOOP_MODE = 5         # LoopMode
    P_LOOP_START = 6        # 0..1; negative: the sample's own loop point
    P_LOOP_END = 7          # 0..1; negative: the sample's own loop point
    P_REVERSE = 8           # 0/1
    P_TRIG_MODE = 9         # TrigMode
    P_ATTACK = 10           # ms
    P_DECAY = 11            # ms
    P_SUSTAIN = 12          # 0..1
    P_RELEASE = 13          # ms
    P_FILTER_MODE = 14      # FilterMode
    P_CUTOFF = 15           # Hz
    P_RESONANCE = 16        # 0..1
    P_FENV_AMOUNT = 17      # octaves, -8..8
    P_FENV_ATTACK = 18      # ms
    P_FENV_DECAY = 19       # ms
    P_FENV_SUSTAIN = 20     # 0..1
    P_FENV_RELEASE = 21     # ms
    P_DRIVE = 22            # 0..1
    P_PAN = 23              # -1..1
    P_LEVEL = 24            # dB
    P_VEL_CURVE = 25        # VelCurve
    P_CHOKE = 26            # 0 none, 1..16
    P_ROOT = 27             # MIDI note at which the sample plays at its own pitch

cdef enum:  # BusParam
    B_VOLUME = 0            # dB
    B_PAN = 1               # -1..1
    B_MUTE = 2              # 0/1
    B_SOLO = 3              # 0/1
    B_DELAY_SEND = 4        # 0..1
    B_REVERB_SEND = 5       # 0..1

cdef enum:  # MasterParam
    M_VOLUME = 0            # dB
    M_TEMPO = 1             # BPM, for the tempo-synced delay
    M_DELAY_BEATS = 2       # delay time in beats
    M_DELAY_FEEDBACK = 3    # 0..0.95
    M_DELAY_SPREAD = 4      # 0..1 ping-pong width
    M_REVERB_SIZE = 5       # 0..1
    M_REVERB_DAMP = 6       # 0..1
    M_COMP_THRESHOLD = 7    # dBFS
    M_COMP_RATIO = 8        # 1..20
    M_COMP_ATTACK = 9       # ms
    M_COMP_RELEASE = 10     # ms
    M_COMP_MAKEUP = 11      # dB
    M_LIMIT_CEILING = 12    # dBFS
    M_FX_RETURN = 13        # dB, delay and reverb return level

cdef enum:  # LoopMode
    LOOP_OFF = 0
    LOOP_FORWARD = 1
    LOOP_PINGPONG = 2

cdef enum:  # TrigMode
    TRIG_ONESHOT = 0
    TRIG_GATED = 1

cdef enum:  # FilterMode
    FILTER_LOWPASS = 0
    FILTER_BANDPASS = 1
    FILTER_HIGHPASS = 2

cdef enum:  # VelCurve
    VEL_LINEAR = 0
    VEL_SOFT = 1
    VEL_HARD = 2
    VEL_FIXED = 3

cdef enum:  # Unit: what an op of a program runs (docs/engine.md)
    UNIT_SAMPLER = 1        # the sampler voice, fused: player, SVF, drive, envelope, pan
    UNIT_OSC = 2            # band-limited oscillator (units/osc.pxd)
    UNIT_NOISE = 3          # white or pink noise
    UNIT_SVF = 4            # state-variable filter, coefficients ramped over a control tick
    UNIT_LADDER = 5         # zero-delay-feedback ladder low-pass
    UNIT_ADSR = 6           # the amp envelope, audio rate: the voice ends with it
    UNIT_GLIDE = 7          # the voice's pitch in Hz per frame, gliding in mono and legato
    UNIT_MIX = 8            # up to OP_INPUTS inputs, each with a level (0..1)
    UNIT_DRIVE = 9          # soft clip with gain (units/shaper.pxd)
    UNIT_OUT = 10           # x amp envelope x velocity x level x pan -> the track's bus
    UNIT_FOLD = 11          # sine wavefolder (units/fold.pxd)
    UNIT_AMP_OUT = 12       # an adsr read only by the out: fused by the compiler into one loop
    UNIT_FM4 = 13           # four FM operators, eight algorithms, feedback (units/fm4.pxd)
    UNIT_DRUM = 14          # a synthesised drum, the note picks which (units/drum.pxd)
    UNIT_WAVETABLE = 15     # wavetable oscillator, mip-mapped, frame morphing (units/wavetable.pxd)
    UNIT_CRUSH = 16         # rate crush (sample and hold) then bit crush (units/shaper.pxd)
    UNIT_EXTERN = 17        # a unit compiled outside the core (unit_abi.h), called by pointer
    UNIT_MULTI = 18         # the sampler voice playing a multisample's zones (multi.pxd)
    UNIT_KINDS = 19

cdef enum:  # the multisample instrument's own parameters, after the sampler's (multi.pxd)
    P_ROUND_ROBIN = 28      # RoundRobin
    P_VEL_SENS = 29         # 0..1, times each zone's velocity tracking
    RR_IN_TURN = 0          # RoundRobin: a note's zones take turns in order
    RR_RANDOM = 1           #   or at random
    ZONE_NO_LOOP = 0        # ZoneMode: plays to its end or the release's end
    ZONE_ONE_SHOT = 1       #   to its end, note-off ignored
    ZONE_LOOP = 2           #   loops until the release has faded
    ZONE_LOOP_SUSTAIN = 3   #   loops while the key is held, then plays on to its end

cdef enum:  # DrumKind: which drum a UNIT_DRUM op is (its conf); the note picks one
    DRUM_KICK = 0
    DRUM_SNARE = 1
    DRUM_CLAP = 2
    DRUM_CLOSED_HAT = 3
    DRUM_OPEN_HAT = 4
    DRUM_TOM = 5
    DRUM_KINDS = 6

cdef enum:  # ModSource
    SRC_NONE = 0
    SRC_ENV1 = 1            # the amp envelope, 0..1
    SRC_ENV2 = 2            # the modulation envelope, 0..1
    SRC_LFO1 = 3            # -1..1
    SRC_LFO2 = 4
    SRC_VELOCITY = 5        # 0..1
    SRC_NOTE = 6            # (note - 60) / 60
    SRC_WHEEL = 7           # mod wheel, 0..1
    SRC_PRESSURE = 8        # aftertouch, 0..1
    SRC_RANDOM = 9          # -1..1, new at each note
    SRC_ACCENT = 10         # 1 on a note of an accented step, else 0
    SRC_COUNT = 11

cdef enum:  # StepFlag: bits of a compiled step's `flags`
    STEP_ACCENT = 1         # its notes start with the source `accent` at 1
    STEP_SLIDE = 2          # its gate holds into the next trig, which then plays legato

cdef enum:  # a pending note-off's `slide`
    OFF_PLAIN = 0
    OFF_SLIDE = 1           # a slid step's gate: at its end, holds on if a trig is pending
    OFF_HELD = 2            # held until the track's next trig starts, then ends after it

cdef enum:  # VoiceMode
    VMODE_POLY = 0
    VMODE_MONO = 1          # one voice; each note retriggers the envelopes, glides when held over
    VMODE_LEGATO = 2        # one voice; a note played over another glides without retrigger

cdef enum:  # ParamFlag: how a program keeps a track parameter
    PARAM_SMOOTH = 1        # glides (10 ms one-pole at control rate) instead of jumping
    PARAM_LOG2 = 2          # kept as log2 of its value (Hz): glides and is modulated in octaves
    PARAM_GATES = 4         # an op's `when` or `gate` reads it: which ops run may change with it
