"""A USB computer keyboard plugged into the box, for typing an intention or a note: the
`evdev` library finds the keyboards among /dev/input/event* (devices whose keys include the
letters and Enter: not a power button, not a mouse), and a reader thread reads their raw
`input_event` records (the kernel's struct: a timeval, then type, code and value) and turns
key presses into `Typed` events on the control thread's queue.

    keyboards = UsbKeyboards(queue.put).start()     # hot-plugged: looked for every SCAN_S
    keyboards.close()

Keys follow a US layout: letters, digits, punctuation, space, with SHIFT (either) for capitals
and the upper row, Caps Lock for letters; a held key repeats (the kernel's repeat, value 2);
BackSpace, Enter (and keypad Enter) and Escape arrive by name. Everything else is ignored.
A keyboard pulled out is forgotten at its first failed read. The reader never blocks the box:
it waits on the devices with select() and a short timeout. The service's user needs the
`input` group (the installer adds it)."""
from __future__ import annotations

import errno
import logging
import os
import select
import struct
import threading
import time
from typing import Callable

from reverie.base.events import Typed
from reverie.base.supervise import SupervisedThread

log = logging.getLogger("reverie")

INPUT_EVENT = struct.Struct("@llHHi")   # struct input_event: timeval (two longs), type, code, value
EV_KEY = 0x01
UP, DOWN, REPEAT = 0, 1, 2
SCAN_S = 2.0
WAIT_S = 0.2

# Linux key codes (linux/input-event-codes.h) -> (plain, shifted), a US layout.
_ROWS = {2: "1234567890-=", 16: "qwertyuiop[]", 30: "asdfghjkl;'`", 44: "zxcvbnm,./"}
_SHIFTED = {2: '!@#$%^&*()_+', 16: "QWERTYUIOP{}", 30: 'ASDFGHJKL:"~', 44: "ZXCVBNM<>?"}
CHARS: dict[int, tuple[str, str]] = {code + i: (plain, _SHIFTED[code][i])
                                     for code, row in _ROWS.items() for i, plain in enumerate(row)}
CHARS[43] = ("\\", "|")
CHARS[57] = (" ", " ")
NAMED = {14: "BackSpace", 28: "Return", 96: "Return", 1: "Escape"}
SHIFTS = {42, 54}                       # KEY_LEFTSHIFT, KEY_RIGHTSHIFT
CAPS_LOCK = 58
KEY_A, KEY_Z, KEY_ENTER = 30, 44, 28


class KeyDecoder:
    """Raw input_event bytes in, typed keys out; keeps SHIFT, Caps Lock and a partial record
    between reads."""

    def __init__(self) -> None:
        self.shift: set[int] = set()
        self.caps = False
        self._partial = b""

    def feed(self, data: bytes) -> list[str]:
        data = self._partial + data
        whole = len(data) - len(data) % INPUT_EVENT.size
        self._partial = data[whole:]
        out = []
        for _sec, _usec, kind, code, value in INPUT_EVENT.iter_unpack(data[:whole]):
            if kind == EV_KEY:
                key = self.key(code, value)
                if key is not None:
                    out.append(key)
        return out

    def key(self, code: int, value: int) -> str | None:
        if code in SHIFTS:
            (self.shift.add if value != UP else self.shift.discard)(code)
            return None
        if value == UP:
            return None
        if code == CAPS_LOCK:
            if value == DOWN:
                self.caps = not self.caps
            return None
        if code in NAMED:
            return NAMED[code]
        pair = CHARS.get(code)
        if pair is None:
            return None
        plain, shifted = pair
        upper = bool(self.shift) != (self.caps and plain.isalpha())
        return shifted if upper else plain


def find_keyboards(skip=frozenset()) -> list:
    """The keyboards plugged in now, opened (evdev InputDevice objects), but those at the
    paths in `skip` (open already)."""
    import evdev

    found = []
    for path in evdev.list_devices():
        if path in skip:
            continue
        try:
            device = evdev.InputDevice(path)
        except OSError as exc:
            log.debug("%s: not opened (%s)", path, exc)
            continue
        keys = set(device.capabilities().get(evdev.ecodes.EV_KEY, ()))
        if {KEY_A, KEY_Z, KEY_ENTER} <= keys:
            found.append(device)
        else:
            device.close()
    return found


class UsbKeyboards:
    """The reader thread. `find(skip)` returns the keyboards there now but those at the paths
    in `skip`, each with `path`, `fd` and `close()` (evdev's InputDevice by default; the
    tests give pipes)."""

    def __init__(self, emit: Callable[[Typed], None], find: Callable[[], list] = find_keyboards,
                 scan_s: float = SCAN_S, clock: Callable[[], float] = time.monotonic):
        self.emit = emit
        self.find = find
        self.scan_s = scan_s
        self.clock = clock
        self.devices: dict[str, object] = {}        # path -> device
        self._decoders: dict[str, KeyDecoder] = {}
        self._next_scan = 0.0
        self._stop = threading.Event()
        self._thread: SupervisedThread | None = None
        self.typed = 0

    def start(self) -> UsbKeyboards:
        self._thread = SupervisedThread(self._run, "usb-keyboard", self._stop)
        self._thread.start()
        return self

    def close(self) -> None:
        self._stop.set()
        if self._thread is not None:
            self._thread.join(timeout=2.0)
        for path in list(self.devices):
            self._forget(path)

    def _run(self) -> None:
        while not self._stop.is_set():
            if self.clock() >= self._next_scan:
                self._next_scan = self.clock() + self.scan_s
                self._scan()
            if not self.devices:
                self._stop.wait(min(WAIT_S, self.scan_s))
                continue
            fds = {d.fd: path for path, d in self.devices.items()}
            ready, _, _ = select.select(list(fds), [], [], WAIT_S)
            for fd in ready:
                self._read(fds[fd], fd)

    def _scan(self) -> None:
        try:
            found = self.find(frozenset(self.devices))
        except (OSError, ImportError) as exc:
            log.debug("no USB keyboards looked for: %s", exc)
            return
        for device in found:
            path = str(getattr(device, "path", id(device)))
            if path in self.devices:
                device.close()          # the one open already reads it
                continue
            grab = getattr(device, "grab", None)
            if grab is not None:
                try:
                    grab()               # its keys are the box's, not a console's
                except OSError:
                    pass
            self.devices[path] = device
            self._decoders[path] = KeyDecoder()
            log.info("a keyboard to type on: %s (%s)", getattr(device, "name", "keyboard"), path)

    def _read(self, path: str, fd: int) -> None:
        try:
            data = os.read(fd, INPUT_EVENT.size * 64)
        except BlockingIOError:
            return
        except OSError as exc:
            if exc.errno != errno.EAGAIN:
                log.info("the keyboard %s went away (%s)", path, exc.strerror or exc)
                self._forget(path)
            return
        if not data:                    # the other end closed (a pipe in the tests)
            self._forget(path)
            return
        t = self.clock()
        for key in self._decoders[path].feed(data):
            self.typed += 1
            self.emit(Typed(key, t))

    def _forget(self, path: str) -> None:
        device = self.devices.pop(path, None)
        self._decoders.pop(path, None)
        if device is not None:
            try:
                device.close()
            except OSError:
                pass
