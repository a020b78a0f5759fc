"""Audio files for the sampler: decode with libsndfile, mix to stereo, resample to the engine
rate with soxr, and read the loop and root note from a WAV `smpl` chunk.

Runs on a worker thread. Every problem with a file is a UserError whose message is one line
saying what is wrong and what to do. Loading only ever returns a new Sample: nothing already
loaded is touched.
"""
from __future__ import annotations

import math
import stat
import struct
from dataclasses import dataclass, field
from pathlib import Path

import numpy as np
import soundfile as sf
import soxr

from reverie.base.errors import UserError

ACCEPTED_FORMATS = ("WAV", "WAVEX", "RF64", "W64", "AIFF", "FLAC", "OGG")
EXPORT_HINT = "export it as WAV, AIFF, FLAC or OGG"
RECOPY_HINT = "export or copy it again"
DEFAULT_ENGINE_RATE = 48000
DEFAULT_MAX_BYTES = 256 * 2**20   # samples.max_megabytes = 256
DEFAULT_MAX_SECONDS = 600         # samples.max_seconds
RESAMPLE_QUALITY = "VHQ"
ENGINE_BYTES_PER_FRAME = 2 * 4    # stereo float32
READ_BLOCK_FRAMES = 1 << 16
MIN_SOURCE_RATE, MAX_SOURCE_RATE = 1000, 768000   # Hz; outside is a damaged header

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


@dataclass
class _Riff:
    """What a scan of a WAV file's chunks found. Offsets and sizes are in bytes."""
    smpl: bytes | None = None
    smpl_cut_short: bool = False
    data_end: int | None = None      # where the data chunk says it ends
    block_align: int = 1


@dataclass(frozen=True)
class _Loop:
    root_note: int | None = None
    start: int | None = None         # source frames
    end: int | None = None           # source frames, exclusive
    notes: tuple[str, ...] = ()


# --- public API -------------------------------------------------------------------------

def load_sample(path, engine_rate: int = DEFAULT_ENGINE_RATE, max_bytes: int = DEFAULT_MAX_BYTES,
                max_seconds: float = DEFAULT_MAX_SECONDS) -> Sample:
    """Decode `path` to a stereo float32 Sample at `engine_rate`, or raise UserError."""
    path = Path(path)
    snd, riff = _open_checked(path)
    with snd:
        over = _limit_problem(snd, engine_rate, max_bytes, max_seconds)
        if over:
            problem, setting = over
            raise _error(path, problem, f"trim it, or raise {setting}")
        data, peak = _decode_at_rate(path, snd, engine_rate)
        loop = _parse_smpl(riff, snd.frames)
        source_rate, channels, source_format = snd.samplerate, snd.channels, _format_name(snd)
    loop_start, loop_end, loop_notes = _scale_loop(loop, engine_rate / source_rate, len(data))
    notes = _source_notes(channels, peak) + list(loop.notes) + loop_notes
    return Sample(data=data, rate=engine_rate, source_rate=source_rate,
                  source_channels=channels, source_format=source_format, frames=len(data),
                  loop_start=loop_start, loop_end=loop_end, root_note=loop.root_note,
                  notes=notes, path=path)


