"""The factory kit: drums, a bass and a pad that Reverie synthesises itself, so a fresh box
makes sound with no downloads.

Files are 48 kHz 24-bit WAV, written here byte by byte so they are identical on every run.
The bass and the pad carry a `smpl` chunk with their loop and root note; their loops are
exactly periodic (every partial makes a whole number of cycles per loop), so they are
seamless.
"""
from __future__ import annotations

import os
import struct
import tempfile
from dataclasses import dataclass
from pathlib import Path

import numpy as np

from reverie.base.errors import UserError

KIT_RATE = 48000
KIT_SEED = 0x5EED
FACTORY_KIT_NAMES = ["kick", "snare", "closed_hat", "open_hat", "clap", "bass", "pad"]
_FULL_SCALE_24 = 2**23
_WAVE_FORMAT_PCM = 1


@dataclass(frozen=True)
class KitSound:
    audio: np.ndarray                  # float64, (frames,) or (frames, channels), in -1..1
    loop: tuple[int, int] | None = None   # frames, end exclusive
    root_note: int | None = None


def build_factory_kit(dest_dir) -> dict[str, Path]:
    """Write the factory kit into `dest_dir` (rewriting only missing or changed files) and
    return {name: path} in FACTORY_KIT_NAMES order."""
    dest = Path(dest_dir)
    try:
        dest.mkdir(parents=True, exist_ok=True)
        paths = {}
        for index, name in enumerate(FACTORY_KIT_NAMES):
            sound = _VOICES[name](np.random.default_rng((KIT_SEED, index)))
            paths[name] = _write_if_changed(dest / f"{name}.wav", kit_wav_bytes(sound))
        return paths
    except OSError as exc:
        raise UserError(f"cannot write the factory kit to {dest} ({exc.strerror or exc}) — "
                        "check that the folder is writable and the disk is not full") from exc


def kit_wav_bytes(sound: KitSound, rate: int = KIT_RATE) -> bytes:
    """A 24-bit PCM WAV file: fmt, data and, for looped sounds, smpl."""
    frames = sound.audio.reshape(len(sound.audio), -1)
    channels = frames.shape[1]
    fmt = struct.pack("<HHIIHH", _WAVE_FORMAT_PCM, channels, rate, rate * channels * 3,
                      channels * 3, 24)
    chunks = _chunk(b"fmt ", fmt) + _chunk(b"data", _pcm24(frames))
    if sound.loop is not None:
        chunks += _chunk(b"smpl", smpl_body(sound.root_note, *sound.loop, rate))
    return b"RIFF" + struct.pack("<I", 4 + len(chunks)) + b"WAVE" + chunks


def smpl_body(root_note: int, loop_start: int, loop_end: int, rate: int) -> bytes:
    """A smpl chunk body with one forward loop; `loop_end` is exclusive, the chunk's inclusive."""
    sample_period_ns = round(1e9 / rate)
    header = struct.pack("<9I", 0, 0, sample_period_ns, root_note, 0, 0, 0, 1, 0)
    first_loop = struct.pack("<6I", 0, 0, loop_start, loop_end - 1, 0, 0)
    return header + first_loop


def _chunk(chunk_id: bytes, body: bytes) -> bytes:
    pad = b"\0" if len(body) % 2 else b""
    return chunk_id + struct.pack("<I", len(body)) + body + pad


def _pcm24(frames: np.ndarray) -> bytes:
    ints = np.clip(np.round(frames * _FULL_SCALE_24), -_FULL_SCALE_24, _FULL_SCALE_24 - 1)
    little = ints.astype("<i4").reshape(-1).view(np.uint8).reshape(-1, 4)
    return little[:, :3].tobytes()


def _write_if_changed(path: Path, content: bytes) -> Path:
    """Atomically replace `path` with `content` unless it already holds exactly that."""
    if path.is_file() and path.read_bytes() == content:
        return path
    fd, tmp = tempfile.mkstemp(dir=path.parent, prefix=f".{path.name}.", suffix=".tmp")
    try:
        with os.fdopen(fd, "wb") as fh:
            fh.write(content)
            fh.flush()
            os.fsync(fh.fileno())
        os.replace(tmp, path)
    except BaseException:
        os.unlink(tmp)
        raise
    dir_fd = os.open(path.parent, os.O_RDONLY)
    try:
        os.fsync(dir_fd)
    finally:
        os.close(dir_fd)
    return path


# --- synthesis --------------------------------------------------------------------------

def _time(seconds: float) -> np.ndarray:
    return np.arange(round(seconds * KIT_RATE)) / KIT_RATE


def _midi_hz(note: int) -> float:
    return 440.0 * 2 ** ((note - 69) / 12)


def _band_noise(rng: np.random.Generator, frames: int, low_hz: float,
                high_hz: float | None = None) -> np.ndarray:
    """White noise through 4th-order-like band edges (shaped in the frequency domain)."""
    spectrum = np.fft.rfft(rng.random(frames) * 2 - 1)
    hz = np.fft.rfftfreq(frames, 1 / KIT_RATE)
    hz[0] = 1e-3  # DC: avoids dividing by zero; the high-pass removes it anyway
    gain = 1 / np.sqrt(1 + (low_hz / hz) ** 8)
    if high_hz is not None:
        gain /= np.sqrt(1 + (hz / high_hz) ** 8)
    return _normalise(np.fft.irfft(spectrum * gain, n=frames), 0.0)


def _normalise(audio: np.ndarray, peak_db: float) -> np.ndarray:
    return audio * (10 ** (peak_db / 20) / np.max(np.abs(audio)))


