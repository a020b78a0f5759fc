"""The USB keyboard reader on recorded input_event records (the kernel's struct layout), as
evdev hands them over from /dev/input/event*: key down, up and repeat, SHIFT and Caps Lock
for capitals, BackSpace and Enter. Fed through a pipe to the real reader thread."""
from __future__ import annotations

import os
import struct
import threading
import time

from reverie.base.events import Typed
from reverie.hal.usb_keyboard import INPUT_EVENT, KeyDecoder, UsbKeyboards, find_keyboards

EV_SYN, EV_KEY, EV_MSC = 0, 1, 4
MSC_SCAN = 4
KEY = {"a": 30, "b": 48, "e": 18, "h": 35, "i": 23, "l": 38, "o": 24, "r": 19, "t": 20, "1": 2,
       " ": 57, "shift": 42, "rshift": 54, "caps": 58, "back": 14, "enter": 28, "kpenter": 96, "esc": 1,
       "f1": 59, "ctrl": 29}


def record(kind: int, code: int, value: int, sec: int = 1_740_000_000, usec: int = 0) -> bytes:
    return INPUT_EVENT.pack(sec, usec, kind, code, value)


def key(name: str, value: int) -> bytes:
    """What a keyboard sends for one key transition: the scan code, the key, a sync."""
    return record(EV_MSC, MSC_SCAN, 0x70004, usec=1) + record(EV_KEY, KEY[name], value, usec=2) + \
        record(EV_SYN, 0, 0, usec=3)


def tap(name: str) -> bytes:
    return key(name, 1) + key(name, 0)


def test_the_record_is_the_kernels_struct_input_event():
    # struct timeval { long tv_sec; long tv_usec; }; __u16 type; __u16 code; __s32 value;
    assert INPUT_EVENT.size == 2 * struct.calcsize("l") + 2 + 2 + 4


def test_key_downs_type_and_key_ups_do_not():
    d = KeyDecoder()
    assert d.feed(tap("h") + tap("i") + tap(" ") + tap("1")) == ["h", "i", " ", "1"]


def test_a_held_key_repeats():
    d = KeyDecoder()
    assert d.feed(key("o", 1) + key("o", 2) + key("o", 2) + key("o", 0)) == ["o", "o", "o"]


def test_shift_gives_capitals_and_the_upper_row_either_shift_key():
    d = KeyDecoder()
    typed = d.feed(key("shift", 1) + tap("h") + tap("1") + key("shift", 0) + tap("i") +
                   key("rshift", 1) + tap("a") + key("rshift", 0))
    assert typed == ["H", "!", "i", "A"]


def test_caps_lock_capitals_letters_only_and_shift_undoes_it():
    d = KeyDecoder()
    typed = d.feed(tap("caps") + tap("a") + tap("1") + key("shift", 1) + tap("b") + key("shift", 0) + tap("caps") + tap("a"))
    assert typed == ["A", "1", "b", "a"]


def test_backspace_enter_escape_by_name_and_other_keys_ignored():
    d = KeyDecoder()
    typed = d.feed(tap("back") + tap("enter") + tap("kpenter") + tap("esc") + tap("f1") + tap("ctrl"))
    assert typed == ["BackSpace", "Return", "Return", "Escape"]


def test_a_record_split_between_reads_is_kept_for_the_next():
    d = KeyDecoder()
    data = tap("h") + tap("i")
    cut = INPUT_EVENT.size + 5                  # in the middle of the key-down record
    assert d.feed(data[:cut]) == []
    assert d.feed(data[cut:]) == ["h", "i"]


class PipeKeyboard:
    """A keyboard that is the read end of a pipe: the test writes its input_event records."""

    def __init__(self, path: str):
        self.path = path
        self.fd, self.write_fd = os.pipe()
        self.closed = False

    def close(self):
        if not self.closed:
            os.close(self.fd)
            self.closed = True


def wait_for(condition, timeout_s: float = 5.0) -> None:
    deadline = time.monotonic() + timeout_s
    while not condition():
        assert time.monotonic() < deadline, "timed out"
        time.sleep(0.005)


def test_the_reader_thread_types_what_a_plugged_keyboard_sends_and_forgets_it_when_unplugged():
    got, lock = [], threading.Lock()
    board = PipeKeyboard("/dev/input/event7")
    offered = [[board]]

    def find(skip):
        return offered.pop() if offered else []

    def emit(ev):
        with lock:
            got.append(ev)
    reader = UsbKeyboards(emit, find=find, scan_s=0.05).start()
    try:
        wait_for(lambda: "/dev/input/event7" in reader.devices)
        text = key("shift", 1) + tap("h") + key("shift", 0) + tap("e") + tap("l") + tap("l") + tap("o") + \
            tap("back") + tap("enter")
        for i in range(0, len(text), 40):                       # in pieces, as reads come
            os.write(board.write_fd, text[i:i + 40])
        wait_for(lambda: len(got) == 7)
        assert [e.key for e in got] == ["H", "e", "l", "l", "o", "BackSpace", "Return"]
        assert all(isinstance(e, Typed) and e.t > 0 for e in got)
        os.close(board.write_fd)                                # unplugged: the read ends
        wait_for(lambda: not reader.devices)
        assert board.closed
    finally:
        reader.close()


def test_finding_keyboards_where_there_is_no_dev_input_finds_none():
    assert os.path.isdir("/dev/input") or find_keyboards() == []
