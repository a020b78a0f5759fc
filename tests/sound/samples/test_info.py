"""reverie.sound.samples.info: what `reverie sample-info` shows of a file, and its notes."""
import numpy as np
import pytest

from reverie.base.errors import UserError
from reverie.sound.samples import SampleLimits, describe, format_info
from wavfiles import RATE, looped_wav, nan_at, sine, smpl_chunk, write


def test_describe_reports_the_source_file(tmp_path):
    path = looped_wav(tmp_path, 44100, 44100, smpl_chunk(36, [(4410, 22049)]))
    info = describe(path)
    assert info == {
        "path": str(path), "format": "WAV", "subtype": "PCM_16", "source_format": "WAV PCM_16",
        "source_rate": 44100, "channels": 1, "frames": 44100, "duration_s": 1.0,
        "loop_start": 4410, "loop_end": 22050, "root_note": 36,
        "peak_dbfs": pytest.approx(-6.02, abs=0.05), "notes": [],
    }
    text = format_info(info)
    assert text.splitlines()[0] == str(path)
    assert "WAV PCM_16" in text and "44100 Hz" in text and "4410-22050" in text
    assert "36 (C2)" in text and "-6.0 dBFS" in text


def test_describe_notes_a_file_over_the_limits_it_is_given(tmp_path):
    path = write(tmp_path / "long.wav", sine(440, RATE), subtype="PCM_16")     # 0.25 s
    assert describe(path)["notes"] == []                        # the default limits: 600 s
    notes = describe(path, limits=SampleLimits(max_seconds=0.1))["notes"]
    assert notes == ["is 0.2 s long, over the 0.1 s limit: the box refuses it unless "
                     "samples.max_seconds is raised"]
    notes = describe(path, limits=SampleLimits(max_bytes=2**16))["notes"]
    assert len(notes) == 1 and "over the 0.0625 MB limit" in notes[0]


def test_describe_rejects_what_load_rejects(tmp_path):
    with pytest.raises(UserError, match="NaN or infinite"):
        describe(nan_at(5, "FLOAT")(tmp_path))


def test_format_info_for_silence_and_no_loop(tmp_path):
    text = format_info(describe(write(tmp_path / "quiet.wav", np.zeros(100), subtype="PCM_16")))
    assert "loop       none" in text and "root note  none" in text and "silent" in text
