"""A project whose track plays the bass with the bassline of docs/instruments.md: it loads,
saves and loads again with its accents and slides, and renders (no NaN, peak below 0 dBFS);
taking the slides out changes what is heard only from the first slid step on."""
import numpy as np

from reverie.app.commands.render import render_project
from reverie.project.model import Project

S = STEP_FRAMES = 6000          # a step at 120 BPM, 48 kHz
LINE = [{"notes": [33], "length": 0.5}, {"notes": [33], "length": 0.5}, {"notes": [45], "length": 0.5}, None,
        {"notes": [36], "length": 0.5}, {"notes": [33], "length": 0.5}, {"notes": [40], "slide": True},
        {"notes": [43], "length": 0.5}, {"notes": [33], "accent": True, "length": 0.5}, None,
        {"notes": [33], "length": 0.5}, {"notes": [48], "accent": True, "slide": True},
        {"notes": [45], "length": 0.5}, None, {"notes": [31], "slide": True}, {"notes": [33], "length": 0.5}]


def project(steps):
    return Project.from_dict({
        "format": "reverie-project", "version": 2, "tempo": 120,
        "tracks": [{"name": "Bass", "instrument": "bass", "params": {"resonance": 0.7}}],
        "patterns": {"A01": {"tracks": [{"length": 16, "steps": steps}]}}})


def played(p, tmp_path):
    return np.concatenate([b.copy() for b in render_project(p, tmp_path, 48000, seconds=2.0)])


def test_the_bassline_loads_saves_and_plays(tmp_path):
    p = project(LINE)
    again = Project.from_dict(p.to_dict())
    steps = again.pattern_at("A01").tracks[0].steps
    assert [i for i, s in enumerate(steps) if s is not None and s.slide] == [6, 11, 14]
    assert [i for i, s in enumerate(steps) if s is not None and s.accent] == [8, 11]
    x = played(p, tmp_path)
    assert np.isfinite(x).all()
    assert 0.05 < np.abs(x).max() < 1.0
    plain = played(project([None if s is None else {k: v for k, v in s.items() if k != "slide"}
                            for s in LINE]), tmp_path)
    first = 6 * S + S // 2          # step 7's gate would end here without its slide
    assert np.array_equal(x[:first], plain[:first])
    assert not np.array_equal(x[first:first + S], plain[first:first + S])
