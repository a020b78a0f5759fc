"""reverie.sound.samples.opening: a one-line UserError for every kind of bad file (and for
one over the limits), leaving what was loaded before alone."""
import dataclasses
import os
import struct

import numpy as np
import pytest

from reverie.base.errors import UserError
from reverie.sound.samples import Sample, SampleLimits, load_sample, wav_chunks
from wavfiles import (RATE, append_chunks, nan_at, patched_wav, sine, smpl_chunk, wav_bytes,
                      with_audio, write)


@pytest.fixture
def loaded(tmp_path):
    """A sample loaded before something else fails, with a snapshot to compare against."""
    path = write(tmp_path / "good.wav", sine(440, RATE, channels=2), subtype="PCM_24")
    sample = load_sample(path)
    return sample, dataclasses.replace(sample, data=sample.data.copy(), notes=list(sample.notes))


def assert_unchanged(pair):
    sample, snapshot = pair
    assert np.array_equal(sample.data, snapshot.data)
    for f in dataclasses.fields(Sample):
        if f.name != "data":
            assert getattr(sample, f.name) == getattr(snapshot, f.name)


def _with_bytes(name, make):
    def maker(tmp_path):
        path = tmp_path / name
        path.write_bytes(make())
        return path
    return maker


def _directory(tmp_path):
    (tmp_path / "drums").mkdir()
    return tmp_path / "drums"


def _fifo(tmp_path):
    os.mkfifo(tmp_path / "pipe.wav")
    return tmp_path / "pipe.wav"


