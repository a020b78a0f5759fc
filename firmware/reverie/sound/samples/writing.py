"""Writing audio files, each whole or not at all: a temp file beside the target, fsynced and
renamed into place (base/files.atomic_path). What the box keeps of its own sound (captures,
docs/capture.md) is written here: float WAV for a sample the project plays (every bit as
it was heard), FLAC for the audio log."""
from __future__ import annotations

from pathlib import Path

import numpy as np
import soundfile as sf

from reverie.base.errors import UserError
from reverie.base.files import atomic_path

FORMATS = {".wav": ("WAV", "FLOAT"), ".flac": ("FLAC", "PCM_24")}


def write_audio(path: Path, frames: np.ndarray, rate: int) -> int:
    """Writes (n, 2) float32 `frames` to `path` (.wav: 32-bit float; .flac: 24-bit) atomically;
    returns its size in bytes. UserError when it cannot be written: nothing is left behind."""
    path = Path(path)
    kind = FORMATS.get(path.suffix.lower())
    if kind is None:
        raise UserError(f"{path.name}: audio is written as {' or '.join(FORMATS)}")
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
        with atomic_path(path) as tmp:
            sf.write(str(tmp), frames, rate, format=kind[0], subtype=kind[1])
        return path.stat().st_size
    except (OSError, sf.LibsndfileError, RuntimeError) as exc:
        raise UserError(f"cannot write {path.name} ({getattr(exc, 'strerror', None) or exc})") from None
