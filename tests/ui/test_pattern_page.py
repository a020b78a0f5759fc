"""The pattern page: pads toggle steps, held steps edited by layers and locked, the step
pages of a long track, the four encoders with nothing held, and its screens."""
from __future__ import annotations

from golden import assert_golden
from scenes import MINIMAL, hit, image, playing, press, turn, ui

from reverie.base.events import Key, Knob, Pad
from reverie.project import edit
from reverie.project.pattern import Retrig, Step
from reverie.ui import effects as fx


def step(u, index, track=0):
    return edit.get_step(u.project, "A01", track, index)


def test_a_pad_on_an_empty_step_adds_a_trig_at_once():
    u = ui()
    assert u.handle(Pad(1, 100, 0.0)) == [fx.PatternEdited("A01")]
    assert step(u, 1) == Step()
    assert u.handle(Pad(1, 0, 0.1)) == []
    assert step(u, 1) == Step()


def test_a_pad_on_a_trig_clears_it_when_let_go():
    u = ui()
    assert u.handle(Pad(0, 100, 0.0)) == []
    assert step(u, 0) is not None
    assert u.handle(Pad(0, 0, 0.1)) == [fx.PatternEdited("A01")]
    assert step(u, 0) is None


def test_holding_a_pad_and_turning_edits_the_step_and_keeps_it():
    u = ui()
    u.handle(Pad(4, 100, 0.0))
    out = turn(u, 1, -20)                              # TRIG layer: velocity
    assert out == [fx.PatternEdited("A01")]
    assert step(u, 4).velocity == 80
    turn(u, 0, 7)                                      # note
    turn(u, 2, 1)                                      # length: 1 -> 1.5 steps
    turn(u, 3, -6)                                     # micro
    u.handle(Pad(4, 0, 2.0))                           # long, but it was an edit: stays, no page
    s = step(u, 4)
    assert (s.notes, s.velocity, s.length, s.micro) == ((67,), 80, 1.5, -6)
    assert u.page_name == "PATTERN"


def test_turns_while_holding_are_one_undo_entry_per_field():
    u = ui()
    before = u.project
    u.handle(Pad(4, 100))
    for _ in range(5):
        turn(u, 1, -1)
    u.handle(Pad(4, 0))
    assert u.context.history.labels() == ["set velocity A01 T1 S5"]
    u.context.undo()
    assert u.project == before


def test_holding_two_steps_edits_both():
    u = ui()
    u.handle(Pad(0, 100))
    u.handle(Pad(8, 100))
    out = turn(u, 1, -10)
    assert out == [fx.PatternEdited("A01")]
    assert step(u, 0).velocity == step(u, 8).velocity == 90
    assert u.view().body.info == "S1+1 TRIG"


def test_the_more_layer_sets_probability_condition_and_retrig():
    u = ui()
    u.handle(Pad(4, 100))
    press(u, "RIGHT")
    assert u.view().body.info == "S5 MORE"
    turn(u, 0, -25)
    turn(u, 1, 9)                                      # past none and the 8 named ones: 1:2
    turn(u, 2, 4)                                      # off, 1, 2, 3, 4 per step
    turn(u, 3, -3)                                     # 1, 3/4, 2/3, 1/2 step
    s = step(u, 4)
    assert (s.prob, s.cond) == (75, "1:2")
    assert s.retrig == Retrig(rate=4, length=0.5)


def test_the_accent_layer_sets_accent_and_slide_on_every_held_step():
    u = ui()
    u.handle(Pad(4, 100))
    u.handle(Pad(6, 100))
    press(u, "RIGHT")
    press(u, "RIGHT")
    assert u.view().body.info == "S5+1 ACCENT"
    turn(u, 0, 1)
    turn(u, 1, 1)
    assert all((step(u, i).accent, step(u, i).slide) == (True, True) for i in (4, 6))
    assert [f.value for f in u.view().body.fields] == ["on", "on"]
    assert_golden(image(u), "pattern-accent-held")
    turn(u, 1, -1)
    assert all((step(u, i).accent, step(u, i).slide) == (True, False) for i in (4, 6))


def test_a_refused_field_shows_why_and_changes_nothing():
    u = ui()
    u.handle(Pad(4, 100))
    press(u, "RIGHT")
    before = u.project
    assert turn(u, 3, 1) == []                         # retrig length without a retrig
    assert u.project is before
    assert "retrig" in u.context.message and "RTRG" in u.context.message


