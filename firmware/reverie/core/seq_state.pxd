# The sequencer's data: compiled patterns (written by reverie.seq.compile, read in the audio
# thread) and the playing state. docs/sequencer.md explains the time model.
from libc.stdint cimport int8_t, uint8_t, int16_t, uint16_t, int32_t, int64_t, uint32_t, uint64_t
from reverie.core.defs cimport *

# --- a compiled pattern: one contiguous buffer, SeqPattern then n_locks SeqLock ------------

ctypedef struct SeqStep:
    uint8_t trig            # 0: the step keeps its data but plays nothing
    uint8_t n_notes         # 1..STEP_NOTES
    uint8_t notes[STEP_NOTES]
    uint8_t velocity        # 1..127
    uint8_t prob            # 0..100 %
    uint8_t cond            # Cond
    uint8_t cond_a
    uint8_t cond_b
    uint8_t retrig_rate     # repeats per step; 0: none
    int16_t micro           # 1/96 step, -48..48
    uint16_t length         # gate, 1/96 step
    uint16_t retrig_len     # 1/96 step
    int16_t retrig_vel      # velocity change over the retrig, in 1/1000 of the velocity
    uint16_t first_lock     # index of its first lock in the pattern's lock table
    uint16_t n_locks        # 0..STEP_LOCKS
    uint8_t flags           # StepFlag: accent, slide

ctypedef struct SeqLock:
    int32_t target          # a track param id, LOCK_BUS + bus param id, or LOCK_CC + cc
    float value             # in the engine's units (the cutoff in Hz, like set_param)

ctypedef struct SeqTrackPat:
    int32_t length          # steps, 1..MAX_STEPS
    int32_t speed           # Speed
    SeqStep steps[MAX_STEPS]

ctypedef struct SeqPattern:
    int32_t length          # master length in 1x steps, 1..MAX_PATTERN_LENGTH
    int32_t swing           # 50..75 %
    int32_t n_locks
    int32_t reserved
    SeqTrackPat tracks[MAX_TRACKS]

ctypedef struct SeqRow:     # a row of a chain or song
    int32_t slot
    int32_t repeats
    int32_t mutes           # bit k: track k muted
    int32_t millibpm        # 0: keep the tempo

# --- the playing state ----------------------------------------------------------------------

ctypedef struct PendingTrig:
    int64_t tick            # onset
    int32_t index           # step index in the track
    int32_t n_locks
    SeqStep step            # copies: the pattern may be replaced before the onset
    SeqLock locks[STEP_LOCKS]

ctypedef struct NoteOff:
    int64_t tick
    int32_t note
    int32_t slide           # OFF_PLAIN, OFF_SLIDE, OFF_HELD

ctypedef struct SeqTrack:
    int32_t slot            # the pattern this track is reading
    int32_t kind            # TrackKind
    int32_t channel         # MIDI channel 0..15
    int32_t port            # MIDI port index, ALL_PORTS for every port
    int32_t muted           # by a command
    int32_t row_muted       # by the song row
    int64_t step_ticks
    int64_t pass_start      # tick at which this track's pass began
    int64_t pass_end
    int64_t n               # next step to scan, counted from the pass start
    int64_t next_scan       # tick at which step n is scanned (its earliest possible onset)
    int32_t loop            # loops of this track since the pattern started
    int32_t last_cond       # result of the last evaluated condition (PRE, NEI)
    int32_t step_now        # index of the last step that started (-1: none yet)
    int32_t n_pending
    PendingTrig pending[PENDING_TRIGS]
    int32_t n_offs
    NoteOff offs[PENDING_OFFS]
    # retrig in progress
    int64_t rt_next
    int64_t rt_interval
    int64_t rt_end
    int64_t rt_gate
    int32_t rt_n            # repeats still to come
    int32_t rt_chord        # notes in rt_notes
    int32_t rt_notes[STEP_NOTES]
    float rt_vel
    float rt_dvel
    # parameter locks in force (bit p % 32 of word p / 32: track param p; bus_locked bit p:
    # bus param p)
    uint32_t locked[LOCK_WORDS]
    uint32_t bus_locked
    int64_t next            # earliest tick of anything above (cached)

ctypedef struct MidiEvent:
    int64_t frame
    int32_t port
    int32_t size
    uint8_t data[4]

ctypedef struct Seq:
    int32_t playing
    uint64_t anchor_version # odd while the audio thread rewrites the anchor below
    int32_t clock_out
    int32_t metronome
    float click_gain
    int32_t fill
    uint32_t rng
    uint32_t seed           # the generator restarts from it at every play
    # tick <-> frame: tick T sounds at frame + ceil((rem + (T - tick) * K) / D)
    int64_t tick
    int64_t frame
    int64_t rem
    int64_t K               # sample_rate * 60000
    int64_t D               # millibpm * TICKS_PER_BEAT
    int64_t millibpm
    int64_t start_tick      # no onset before this tick (the transport start)
    int64_t count_in_end    # the metronome clicks before this tick even when it is off
    int64_t stop_tick       # where a stop left the playhead (continue starts here)
    int64_t next_clock      # tick of the next MIDI clock
    int64_t next_beat       # tick of the next metronome click
    int64_t midi_start_tick # tick at which MIDI start (or continue) is sent; -1: none
    int32_t midi_continue
    int32_t slot            # the pattern playing
    int64_t pass_start
    int64_t pass_end
    int32_t decided         # the pattern after this pass is chosen
    int32_t next_slot
    int32_t queued          # slot queued by a command, -1: none
    int32_t stop_at_end     # the song ends with this pass
    int32_t mutes           # the song row's muted tracks (bit k: track k)
    int32_t next_mutes
    # arrangement (chain or song)
    int32_t arranging       # playing the rows, not one pattern
    int32_t n_rows
    int32_t row_loop
    int32_t row
    int32_t repeat
    int32_t next_row
    int32_t next_repeat
    SeqRow rows[MAX_ROWS]
    # metronome click
    float click_phase
    float click_inc
    float click_env
    float click_decay
    float click_buf[CONTROL_FRAMES]
    int32_t clicking
    int32_t click_dirty     # click_buf holds samples of a click that has ended
    SeqTrack tracks[MAX_TRACKS]
    const SeqPattern *patterns[PATTERN_SLOTS]
    int32_t tokens[PATTERN_SLOTS]
    uint64_t late           # events started after their frame (only after a jump)
    uint64_t midi_dropped
