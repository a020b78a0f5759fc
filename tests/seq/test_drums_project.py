"""A project whose track plays the drums: it loads (the track gets the drums' program and its
parameters), one pattern plays the whole kit from one track, a p-lock retunes one step's kick."""
import numpy as np

from reverie.app.commands.render import render_project
from reverie.project.model import Project

STEP = 6000         # frames a 16th at 120 BPM, 48 kHz


def drums_project(locks):
    steps = [{"notes": [36], "locks": locks}, None, {"notes": [42]}, None,
             {"notes": [38]}, None, {"notes": [42]}, None]
    return Project.from_dict({
        "format": "reverie-project", "version": 2, "tempo": 120,
        "tracks": [{"name": "Kit", "instrument": "drums",
                    "params": {"kick_click": 0, "kick_decay_ms": 150, "kick_tune_hz": 50}}],
        "patterns": {"A01": {"tracks": [{"length": 8, "steps": steps}]}}})


def played(project, tmp_path):
    return np.concatenate([b.copy() for b in render_project(project, tmp_path, 48000, seconds=1.0)])[:, 0]


def share_above(x, hz):
    s = np.abs(np.fft.rfft(x)) ** 2
    f = np.fft.rfftfreq(len(x), 1 / 48000)
    return float(np.sum(s[f > hz]) / np.sum(s))


def spectral_peak(x):
    s = np.abs(np.fft.rfft(x * np.hanning(len(x))))
    return np.fft.rfftfreq(len(x), 1 / 48000)[np.argmax(s)]


def test_one_drums_track_plays_kick_hat_and_snare_and_a_lock_retunes_the_kick(tmp_path):
    x = played(drums_project({}), tmp_path)
    assert np.isfinite(x).all()
    kick, hat, snare = (x[k * STEP + 200:k * STEP + 5000] for k in (0, 2, 4))
    assert share_above(kick, 200) < 0.2 and np.abs(kick).max() > 0.05
    assert share_above(hat, 5000) > 0.8
    assert 0.05 < share_above(snare, 1000) < 0.95       # modes below, noise above
    locked = played(drums_project({"kick_tune_hz": 100}), tmp_path)
    # the kick's body (after its sweep) an octave up on the locked step
    assert spectral_peak(locked[2400:STEP]) > 1.7 * spectral_peak(x[2400:STEP])
