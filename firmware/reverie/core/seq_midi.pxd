# The MIDI messages the sequencer makes: frame-stamped into the MIDI ring, sent by the
# control side's scheduler when that frame is heard (docs/sync.md).
from libc.stdint cimport int64_t
from reverie.core.defs cimport ALL_PORTS, STEP_TICKS
from reverie.core.state cimport EngineState, spsc_push
from reverie.core.seq_state cimport MidiEvent
from reverie.core.seq_time cimport rv_floordiv

cdef enum:  # status bytes (the channel goes in the low nibble of the first three)
    MIDI_NOTE_OFF = 0x80
    MIDI_NOTE_ON = 0x90
    MIDI_CONTROL_CHANGE = 0xB0
    MIDI_SONG_POSITION = 0xF2
    MIDI_CLOCK = 0xF8
    MIDI_START = 0xFA
    MIDI_CONTINUE = 0xFB
    MIDI_STOP = 0xFC

cdef inline void midi_out(EngineState *st, int port, int size, int b0, int b1, int b2) noexcept nogil:
    cdef MidiEvent e
    e.frame = st.frame
    e.port = port
    e.size = size
    e.data[0] = <unsigned char>b0
    e.data[1] = <unsigned char>b1
    e.data[2] = <unsigned char>b2
    e.data[3] = 0
    if not spsc_push(&st.midi, &e):
        st.seq.midi_dropped += 1

cdef inline void midi_song_position(EngineState *st, int64_t tick) noexcept nogil:
    cdef int64_t pos = rv_floordiv(tick, STEP_TICKS)     # MIDI beats: 16ths
    pos = 0 if pos < 0 else (16383 if pos > 16383 else pos)
    midi_out(st, ALL_PORTS, 3, MIDI_SONG_POSITION, <int>(pos & 0x7F), <int>(pos >> 7))
