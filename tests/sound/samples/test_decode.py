"""reverie.sound.samples.decode: every accepted format decodes to the written signal,
resampled to the engine rate and mixed to stereo; loading never touches another sample."""
import math

import numpy as np
import pytest

from reverie.sound.samples import load_sample
from wavfiles import RATE, peak_hz, sine, write


LOSSLESS = [
    ("WAV", "PCM_U8", "wav", 1 / 64),
    ("WAV", "PCM_16", "wav", 1e-4),
    ("WAV", "PCM_24", "wav", 1e-6),
    ("WAV", "PCM_32", "wav", 1e-6),
    ("WAV", "FLOAT", "wav", 1e-7),
    ("WAV", "DOUBLE", "wav", 1e-7),
    ("AIFF", "PCM_16", "aiff", 1e-4),
    ("AIFF", "PCM_24", "aiff", 1e-6),
    ("FLAC", "PCM_16", "flac", 1e-4),
    ("FLAC", "PCM_24", "flac", 1e-6),
]


@pytest.mark.parametrize("fmt,subtype,ext,tolerance", LOSSLESS)
def test_lossless_formats_decode_to_the_written_signal(tmp_path, fmt, subtype, ext, tolerance):
    signal = sine(1000, RATE, channels=2) * [1.0, -0.5]
    path = write(tmp_path / f"tone.{ext}", signal, format=fmt, subtype=subtype)
    sample = load_sample(path)
    assert sample.data.dtype == np.float32 and sample.data.flags.c_contiguous
    assert sample.data.shape == (len(signal), 2) == (sample.frames, 2)
    assert (sample.rate, sample.source_rate, sample.source_channels) == (RATE, RATE, 2)
    assert sample.source_format == f"{fmt} {subtype}"
    assert np.max(np.abs(sample.data - signal)) < tolerance
    assert sample.path == path and sample.loop_start is None and sample.root_note is None


def test_ogg_vorbis_keeps_pitch_and_level(tmp_path):
    path = write(tmp_path / "tone.ogg", sine(1000, RATE, seconds=0.5), format="OGG",
                 subtype="VORBIS")
    sample = load_sample(path)
    assert sample.source_format == "OGG VORBIS"
    assert abs(peak_hz(sample.data[:, 0], RATE) - 1000) < 5
    rms = np.sqrt(np.mean(sample.data[2000:-2000, 0] ** 2))
    assert rms == pytest.approx(0.5 / math.sqrt(2), rel=0.05)


def test_24_bit_keeps_its_least_significant_bit(tmp_path):
    steps = np.array([1, -1, 3, 2**22 + 1, -(2**23), 2**23 - 1, 0, 7], dtype=np.int32)
    path = write(tmp_path / "lsb.wav", steps * 256, subtype="PCM_24")  # int32 top 24 bits
    sample = load_sample(path)
    expected = steps / 2**23
    assert np.max(np.abs(sample.data[:, 0] - expected)) < 1e-9
    assert sample.data[0, 0] == pytest.approx(2**-23, abs=1e-9)  # 1.2e-7, not rounded to 0


@pytest.mark.parametrize("source_rate", [44100, 96000, 22050])
def test_resamples_to_the_engine_rate_keeping_pitch_and_level(tmp_path, source_rate):
    path = write(tmp_path / "tone.wav", sine(1000, source_rate, seconds=0.5), source_rate,
                 subtype="FLOAT")
    sample = load_sample(path)
    assert (sample.rate, sample.source_rate) == (RATE, source_rate)
    assert sample.data.dtype == np.float32 and sample.data.flags.c_contiguous
    assert abs(sample.frames - 0.5 * RATE) <= 1
    assert abs(peak_hz(sample.data[:, 0], RATE) - 1000) < 2.5
    steady = sample.data[1000:-1000, 0]
    assert np.max(np.abs(steady)) == pytest.approx(0.5, rel=0.01)
    assert np.sqrt(np.mean(steady ** 2)) == pytest.approx(0.5 / math.sqrt(2), rel=0.01)


def test_engine_rate_is_a_parameter(tmp_path):
    path = write(tmp_path / "tone.wav", sine(1000, RATE), subtype="PCM_16")
    sample = load_sample(path, engine_rate=44100)
    assert sample.rate == 44100 and abs(sample.frames - 0.25 * 44100) <= 1
    assert abs(peak_hz(sample.data[:, 1], 44100) - 1000) < 5


def test_mono_is_duplicated_to_both_channels(tmp_path):
    signal = sine(300, RATE)
    sample = load_sample(write(tmp_path / "mono.wav", signal, subtype="PCM_24"))
    assert sample.source_channels == 1 and sample.data.shape == (len(signal), 2)
    assert np.array_equal(sample.data[:, 0], sample.data[:, 1])
    assert np.max(np.abs(sample.data[:, 0] - signal)) < 1e-6
    assert sample.notes == []


def test_four_channels_are_mixed_down_with_a_note(tmp_path):
    quad = np.column_stack([np.full(1000, level) for level in (0.4, -0.2, 0.2, 0.6)])
    sample = load_sample(write(tmp_path / "quad.wav", quad, subtype="FLOAT"))
    assert sample.source_channels == 4 and sample.data.shape == (1000, 2)
    assert np.allclose(sample.data[:, 0], 0.3) and np.allclose(sample.data[:, 1], 0.2)
    assert any("4 channels mixed down to stereo" in note for note in sample.notes)


def test_float_file_above_full_scale_loads_with_a_note(tmp_path):
    sample = load_sample(write(tmp_path / "hot.wav", sine(100, RATE, amp=2.0), subtype="FLOAT"))
    assert np.max(sample.data) == pytest.approx(2.0, rel=1e-3)
    assert any("above full scale" in note for note in sample.notes)


def test_loading_twice_gives_independent_samples(tmp_path):
    path = write(tmp_path / "a.wav", sine(440, RATE), subtype="PCM_16")
    first, second = load_sample(path), load_sample(path)
    second.data[:] = 0
    assert np.max(np.abs(first.data)) > 0.4
