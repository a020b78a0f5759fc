"""The micro-session timer's soft click, carried out on a real engine rendered offline: one
quiet click on the next bar's downbeat, and the metronome as the project has it afterwards."""
import sys
from dataclasses import replace
from pathlib import Path

import numpy as np

from reverie.control.apply import Applier
from reverie.control.cue import BAR, CLICK_DB
from reverie.project.model import Project
from reverie.project.sounds import sound_slots
from reverie.seq.driver import Sequencer
from reverie.sound.buses import make_engine
from reverie.ui import effects as fx

sys.path.insert(0, str(Path(__file__).resolve().parent.parent / "core"))
from enginekit import limiter_delay  # noqa: E402

RATE, BLOCK = 48000, 128
QUIET = 1e-6


def rig(metronome=False):
    engine = make_engine(RATE)
    project = Project.from_dict({"format": "reverie-project", "version": 2, "name": "quiet", "tempo": 120,
                                 "tracks": [{"name": "Kick"}], "metronome": metronome})
    seq = Sequencer(engine, project, sound_slots(project))
    seq.load()
    return engine, project, seq, Applier(engine, seq, lambda: project, period_frames=BLOCK)


def render(engine, frames):
    out = np.zeros((frames, 2), np.float32)
    for start in range(0, frames, BLOCK):
        engine.render(out[start:start + BLOCK])
    return out


def test_one_soft_click_on_the_next_downbeat():
    engine, project, seq, applier = rig()
    seq.play()
    render(engine, RATE // 2)                          # a beat into the first bar: silence
    downbeat = engine.frame_at(BAR)                    # where the second bar starts
    start = engine.frame
    applier.apply([fx.Cue()])
    out = render(engine, 2 * RATE * 2)                 # the rest of bar 1, all of bar 2 and 3
    loud = np.flatnonzero(np.abs(out[:, 0]) > QUIET)
    assert loud.size, "no click"
    # on the downbeat's frame (after the limiter's look-ahead); the click is a sine from
    # phase 0, so its first sample is 0 and the first one heard is the next
    assert start + loud[0] == downbeat + limiter_delay(RATE) + 1
    assert loud[-1] - loud[0] < RATE // 10                     # one short click, nothing after
    peak_db = 20 * np.log10(np.abs(out).max())
    assert CLICK_DB - 3 < peak_db <= CLICK_DB + 0.5            # soft: about -24 dBFS
    assert applier.refused == 0


def test_no_click_when_stopped_or_when_the_metronome_already_plays():
    engine, project, seq, applier = rig()
    applier.apply([fx.Cue()])                          # stopped: no bar to click on
    assert np.abs(render(engine, RATE * 3)).max() == 0
    engine, project, seq, applier = rig(metronome=True)
    seq.play()
    render(engine, RATE // 2)
    before = engine.stats()["commands"]
    applier.apply([fx.Cue()])
    assert engine.stats()["commands"] == before        # nothing posted: it clicks anyway
    render(engine, BLOCK)
    assert engine.stats()["commands"] == before
