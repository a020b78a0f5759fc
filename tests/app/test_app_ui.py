"""The whole box driven as a musician drives it, offline: fake GPIO edges with contact bounce
on the reference box's key matrix and encoders (gpiozero's MockFactory), MIDI bytes from a
pad controller through its profile, the engine rendered block by block between control
ticks, and the screen as the display thread pushes it to an OLED (luma's dummy device).
Golden screens: tests/ui/golden/app-*.png (tests/ui/golden.py says how to regenerate)."""
from pathlib import Path

import numpy as np
import pytest
from gpiozero.pins.mock import MockFactory
from luma.core.device import dummy

from reverie.app.boot import caps_of
from reverie.sound.buses import make_engine
from reverie.hal.display.thread import DisplayThread
from reverie.hal.gpio.scan import GpioInput
from reverie.hal.gpio.matrix import FakeMatrix
from reverie.hal.controllers.profiles import load_profiles
from reverie.hal.controllers.translate import Translator
from reverie.hal.box import load_box
from reverie.sound.instruments import SAMPLER
from reverie.project import edit
from reverie.project.demo import demo_project_path
from reverie.project.sounds import load_sounds
from reverie.seq.load import apply_project
from reverie.project.store import load_project
from reverie.app.rig import build_rig
from reverie.ui.draw import render

from ui.golden import assert_golden

RATE, PERIOD = 48000, 128
TICK_S = 0.005
CW = (0b01, 0b00, 0b10, 0b11)          # one detent clockwise from rest (11), A leads


@pytest.fixture(scope="module")
def sounds(tmp_path_factory):
    project = load_project(demo_project_path())
    return load_sounds(project, demo_project_path(), RATE, factory_dir=tmp_path_factory.mktemp("factory"))


class Box:
    """The reference box on the bench: fingers on its keys and knobs, eyes on its screen."""

    def __init__(self, tmp: Path, sounds):
        self.box = load_box("reference")
        self.now = 1000.0
        self.factory = MockFactory()
        self.matrix = FakeMatrix(self.factory, self.box.matrix.rows, self.box.matrix.columns)
        self.cells = {name: (r, c) for r, c, name in self.box.matrix.named_cells()}
        self.engine = make_engine(RATE)
        project = load_project(demo_project_path())
        apply_project(self.engine, project, sounds)
        self.oled = dummy(width=128, height=64, mode="1")
        self.display = DisplayThread(self.oled, render).start()
        self.rig = build_rig(self.engine, project, demo_project_path(), rate=RATE, period=PERIOD,
                             caps=caps_of(self.box), library=tmp / "projects",
                             factory_dir=tmp / "factory", display=self.display)
        self.gpio = GpioInput(self.box, self.factory, self.rig.queue.put, clock=lambda: self.now)
        self._next_tick = self.now
        self.block = np.zeros((int(RATE * TICK_S), 2), np.float32)

    @property
    def ui(self):
        return self.rig.ui

    @property
    def project(self):
        return self.rig.ui.project

    def wait(self, seconds: float) -> None:
        """Time passes: the 1 kHz scan, and every 5 ms one block of audio and a control tick."""
        for _ in range(round(seconds * 1000)):
            self.now += 0.001
            self.gpio.scan(self.now)
            if self.now >= self._next_tick:
                self.engine.render(self.block)
                self.rig.control.tick(self.now)
                self._next_tick += TICK_S

    def _bounce(self, action, other, times: int) -> None:
        for _ in range(times):          # contact bounce: 0.2 ms flickers, shorter than a scan
            action()
            other()
        action()

    def press(self, name: str, hold: float = 0.05, bounce: int = 3) -> None:
        r, c = self.cells[name]
        self._bounce(lambda: self.matrix.press(r, c), lambda: self.matrix.release(r, c), bounce)
        self.wait(hold)
        self._bounce(lambda: self.matrix.release(r, c), lambda: self.matrix.press(r, c), bounce)
        self.wait(0.35)                 # past the double-press window

    def hold(self, name: str):
        box = self
        r, c = self.cells[name]

        class Held:
            def __enter__(self):
                box.matrix.press(r, c)
                box.wait(0.02)

            def __exit__(self, *exc):
                box.matrix.release(r, c)
                box.wait(0.35)
        return Held()

    def turn(self, encoder: int, detents: int, rate_dps: float = 20.0, bounce: int = 2) -> None:
        e = self.box.encoders[encoder]
        a, b = self.factory.pin(e.a), self.factory.pin(e.b)
        states = CW if detents > 0 else tuple(reversed((0b11,) + CW[:-1]))
        for _ in range(abs(detents)):
            for state in states:
                for pin, bit in ((a, 0b10), (b, 0b01)):
                    level = bool(state & bit)
                    if pin.state != level:
                        for _ in range(bounce):
                            (pin.drive_high if level else pin.drive_low)()
                            (pin.drive_low if level else pin.drive_high)()
                        (pin.drive_high if level else pin.drive_low)()
                self.wait(1 / rate_dps / 4)
        self.wait(0.3)

    def screen(self):
        assert self.display.flush(), "the display thread did not draw the last view"
        return self.oled.image

    def close(self):
        self.display.close()
        self.gpio.close()
        self.rig.jobs.close()
        self.factory.close()


