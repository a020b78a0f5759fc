"""The box as systemd runs it: `reverie run` in a subprocess with NOTIFY_SOCKET (a unix datagram
socket the test binds, as systemd does for Type=notify) and WATCHDOG_USEC set, playing on a
JACK dummy server of its own (`[audio] device = "jack"`).

  READY arrives once the first audio callback has run (X_AUDIO_CALLBACKS >= 1);
  WATCHDOG=1 arrives every half watchdog interval while the audio clock moves;
  none arrives while the audio callback is stalled (jackd stopped with SIGSTOP for longer
  than the watchdog interval), and the pings come back after SIGCONT;
  SIGTERM: STOPPING arrives and the process exits 0 within 2 s.
"""
from __future__ import annotations

import os
import signal
import socket
import subprocess
import sys
import threading
import time
from pathlib import Path

import pytest

from reverie.hal.audio.jackd import JackServer

ROOT = Path(__file__).resolve().parents[2]
WATCHDOG_USEC = 1_000_000               # systemd's WatchdogSec=1: a ping every 0.5 s
PING_S = WATCHDOG_USEC / 2e6
STALL_S = 2.5                           # longer than the watchdog interval, twice over
STOP_WITHIN_S = 2.0

pytestmark = [pytest.mark.jack, pytest.mark.timing, pytest.mark.timeout(90)]


class NotifySocket:
    """What systemd would receive: every datagram, stamped with time.monotonic() on arrival."""

    def __init__(self, path: Path):
        self.sock = socket.socket(socket.AF_UNIX, socket.SOCK_DGRAM)
        self.sock.bind(str(path))
        self.sock.settimeout(0.05)
        self.address = str(path)
        self.messages: list[tuple[float, str]] = []
        self._lock = threading.Condition()
        self._closed = False
        self._thread = threading.Thread(target=self._read, daemon=True)
        self._thread.start()

    def _read(self):
        while not self._closed:
            try:
                data = self.sock.recv(4096)
            except TimeoutError:
                continue
            except OSError:
                return
            with self._lock:
                self.messages.append((time.monotonic(), data.decode()))
                self._lock.notify_all()

    def wait_for(self, word: str, timeout_s: float) -> tuple[float, str]:
        """The first message holding `word` (from any time), waiting up to `timeout_s`."""
        deadline = time.monotonic() + timeout_s
        with self._lock:
            while True:
                for t, m in self.messages:
                    if word in m.splitlines():
                        return t, m
                left = deadline - time.monotonic()
                if left <= 0:
                    raise AssertionError(f"no {word} within {timeout_s} s: {self.messages}")
                self._lock.wait(left)

    def times(self, word: str, start: float = float("-inf"), end: float = float("inf")) -> list[float]:
        with self._lock:
            return [t for t, m in self.messages if word in m.splitlines() and start < t < end]

    def close(self):
        self._closed = True
        self._thread.join()
        self.sock.close()


@pytest.fixture
def service(tmp_path):
    """(the reverie process, its notify socket, the JACK server it plays on)"""
    box = tmp_path / "box.toml"
    box.write_text('name = "service"\ngpio = "none"\npads = "midi"\n')
    config = tmp_path / "config.toml"
    config.write_text(f'[hardware]\nbox = "{box}"\n\n'
                      '[audio]\ndevice = "jack"\nperiod_frames = 256\nfallback_wav = ""\n\n'
                      '[midi]\napi = "jack"\nclock_out = false\n\n[controllers]\nenabled = false\n')
    notify = NotifySocket(tmp_path / "notify")
    with JackServer(sample_rate_hz=48000, period_frames=256) as server:
        env = {**os.environ, "NOTIFY_SOCKET": notify.address, "WATCHDOG_USEC": str(WATCHDOG_USEC),
               "JACK_DEFAULT_SERVER": server.name, "PYTHONPATH": str(ROOT / "firmware")}
        proc = subprocess.Popen([sys.executable, "-m", "reverie", "run", "--config", str(config),
                                 "--data-dir", str(tmp_path / "data")],
                                env=env, cwd=tmp_path, stdin=subprocess.DEVNULL,
                                stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
        try:
            yield proc, notify, server
        finally:
            os.kill(server._proc.pid, signal.SIGCONT)        # never leave jackd stopped
            if proc.poll() is None:
                proc.kill()
                proc.communicate()
            notify.close()


def test_ready_watchdog_no_watchdog_while_audio_stalls_stopping_and_exit(service):
    proc, notify, server = service
    ready_at, ready = notify.wait_for("READY=1", 30)
    fields = dict(line.split("=", 1) for line in ready.splitlines())
    assert int(fields["X_AUDIO_CALLBACKS"]) >= 1, ready     # READY after the first callback
    assert fields["STATUS"].endswith("xruns")

    # running: a ping every half interval
    notify.wait_for("WATCHDOG=1", 5)
    time.sleep(4 * PING_S)
    running = notify.times("WATCHDOG=1", ready_at)
    assert len(running) >= 3, running

    # the audio callback stalls: jackd stopped for longer than the watchdog interval
    os.kill(server._proc.pid, signal.SIGSTOP)
    stopped = time.monotonic()
    time.sleep(STALL_S)
    os.kill(server._proc.pid, signal.SIGCONT)
    resumed = time.monotonic()
    # One ping may still go out in the first half interval: the clock had moved since the
    # ping before. After that, none until the audio runs again.
    during = notify.times("WATCHDOG=1", stopped, resumed)
    assert len(during) <= 1 and all(t < stopped + PING_S + 0.1 for t in during), (during, stopped)
    assert resumed - stopped > WATCHDOG_USEC / 1e6       # systemd would have restarted the box
    # the audio runs again: so do the pings
    deadline = time.monotonic() + 3.0
    while not notify.times("WATCHDOG=1", resumed) and time.monotonic() < deadline:
        time.sleep(0.05)
    assert notify.times("WATCHDOG=1", resumed), "no ping once the audio ran again"

    # SIGTERM: STOPPING, exit 0 within 2 s
    # (the final save lands with BoxApp.stop(): then assert here that the project is saved)
    term = time.monotonic()
    proc.send_signal(signal.SIGTERM)
    out, err = proc.communicate(timeout=10)
    exited = time.monotonic()
    stopping_at, _ = notify.wait_for("STOPPING=1", 1)
    assert proc.returncode == 0, err
    assert term < stopping_at < exited and exited - term < STOP_WITHIN_S, exited - term
    assert "Traceback" not in err
