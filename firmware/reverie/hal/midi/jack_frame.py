"""A frame-accurate JACK MIDI output: messages posted for an engine frame are written at
their offset in JACK's period by a C process callback (tools/jack_midi_clock.c, built by
`make build` and loaded with ctypes). docs/sync.md gives its figures against the rtmidi
ports of hal/midi/ports.py.
"""
from __future__ import annotations

import ctypes
from pathlib import Path

from reverie.base.errors import UserError
from reverie.hal.midi.ports import API_HINTS, OutputPort, checked_message

JACK_MIDI_LIBRARY = "jack_midi_clock.so"
REPO_ROOT = Path(__file__).resolve().parents[4]
_STATS = ("written", "late", "lost", "late_max_frames", "cycles", "dropped", "xruns", "queued")


def _jack_midi_library(path: Path | None = None):
    path = path or REPO_ROOT / "tools" / "bin" / JACK_MIDI_LIBRARY
    if not path.is_file():
        raise UserError(f"the frame-accurate JACK MIDI library {path.name} is not built: "
                        "run `make build`")
    lib = ctypes.CDLL(str(path))
    p, i64, u32, u64p = ctypes.c_void_p, ctypes.c_int64, ctypes.c_uint32, ctypes.POINTER(ctypes.c_uint64)
    for fn, restype, argtypes in (
            ("jmo_open", p, [ctypes.c_char_p, ctypes.c_char_p, ctypes.c_char_p, u32,
                             ctypes.POINTER(ctypes.c_int)]),
            ("jmo_close", None, [p]),
            ("jmo_port_name", ctypes.c_char_p, [p]),
            ("jmo_sample_rate", u32, [p]),
            ("jmo_period", u32, [p]),
            ("jmo_connect", ctypes.c_int, [p, ctypes.c_char_p]),
            ("jmo_post", ctypes.c_int, [p, i64, ctypes.c_char_p, u32]),
            ("jmo_cycle", ctypes.c_int, [p, ctypes.POINTER(i64), u64p]),
            ("jmo_stats", ctypes.c_int, [p, u64p])):
        getattr(lib, fn).restype = restype
        getattr(lib, fn).argtypes = argtypes
    return lib


class JackFrameOutput(OutputPort):
    """A JACK MIDI output whose messages land on their exact frame: `post(frame, data)`
    queues a message for an engine frame and the C process callback writes it at its offset
    in the period. `on_anchor(frame, t_ns)`, fed the engine's `clock_anchor()`, lines the
    engine's frames up with JACK's (the two callbacks of one cycle start close together).
    The engine must run on the same JACK server, one callback per JACK period."""

    frame_accurate = True

    def __init__(self, client_name: str, port_name: str = "out", server: str | None = None,
                 ring_events: int = 4096, library: Path | None = None):
        self._lib = _jack_midi_library(library)
        status = ctypes.c_int(0)
        handle = self._lib.jmo_open(server.encode() if server else None, client_name.encode(),
                                    port_name.encode(), ring_events, ctypes.byref(status))
        if not handle:
            raise UserError(f"the JACK MIDI client '{client_name}' did not open (status "
                            f"{status.value:#x}): {API_HINTS['jack']}")
        self._handle = handle
        super().__init__(self._lib.jmo_port_name(handle).decode())
        self.sample_rate_hz = self._lib.jmo_sample_rate(handle)
        self.period_frames = self._lib.jmo_period(handle)
        self.offset_frames: int | None = None   # JACK frame - engine frame
        self.offset_changes = 0
        self.unsynced = 0                       # posted before any anchor: not sent

    def connect(self, destination: str) -> None:
        if self._lib.jmo_connect(self._handle, destination.encode()) != 0:
            raise UserError(f"cannot connect the JACK MIDI port '{self.name}' to "
                            f"'{destination}': name an existing MIDI input port")

    def cycle(self) -> tuple[int, int] | None:
        """(JACK frame, monotonic ns) at the start of JACK's last cycle, None before one."""
        frame, t_ns = ctypes.c_int64(), ctypes.c_uint64()
        if not self._lib.jmo_cycle(self._handle, ctypes.byref(frame), ctypes.byref(t_ns)):
            return None
        return frame.value, t_ns.value

    def on_anchor(self, frame: int, t_ns: int) -> None:
        """The engine's callback started `frame` at `t_ns`: find JACK's cycle that matches."""
        cycle = self.cycle()
        if cycle is None or self._closed:
            return
        period_ns = 1e9 * self.period_frames / self.sample_rate_hz
        periods_apart = (cycle[1] - t_ns) / period_ns
        whole = round(periods_apart)
        if abs(periods_apart - whole) > 0.25:
            return                  # too far from a whole number of periods to be sure
        offset = cycle[0] - whole * self.period_frames - frame
        if offset != self.offset_frames:
            self.offset_changes += self.offset_frames is not None
            self.offset_frames = offset

    def post(self, frame: int, data) -> bool:
        """Queues `data` for engine frame `frame`; False when it could not be queued."""
        data = checked_message(data)
        if self._closed:
            raise ValueError(f"post() on the closed MIDI port '{self.name}'")
        if self.offset_frames is None:
            self.unsynced += 1
            return False
        result = self._lib.jmo_post(self._handle, frame + self.offset_frames, data, len(data))
        if result == -2:
            raise ValueError(f"the JACK frame port takes messages of 1..4 bytes, not {len(data)}")
        return result == 0

    def _send(self, data: bytes) -> None:
        cycle = self.cycle()
        frame = 0 if cycle is None else cycle[0] + self.period_frames  # the next cycle
        if self._lib.jmo_post(self._handle, frame, data, len(data)) == -2:
            raise ValueError(f"the JACK frame port takes messages of 1..4 bytes, not {len(data)}")

    def stats(self) -> dict:
        """The C side's counters (late: sent after their frame; lost: the port buffer was
        full; dropped: the ring was full) and this side's."""
        if self._handle is None:
            return dict(self._final_stats)
        values = (ctypes.c_uint64 * len(_STATS))()
        self._lib.jmo_stats(self._handle, values)
        return {**dict(zip(_STATS, values)), "offset_changes": self.offset_changes,
                "unsynced": self.unsynced}

    def _close(self) -> None:
        self._final_stats = self.stats()
        handle, self._handle = self._handle, None
        self._lib.jmo_close(handle)
