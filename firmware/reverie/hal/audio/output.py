"""Audio output: the engine's C callback on a PortAudio stream, or on Reverie's own JACK client.

The stream's callback is a C function (the engine's, or the render gate's in front of it),
handed to PortAudio as a function pointer the way python-rtmixer does it. No Python code
runs per audio block, so nothing that holds the GIL can delay the audio. On ALSA the
callback thread asks for real-time scheduling (`PaAlsa_EnableRealtimeScheduling`).

`open_output(source, settings)` opens the configured device, not started: `device = "jack"`
is Reverie's own JACK client (reverie.hal.audio.jack), anything else a PortAudio device
chosen by name. With no device to open it raises `NoAudioDevice`; the supervisor
(reverie.hal.audio.supervisor) then runs the engine on its fallback clock and tries again.
"""
from __future__ import annotations

import abc
import contextlib
import ctypes
import logging
from collections.abc import Collection
from dataclasses import dataclass

from reverie.base.errors import UserError

log = logging.getLogger(__name__)

PERIOD_FRAMES_MIN = 64
PERIOD_FRAMES_MAX = 256
CHANNELS = 2


JACK_DEVICE = "jack"                        # `device` that picks Reverie's own JACK client


@dataclass(frozen=True)
class AudioSettings:
    """The `[audio]` configuration. `device` is "jack" (Reverie's own JACK client) or a
    case-insensitive part of a PortAudio device's name or of "host API: name" ("hifiberry",
    "default"). `jack_server` "" is the default server; `jack_client` names the client."""
    device: str = "default"
    sample_rate_hz: int = 48000
    period_frames: int = 128
    latency_s: float | None = None          # None: the device's low latency
    jack_server: str = ""
    jack_client: str = "reverie"
    realtime: bool = True                   # ALSA: the callback thread at real-time priority

    @property
    def uses_jack(self) -> bool:
        return self.device.strip().lower() == JACK_DEVICE

    def validate(self) -> None:
        if not PERIOD_FRAMES_MIN <= self.period_frames <= PERIOD_FRAMES_MAX:
            raise UserError(
                f"audio period of {self.period_frames} frames is outside "
                f"{PERIOD_FRAMES_MIN}..{PERIOD_FRAMES_MAX}: set audio.period_frames to 64, 128 or 256")
        if self.sample_rate_hz <= 0:
            raise UserError(f"audio sample rate {self.sample_rate_hz} Hz is not positive: "
                            "set audio.sample_rate_hz to 48000")


@dataclass(frozen=True)
class OutputDevice:
    index: int                  # PortAudio's device index
    name: str
    host_api: str
    channels: int               # output channels
    default_sample_rate_hz: float

    @property
    def label(self) -> str:
        return f"{self.host_api}: {self.name}"


class NoAudioDevice(Exception):
    """There is no audio device to play on (the reason is the message)."""


class AudioOutput(abc.ABC):
    """Where the engine's audio goes. `start()` begins playing, `stop()` pauses, `close()`
    releases everything and may be called any number of times. Backends implement
    `_start`, `_stop` and `_close`, and say through `failure` when the device has gone.

    `engine` is what the callback renders: the engine itself, or a render gate's slot
    (reverie.hal.audio.render_gate), anything with `callback_address`, `userdata_address`
    and `sample_rate`."""

    description = "audio output"

    def __init__(self, engine, settings: AudioSettings):
        # Held for the output's whole life: the audio thread reads the engine's C state.
        self.engine = engine
        self.settings = settings
        self._running = False
        self._closed = False

    @property
    def running(self) -> bool:
        return self._running

    @property
    def failure(self) -> str:
        """Why the device stopped playing by itself ("" while it plays, or was stopped)."""
        return ""

    def realtime_note(self) -> str:
        """What priority the audio thread got, once started ("" when the server decides)."""
        return ""

    @property
    def closed(self) -> bool:
        return self._closed

    def start(self) -> None:
        if self._closed:
            raise RuntimeError(f"{self.description} is closed")
        if not self._running:
            self._start()
            self._running = True

    def stop(self) -> None:
        if self._running:
            self._running = False
            self._stop()

    def close(self) -> None:
        if self._closed:
            return
        self._closed = True
        try:
            self.stop()
        finally:
            self._close()

    def __enter__(self):
        return self

    def __exit__(self, *exc) -> None:
        self.close()

    @abc.abstractmethod
    def _start(self) -> None:
        """Begin pulling audio from the engine."""

    @abc.abstractmethod
    def _stop(self) -> None:
        """Pause; `_start` may follow."""

    @abc.abstractmethod
    def _close(self) -> None:
        """Release the device or file for good."""


