"""`reverie render`: deterministic, block-size invariant, sample-exact, and tidy on errors."""
import json
import math
import os
from fractions import Fraction

import numpy as np
import pytest
import soundfile as sf

from reverie.app.cli import main
from reverie.project.demo import demo_project_path
from reverie.project.store import load_project, save_project

CLICK_STEPS = [0, 1, 2, 5, 7, 8, 13, 15]


def click_project(folder, tempo, length=16, loops=2, steps=CLICK_STEPS, rate=48000):
    """A project whose one track plays a one-sample click (1.0 then zeros) on `steps`."""
    (folder / "samples").mkdir(parents=True)
    click = np.zeros((64, 2))
    click[0] = 1.0
    sf.write(folder / "samples" / "click.wav", click, rate, subtype="FLOAT")
    pattern = [None] * length
    for s in steps:
        pattern[s] = {"note": 60, "velocity": 127, "length": 1}
    project = {
        "format": "reverie-project", "version": 1, "name": "Clicks", "tempo": tempo,
        "pattern_length": length, "loops": loops,
        "master": {"comp_ratio": 1},   # the compressor passes the clicks through unchanged
        "tracks": [{"name": "Click", "sample": "click.wav", "steps": pattern,
                    "params": {"attack_ms": 0, "level_db": -6}}],
    }
    (folder / "project.json").write_text(json.dumps(project))
    return folder


def render(project, out, *options):
    assert main(["render", str(project), "--out", str(out), *options]) == 0
    return sf.read(out, dtype="float32")


def onsets(mono):
    """Indices of the first non-zero sample of each hit (hits are separated by silence)."""
    loud = np.flatnonzero(mono)
    return [int(i) for k, i in enumerate(loud) if k == 0 or i - loud[k - 1] > 200]


@pytest.mark.parametrize("tempo", [120, 133.3, 87.65])
def test_every_hit_starts_on_its_exact_sample(tmp_path, tempo):
    audio, rate = render(click_project(tmp_path / "p", tempo), tmp_path / "out.wav", "--float",
                         "--block-size", "100")
    steps = [loop * 16 + s for loop in range(2) for s in CLICK_STEPS]
    # the first sample at or after each step's ideal time (docs/sequencer.md)
    expected = [math.ceil(s * 60 / Fraction(str(tempo)) / 4 * rate) for s in steps]
    found = onsets(audio[:, 0])
    # the limiter's look-ahead is compensated: frame 0 of the file is the first step's onset
    assert expected[0] == 0 and found == expected


def test_two_renders_give_the_same_bytes(tmp_path):
    project = click_project(tmp_path / "p", 133.3)
    for fmt in ([], ["--float"]):
        render(project, tmp_path / "a.wav", "--seconds", "1.5", *fmt)
        render(project, tmp_path / "b.wav", "--seconds", "1.5", *fmt)
        assert (tmp_path / "a.wav").read_bytes() == (tmp_path / "b.wav").read_bytes()
    # libsndfile stamps float files with the time; the render clears it to stay identical
    data = (tmp_path / "a.wav").read_bytes()
    peak = data.index(b"PEAK")
    assert data[peak + 12:peak + 16] == bytes(4)


def test_the_block_size_changes_nothing(tmp_path):
    project = load_project(demo_project_path())
    pattern = project.pattern_at(project.pattern)
    pattern.length = 8
    for track in pattern.tracks:
        track.length, track.steps = 8, track.steps[:8]
    folder = tmp_path / "demo"
    save_project(project, folder)
    reference, _ = render(folder, tmp_path / "ref.wav", "--float", "--seconds", "0.6", "--block-size", "256")
    assert np.abs(reference).max() > 0.05
    for block in ("1", "64", "65", "128", "8193"):
        audio, _ = render(folder, tmp_path / f"{block}.wav", "--float", "--seconds", "0.6", "--block-size", block)
        assert np.array_equal(audio, reference), f"block size {block}"


def test_live_blocks_give_the_offline_render(tmp_path):
    """The app's way: load the sequencer, start it, render the callback's 128-frame blocks."""
    from reverie.sound.buses import make_engine
    from reverie.app.commands.render import render_project
    from reverie.project import load_sounds
    from reverie.seq.load import SETTLE_SECONDS, apply_project
    from reverie.project.sounds import sound_slots
    from reverie.seq.driver import Sequencer

    folder = click_project(tmp_path / "p", 133.3, loops=1)
    project = load_project(folder)
    offline = np.concatenate([b.copy() for b in render_project(project, folder, 48000, 1.0, 8193)])
    engine = make_engine(48000)
    apply_project(engine, project, load_sounds(project, folder, 48000))
    seq = Sequencer(engine, project, sound_slots(project))
    seq.load(once=True)
    engine.render(np.zeros((round(SETTLE_SECONDS * 48000), 2), np.float32))
    seq.play(frame=engine.frame)
    ahead = engine.lookahead_frames                 # live, every sound leaves this late
    live = np.zeros((len(offline) + ahead, 2), np.float32)
    for start in range(0, len(live), 128):
        engine.render(live[start:start + 128])
    assert np.abs(offline).max() > 0.4
    assert ahead == 71 and not live[:ahead].any()
    assert np.array_equal(live[ahead:], offline)


