"""`reverie import`: what was imported and every line not understood on stdout, exit 0;
one line on stderr and exit 1 when nothing could be, including a data directory that is
full (a small tmpfs in a mount namespace of the test's own), which keeps no half import."""
import json
import os
import shutil
import subprocess
import sys
from pathlib import Path

import numpy as np
import pytest
import soundfile as sf

from reverie.app.cli import main
from reverie.sound.multisample import load_zone_map


def tone(path, frames=4800):
    path.parent.mkdir(parents=True, exist_ok=True)
    sf.write(path, 0.3 * np.sin(np.arange(frames) / 48000 * 2 * np.pi * 220), 48000, subtype="PCM_16")


@pytest.fixture
def sfz_set(tmp_path):
    src = tmp_path / "Strings"
    tone(src / "samples" / "c3.wav")
    tone(src / "samples" / "c4.wav")
    (src / "strings.sfz").write_text("<global> ampeg_attack=0.2 fil_type=lpf_2p\n"
                                     "<region> sample=samples/c3.wav lokey=0 hikey=54 pitch_keycenter=c3\n"
                                     "<region> sample=samples/c4.wav lokey=55 hikey=127 pitch_keycenter=c4\n"
                                     "<region> sample=samples/c5.wav key=c5\n")
    return src


def test_an_import_prints_what_it_did_and_every_line_not_understood(sfz_set, tmp_path, capsys):
    data = tmp_path / "data"
    assert main(["import", str(sfz_set / "strings.sfz"), "--data-dir", str(data), "--name", "Warm strings"]) == 0
    out, err = capsys.readouterr()
    folder = data / "instruments" / "multisamples" / "Warm-strings"
    assert err == ""
    assert out.splitlines() == [
        f"imported Warm strings into {folder}: 2 zones, 2 samples, keys 0-127, 0.1 MB in memory",
        "not understood (1):",
        "  strings.sfz line 1: opcode fil_type is not understood; ignored",
        "not imported (1):",
        '  strings.sfz line 4: sample "samples/c5.wav" not found; region skipped',
    ]
    m = load_zone_map(folder)
    assert [(z.key_lo, z.key_hi, z.root, z.attack_ms) for z in m.zones] == [(0, 54, 48, 200.0), (55, 127, 60, 200.0)]


def test_json_output(sfz_set, tmp_path, capsys):
    assert main(["import", str(sfz_set), "--data-dir", str(tmp_path / "data"), "--json"]) == 0
    got = json.loads(capsys.readouterr().out)
    assert got["zones"] == 2 and got["kind"] == "sfz" and got["definition"] == "strings.sfz"
    assert got["not_understood"] == ["strings.sfz line 1: opcode fil_type is not understood; ignored"]
    assert got["folder"] == str(tmp_path / "data" / "instruments" / "multisamples" / "strings")


def test_nothing_to_import_is_one_line_and_exit_1(tmp_path, capsys):
    (tmp_path / "empty").mkdir()
    assert main(["import", str(tmp_path / "empty"), "--data-dir", str(tmp_path / "data")]) == 1
    out, err = capsys.readouterr()
    assert out == "" and err == (f"reverie import: {tmp_path / 'empty'}: no .sfz file, definition.txt or samples "
                                 "named by note (60.wav, 60v100.wav) in it\n")
    assert not (tmp_path / "data" / "instruments").exists()


@pytest.mark.timeout(60)
def test_a_full_data_directory_is_one_line_and_leaves_no_half_import(tmp_path):
    if shutil.which("unshare") is None:
        pytest.skip("unshare (util-linux) is missing")
    src = tmp_path / "Big"
    for note in (48, 60, 72):
        tone(src / f"{note}.wav", 48000 * 2)             # 192 kB each: more than the 256 kB disk holds
    data = tmp_path / "data"
    data.mkdir()
    ns = ["unshare", "-m"] if os.geteuid() == 0 else ["unshare", "-rm"]
    script = (f'mount -t tmpfs -o size=256k none "{data}" && "{sys.executable}" -m reverie import "{src}" '
              f'--data-dir "{data}"; echo "exit $?"; find "{data}" -mindepth 1 | sort')
    done = subprocess.run(ns + ["sh", "-c", script], capture_output=True, text=True, timeout=50,
                          env=dict(os.environ, PYTHONPATH=str(Path(__file__).resolve().parents[2] / "firmware")))
    if "mount" in done.stderr and "exit" not in done.stdout:
        pytest.skip(f"no mount namespace here: {done.stderr.strip()}")
    lib = data / "instruments" / "multisamples"
    assert done.stderr.splitlines() == [f"reverie import: cannot write the import into {lib} (No space left on "
                                        "device); nothing was imported"]
    assert done.stdout.splitlines() == ["exit 1", str(data / "instruments"), str(lib)]
