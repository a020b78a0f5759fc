"""The box with nothing writable but its data directory, and that directory full (a small
tmpfs) or read-only (a read-only bind), each inside a mount namespace of the test's own
(`unshare -m` as root; `unshare -rm`, a user namespace too, as any user: mounts are then
locked as an unprivileged user's are, and root runs that case as well): audio plays (a JACK dummy server in the
namespace, its output recorded by jack_rec), every save fails with a notice, and nothing
saved before changes. The namespace has its own /dev/shm, so its JACK server and clients
meet no one else's."""
import json
import os
import re
import pty
import shutil
import subprocess
import sys
import tempfile
import time
from pathlib import Path

import pytest

from reverie.app.bench.autosave_kill import READY_TEXT
from reverie.control.session import Session, write_session
from reverie.project.demo import demo_project_path
from reverie.project.store import load_project, save_project
from reverie.sound.kit import build_factory_kit

pytestmark = pytest.mark.timeout(180)

SECONDS = 6

SCRIPT = r"""
set -eu
mount -t tmpfs -o size=512m none /dev/shm          # JACK's sockets: this namespace's own
export JACK_DEFAULT_SERVER=reverie-ns
jackd -n reverie-ns -r -d dummy -r 48000 -p 512 >/dev/null 2>&1 &
JACKD=$!
jack_wait -s reverie-ns -w -t 10 >/dev/null
if [ "$MODE" = full ]; then
    mount -t tmpfs -o size=8m none "$DATA"
    cp -r "$SEED/." "$DATA/"
    dd if=/dev/zero of="$DATA/.filler" bs=4096 2>/dev/null || true     # until the disk is full
else
    mount --bind "$SEED" "$DATA"
    mount -o remount,bind,ro "$DATA"
fi
mount -o remount,bind,ro /                         # nothing else writable
hashes() { (cd "$DATA" && find . -type f ! -name .filler | sort | xargs sha256sum); }
hashes > /dev/shm/before
(   n=0
    until jack_lsp 2>/dev/null | grep -q '^PortAudio:out_0$'; do
        n=$((n + 1)); [ $n -lt 400 ] || exit 1; sleep 0.05
    done
    jack_rec -f /dev/shm/rec.wav -d 3 -b 16 PortAudio:out_0 PortAudio:out_1 >/dev/null 2>&1
) &
RECORDER=$!
"$PY" -m reverie run --config "$CONFIG" --data-dir "$DATA" --seconds "$SECONDS" --play
wait $RECORDER || echo "no recording"
hashes > /dev/shm/after
cmp -s /dev/shm/before /dev/shm/after && echo "data unchanged" || echo "data changed"
"$PY" -c '
import json, numpy, soundfile
audio, rate = soundfile.read("/dev/shm/rec.wav")
print(json.dumps({"recorded_frames": len(audio), "peak": float(numpy.abs(audio).max())}))'
kill $JACKD
wait $JACKD || true
"""

CONFIG = """\
[audio]
device = "system"
fallback_wav = ""
[project]
autosave_s = 1
[hardware]
window = false
[controllers]
enabled = false
"""


def seed(folder: Path) -> dict[str, bytes]:
    """A data directory with a saved project, the session on it, settings and the factory kit."""
    data = folder / "data"
    project = load_project(demo_project_path())
    save_project(project, data / "projects" / "Song")
    save_project(project, data / "projects" / "Song")                # a save kept in .history too
    write_session(data / "session.json", Session("projects/Song", "A01", "SOUND"))
    (data / "settings.json").write_text(json.dumps({"pads.root": 3}))
    build_factory_kit(data / "cache" / "factory")
    return {str(p.relative_to(data)): p.read_bytes() for p in data.rglob("*") if p.is_file()}


def namespace(user_ns: bool) -> list[str]:
    return ["unshare", "-rm"] if user_ns or os.geteuid() != 0 else ["unshare", "-m"]


@pytest.mark.parametrize("user_ns", [False, True], ids=["mount-ns", "user-and-mount-ns"])
@pytest.mark.parametrize("mode", ["full", "read-only"])
def test_a_full_or_read_only_data_directory_fails_saves_with_a_notice_and_audio_plays(mode, user_ns):
    if not user_ns and os.geteuid() != 0:
        pytest.skip("a mount namespace alone needs root; the user-and-mount-ns case runs")
    for tool in ("unshare", "jackd", "jack_rec", "jack_lsp"):
        assert shutil.which(tool), f"{tool} is missing (Debian: util-linux, jackd2)"
    top = Path(tempfile.mkdtemp(prefix="reverie-ns-"))
    try:
        before = seed(top)
        data = top / ("mnt" if mode == "full" else "data")
        data.mkdir(exist_ok=True)
        (top / "config.toml").write_text(CONFIG)
        env = dict(os.environ, MODE="full" if mode == "full" else "ro", SEED=str(top / "data"),
                   DATA=str(data), CONFIG=str(top / "config.toml"), PY=sys.executable,
                   SECONDS=str(SECONDS), HOME=str(top))
        master, slave = pty.openpty()
        log = open(top / "stderr.txt", "w+")
        proc = subprocess.Popen(namespace(user_ns) + ["sh", "-c", SCRIPT], stdin=slave,
                                stdout=subprocess.PIPE, stderr=log, env=env, text=True)
        os.close(slave)
        try:
            deadline = time.monotonic() + 60
            while READY_TEXT not in (top / "stderr.txt").read_text(errors="replace"):
                assert proc.poll() is None and time.monotonic() < deadline, (top / "stderr.txt").read_text()
                time.sleep(0.05)
            for key in "6yyyuuuiii":                # the sound page, then edits: saves are due
                os.write(master, key.encode())
                time.sleep(0.05)
            out, _ = proc.communicate(timeout=60)
        finally:
            os.close(master)
            log.close()
        err = (top / "stderr.txt").read_text(errors="replace")
        out = out[out.rfind("played "):]          # after the simulator's screen
        assert proc.returncode == 0, out + err
        # the engine's clock ran the whole time on the JACK server, and what it played was sound
        played = re.match(r"played ([\d.]+) s through audio device 'JACK[^']*', 48000 Hz", out)
        assert played and float(played[1]) >= SECONDS - 0.05, out + err
        recording = json.loads(out.strip().splitlines()[-1])
        assert recording["recorded_frames"] == 3 * 48000 and recording["peak"] > 0.05, out
        assert "data unchanged" in out, out + err
        reason = "No space left on device" if mode == "full" else "Read-only file system"
        assert f"autosave: cannot save {data}/projects/Song/project.json ({reason}); " \
               "the last saved version is untouched" in err, err
        # the box carried on (the saves failed again a second later) and said so on the screen
        assert err.count("autosave: cannot save") >= 2, err
        # and it tried to write nowhere but in its data directory
        refused = [line for line in err.splitlines() if "Read-only file system" in line or "No space" in line]
        assert refused and all(str(data) in line for line in refused), refused
        if mode == "read-only":                    # the data directory itself, after the box
            after = {str(p.relative_to(top / "data")): p.read_bytes()
                     for p in (top / "data").rglob("*") if p.is_file()}
            assert after == before
    finally:
        shutil.rmtree(top, ignore_errors=True)
