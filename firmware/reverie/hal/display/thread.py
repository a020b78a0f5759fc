"""The display thread: draws the newest view at up to `fps` and pushes only what changed.

The control thread calls `show(view)`, which swaps a reference and sets an event: it never
waits for drawing or for the bus. The display thread wakes, paces itself to at most `fps`
renders a second, skips a view equal to the last one drawn (views are frozen dataclasses),
renders on its own thread, skips an image byte-identical to the last one pushed, and pushes
the rest with `device.display(image)`. A burst of views in one frame period draws only the last.

A bus error (luma over I2C or SPI raises OSError: a loose cable, a display unplugged) puts
the display out: the thread stops pushing, says so once (log and `take_notices()`), and
every `retry_s` opens the device again with `reopen()` (or, without one, pushes again). The
first success redraws the whole screen. Nothing here reaches the audio or the control thread.
"""
from __future__ import annotations

import logging
import threading
import time
from collections import deque
from collections.abc import Callable
from dataclasses import dataclass

from reverie.base.supervise import SupervisedThread

log = logging.getLogger(__name__)

_NOTHING = object()
RENDER_HISTORY = 1024     # render times kept for the p99
RETRY_S = 3.0             # a display out of order is tried again this often


@dataclass(frozen=True)
class DisplayStats:
    views_shown: int          # show() calls
    frames_rendered: int
    frames_pushed: int
    views_skipped: int        # equal to the last view drawn
    images_skipped: int       # byte-identical to the last image pushed
    render_errors: int
    push_errors: int
    render_ms_max: float
    render_ms_p99: float
    outages: int = 0          # bus errors that put the display out
    reopens: int = 0          # times it came back


