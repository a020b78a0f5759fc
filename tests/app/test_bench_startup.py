"""`reverie bench startup` reports what it promises: the real `reverie run` started and stopped
as many times as asked, on the project it made (16 tracks of the user's own sample files),
and a breakdown whose phases add up to the probe's total. How fast is the bench's business
(docs/bench.md), not the tests'."""
import math

import pytest

from reverie.app.bench import startup
from reverie.project.sounds import load_sounds
from reverie.project.store import load_project

PHASES = ("python", "imports_and_config", "engine", "project", "audio_open", "first_callback", "rest")


def test_the_bench_project_is_sixteen_tracks_of_its_own_files(tmp_path):
    folder = startup.make_project(tmp_path / "p")
    project = load_project(folder)
    assert len(project.tracks) == startup.OWN_TRACKS
    assert all(t.sample and not t.sample.startswith("factory:") for t in project.tracks)
    sounds = load_sounds(project, folder, 48000)
    pad = sounds[-1]
    assert pad is not None and pad.frames == int(startup.PAD_SECONDS * 48000)   # resampled from 44.1 kHz


def test_import_times_are_read_from_the_top_level_lines():
    stderr = ("import time: self [us] | cumulative | imported package\n"
              "import time:       120 |        120 |   _io\n"
              "import time:      1500 |       2000 | numpy\n"
              "import time:       300 |        300 |     numpy.core\n"
              "INFO reverie: something else\n"
              "import time:        40 |       5000 | reverie.app.boot\n")
    assert startup.imports_of(stderr) == [("numpy", 0.0015, 0.002), ("reverie.app.boot", 0.00004, 0.005)]


@pytest.mark.jack
@pytest.mark.timing
@pytest.mark.timeout(180)
def test_two_starts_and_a_probe_give_every_figure():
    out = startup.startup(runs=2)
    assert out["runs"] == 2 and out["goal_s"] == startup.GOAL_S
    for key in ("first_callback_s_median", "first_callback_s_max", "sigterm_to_exit_s_median",
                "sigterm_to_exit_s_max"):
        assert math.isfinite(out[key]) and 0 < out[key] < startup.READY_TIMEOUT_S, key
    assert out["first_callback_s_median"] <= out["first_callback_s_max"]
    phases = [out[f"probe_{p}_s"] for p in PHASES]
    assert all(p >= 0 for p in phases[:-1]) and out["probe_project_s"] > 0 and out["probe_audio_open_s"] > 0
    assert abs(sum(phases) - out["probe_total_s"]) <= 0.004          # each rounded to 1 ms
    assert 0 < out["probe_imports_all_s"] < out["probe_total_s"]
    assert len(out["probe_heaviest_imports"].split(", ")) == 5