def _sounddevice():
    """The sounddevice module; a missing PortAudio library means there is no audio device."""
    try:
        import sounddevice
    except OSError as exc:
        raise NoAudioDevice(f"PortAudio is not available ({exc})") from exc
    return sounddevice


def list_output_devices() -> list[OutputDevice]:
    """Every device PortAudio can play on, in PortAudio's order (empty without PortAudio)."""
    try:
        sd = _sounddevice()
    except NoAudioDevice as exc:
        log.debug("no output devices: %s", exc)
        return []
    host_apis = sd.query_hostapis()
    return [OutputDevice(index=info["index"], name=info["name"],
                         host_api=host_apis[info["hostapi"]]["name"],
                         channels=info["max_output_channels"],
                         default_sample_rate_hz=info["default_samplerate"])
            for info in sd.query_devices() if info["max_output_channels"] > 0]


def _host_api_defaults() -> set[int]:
    sd = _sounddevice()
    return {api["default_output_device"] for api in sd.query_hostapis()}


def find_output_device(query: str, devices: list[OutputDevice],
                       preferred: Collection[int] = ()) -> OutputDevice:
    """The device whose name or "host API: name" contains `query` (any case). Among several:
    an exact name, then a host API's default output (`preferred` indices), then the first."""
    wanted = query.strip().lower()
    matches = [d for d in devices if wanted in d.label.lower()]
    if not matches:
        available = ", ".join(f"'{d.label}'" for d in devices) or "none"
        raise UserError(f"no audio output device matches '{query}' (available: {available}): "
                        "set audio.device to part of one of these names")
    for better in ([d for d in matches if d.name.lower() == wanted],
                   [d for d in matches if d.index in preferred]):
        if better:
            return better[0]
    return matches[0]


def _check_format(sd, device: OutputDevice, settings: AudioSettings) -> None:
    if device.channels < CHANNELS:
        raise UserError(f"audio device '{device.label}' has {device.channels} output channel, "
                        f"Reverie needs {CHANNELS}: choose another audio.device")
    try:
        sd.check_output_settings(device=device.index, channels=CHANNELS, dtype="float32",
                                 samplerate=settings.sample_rate_hz)
    except sd.PortAudioError as exc:
        raise UserError(
            f"audio device '{device.label}' cannot play {settings.sample_rate_hz} Hz "
            f"({exc.args[0]}); it runs at {device.default_sample_rate_hz:g} Hz: "
            "set audio.sample_rate_hz to a rate the device supports") from exc


class PortAudioOutput(AudioOutput):
    """A PortAudio output stream whose callback is the engine's C callback."""

    def __init__(self, engine, settings: AudioSettings, device: OutputDevice):
        super().__init__(engine, settings)
        sd = _sounddevice()
        self.device = device
        self._stream = sd._StreamBase(
            kind="output", samplerate=settings.sample_rate_hz, blocksize=settings.period_frames,
            device=device.index, channels=CHANNELS, dtype="float32",
            latency="low" if settings.latency_s is None else settings.latency_s,
            callback=sd._ffi.cast("PaStreamCallback *", engine.callback_address),
            userdata=sd._ffi.cast("void *", engine.userdata_address),
            wrap_callback=None)
        self.realtime = settings.realtime and device.host_api == "ALSA" and _enable_alsa_realtime(self._stream)
        self.audio_threads: list[int] = []      # the threads PortAudio started for the stream
        self.description = (f"audio device '{device.label}', {settings.sample_rate_hz} Hz, "
                            f"{settings.period_frames} frames")

    @property
    def latency_s(self) -> float:
        return self._stream.latency

    @property
    def failure(self) -> str:
        if not self._running or self._closed:
            return ""
        sd = _sounddevice()
        try:
            if self._stream.active:
                return ""
        except sd.PortAudioError as exc:
            return f"the stream failed ({exc})"
        return "the stream stopped by itself"

    def _start(self) -> None:
        from reverie.hal.realtime import raise_priority, thread_ids

        before = thread_ids()
        self._stream.start()
        self.audio_threads = sorted(thread_ids() - before)
        if self.realtime:       # PortAudio asks for SCHED_FIFO at its lowest priority, 1
            raise_priority(self.audio_threads)

    def realtime_note(self) -> str:
        if self.device.host_api != "ALSA" or not self.audio_threads:
            return ""
        from reverie.hal.realtime import describe_threads

        note = describe_threads(self.audio_threads)
        if note == "normal priority" and self.settings.realtime:
            note += " (real-time scheduling refused: the service sets LimitRTPRIO=95; elsewhere " \
                    "add the user to the audio group with an rtprio limit)"
        return f"the callback thread runs at {note}"

    def _stop(self) -> None:
        self._stream.stop(ignore_errors=False)

    def _close(self) -> None:
        self._stream.close(ignore_errors=False)