def test_the_lock_layers_lock_the_sound_on_held_steps():
    u = ui()
    u.handle(Pad(4, 100))
    for _ in range(3 + 5):                             # TRIG, MORE, ACCENT, SAMP 1..3, AMP 1..2
        press(u, "RIGHT")
    assert u.view().body.info == "S5 FILT 1/3"
    out = turn(u, 1, -10)                              # cutoff, from the track's 20 kHz
    assert out == [fx.PatternEdited("A01")]
    lock = step(u, 4).locks["cutoff_hz"]
    assert 10000 < lock < 20000
    assert u.project.tracks[0].params == {}            # the sound itself is unchanged
    field = u.view().body.fields[1]
    assert field.label == "FREQ" and field.marked
    turn(u, 0, 1)                                      # a choice is kept by name
    assert step(u, 4).locks["filter"] == "bandpass"


def test_long_press_opens_the_step_page_on_that_step():
    u = ui()
    u.handle(Pad(6, 100, 1.0))
    u.handle(Pad(6, 0, 1.6))
    assert u.page_name == "STEP"
    assert u.context.step == 6
    assert step(u, 6) == Step()                        # the press added it; the hold kept it


def test_a_long_track_has_step_pages():
    u = ui()
    u.handle(Key("FUNC", "press"))
    hit(u, 1)                                          # the snare: 32 steps
    u.handle(Key("FUNC", "release"))
    v = u.view().body
    assert (v.page, v.pages) == (0, 2)
    press(u, "RIGHT")
    press(u, "RIGHT")
    v = u.view().body
    assert (v.page, v.pages) == (1, 2)
    hit(u, 4)                                          # step 21 has a trig: cleared
    assert step(u, 20, track=1) is None
    press(u, "LEFT")
    assert u.view().body.page == 0


def test_a_pad_past_the_track_end_is_refused():
    u = ui()
    turn(u, 2, -8)                                     # the kick: 8 steps
    before = u.project
    assert u.handle(Pad(12, 100)) == []
    assert u.project is before
    assert "8 steps" in u.context.message
    assert u.view().body.cells[12:] == (4, 4, 4, 4)


def test_the_encoders_with_nothing_held():
    u = ui()
    assert turn(u, 0, 3) == [fx.Tempo(123)]
    turn(u, 0, 2)
    assert u.context.history.labels() == ["tempo"]
    turn(u, 1, 4)
    assert u.project.pattern_at("A01").swing == 54
    turn(u, 2, 16)
    turn(u, 3, -2)
    p = u.project.pattern_at("A01")
    assert (p.tracks[0].length, p.tracks[0].speed) == (32, "1/2")
    assert p.length == 64                              # grown to hold one pass of the kick
    u.handle(Key("FUNC", "press"))
    turn(u, 2, -32)
    assert u.project.pattern_at("A01").length == 32
    turn(u, 0, 1)
    assert u.project.tempo == 125.1                    # FUNC: a tenth of a BPM


def test_a_knob_sets_a_field_absolutely():
    u = ui()
    u.handle(Knob(1, 1.0))
    assert u.project.pattern_at("A01").swing == 75
    u.handle(Knob(0, 0.0))
    assert u.project.tempo == 20


def test_recording_while_playing_makes_pads_play_instead_of_toggle():
    u = ui()
    press(u, "REC")
    playing(u, {5: 2})
    out = u.handle(Pad(5, 100, 1.0))
    assert fx.PlayNote(5, 60, 100, 1.0) in out
    assert edit.get_step(u.project, "A01", 5, 2).notes == (60,)
    assert step(u, 5) is None                          # the kick's step 6 is untouched


def test_minimal_box_holds_a_step_and_edits_the_focused_field():
    u = ui(MINIMAL)
    u.handle(Pad(4, 100))
    press(u, "ENC1")                                   # the cursor: velocity
    turn(u, 0, -30)
    assert step(u, 4).velocity == 70
    u.handle(Key("ENC1", "press"))
    turn(u, 0, 1)                                      # hold and turn: the next layer
    u.handle(Key("ENC1", "release"))
    assert u.view().body.info == "S5 MORE"


def test_screens():
    u = ui()
    assert_golden(image(u), "pattern")
    playing(u, {0: 4})
    assert_golden(image(u), "pattern-playing")
    u.handle(Pad(14, 100))
    assert_golden(image(u), "pattern-step-held")
    for _ in range(8):
        press(u, "RIGHT")
    assert_golden(image(u), "pattern-lock-held")
    u = ui()
    u.handle(Key("FUNC", "press"))
    hit(u, 1)
    u.handle(Key("FUNC", "release"))
    press(u, "RIGHT")
    assert_golden(image(u), "pattern-page-2")
    m = ui(MINIMAL)
    press(m, "ENC1")
    press(m, "ENC1")
    assert_golden(image(m), "pattern-minimal-cursor")
