"""The whole session recorded to FLAC on a disk that fills: the box runs with its audio log
on a small tmpfs in a mount namespace of the test's own (`unshare -rm`, a user namespace
too, so any user can run it), no audio device (the fallback
clock renders), the demo playing. The free-disk guard stops the recording with a notice;
the engine renders to the end, and the file kept is whole."""
import json
import os
import re
import shutil
import subprocess
import sys
import tempfile
from pathlib import Path

import pytest

pytestmark = pytest.mark.timeout(120)

SECONDS = 12

SCRIPT = r"""
set -eu
mount -t tmpfs -o size=2m none "$DATA/captures"
"$PY" -m reverie run --config "$CONFIG" --data-dir "$DATA" --seconds "$SECONDS" --play </dev/null >"$TOP/out.txt"
"$PY" -c '
import json, pathlib, shutil, sys, soundfile
root = pathlib.Path(sys.argv[1])
files = sorted(str(p.relative_to(root)) for p in root.rglob("*") if p.is_file())
kept = [p for p in root.rglob("session-*.flac")]
info = soundfile.info(str(kept[0])) if kept else None
data = soundfile.read(str(kept[0]))[0] if kept else []
print(json.dumps({"files": files, "seconds": info.frames / info.samplerate if info else 0,
                  "decoded": len(data), "free": shutil.disk_usage(root).free}))' "$DATA/captures"
"""

CONFIG = """\
[audio]
device = "no-such-device"
[hardware]
window = false
[controllers]
enabled = false
[capture]
record_session = true
min_free_mb = 1
"""


def test_the_session_recording_stops_at_the_disk_guard_and_the_engine_renders_on():
    assert shutil.which("unshare"), "unshare is missing (Debian: util-linux)"
    top = Path(tempfile.mkdtemp(prefix="reverie-capture-"))
    try:
        (top / "data" / "captures").mkdir(parents=True)
        (top / "config.toml").write_text(CONFIG)
        env = dict(os.environ, DATA=str(top / "data"), CONFIG=str(top / "config.toml"), PY=sys.executable,
                   SECONDS=str(SECONDS), HOME=str(top), TOP=str(top))
        cmd = ["unshare", "-rm", "sh", "-c", SCRIPT]
        proc = subprocess.run(cmd, env=env, capture_output=True, text=True, timeout=90)
        err, out = proc.stderr, (top / "out.txt").read_text(errors="replace")
        assert proc.returncode == 0, err
        # the engine rendered every second asked for, on the fallback clock
        played = re.search(r"played ([\d.]+) s through the fallback clock", out)
        assert played and float(played[1]) >= SECONDS - 0.05, out[-500:] + err
        # the guard stopped the recording, said why, and the music went on
        stopped = re.search(r"session recording stopped: ([\d.]+) MB left on the disk "
                            r"\(capture.min_free_mb = 1\); the music plays on", err)
        # before a drain would take the disk below the guard (at most 6 bytes a frame, 2 s a drain)
        assert stopped and 1.0 <= float(stopped[1]) < 1.0 + 0.6, err
        result = json.loads(proc.stdout.strip().splitlines()[-1])
        # one whole FLAC, shorter than the run, readable to its end; no .part left behind
        assert len(result["files"]) == 1 and result["files"][0].endswith(".flac"), result
        assert 1.0 < result["seconds"] < SECONDS - 2, result
        assert result["decoded"] == round(result["seconds"] * 48000)
        assert result["free"] >= 2**20
    finally:
        shutil.rmtree(top, ignore_errors=True)