def test_the_demo_is_a_groove_on_the_factory_kit():
    project = load_project(demo_project_path())
    pattern = project.pattern_at(project.pattern)
    assert 100 <= project.tempo <= 120 and pattern.length == 32   # two bars
    assert {t.sample for t in project.tracks} == {f"factory:{n}" for n in
                                                 ("kick", "snare", "closed_hat", "open_hat", "clap", "bass", "pad")}
    bass = next(i for i, t in enumerate(project.tracks) if t.sample == "factory:bass")
    assert len({n for s in pattern.tracks[bass].steps if s for n in s.notes}) >= 5
    assert any(t.bus.get("delay_send", 0) > 0 for t in project.tracks)
    assert any(t.bus.get("reverb_send", 0) > 0 for t in project.tracks)


def test_the_demo_plays_its_loops_and_a_tail(tmp_path):
    audio, rate = render(demo_project_path() / "project.json", tmp_path / "demo.wav")
    project = load_project(demo_project_path())
    assert project.mode == "pattern"   # one pass of the current pattern
    pattern_seconds = project.pattern_at(project.pattern).length * 15 / Fraction(str(project.tempo))
    assert len(audio) == math.ceil(pattern_seconds * rate) + 2 * rate
    assert 0.1 < np.abs(audio).max() < 1.0
    assert np.sqrt(np.mean(audio ** 2)) > 0.03              # it sounds, not a whisper
    assert not np.array_equal(audio[:, 0], audio[:, 1])     # panning and stereo effects


@pytest.mark.parametrize("content, expected", [
    ("{not json", "not valid JSON"),
    ('{"format": "reverie-project", "version": 1, "tempo": 0}', "tempo = 0 is outside 20..300 BPM"),
    ("[" * 100_000 + "]" * 100_000, "project.json: nested more than 32 deep"),
    ('{"format": "reverie-project", "version": 1, "tempo": %s}' % ("1" * 5000),
     "project.json: a number of 5000 digits is too long (at most 30)"),
])
def test_a_bad_project_is_one_line_and_leaves_no_file(tmp_path, capsys, content, expected):
    (tmp_path / "p").mkdir()
    (tmp_path / "p" / "project.json").write_text(content)
    assert main(["render", str(tmp_path / "p"), "--out", str(tmp_path / "out.wav")]) == 1
    err = capsys.readouterr().err
    assert err.count("\n") == 1 and err.startswith("reverie render: ") and expected in err
    assert os.listdir(tmp_path) == ["p"]


@pytest.mark.parametrize("inside", ["project.json", "samples/click.wav", ".history/1.json", "take.wav"])
def test_a_render_into_the_project_itself_is_refused_and_changes_nothing(tmp_path, capsys, inside):
    project = click_project(tmp_path / "p", 120)
    (project / ".history").mkdir()
    (project / ".history" / "1.json").write_text("{}")
    before = {p: p.read_bytes() for p in project.rglob("*") if p.is_file()}
    for name in (str(project), str(project / "project.json")):   # the folder or its file
        assert main(["render", name, "--out", str(project / inside)]) == 1
        err = capsys.readouterr().err
        assert err == (f"reverie render: --out {project / inside} is inside the project folder "
                       f"{project}; write the WAV somewhere else (nothing was written)\n")
    assert {p: p.read_bytes() for p in project.rglob("*") if p.is_file()} == before
    linked = tmp_path / "link"
    linked.symlink_to(project)                                    # the same folder by another name
    assert main(["render", str(project), "--out", str(linked / "project.json")]) == 1
    assert "is inside the project folder" in capsys.readouterr().err
    assert {p: p.read_bytes() for p in project.rglob("*") if p.is_file()} == before


def test_bad_options_are_one_line(tmp_path, capsys):
    project = click_project(tmp_path / "p", 120)
    for options, expected in ((["--block-size", "0"], "--block-size 0 is outside"),
                              (["--sample-rate", "1000"], "--sample-rate 1000 is outside"),
                              (["--seconds", "-1"], "--seconds -1 is outside")):
        assert main(["render", str(project), "--out", str(tmp_path / "o.wav"), *options]) == 1
        assert expected in capsys.readouterr().err
    assert main(["render", str(tmp_path / "nowhere"), "--out", str(tmp_path / "o.wav")]) == 1
    assert "no project at" in capsys.readouterr().err
    assert sorted(os.listdir(tmp_path)) == ["p"]


def test_other_sample_rates(tmp_path):
    audio, rate = render(click_project(tmp_path / "p", 120, loops=1, rate=44100), tmp_path / "o.wav",
                         "--float", "--sample-rate", "44100")
    assert rate == 44100
    found = onsets(audio[:, 0])
    expected = [math.ceil(s * 5512.5) for s in CLICK_STEPS]   # the first sample at or after
    assert found == [e + found[0] for e in expected]


def test_a_failed_write_leaves_no_file(tmp_path, capsys, monkeypatch):
    project = click_project(tmp_path / "p", 120)

    def full_disk(self, data):
        raise OSError(28, "No space left on device")

    monkeypatch.setattr(sf.SoundFile, "write", full_disk)
    assert main(["render", str(project), "--out", str(tmp_path / "o.wav")]) == 1
    assert capsys.readouterr().err == f"reverie render: cannot write {tmp_path / 'o.wav'} (No space left on device)\n"
    assert sorted(os.listdir(tmp_path)) == ["p"]
