"""A project whose track plays fm with a factory preset's parameters: it loads (the preset's
choice labels such as algorithm "5" included), its pattern plays it, and a p-lock of an
operator's level brightens that step only."""
import tomllib
from pathlib import Path

import numpy as np
import pytest

import reverie
from reverie.app.commands.render import render_project
from reverie.project.model import Project

PRESET = Path(reverie.__file__).parent / "sound" / "presets" / "fm" / "e-piano.toml"


def fm_project(locks):
    params = tomllib.loads(PRESET.read_text())["params"]
    steps = [{"notes": [57], "length": 2, "locks": locks}, None, None, None,
             {"notes": [57], "length": 2}, None, None, None]
    return Project.from_dict({
        "format": "reverie-project", "version": 2, "tempo": 120,
        "tracks": [{"name": "Keys", "instrument": "fm", "params": params}],
        "patterns": {"A01": {"tracks": [{"length": 8, "steps": steps}]}}})


def played(project, tmp_path):
    return np.concatenate([b.copy() for b in render_project(project, tmp_path, 48000, seconds=1.0)])


def brightness(x):
    """The share of the energy above 1 kHz."""
    s = np.abs(np.fft.rfft(x[:, 0])) ** 2
    f = np.fft.rfftfreq(len(x), 1 / 48000)
    return float(np.sum(s[f > 1000]) / np.sum(s))


def test_an_fm_track_plays_a_preset_and_a_lock_brightens_one_step(tmp_path):
    plain = played(fm_project({}), tmp_path)
    assert np.isfinite(plain).all() and np.abs(plain[:12000]).max() > 0.05
    locked = played(fm_project({"op2_level": 6.0, "op2_sustain": 1.0}), tmp_path)
    first, second = slice(1000, 11000), slice(25000, 35000)   # steps 1 and 5: 6000 frames a step
    print(f"above 1 kHz: plain {brightness(plain[first]):.4f}, locked {brightness(locked[first]):.4f}")
    assert brightness(locked[first]) > 3 * brightness(plain[first])
    assert brightness(locked[second]) == pytest.approx(brightness(plain[second]), rel=0.05)
