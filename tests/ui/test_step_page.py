"""The step page: every field of one step, chord notes, retrig, locks added and removed,
moving between steps, and the way back."""
from __future__ import annotations

from golden import assert_golden
from scenes import MINIMAL, image, press, turn, ui

from reverie.base.events import Key, Pad
from reverie.project import edit
from reverie.project.pattern import Retrig, Step
from reverie.ui import effects as fx


def on_step(index: int, caps=None, track: int = 0):
    u = ui(caps) if caps else ui()
    if track:
        u.handle(Key("FUNC", "press"))
        u.handle(Pad(track, 100))
        u.handle(Pad(track, 0))
        u.handle(Key("FUNC", "release"))
    u.handle(Pad(index, 100, 0.0))
    u.handle(Pad(index, 0, 0.6))
    assert u.page_name == "STEP" and u.context.step == index
    return u


def line(u, label: str) -> None:
    """Moves the cursor to the line labelled `label`."""
    labels = [lbl for lbl, _, _ in u.view().body.lines]
    turn(u, 0, labels.index(label) - u.view().body.cursor)
    assert u.view().body.lines[u.view().body.cursor][0] == label


def step(u, index, track=0):
    return edit.get_step(u.project, "A01", track, index)


def test_it_shows_every_field_of_the_step():
    u = on_step(14)
    labels = [lbl for lbl, _, _ in u.view().body.lines]
    assert labels == ["TRIG", "N1", "N2", "VEL", "LEN", "MICR", "PROB", "COND", "RTRG", "RLEN",
                      "RAMP", "ACNT", "SLID", "FREQ", "+LOCK"]
    values = dict((lbl, v) for lbl, v, _ in u.view().body.lines)
    assert (values["VEL"], values["FREQ"], values["N1"], values["N2"]) == ("60", "800Hz", "C4", "-")
    assert (values["ACNT"], values["SLID"]) == ("off", "off")


def test_accent_and_slide_turn_on_and_off():
    u = on_step(0)
    line(u, "ACNT")
    assert turn(u, 1, 1) == [fx.PatternEdited("A01")]
    line(u, "SLID")
    turn(u, 1, 2)
    assert (step(u, 0).accent, step(u, 0).slide) == (True, True)
    assert dict((lbl, v) for lbl, v, _ in u.view().body.lines)["SLID"] == "on"
    turn(u, 1, -1)
    assert (step(u, 0).accent, step(u, 0).slide) == (True, False)
    assert step(u, 0).to_dict() == {"accent": True}


def test_each_field_turns_and_is_one_undo_entry():
    u = on_step(0)
    for label, detents in (("VEL", -10), ("LEN", -3), ("MICR", 5), ("PROB", -30), ("COND", 10),
                           ("RTRG", 3), ("RLEN", -1), ("RAMP", -4)):
        line(u, label)
        out = turn(u, 1, detents)
        assert out == [fx.PatternEdited("A01")]
    s = step(u, 0)
    assert (s.velocity, s.length, s.micro, s.prob, s.cond) == (90, 0.5, 5, 70, "2:2")
    assert s.retrig == Retrig(rate=3, length=0.75, vel_ramp=-0.2)
    assert len(u.context.history.labels()) == 8
    line(u, "VEL")
    turn(u, 1, 1)
    turn(u, 1, 1)
    assert len(u.context.history.labels()) == 9


def test_chord_notes_are_added_by_turning_and_removed_by_a_push():
    u = on_step(0)
    line(u, "N2")
    turn(u, 1, 4)
    assert step(u, 0).notes == (60, 64)
    line(u, "N3")
    turn(u, 1, 3)
    assert step(u, 0).notes == (60, 64, 67)
    line(u, "N2")
    turn(u, 1, 3)                                       # 67 is taken: on to 68
    assert step(u, 0).notes == (60, 68, 67)
    press(u, "ENC2")
    assert step(u, 0).notes == (60, 67)
    line(u, "N1")
    press(u, "ENC2")
    press(u, "ENC2")
    assert step(u, 0).notes == (67,)
    assert u.context.message == "a trig plays at least one note"


def test_trig_line_turns_off_and_on_and_a_push_clears_the_step():
    u = on_step(0)
    turn(u, 1, -1)
    assert step(u, 0).trig is False and u.view().body.state == "off"
    turn(u, 1, 1)
    assert step(u, 0).trig is True
    press(u, "ENC2")
    assert step(u, 0) is None and u.view().body.state == "empty"


def test_an_empty_step_gets_a_trig_from_the_trig_line_and_refuses_other_fields():
    u = on_step(2)
    u.context.undo()                                     # the long press had added the trig
    assert step(u, 2) is None
    line(u, "VEL")
    before = u.project
    assert turn(u, 1, 5) == []
    assert u.project is before and "empty" in u.context.message
    line(u, "TRIG")
    assert turn(u, 1, 1) == [fx.PatternEdited("A01")]
    assert step(u, 2) == Step()


def test_locks_are_added_turned_and_removed():
    u = on_step(0)
    line(u, "+LOCK")
    turn(u, 1, 19)                                       # TUNE, FINE, ... to the 20th: FREQ
    assert u.view().body.lines[-1][1] == "FREQ"
    press(u, "ENC2")
    assert step(u, 0).locks == {"cutoff_hz": 20000}
    line(u, "FREQ")
    assert u.view().body.lines[u.view().body.cursor][2]  # marked as a lock
    turn(u, 1, -20)
    assert step(u, 0).locks["cutoff_hz"] < 20000
    press(u, "ENC2")
    assert step(u, 0).locks == {}


def test_left_right_and_enc3_move_between_steps_within_the_track():
    u = on_step(14)
    press(u, "RIGHT")
    assert u.context.step == 15
    press(u, "RIGHT")
    assert u.context.step == 15
    turn(u, 2, -5)
    assert u.context.step == 10
    assert u.view().body.step == 10


def test_the_pattern_key_goes_back():
    u = on_step(3)
    press(u, "PATTERN")
    assert u.page_name == "PATTERN"


def test_minimal_box_edits_through_the_cursor():
    u = on_step(0, caps=MINIMAL)
    turn(u, 0, 3)                                        # focus 0: the line cursor
    assert u.view().body.lines[u.view().body.cursor][0] == "VEL"
    press(u, "ENC1")
    turn(u, 0, -5)
    assert step(u, 0).velocity == 95
    press(u, "ENC1")
    turn(u, 0, 2)                                        # focus 2: the step
    assert u.context.step == 2


def test_screens():
    u = on_step(14)
    assert_golden(image(u), "step-page")
    line(u, "FREQ")
    assert_golden(image(u), "step-page-locks")
    m = on_step(0, caps=MINIMAL, track=5)
    turn(m, 0, 2)
    press(m, "ENC1")
    assert_golden(image(m), "step-page-chord-minimal")
