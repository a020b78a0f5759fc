# A command, control -> audio: its kind, the frame at which it applies, and what that kind
# carries, under a name of its own (`c.args.note.velocity`, `c.args.sample.frames`): each
# field means one thing. Engine (engine.pyx) fills them; apply_commands.pxd applies them.
from libc.stdint cimport int32_t, int64_t, uint32_t, uint64_t
from reverie.core.seq_state cimport SeqPattern, SeqRow
from reverie.core.program cimport Program

ctypedef struct NoteArgs:           # CMD_NOTE_ON, CMD_NOTE_OFF
    int32_t track
    int32_t note                    # MIDI note
    double velocity                 # 1..127 (note on)

ctypedef struct ParamArgs:          # CMD_TRACK_PARAM, CMD_BUS_PARAM, CMD_MASTER_PARAM
    int32_t track                   # (none for the master)
    int32_t param                   # a TrackParam, BusParam or MasterParam
    double value                    # in the parameter's units (the cutoff in Hz)

ctypedef struct SampleArgs:         # CMD_SAMPLE_SET, CMD_CAPTURE_SET and CMD_PREVIEW (no slot)
    int32_t slot
    int32_t token                   # names the buffer in TEL_SAMPLE_RELEASED
    const float *data               # interleaved stereo frames
    int64_t frames
    int64_t loop_start              # < 0: the file has no loop
    int64_t loop_end

ctypedef struct ProgramArgs:        # CMD_PROGRAM_SET
    int32_t track
    int32_t token                   # names the buffer in TEL_SAMPLE_RELEASED (0: the engine's own)
    const Program *program          # NULL: the engine's own sampler

ctypedef struct ModArgs:            # CMD_TRACK_MOD
    int32_t track
    int32_t which                   # 0: mod wheel, 1: aftertouch
    double value                    # 0..1

ctypedef struct PatternArgs:        # CMD_SEQ_PATTERN
    int32_t slot
    int32_t token                   # names the buffer in TEL_PATTERN_RELEASED
    const SeqPattern *pattern       # followed by its lock table

ctypedef struct RowsArgs:           # CMD_SEQ_ROWS: a chain or song
    int32_t token                   # released at once: the rows are copied
    int32_t loop                    # starts over after the last row (else the song ends)
    const SeqRow *rows
    int64_t n_rows

ctypedef struct PlayArgs:           # CMD_SEQ_PLAY
    int32_t slot                    # -1: the arrangement's first row
    int32_t count_in_bars           # 0..4

ctypedef struct QueueArgs:          # CMD_SEQ_QUEUE
    int32_t slot
    int32_t immediate               # switch now, keeping every track's step; else at the pass end

ctypedef struct MuteArgs:           # CMD_SEQ_MUTE
    int32_t track
    int32_t on

ctypedef struct SeqTrackArgs:       # CMD_SEQ_TRACK
    int32_t track
    int32_t kind                    # TrackKind
    int32_t channel                 # MIDI channel 0..15
    int32_t port                    # MIDI port index, ALL_PORTS for every port

ctypedef struct MetronomeArgs:      # CMD_SEQ_METRONOME
    int32_t on
    double level_db

ctypedef union CommandArgs:
    NoteArgs note
    ParamArgs param
    SampleArgs sample
    ProgramArgs program
    ModArgs mod
    PatternArgs pattern
    RowsArgs rows
    PlayArgs play
    double tempo_bpm                # CMD_SEQ_TEMPO
    int64_t tick                    # CMD_SEQ_LOCATE: the playhead's tick at the command's frame
    QueueArgs queue
    int32_t on                      # CMD_SEQ_FILL, CMD_SEQ_CLOCK_OUT
    MuteArgs mute
    uint32_t seed                   # CMD_SEQ_SEED
    SeqTrackArgs seq_track
    MetronomeArgs metronome
    int64_t stall_ns                # CMD_STALL: how long the audio thread hangs

ctypedef struct Command:
    int32_t kind                    # Cmd: which member of `args` it fills (none for CMD_ALL_OFF,
                                    # CMD_PANIC, CMD_SEQ_STOP and CMD_SEQ_CONTINUE)
    int64_t frame                   # absolute frame at which it applies; < 0: as soon as possible
    CommandArgs args


ctypedef struct Waiting:            # a command due in a later block, in the engine's pending set
    Command cmd
    uint64_t order                  # arrival: commands due on one frame apply in the order posted
