"""The practice layer in the whole box (BoxApp, no audio device: the fallback clock plays):
the power-on check-in, PLAY skipping it and playing at once, the power key asking for the
check-out and then stopping, and the session in the data directory's journal afterwards."""
from __future__ import annotations

import dataclasses
import time

import pytest

from reverie.app.boot import BoxApp, RunOptions
from reverie.app.config import AudioConfig, Config, ControllersConfig, HardwareConfig, MidiConfig, PracticeConfig
from reverie.app.paths import DataDir
from reverie.base.events import Key
from reverie.control.journal import Journal
from reverie.ui.practice.prompts import MoodView

BOX = """name = "bench"
gpio = "mock"
pads = "midi"
[keys]
POWER = 5
PLAY = 6
"""


def make_app(tmp_path, practice: PracticeConfig) -> BoxApp:
    box = tmp_path / "bench.toml"
    box.write_text(BOX)
    config = dataclasses.replace(
        Config(), hardware=HardwareConfig(box=str(box), window=False),
        audio=AudioConfig(device="no such device here"), midi=MidiConfig(api="jack", clock_out=False),
        controllers=ControllersConfig(enabled=False), practice=practice)
    return BoxApp(config, RunOptions(data=DataDir(tmp_path / "data")))


def put(app, name: str, action: str) -> None:
    app.rig.queue.put(Key(name, action, time.monotonic()))


@pytest.fixture
def app(tmp_path, monkeypatch):
    monkeypatch.setattr("reverie.hal.audio.output.list_output_devices", lambda: [])
    box = make_app(tmp_path, PracticeConfig(usb_keyboard=False))
    box.start()
    try:
        yield box
    finally:
        box.stop()


@pytest.mark.timing
def test_power_on_check_in_play_then_the_power_key_asks_and_stops(app, tmp_path):
    assert isinstance(app.rig.ui.view().body, MoodView)            # asked at power-on
    put(app, "PLAY", "press")
    put(app, "PLAY", "release")
    app.loop(seconds=0.5)
    assert not app.rig.ui.practice.prompting and app.rig.control.status.playing   # skipped, playing
    put(app, "POWER", "press")
    put(app, "POWER", "long")
    app.loop(seconds=0.3)
    assert not app.stop_event.is_set() and isinstance(app.rig.ui.view().body, MoodView)   # how now?
    put(app, "STOP", "press")                                        # one press: off
    app.loop(seconds=2.0)
    assert app.stop_event.is_set()
    app.stop()
    rows = Journal(tmp_path / "data" / "journal.sqlite").sessions()
    assert len(rows) == 1
    r = rows[0]
    assert r.end_reason == "power" and r.ended_at is not None and r.patterns == ("A01",)
    assert r.projects == ("Demo groove",) and r.mood_before is None and r.seconds > 0.3


def test_with_check_ins_off_nothing_is_asked(tmp_path, monkeypatch):
    monkeypatch.setattr("reverie.hal.audio.output.list_output_devices", lambda: [])
    app = make_app(tmp_path, PracticeConfig(checkins=False, usb_keyboard=False))
    app.start()
    try:
        assert not app.rig.ui.practice.prompting and app.rig.journal is not None
    finally:
        app.stop()
