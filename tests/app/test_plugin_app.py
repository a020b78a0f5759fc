"""The example instrument package on the box: pip-installed (offline, into a folder of its
own), found at start-up, named by a project's track, played from a keyboard note through the
UI, and heard in the box's recording at the note's pitch; a broken plugin beside it is refused
with one notice while the box plays on; the system page looks again for one dropped in later.""" 
import dataclasses
import io
import subprocess
import sys
import time
from pathlib import Path

import numpy as np
import pytest
import soundfile as sf

from plugin_fixtures import write_plugins

from reverie.app.boot import BoxApp, RunOptions
from reverie.app.config import AudioConfig, Config
from reverie.app.paths import DataDir
from reverie.base.events import PRESS, Key, Note
from reverie.project.demo import demo_project_path
from reverie.project.store import load_project, save_project
from reverie.sound import instruments as registry

CHIME = Path(__file__).resolve().parents[2] / "examples" / "reverie-chime"


@pytest.fixture
def registry_kept():
    """add_plugins registers into the process's registry: put it back after the test."""
    instruments, programs = dict(registry.INSTRUMENTS), dict(registry._PROGRAMS)
    yield
    registry.INSTRUMENTS.clear()
    registry.INSTRUMENTS.update(instruments)
    registry._PROGRAMS.clear()
    registry._PROGRAMS.update(programs)


def pip_install_chime(tmp_path) -> Path:
    target, build = tmp_path / "site", tmp_path / "chime-src"
    subprocess.run(["cp", "-r", str(CHIME), str(build)], check=True)
    done = subprocess.run([sys.executable, "-m", "pip", "install", "-q", "--no-deps", "--no-index",
                           "--no-build-isolation", "--target", str(target), str(build)],
                          capture_output=True, text=True)
    assert done.returncode == 0, done.stderr
    return target


def pitch_hz(x, rate):
    w = np.hanning(len(x))
    mag = np.log(np.abs(np.fft.rfft(x * w)) + 1e-20)
    k = int(np.argmax(mag))
    a, b, c = mag[k - 1], mag[k], mag[k + 1]
    return (k + 0.5 * (a - c) / (a - 2 * b + c)) * rate / len(x)


@pytest.mark.timeout(90, method="thread")
def test_the_box_plays_example_chime_from_a_keyboard_note(tmp_path, monkeypatch, registry_kept, caplog):
    monkeypatch.setattr("reverie.hal.audio.output.list_output_devices", lambda: [])
    monkeypatch.syspath_prepend(str(pip_install_chime(tmp_path)))
    data = DataDir(tmp_path / "data")
    data.plugins.mkdir(parents=True)
    (data.plugins / "boom.py").write_text("raise ZeroDivisionError('division by zero')\n")
    registry.add_plugins(None)                       # so the project below may name it
    project = load_project(demo_project_path())
    project.tracks[0].instrument, project.tracks[0].params, project.tracks[0].sample = "example.chime", {}, None
    folder = save_project(project, tmp_path / "chime-song")
    config = dataclasses.replace(Config(), audio=AudioConfig(device="no such device here",
                                                             record_without_device=True))
    app = BoxApp(config, RunOptions(data=data, project_path=str(folder), stream=io.StringIO(),
                                    stdin=io.StringIO()))
    try:
        app.start()
        assert [f.name for f in app.plugins.installed] == ["example.chime"]
        assert app.plugins.notices() == ["plugins/boom.py: ZeroDivisionError: division by zero"]
        app.loop(0.5)
        start = app.engine.frame
        app.rig.queue.put(Note(69, 110))              # A4 from a keyboard, on the focused track
        app.loop(1.0)
        app.rig.queue.put(Note(69, 0))
        app.loop(0.5)
        assert app.engine.stats()["faults"] == 0
        # a plugin dropped in while the box runs: the system page's ENC1 looks again, on the
        # worker, and the box plays on meanwhile
        write_plugins(data.plugins, names={"bell.py"})
        messages = []
        app.rig.control.hooks.append(lambda s: messages.append(s.message) if s.message else None)
        app.rig.queue.put(Key("SYSTEM", PRESS))
        app.rig.queue.put(Key("ENC1", PRESS))
        frame, deadline = app.engine.frame, time.monotonic() + 60
        while "fixture.bell" not in registry.INSTRUMENTS and time.monotonic() < deadline:
            app.loop(0.1)
        app.loop(0.1)
        assert "fixture.bell" in registry.INSTRUMENTS
        # one refusal: its line is the notice (more: how many, and where to read them)
        assert "plugins/boom.py: ZeroDivisionError: division by zero" in messages
        assert app.engine.frame > frame and app.engine.stats()["faults"] == 0
    finally:
        app.stop()
    # said at start as the configuration's problems are: in the log and as a notice
    assert ("reverie", 30, "plugins/boom.py: ZeroDivisionError: division by zero") in caplog.record_tuples
    take, = sorted(data.recordings.rglob("*.wav"))
    audio, rate = sf.read(take)
    # the recording starts with the engine; the note sounds from about `start` on
    before = audio[int(0.1 * rate):start - 2400, 0]
    ring = audio[start + 4800:start + 4800 + 19200, 0]
    assert np.abs(before).max() < 1e-4
    assert 20 * np.log10(np.abs(ring).max()) > -30.0
    assert pitch_hz(ring, rate) == pytest.approx(440.0, abs=0.5)
