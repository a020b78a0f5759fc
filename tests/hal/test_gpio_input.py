"""GpioInput end to end: MockFactory pins (and the FakeMatrix) in, input events out."""
import threading
import time

import pytest
from gpiozero.exc import GPIOPinInUse
from gpiozero.pins.mock import MockFactory

from reverie.base.events import DOUBLE, LONG, PRESS, RELEASE, Key, Pad, Turn
from reverie.hal.gpio.scan import GpioInput
from reverie.hal.gpio.matrix import FakeMatrix
from reverie.hal.box import load_box

MS = 0.001
CW = ((0, 1), (0, 0), (1, 0), (1, 1))       # AB after each quarter step clockwise from rest


class Clock:
    def __init__(self):
        self.t = 0.0

    def __call__(self):
        return self.t


class Panel:
    """The reference box on mock pins, scanned by hand on an explicit clock."""

    def __init__(self, box_name="reference"):
        self.box = load_box(box_name)
        self.factory = MockFactory()
        self.fake = (FakeMatrix(self.factory, self.box.matrix.rows, self.box.matrix.columns)
                     if self.box.matrix else None)
        self.events = []
        self.clock = Clock()
        self.input = GpioInput(self.box, self.factory, self.events.append, clock=self.clock)
        self.cells = {name: (r, c) for r, c, name in self.box.matrix.named_cells()} if self.box.matrix else {}

    def hold(self, name, closed=True):
        if name in self.box.keys:
            pin = self.factory.pin(self.box.keys[name])
            (pin.drive_low if closed else pin.drive_high)()
        else:
            (self.fake.press if closed else self.fake.release)(*self.cells[name])

    def run_ms(self, ms):
        for _ in range(ms):
            self.input.scan(self.clock.t)
            self.clock.t = round(self.clock.t + MS, 6)

    def turn(self, encoder, detents, step_s=0.2):
        e = self.box.encoders[encoder]
        a, b = self.factory.pin(e.a), self.factory.pin(e.b)
        order = CW if detents > 0 else tuple(reversed(((1, 1),) + CW[:3]))
        for _ in range(abs(detents)):
            for level_a, level_b in order:
                (a.drive_high if level_a else a.drive_low)()
                (b.drive_high if level_b else b.drive_low)()
                self.clock.t += step_s    # 0.2 s: slow, no acceleration


def test_a_matrix_key_press_and_release():
    p = Panel()
    p.hold("PLAY")
    p.run_ms(10)
    p.hold("PLAY", False)
    p.run_ms(10)
    assert p.events == [Key("PLAY", PRESS, 0.005), Key("PLAY", RELEASE, 0.015)]


def test_pads_send_the_box_velocity_and_several_play_at_once():
    p = Panel()
    for name in ("pad 0", "pad 5", "pad 15", "SHIFT"):
        p.hold(name)
    p.run_ms(8)
    assert sorted(p.events, key=repr) == sorted(
        [Pad(0, 100, 0.0), Pad(5, 100, 0.0), Pad(15, 100, 0.0), Key("SHIFT", PRESS, 0.005)], key=repr)
    p.events.clear()
    p.hold("pad 5", False)
    p.run_ms(8)
    assert p.events == [Pad(5, 0, 0.013)]


def sampled(p, name, timeline, until_ms, step_ms=0.25):
    """Drives `name` through the FakeMatrix by `timeline` [(ms, closed)] and scans every
    `step_ms`; the events with the ms they came at."""
    out, at, i = [], 0.0, 0
    changes = list(timeline)
    while at <= until_ms:
        while changes and changes[0][0] <= at:
            p.hold(name, changes.pop(0)[1])
        p.input.scan(round(at * MS, 7))
        out += [(at, e) for e in p.events]
        p.events.clear()
        i += 1
        at = i * step_ms
    return out


def test_a_fast_tap_on_a_matrix_pad_is_one_press_at_its_first_edge_and_one_release():
    p = Panel()
    out = sampled(p, "pad 3", [(10, True), (11.5, False)], 40)
    assert out == [(10, Pad(3, 100, 0.010)), (20, Pad(3, 0, 0.020))]


def test_a_bouncy_press_on_a_matrix_pad_is_one_press_at_its_first_edge():
    p = Panel()
    bounce = [(10 + 0.5 * i, i % 2 == 0) for i in range(12)] + [(16, True), (60, False)]
    out = sampled(p, "pad 9", bounce, 100)
    assert out == [(10, Pad(9, 100, 0.010)), (65, Pad(9, 0, 0.065))]


