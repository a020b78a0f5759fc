"""MIDI learn on the UI side: FUNC held, a controller's knob moved, bound to the parameter on
the encoder turned last (or under the one-encoder cursor)."""
from reverie.base.events import PRESS, RELEASE, Control, Key, Knob, Turn
from reverie.project.demo import demo_project_path
from reverie.project.store import load_project
from reverie.ui import effects as fx
from reverie.ui.context import Caps
from reverie.ui.machine import UI


def ui(caps=Caps()):
    u = UI(load_project(demo_project_path()), caps)
    return u


def press(u, name):
    return u.handle(Key(name, PRESS, 1.0)) + u.handle(Key(name, RELEASE, 1.05))


def knob(u, cc=21):
    return u.handle(Control("Knobs", 0, cc, 64, 2.0))


def test_func_and_a_knob_learn_the_sound_parameter_turned_last():
    u = ui()
    press(u, "SOUND")
    u.handle(Turn(2, 1, 1.5))
    keys = [s for s in u.page._current(u.context)[1]]
    u.handle(Key("FUNC", PRESS, 1.9))
    effects = knob(u)
    assert effects == [fx.Learn("Knobs", 0, 21, keys[2].key, -1)]
    assert keys[2].key in u.context.message


def test_without_func_a_knob_nobody_mapped_does_nothing():
    u = ui()
    press(u, "SOUND")
    before = u.project
    assert knob(u) == [] and u.project is before


def test_the_mixer_learns_bus_parameters_and_a_learned_knob_then_sets_one():
    u = ui()
    press(u, "MIXER")
    u.handle(Turn(0, 1, 1.5))
    u.handle(Key("FUNC", PRESS, 1.9))
    assert knob(u) == [fx.Learn("Knobs", 0, 21, "bus.volume_db", -1)]
    u.handle(Key("FUNC", RELEASE, 2.1))
    effects = u.handle(Knob(-1, 0.0, key="bus.volume_db", t=2.5))
    assert effects == [fx.SetParam("bus", 0, "volume_db", -60.0)]


def test_a_page_without_parameters_says_so():
    u = ui()
    press(u, "SYSTEM")
    u.handle(Key("FUNC", PRESS, 1.9))
    assert knob(u) == []
    assert "nothing here to learn" in u.context.message


def test_one_encoder_learns_the_field_under_the_cursor():
    u = ui(Caps(encoders=1, keys=frozenset({"ENC1", "SHIFT", "PLAY"})))
    u.open_page("MIXER")
    u.context.focus = 1
    u.context.func = True
    assert knob(u) == [fx.Learn("Knobs", 0, 21, "bus.pan", -1)]

