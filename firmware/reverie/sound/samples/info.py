"""What is inside an audio file and whether the sampler loads it, for `reverie
sample-info`: `describe` decodes it once to check it; `format_info` shows the result."""
from __future__ import annotations

import math
from pathlib import Path

import numpy as np

from reverie.sound.samples.decode import DEFAULT_ENGINE_RATE, decoded_blocks
from reverie.sound.samples.opening import (SampleLimits, format_name, limit_problem,
                                           open_checked, source_notes)
from reverie.sound.samples.wav_chunks import parse_smpl


def describe(path, engine_rate: int = DEFAULT_ENGINE_RATE,
             limits: SampleLimits = SampleLimits()) -> dict:
    """What is in `path` (decoded once to check it), or UserError if the box cannot load it.
    Loop points are in source frames; being over one of `limits` is a note, not an error."""
    path = Path(path)
    snd, riff = open_checked(path)
    with snd:
        peak = 0.0
        for block in decoded_blocks(path, snd):
            peak = max(peak, float(np.abs(block).max()))
        loop = parse_smpl(riff, snd.frames)
        over = limit_problem(snd, engine_rate, limits)
        limit_notes = [f"{over[0]}: the box refuses it unless {over[1]} is raised"] if over else []
        return {
            "path": str(path),
            "format": snd.format,
            "subtype": snd.subtype,
            "source_format": format_name(snd),
            "source_rate": snd.samplerate,
            "channels": snd.channels,
            "frames": snd.frames,
            "duration_s": round(snd.frames / snd.samplerate, 6),
            "loop_start": loop.start,
            "loop_end": loop.end,
            "root_note": loop.root_note,
            "peak_dbfs": round(20 * math.log10(peak), 2) if peak > 0 else None,
            "notes": source_notes(snd.channels, peak) + list(loop.notes) + limit_notes,
        }


def format_info(info: dict) -> str:
    """`describe()`'s dict as readable text, one fact a line."""
    loop = "none"
    if info["loop_start"] is not None:
        loop = f"{info['loop_start']}-{info['loop_end']} (source frames, end exclusive)"
    root = "none"
    if info["root_note"] is not None:
        root = f"{info['root_note']} ({note_name(info['root_note'])})"
    peak = "silent" if info["peak_dbfs"] is None else f"{info['peak_dbfs']:.1f} dBFS"
    lines = [
        info["path"],
        f"  format     {info['source_format']}",
        f"  rate       {info['source_rate']} Hz",
        f"  channels   {info['channels']}",
        f"  length     {info['duration_s']:.3f} s ({info['frames']} frames)",
        f"  loop       {loop}",
        f"  root note  {root}",
        f"  peak       {peak}",
    ]
    lines += [f"  note       {note}" for note in info["notes"]]
    return "\n".join(lines)


def note_name(midi_note: int) -> str:
    """Scientific pitch name: 60 -> C4."""
    names = ("C", "C#", "D", "D#", "E", "F", "F#", "G", "G#", "A", "A#", "B")
    return f"{names[midi_note % 12]}{midi_note // 12 - 1}"
