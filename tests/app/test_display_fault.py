"""The box with an OLED on an I2C bus that stops answering (luma's real SSD1306 driver over
a bus that raises OSError 121 while unplugged): the audio and the control loop go on as
before, the display is opened again until it answers, and the box says so once."""
import dataclasses
import io
import logging
import time

import pytest

from reverie.app.boot import BoxApp, RunOptions
from reverie.app.config import AudioConfig, Config, ControllersConfig, HardwareConfig
from reverie.app.paths import DataDir
from reverie.base.events import Key
from audio_helpers import wait_for

BOX = """name = "oled"
description = "an SSD1306 on I2C, no keys"
gpio = "mock"
pads = "midi"

[keys]
PLAY = 24

[display]
driver = "ssd1306"
bus = "i2c"
"""


class I2CBus:
    """luma's serial interface (command, data, cleanup) on a bus that can be unplugged."""

    def __init__(self):
        self.plugged = True
        self.opens = 0
        self.data_bytes = 0

    def interface(self):
        bus = self

        class Interface:
            def command(self, *cmd):
                bus.check()

            def data(self, data):
                bus.check()
                bus.data_bytes += len(data)

            def cleanup(self):
                pass
        return Interface()

    def check(self):
        if not self.plugged:
            raise OSError(121, "Remote I/O error")


@pytest.mark.timeout(60, method="thread")
def test_a_display_that_stops_answering_never_touches_audio_and_comes_back(tmp_path, monkeypatch, caplog):
    from reverie.hal.display import devices

    bus = I2CBus()

    def open_display(spec, stream=None):
        bus.opens += 1
        return devices.open_oled(devices.DisplaySpec.of(spec), bus.interface())

    monkeypatch.setattr(devices, "open_display", open_display)
    monkeypatch.setattr("reverie.hal.display.thread.RETRY_S", 0.2)
    monkeypatch.setattr("reverie.hal.audio.output.list_output_devices", lambda: [])
    (tmp_path / "box.toml").write_text(BOX)
    config = dataclasses.replace(Config(), audio=AudioConfig(device="none here"),
                                 hardware=HardwareConfig(box=str(tmp_path / "box.toml")),
                                 controllers=ControllersConfig(enabled=False))
    app = BoxApp(config, RunOptions(data=DataDir(tmp_path / "data"), stream=io.StringIO(),
                                    stdin=io.StringIO()))
    messages = []

    def callback_rate(seconds=0.5):
        before, t0 = app.engine.stats()["callbacks"], time.monotonic()
        app.loop(seconds)
        return (app.engine.stats()["callbacks"] - before) / (time.monotonic() - t0)

    with caplog.at_level(logging.INFO, logger="reverie.hal.display.thread"):
        try:
            app.start()
            app.rig.control.hooks.append(lambda s: messages.append(s.message) if s.message else None)
            app.play()
            rate_before = callback_rate()
            assert bus.data_bytes >= 1024                  # the first frame went over the bus
            bus.plugged = False
            app.rig.queue.put(Key("PLAY", "press"))              # stops: a new view to push
            rate_out = callback_rate(1.0)
            events = app.rig.control.events
            app.rig.queue.put(Key("PLAY", "press"))              # the control thread still answers
            app.loop(0.1)
            assert app.rig.control.events == events + 1
            opens_out = bus.opens
            assert opens_out >= 1 + 3                     # tried again every 0.2 s
            assert app.surface.display.out_of_order == "Remote I/O error"
            sent = bus.data_bytes
            bus.plugged = True
            app.loop(0.5)
            assert app.surface.display.out_of_order == ""
            assert bus.data_bytes - sent >= 1024          # a whole frame once it answers
        finally:
            app.stop()
    # the audio callback ran at the same pace through it all (48000 / 128 = 375 a second)
    assert rate_before == pytest.approx(375, rel=0.25)
    assert rate_out == pytest.approx(rate_before, rel=0.25)
    assert app.engine.stats()["faults"] == 0
    assert messages.count("display error: Remote I/O error — retrying") >= 1
    assert len([r for r in caplog.records if "stopped answering" in r.getMessage()]) == 1
