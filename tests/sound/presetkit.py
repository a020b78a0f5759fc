"""Renders a preset through the engine offline: the instrument's program, every parameter
(spec default, then the preset's), the audition note held, then let go."""
from __future__ import annotations

from pathlib import Path

import numpy as np
import soundfile as sf

from reverie.core.defs import MasterParam as M
from reverie.sound.buses import MASTER, make_engine
from reverie.sound.instruments import INSTRUMENTS, program_for
from reverie.sound.kit import build_factory_kit
from reverie.sound.presets import Preset

SR = 48000
SLOT = 0


def kit_sound(folder: Path, name: str) -> np.ndarray:
    """A factory kit sound as float32 stereo frames (the sampler presets play over it)."""
    path = build_factory_kit(folder)[name]
    data, rate = sf.read(path, dtype="float32", always_2d=True)
    assert rate == SR
    return np.ascontiguousarray(np.repeat(data, 2, axis=1) if data.shape[1] == 1 else data)


def render_preset(preset: Preset, sample: np.ndarray | None = None, hold_s: float = 1.0,
                  tail_s: float = 1.0, block: int = 256) -> np.ndarray:
    """The track's output as the master hears it, with the master's compressor at ratio 1 and
    its limiter at its highest ceiling, so what is measured is the preset, not the limiter."""
    eng = make_engine(float(SR))
    eng.set_master(M.M_COMP_RATIO, 1.0)
    eng.set_master(M.M_LIMIT_CEILING, MASTER["limiter_ceiling_db"].hi)
    instrument = INSTRUMENTS[preset.instrument]
    program = program_for(preset.instrument)
    if preset.multisample is not None:          # the set it names, loaded as the box loads it
        from reverie.sound.multisample.play import load_set
        program = load_set(preset.multisample).program
    if program is not None:
        eng.set_program(0, program)
    if sample is not None:
        eng.set_sample(SLOT, sample, -1, -1)
    values = {s.key: s.default for s in instrument} | dict(preset.params)
    if "sample" in instrument.by_key:
        values["sample"] = SLOT
    for key, value in values.items():
        spec = instrument[key]
        eng.set_param(0, spec.id, spec.check(value))
    out = np.zeros((int((hold_s + tail_s) * SR), 2), np.float32)
    eng.render(out[:block])                        # the parameters settle
    eng.note_on(0, preset.note, 100)
    hold = int(hold_s * SR)
    for start in range(0, len(out), block):
        if start <= hold < start + block:
            eng.note_off(0, preset.note)
        eng.render(out[start:start + block])
    return out
