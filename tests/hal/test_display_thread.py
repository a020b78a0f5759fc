"""The display thread over luma's dummy device: what it draws, what it pushes, how often."""
import logging
import threading
import time
from dataclasses import dataclass

import pytest
from luma.core.device import dummy
from PIL import Image, ImageDraw

from reverie.hal.display.thread import DisplayThread


@dataclass(frozen=True)
class Counter:
    value: int
    label: str = ""         # not drawn: two views that differ only here draw the same image


@dataclass(frozen=True)
class Broken:
    value: int


def render(view):
    if isinstance(view, Broken):
        raise ValueError("no such page")
    image = Image.new("1", (128, 64))
    ImageDraw.Draw(image).text((4, 4), str(view.value), fill=1)
    return image


class Device(dummy):
    """luma's dummy device that also counts pushes and can be told to fail."""

    def __init__(self):
        super().__init__(width=128, height=64, mode="1")
        self.pushes = 0
        self.fail = False
        self.pushed = threading.Event()

    def display(self, image):
        if isinstance(self.fail, Exception):
            raise self.fail
        if self.fail:
            raise OSError(121, "Remote I/O error")
        super().display(image)
        self.pushes += 1
        self.pushed.set()


def test_only_changes_are_pushed():
    device = Device()
    with DisplayThread(device, render, fps=120) as thread:
        thread.show(Counter(1))
        assert thread.flush() and device.pushes == 1
        thread.show(Counter(1))                       # equal view: not even drawn
        assert thread.flush() and thread.stats().frames_rendered == 1
        thread.show(Counter(1, "other"))              # a new view with the same picture
        assert thread.flush() and thread.stats().frames_rendered == 2 and device.pushes == 1
        thread.show(Counter(2))
        assert thread.flush() and device.pushes == 2
        assert device.image.tobytes() == render(Counter(2)).tobytes()
        stats = thread.stats()
    assert (stats.views_shown, stats.frames_rendered, stats.frames_pushed,
            stats.views_skipped, stats.images_skipped) == (4, 3, 2, 1, 1)
    assert stats.render_ms_max >= stats.render_ms_p99 > 0


@pytest.mark.timing
def test_a_burst_of_views_draws_a_few_frames_ending_on_the_last():
    device = Device()
    with DisplayThread(device, render, fps=30) as thread:
        for value in range(100):
            thread.show(Counter(value))
        assert thread.flush()
        stats = thread.stats()
        assert stats.views_shown == 100 and stats.frames_rendered <= 3
        assert device.image.tobytes() == render(Counter(99)).tobytes()


@pytest.mark.timing
def test_never_more_frames_than_fps():
    fps = 25
    device = Device()
    starts = []

    def timed(view):
        starts.append(time.monotonic())
        return render(view)

    thread = DisplayThread(device, timed, fps=fps).start()
    done = threading.Event()
    value = 0
    while not done.is_set():                         # keep it busy until 12 frames were pushed
        value += 1
        thread.show(Counter(value))
        done.wait(0.001)
        if device.pushes >= 12:
            done.set()
    thread.close()
    gaps = [b - a for a, b in zip(starts, starts[1:])]
    assert len(starts) >= 12 and value > 5 * len(starts)
    assert min(gaps) >= 0.95 / fps
    assert len(starts) <= (starts[-1] - starts[0]) * fps + 1


def test_a_failing_render_is_logged_once_and_drawing_goes_on(caplog):
    device = Device()
    with caplog.at_level(logging.ERROR, logger="reverie.hal.display.thread"):
        with DisplayThread(device, render, fps=120) as thread:
            for view in (Broken(1), Broken(2), Counter(3)):
                thread.show(view)
                assert thread.flush()
            stats = thread.stats()
    assert stats.render_errors == 2 and stats.frames_pushed == 1
    errors = [r for r in caplog.records if r.levelno == logging.ERROR]
    assert len(errors) == 1 and "Broken" in errors[0].getMessage()