@pytest.fixture
def box(tmp_path, sounds):
    b = Box(tmp_path, sounds)
    b.wait(0.05)
    yield b
    b.close()


def test_pads_on_the_pattern_page_toggle_steps_and_the_engine_plays_them(box):
    name = box.project.pattern
    before = edit.get_step(box.project, name, 0, 2)
    box.press("pad 2")
    after = edit.get_step(box.project, name, 0, 2)
    assert (before is None) != (after is None)
    assert box.rig.sequencer.project is box.project       # the engine plays the edited pattern
    box.press("PLAY")
    box.wait(0.5)
    assert box.engine.seq_state()["playing"]
    assert box.engine.stats()["voices"] > 0
    assert box.ui.context.status.playing
    assert_golden(box.screen(), "app-pattern-playing")


def test_a_turn_with_bounce_on_the_sound_page_changes_the_parameter_by_its_detents(box):
    with box.hold("FUNC"):
        box.press("pad 1")                                 # FUNC + pad: track 2
    assert box.ui.context.track == 1
    box.press("SOUND")
    assert box.ui.page_name == "SOUND"
    undo_before = len(box.ui.context.history.labels())
    params_before = dict(box.project.tracks[1].params)
    box.turn(1, 3, rate_dps=5)                             # ENC2, slow: no acceleration
    changed = {k: v for k, v in box.project.tracks[1].params.items() if params_before.get(k) != v}
    assert len(changed) == 1, changed
    assert len(box.ui.context.history.labels()) == undo_before + 1      # one turn, one undo entry
    box.turn(1, -3, rate_dps=5)
    (key, moved), = changed.items()
    spec = SAMPLER[key]
    was = params_before.get(key, spec.default)
    assert moved != was
    assert box.project.tracks[1].params[key] == pytest.approx(was)     # three back: where it was
    assert_golden(box.screen(), "app-sound")


def test_shift_on_a_key_shows_what_it_does_and_does_nothing(box):
    before = box.project
    with box.hold("SHIFT"):
        box.press("pad 5")
        screen = box.screen()
    assert box.project is before
    assert box.ui.view().overlay is None                    # the card goes with SHIFT
    assert_golden(screen, "app-shift-help-pad")


def test_a_pad_controller_plays_pads_and_mutes_on_the_mixer_through_its_profile(box):
    translate = Translator(load_profiles().get("generic-pads"), "MPD218 Port A")

    def hit(note, velocity=120):
        for message in (bytes([0x90, note, velocity]), bytes([0x80, note, 0])):
            event = translate(message, box.now)
            assert event is not None
            box.rig.queue.put(event)
            box.wait(0.02)

    box.press("SOUND")
    voices = box.engine.stats()["voices"]
    hit(36)                                                 # pad 1: track 1's sound
    assert box.engine.stats()["voices"] > voices
    box.press("MIXER")
    hit(38)                                                 # pad 3 on the mixer: mute track 3
    assert box.project.tracks[2].bus.get("mute") == 1
    assert_golden(box.screen(), "app-mixer-muted")
