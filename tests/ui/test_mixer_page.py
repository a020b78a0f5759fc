"""The mixer page: mutes and solos from the pads as bus parameters, the focused track's
volume, pan and sends, meters from the status, and its screen."""
from __future__ import annotations

from golden import assert_golden
from scenes import MINIMAL, hit, image, press, turn, ui

from reverie.base.events import Key, Knob, Pad
from reverie.ui import effects as fx
from reverie.ui.pages.mixer import meter
from reverie.ui.status import Status


def mixer(caps=None):
    u = ui(caps) if caps else ui()
    press(u, "MIXER")
    return u


def test_pads_toggle_mute_live_and_in_the_project():
    u = mixer()
    assert u.handle(Pad(2, 100)) == [fx.SetParam("bus", 2, "mute", 1)]
    assert u.handle(Pad(2, 0)) == []                       # no note-off for a mute pad
    assert u.project.tracks[2].bus["mute"] == 1
    assert u.view().body.strips[2].mute
    assert hit(u, 2) == [fx.SetParam("bus", 2, "mute", 0)]
    assert u.context.history.labels()[:2] == ["unmute T3", "mute T3"]
    u.context.undo()
    assert u.project.tracks[2].bus["mute"] == 1


def test_func_pad_solos_and_focuses_the_track():
    u = mixer()
    u.handle(Key("FUNC", "press"))
    assert hit(u, 4) == [fx.SetParam("bus", 4, "solo", 1)]
    assert u.context.track == 4
    assert u.view().body.strips[4].solo


def test_a_pad_for_a_track_the_project_lacks_is_refused():
    u = mixer()
    before = u.project
    assert hit(u, 12) == []
    assert u.project is before and "8 tracks" in u.context.message
    assert not u.view().body.strips[12].present


def test_the_encoders_set_volume_pan_and_sends_of_the_focused_track():
    u = mixer()
    press(u, "RIGHT")
    assert u.context.track == 1
    assert turn(u, 0, -4) == [fx.SetParam("bus", 1, "volume_db", -8.0)]
    turn(u, 1, 16)
    turn(u, 2, 32)
    turn(u, 3, 64)
    bus = u.project.tracks[1].bus
    assert (bus["pan"], bus["delay_send"], bus["reverb_send"]) == (0.25, 0.25, 0.5)
    assert u.view().body.field.label == "REV" and u.view().body.field.value == "0.5"
    turn(u, 1, -1)
    assert u.view().body.field.value == "R23"
    press(u, "LEFT")
    press(u, "LEFT")
    assert u.context.track == 0


def test_a_knob_sets_the_focused_track_absolutely():
    u = mixer()
    u.handle(Knob(0, 1.0))
    assert u.project.tracks[0].bus["volume_db"] == 6


def test_meters_come_from_the_status():
    u = mixer()
    u.update(Status(meters=(1.0, 0.5, 0.0) + (0.0,) * 13))
    strips = u.view().body.strips
    assert strips[0].meter == 1.0
    assert 0.85 < strips[1].meter < 0.9                   # -6 dB on a 48 dB scale
    assert strips[2].meter == 0.0
    assert meter(float("nan")) == 0.0 and meter(-1.0) == 0.0 and meter(4.0) == 1.0


def test_minimal_box_shows_and_edits_the_focused_field():
    u = mixer(MINIMAL)
    press(u, "ENC1")
    press(u, "ENC1")                                      # the cursor on the delay send
    field = u.view().body.field
    assert field.label == "DLY" and field.focus
    turn(u, 0, 8)
    assert u.project.tracks[0].bus["delay_send"] == 0.0625


def test_screen():
    u = mixer()
    hit(u, 2)
    u.handle(Key("FUNC", "press"))
    hit(u, 4)
    u.handle(Key("FUNC", "release"))
    turn(u, 1, -20)
    u.update(Status(playing=True, meters=(0.9, 0.5, 0.0, 0.1, 0.3, 0.05, 0.7, 1.2) + (0.0,) * 8,
                    steps=(3,) * 16))
    assert_golden(image(u), "mixer")
