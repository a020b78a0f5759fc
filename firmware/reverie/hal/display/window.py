"""A desktop window mirroring the screen (x4, crisp pixels, light on black like the OLED) and
taking real key presses and releases, so pads and SHIFT can be held and long presses are real.

Every Tk call happens on the window's own thread: `display(image)` only swaps a reference that
the thread picks up on its next tick, and Tk objects are created and destroyed on that thread.
"""
from __future__ import annotations

import gc
import logging
import queue
import threading

from PIL import Image

log = logging.getLogger(__name__)

SCALE = 4
LIT = (225, 240, 255)           # a white OLED's slightly cool white
TICK_MS = 15                    # how often the window looks for a new image and due timers
REPEAT_GAP_MS = 25              # a release followed this soon by a press of the key is auto-repeat
BORDER_PX = 12
CONTROL_MASK = 0x4
NAMED = {"space": "space", "Tab": "Tab", "ISO_Left_Tab": "Tab", "Return": "Return", "KP_Enter": "Return",
         "BackSpace": "BackSpace", "Left": "Left", "Right": "Right"}
KEYSYM_CHARS = {"grave": "`", "question": "?", "slash": "/", "comma": ",", "period": ".", "minus": "-",
                "equal": "=", "exclam": "!", "at": "@", "numbersign": "#", "dollar": "$"}


def key_name(keysym: str, char: str, state: int) -> str | None:
    """A Tk key event as a key map name ("q", "space", "C-c"), or None."""
    if state & CONTROL_MASK and keysym.lower() in ("c", "d"):
        return f"C-{keysym.lower()}"
    if keysym in NAMED:
        return NAMED[keysym]
    if len(char) == 1 and 0x20 < ord(char) < 0x7F:
        return char
    return KEYSYM_CHARS.get(keysym, keysym if len(keysym) == 1 else None)


def ppm(image, scale: int = SCALE) -> bytes:
    """The 1-bit image as a binary PPM, scaled by whole pixels, lit pixels in LIT."""
    big = image.convert("L").resize((image.width * scale, image.height * scale), Image.NEAREST)
    rgb = Image.merge("RGB", [big.point(lambda v, c=c: c if v >= 128 else 0) for c in LIT])
    return b"P6 %d %d 255\n" % rgb.size + rgb.tobytes()


class Window:
    width, height, mode = 128, 64, "1"
    size = (width, height)

    def __init__(self, keyboard, on_close, screen: str | None = None, scale: int = SCALE):
        self.keyboard = keyboard
        self._on_close = on_close
        self._screen = screen
        self._scale = scale
        self._image = None
        self._calls: queue.Queue = queue.Queue()
        self._closing = threading.Event()
        self._ready = threading.Event()
        self._error = None
        self._thread = threading.Thread(target=self._run, name="window", daemon=True)

    def display(self, image) -> None:
        self._image = image.copy()

    def cleanup(self) -> None:
        self._closing.set()
        if self._thread.is_alive() and threading.current_thread() is not self._thread:
            self._thread.join(5.0)

    def call(self, fn, timeout_s: float = 5.0):
        """Run fn(root) on the window's thread and return its result."""
        done, box = threading.Event(), {}
        self._calls.put((fn, done, box))
        if not done.wait(timeout_s):
            raise TimeoutError("the window did not answer")
        if "error" in box:
            raise box["error"]
        return box["value"]

    def shown(self) -> Image.Image:
        """What the window shows, read back from Tk: the centre of every screen pixel."""
        def read(root):
            photo, half = root.photo, self._scale // 2
            lit = [[photo.get(x * self._scale + half, y * self._scale + half)[0] >= 128
                    for x in range(self.width)] for y in range(self.height)]
            image = Image.new("1", self.size)
            image.putdata([v for row in lit for v in row])
            return image
        return self.call(read)

    def _run(self) -> None:
        try:
            import tkinter
            root = tkinter.Tk(screenName=self._screen, className="Reverie")
        except Exception as exc:        # ImportError: no tkinter; TclError: no display, or refused
            self._error = exc
            self._ready.set()
            return
        keys = WindowKeys(root, self.keyboard)
        self._build(tkinter, root, keys)
        self._ready.set()
        root.mainloop()
        root.destroy()
        del root, keys
        gc.collect()        # Tk objects must die on the thread that made them

    def _build(self, tkinter, root, keys) -> None:
        root.title("reverie")
        root.configure(background="black")
        root.resizable(False, False)
        root.report_callback_exception = lambda *exc: log.error("the window failed", exc_info=exc)
        root.photo = tkinter.PhotoImage(master=root, width=self.width * self._scale,
                                        height=self.height * self._scale)
        tkinter.Label(root, image=root.photo, borderwidth=0, background="black").pack(
            padx=BORDER_PX, pady=BORDER_PX)
        root.protocol("WM_DELETE_WINDOW", self._on_close)
        root.bind("<KeyPress>", keys.down)
        root.bind("<KeyRelease>", keys.up)
        root.focus_force()
        root.after(TICK_MS, self._tick, root, [None])

    def _tick(self, root, last: list) -> None:
        if self._closing.is_set():
            root.quit()
            return
        root.after(TICK_MS, self._tick, root, last)
        image = self._image
        if image is not last[0]:
            last[0] = image
            root.photo.configure(data=ppm(image, self._scale), format="PPM")
        while not self._calls.empty():
            fn, done, box = self._calls.get()
            try:
                box["value"] = fn(root)
            except Exception as exc:
                box["error"] = exc
            done.set()
        self.keyboard.poll()


class WindowKeys:
    """Tk key events to Keyboard presses and releases, by physical key: a release is matched
    to its press by keycode (Shift may change the keysym in between), and X's auto-repeat
    (a release and a press back to back) is told apart from a real release by waiting."""

    def __init__(self, root, keyboard):
        self.root, self.keyboard = root, keyboard
        self.pressed: dict[int, str] = {}       # keycode -> key name pressed
        self.releasing: dict[int, str] = {}     # keycode -> Tk after id of the pending release

    def down(self, event) -> None:
        code = event.keycode
        pending = self.releasing.pop(code, None)
        if pending is not None:
            self.root.after_cancel(pending)
        if code in self.pressed:
            self.keyboard.press(self.pressed[code], repeat=True)
            return
        name = key_name(event.keysym, event.char, event.state)
        if name is not None:
            self.pressed[code] = name
            self.keyboard.press(name)

    def up(self, event) -> None:
        code = event.keycode
        if code in self.pressed and code not in self.releasing:
            self.releasing[code] = self.root.after(REPEAT_GAP_MS, self._release, code)

    def _release(self, code: int) -> None:
        self.releasing.pop(code, None)
        name = self.pressed.pop(code, None)
        if name is not None:
            self.keyboard.release(name)


def open_window(keyboard, on_close, screen: str | None = None, timeout_s: float = 5.0) -> Window | None:
    """A window on the X display `screen` (default: $DISPLAY, read by Tk), or None when there is
    no display or no tkinter; the simulator then runs in the terminal only."""
    window = Window(keyboard, on_close, screen)
    window._thread.start()
    if not window._ready.wait(timeout_s):
        window.cleanup()
        log.info("no window: the display did not answer within %.0f s", timeout_s)
        return None
    if window._error is not None:
        log.info("no window: %s", window._error)
        return None
    return window
