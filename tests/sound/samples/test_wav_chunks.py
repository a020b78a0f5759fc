"""reverie.sound.samples.wav_chunks: loop points and root note from a smpl chunk (scaled when
resampling, a bad chunk ignored with a note), odd chunks, RF64, streamed data sizes."""
import struct

import pytest

from reverie.sound.samples import load_sample
from wavfiles import RATE, append_chunks, looped_wav, patched_wav, sine, smpl_chunk, write


def test_loop_points_and_root_note_are_read(tmp_path):
    sample = load_sample(looped_wav(tmp_path, RATE, 4800, smpl_chunk(36, [(1000, 3999)])))
    assert (sample.loop_start, sample.loop_end, sample.root_note) == (1000, 4000, 36)
    assert sample.notes == []


def test_loop_points_are_scaled_when_resampling(tmp_path):
    sample = load_sample(looped_wav(tmp_path, 44100, 44100, smpl_chunk(60, [(4410, 22049)])))
    assert sample.frames == 48000
    assert (sample.loop_start, sample.loop_end, sample.root_note) == (4800, 24000, 60)


def test_root_note_without_loop(tmp_path):
    sample = load_sample(looped_wav(tmp_path, RATE, 4800, smpl_chunk(48, [])))
    assert (sample.loop_start, sample.loop_end, sample.root_note) == (None, None, 48)


@pytest.mark.parametrize("padded", [True, False], ids=["padded", "pad-byte-missing"])
def test_odd_sized_chunk_before_smpl(tmp_path, padded):
    odd = b"junk" + struct.pack("<I", 3) + b"abc" + (b"\0" if padded else b"")
    sample = load_sample(looped_wav(tmp_path, RATE, 4800, odd, smpl_chunk(40, [(10, 19)])))
    assert (sample.loop_start, sample.loop_end, sample.root_note) == (10, 20, 40)


def test_rf64_smpl_after_data_is_found_through_ds64(tmp_path):
    path = write(tmp_path / "big.rf64", sine(220, RATE, seconds=0.1), format="RF64",
                 subtype="PCM_24")
    append_chunks(path, smpl_chunk(62, [(100, 199)]))
    sample = load_sample(path)
    assert sample.source_format == "RF64 PCM_24"
    assert (sample.loop_start, sample.loop_end, sample.root_note) == (100, 200, 62)


@pytest.mark.parametrize("chunk,note", [
    (smpl_chunk(36, [(100, 199)], size=500), "cut short"),
    (b"smpl" + struct.pack("<I", 8) + bytes(8), "cut short"),
    (smpl_chunk(36, [(100, 99_999)]), "does not fit"),
    (smpl_chunk(36, [(300, 100)]), "does not fit"),
    (b"smpl" + struct.pack("<I9I", 36, 0, 0, 20833, 36, 0, 0, 0, 1, 0), "does not hold"),
], ids=["truncated-at-eof", "too-short", "past-the-end", "backwards", "missing-loop"])
def test_a_bad_smpl_chunk_is_ignored_with_a_note(tmp_path, chunk, note):
    sample = load_sample(looped_wav(tmp_path, RATE, 4800, chunk))
    assert sample.loop_start is None and sample.loop_end is None
    assert any(note in n for n in sample.notes), sample.notes
    assert sample.frames == 4800


def test_root_note_out_of_midi_range_is_ignored_with_a_note(tmp_path):
    sample = load_sample(looped_wav(tmp_path, RATE, 4800, smpl_chunk(200, [(0, 99)])))
    assert sample.root_note is None and (sample.loop_start, sample.loop_end) == (0, 100)
    assert any("not a MIDI note" in n for n in sample.notes)


def test_loop_end_stored_exclusive_is_clamped(tmp_path):
    sample = load_sample(looped_wav(tmp_path, RATE, 4800, smpl_chunk(36, [(0, 4800)])))
    assert (sample.loop_start, sample.loop_end) == (0, 4800)
    assert any("one frame past" in n for n in sample.notes)


@pytest.mark.parametrize("placeholder", [0xFFFFFFFF, 0x7FFFF000])
def test_streamed_wav_with_placeholder_data_size_loads(tmp_path, placeholder):
    sample = load_sample(patched_wav(40, placeholder)(tmp_path))  # data chunk size field
    assert sample.frames == 4800