class DisplayThread:
    def __init__(self, device, render, fps: float = 30, reopen: Callable | None = None,
                 retry_s: float | None = None):
        """`reopen()`: the device opened afresh, for after a bus error (None: push again)."""
        if not 0 < fps <= 120:
            raise ValueError(f"fps = {fps} must be in (0, 120]")
        self.device = device
        self._render = render
        self._reopen = reopen
        self._retry_s = RETRY_S if retry_s is None else retry_s
        self._out = ""                    # why the display is out of order, "" while it works
        self._retry_at = 0.0
        self._notices: deque[str] = deque(maxlen=8)
        self._period_s = 1.0 / fps
        self._pending = (_NOTHING, 0)     # (view, its number): swapped as one reference
        self._shown = 0                   # written by the control thread only
        self._handled = 0                 # the number of the last view drawn or skipped
        self._handled_changed = threading.Condition()
        self._wake = threading.Event()
        self._stop = threading.Event()
        # a bug in the loop (drawing and pushing already count their own failures) is
        # logged and the thread starts again
        self._thread = SupervisedThread(self._run, "display", self._stop)
        self._counts = dict(rendered=0, pushed=0, views_skipped=0, images_skipped=0,
                            render_errors=0, push_errors=0, outages=0, reopens=0)
        self._render_s = deque(maxlen=RENDER_HISTORY)
        self._render_max_s = 0.0
        self._failed_kinds = set()
        self._pushed = None               # (mode, size, bytes) of the last image pushed
        self._lock = threading.Lock()     # the counters are read by other threads in stats()
        self._contrast: int | None = None     # a contrast to set on the display thread

    def start(self) -> DisplayThread:
        self._thread.start()
        return self

    def contrast(self, level: int) -> None:
        """Sets the panel's contrast (0..255) from the display thread, which owns the bus,
        before its next frame. A device without contrast (the terminal) ignores it."""
        self._contrast = int(level)
        self._wake.set()

    def show(self, view) -> None:
        """Called by the control thread: the newest view replaces any not yet drawn."""
        self._shown += 1
        self._pending = (view, self._shown)
        self._wake.set()

    def flush(self, timeout_s: float = 2.0) -> bool:
        """Wait until every view shown so far is drawn or skipped; False on timeout."""
        target = self._shown
        with self._handled_changed:
            return self._handled_changed.wait_for(lambda: self._handled >= target, timeout_s)

    def close(self, timeout_s: float = 2.0) -> None:
        """Stop drawing, blank and release the device (luma's cleanup turns the panel off)."""
        self._stop.set()
        self._wake.set()
        if self._thread.is_alive():
            self._thread.join(timeout_s)
        if self._thread.is_alive():
            log.warning("display thread still drawing after %.1f s; not waiting for it", timeout_s)
            return
        self.device.cleanup()

    def __enter__(self):
        return self.start()

    def __exit__(self, *exc):
        self.close()

    def stats(self) -> DisplayStats:
        with self._lock:
            times = sorted(self._render_s)
            c = dict(self._counts)
            worst = self._render_max_s
        p99 = times[min(len(times) - 1, int(0.99 * len(times)))] if times else 0.0
        return DisplayStats(self._shown, c["rendered"], c["pushed"], c["views_skipped"],
                            c["images_skipped"], c["render_errors"], c["push_errors"],
                            round(worst * 1e3, 3), round(p99 * 1e3, 3), c["outages"], c["reopens"])

    @property
    def out_of_order(self) -> str:
        """Why the display is out ("" while it works)."""
        return self._out

    def take_notices(self) -> list[str]:
        """One-line notices since the last call (for the control thread)."""
        out = []
        while self._notices:
            out.append(self._notices.popleft())
        return out

    def _run(self) -> None:
        drawn = _NOTHING
        next_frame_t = 0.0
        while True:
            self._wake.wait(max(0.0, self._retry_at - time.monotonic()) if self._out else None)
            # pacing: a show() during this wait only replaces the view about to be drawn
            wait_s = next_frame_t - time.monotonic()
            if self._stop.is_set() or (wait_s > 0 and self._stop.wait(wait_s)):
                return
            self._wake.clear()
            if self._out:
                if not self._try_again():
                    self._handled_up_to(self._pending[1])
                    continue
                drawn = _NOTHING            # back: draw the newest view in full
            self._set_contrast()
            view, number = self._pending
            if view == drawn:
                self._count("views_skipped")
            else:
                drawn = view
                next_frame_t = time.monotonic() + self._period_s
                image = self._draw(view)
                if image is not None:
                    self._push(image)
            self._handled_up_to(number)

    def _handled_up_to(self, number: int) -> None:
        with self._handled_changed:
            self._handled = number
            self._handled_changed.notify_all()

    def _put_out(self, exc: OSError) -> None:
        """A bus error: no more pushes until the device answers again."""
        self._out = f"{exc.strerror or exc}"
        self._retry_at = time.monotonic() + self._retry_s
        self._count("outages")
        log.warning("the display stopped answering (%s): trying it again every %g s", self._out, self._retry_s)
        self._notices.append(f"display error: {self._out} — retrying")

    def _try_again(self) -> bool:
        """Due: opens the device afresh (or keeps the one there); True when it is back."""
        if time.monotonic() < self._retry_at:
            return False
        self._retry_at = time.monotonic() + self._retry_s
        if self._reopen is not None:
            try:
                device = self._reopen()
            except Exception as exc:    # luma, the bus, the driver: still not there
                log.debug("the display is still out: %s", exc)
                return False
            old, self.device = self.device, device
            _let_go(old)
        self._out = ""
        self._pushed = None             # whatever is on the panel now, push the whole frame
        self._count("reopens")
        log.info("the display answers again")
        return True

    def _set_contrast(self) -> None:
        level, self._contrast = self._contrast, None
        if level is not None and hasattr(self.device, "contrast"):
            try:
                self.device.contrast(level)
            except Exception:   # a panel that refuses is counted like a refused frame
                self._count("push_errors")
                log.exception("the display refused contrast %d", level)

    def _draw(self, view):
        start = time.perf_counter()
        try:
            image = self._render(view)
        except Exception:
            self._count("render_errors")
            kind = type(view).__name__
            if kind not in self._failed_kinds:
                self._failed_kinds.add(kind)
                log.exception("drawing a %s view failed; later failures of this kind are only counted", kind)
            return None
        took = time.perf_counter() - start
        with self._lock:
            self._counts["rendered"] += 1
            self._render_s.append(took)
            self._render_max_s = max(self._render_max_s, took)
        return image

    def _push(self, image) -> None:
        key = (image.mode, image.size, image.tobytes())
        if key == self._pushed:
            self._count("images_skipped")
            return
        try:
            self.device.display(image)
        except OSError as exc:          # the bus: the display is out until it answers again
            self._count("push_errors")
            self._put_out(exc)
            return
        except Exception:
            self._count("push_errors")
            if "push" not in self._failed_kinds:
                self._failed_kinds.add("push")
                log.exception("the display refused a frame; later failures are only counted")
            return
        self._pushed = key
        self._count("pushed")

    def _count(self, name: str) -> None:
        with self._lock:
            self._counts[name] += 1


def _let_go(device) -> None:
    """Releases a device that failed; it may fail again doing so."""
    try:
        device.cleanup()
    except Exception as exc:            # the bus that failed may refuse the goodbye too
        log.debug("cleaning up the failed display: %s", exc)
