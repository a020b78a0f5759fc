"""Never a dead box: the whole program (BoxApp, as `reverie run` starts it) plays the demo on
a JACK dummy server with the reference box's keys on mock pins, luma's dummy OLED, MIDI out and
the USB controller manager on JACK. An exception is injected into an event handler and into
each supervised thread (the GPIO scan, the display, MIDI out, the controllers' scan and
dispatch threads); after each the box keeps playing (the engine's frames advance and its
meters move) and answers the next key (STOP stops the sequencer, PLAY starts it)."""
import threading
import time
from dataclasses import replace
from pathlib import Path

import pytest
from gpiozero.pins.mock import MockFactory
from luma.core.device import dummy

from reverie.app.boot import BoxApp, RunOptions
from reverie.app.config import AudioConfig, Config, ControllersConfig, HardwareConfig, MidiConfig
from reverie.app.paths import DataDir
from reverie.hal.box import BOXES_DIR, load_box
from reverie.hal.gpio.matrix import FakeMatrix

pytestmark = [pytest.mark.jack, pytest.mark.timeout(120, method="thread")]

PLAY, STOP = (0, 4), (0, 5)            # the reference box's matrix cells


def wait_for(condition, what: str, timeout_s: float = 10.0):
    deadline = time.monotonic() + timeout_s
    while not condition():
        assert time.monotonic() < deadline, f"timed out waiting for {what}"
        time.sleep(0.01)


class Fault:
    """Replaces `obj.name` with a function that raises once, then is the original again."""

    def __init__(self, obj, name: str, error: Exception):
        self.obj, self.name, self.error = obj, name, error
        self.original = getattr(obj, name)
        self.raised = threading.Event()
        setattr(obj, name, self)

    def __call__(self, *args, **kwargs):
        if not self.raised.is_set():
            setattr(self.obj, self.name, self.original)
            self.raised.set()
            raise self.error
        return self.original(*args, **kwargs)


@pytest.fixture(scope="module")
def jack():
    """A JACK dummy server PortAudio sees (48 kHz, 256 frames); every test is handed it."""
    from reverie.hal.audio.jackd import JackServer
    from reverie.hal.audio.output import portaudio_on_jack

    with JackServer(sample_rate_hz=48000, period_frames=256) as server, portaudio_on_jack(server):
        yield server


@pytest.fixture(scope="module")
def box(jack, tmp_path_factory):
    tmp = tmp_path_factory.mktemp("never-dead")
    reference = (Path(BOXES_DIR) / "reference.toml").read_text()
    box_file = tmp / "bench-box.toml"
    box_file.write_text(reference)
    factory = MockFactory()
    rows, columns = load_box(box_file).matrix.rows, load_box(box_file).matrix.columns
    matrix = FakeMatrix(factory, rows, columns)          # wired before the scan takes the pins
    config = replace(Config(), audio=AudioConfig(device="JACK", period_frames=256),
                     midi=MidiConfig(api="jack"), hardware=HardwareConfig(box=str(box_file), window=False),
                     controllers=ControllersConfig(enabled=True, scan_interval_ms=100))
    with pytest.MonkeyPatch.context() as mp:
        mp.setattr("reverie.hal.gpio.pins.make_pin_factory", lambda backend: factory)
        # The box opens its pins twice (the keys held at power-on, then the scan); the real
        # factories are two, this one is shared with the fake matrix and must stay open.
        mp.setattr(factory, "close", lambda: None)
        mp.setattr("reverie.hal.display.devices.open_display",   # the OLED: luma's dummy device
                   lambda spec, **kw: dummy(width=128, height=64, mode="1"))
        app = BoxApp(config, RunOptions(data=DataDir(tmp / "data")))
        loop = threading.Thread(target=app.loop, name="test-control-loop", daemon=True)
        try:
            app.start()
            loop.start()
            yield app, matrix
        finally:
            app.stop_event.set()
            loop.join(10.0)
            app.stop()


def press(matrix, cell):
    matrix.press(*cell)
    time.sleep(0.03)                                      # past the 5 ms debounce, short of LONG
    matrix.release(*cell)
    time.sleep(0.03)                                      # released long enough to be seen


