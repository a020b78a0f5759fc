"""The engine's sequencer follows an external tempo and phase (the policy Link and MIDI
clock in share), offline with a real engine."""
import numpy as np
import pytest

from reverie.sound.buses import make_engine
from reverie.seq.buffer import PatternBuffer
from reverie.sync.follow import TICKS_PER_BEAT, TempoFollower

SR = 48000


@pytest.mark.parametrize("tempo,offset", [(123.4, 0.3), (90.0, -1.7), (174.0, 0.05), (120.0, 0.004)])
def test_engine_locks_to_an_external_tempo_and_phase(tempo, offset):
    eng = make_engine(SR)
    eng.seq_set_pattern(0, PatternBuffer(16).build())
    eng.seq_tempo(120)
    eng.seq_play(0, frame=0)
    follower = TempoFollower(eng)
    out = np.zeros((256, 2), np.float32)

    def external_beat(frame):          # the source's beat at a frame; `offset` beats apart
        return offset + frame * tempo / 60 / SR

    errors = []
    while eng.frame < 8 * 60 * SR / tempo:            # eight beats, polled every 256 frames
        at = eng.frame + 256
        follower.update(tempo, external_beat(at), at)
        eng.render(out)
        ours = eng.tick_at(at) / TICKS_PER_BEAT
        errors.append(((ours - external_beat(at) + 2) % 4) - 2)
    assert abs(errors[-1]) < 0.005                    # in phase within 1/200 beat
    assert abs(eng.seq_state()["tempo_bpm"] - tempo) < 0.01
    assert eng.seq_state()["playing"]


def test_nothing_happens_while_stopped():
    eng = make_engine(SR)
    follower = TempoFollower(eng)
    assert follower.update(130.0, 1.0, 1000) is None
    assert eng.stats()["commands_pending"] == 0
