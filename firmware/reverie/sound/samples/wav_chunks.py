"""WAV chunks the sampler reads itself (libsndfile does not give them): the loop and the
root note from a `smpl` chunk, and where the `data` chunk says the audio ends (to find a
truncated file). Works on RIFF, RF64 and BW64 files; any other file gives an empty Riff.
"""
from __future__ import annotations

import struct
from dataclasses import dataclass
from pathlib import Path

_RIFF_MAGICS = (b"RIFF", b"RF64", b"BW64")
_RIFF_UNKNOWN_SIZE = 0xFFFFFFFF   # RF64 (size in ds64) or an unfinished recording
# Data sizes that streaming writers (pipes, crashed recorders, sox) put in the header.
_DATA_SIZE_PLACEHOLDERS = (0, 0x7FFFF000, 0x7FFFFFFF, _RIFF_UNKNOWN_SIZE)
_MAX_CHUNKS = 4096                # a guard against pathological files
_MAX_SMPL_BYTES = 1 << 16
_SMPL_HEADER = struct.Struct("<12xI12xI4x")   # MIDI unity note, number of loops
_SMPL_LOOP = struct.Struct("<8xII8x")         # start, end (inclusive)
_DS64_DATA_SIZE = struct.Struct("<8xQ")
_FMT_BLOCK_ALIGN = struct.Struct("<12xH")


@dataclass
class Riff:
    """What a scan of a WAV file's chunks found. Offsets and sizes are in bytes."""
    smpl: bytes | None = None
    smpl_cut_short: bool = False
    data_end: int | None = None      # where the data chunk says it ends
    block_align: int = 1


@dataclass(frozen=True)
class Loop:
    root_note: int | None = None
    start: int | None = None         # source frames
    end: int | None = None           # source frames, exclusive
    notes: tuple[str, ...] = ()


def read_riff(path: Path, file_size: int) -> Riff:
    """The chunks of the file at `path`; OSError when it cannot be read."""
    with open(path, "rb") as fh:
        return _scan_riff(fh, file_size)


def _scan_riff(fh, file_size: int) -> Riff:
    """Walk the chunks of a RIFF/RF64 WAVE file; anything else gives an empty Riff."""
    riff = Riff()
    head = fh.read(12)
    if len(head) < 12 or head[:4] not in _RIFF_MAGICS or head[8:12] != b"WAVE":
        return riff
    ds64_data_size = None
    pos = 12
    for _ in range(_MAX_CHUNKS):
        if pos + 8 > file_size:
            break
        fh.seek(pos)
        chunk_id, size = struct.unpack("<4sI", fh.read(8))
        body = pos + 8
        if chunk_id == b"ds64" and size >= 16:
            ds64_data_size = _unpack(_DS64_DATA_SIZE, fh.read(16))
        elif chunk_id == b"fmt " and size >= 14:
            riff.block_align = _unpack(_FMT_BLOCK_ALIGN, fh.read(14)) or 1
        elif chunk_id == b"data":
            if size == _RIFF_UNKNOWN_SIZE and ds64_data_size is not None:
                size = ds64_data_size
            elif size in _DATA_SIZE_PLACEHOLDERS:
                break  # a streamed or unfinished file: the data runs to the end
            riff.data_end = body + size
        elif chunk_id == b"smpl" and riff.smpl is None:
            riff.smpl = fh.read(min(size, _MAX_SMPL_BYTES))
            riff.smpl_cut_short = body + size > file_size
        pos = _next_chunk(fh, body + size, size, file_size)
    return riff


def _unpack(layout: struct.Struct, data: bytes):
    return layout.unpack_from(data)[0] if len(data) >= layout.size else None


def _next_chunk(fh, end: int, size: int, file_size: int) -> int:
    """Where the next chunk starts. RIFF pads odd-sized chunks with a byte, but some writers
    leave it out: believe whichever position starts with a plausible chunk id."""
    if size % 2 == 0 or end + 1 >= file_size:
        return end + size % 2
    fh.seek(end + 1)
    if _looks_like_chunk_id(fh.read(4)):
        return end + 1
    fh.seek(end)
    return end if _looks_like_chunk_id(fh.read(4)) else end + 1


def _looks_like_chunk_id(data: bytes) -> bool:
    # Real ids are letters, digits and spaces ("fmt ", "LIST", "id3 "); being strict here
    # keeps a chunk's size bytes (often printable) from passing for the next id.
    return len(data) == 4 and data.rstrip(b" ").isalnum()


def parse_smpl(riff: Riff, frames: int) -> Loop:
    """Root note and first loop from the smpl chunk; a bad chunk is ignored with a note."""
    if riff.smpl is None:
        return Loop()
    if riff.smpl_cut_short or len(riff.smpl) < _SMPL_HEADER.size:
        return Loop(notes=("the smpl chunk is cut short; loop and root note ignored",))
    unity_note, loop_count = _SMPL_HEADER.unpack_from(riff.smpl)
    notes = []
    root_note = unity_note if unity_note <= 127 else None
    if root_note is None:
        notes.append(f"root note {unity_note} in the smpl chunk is not a MIDI note; ignored")
    if loop_count == 0:
        return Loop(root_note, notes=tuple(notes))
    if len(riff.smpl) < _SMPL_HEADER.size + _SMPL_LOOP.size:
        notes.append("the smpl chunk lists a loop but does not hold it; loop ignored")
        return Loop(root_note, notes=tuple(notes))
    if loop_count > 1:
        notes.append(f"the smpl chunk has {loop_count} loops; only the first is used")
    start, last = _SMPL_LOOP.unpack_from(riff.smpl, _SMPL_HEADER.size)
    end = last + 1
    if end == frames + 1:  # some writers store the end as exclusive
        end = frames
        notes.append("the smpl loop ended one frame past the audio; moved to the last frame")
    if not start < end <= frames:
        notes.append(f"the smpl loop {start}-{last} does not fit the {frames} frames; loop ignored")
        return Loop(root_note, notes=tuple(notes))
    return Loop(root_note, start, end, tuple(notes))


def scale_loop(loop: Loop, ratio: float,
                frames: int) -> tuple[int | None, int | None, list[str]]:
    """The loop in resampled frames (end exclusive)."""
    if loop.start is None:
        return None, None, []
    start = round(loop.start * ratio)
    end = min(round(loop.end * ratio), frames)
    if end <= start:
        return None, None, ["the loop is too short to keep after resampling; ignored"]
    return start, end, []