def _open_device(engine, settings: AudioSettings) -> PortAudioOutput:
    sd = _sounddevice()
    devices = list_output_devices()
    if not devices:
        raise NoAudioDevice("no audio output device found")
    device = find_output_device(settings.device, devices, _host_api_defaults())
    _check_format(sd, device, settings)
    try:
        return PortAudioOutput(engine, settings, device)
    except sd.PortAudioError as exc:
        raise NoAudioDevice(f"audio device '{device.label}' does not open ({exc})") from exc


def open_output(engine, settings: AudioSettings = AudioSettings(), quiet: bool = False) -> AudioOutput:
    """The engine's audio output as configured, not started yet. `NoAudioDevice` when there
    is none to open now; `UserError` when a device is there but cannot play as configured.
    `quiet`: a retry, whose failures the libraries should not print."""
    settings.validate()
    if engine.sample_rate != settings.sample_rate_hz:
        raise ValueError(f"the engine runs at {engine.sample_rate:g} Hz, "
                         f"the audio settings at {settings.sample_rate_hz} Hz")
    if settings.uses_jack:
        from reverie.hal.audio.jack import JackOutput
        return JackOutput(engine, settings, quiet=quiet)
    return _open_device(engine, settings)


def _enable_alsa_realtime(stream) -> bool:
    """Asks PortAudio to run the ALSA stream's callback thread with SCHED_FIFO (it must be
    asked before the stream starts; it falls back to normal scheduling if refused)."""
    sd = _sounddevice()
    library = ctypes.CDLL(sd._libname)  # the library sounddevice has loaded, not a second copy
    try:
        enable = library.PaAlsa_EnableRealtimeScheduling
    except AttributeError:
        log.info("this PortAudio has no ALSA real-time switch: the audio thread runs at normal priority")
        return False
    enable.argtypes = [ctypes.c_void_p, ctypes.c_int]
    enable.restype = None
    enable(ctypes.c_void_p(int(sd._ffi.cast("uintptr_t", stream._ptr))), 1)
    return True


PORTAUDIO_JACK_CLIENT = "PortAudio"   # pa_jack.c's own default
_jack_client_name = None              # pa_jack.c keeps the pointer: the buffer must live on


def set_jack_client_name(name: str) -> None:
    """Names PortAudio's JACK client, and so its ports (`name:out_0`, `name:out_1`), from
    PortAudio's next initialisation on (`rescan_devices()`). JACK binds a client's socket
    by client name alone, so clients of different servers on one machine need different
    names, and none may be named like a server."""
    global _jack_client_name
    sd = _sounddevice()
    library = ctypes.CDLL(sd._libname)  # the library sounddevice has loaded, not a second copy
    buffer = ctypes.create_string_buffer(name.encode())
    if library.PaJack_SetClientName(buffer) != 0:
        raise ValueError(f"JACK client name '{name}' is too long")
    _jack_client_name = buffer


def rescan_devices() -> None:
    """Re-initialises PortAudio so that it sees host APIs started since (a JACK server).
    No stream may be open."""
    sd = _sounddevice()
    sd._terminate()
    sd._initialize()


@contextlib.contextmanager
def portaudio_on_jack(server, client_name: str | None = None):
    """PortAudio attached to a started `reverie.hal.audio.jackd.JackServer` for the body, as the JACK
    client `client_name` (default: unique to the server). At exit PortAudio lets go of the
    server (closing any stream still open) before the server stops: a JACK server that dies
    under PortAudio hangs the process, then aborts it."""
    sd = _sounddevice()
    try:
        with server.as_default():
            set_jack_client_name(client_name or server.client_name("audio"))
            rescan_devices()
            try:
                yield server
            finally:
                sd._terminate()
                server.stop()
    finally:
        set_jack_client_name(PORTAUDIO_JACK_CLIENT)
        sd._initialize()