def _fade_out(audio: np.ndarray, seconds: float = 0.01) -> np.ndarray:
    n = round(seconds * KIT_RATE)
    out = audio.copy()
    out[-n:] *= np.linspace(1.0, 0.0, n)
    return out


def _smoothstep(t: np.ndarray, start: float, end: float) -> np.ndarray:
    """0 before `start`, 1 after `end`, a raised cosine between."""
    x = np.clip((t - start) / (end - start), 0.0, 1.0)
    return 0.5 - 0.5 * np.cos(np.pi * x)


def _periodic(frames: int, period: int, cycles: int, partials, phase=None) -> np.ndarray:
    """Sum of sines that repeats exactly every `period` frames. Partial (h, amp) makes
    h * cycles whole cycles per period; integer phases keep that exact in floating point."""
    n = np.arange(frames, dtype=np.int64)
    out = np.zeros(frames)
    for i, (harmonic, amp) in enumerate(partials):
        offset = 0 if phase is None else int(phase[i])
        out += amp * np.sin(2 * np.pi * ((harmonic * cycles * n + offset) % period) / period)
    return out


def _loop_period(hz: float, cycles: int) -> int:
    """Frames for `cycles` cycles of `hz`, rounded: the pitch error is below 0.05 cent."""
    return round(cycles * KIT_RATE / hz)


def _kick(rng) -> KitSound:
    t = _time(0.5)
    hz = 48 + 110 * np.exp(-t / 0.035)
    body = np.sin(2 * np.pi * np.cumsum(hz) / KIT_RATE) * np.exp(-t / 0.22)
    click = _band_noise(rng, len(t), 1500, 8000) * np.exp(-t / 0.003) * 0.4
    return KitSound(_normalise(_fade_out(body + click), -1.0))


def _snare(rng) -> KitSound:
    t = _time(0.4)
    tone = (np.sin(2 * np.pi * 185 * t) + 0.6 * np.sin(2 * np.pi * 330 * t)) * np.exp(-t / 0.05)
    noise = _band_noise(rng, len(t), 1200, 9000) * np.exp(-t / 0.13)
    return KitSound(_normalise(_fade_out(0.6 * tone + noise), -1.0))


def _hat(rng, seconds: float, decay_s: float, low_hz: float) -> KitSound:
    t = _time(seconds)
    envelope = np.exp(-t / decay_s) * _smoothstep(t, 0, 0.001)
    noise = _band_noise(rng, len(t), low_hz, 16000) * envelope
    return KitSound(_normalise(_fade_out(noise), -1.0))


def _clap(rng) -> KitSound:
    t = _time(0.45)
    bursts = (0.0, 0.011, 0.022, 0.034)  # s: a few hands, slightly apart
    envelope = sum(np.where(t >= at, np.exp(-(t - at) / 0.005), 0.0) for at in bursts)
    envelope += np.where(t >= bursts[-1], 0.6 * np.exp(-(t - bursts[-1]) / 0.14), 0.0)
    noise = _band_noise(rng, len(t), 900, 4000)
    return KitSound(_normalise(_fade_out(noise * envelope), -1.0))


def _bass(rng) -> KitSound:
    root, cycles, loop_start = 36, 48, round(0.25 * KIT_RATE)
    hz = _midi_hz(root)
    period = _loop_period(hz, cycles)
    harmonics = range(1, int(6000 / hz) + 1)
    dark = [(h, 1 / h / np.sqrt(1 + (h * hz / 1200) ** 2)) for h in harmonics]
    bright = [(h, 1 / h) for h in harmonics]
    frames = loop_start + period
    t = np.arange(frames) / KIT_RATE
    # The pluck's brightness and level settle before the loop starts, so the loop is static.
    pluck = 1 - _smoothstep(t, 0.0, 0.2)
    level = _smoothstep(t, 0, 0.003) * (0.75 + 0.25 * pluck)
    tone = _periodic(frames, period, cycles, dark) * (1 - pluck) \
        + _periodic(frames, period, cycles, bright) * pluck
    return KitSound(_normalise(tone * level, -3.0), (loop_start, frames), root)


def _pad(rng) -> KitSound:
    root, cycles, loop_start = 60, 64, round(0.35 * KIT_RATE)
    # A just major chord: C, E, G are harmonics 4, 5, 6 of two octaves below C4.
    base_hz = _midi_hz(root) / 4
    period = _loop_period(base_hz, cycles)
    partials = [(note * overtone, amp) for note in (4, 5, 6)
                for overtone, amp in ((1, 1.0), (2, 0.25), (3, 0.08))]
    frames = loop_start + period
    t = np.arange(frames) / KIT_RATE
    swell = _smoothstep(t, 0.0, 0.3)
    channels = []
    for side in range(2):
        phases = rng.integers(0, period, size=len(partials))
        tremolo = 1 + 0.12 * _periodic(frames, period, 1, [(1, 1.0)], [side * period // 3])
        channels.append(_periodic(frames, period, cycles, partials, phases) * tremolo * swell)
    return KitSound(_normalise(np.column_stack(channels), -6.0), (loop_start, frames), root)


_VOICES = {
    "kick": _kick,
    "snare": _snare,
    "closed_hat": lambda rng: _hat(rng, 0.2, 0.03, 7000),
    "open_hat": lambda rng: _hat(rng, 0.8, 0.22, 6000),
    "clap": _clap,
    "bass": _bass,
    "pad": _pad,
}
