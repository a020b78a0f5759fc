"""Autosave and the session file, driven tick by tick with an injected clock: a save within
autosave_s of the first edit, on the worker thread; the demo saved as a copy of one's own;
a failed save a notice that changes nothing and is tried again; the last save at stop never
dropped; safe mode writing nothing until the musician saves. And a kept save restored as
an edit that undo takes back."""
import threading
import time

import numpy as np
import pytest

from reverie.app.rig import build_rig
from reverie.control.autosave import Autosave
from reverie.control.jobs import Jobs
from reverie.control.session import Session, read_session, write_session
from reverie.project import mix_edit
from reverie.project.demo import demo_project_path
from reverie.project.saves import kept
from reverie.project.store import load_project, save_project
from reverie.sound.buses import make_engine
from reverie.ui import effects as fx

RATE = 48000


class Clock:
    def __init__(self):
        self.t = 100.0

    def __call__(self):
        return self.t


@pytest.fixture
def rig(tmp_path):
    r = build_rig(make_engine(RATE), load_project(demo_project_path()), demo_project_path(),
                  rate=RATE, period=128, library=tmp_path / "projects", factory_dir=tmp_path / "factory")
    r.control.hooks = []            # no listing jobs: the worker runs only what autosave hands it
    yield r
    r.jobs.close()


def autosave(rig, tmp_path, seconds=30, held=False):
    clock = Clock()
    return Autosave(rig, seconds, tmp_path / "session.json", clock=clock, held=held), clock


def tick(a, clock, at):
    """The control loop at time `at`: the hook, then whatever the worker finished."""
    clock.t = at
    a(None)
    a.rig.jobs.wait(timeout=30)
    a.rig.jobs.poll()


def edit(rig, bpm):
    rig.applier.apply(rig.ui.context.edit(mix_edit.set_tempo, bpm))


def test_an_edit_is_saved_within_autosave_s_of_it_and_not_before(rig, tmp_path):
    a, clock = autosave(rig, tmp_path, 30)
    tick(a, clock, 100)
    edit(rig, 97)
    tick(a, clock, 101)                       # the edit is seen at 101: its deadline is 131
    tick(a, clock, 130.9)
    assert not (tmp_path / "projects").exists() and a.saves == 0
    tick(a, clock, 131)
    saved = tmp_path / "projects" / "Demo-groove"
    assert load_project(saved).tempo == 97 and a.saves == 1
    assert rig.folder == saved and rig.saved_revision == rig.ui.context.history.revision
    assert rig.applier.notice == ""           # an autosave says nothing when it works
    tick(a, clock, 500)
    assert a.saves == 1                       # nothing new: nothing saved


def test_edits_that_never_stop_are_still_saved_every_autosave_s(rig, tmp_path):
    a, clock = autosave(rig, tmp_path, 30)
    for i in range(100):                      # an edit every second for 100 s
        edit(rig, 60 + i)
        tick(a, clock, 100 + i)
    assert a.saves == 3                       # at 130, 161 and 192 s (each deadline from the next edit)
    assert load_project(rig.folder).tempo == 60 + 92


def test_autosave_0_never_saves(rig, tmp_path):
    a, clock = autosave(rig, tmp_path, 0)
    edit(rig, 97)
    for t in (100, 1000, 100000):
        tick(a, clock, t)
    assert a.saves == 0 and not (tmp_path / "projects").exists()


def test_the_demo_autosaves_into_a_folder_of_its_own_never_over_another_project(rig, tmp_path):
    other = tmp_path / "projects" / "Demo-groove"
    save_project(load_project(demo_project_path()), other)
    before = (other / "project.json").read_bytes()
    a, clock = autosave(rig, tmp_path, 1)
    edit(rig, 97)
    tick(a, clock, 100)
    tick(a, clock, 101)
    assert rig.folder == tmp_path / "projects" / "Demo-groove-2"
    assert load_project(rig.folder).tempo == 97
    assert (other / "project.json").read_bytes() == before
    assert (demo_project_path() / "project.json").read_text().count('"tempo": 104') == 1
    edit(rig, 98)                             # the box goes on from its copy
    tick(a, clock, 102)
    tick(a, clock, 103)
    assert load_project(rig.folder).tempo == 98 and len(kept(rig.folder)) == 1


