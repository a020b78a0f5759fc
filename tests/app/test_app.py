"""The whole box, started as `reverie run` starts it, with no audio device: the WAV fallback."""
import dataclasses
import io

import numpy as np
import soundfile as sf

from reverie.app.boot import RunOptions, run_app
from reverie.app.config import AudioConfig, Config
from reverie.app.paths import DataDir


def test_run_plays_the_demo_into_the_fallback_wav(tmp_path, monkeypatch):
    wav = tmp_path / "out.wav"
    config = dataclasses.replace(Config(), audio=AudioConfig(device="no such device here",
                                                             fallback_wav=str(wav)))
    # no PortAudio device exists on the test machine, so the fallback must take over
    monkeypatch.setattr("reverie.hal.audio.output.list_output_devices", lambda: [])
    screen = io.StringIO()
    data = DataDir(tmp_path / "data")
    result = run_app(config, seconds=1.5, play=True, stream=screen, stdin=io.StringIO(),
                     options=RunOptions(data=data))
    assert (data.factory / "kick.wav").is_file()          # the factory kit is built in the data dir
    assert result.output == "WavOutput"
    assert result.faults == 0
    audio, rate = sf.read(wav)
    assert rate == 48000
    assert len(audio) >= int(1.5 * 48000)
    # the demo starts 0.2 s after loading and is loud from its first beat
    assert np.abs(audio[:int(0.19 * rate)]).max() < 1e-4
    assert np.abs(audio[int(0.2 * rate):]).max() > 0.1
    assert np.abs(audio).max() <= 10 ** (-0.3 / 20) + 1e-6
    # the simulator drew the box's screen in the "terminal"
    assert "\u2580" in screen.getvalue() or "\u2584" in screen.getvalue() or "\u2588" in screen.getvalue()
