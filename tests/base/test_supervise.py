"""SupervisedThread: a body that raises is logged, counted and started again after a back-off
that doubles to its ceiling and starts over after a steady run; a stop ends it at once."""
import threading

from reverie.base.supervise import SupervisedThread, one_line, supervised_threads


class RecordedStop(threading.Event):
    """A stop event whose waits return at once and are recorded (seconds asked)."""

    def __init__(self):
        super().__init__()
        self.waits = []

    def wait(self, timeout=None):
        self.waits.append(timeout)
        return self.is_set()


class Clock:
    def __init__(self):
        self.t = 0.0

    def __call__(self):
        return self.t


def test_each_failure_is_counted_and_the_wait_doubles_up_to_its_ceiling(caplog):
    stop, clock, runs = RecordedStop(), Clock(), []

    def body():
        runs.append(clock.t)
        if len(runs) == 4:
            clock.t += 30.0                         # a steady run before this failure
        if len(runs) < 8:
            raise ValueError(f"bug {len(runs)}\nsecond line")

    thread = SupervisedThread(body, "worker-x", stop, first_wait_s=0.1, longest_wait_s=0.4,
                              steady_s=30.0, clock=clock)
    thread.start()
    thread.join(5.0)
    assert not thread.is_alive() and len(runs) == 8
    assert thread.faults == 7 and thread.restarts == 7
    assert stop.waits == [0.1, 0.2, 0.4, 0.1, 0.2, 0.4, 0.4]
    assert thread.last_fault == "worker-x: ValueError: bug 7 second line"
    assert isinstance(thread.last_error, ValueError)
    assert caplog.text.count("worker-x failed (") == 7 and "Traceback" in caplog.text


def test_a_stop_during_the_back_off_ends_the_thread_at_once():
    stop = threading.Event()
    failed = threading.Event()

    def body():
        failed.set()
        raise OSError("bus error")

    thread = SupervisedThread(body, "worker-y", stop, first_wait_s=60.0)
    thread.start()
    assert failed.wait(5.0)
    assert thread in supervised_threads()
    stop.set()
    thread.join(5.0)
    assert not thread.is_alive() and thread.faults == 1 and thread.restarts == 0


def test_a_body_that_returns_ends_the_thread_without_a_fault():
    thread = SupervisedThread(lambda: None, "worker-z", threading.Event())
    thread.start()
    thread.join(5.0)
    assert not thread.is_alive() and thread.faults == 0 and thread.daemon


def test_one_line_cuts_long_text():
    assert one_line("a\n  b") == "a b"
    assert one_line("x" * 200, most=10) == "xxxxxxx..."
