"""The control thread does not stop for a bug: an event handler, a hook, a job or the view that
raises is logged with its traceback and shown as a notice, and the tick goes on (guard.py)."""
import threading

import numpy as np

from reverie.app.rig import build_rig
from reverie.base.errors import UserError
from reverie.base.events import PRESS, Key
from reverie.base.supervise import SupervisedThread
from reverie.control.guard import Guard
from reverie.project.demo import demo_project_path
from reverie.project.store import load_project
from reverie.sound.buses import make_engine
from reverie.ui import effects as fx

RATE, PERIOD = 48000, 128


class Screen:
    def __init__(self):
        self.views = []

    def show(self, view):
        self.views.append(view)


def make(tmp_path, hooks=()):
    engine = make_engine(RATE)
    screen = Screen()
    rig = build_rig(engine, load_project(demo_project_path()), demo_project_path(), rate=RATE,
                    period=PERIOD, library=tmp_path / "projects", factory_dir=tmp_path / "factory",
                    display=screen, hooks=list(hooks))
    return engine, rig, screen


def test_a_failing_event_handler_is_logged_shown_and_the_next_event_still_plays(tmp_path, caplog):
    engine, rig, screen = make(tmp_path)
    handle = rig.ui.handle

    def handle_with_a_bug(event):
        if event.name == "FUNC":
            raise KeyError("a page's bug")
        return handle(event)
    rig.ui.handle = handle_with_a_bug
    rig.queue.put(Key("FUNC", PRESS))
    rig.queue.put(Key("PLAY", PRESS))           # in the same tick, after the failing one
    rig.control.tick(1.0)
    engine.render(np.zeros((256, 2), np.float32))
    assert engine.seq_state()["playing"]         # the next key was answered as usual
    assert rig.control.status.message == "error handling a Key: KeyError; logged, still playing"
    assert "handling a Key failed; the box plays on" in caplog.text and "a page's bug" in caplog.text
    assert "Traceback" in caplog.text and rig.control.guard.faults == 1
    assert len(screen.views) == 1                # and the view was drawn


def test_a_hook_failing_every_tick_is_logged_once_then_counted(tmp_path, caplog):
    calls = []

    def devices(status):
        calls.append(1)
        raise OSError("no such bus")
    engine, rig, screen = make(tmp_path, hooks=[devices])
    for k in range(100):
        rig.control.tick(1.0 + k * 0.005)
    assert len(calls) == 100 and len(screen.views) == 100
    assert caplog.text.count("the devices hook failed; the box plays on") == 1
    assert caplog.text.count("the devices hook failed again (10 times)") == 1
    assert caplog.text.count("the devices hook failed again (100 times)") == 1
    assert caplog.text.count("Traceback") == 1 and rig.control.guard.faults == 100


def test_a_bug_in_an_effect_lets_the_others_of_the_event_run(tmp_path):
    engine, rig, screen = make(tmp_path)
    rig.applier._handlers[fx.Transport] = lambda e: 1 / 0
    rig.applier.apply([fx.Transport("play"), fx.Tempo(140.0)])
    engine.render(np.zeros((256, 2), np.float32))
    assert engine.seq_state()["tempo_bpm"] == 140.0
    assert rig.applier.guard.notice == "error carrying out Transport: ZeroDivisionError; logged, still playing"


def test_a_user_error_reaching_a_guard_is_its_message_not_a_bug(caplog):
    guard = Guard()

    def refuse():
        raise UserError("that sample is too long")
    assert guard("loading", refuse) is None
    assert guard.notice == "that sample is too long" and guard.faults == 0 and not caplog.text
    assert guard("adding", lambda a, b: a + b, 2, 3) == 5


def test_a_restarted_thread_is_a_notice_once_per_fault(tmp_path):
    stop, failed = threading.Event(), threading.Event()

    def body():
        failed.set()
        raise OSError("I2C bus error")
    thread = SupervisedThread(body, "display", stop, first_wait_s=60.0)
    guard = Guard()
    guard.threads(0.0)
    thread.start()
    try:
        assert failed.wait(5.0)
        guard.threads(1.0)
        assert guard.notice == "display failed (1x) and was restarted; logged"
        guard.notice = ""
        guard.threads(2.0)
        assert guard.notice == ""                # the same fault is told once
    finally:
        stop.set()
        thread.join(5.0)
