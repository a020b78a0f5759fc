"""`reverie sample-info`: text and JSON output, one stderr line per bad file, exit codes."""
import json
import os
import subprocess
import sys
from pathlib import Path

import numpy as np
import pytest
import soundfile as sf

from reverie.app.cli import main

REPO = Path(__file__).resolve().parents[2]


@pytest.fixture
def files(tmp_path):
    good = tmp_path / "kick.wav"
    sf.write(good, np.sin(np.arange(4410) / 44100 * 2 * np.pi * 100) * 0.5, 44100, subtype="PCM_24")
    other = tmp_path / "hat.flac"
    sf.write(other, np.zeros((480, 2)) + 0.25, 48000, subtype="PCM_16")
    bad = tmp_path / "broken.wav"
    bad.write_bytes(b"this is not audio" * 10)
    return good, other, bad, tmp_path / "missing.wav"


def test_one_good_file_prints_its_facts(files, capsys):
    good = files[0]
    assert main(["sample-info", str(good)]) == 0
    out, err = capsys.readouterr()
    assert err == ""
    lines = out.splitlines()
    assert lines[0] == str(good)
    assert "  format     WAV PCM_24" in lines and "  rate       44100 Hz" in lines
    assert "  length     0.100 s (4410 frames)" in lines


def test_bad_files_get_one_line_each_and_the_rest_still_print(files, capsys):
    good, other, bad, missing = files
    assert main(["sample-info", str(bad), str(good), str(missing), str(other)]) == 1
    out, err = capsys.readouterr()
    assert err.splitlines() == [
        f"reverie sample-info: {bad}: not a readable audio file (unknown format) — "
        "export it as WAV, AIFF, FLAC or OGG",
        f"reverie sample-info: {missing}: no such file — check the path",
    ]
    assert str(good) in out.splitlines() and str(other) in out.splitlines()
    assert "FLAC PCM_16" in out


def test_json_is_a_list_of_descriptions(files, capsys):
    good, other, bad, _ = files
    assert main(["sample-info", "--json", str(good), str(bad), str(other)]) == 1
    out, err = capsys.readouterr()
    infos = json.loads(out)
    assert [info["path"] for info in infos] == [str(good), str(other)]
    assert infos[0]["source_rate"] == 44100 and infos[0]["frames"] == 4410
    assert infos[1]["channels"] == 2 and infos[1]["peak_dbfs"] == pytest.approx(-12.04, abs=0.01)
    assert len(err.splitlines()) == 1


def test_all_good_json_exits_zero(files, capsys):
    assert main(["sample-info", str(files[0]), "--json"]) == 0
    assert len(json.loads(capsys.readouterr().out)) == 1


def test_help_explains_the_command(capsys):
    with pytest.raises(SystemExit) as done:
        main(["sample-info", "--help"])
    assert done.value.code == 0
    out = capsys.readouterr().out
    assert "FILE" in out and "--json" in out and "smpl" in out and "exit code is 1" in out


def test_no_traceback_through_the_real_command(files):
    good, _, bad, missing = files
    env = {**os.environ, "PYTHONPATH": str(REPO / "firmware")}
    done = subprocess.run([sys.executable, "-m", "reverie", "sample-info", str(bad), str(missing),
                           str(good)], capture_output=True, text=True, env=env, timeout=60)
    assert done.returncode == 1
    assert "Traceback" not in done.stderr
    assert len(done.stderr.splitlines()) == 2
    assert done.stdout.splitlines()[0] == str(good)