def answers_keys_and_plays(app, matrix):
    """STOP stops the sequencer, PLAY starts it, and the audio goes on: frames advance and
    the tracks' meters move."""
    engine = app.engine
    press(matrix, STOP)
    wait_for(lambda: not engine.seq_state()["playing"], "STOP to stop the sequencer")
    press(matrix, PLAY)
    wait_for(lambda: engine.seq_state()["playing"], "PLAY to start the sequencer")
    frame = engine.frame
    wait_for(lambda: engine.frame >= frame + 24000, "0.5 s of audio to be rendered")
    wait_for(lambda: max(engine.track_peak(k) for k in range(16)) > 0.05, "the meters to move")


def restarted(app, thread, faults_before: int):
    """The thread failed, was started again, and the box's screen said so."""
    wait_for(lambda: thread.restarts >= 1 and thread.faults > faults_before, f"{thread.name} to restart")
    said = f"{thread.name} failed ({thread.faults}x) and was restarted; logged"
    wait_for(lambda: app.rig.control.status.message == said, f"the notice {said!r}")


def test_the_box_plays_and_answers_keys_to_begin_with(jack, box):
    app, matrix = box
    assert not app.output.health().silent            # a device plays, not the fallback clock
    answers_keys_and_plays(app, matrix)


def test_an_event_handler_that_raises_is_a_notice_and_the_box_plays_on(jack, box):
    app, matrix = box
    guard = app.rig.control.guard
    before = guard.faults
    fault = Fault(app.rig.ui, "handle", KeyError("a page's bug"))
    press(matrix, STOP)                                   # this key meets the bug
    assert fault.raised.wait(5.0)
    wait_for(lambda: guard.faults == before + 1, "the guard to count the fault")
    said = "error handling a Key: KeyError; logged, still playing"
    wait_for(lambda: app.rig.control.status.message == said, f"the notice {said!r}")
    answers_keys_and_plays(app, matrix)


def test_the_gpio_scan_restarts_after_an_exception(jack, box):
    app, matrix = box
    thread = app.surface.gpio._thread
    before = thread.faults
    fault = Fault(app.surface.gpio, "scan", OSError("GPIO chip gone"))
    assert fault.raised.wait(5.0)
    restarted(app, thread, before)
    answers_keys_and_plays(app, matrix)


def test_the_display_thread_restarts_after_an_exception(jack, box):
    app, matrix = box
    display = app.surface.display
    thread, pushed = display._thread, display.stats().frames_rendered
    before = thread.faults
    fault = Fault(display, "_set_contrast", OSError("I2C bus error"))
    display.show(object())                                # wake it: the next frame meets the bug
    assert fault.raised.wait(5.0)
    restarted(app, thread, before)
    answers_keys_and_plays(app, matrix)
    wait_for(lambda: display.stats().frames_rendered > pushed, "the display to draw again")


def test_midi_out_restarts_after_an_exception(jack, box):
    app, matrix = box
    scheduler = app.sync.scheduler
    thread = scheduler._thread
    before, polled = thread.faults, scheduler.stats()["polled"]
    fault = Fault(scheduler, "source", RuntimeError("engine went away"))
    assert fault.raised.wait(5.0)
    restarted(app, thread, before)
    answers_keys_and_plays(app, matrix)                  # PLAY sends MIDI start and clocks
    wait_for(lambda: scheduler.stats()["polled"] > polled, "MIDI out to poll the engine again")


@pytest.mark.parametrize("which", ["controllers-scan", "controllers-dispatch"])
def test_the_controller_threads_restart_after_an_exception(jack, box, which):
    app, matrix = box
    manager = app.surface.controllers
    assert manager is not None
    thread = next(t for t in manager._threads if t.name == which)
    before = thread.faults
    if which == "controllers-scan":
        fault = Fault(manager, "_scan", OSError("the MIDI system went away"))
    else:
        fault = Fault(manager.inbox, "take", RuntimeError("a bug in the dispatcher"))
        manager.inbox.put_event(object())                 # wake the dispatcher
    assert fault.raised.wait(5.0)
    restarted(app, thread, before)
    answers_keys_and_plays(app, matrix)
