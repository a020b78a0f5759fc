"""Rendering the fm instrument through a real engine, for tests/sound/test_fm_*.py."""
import numpy as np

from reverie.core.defs import MasterParam as M
from reverie.sound.buses import make_engine
from reverie.sound.graph import compile_graph
from reverie.sound.instruments.fm import FM

SR = 48000.0
PROGRAM = compile_graph(FM).program
DELAY = int(0.0015 * SR + 0.5) - 1      # frames the master limiter's look-ahead delays the output


def render(eng, frames, block=256):
    out = np.zeros((frames, 2), dtype=np.float32)
    for start in range(0, frames, block):
        eng.render(out[start:start + block])
    return out


def fm_engine(values=None, track=0, ceiling_db=0.0):
    """An engine whose track plays fm with the spec's defaults and `values` (spec keys in
    physical units, or a choice's label), settled so the values hold from frame 0."""
    eng = make_engine(SR)
    eng.set_master(M.M_COMP_RATIO, 1.0)         # a master that does not colour the sound
    eng.set_master(M.M_LIMIT_CEILING, ceiling_db)
    eng.set_program(track, PROGRAM)
    merged = {s.key: s.default for s in FM} | (values or {})
    for key, value in merged.items():
        eng.set_param(track, FM[key].id, FM[key].check(value))
    eng.render(np.zeros((64, 2), np.float32))
    return eng


def set_(eng, key, value, frame=-1, track=0):
    eng.set_param(track, FM[key].id, FM[key].check(value), frame)


def play(values, note=60, velocity=100, frames=24000, held=None, block=256, ceiling_db=0.0):
    """One note from the first frame, held `held` frames (default: the whole render)."""
    eng = fm_engine(values, ceiling_db=ceiling_db)
    eng.note_on(0, note, velocity)
    if held is not None and held < frames:
        eng.note_off(0, note, frame=eng.frame + held)
    return render(eng, frames, block)
