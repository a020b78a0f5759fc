"""Opening an audio file the sampler accepts, and checking it and its size against the
limits before anything is decoded. Every problem is a UserError of one line saying what is
wrong and what to do."""
from __future__ import annotations

import math
import stat
from dataclasses import dataclass
from pathlib import Path

import soundfile as sf

from reverie.base.errors import UserError
from reverie.sound.samples.wav_chunks import Riff, read_riff

ACCEPTED_FORMATS = ("WAV", "WAVEX", "RF64", "W64", "AIFF", "FLAC", "OGG")
EXPORT_HINT = "export it as WAV, AIFF, FLAC or OGG"
RECOPY_HINT = "export or copy it again"
ENGINE_BYTES_PER_FRAME = 2 * 4    # stereo float32
MIN_SOURCE_RATE, MAX_SOURCE_RATE = 1000, 768000   # Hz; outside is a damaged header


@dataclass(frozen=True)
class SampleLimits:
    """How big one decoded sample may be: the configuration's [samples] section."""
    max_bytes: int = 256 * 2**20      # samples.max_megabytes = 256: stereo float32 at the engine rate
    max_seconds: float = 600          # samples.max_seconds


def error(path: Path, problem: str, fix: str) -> UserError:
    text = f"{path}: {problem} — {fix}"
    return UserError("".join(c if c.isprintable() else "?" for c in text))


def open_checked(path: Path) -> tuple[sf.SoundFile, Riff]:
    """Open an audio file the sampler accepts; UserError for anything else."""
    file_size = _check_file(path)
    try:
        riff = read_riff(path, file_size)
    except OSError as exc:
        raise _unreadable(path, exc) from exc
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
        raise error(path, "no such file", "check the path") from exc
    except OSError as exc:
        raise _unreadable(path, exc) from exc
    except ValueError as exc:  # e.g. a NUL byte in the name
        raise error(path, "is not a valid file name", "check the path") from exc
    if stat.S_ISDIR(st.st_mode):
        raise error(path, "is a folder, not an audio file", "give the path of a file in it")
    if not stat.S_ISREG(st.st_mode):
        raise error(path, "is not a regular file", "copy the audio into a file first")
    if st.st_size == 0:
        raise error(path, "is empty (0 bytes)", RECOPY_HINT)
    return st.st_size


def _unreadable(path: Path, exc: OSError) -> UserError:
    if isinstance(exc, PermissionError):
        return error(path, "cannot be read (permission denied)",
                      "make it readable, e.g. chmod a+r")
    return error(path, f"cannot be read ({exc.strerror or exc})",
                  "check the disk or copy the file again")


def _open_sound(path: Path) -> sf.SoundFile:
    try:
        return sf.SoundFile(str(path))
    except sf.LibsndfileError as exc:
        reason = "unknown format" if exc.code == 1 else exc.error_string.rstrip(".")
        raise error(path, f"not a readable audio file ({reason})", EXPORT_HINT) from exc
    except (sf.SoundFileError, OSError) as exc:
        raise error(path, f"not a readable audio file ({exc})", EXPORT_HINT) from exc


def _check_sound(path: Path, snd: sf.SoundFile, riff: Riff, file_size: int) -> None:
    if snd.format not in ACCEPTED_FORMATS:
        raise error(path, f"{snd.format_info} files are not supported", EXPORT_HINT)
    if not MIN_SOURCE_RATE <= snd.samplerate <= MAX_SOURCE_RATE:
        raise error(path, f"has an implausible sample rate ({snd.samplerate} Hz)", RECOPY_HINT)
    if snd.frames == 0:
        raise error(path, "has no audio in it (0 frames)", "export it again with the sound in it")
    missing = (riff.data_end or 0) - file_size
    if missing >= riff.block_align:
        raise error(path, f"is truncated: {missing} bytes of audio are missing at the end",
                     RECOPY_HINT)


def limit_problem(snd: sf.SoundFile, engine_rate: int,
                  limits: SampleLimits) -> tuple[str, str] | None:
    """(problem, setting name) if the decoded sample would be over a limit, else None."""
    max_bytes, max_seconds = limits.max_bytes, limits.max_seconds
    seconds = snd.frames / snd.samplerate
    if seconds > max_seconds:
        return f"is {seconds:.1f} s long, over the {max_seconds:g} s limit", "samples.max_seconds"
    needed = math.ceil(snd.frames * engine_rate / snd.samplerate) * ENGINE_BYTES_PER_FRAME
    if needed > max_bytes:
        return (f"needs {needed / 2**20:.1f} MB as a stereo {engine_rate} Hz sample, over the "
                f"{max_bytes / 2**20:.4g} MB limit", "samples.max_megabytes")
    return None


def format_name(snd: sf.SoundFile) -> str:
    return f"{snd.format} {snd.subtype}"


def source_notes(channels: int, peak: float) -> list[str]:
    notes = []
    if channels > 2:
        notes.append(f"{channels} channels mixed down to stereo "
                     "(channels 1, 3, ... to the left, 2, 4, ... to the right)")
    if peak > 1.0:
        notes.append(f"peaks at +{20 * math.log10(peak):.1f} dBFS, above full scale")
    return notes
