"""Two ways to stop the box, one stop path: the power key held on the box, and SIGTERM (what
systemd sends). Both end the control loop and run BoxApp.stop(), which says STOPPING.

The power key: a box file that wires POWER to a pin, gpiozero's MockFactory driving it, the
whole BoxApp around it (no audio device: the WAV writer keeps the clock). SIGTERM: `reverie
run` in a subprocess, told to stop once it said READY on a notify socket the test binds."""
from __future__ import annotations

import dataclasses
import os
import signal
import socket
import subprocess
import sys
import threading
import time
from pathlib import Path

import pytest

from reverie.app.boot import BoxApp, RunOptions
from reverie.app.config import AudioConfig, Config, ControllersConfig, HardwareConfig, MidiConfig
from reverie.app.paths import DataDir
from reverie.base.events import LONG_PRESS_S
from reverie.hal.service import ServiceNotifier

ROOT = Path(__file__).resolve().parents[2]
POWER_PIN = 5
STOP_WITHIN_S = 2.0
BOX = f"""name = "bench"
gpio = "mock"
pads = "midi"
[keys]
POWER = {POWER_PIN}
PLAY = 6
"""


def box_config(tmp_path: Path) -> Config:
    box = tmp_path / "bench.toml"
    box.write_text(BOX)
    return dataclasses.replace(
        Config(), hardware=HardwareConfig(box=str(box)),
        audio=AudioConfig(device="no such device here"),
        midi=MidiConfig(api="jack", clock_out=False), controllers=ControllersConfig(enabled=False))


@pytest.fixture
def app(tmp_path, monkeypatch):
    monkeypatch.setattr("reverie.hal.audio.output.list_output_devices", lambda: [])
    box = BoxApp(box_config(tmp_path), RunOptions(data=DataDir(tmp_path / "data")))
    box.sent = []
    box.service = ServiceNotifier("test", None, lambda: box.engine.stats()["callbacks"], send=box.sent.append)
    box.start()
    try:
        yield box
    finally:
        box.stop()


@pytest.mark.timing
def test_holding_the_power_key_ends_the_loop_and_stops_the_box(app):
    pin = app.surface.factory.pin(POWER_PIN)
    pressed = time.monotonic()
    pin.drive_low()
    app.loop(seconds=LONG_PRESS_S + STOP_WITHIN_S)
    held = time.monotonic() - pressed
    assert app.stop_event.is_set(), "the loop ran out of time: the power key did not stop it"
    assert LONG_PRESS_S <= held < LONG_PRESS_S + 0.5
    app.stop()
    assert app.sent[0].startswith("READY=1") and app.sent[-1] == "STOPPING=1"
    assert app.output.closed


@pytest.mark.timing
def test_a_short_press_of_the_power_key_does_nothing(app):
    pin = app.surface.factory.pin(POWER_PIN)
    pin.drive_low()
    threading.Timer(LONG_PRESS_S / 3, pin.drive_high).start()
    app.loop(seconds=LONG_PRESS_S * 3)
    assert not app.stop_event.is_set()
    assert "STOPPING=1" not in app.sent


def notify_socket(tmp_path: Path) -> tuple[socket.socket, str]:
    sock = socket.socket(socket.AF_UNIX, socket.SOCK_DGRAM)
    address = str(tmp_path / "notify")
    sock.bind(address)
    return sock, address


def wait_for(sock: socket.socket, word: str, timeout_s: float) -> list[str]:
    """The messages until one holds `word` (AssertionError after `timeout_s`)."""
    got, deadline = [], time.monotonic() + timeout_s
    while time.monotonic() < deadline:
        sock.settimeout(max(0.01, deadline - time.monotonic()))
        try:
            got.append(sock.recv(4096).decode())
        except TimeoutError:
            break
        if word in got[-1]:
            return got
    raise AssertionError(f"no {word} within {timeout_s} s; got {got}")


@pytest.mark.timing
def test_sigterm_to_reverie_run_exits_0_within_2_s(tmp_path):
    config = tmp_path / "config.toml"
    (tmp_path / "bench.toml").write_text(BOX.replace('"mock"', '"none"').split("[keys]")[0])
    config.write_text(f'[hardware]\nbox = "{tmp_path / "bench.toml"}"\n\n'
                      f'[audio]\ndevice = "no such device here"\n\n'
                      '[midi]\napi = "jack"\nclock_out = false\n\n[controllers]\nenabled = false\n')
    sock, address = notify_socket(tmp_path)
    env = {**os.environ, "NOTIFY_SOCKET": address, "PYTHONPATH": str(ROOT / "firmware")}
    proc = subprocess.Popen([sys.executable, "-m", "reverie", "run", "--config", str(config),
                             "--data-dir", str(tmp_path / "data")], env=env, cwd=tmp_path,
                            stdin=subprocess.DEVNULL, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
    try:
        wait_for(sock, "READY=1", 30)
        sent = time.monotonic()
        proc.send_signal(signal.SIGTERM)
        out, err = proc.communicate(timeout=10)
        took = time.monotonic() - sent
        wait_for(sock, "STOPPING=1", 1)
    finally:
        if proc.poll() is None:
            proc.kill()
            proc.wait()
        sock.close()
    assert proc.returncode == 0, err
    assert took < STOP_WITHIN_S, f"stopped {took:.2f} s after SIGTERM"
    assert out.startswith("played ") and "Traceback" not in err
    assert not (tmp_path / "data" / "recordings").exists()   # no device, no recording asked for
