"""The sound page: screens from the instrument spec, turns as SetParam and one undo entry,
knobs, locks while steps are held, and its screens."""
from __future__ import annotations

import pytest
from golden import assert_golden
from scenes import MINIMAL, image, press, turn, ui

from reverie.base.events import Key, Knob, Pad
from reverie.sound.instruments import SAMPLER
from reverie.project import edit
from reverie.project.model import Project
from reverie.ui import effects as fx
from reverie.ui import selection
from reverie.ui.turning import turn as turned


def on_screen(name: str, caps=None):
    u = ui(caps) if caps else ui()
    press(u, "SOUND")
    for _ in range(10):
        if u.page.heading(u.context) == name:
            return u
        press(u, "RIGHT")
    raise AssertionError(f"no screen {name}")


def test_screens_come_from_the_instrument_spec_four_at_a_time():
    screens = selection.screens("sampler")
    assert [n for n, _ in screens] == ["SAMP 1/3", "SAMP 2/3", "SAMP 3/3", "AMP 1/2", "AMP 2/2",
                                       "FILT 1/3", "FILT 2/3", "FILT 3/3"]
    shown = [s.key for _, run in screens for s in run]
    assert shown == [s.key for s in SAMPLER if s.key != "sample"]
    assert all(1 <= len(run) <= 4 for _, run in screens)


def test_left_right_change_the_screen_within_bounds():
    u = ui()
    press(u, "SOUND")
    press(u, "LEFT")
    assert u.view().header.title == "PRST 1/9"               # the presets, left of the first
    press(u, "LEFT")
    assert u.view().header.title == "PRST 1/9"
    press(u, "RIGHT")
    assert u.view().header.title == "SAMP 1/3"
    for _ in range(12):
        press(u, "RIGHT")
    assert u.view().header.title == "FILT 3/3"
    rows = u.view().body.rows
    assert [r.label for r in rows] == ["DRV"]


def test_a_turn_sends_set_param_and_runs_of_turns_are_one_undo_entry():
    u = on_screen("FILT 1/3")
    out = turn(u, 1, -10)
    cutoff = SAMPLER["cutoff_hz"]
    want = turned(cutoff, 20000, -10)
    assert out == [fx.SetParam("track", 0, "cutoff_hz", want)]
    turn(u, 1, -5)
    turn(u, 1, -5)
    assert u.context.history.labels() == ["cutoff_hz T1"]
    value = u.project.tracks[0].params["cutoff_hz"]
    assert value < want
    assert u.view().body.rows[1].value == f"{value / 1000:.3g}kHz"
    assert u.context.undo() == [fx.ProjectEdited()]      # the parameter was not stored before
    assert u.project.tracks[0].params == {}
    assert u.context.redo() == [fx.SetParam("track", 0, "cutoff_hz", value)]


def test_choices_are_kept_by_name_and_turns_step_by_one():
    u = on_screen("FILT 1/3")
    assert turn(u, 0, 1) == [fx.SetParam("track", 0, "filter", "bandpass")]
    turn(u, 0, 5)
    assert u.project.tracks[0].params["filter"] == "highpass"


def test_steps_per_curve():
    u = on_screen("SAMP 1/3")
    turn(u, 0, 3)                                        # tune: semitones
    assert u.project.tracks[0].params["tune_st"] == 3
    u = on_screen("AMP 2/2")
    turn(u, 0, -4)                                       # level: half decibels
    assert u.project.tracks[0].params["level_db"] == -2
    u.handle(Key("FUNC", "press"))
    turn(u, 0, -1)                                       # FUNC: a tenth
    assert u.project.tracks[0].params["level_db"] == -2.05
    u = on_screen("AMP 1/2")
    turn(u, 1, 1)                                        # decay 500 ms: a few percent up
    assert 500 < u.project.tracks[0].params["decay_ms"] < 550


def test_a_turn_past_the_end_changes_nothing():
    u = on_screen("FILT 1/3")
    turn(u, 1, 100)
    before = u.project
    assert turn(u, 1, 5) == []
    assert u.project is before
    assert u.project.tracks[0].params["cutoff_hz"] == 20000


def test_knob_slots_set_the_instrument_page_absolutely():
    u = on_screen("FILT 2/3")
    out = u.handle(Knob(1, 0.0))                         # the filter page's 2nd: cutoff
    assert out == [fx.SetParam("track", 0, "cutoff_hz", 20.0)]
    u.handle(Knob(8, 0.5))
    assert u.project.tracks[0].params == {"cutoff_hz": 20.0}


def test_held_steps_lock_instead_of_changing_the_sound():
    u = ui()
    u.handle(Pad(4, 100))
    press(u, "SOUND")
    for _ in range(5):
        press(u, "RIGHT")
    assert u.view().header.title == "LOCK S5"
    out = turn(u, 2, 10)                                 # resonance
    assert out == [fx.PatternEdited("A01")]
    assert u.project.tracks[0].params == {}
    assert edit.get_step(u.project, "A01", 0, 4).locks == {"resonance": pytest.approx(10 / 128, abs=1e-4)}
    assert u.view().body.rows[2].marked
    u.handle(Pad(4, 0))
    assert not u.context.held_steps
    assert turn(u, 2, 1)[0].__class__ is fx.SetParam


def test_a_track_the_project_lacks_shows_why():
    u = ui(project=Project.from_dict({"format": "reverie-project", "version": 2}))
    press(u, "SOUND")
    assert u.view().body.note == "T1: no track in the project"
    assert turn(u, 0, 1) == []
    assert "not a track" in u.context.message


@pytest.mark.parametrize("caps", [MINIMAL, None], ids=["minimal", "reference"])
def test_every_parameter_is_reached_and_edited(caps):
    u = ui(caps) if caps else ui()
    press(u, "SOUND")
    for _ in selection.screens("sampler"):
        for k in range(u.page.fields(u.context)):
            turn(u, 0 if caps else k, 1)
            if caps:
                press(u, "ENC1")                         # the cursor to the next field
        if caps:
            u.handle(Key("ENC1", "press"))               # hold and turn: the next screen
            turn(u, 0, 1)
            u.handle(Key("ENC1", "release"))
        else:
            press(u, "RIGHT")
    assert set(u.project.tracks[0].params) == {s.key for s in SAMPLER if s.key != "sample"}


def test_screens():
    u = on_screen("FILT 1/3")
    turn(u, 1, -30)
    turn(u, 2, 20)
    assert_golden(image(u), "sound-filter")
    assert_golden(image(on_screen("AMP 1/2")), "sound-amp")
    m = on_screen("SAMP 1/3", caps=MINIMAL)
    press(m, "ENC1")
    assert_golden(image(m), "sound-minimal-cursor")
    h = ui()
    h.handle(Pad(14, 100))
    press(h, "SOUND")
    for _ in range(5):
        press(h, "RIGHT")
    assert_golden(image(h), "sound-lock")