def describe(path, engine_rate: int = DEFAULT_ENGINE_RATE) -> dict:
    """What is in `path` (decoded once to check it), or UserError if the box cannot load it.
    Loop points are in source frames; being over a default limit is a note, not an error."""
    path = Path(path)
    snd, riff = _open_checked(path)
    with snd:
        peak = 0.0
        for block in _decoded_blocks(path, snd):
            peak = max(peak, float(np.abs(block).max()))
        loop = _parse_smpl(riff, snd.frames)
        over = _limit_problem(snd, engine_rate, DEFAULT_MAX_BYTES, DEFAULT_MAX_SECONDS)
        limit_notes = [f"{over[0]}: the box refuses it unless {over[1]} is raised"] if over else []
        return {
            "path": str(path),
            "format": snd.format,
            "subtype": snd.subtype,
            "source_format": _format_name(snd),
            "source_rate": snd.samplerate,
            "channels": snd.channels,
            "frames": snd.frames,
            "duration_s": round(snd.frames / snd.samplerate, 6),
            "loop_start": loop.start,
            "loop_end": loop.end,
            "root_note": loop.root_note,
            "peak_dbfs": round(20 * math.log10(peak), 2) if peak > 0 else None,
            "notes": _source_notes(snd.channels, peak) + list(loop.notes) + limit_notes,
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


# --- opening and checking ---------------------------------------------------------------

def _error(path: Path, problem: str, fix: str) -> UserError:
    text = f"{path}: {problem} — {fix}"
    return UserError("".join(c if c.isprintable() else "?" for c in text))


def _open_checked(path: Path) -> tuple[sf.SoundFile, _Riff]:
    """Open an audio file the sampler accepts; UserError for anything else."""
    file_size = _check_file(path)
    riff = _read_riff(path, file_size)
    snd = _open_sound(path)
    try:
        _check_sound(path, snd, riff, file_size)
    except UserError:
        snd.close()
        raise
    return snd, riff


def _check_file(path: Path) -> int:
    """The size in bytes of a regular, non-empty file."""
    try:
        st = path.stat()
    except (FileNotFoundError, NotADirectoryError) as exc:
        raise _error(path, "no such file", "check the path") from exc
    except OSError as exc:
        raise _unreadable(path, exc) from exc
    except ValueError as exc:  # e.g. a NUL byte in the name
        raise _error(path, "is not a valid file name", "check the path") from exc
    if stat.S_ISDIR(st.st_mode):
        raise _error(path, "is a folder, not an audio file", "give the path of a file in it")
    if not stat.S_ISREG(st.st_mode):
        raise _error(path, "is not a regular file", "copy the audio into a file first")
    if st.st_size == 0:
        raise _error(path, "is empty (0 bytes)", RECOPY_HINT)
    return st.st_size


def _unreadable(path: Path, exc: OSError) -> UserError:
    if isinstance(exc, PermissionError):
        return _error(path, "cannot be read (permission denied)",
                      "make it readable, e.g. chmod a+r")
    return _error(path, f"cannot be read ({exc.strerror or exc})",
                  "check the disk or copy the file again")


def _open_sound(path: Path) -> sf.SoundFile:
    try:
        return sf.SoundFile(str(path))
    except sf.LibsndfileError as exc:
        reason = "unknown format" if exc.code == 1 else exc.error_string.rstrip(".")
        raise _error(path, f"not a readable audio file ({reason})", EXPORT_HINT) from exc
    except (sf.SoundFileError, OSError) as exc:
        raise _error(path, f"not a readable audio file ({exc})", EXPORT_HINT) from exc


def _check_sound(path: Path, snd: sf.SoundFile, riff: _Riff, file_size: int) -> None:
    if snd.format not in ACCEPTED_FORMATS:
        raise _error(path, f"{snd.format_info} files are not supported", EXPORT_HINT)
    if not MIN_SOURCE_RATE <= snd.samplerate <= MAX_SOURCE_RATE:
        raise _error(path, f"has an implausible sample rate ({snd.samplerate} Hz)", RECOPY_HINT)
    if snd.frames == 0:
        raise _error(path, "has no audio in it (0 frames)", "export it again with the sound in it")
    missing = (riff.data_end or 0) - file_size
    if missing >= riff.block_align:
        raise _error(path, f"is truncated: {missing} bytes of audio are missing at the end",
                     RECOPY_HINT)


def _limit_problem(snd: sf.SoundFile, engine_rate: int, max_bytes: int,
                   max_seconds: float) -> tuple[str, str] | None:
    """(problem, setting name) if the decoded sample would be over a limit, else None."""
    seconds = snd.frames / snd.samplerate
    if seconds > max_seconds:
        return f"is {seconds:.1f} s long, over the {max_seconds:g} s limit", "samples.max_seconds"
    needed = math.ceil(snd.frames * engine_rate / snd.samplerate) * ENGINE_BYTES_PER_FRAME
    if needed > max_bytes:
        return (f"needs {needed / 2**20:.1f} MB as a stereo {engine_rate} Hz sample, over the "
                f"{max_bytes / 2**20:.4g} MB limit", "samples.max_megabytes")
    return None


def _format_name(snd: sf.SoundFile) -> str:
    return f"{snd.format} {snd.subtype}"


def _source_notes(channels: int, peak: float) -> list[str]:
    notes = []
    if channels > 2:
        notes.append(f"{channels} channels mixed down to stereo "
                     "(channels 1, 3, ... to the left, 2, 4, ... to the right)")
    if peak > 1.0:
        notes.append(f"peaks at +{20 * math.log10(peak):.1f} dBFS, above full scale")
    return notes


# --- decoding ---------------------------------------------------------------------------

def _decoded_blocks(path: Path, snd: sf.SoundFile):
    """Float64 blocks of shape (n, channels) covering the whole file, checked as they come."""
    done = 0
    while done < snd.frames:
        try:
            block = snd.read(min(READ_BLOCK_FRAMES, snd.frames - done), dtype="float64",
                             always_2d=True)
        except sf.SoundFileError as exc:
            raise _error(path, f"is damaged or truncated: decoding failed at frame {done}",
                         RECOPY_HINT) from exc
        if len(block) == 0:
            raise _error(path, f"is truncated: the header promises {snd.frames} frames but only "
                         f"{done} can be read", RECOPY_HINT)
        finite = np.isfinite(block).all(axis=1)
        if not finite.all():
            first = done + int(np.argmin(finite))
            raise _error(path, f"contains NaN or infinite sample values (first at frame {first})",
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
    for block in _decoded_blocks(path, snd):
        peak = max(peak, float(np.abs(block).max()))
        stereo = _to_stereo(block)
        filled = _append(out, filled, stereo if stream is None else stream.resample_chunk(stereo))
    if stream is not None:
        filled = _append(out, filled, stream.resample_chunk(np.empty((0, 2)), last=True))
    if filled == 0:
        raise _error(path, f"is too short to play ({snd.frames} frames)", "use a longer sound")
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


# --- WAV chunks: loop points and root note ----------------------------------------------

def _read_riff(path: Path, file_size: int) -> _Riff:
    try:
        with open(path, "rb") as fh:
            return _scan_riff(fh, file_size)
    except OSError as exc:
        raise _unreadable(path, exc) from exc


def _scan_riff(fh, file_size: int) -> _Riff:
    """Walk the chunks of a RIFF/RF64 WAVE file; anything else gives an empty _Riff."""
    riff = _Riff()
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


def _parse_smpl(riff: _Riff, frames: int) -> _Loop:
    """Root note and first loop from the smpl chunk; a bad chunk is ignored with a note."""
    if riff.smpl is None:
        return _Loop()
    if riff.smpl_cut_short or len(riff.smpl) < _SMPL_HEADER.size:
        return _Loop(notes=("the smpl chunk is cut short; loop and root note ignored",))
    unity_note, loop_count = _SMPL_HEADER.unpack_from(riff.smpl)
    notes = []
    root_note = unity_note if unity_note <= 127 else None
    if root_note is None:
        notes.append(f"root note {unity_note} in the smpl chunk is not a MIDI note; ignored")
    if loop_count == 0:
        return _Loop(root_note, notes=tuple(notes))
    if len(riff.smpl) < _SMPL_HEADER.size + _SMPL_LOOP.size:
        notes.append("the smpl chunk lists a loop but does not hold it; loop ignored")
        return _Loop(root_note, notes=tuple(notes))
    if loop_count > 1:
        notes.append(f"the smpl chunk has {loop_count} loops; only the first is used")
    start, last = _SMPL_LOOP.unpack_from(riff.smpl, _SMPL_HEADER.size)
    end = last + 1
    if end == frames + 1:  # some writers store the end as exclusive
        end = frames
        notes.append("the smpl loop ended one frame past the audio; moved to the last frame")
    if not start < end <= frames:
        notes.append(f"the smpl loop {start}-{last} does not fit the {frames} frames; loop ignored")
        return _Loop(root_note, notes=tuple(notes))
    return _Loop(root_note, start, end, tuple(notes))


def _scale_loop(loop: _Loop, ratio: float,
                frames: int) -> tuple[int | None, int | None, list[str]]:
    """The loop in resampled frames (end exclusive)."""
    if loop.start is None:
        return None, None, []
    start = round(loop.start * ratio)
    end = min(round(loop.end * ratio), frames)
    if end <= start:
        return None, None, ["the loop is too short to keep after resampling; ignored"]
    return start, end, []
