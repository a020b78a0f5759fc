"""Keys typed in the terminal: bytes from stdin parsed into key names, fed to the Keyboard.

stdin is put in cbreak mode (keys arrive at once, no echo; Ctrl-C still interrupts) only when
it is a terminal, and its settings are restored on close. A lone Esc cannot be told from the
start of an arrow's escape sequence until the next bytes arrive, so an unfinished sequence
waits ESC_WAIT_S for the rest.
"""
from __future__ import annotations

import atexit
import logging
import os
import select
import threading

log = logging.getLogger(__name__)

ESC_WAIT_S = 0.05
IDLE_S = 0.25           # how often `on_idle` runs while no key comes (the screen's resize check)
CONTROL = {"\t": "Tab", "\r": "Return", "\n": "Return", "\x7f": "BackSpace", "\x08": "BackSpace",
           "\x03": "C-c", "\x04": "C-d", " ": "space"}
CURSOR_KEYS = {"A": "Up", "B": "Down", "C": "Right", "D": "Left", "H": "Home", "F": "End", "Z": "BackTab"}


def parse_keys(data: bytes) -> tuple[list[str], bytes]:
    """The key names in `data`, and an unfinished escape sequence at its end (to prepend to the
    next bytes). Cursor keys come as "ESC [ C" or "ESC O C", with modifiers as "ESC [ 1 ; 2 C"."""
    names, i, n = [], 0, len(data)
    while i < n:
        byte = data[i]
        if byte != 0x1B:
            char = chr(byte)
            if char in CONTROL:
                names.append(CONTROL[char])
            elif 0x20 < byte < 0x7F:
                names.append(char)
            i += 1            # other control bytes and non-ASCII bytes are no key of ours
            continue
        if i + 1 == n:
            return names, data[i:]
        second = data[i + 1]
        if second == ord("["):
            j = i + 2
            while j < n and 0x20 <= data[j] <= 0x3F:      # parameter and intermediate bytes
                j += 1
            if j == n:
                return names, data[i:]
            final = chr(data[j])
            if 0x40 <= data[j] <= 0x7E:
                names.append(CURSOR_KEYS.get(final, f"CSI {data[i + 2:j].decode()}{final}"))
                j += 1
            i = j
        elif second == ord("O"):
            if i + 2 == n:
                return names, data[i:]
            final = chr(data[i + 2])
            names.append(CURSOR_KEYS.get(final, f"SS3 {final}"))
            i += 3
        elif second == 0x1B:
            names.append("Escape")
            i += 1
        else:
            names.append(f"M-{chr(second)}")            # Alt with a key: not ours
            i += 2
    return names, b""


class TerminalKeys:
    def __init__(self, keyboard, stdin, on_idle=lambda: None):
        self.keyboard = keyboard
        self.stdin = stdin
        self._on_idle = on_idle
        self._pending = b""
        self._thread = None
        self._saved = None
        self._wake_r = self._wake_w = None

    def feed(self, data: bytes) -> list[str]:
        """Type `data`: every key name found goes to the keyboard as a tap."""
        names, self._pending = parse_keys(self._pending + data)
        for name in names:
            self.keyboard.tap(name)
        return names

    def flush(self) -> list[str]:
        """No more bytes came: an unfinished escape sequence was the Esc key itself."""
        names = ["Escape"] if self._pending else []
        self._pending = b""
        for name in names:
            self.keyboard.tap(name)
        return names

    def start(self) -> bool:
        """Read stdin on a thread, if it is a terminal. False when it is not (nothing read)."""
        try:
            fd = self.stdin.fileno()
        except (AttributeError, OSError, ValueError):
            return False
        if not os.isatty(fd):
            log.info("standard input is not a terminal: no keys from it")
            return False
        import termios
        import tty
        self._saved = (fd, termios.tcgetattr(fd))
        tty.setcbreak(fd, termios.TCSANOW)
        atexit.register(self._restore)
        self._wake_r, self._wake_w = os.pipe()
        self._thread = threading.Thread(target=self._run, args=(fd,), name="terminal-keys", daemon=True)
        self._thread.start()
        return True

    def close(self) -> None:
        if self._thread is not None:
            os.write(self._wake_w, b"x")
            self._thread.join(2.0)
            self._thread = None
            os.close(self._wake_r)
            os.close(self._wake_w)
        self._restore()

    def _restore(self) -> None:
        if self._saved is None:
            return
        import termios
        fd, attributes = self._saved
        self._saved = None
        try:
            termios.tcsetattr(fd, termios.TCSAFLUSH, attributes)    # and drop keys typed since
        except termios.error:
            pass            # the terminal is gone: nothing left to restore
        atexit.unregister(self._restore)

    def _run(self, fd: int) -> None:
        while True:
            due_s = self.keyboard.poll()
            timeout = min(IDLE_S if due_s is None else due_s, ESC_WAIT_S if self._pending else IDLE_S)
            ready, _, _ = select.select([fd, self._wake_r], [], [], timeout)
            if self._wake_r in ready:
                return
            if fd not in ready:
                if self._pending:
                    self.flush()
                self._on_idle()
                continue
            try:
                data = os.read(fd, 1024)
            except OSError:
                data = b""
            if not data:
                log.info("the terminal closed: no more keys from it")
                return
            self.feed(data)
