"""The saves a project keeps in .history/: one per save, named by the time it was saved so the
names sort by time, the last 20 only; and opening a project that does not load: its newest
good save, else an empty project, with a notice saying which."""
import json
import os

import numpy as np
import pytest
import soundfile as sf

from reverie.base.errors import UserError
from reverie.base.files import atomic_copy
from reverie.project.fallback import open_project
from reverie.project.model import Project, Track
from reverie.project.saves import KEEP, empty_project, kept, load_save, newest_good, saved_at, stamp
from reverie.project.store import load_project, save_project

RATE = 48000


def save_at(project, folder, t):
    """Saves, then dates project.json at `t` (s since the epoch), as if it had been saved then."""
    file = save_project(project, folder)
    os.utime(file, (t, t))
    return file


def test_a_stamp_sorts_by_time_and_reads_back():
    times = [1_700_000_000.0, 1_700_000_000.000001, 1_700_000_001.5, 1_800_000_000.25]
    names = [stamp(t) for t in times]
    assert names == sorted(names)
    assert names[0] == "20231114T221320.000000Z.json"
    assert [saved_at(n) for n in names] == pytest.approx(times, abs=1e-6)
    assert saved_at("notes.txt") is None and saved_at("2023.json") is None


def test_each_save_keeps_the_one_before_and_the_last_twenty_only(tmp_path):
    folder = tmp_path / "Song"
    t0 = 1_700_000_000
    for i in range(KEEP + 6):
        save_at(Project(name="Song", tempo=60 + i), folder, t0 + 60 * i)
    saves = kept(folder)
    assert len(saves) == KEEP == 20
    # newest first: the save before the current one is tempo 60+24, made at t0 + 24 min
    assert [load_save(folder, s).tempo for s in saves] == [60 + i for i in range(KEEP + 4, 4, -1)]
    assert [s.saved_s for s in saves] == [t0 + 60 * i for i in range(KEEP + 4, 4, -1)]
    assert load_project(folder).tempo == 60 + KEEP + 5


def test_saving_the_same_project_again_keeps_no_copy_of_it(tmp_path):
    folder = tmp_path / "Song"
    save_at(Project(name="Song"), folder, 1_700_000_000)
    save_at(Project(name="Song"), folder, 1_700_000_060)
    save_at(Project(name="Song"), folder, 1_700_000_120)
    assert len(kept(folder)) == 1                  # the same bytes are kept once


def test_a_save_that_is_not_one_of_ours_is_left_alone(tmp_path):
    folder = tmp_path / "Song"
    save_at(Project(name="Song", tempo=90), folder, 1_700_000_000)
    (folder / ".history").mkdir()
    (folder / ".history" / "notes.txt").write_text("mine")
    save_project(Project(name="Song", tempo=91), folder)
    assert [s.path.name for s in kept(folder)] == ["20231114T221320.000000Z.json"]
    assert (folder / ".history" / "notes.txt").read_text() == "mine"


def test_newest_good_skips_a_save_that_does_not_load(tmp_path):
    folder = tmp_path / "Song"
    for i, t in enumerate((1_700_000_000, 1_700_000_060, 1_700_000_120)):
        save_at(Project(name="Song", tempo=100 + i), folder, t)
    newest = kept(folder)[0]
    newest.path.write_text("{ not json")
    project, save = newest_good(folder)
    assert project.tempo == 100 and save == kept(folder)[1]


def make_song(folder, tempo=97):
    (folder / "samples").mkdir(parents=True)
    sf.write(folder / "samples" / "hit.wav", np.full((480, 2), 0.5), RATE)
    return Project(name="Song", tempo=tempo, tracks=[Track("Hit", sample="hit.wav")])


def test_a_project_that_does_not_load_opens_its_newest_good_save(tmp_path):
    folder = tmp_path / "Song"
    save_at(make_song(folder, 97), folder, 1_700_000_000)
    save_at(Project(name="Song", tempo=98, tracks=[Track("Hit", sample="hit.wav")]), folder, 1_700_000_060)
    (folder / "project.json").write_text('{"format": "reverie-project", "version": 2, "tempo": "fast"}')
    opened = open_project(folder, RATE, tmp_path / "factory")
    assert opened.project.tempo == 97 and opened.folder == folder
    assert opened.notice.startswith("Song did not load (") and opened.notice.endswith(
        f"opened its save of {kept(folder)[0].label}")
    assert "tempo" in opened.reason
    assert opened.sounds[0].data.shape == (480, 2)


def test_with_no_good_save_it_is_an_empty_project_at_start_and_a_refusal_on_the_page(tmp_path):
    folder = tmp_path / "Song"
    save_at(make_song(folder), folder, 1_700_000_000)
    (folder / "samples" / "hit.wav").write_bytes(b"RIFF nonsense")   # every save names it
    before = (folder / "project.json").read_bytes()
    opened = open_project(folder, RATE, tmp_path / "factory")
    assert opened.project == empty_project() and opened.folder is None
    assert opened.notice.startswith("Song did not load (") and opened.notice.endswith(
        "nor any save of it: an empty project")
    with pytest.raises(UserError, match="^Song did not load .*, nor any save of it$"):
        open_project(folder, RATE, tmp_path / "factory", empty=False)
    assert (folder / "project.json").read_bytes() == before          # nothing was written


def test_a_folder_with_no_project_at_all_is_refused(tmp_path):
    (tmp_path / "nothing").mkdir()
    with pytest.raises(UserError, match="no project at"):
        open_project(tmp_path / "nothing", RATE, tmp_path / "factory")


def test_the_empty_project_has_the_demos_sounds_and_no_steps():
    p = empty_project()
    assert p.name == "Untitled" and p.tracks and all(t.sample for t in p.tracks)
    assert not p.patterns and not p.chain and p.to_dict()["patterns"] == {}


def test_an_atomic_copy_that_fails_leaves_nothing_behind(tmp_path, monkeypatch):
    src = tmp_path / "a.wav"
    src.write_bytes(b"x" * 100_000)
    atomic_copy(src, tmp_path / "b.wav")
    assert (tmp_path / "b.wav").read_bytes() == src.read_bytes()

    def full(*_):
        raise OSError(28, "No space left on device")
    monkeypatch.setattr(os, "fsync", full)
    with pytest.raises(OSError):
        atomic_copy(src, tmp_path / "c.wav")
    assert sorted(os.listdir(tmp_path)) == ["a.wav", "b.wav"]


def test_a_history_file_is_the_project_json_it_replaced(tmp_path):
    folder = tmp_path / "Song"
    first = save_at(Project(name="Song", tempo=90), folder, 1_700_000_000)
    old = first.read_bytes()
    save_project(Project(name="Song", tempo=91), folder)
    assert kept(folder)[0].path.read_bytes() == old
    assert json.loads(old)["tempo"] == 90
