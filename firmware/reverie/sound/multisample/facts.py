"""Checking an imported sample through the sample loader's own checks (sound/samples/): the
formats it accepts, damaged and truncated files, NaN, and the [samples] limits at the engine
rate. The file is decoded once, at its own rate, and kept as it is; the player decodes and
resamples it when it loads the instrument."""
from __future__ import annotations

import math
from dataclasses import dataclass
from pathlib import Path

from reverie.sound.samples.decode import DEFAULT_ENGINE_RATE, decoded_blocks
from reverie.sound.samples.opening import ENGINE_BYTES_PER_FRAME, SampleLimits, error, limit_problem, open_checked
from reverie.sound.samples.wav_chunks import parse_smpl


@dataclass(frozen=True)
class Facts:
    frames: int                      # source frames
    rate: int                        # Hz
    channels: int
    loop: tuple[int, int] | None     # the smpl loop, source frames, end exclusive
    root_note: int | None            # the smpl unity note
    engine_bytes: int                # what the decoded sample takes at the engine rate


def sample_facts(path: Path, limits: SampleLimits = SampleLimits(),
                 engine_rate: int = DEFAULT_ENGINE_RATE) -> Facts:
    """The facts of the audio file at `path`, or the loader's one-line UserError."""
    snd, riff = open_checked(path)
    with snd:
        over = limit_problem(snd, engine_rate, limits)
        if over:
            problem, setting = over
            raise error(path, problem, f"trim it, or raise {setting}")
        for _ in decoded_blocks(path, snd):
            pass
        loop = parse_smpl(riff, snd.frames)
        frames, rate = snd.frames, snd.samplerate
        return Facts(frames, rate, snd.channels,
                     None if loop.start is None else (loop.start, loop.end), loop.root_note,
                     math.ceil(frames * engine_rate / rate) * ENGINE_BYTES_PER_FRAME)
