"""Recordings without a device: capped, whole or absent, never a reason to stop."""
import os
import subprocess
import sys

import numpy as np
import pytest
import soundfile

from reverie.base.errors import UserError
from reverie.hal.audio.recording import BYTES_PER_FRAME, HEADER_BYTES, RecordBudget, Recording

RATE = 48000
BLOCK = np.full((128, 2), 0.5, dtype=np.float32)


def test_a_recording_stops_at_its_cap_and_the_file_stays_under_it(tmp_path):
    cap = 100_000
    recording = Recording(tmp_path, RATE, RecordBudget(cap), name="r.wav")
    writes = 0
    while recording.recording:
        recording.write(BLOCK)
        writes += 1
        assert writes < 1000
    assert recording.stopped == "recording stopped at its cap of 0.0953674 MB"
    recording.write(BLOCK)                  # later blocks are let go quietly
    recording.close()
    size = (tmp_path / "r.wav").stat().st_size
    assert cap - HEADER_BYTES - len(BLOCK) * BYTES_PER_FRAME < size <= cap
    assert soundfile.info(tmp_path / "r.wav").frames == recording.frames == (writes - 1) * len(BLOCK)
    assert not (tmp_path / "r.wav.part").exists()


def test_the_recordings_of_one_run_share_the_cap(tmp_path):
    budget = RecordBudget(40_000)
    first = Recording(tmp_path, RATE, budget, name="1.wav")
    for _ in range(20):
        first.write(BLOCK)
    first.close()
    second = Recording(tmp_path, RATE, budget, name="2.wav")
    while second.recording:
        second.write(BLOCK)
    second.close()
    total = sum(p.stat().st_size for p in tmp_path.iterdir())
    assert total <= 40_000
    assert first.frames == 20 * 128 and second.frames > 0
    with pytest.raises(UserError, match="budget .* is spent: raise audio.record_max_mb"):
        while True:
            Recording(tmp_path, RATE, budget, name="3.wav").close()


def test_until_it_is_closed_the_file_is_a_part_file(tmp_path):
    recording = Recording(tmp_path, RATE, RecordBudget(2**20), name="r.wav")
    recording.write(BLOCK)
    assert [p.name for p in tmp_path.iterdir()] == ["r.wav.part"]
    recording.close()
    recording.close()
    assert [p.name for p in tmp_path.iterdir()] == ["r.wav"]


def test_a_folder_that_cannot_be_made_is_one_line(tmp_path):
    (tmp_path / "file").write_text("not a folder")
    with pytest.raises(UserError, match="cannot record to") as caught:
        Recording(tmp_path / "file" / "recordings", RATE, RecordBudget(2**20))
    assert "\n" not in str(caught.value)


def test_a_full_disk_stops_the_recording_with_its_reason_and_keeps_what_was_written(tmp_path):
    """A 64 KiB tmpfs fills up: the recording stops with the reason, the file is whole."""
    script = f"""
import sys
sys.path.insert(0, {str(os.path.dirname(os.path.dirname(os.path.dirname(__file__))) + '/firmware')!r})
import numpy as np
from reverie.hal.audio.recording import RecordBudget, Recording
r = Recording({str(tmp_path)!r}, 48000, RecordBudget(2**30), name="r.wav")
block = np.full((128, 2), 0.5, dtype=np.float32)
while r.recording:
    r.write(block)
r.close()
import soundfile
print(r.stopped)
print(r.frames)
print(soundfile.info({str(tmp_path)!r} + "/r.wav").frames)
"""
    # a user maps itself to root in a user namespace of its own, which may mount a tmpfs
    unshare = ["unshare", "-m"] if os.geteuid() == 0 else ["unshare", "-rm"]
    run = subprocess.run([*unshare, "sh", "-c",
                          f"mount -t tmpfs -o size=64k none {tmp_path} && exec {sys.executable} -c \"$0\"",
                          script], capture_output=True, text=True, timeout=60)
    assert run.returncode == 0, run.stderr
    stopped, frames, in_file = run.stdout.splitlines()
    assert stopped == "recording stopped: the disk is full"
    assert 0 < int(frames) <= int(in_file)
