"""Loading and saving project folders: round trip, atomic writes, and bad files rejected
with one line while what was there before stays as it was."""
import copy
import json
import os

import numpy as np
import pytest
import soundfile as sf

from reverie.base.errors import UserError
from reverie.project.model import Project
from reverie.project.store import dumps, load_project, save_project


def make_project(folder, **changes):
    """A saved project with one WAV in its samples folder; returns its folder."""
    (folder / "samples").mkdir(parents=True, exist_ok=True)
    sf.write(folder / "samples" / "click.wav", np.zeros((32, 2)), 48000)
    d = {"format": "reverie-project", "version": 1, "name": "Saved", "tempo": 97.5,
         "tracks": [{"name": "Click", "sample": "click.wav", "params": {"level_db": -6},
                     "steps": [{"note": 60, "velocity": 100, "length": 1}]}]}
    d.update(changes)
    (folder / "project.json").write_text(json.dumps(d))
    return folder


def load_error(path) -> str:
    with pytest.raises(UserError) as info:
        load_project(path)
    message = str(info.value)
    assert "\n" not in message and "Traceback" not in message
    return message


def test_save_then_load_gives_the_same_project(tmp_path):
    p = load_project(make_project(tmp_path / "a"))
    file = save_project(p, tmp_path / "b")
    assert file == tmp_path / "b" / "project.json"
    assert (tmp_path / "b" / "samples").is_dir()
    (tmp_path / "b" / "samples" / "click.wav").write_bytes((tmp_path / "a" / "samples" / "click.wav").read_bytes())
    assert load_project(tmp_path / "b") == p
    assert load_project(file) == p   # the project.json path works too
    assert file.read_text() == dumps(p.to_dict())
    assert sorted(os.listdir(tmp_path / "b")) == ["project.json", "samples"]   # no temp left


def test_saved_json_is_plain_json(tmp_path):
    p = load_project(make_project(tmp_path / "a"))
    data = json.loads(save_project(p, tmp_path / "b").read_text())
    assert data["format"] == "reverie-project" and data["version"] == 3   # saved in the newest version
    assert data == p.to_dict()


BAD_FILES = {
    "malformed": ('{"format": "reverie-project", "version": 1,,}', "not valid JSON (Expecting"),
    "not utf-8": (b"\xff\xfe{}", "not UTF-8 text"),
    "wrong tag": ('{"format": "reverie-kit", "version": 1}', "this is not a Reverie project"),
    "version": ('{"format": "reverie-project", "version": 9}', "project version 9 is not supported"),
    "unknown": ('{"format": "reverie-project", "version": 1, "bpm": 1}', "unknown key bpm; known: format, version, name, tempo, pattern_length, loops, master, tracks"),
    "range": ('{"format": "reverie-project", "version": 1, "tempo": 1000}', "tempo = 1000 is outside"),
    "nan": ('{"format": "reverie-project", "version": 1, "tempo": NaN}', "NaN is not a number"),
    "twice": ('{"format": "reverie-project", "version": 1, "tempo": 90, "tempo": 91}', "'tempo' appears twice"),
    "deep": ("[" * 100_000 + "]" * 100_000, "nested more than 32 deep"),
    "digits": ('{"format": "reverie-project", "version": 1, "tempo": %s}' % ("1" * 5000),
               "a number of 5000 digits is too long (at most 30)"),
    "tracks": ('{"format": "reverie-project", "version": 1, "tracks": [%s]}' % ",".join(["{}"] * 17),
               "tracks must be a list of at most 16 tracks, not a list of 17 items"),
    "steps": ('{"format": "reverie-project", "version": 1, "pattern_length": 4, '
              '"tracks": [{"steps": [null, null, null, null, null]}]}', "has 5 steps but pattern_length is 4"),
    "no sample": ('{"format": "reverie-project", "version": 1, "tracks": [{"sample": "gone.wav"}]}',
                  "tracks[0].sample 'gone.wav' is not in "),
    "no factory": ('{"format": "reverie-project", "version": 1, "tracks": [{"sample": "factory:cowbell"}]}',
                   "tracks[0].sample 'factory:cowbell' is not in the factory kit; known: factory:kick"),
}


@pytest.mark.parametrize("case", BAD_FILES)
def test_a_bad_file_is_refused_and_nothing_changes(tmp_path, case):
    good_folder = make_project(tmp_path / "good")
    good = load_project(good_folder)
    before = copy.deepcopy(good)
    good_bytes = (good_folder / "project.json").read_bytes()
    content, expected = BAD_FILES[case]
    bad = tmp_path / "bad"
    (bad / "samples").mkdir(parents=True)
    raw = content if isinstance(content, bytes) else content.encode()
    (bad / "project.json").write_bytes(raw)
    message = load_error(bad)
    assert message.startswith(f"{bad / 'project.json'}: ")
    assert expected in message
    assert good == before
    assert (good_folder / "project.json").read_bytes() == good_bytes
    assert (bad / "project.json").read_bytes() == raw


def test_no_project_here(tmp_path):
    assert load_error(tmp_path) == (f"no project at {tmp_path}: give a folder holding "
                                    "project.json, or the file itself")


def test_an_invalid_model_is_never_saved(tmp_path):
    folder = make_project(tmp_path / "p")
    before = (folder / "project.json").read_bytes()
    p = load_project(folder)
    p.tempo = 999
    with pytest.raises(UserError, match="tempo = 999 is outside"):
        save_project(p, folder)
    assert (folder / "project.json").read_bytes() == before
    assert sorted(os.listdir(folder)) == ["project.json", "samples"]


def test_a_failed_write_keeps_the_old_file_and_no_temp(tmp_path, monkeypatch):
    folder = make_project(tmp_path / "p")
    before = (folder / "project.json").read_bytes()
    p = load_project(folder)
    p.name = "Changed"

    def full_disk(src, dst):
        raise OSError(28, "No space left on device")

    monkeypatch.setattr(os, "replace", full_disk)
    with pytest.raises(UserError, match="No space left on device"):
        save_project(p, folder)
    assert (folder / "project.json").read_bytes() == before
    # the copy of the old file into .history failed first: its folder stays, empty
    assert sorted(os.listdir(folder)) == [".history", "project.json", "samples"]
    assert os.listdir(folder / ".history") == []


def test_save_fsyncs_the_file_and_the_folder(tmp_path, monkeypatch):
    synced = []
    real_fsync = os.fsync
    monkeypatch.setattr(os, "fsync", lambda fd: (synced.append(fd), real_fsync(fd)))
    save_project(Project(name="Synced"), tmp_path / "p")
    assert len(synced) == 2
    assert load_project(tmp_path / "p") == Project(name="Synced")
