"""What the settings page's pad settings do to playing: the scale lock and fixed velocity."""
from reverie.base.events import PRESS, RELEASE, Key
from reverie.project.demo import demo_project_path
from reverie.project.store import load_project
from reverie.ui import effects as fx
from reverie.ui.machine import UI


def press(u, name):
    return u.handle(Key(name, PRESS, 1.0)) + u.handle(Key(name, RELEASE, 1.05))


def test_the_scale_lock_plays_a_keyboard_note_outside_the_scale_as_the_one_below():
    from reverie.base.events import Note

    u = UI(load_project(demo_project_path()), settings={"pads.scale": "minor pent", "pads.root": 9})
    (on,) = [e for e in u.handle(Note(61, 90, 1.0)) if isinstance(e, fx.PlayNote)]
    assert on.note == 60                      # C# is not in A minor pentatonic; C is
    (on,) = [e for e in u.handle(Note(64, 90, 1.1)) if isinstance(e, fx.PlayNote)]
    assert on.note == 64                      # E is


def test_fixed_velocity_plays_every_pad_hit_alike():
    from reverie.base.events import Pad

    u = UI(load_project(demo_project_path()), settings={"pads.velocity": "fixed"})
    press(u, "SOUND")
    (on,) = [e for e in u.handle(Pad(3, 17, 1.0)) if isinstance(e, fx.PlayNote)]
    assert on.velocity == 100
