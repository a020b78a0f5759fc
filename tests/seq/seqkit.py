"""Helpers for sequencer tests: an engine whose tracks are MIDI tracks (so every onset is a
frame-stamped message), the ideal frames computed independently with exact fractions."""
import math
from fractions import Fraction

import numpy as np

from reverie.sound.buses import make_engine
from reverie.core.defs import SIZES, TrackKind
from reverie.seq.buffer import PatternBuffer

SR = 48000
TPB = SIZES["TICKS_PER_BEAT"]
STEP = SIZES["STEP_TICKS"]
START = 1000          # frame at which tests start the transport


def midi_engine(sr=SR):
    """Every track a MIDI track on channel = track index, so events name their track."""
    eng = make_engine(sr)
    for k in range(16):
        eng.seq_track(k, TrackKind.KIND_MIDI, k)
    return eng


def ideal_frame(tick, bpm, start=START, sr=SR):
    """The first frame at or after the ideal time of `tick` at a constant tempo."""
    return start + math.ceil(Fraction(tick) * sr * 60 / (Fraction(str(bpm)) * TPB))


def step_ticks(speed="1"):
    """A step's length in ticks, read from the speed's name ("3/4": STEP / (3/4))."""
    return Fraction(STEP) / Fraction(speed)


def run(eng, frames, block=256):
    """Renders `frames` frames; returns the MIDI the sequencer made."""
    out = np.zeros((block, 2), dtype=np.float32)
    events = []
    done = 0
    while done < frames:
        n = min(block, frames - done)
        eng.render(out[:n])
        events += eng.poll_midi()
        done += n
    return events


def note_ons(events, channel=None):
    """(frame, channel, note, velocity) of every note-on."""
    return [(f, b[0] & 15, b[1], b[2]) for f, _, b in events
            if len(b) == 3 and b[0] & 0xF0 == 0x90 and b[2] > 0
            and (channel is None or b[0] & 15 == channel)]


def note_offs(events, channel=None):
    return [(f, b[0] & 15, b[1]) for f, _, b in events
            if len(b) == 3 and b[0] & 0xF0 == 0x80 and (channel is None or b[0] & 15 == channel)]


def play(eng, pb, bpm=120, slot=0, count_in=0):
    eng.seq_set_pattern(slot, pb.build())
    eng.seq_tempo(bpm)
    eng.seq_play(slot, frame=START, count_in_bars=count_in)


__all__ = ["PatternBuffer", "SR", "TPB", "STEP", "START", "midi_engine", "ideal_frame",
           "step_ticks", "run", "note_ons", "note_offs", "play"]
