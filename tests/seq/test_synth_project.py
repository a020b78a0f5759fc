"""A project whose track plays the synth: it loads (the track gets the synth's program and its
parameters), its pattern plays it, a p-lock reaches a parameter past the old 32 (the 128-bit
lock masks), and a sampler project loaded after it gives the track its sampler back."""
import numpy as np
import pytest

from reverie.app.commands.render import render_project
from reverie.project.model import Project
from reverie.sound.instruments.synth import SYNTH


def synth_project(locks):
    steps = [{"notes": [45], "length": 2, "locks": locks}, None, None, None,
             {"notes": [57], "length": 2}, None, None, None]
    return Project.from_dict({
        "format": "reverie-project", "version": 2, "tempo": 120,
        "tracks": [{"name": "Lead", "instrument": "synth",
                    "params": {"cutoff_hz": 600, "env_amount_oct": 0, "osc2_level": 0, "sustain": 1}}],
        "patterns": {"A01": {"tracks": [{"length": 8, "steps": steps}]}}})


def played(project, tmp_path):
    return np.concatenate([b.copy() for b in render_project(project, tmp_path, 48000, seconds=1.0)])


def test_a_synth_track_plays_and_a_high_parameter_locks(tmp_path):
    assert SYNTH["mod4_amount"].id >= 32 and SYNTH["mod4_source"].id >= 32
    plain = played(synth_project({}), tmp_path)
    assert np.isfinite(plain).all() and np.abs(plain[:12000]).max() > 0.05
    # step 1 locks a route: velocity (100) to the cutoff at 0.5 of its 10 octaves: about
    # 4 octaves up, on that step only
    locked = played(synth_project({"mod4_source": "velocity", "mod4_dest": "cutoff_hz",
                                   "mod4_amount": 0.5}), tmp_path)

    def brightness(x):
        """The share of the energy above 1 kHz."""
        s = np.abs(np.fft.rfft(x[:, 0])) ** 2
        f = np.fft.rfftfreq(len(x), 1 / 48000)
        return float(np.sum(s[f > 1000]) / np.sum(s))
    first, second = slice(1000, 11000), slice(25000, 35000)   # steps 1 and 5: 6000 frames a step
    assert brightness(locked[first]) > 10 * brightness(plain[first])
    assert brightness(locked[second]) == pytest.approx(brightness(plain[second]), rel=0.05)


def test_loading_a_sampler_project_after_a_synth_one_gives_the_sampler_back():
    from reverie.seq.load import apply_project
    from reverie.sound.buses import make_engine

    eng = make_engine(48000.0)
    apply_project(eng, synth_project({}), [])
    assert eng.programs[0] is not None and eng.programs[1] is None
    apply_project(eng, Project.from_dict({"format": "reverie-project", "version": 2,
                                           "tracks": [{"name": "Drums"}]}), [])
    assert eng.programs[0] is None
