"""A wavetable's band-limited mip-maps, made in numpy when the table is loaded and handed to
the wavetable unit by pointer (units/wavetable.pxd, docs/units.md)."""
from __future__ import annotations

import numpy as np


def mipmaps(frames: np.ndarray) -> np.ndarray:
    """frames: (count, size) one cycle per row, size a power of two from 64 to 8192.
    Returns float32 (levels, count, size + 1): level L holds each frame's harmonics 1 ..
    (size / 4) >> L from its spectrum (DC and everything above removed), levels down to a
    single harmonic; the last point of each row repeats the first."""
    frames = np.atleast_2d(np.asarray(frames, dtype=np.float64))
    count, size = frames.shape
    if size < 64 or size > 8192 or size & (size - 1):
        raise ValueError(f"a wavetable frame has {size} points; it must be a power of two from 64 to 8192")
    if not np.all(np.isfinite(frames)):
        raise ValueError("a wavetable frame holds NaN or infinity")
    spectra = np.fft.rfft(frames, axis=1)
    spectra[:, 0] = 0.0
    top = size // 4
    levels = int(np.log2(top)) + 1
    out = np.empty((levels, count, size + 1), dtype=np.float32)
    for level in range(levels):
        kept = spectra.copy()
        kept[:, (top >> level) + 1:] = 0.0
        cycle = np.fft.irfft(kept, n=size, axis=1)
        out[level, :, :size] = cycle
        out[level, :, size] = cycle[:, 0]
    return out
