"""Decoding a sample: the whole file, mixed to stereo and resampled to the engine rate with
soxr, block by block, into a new Sample. Nothing already loaded is touched."""
from __future__ import annotations

import math
from dataclasses import dataclass, field
from pathlib import Path

import numpy as np
import soundfile as sf
import soxr

from reverie.sound.samples.opening import (RECOPY_HINT, SampleLimits, error, format_name,
                                           limit_problem, open_checked, source_notes)
from reverie.sound.samples.wav_chunks import parse_smpl, scale_loop

DEFAULT_ENGINE_RATE = 48000
RESAMPLE_QUALITY = "VHQ"
READ_BLOCK_FRAMES = 1 << 16


@dataclass(frozen=True)
class Sample:
    """A decoded sample, ready for the engine: stereo float32 at the engine rate."""
    data: np.ndarray                 # float32, shape (frames, 2), C-contiguous
    rate: int                        # Hz, the engine rate
    source_rate: int                 # Hz, as in the file
    source_channels: int
    source_format: str               # e.g. "WAV PCM_24"
    frames: int
    loop_start: int | None           # frame index in `data`
    loop_end: int | None             # exclusive frame index in `data`
    root_note: int | None            # MIDI unity note from the smpl chunk
    notes: list[str] = field(default_factory=list)
    path: Path | None = None


def load_sample(path, engine_rate: int = DEFAULT_ENGINE_RATE,
                limits: SampleLimits = SampleLimits()) -> Sample:
    """Decode `path` to a stereo float32 Sample at `engine_rate`, or raise UserError."""
    path = Path(path)
    snd, riff = open_checked(path)
    with snd:
        over = limit_problem(snd, engine_rate, limits)
        if over:
            problem, setting = over
            raise error(path, problem, f"trim it, or raise {setting}")
        data, peak = _decode_at_rate(path, snd, engine_rate)
        loop = parse_smpl(riff, snd.frames)
        source_rate, channels, source_format = snd.samplerate, snd.channels, format_name(snd)
    loop_start, loop_end, loop_notes = scale_loop(loop, engine_rate / source_rate, len(data))
    notes = source_notes(channels, peak) + list(loop.notes) + loop_notes
    return Sample(data=data, rate=engine_rate, source_rate=source_rate,
                  source_channels=channels, source_format=source_format, frames=len(data),
                  loop_start=loop_start, loop_end=loop_end, root_note=loop.root_note,
                  notes=notes, path=path)


def decoded_blocks(path: Path, snd: sf.SoundFile):
    """Float64 blocks of shape (n, channels) covering the whole file, checked as they come."""
    done = 0
    while done < snd.frames:
        try:
            block = snd.read(min(READ_BLOCK_FRAMES, snd.frames - done), dtype="float64",
                             always_2d=True)
        except sf.SoundFileError as exc:
            raise error(path, f"is damaged or truncated: decoding failed at frame {done}",
                         RECOPY_HINT) from exc
        if len(block) == 0:
            raise error(path, f"is truncated: the header promises {snd.frames} frames but only "
                         f"{done} can be read", RECOPY_HINT)
        finite = np.isfinite(block).all(axis=1)
        if not finite.all():
            first = done + int(np.argmin(finite))
            raise error(path, f"contains NaN or infinite sample values (first at frame {first})",
                         "fix or re-export it in an audio editor")
        yield block
        done += len(block)


def _decode_at_rate(path: Path, snd: sf.SoundFile, engine_rate: int) -> tuple[np.ndarray, float]:
    """The whole file as stereo float32 at `engine_rate`, and its peak before mixdown.

    Blocks are mixed down and resampled as they are decoded, so memory is only the result
    (already checked against the limit), never the file at its own rate and width."""
    # Decoding and resampling run in float64; float32 then holds every 24-bit value exactly.
    capacity = math.ceil(snd.frames * engine_rate / snd.samplerate)
    out = np.empty((capacity, 2), dtype=np.float32)
    stream = None
    if snd.samplerate != engine_rate:
        stream = soxr.ResampleStream(snd.samplerate, engine_rate, 2, dtype="float64",
                                     quality=RESAMPLE_QUALITY)
    filled, peak = 0, 0.0
    for block in decoded_blocks(path, snd):
        peak = max(peak, float(np.abs(block).max()))
        stereo = _to_stereo(block)
        filled = _append(out, filled, stereo if stream is None else stream.resample_chunk(stereo))
    if stream is not None:
        filled = _append(out, filled, stream.resample_chunk(np.empty((0, 2)), last=True))
    if filled == 0:
        raise error(path, f"is too short to play ({snd.frames} frames)", "use a longer sound")
    return out[:filled], peak


def _append(out: np.ndarray, filled: int, chunk: np.ndarray) -> int:
    count = min(len(chunk), len(out) - filled)
    out[filled:filled + count] = chunk[:count]
    return filled + count


def _to_stereo(block: np.ndarray) -> np.ndarray:
    channels = block.shape[1]
    if channels == 1:
        return np.repeat(block, 2, axis=1)
    if channels == 2:
        return np.ascontiguousarray(block)
    # Averaging keeps the level in range; quad (L R Ls Rs) folds to L+Ls, R+Rs.
    return np.column_stack((block[:, 0::2].mean(axis=1), block[:, 1::2].mean(axis=1)))