def _flac_cut_in_half(tmp_path):
    path = write(tmp_path / "cut.flac", np.random.default_rng(1).random(48000) - 0.5,
                 format="FLAC", subtype="PCM_24")
    path.write_bytes(path.read_bytes()[: path.stat().st_size // 2])
    return path


BAD_FILES = [
    ("missing", lambda tmp_path: tmp_path / "nope.wav", {}, "no such file — check the path"),
    ("nul-in-name", lambda tmp_path: tmp_path / "a\0b.wav", {}, "not a valid file name"),
    ("directory", _directory, {}, "is a folder, not an audio file"),
    ("fifo", _fifo, {}, "is not a regular file"),
    ("empty", _with_bytes("empty.wav", bytes), {}, "is empty (0 bytes)"),
    ("zero-frames", with_audio("silent.wav", np.zeros(0)), {}, "has no audio in it (0 frames)"),
    ("garbage", _with_bytes("kick.wav", lambda: np.random.default_rng(0).bytes(4000)), {},
     "not a readable audio file (unknown format) — export it as WAV, AIFF, FLAC or OGG"),
    ("text", _with_bytes("notes.wav", lambda: b"hello\nworld\n" * 50), {}, "unknown format"),
    ("cut-header", _with_bytes("cut.wav", lambda: wav_bytes()[:30]), {},
     "not a readable audio file"),
    ("cut-wav-data", _with_bytes("cut.wav", lambda: wav_bytes()[:9000]), {},
     "is truncated: 5444 bytes of audio are missing at the end — export or copy it again"),
    ("cut-flac", _flac_cut_in_half, {}, "export or copy it again"),
    ("unsupported", with_audio("tone.au", sine(440, RATE), format="AU"), {},
     "AU (Sun/NeXT) files are not supported — export it as WAV, AIFF, FLAC or OGG"),
    ("too-big", with_audio("long.wav", sine(440, RATE, seconds=1.0), subtype="PCM_16"),
     {"max_bytes": 2**20 // 4}, "needs 0.4 MB as a stereo 48000 Hz sample, over the 0.25 MB "
     "limit — trim it, or raise samples.max_megabytes"),
    ("too-big-after-upsampling", with_audio("up.wav", sine(440, 8000, seconds=1.0), rate=8000),
     {"max_bytes": 300_000}, "samples.max_megabytes"),
    ("too-long", with_audio("long.wav", sine(440, 8000, seconds=2.0), rate=8000),
     {"max_seconds": 1.5},
     "is 2.0 s long, over the 1.5 s limit — trim it, or raise samples.max_seconds"),
    ("nan", nan_at(123, "FLOAT"), {},
     "contains NaN or infinite sample values (first at frame 123)"),
    ("inf", nan_at(4000, "DOUBLE"), {}, "(first at frame 4000)"),
]


@pytest.mark.parametrize("make,limits,expected", [case[1:] for case in BAD_FILES],
                         ids=[case[0] for case in BAD_FILES])
def test_bad_file_gives_one_line_and_leaves_loaded_samples_alone(tmp_path, loaded, make, limits,
                                                                 expected):
    path = make(tmp_path)
    with pytest.raises(UserError) as caught:
        load_sample(path, limits=SampleLimits(**limits))
    message = str(caught.value)
    assert "\n" not in message and "\r" not in message
    assert message.startswith(str(path).replace("\0", "?") + ": ")
    assert expected in message
    assert_unchanged(loaded)


def test_unreadable_file(tmp_path, loaded, monkeypatch):
    path = write(tmp_path / "locked.wav", sine(440, RATE), subtype="PCM_16")
    path.chmod(0)
    if os.geteuid() == 0:  # root reads anything: make open() fail as it would for a user
        def deny(*args, **kwargs):
            raise PermissionError(13, "Permission denied", str(path))
        monkeypatch.setattr(wav_chunks, "open", deny, raising=False)
    with pytest.raises(UserError) as caught:
        load_sample(path)
    assert str(caught.value) == (f"{path}: cannot be read (permission denied) — "
                                 "make it readable, e.g. chmod a+r")
    assert_unchanged(loaded)


def test_control_characters_in_a_name_do_not_break_the_line(tmp_path):
    with pytest.raises(UserError) as caught:
        load_sample(tmp_path / "two\nlines.wav")
    assert "\n" not in str(caught.value) and "two?lines.wav: no such file" in str(caught.value)


def test_implausible_sample_rate_is_rejected(tmp_path):
    path = patched_wav(24, 5)(tmp_path)  # fmt sample rate field
    with pytest.raises(UserError, match=r"patched.wav: has an implausible sample rate \(5 Hz\)"):
        load_sample(path)


def test_corrupted_files_load_or_fail_with_one_line(tmp_path):
    """Deterministic fuzzing: flipped bytes, cut files and wild size fields never escape
    as anything but a one-line UserError."""
    rng = np.random.default_rng(7)
    originals = []
    formats = [("WAV", "PCM_24"), ("RF64", "PCM_16"), ("FLAC", "PCM_16"), ("OGG", "VORBIS")]
    for fmt, subtype in formats:
        path = write(tmp_path / f"base.{fmt.lower()}", sine(440, 44100, 0.1, channels=2), 44100,
                     format=fmt, subtype=subtype)
        if fmt in ("WAV", "RF64"):
            append_chunks(path, smpl_chunk(60, [(10, 2000)]))
        originals.append(path.read_bytes())
    outcomes = {"loaded": 0, "refused": 0}
    for i in range(160):
        data = bytearray(originals[i % len(originals)])
        if i % 3 == 0:
            data = data[: rng.integers(0, len(data))]
        elif i % 3 == 1:
            at = int(rng.integers(0, min(120, len(data) - 4)))
            data[at:at + 4] = struct.pack("<I", int(rng.choice([0, 3, 2**31, 2**32 - 1])))
        else:
            for at in rng.integers(0, len(data), size=8):
                data[at] = int(rng.integers(0, 256))
        path = tmp_path / f"corrupt{i}"
        path.write_bytes(bytes(data))
        try:
            load_sample(path)
            outcomes["loaded"] += 1
        except UserError as exc:
            assert "\n" not in str(exc) and str(exc).startswith(f"{path}: ")
            outcomes["refused"] += 1
    assert outcomes["loaded"] > 10 and outcomes["refused"] > 10
