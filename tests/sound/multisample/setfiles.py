"""Tiny multisample sets for the import tests: WAV files written with soundfile (a tone,
optionally a smpl chunk with a root note and a loop) and definition files beside them."""
import struct
from pathlib import Path

import numpy as np
import soundfile as sf

RATE = 48000


def wav(path: Path, frames: int = 480, rate: int = RATE, channels: int = 1, root=None, loop=None) -> Path:
    """A tone of `frames` frames; `root` and `loop` (start, inclusive end) go in a smpl chunk."""
    path.parent.mkdir(parents=True, exist_ok=True)
    tone = 0.25 * np.sin(np.arange(frames) / rate * 2 * np.pi * 440)
    sf.write(path, tone if channels == 1 else np.column_stack([tone] * channels), rate, subtype="PCM_16")
    if root is not None or loop is not None:
        loops = [loop] if loop else []
        body = struct.pack("<9I", 0, 0, 20833, 60 if root is None else root, 0, 0, 0, len(loops), 0)
        body += b"".join(struct.pack("<6I", 0, 0, s, e, 0, 0) for s, e in loops)
        data = bytearray(path.read_bytes()) + b"smpl" + struct.pack("<I", len(body)) + body
        data[4:8] = struct.pack("<I", len(data) - 8)
        path.write_bytes(bytes(data))
    return path


def write_set(folder: Path, files: dict) -> Path:
    """`files`: relative path -> text (a definition) or an int (a WAV of that many frames)."""
    folder.mkdir(parents=True, exist_ok=True)
    for rel, content in files.items():
        path = folder / rel
        path.parent.mkdir(parents=True, exist_ok=True)
        if isinstance(content, int):
            wav(path, content)
        else:
            path.write_text(content)
    return folder