def test_a_bouncy_release_of_a_matrix_pad_is_one_release_after_it_settles():
    p = Panel()
    bounce = [(5, True)] + [(40 + 0.5 * i, i % 2 == 1) for i in range(14)] + [(47, False)]
    out = sampled(p, "pad 15", bounce, 100)
    assert out == [(5, Pad(15, 100, 0.005)), (52, Pad(15, 0, 0.052))]


def test_a_function_key_keeps_its_debounce():
    p = Panel()
    out = sampled(p, "PLAY", [(10, True), (11.5, False)], 40)
    assert out == []                                 # a 1.5 ms glitch is not a press
    out = sampled(Panel(), "PLAY", [(0, True), (50, False)], 100)
    assert [(ms, e.action) for ms, e in out] == [(5, PRESS), (55, RELEASE)]


def test_every_cell_of_the_reference_box_reaches_its_event():
    p = Panel()
    for name in p.cells:
        p.hold(name)
    p.run_ms(6)
    pads = sorted(e.pad for e in p.events if isinstance(e, Pad))
    keys = [e.name for e in p.events if isinstance(e, Key)]
    assert pads == list(range(16))
    assert sorted(keys) == sorted(p.box.key_names())


def test_long_and_double_through_the_matrix():
    p = Panel()
    p.hold("ENC2")
    p.run_ms(600)
    p.hold("ENC2", False)
    p.run_ms(50)
    p.hold("ENC2")
    p.run_ms(20)
    p.hold("ENC2", False)
    p.run_ms(100)
    p.hold("ENC2")
    p.run_ms(20)
    assert [e.action for e in p.events] == [PRESS, LONG, RELEASE, PRESS, RELEASE, PRESS, DOUBLE]


def test_encoders_turn_on_edges_with_no_scan():
    p = Panel()
    p.turn(0, 2)
    p.turn(3, -1)
    assert [(e.encoder, e.detents) for e in p.events] == [(0, 1), (0, 1), (3, -1)]
    assert all(isinstance(e, Turn) for e in p.events)


def test_minimal_box_direct_keys_and_encoder():
    p = Panel("minimal")
    p.hold("ENC1")
    p.run_ms(6)
    p.turn(0, 1, step_s=0.01)
    p.hold("ENC1", False)
    p.run_ms(6)
    assert [type(e).__name__ for e in p.events] == ["Key", "Turn", "Key"]
    assert (p.events[0].name, p.events[0].action, p.events[2].action) == ("ENC1", PRESS, RELEASE)


def test_the_thread_scans_and_close_releases_every_pin():
    box = load_box("reference")
    factory = MockFactory()
    fake = FakeMatrix(factory, box.matrix.rows, box.matrix.columns)
    arrived = threading.Event()
    events = []

    def emit(event):
        events.append(event)
        arrived.set()
    gpio = GpioInput(box, factory, emit)
    with pytest.raises(GPIOPinInUse):
        GpioInput(box, factory, emit)
    gpio.start()
    fake.press(0, 4)
    assert arrived.wait(5.0)
    gpio.close()
    assert events[0].name == "PLAY" and events[0].action == PRESS
    assert gpio.scans > 0 and gpio.error is None
    assert all(factory.pin(n).function == "input" for n in box.matrix.rows)
    assert factory.pin(box.encoders[0].a).when_changed is None
    GpioInput(box, factory, emit).close()       # the pins are free again


def test_a_failing_scan_is_logged_and_the_scan_starts_again(caplog):
    box = load_box("minimal")
    factory = MockFactory()
    events, arrived = [], threading.Event()

    def emit(event):
        if not events:
            events.append("failed")
            raise OSError("queue gone")
        events.append(event)
        arrived.set()
    gpio = GpioInput(box, factory, emit)
    pin = factory.pin(box.keys["PLAY"])
    pin.drive_low()                                 # pressed: the first emit fails
    gpio.start()
    deadline = time.monotonic() + 5.0
    while gpio._thread.restarts == 0:               # noticed, logged, started again
        assert time.monotonic() < deadline
        time.sleep(0.005)
    pin.drive_high()
    assert arrived.wait(5.0)                        # the key still answers: its release arrives
    gpio.close()
    assert isinstance(gpio.error, OSError) and gpio._last_thread.faults == 1
    assert events[1].name == "PLAY" and events[1].action == RELEASE
    assert "reverie-gpio failed (1 so far)" in caplog.text and "OSError: queue gone" in caplog.text


def test_a_box_without_gpio_inputs_needs_no_pin_factory():
    events = []
    gpio = GpioInput(load_box("simulator"), None, events.append)
    gpio.start()
    gpio.scan(0.0)
    gpio.close()
    assert events == [] and gpio.scans == 0