def test_a_failed_save_is_a_notice_nothing_changes_and_it_is_tried_again(rig, tmp_path, monkeypatch):
    a, clock = autosave(rig, tmp_path, 10)
    edit(rig, 97)
    tick(a, clock, 100)
    tick(a, clock, 110)
    saved = rig.folder / "project.json"
    before = saved.read_bytes()
    real = __import__("reverie.base.files", fromlist=["x"]).atomic_path

    def full_disk(path):
        raise OSError(28, "No space left on device")
    monkeypatch.setattr("reverie.project.store.atomic_path", full_disk)
    edit(rig, 98)
    tick(a, clock, 111)
    tick(a, clock, 121)
    assert a.failures == 1 and "autosave failed" in rig.applier.notice
    assert "No space left on device" in rig.applier.notice
    assert saved.read_bytes() == before and rig.saved_revision < rig.ui.context.history.revision
    rig.applier.notice = ""
    tick(a, clock, 130.9)
    assert a.failures == 1                    # not before autosave_s after the failure
    monkeypatch.setattr("reverie.project.store.atomic_path", real)
    tick(a, clock, 131)
    assert a.saves == 2 and load_project(rig.folder).tempo == 98


def test_the_session_keeps_the_folder_the_pattern_and_the_page(rig, tmp_path):
    a, clock = autosave(rig, tmp_path, 1)
    tick(a, clock, 100)
    assert read_session(tmp_path / "session.json") == Session(None, "A01", "PATTERN")   # the demo: no folder
    rig.applier.apply(rig.ui.open_page("SOUND"))
    tick(a, clock, 100.5)
    assert read_session(tmp_path / "session.json").page == "PATTERN"   # at most once a second
    tick(a, clock, 101)
    assert read_session(tmp_path / "session.json").page == "SOUND"
    edit(rig, 97)
    tick(a, clock, 102)
    tick(a, clock, 103)
    # inside the data directory: relative, so the directory can move
    assert read_session(tmp_path / "session.json") == Session("projects/Demo-groove", "A01", "SOUND")


def test_final_queues_the_last_save_and_closing_the_jobs_waits_for_it(rig, tmp_path):
    a, clock = autosave(rig, tmp_path, 30)
    tick(a, clock, 100)
    edit(rig, 97)
    a.final()
    rig.jobs.close()
    assert load_project(tmp_path / "projects" / "Demo-groove").tempo == 97
    assert read_session(tmp_path / "session.json").project == "projects/Demo-groove"


def test_held_writes_nothing_until_the_musician_saves(rig, tmp_path):
    write_session(tmp_path / "session.json", Session("/somewhere/else", "B02", "MIXER"))
    before = (tmp_path / "session.json").read_bytes()
    a, clock = autosave(rig, tmp_path, 1, held=True)
    rig.disk.on_saved = a.release
    edit(rig, 97)
    for t in (100, 101, 200):
        tick(a, clock, t)
    a.final()
    rig.jobs.wait()
    assert not (tmp_path / "projects").exists() and (tmp_path / "session.json").read_bytes() == before
    rig.applier.apply([fx.SaveProject("Mine")])
    rig.jobs.wait(timeout=30)
    tick(a, clock, 300)
    assert not a.held and read_session(tmp_path / "session.json").project.endswith("projects/Mine")


def test_closing_the_jobs_cancels_what_has_not_started_but_never_a_save():
    jobs = Jobs()
    gate, ran = threading.Event(), []
    jobs.run("slow", lambda: gate.wait(5), lambda _: None)
    jobs.run("listing", lambda: ran.append("listing"), lambda _: None)
    jobs.run("save", lambda: (time.sleep(0.2), ran.append("save")), lambda _: None, keep=True)
    threading.Timer(0.1, gate.set).start()
    assert jobs.close(timeout=5)
    assert ran == ["save"]


def test_a_kept_save_is_restored_as_one_edit_that_undo_takes_back(rig, tmp_path):
    a, clock = autosave(rig, tmp_path, 1)
    for i, bpm in enumerate((90, 91, 92)):
        edit(rig, bpm)
        tick(a, clock, 100 + 2 * i)
        tick(a, clock, 101 + 2 * i)
    assert load_project(rig.folder).tempo == 92
    rig.applier.apply([fx.ListSaves()])
    rig.jobs.wait(timeout=30)
    saves = rig.ui.context.saves
    assert len(saves) == 2                    # the saves before the current one: 91, then 90
    rig.applier.apply([fx.RestoreSave(saves[1][0])])
    rig.jobs.wait(timeout=30)
    rig.engine.render(np.zeros((128, 2), np.float32))
    assert rig.ui.project.tempo == 90 and rig.sequencer.project is rig.ui.project
    assert rig.ui.context.history.undo_label == f"undo: restore {saves[1][1]}"
    assert "restored the save of" in rig.applier.notice
    rig.applier.apply(rig.ui.context.undo())
    assert rig.ui.project.tempo == 92
    assert load_project(rig.folder).tempo == 92   # restoring changed no file: it is an edit
