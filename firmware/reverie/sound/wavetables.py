"""Wavetables for the `wavetable` unit: single cycles, one frame per row, that the unit
morphs across (sound/graph.py mip-maps them when the graph is compiled)."""
from __future__ import annotations

from functools import lru_cache

import numpy as np

POINTS = 2048       # per frame: harmonics up to 512 at level 0 (wavetable_build.mipmaps)


def from_harmonics(amplitudes: list[list[float]], points: int = POINTS) -> np.ndarray:
    """One frame per list of harmonic amplitudes (1, 2, 3, ...), sine phase."""
    t = np.arange(points) / points
    frames = np.zeros((len(amplitudes), points))
    for row, amps in enumerate(amplitudes):
        for h, a in enumerate(amps, start=1):
            frames[row] += a * np.sin(2 * np.pi * h * t)
    return frames


@lru_cache(maxsize=1)
def basic() -> np.ndarray:
    """The default table, four frames: sine, triangle, saw, square, each peaking at 1
    (band-limited to 512 harmonics; the mip-maps take fewer as the pitch rises)."""
    n = np.arange(1, 513)
    saw = 2 / np.pi * (-1.0) ** (n + 1) / n
    square = np.where(n % 2 == 1, 4 / np.pi / n, 0.0)
    triangle = np.where(n % 2 == 1, 8 / np.pi ** 2 * (-1.0) ** ((n - 1) // 2) / n ** 2, 0.0)
    sine = np.zeros(512)
    sine[0] = 1.0
    frames = from_harmonics([sine, triangle, saw, square])
    frames /= np.abs(frames).max(axis=1, keepdims=True)
    frames.flags.writeable = False
    return frames
