"""The GEN page: the generators from the panel, each one press and one undo step."""
from __future__ import annotations

from golden import assert_golden
from scenes import MINIMAL, groove, image, press, turn

from reverie.base.events import Key
from reverie.project import scales
from reverie.project.euclid import euclid, shown
from reverie.ui import effects as fx
from reverie.ui.context import Caps
from reverie.ui.machine import UI
from reverie.ui.status import Status


def gen(settings=None, caps=Caps()):
    u = UI(groove(), caps, settings=dict(settings or {"pads.scale": "minor", "pads.root": 9}))
    u.open_page("GEN")
    return u


def rhythm(u, track):
    tp = u.project.pattern_at("A01").tracks[track]
    return shown(s is not None and s.trig for s in tp.steps)


def test_turning_sets_the_rhythm_and_a_push_writes_it_into_the_focused_track():
    u = gen()
    press(u, "RIGHT")
    press(u, "RIGHT")                                   # T3
    turn(u, 1, -8)                                      # 8 steps
    turn(u, 0, -1)                                      # 3 pulses
    turn(u, 2, 1)                                       # rotated by one
    assert shown(u.page.view(u.context).rhythm) == ".x..x..x"
    out = press(u, "ENC1")
    assert out == [fx.PatternEdited("A01")]
    assert rhythm(u, 2) == ".x..x..x"
    assert u.context.message.startswith("E(3,8) into T3")
    u.handle(Key("FUNC", "press"))
    press(u, "LEFT")                                    # undo
    u.handle(Key("FUNC", "release"))
    assert rhythm(u, 2) == "." * 16


def test_melody_and_fill_from_enc4():
    u = gen()
    turn(u, 3, 1)                                       # MELODY
    press(u, "ENC4")
    notes = [s.notes[0] for s in u.project.pattern_at("A01").tracks[0].steps if s is not None and s.trig]
    assert notes and all(scales.contains(scales.BY_NAME["minor"], 9, n) for n in notes)
    assert "A minor" in u.context.message
    before = u.project.pattern_at("A01").tracks[0]
    turn(u, 3, 1)                                       # FILL
    press(u, "ENC4")
    assert u.project.pattern_at("A01").tracks[0] != before
    assert u.context.history.can_undo


def test_one_encoder_reaches_every_field():
    u = gen(caps=MINIMAL)
    turn(u, 0, -1)                                      # pulses
    u.handle(Key("ENC1", "press"))
    u.handle(Key("ENC1", "release"))
    turn(u, 0, -8)                                      # steps
    assert (u.page.view(u.context).pulses, u.page.view(u.context).steps) == (3, 8)
    assert shown(u.page.view(u.context).rhythm) == shown(euclid(3, 8))


def test_screen():
    u = gen()
    turn(u, 0, 1)
    turn(u, 2, 2)
    u.update(Status(), 10.0)
    assert_golden(image(u), "gen")


def test_screen_after_a_melody():
    u = gen({"pads.scale": "yaman", "pads.root": 2})
    turn(u, 3, 1)
    press(u, "ENC4")
    assert_golden(image(u), "gen-melody-notice")
