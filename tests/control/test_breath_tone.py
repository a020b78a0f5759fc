"""The pacer's tone through the real engine, rendered offline: it swells while breathing in
and fades while breathing out, one breath every 10 s, on the spare track; "off" lets it go
and gives the track its defaults back."""
from __future__ import annotations

import numpy as np

from reverie.control.breath_tone import TRACK, BreathToneHandler
from reverie.project.model import Project, Track
from reverie.seq.backlog import Backlog
from reverie.sound.breath_tone import TONE_HZ, breath_tone
from reverie.sound.buses import make_engine
from reverie.ui.practice import pacer
from reverie.ui.practice.effects import BreathTone

RATE, BLOCK = 48000, 480          # 10 ms blocks


def render(engine, seconds: float) -> np.ndarray:
    out, block = [], np.zeros((BLOCK, 2), np.float32)
    for _ in range(int(seconds * RATE / BLOCK)):
        engine.render(block)
        out.append(block.copy())
    return np.concatenate(out)


def rms_per(audio: np.ndarray, seconds: float) -> np.ndarray:
    n = int(seconds * RATE)
    frames = audio[: len(audio) // n * n, 0].reshape(-1, n)
    return np.sqrt((frames ** 2).mean(axis=1))


def test_the_loop_is_seamless_and_at_its_pitch():
    data, start, end = breath_tone(RATE)
    assert (start, end) == (0, len(data)) and data.dtype == np.float32 and data.shape[1] == 2
    joined = np.concatenate([data[:, 0]] * 20)
    spectrum = np.abs(np.fft.rfft(joined))
    assert np.fft.rfftfreq(len(joined), 1 / RATE)[spectrum.argmax()] == TONE_HZ
    assert abs(data[-1, 0] - data[0, 0]) < 0.02          # the wrap is one step of the wave


def test_the_tone_follows_two_breaths_through_the_engine():
    engine = make_engine(RATE)
    project = Project(tracks=[Track("Kick")])
    tone = BreathToneHandler(engine, lambda: project, Backlog(), RATE)
    pieces = []
    for _ in range(2):
        tone(BreathTone("in", pacer.IN_S))
        pieces.append(render(engine, pacer.IN_S))
        tone(BreathTone("out", pacer.OUT_S))
        pieces.append(render(engine, pacer.OUT_S))
    tone(BreathTone("off"))
    pieces.append(render(engine, 1.5))
    levels = rms_per(np.concatenate(pieces), 0.5)       # 2 x 20 half seconds of breath, then 3 after
    for k in (0, 20):                                    # each breath: up for 5 s, down for 5 s
        assert np.all(np.diff(levels[k:k + 10]) > 0) and np.all(np.diff(levels[k + 9:k + 20]) < 0)
        assert levels[k + 9] > 10 * levels[k] and levels[k + 19] < levels[k + 9] / 100
    peaks = [int(np.argmax(levels[:20])), 20 + int(np.argmax(levels[20:40]))]
    assert peaks == [9, 29]                              # one breath every 10 s: six a minute
    assert levels[-1] < 1e-4                             # let go
    assert 0.02 < levels.max() < 0.3                     # soft


def test_no_track_to_spare_is_said_once_and_nothing_plays():
    engine = make_engine(RATE)
    project = Project(tracks=[Track(f"T{k}") for k in range(16)])
    notices = []
    tone = BreathToneHandler(engine, lambda: project, Backlog(), RATE, notices.append)
    tone(BreathTone("in", 5.0))
    tone(BreathTone("in", 5.0))
    assert len(notices) == 1 and np.abs(render(engine, 1.0)).max() == 0.0
    assert TRACK == 15
