"""The running box carries out ImportMultisample (what the sound page will ask for): the set
lands in the data directory's instruments/multisamples/ while the engine keeps running, and
the notice reaches the screen's status."""
import dataclasses
import io
import time

import numpy as np
import pytest
import soundfile as sf

from reverie.app.boot import BoxApp, RunOptions
from reverie.app.config import AudioConfig, Config
from reverie.app.paths import DataDir
from reverie.sound.multisample import load_zone_map
from reverie.ui.imports import ImportMultisample


@pytest.mark.timeout(60, method="thread")
def test_the_box_imports_a_set_on_its_worker_while_it_plays(tmp_path, monkeypatch):
    monkeypatch.setattr("reverie.hal.audio.output.list_output_devices", lambda: [])
    src = tmp_path / "Pad"
    src.mkdir()
    sf.write(src / "60.wav", 0.1 * np.ones(4800), 48000, subtype="PCM_16")
    config = dataclasses.replace(Config(), audio=AudioConfig(device="no such device here"))
    data = DataDir(tmp_path / "data")
    app = BoxApp(config, RunOptions(data=data, stream=io.StringIO(), stdin=io.StringIO()))
    messages = []
    try:
        app.start()
        app.rig.control.hooks.append(lambda s: messages.append(s.message) if s.message else None)
        app.play()
        frame = app.engine.frame
        app.rig.applier.apply([ImportMultisample(str(src))])
        deadline = time.monotonic() + 30
        while "imported Pad: 1 zone" not in messages:
            assert time.monotonic() < deadline, messages
            app.loop(0.1)
        assert app.engine.frame > frame                  # the engine ran on meanwhile
    finally:
        app.stop()
    assert load_zone_map(data.multisamples / "Pad").zones[0].root == 60
