"""The box as systemd runs it: `reverie run` in a subprocess with NOTIFY_SOCKET (a unix datagram
socket the test binds, as systemd does for Type=notify) and WATCHDOG_USEC set, playing on a
JACK dummy server of its own (`[audio] device = "jack"`).

  READY arrives once the first audio callback has run (X_AUDIO_CALLBACKS >= 1);
  WATCHDOG=1 arrives every half watchdog interval while the audio clock moves, also while
  the device stalls (jackd stopped with SIGSTOP): the box then plays on its fallback clock;
  SIGTERM: STOPPING arrives, the process exits 0 within 2 s and the last edit is saved.
And in the process itself: when the audio thread hangs, no WATCHDOG arrives until it runs.
"""
from __future__ import annotations

import io
import os
import pty
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

pytestmark = [pytest.mark.timing, pytest.mark.timeout(90)]


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
    """(the reverie process, its notify socket, the JACK server it plays on, the pty it reads
    keys from, its data directory): the simulator's box, typed into through a pty."""
    from reverie.app.paths import DataDir

    config = tmp_path / "config.toml"
    config.write_text('[audio]\ndevice = "jack"\nperiod_frames = 256\n\n'
                      '[project]\nautosave_s = 0\n\n[hardware]\nwindow = false\n\n'
                      '[midi]\napi = "alsa"\nclock_out = false\n\n[controllers]\nenabled = false\n')
    notify = NotifySocket(tmp_path / "notify")
    data = DataDir(tmp_path / "data")
    master, slave = pty.openpty()
    with JackServer(sample_rate_hz=48000, period_frames=256) as server:
        env = {**os.environ, "NOTIFY_SOCKET": notify.address, "WATCHDOG_USEC": str(WATCHDOG_USEC),
               "JACK_DEFAULT_SERVER": server.name, "PYTHONPATH": str(ROOT / "firmware"),
               "HOME": str(tmp_path)}
        proc = subprocess.Popen([sys.executable, "-m", "reverie", "run", "--config", str(config),
                                 "--data-dir", str(data.root)],
                                env=env, cwd=tmp_path, stdin=slave, stdout=subprocess.DEVNULL,
                                stderr=subprocess.PIPE, text=True, start_new_session=True)
        try:
            yield proc, notify, server, master, data
        finally:
            os.kill(server._proc.pid, signal.SIGCONT)        # never leave jackd stopped
            if proc.poll() is None:
                proc.kill()
                proc.communicate()
            os.close(master)
            os.close(slave)
            notify.close()


@pytest.mark.jack
def test_ready_watchdog_through_a_device_stall_stopping_and_exit_with_the_project_saved(service):
    from reverie.app.bench.autosave_kill import PAGE_KEY, opened_at_start, states_after
    from reverie.project.store import load_project

    proc, notify, server, keys, data = service
    ready_at, ready = notify.wait_for("READY=1", 30)
    fields = dict(line.split("=", 1) for line in ready.splitlines())
    assert int(fields["X_AUDIO_CALLBACKS"]) >= 1, ready     # READY after the first callback
    assert fields["STATUS"].endswith("xruns")

    # running: a ping every half interval
    notify.wait_for("WATCHDOG=1", 5)
    time.sleep(4 * PING_S)
    running = notify.times("WATCHDOG=1", ready_at)
    assert len(running) >= 3, running

    # The device stalls (jackd stopped) for longer than the watchdog interval: the box plays
    # on, silently, on its fallback clock, so the engine's clock moves and systemd is told the
    # box lives: no restart (at most one ping is missed while the loss is noticed).
    os.kill(server._proc.pid, signal.SIGSTOP)
    stopped = time.monotonic()
    time.sleep(STALL_S)
    os.kill(server._proc.pid, signal.SIGCONT)
    resumed = time.monotonic()
    during = notify.times("WATCHDOG=1", stopped, resumed)
    gaps = [b - a for a, b in zip([stopped, *during], [*during, resumed])]
    assert len(during) >= 2 and max(gaps) < WATCHDOG_USEC / 1e6, (during, stopped, resumed)

    # an edit (one encoder turn on the sound page), then SIGTERM: STOPPING, exit 0 within 2 s,
    # and the edit is in the project the box saved on its way out
    start, _ = opened_at_start(data)
    typed = PAGE_KEY + "y"
    edited = states_after(start, typed)[-1]
    assert edited != start
    os.write(keys, typed.encode())
    time.sleep(0.5)                         # read and applied by the control loop (5 ms ticks)
    term = time.monotonic()
    proc.send_signal(signal.SIGTERM)
    _, err = proc.communicate(timeout=10)
    exited = time.monotonic()
    stopping_at, _ = notify.wait_for("STOPPING=1", 1)
    assert proc.returncode == 0, err
    assert term < stopping_at < exited and exited - term < STOP_WITHIN_S, exited - term
    assert "Traceback" not in err
    folders = [p for p in data.projects.iterdir() if (p / "project.json").is_file()]
    assert len(folders) == 1 and load_project(folders[0]) == edited


def test_no_watchdog_while_the_audio_thread_hangs(tmp_path):
    """The audio thread itself hangs (Engine.stall_audio: what a faulty driver does): the
    engine's clock stands still, the watchdog goes unfed for as long, and is fed again after."""
    import dataclasses

    from reverie.app.boot import BoxApp, RunOptions
    from reverie.app.config import AudioConfig, Config, ControllersConfig, HardwareConfig
    from reverie.app.paths import DataDir

    notify = NotifySocket(tmp_path / "notify")
    config = dataclasses.replace(Config(), audio=AudioConfig(device="no such device here"),
                                 hardware=HardwareConfig(window=False),
                                 controllers=ControllersConfig(enabled=False))
    options = RunOptions(data=DataDir(tmp_path / "data"), notify_socket=notify.address,
                         watchdog_usec=WATCHDOG_USEC, stream=io.StringIO(), stdin=io.StringIO())
    app = BoxApp(config, options)
    loop = threading.Thread(target=app.loop, daemon=True)
    try:
        with pytest.MonkeyPatch.context() as mp:
            mp.setattr("reverie.hal.audio.output.list_output_devices", lambda: [])
            app.start()
        loop.start()
        ready_at, _ = notify.wait_for("READY=1", 10)
        notify.wait_for("WATCHDOG=1", 5)
        app.engine.stall_audio(STALL_S)
        hung = time.monotonic()
        frames = app.engine.stats()["frames"]
        time.sleep(STALL_S / 2)
        assert app.engine.stats()["frames"] == frames            # the clock stands still
        time.sleep(STALL_S / 2)
        back = time.monotonic()
        during = notify.times("WATCHDOG=1", hung, back)
        # one ping may leave in the first half interval: the clock moved since the one before
        assert len(during) <= 1 and all(t < hung + PING_S + 0.1 for t in during), (during, hung)
        deadline = time.monotonic() + 3.0
        while not notify.times("WATCHDOG=1", back) and time.monotonic() < deadline:
            time.sleep(0.05)
        assert notify.times("WATCHDOG=1", back), "no ping once the audio thread ran again"
    finally:
        app.stop_event.set()
        loop.join(5)
        app.stop()
        notify.close()
