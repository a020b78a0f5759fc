"""The surface's duties each control tick: grid LEDs follow the UI, FUNC puts the controllers
in learn mode, a Learn effect is bound and written to the learn file on the worker."""
from types import SimpleNamespace

import pytest

from reverie.app.config import Config
from reverie.control.jobs import Jobs
from reverie.base.errors import UserError
from reverie.base.events import PRESS, RELEASE, Grid, Key
from reverie.hal.box import load_box
from reverie.hal.controllers.learn import LearnMap
from reverie.project.demo import demo_project_path
from reverie.project.store import load_project
from reverie.app.surface import Surface
from reverie.ui import effects as fx
from reverie.ui.machine import UI


class Controllers:
    """The ControllerManager's side the surface uses, recording what it is told."""

    def __init__(self):
        self.learn = LearnMap()
        self.learning = False
        self.grids = []

    def set_grid(self, cells):
        self.grids.append(cells)

    def set_learning(self, on):
        self.learning = on


@pytest.fixture
def surface(tmp_path):
    config = Config()
    s = Surface(load_box("minimal"), config, lambda e: None, lambda: None, None)
    s.learn_file = tmp_path / "learn.toml"
    s.controllers = Controllers()
    return s


def test_the_grid_follows_the_ui_and_is_sent_only_when_it_changes(surface):
    ui = UI(load_project(demo_project_path()))
    surface.follow(ui)
    surface.follow(ui)
    assert len(surface.controllers.grids) == 1
    first = surface.controllers.grids[0]
    ui.handle(Grid(1, 0, True, 1.0))
    ui.handle(Grid(1, 0, False, 1.1))
    surface.follow(ui)
    assert len(surface.controllers.grids) == 2 and surface.controllers.grids[1] != first


def test_func_held_puts_the_controllers_in_learn_mode(surface):
    ui = UI(load_project(demo_project_path()))
    ui.handle(Key("FUNC", PRESS, 1.0))
    surface.follow(ui)
    assert surface.controllers.learning
    ui.handle(Key("FUNC", RELEASE, 1.2))
    surface.follow(ui)
    assert not surface.controllers.learning


def test_a_learned_knob_is_kept_in_the_learn_file(surface):
    jobs = Jobs()
    surface.learn(fx.Learn("Knobs 20:0", 0, 21, "cutoff_hz", -1), jobs)
    jobs.wait()
    again = LearnMap()
    again.load(surface.learn_file)
    (binding,) = again.items()
    assert (binding.device, binding.control, binding.key) == ("Knobs", 21, "cutoff_hz")
    with pytest.raises(UserError, match="MIDI learn"):
        surface.learn(fx.Learn("Knobs", 0, 200, "cutoff_hz", -1), jobs)
    jobs.close()