def test_a_device_that_refuses_a_frame_is_logged_once_and_recovers(caplog):
    device = Device()
    device.fail = ValueError("not this image")
    with caplog.at_level(logging.ERROR, logger="reverie.hal.display.thread"):
        with DisplayThread(device, render, fps=120) as thread:
            for value in (1, 2):
                thread.show(Counter(value))
                assert thread.flush()
            device.fail = False
            thread.show(Counter(3))
            assert thread.flush()
            stats = thread.stats()
    assert stats.push_errors == 2 and stats.frames_pushed == 1 and len(caplog.records) == 1
    assert "refused a frame" in caplog.records[0].getMessage()
    assert stats.outages == 0


class Bus:
    """The I2C bus the display hangs on: unplugged, every device on it raises OSError."""

    def __init__(self):
        self.plugged = True
        self.opens = 0
        self.devices: list[Device] = []

    def open(self):
        self.opens += 1
        if not self.plugged:
            raise OSError(121, "Remote I/O error")
        self.devices.append(Device())
        return self.devices[-1]

    def unplug(self):
        self.plugged = False
        for d in self.devices:
            d.fail = True


def wait_for(condition, timeout_s=5.0):
    deadline = time.monotonic() + timeout_s
    while not condition():
        assert time.monotonic() < deadline, "timed out"
        time.sleep(0.002)


def test_a_bus_error_puts_the_display_out_it_says_so_once_and_is_reopened_until_it_answers(caplog):
    bus = Bus()
    retry_s = 0.1
    with caplog.at_level(logging.INFO, logger="reverie.hal.display.thread"):
        with DisplayThread(bus.open(), render, fps=120, reopen=bus.open, retry_s=retry_s) as thread:
            thread.show(Counter(1))
            assert thread.flush() and bus.devices[0].pushes == 1
            bus.unplug()
            thread.show(Counter(2))
            assert thread.flush()
            assert thread.out_of_order == "Remote I/O error"
            assert thread.take_notices() == ["display error: Remote I/O error — retrying"]
            out_at = time.monotonic()
            for value in range(3, 30):              # views go on coming; none is pushed
                thread.show(Counter(value))
                assert thread.flush()
            wait_for(lambda: bus.opens >= 4)        # reopened every retry_s, still unplugged
            assert time.monotonic() - out_at >= 2 * retry_s
            assert thread.stats().push_errors == 1 and thread.stats().outages == 1
            bus.plugged = True
            wait_for(lambda: thread.stats().reopens == 1)
            wait_for(lambda: len(bus.devices) == 2 and bus.devices[1].pushes == 1)
            assert thread.out_of_order == "" and thread.take_notices() == []
            assert bus.devices[1].image.tobytes() == render(Counter(29)).tobytes()
            thread.show(Counter(30))
            assert thread.flush() and bus.devices[1].pushes == 2
    warnings = [r for r in caplog.records if r.levelno == logging.WARNING]
    assert len(warnings) == 1 and "stopped answering (Remote I/O error)" in warnings[0].getMessage()
    assert thread.stats().outages == 1 and thread.stats().reopens == 1


def test_without_a_way_to_reopen_it_the_same_device_is_tried_again():
    device = Device()
    with DisplayThread(device, render, fps=120, retry_s=0.05) as thread:
        device.fail = True
        thread.show(Counter(1))
        assert thread.flush() and thread.out_of_order
        device.fail = False
        wait_for(lambda: device.pushes == 1)
        assert thread.out_of_order == "" and thread.stats().reopens == 1


def test_close_stops_the_thread_and_blanks_the_device():
    device = Device()
    thread = DisplayThread(device, render).start()
    thread.show(Counter(8))
    assert device.pushed.wait(2)
    thread.close()
    assert not thread._thread.is_alive()
    assert device.image.getbbox() is None           # luma's cleanup: off and cleared
    thread.show(Counter(9))                         # after close: ignored, no error
    assert thread.stats().frames_rendered == 1


def test_close_without_start_cleans_up_the_device():
    device = Device()
    device.display(render(Counter(1)))
    DisplayThread(device, render).close()
    assert device.image.getbbox() is None


def test_contrast_is_set_on_the_display_thread_before_the_next_frame():
    calls = []

    class Panel(Device):
        def contrast(self, level):
            calls.append((level, threading.current_thread().name))

    with DisplayThread(Panel(), render) as thread:
        thread.show(Counter(1))
        assert thread.flush()
        thread.contrast(40)
        thread.show(Counter(2))
        assert thread.flush()
    assert calls == [(40, "display")]
