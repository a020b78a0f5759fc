"""Real time on the box: PortAudio's ALSA callback thread at SCHED_FIFO, memory locked when
the limit allows and one line when it does not. Each case runs in a process of its own:
PortAudio reads the ALSA configuration once, and mlockall is for a whole process.

The ALSA device is a `null` PCM from an .asoundrc (no sound card here): it has no clock, so
its callback thread runs flat out, which is why each stream runs only a moment."""
import os
import shutil
import subprocess
import sys
import tempfile
from pathlib import Path

import pytest

FIRMWARE = Path(__file__).resolve().parents[2] / "firmware"
ASOUNDRC = """pcm.reverienull {
    type null
    hint { show on description "null sink for the tests" }
}
"""
ROOT_ONLY = pytest.mark.skipif(os.geteuid() != 0, reason="needs root (to set limits and drop to nobody)")


def run_python(code: str, home: Path, prefix=(), timeout=60) -> subprocess.CompletedProcess:
    env = {"PATH": "/usr/bin:/bin", "HOME": str(home), "PYTHONPATH": str(FIRMWARE)}
    return subprocess.run([*prefix, sys.executable, "-c", code], env=env, capture_output=True,
                          text=True, timeout=timeout)


STREAM = """
import logging, time
from reverie.sound.buses import make_engine
from reverie.hal.audio.output import AudioSettings, open_output
output = open_output(make_engine(48000), AudioSettings(device="reverienull", realtime={realtime}))
output.start()
time.sleep(0.02)
note = output.realtime_note()
callbacks = output.engine.stats()["callbacks"]
output.close()
print(output.device.host_api, output.realtime, callbacks > 0)
print(note)
"""


@pytest.fixture
def alsa_home(tmp_path):
    (tmp_path / ".asoundrc").write_text(ASOUNDRC)
    return tmp_path


@ROOT_ONLY
def test_the_alsa_callback_thread_runs_at_real_time_priority(alsa_home):
    run = run_python(STREAM.format(realtime=True), alsa_home)
    assert run.returncode == 0, run.stderr
    assert run.stdout.splitlines() == ["ALSA True True", "the callback thread runs at SCHED_FIFO 70"]


def test_asked_not_to_it_runs_at_normal_priority(alsa_home):
    run = run_python(STREAM.format(realtime=False), alsa_home)
    assert run.returncode == 0, run.stderr
    assert run.stdout.splitlines() == ["ALSA False True", "the callback thread runs at normal priority"]


@ROOT_ONLY
def test_without_an_rtprio_limit_the_refusal_is_said(alsa_home):
    """As an unprivileged user with RLIMIT_RTPRIO 0 (no rtprio in limits.conf, no LimitRTPRIO)."""
    with tempfile.TemporaryDirectory(prefix="reverie-nobody-") as home:   # pytest's is root's own
        os.chmod(home, 0o755)
        shutil.copy(alsa_home / ".asoundrc", home)
        os.chmod(Path(home) / ".asoundrc", 0o644)
        prefix = ("prlimit", "--rtprio=0", "setpriv", "--reuid=nobody", "--regid=nogroup", "--clear-groups")
        run = run_python(STREAM.format(realtime=True), Path(home), prefix)
    assert run.returncode == 0, run.stderr
    assert run.stdout.splitlines()[1] == (
        "the callback thread runs at normal priority (real-time scheduling refused: the service "
        "sets LimitRTPRIO=95; elsewhere add the user to the audio group with an rtprio limit)")


LOCK = """
import logging
logging.basicConfig(level=logging.INFO, format="%(message)s")
from reverie.hal.realtime import lock_memory
import numpy as np
locked = lock_memory()
touched = np.ones(8 << 20, dtype=np.uint8)      # touched after: locked as it is faulted in
status = dict(line.split(":", 1) for line in open("/proc/self/status"))
print(locked, int(status["VmLck"].split()[0]))
"""


@ROOT_ONLY
def test_memory_is_locked_when_the_limit_allows(tmp_path):
    run = run_python(LOCK, tmp_path)          # root may lock any amount (CAP_IPC_LOCK)
    assert run.returncode == 0, run.stderr
    locked, vmlck_kib = run.stdout.split()
    assert locked == "True" and int(vmlck_kib) > 8 << 10
    assert run.stderr.startswith("memory locked (mlockall): ") and run.stderr.count("\n") == 1


@ROOT_ONLY
def test_a_finite_limit_locks_nothing_and_says_so_in_one_line():
    prefix = ("prlimit", "--memlock=65536", "setpriv", "--reuid=nobody", "--regid=nogroup", "--clear-groups")
    run = run_python(LOCK, Path("/nonexistent"), prefix)
    assert run.returncode == 0, run.stderr
    assert run.stdout.split() == ["False", "0"]
    assert run.stderr == ("memory not locked: RLIMIT_MEMLOCK is 64 KiB (the service sets "
                          "LimitMEMLOCK=infinity; elsewhere: ulimit -l unlimited)\n")
