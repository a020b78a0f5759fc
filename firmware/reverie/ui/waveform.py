"""A sample's waveform overview for the sample browser: per screen column, the lowest and the
highest value of the frames that column covers.

The app computes it on the worker thread right after decoding (it touches every frame) and
hands it to the UI in `Context.overviews[reference]`; the UI only draws it. Stereo is not
averaged: a column's min and max are taken over both channels, so a hard-panned or
out-of-phase sound shows its full swing instead of cancelling out.
"""
from __future__ import annotations

from dataclasses import dataclass

import numpy as np

COLUMNS = 128                         # the OLED's width in px


@dataclass(frozen=True)
class Overview:
    lows: tuple[float, ...]           # per column, the lowest value (full scale = -1)
    highs: tuple[float, ...]          # per column, the highest value (full scale = 1)
    frames: int                       # the sample's length in frames
    rate: int = 48000                 # Hz, to show lengths in seconds
    error: str = ""                   # why there is no waveform (the file could not be read)

    @property
    def seconds(self) -> float:
        return self.frames / self.rate if self.rate > 0 else 0.0

    @classmethod
    def failed(cls, message: str, columns: int = COLUMNS) -> Overview:
        """What the app stores when it cannot read the file: the browser says so."""
        return cls((0.0,) * columns, (0.0,) * columns, 0, error=message)


def overview(data: np.ndarray, rate: int = 48000, columns: int = COLUMNS) -> Overview:
    """The overview of `data`, shape (frames,) or (frames, channels), any float dtype.

    Column c covers frames [c * n // columns, (c + 1) * n // columns); when the sample is
    shorter than `columns` frames each frame spans several columns instead of leaving gaps.
    An empty sample gives flat zero columns."""
    a = np.asarray(data)
    if a.ndim not in (1, 2):
        raise ValueError(f"a sample is (frames,) or (frames, channels), not shape {a.shape}")
    if columns < 1:
        raise ValueError(f"an overview has at least one column, not {columns}")
    frames = a.shape[0]
    if frames == 0 or a.size == 0:
        return Overview((0.0,) * columns, (0.0,) * columns, frames, rate)
    if a.ndim == 2:
        lo_frames, hi_frames = a.min(axis=1), a.max(axis=1)
    else:
        lo_frames = hi_frames = a
    starts = (np.arange(columns, dtype=np.int64) * frames) // columns
    # reduceat over an empty span (starts[i] == starts[i + 1]) gives the value at starts[i]:
    # exactly the stretching a short sample needs.
    lows = np.minimum.reduceat(lo_frames, starts)
    highs = np.maximum.reduceat(hi_frames, starts)
    return Overview(tuple(float(v) for v in lows), tuple(float(v) for v in highs), frames, rate)
