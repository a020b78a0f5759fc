"""The whole box (`reverie run` in a subprocess) on a JACK server of its own that is stopped
and started again under it: the box keeps running (its engine's frames advance through the
gap), a recorder client hears it again after the restart, the log records the gap, and the
same process ends normally on SIGTERM."""
import re
import signal
import subprocess
import sys
import threading
import time
from pathlib import Path

import pytest

from reverie.hal.audio.jackd import JackServer
from audio_helpers import hear, rms

ROOT = Path(__file__).resolve().parents[2]
RATE = 48000
BOX = """name = "headless"
description = "no controls, no display: the box as a service sees it in a test"
gpio = "mock"
pads = "midi"

[keys]
PLAY = 24

[display]
driver = "none"
"""


class Box:
    """`reverie run` in a subprocess; its log lines as they come, with when they came."""

    def __init__(self, tmp_path: Path, server: JackServer):
        (tmp_path / "box.toml").write_text(BOX)
        config = tmp_path / "config.toml"
        config.write_text(f'[hardware]\nbox = "{tmp_path / "box.toml"}"\n[controllers]\nenabled = false\n'
                          f'[audio]\ndevice = "jack"\njack_server = "{server.name}"\n'
                          f'jack_client = "{server.client_name("box")}"\nperiod_frames = 256\n')
        self.proc = subprocess.Popen(
            [sys.executable, "-m", "reverie", "run", "--config", str(config),
             "--data-dir", str(tmp_path / "data"), "--play"],
            cwd=tmp_path, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True,
            env={"PATH": "/usr/bin:/bin", "HOME": str(tmp_path), "PYTHONPATH": str(ROOT / "firmware")})
        self.lines: list[tuple[float, str]] = []
        self._reader = threading.Thread(target=self._read, daemon=True)
        self._reader.start()

    def _read(self):
        for line in self.proc.stderr:
            self.lines.append((time.monotonic(), line.rstrip()))

    def wait_for(self, text: str, timeout_s: float) -> tuple[float, str]:
        deadline = time.monotonic() + timeout_s
        while time.monotonic() < deadline:
            for t, line in list(self.lines):
                if text in line:
                    return t, line
            if self.proc.poll() is not None and not self._reader.is_alive():
                break
            time.sleep(0.01)
        raise AssertionError(f"no '{text}' in the box's log: {[l for _, l in self.lines]}")

    def kill(self):
        if self.proc.poll() is None:
            self.proc.kill()
            self.proc.wait()


@pytest.mark.jack
@pytest.mark.timeout(120, method="thread")
def test_a_jack_server_stopped_and_started_under_the_running_box(tmp_path):
    with JackServer(RATE, 256) as server:
        box = Box(tmp_path, server)
        try:
            box.wait_for("audio through JACK client", 30)
            ports = [f"{server.client_name('box')}:out_{k}" for k in (1, 2)]
            box.wait_for("Demo groove", 10)
            time.sleep(0.5)                               # the demo starts 0.2 s after loading
            assert rms(hear(server, ports)) > 0.05
            server.stop()
            lost_at, lost = box.wait_for("audio device lost", 5)
            assert "the JACK server stopped" in lost and "playing on silently" in lost
            time.sleep(1.0)
            server.start()
            ready = time.monotonic()
            back_at, back = box.wait_for("audio back through JACK client", 10)
            assert back_at - ready < 3.0
            heard = hear(server, ports)
            assert rms(heard) > 0.05, (len(heard), [l for _, l in box.lines])
            # the same process, still running; it stops on SIGTERM like under systemd
            assert box.proc.poll() is None
            box.proc.send_signal(signal.SIGTERM)
            box.proc.wait(timeout=10)
            box._reader.join(5)
            out = box.proc.stdout.read()
        finally:
            box.kill()
    assert box.proc.returncode == 0
    # the gap in the log: its length and the frames the engine went on meanwhile
    gap_s, frames = re.search(r"after ([\d.]+) s: the engine went on (\d+) frames", back).groups()
    assert float(gap_s) == pytest.approx(back_at - lost_at, abs=0.5)
    assert int(frames) == pytest.approx(float(gap_s) * RATE, rel=0.2)
    _, summary = box.wait_for("audio: 1 lost", 1)
    fallback = int(re.search(r"(\d+) frames on the fallback clock", summary).group(1))
    assert fallback >= int(frames)
    assert out.startswith("played ") and "0 faults" in out


@pytest.mark.jack
@pytest.mark.timeout(60, method="thread")
def test_the_recovery_bench_runs_one_cycle():
    """`reverie bench audio-recovery` (figures in docs/audio.md), one cycle: it counts the loss
    and the frames the fallback clock rendered while the server was away (0.5 s at least)."""
    from reverie.app.bench.audio_recovery import run_audio_recovery_bench

    figures = run_audio_recovery_bench(cycles=1)
    assert figures["losses_counted"] == 1
    assert figures["fallback_frames"] >= 0.5 * RATE
    assert figures["detect_max_ms"] > 0 and figures["back_after_launch_max_ms"] > 0
