"""The breathing pacer's soft tone, made by Reverie itself like the factory kit: a sine at
220 Hz (A3) with a touch of its octave, as a short seamless loop (every partial makes a
whole number of cycles in it). The sampler plays it gated on a spare track, its attack and
release as long as the breath (control/breath_tone.py), so the tone swells and fades with
the shape on the screen."""
from __future__ import annotations

import numpy as np

TONE_NOTE = 57                  # A3: the loop's pitch
TONE_HZ = 220.0
LOOP_S = 0.1                    # 22 cycles of 220 Hz at any of the engine's rates
PEAK = 0.35                     # soft: well under full scale before the track's level


def breath_tone(rate: int) -> tuple[np.ndarray, int, int]:
    """(stereo float32 frames, loop start, loop end exclusive) at `rate`."""
    frames = int(round(rate * LOOP_S))
    cycles = int(round(TONE_HZ * frames / rate))
    phase = 2 * np.pi * np.arange(frames) / frames
    mono = np.sin(cycles * phase) + 0.12 * np.sin(2 * cycles * phase) + 0.03 * np.sin(3 * cycles * phase)
    mono *= PEAK / np.max(np.abs(mono))
    data = np.ascontiguousarray(np.repeat(mono[:, None], 2, axis=1), dtype=np.float32)
    return data, 0, frames
