"""The whole box, started as `reverie run` starts it, with no audio device: the engine runs on
the fallback clock, silently unless a recording is asked for, and a recording stops at its cap."""
import dataclasses
import io

import numpy as np
import pytest
import soundfile as sf

from reverie.app.boot import BoxApp, RunOptions, run_app
from reverie.app.config import AudioConfig, Config
from reverie.app.paths import DataDir


def no_devices(monkeypatch):
    # no PortAudio device exists on the test machine; make sure of it
    monkeypatch.setattr("reverie.hal.audio.output.list_output_devices", lambda: [])


def files_under(folder):
    return sorted(p for p in folder.rglob("*") if p.is_file())


def test_run_without_a_device_plays_on_silently_and_writes_no_recording(tmp_path, monkeypatch):
    no_devices(monkeypatch)
    monkeypatch.chdir(tmp_path)
    config = dataclasses.replace(Config(), audio=AudioConfig(device="no such device here"))
    screen = io.StringIO()
    data = DataDir(tmp_path / "data")
    result = run_app(config, seconds=1.5, play=True, stream=screen, stdin=io.StringIO(),
                     options=RunOptions(data=data))
    assert (data.factory / "kick.wav").is_file()          # the factory kit is built in the data dir
    assert result.output == "the fallback clock (no audio device)"
    assert result.faults == 0
    assert result.frames >= int(1.5 * 48000)              # the engine's clock ran the whole time
    assert not data.recordings.exists()
    assert not [p for p in files_under(tmp_path) if p.suffix in (".wav", ".part")
                and data.factory not in p.parents]
    # the simulator drew the box's screen in the "terminal"
    assert "\u2580" in screen.getvalue() or "\u2584" in screen.getvalue() or "\u2588" in screen.getvalue()


@pytest.mark.timeout(60, method="thread")
def test_a_recording_without_a_device_is_the_demo_and_stops_at_its_cap(tmp_path, monkeypatch):
    """record_max_mb = 1: 24-bit stereo at 48 kHz reaches 1 MiB after 3.6 s; the box plays on
    to 4.5 s, the recording stops under its cap, whole, and the box says so."""
    no_devices(monkeypatch)
    config = dataclasses.replace(Config(), audio=AudioConfig(device="no such device here",
                                                             record_without_device=True, record_max_mb=1))
    data = DataDir(tmp_path / "data")
    app = BoxApp(config, RunOptions(data=data, stream=io.StringIO(), stdin=io.StringIO()))
    messages = []
    try:
        app.start()
        app.rig.control.hooks.append(lambda s: messages.append(s.message) if s.message else None)
        app.play()
        app.loop(4.5)
        assert app.output.health().silent and app.output.health().recording == ""
    finally:
        app.stop()
    assert app.engine.frame >= int(4.5 * 48000)
    take, = files_under(data.recordings)
    assert take.suffix == ".wav" and take.stat().st_size <= 2**20
    audio, rate = sf.read(take)
    assert rate == 48000 and len(audio) > 3.5 * rate
    # the demo starts 0.2 s after loading and is loud from its first beat
    assert np.abs(audio[:int(0.19 * rate)]).max() < 1e-4
    assert np.abs(audio[int(0.2 * rate):]).max() > 0.1
    assert np.abs(audio).max() <= 10 ** (-0.3 / 20) + 1e-6
    assert "recording stopped at its cap of 1 MB" in messages


def test_what_the_start_made_is_kept_out_of_the_collectors_way_until_the_box_stops(tmp_path, monkeypatch):
    """A full collection of the started box held the GIL for 10-35 ms (43 000 objects), and
    the threads that stamp pad hits and MIDI notes waited that long: a pad typed during one
    landed 5 ms late in a kept pattern (tests/app/test_session_e2e.py). The start's objects
    are frozen (gc.freeze), so no collection scans them while the box runs; stopping gives
    them back to the collector."""
    import gc

    no_devices(monkeypatch)
    config = dataclasses.replace(Config(), audio=AudioConfig(device="no such device here"))
    app = BoxApp(config, RunOptions(data=DataDir(tmp_path / "data"), stream=io.StringIO(), stdin=io.StringIO()))
    try:
        app.start()
        assert gc.get_freeze_count() > 0
        assert not any(o is app.rig for o in gc.get_objects())      # frozen: no collection scans it
    finally:
        app.stop()
    assert gc.get_freeze_count() == 0 and any(o is app.rig for o in gc.get_objects())
