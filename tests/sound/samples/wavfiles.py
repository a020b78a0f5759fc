"""Audio files for the sample loader's tests: tones, smpl chunks appended to WAV files,
WAV bytes with a patched header field."""
import io
import struct

import numpy as np
import soundfile as sf

RATE = 48000


def sine(hz, rate, seconds=0.25, amp=0.5, channels=1):
    t = np.arange(round(seconds * rate)) / rate
    mono = amp * np.sin(2 * np.pi * hz * t)
    return mono if channels == 1 else np.column_stack([mono] * channels)


def peak_hz(signal, rate):
    spectrum = np.abs(np.fft.rfft(signal * np.hanning(len(signal))))
    return np.fft.rfftfreq(len(signal), 1 / rate)[np.argmax(spectrum)]


def smpl_chunk(root_note, loops=((0, 0),), size=None):
    """A smpl chunk; loops are (start, inclusive end) as the file format stores them."""
    body = struct.pack("<9I", 0, 0, 20833, root_note, 0, 0, 0, len(loops), 0)
    body += b"".join(struct.pack("<6I", 0, 0, start, end, 0, 0) for start, end in loops)
    return b"smpl" + struct.pack("<I", len(body) if size is None else size) + body


def append_chunks(path, *chunks):
    """Append raw chunks to a RIFF WAV file and fix the RIFF size."""
    data = bytearray(path.read_bytes()) + b"".join(chunks)
    if data[:4] == b"RIFF":
        data[4:8] = struct.pack("<I", len(data) - 8)
    path.write_bytes(bytes(data))


def write(path, audio, rate=RATE, **kwargs):
    sf.write(path, audio, rate, **kwargs)
    return path


def looped_wav(tmp_path, rate=RATE, frames=4800, *chunks, name="loop.wav"):
    path = write(tmp_path / name, sine(220, rate, seconds=frames / rate), rate, subtype="PCM_16")
    append_chunks(path, *chunks)
    return path


def wav_bytes():
    buffer = io.BytesIO()
    sf.write(buffer, sine(440, RATE, seconds=0.1), RATE, format="WAV", subtype="PCM_24")
    return buffer.getvalue()


def patched_wav(offset, value):
    def maker(tmp_path):
        data = bytearray(wav_bytes())
        data[offset:offset + 4] = struct.pack("<I", value)
        path = tmp_path / "patched.wav"
        path.write_bytes(bytes(data))
        return path
    return maker


def with_audio(name, audio, **kwargs):
    return lambda tmp_path: write(tmp_path / name, audio, **kwargs)


def nan_at(frame, subtype):
    audio = sine(440, RATE, seconds=0.1)
    audio[frame] = np.nan if subtype == "FLOAT" else np.inf
    return with_audio("nan.wav", audio, subtype=subtype)
