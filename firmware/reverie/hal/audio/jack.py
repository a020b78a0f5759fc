"""`[audio] device = "jack"`: the engine on Reverie's own JACK client (jack_client.pyx).

The client's two outputs connect to the server's first physical playback ports. When the
server stops, JACK shuts the client down and `failure` says so; nothing blocks and nothing
aborts, unlike PortAudio's JACK host API (docs/audio.md). The server's rate must be the
engine's; its period is the server's (`[audio] period_frames` is not asked of JACK).
"""
from __future__ import annotations

import logging

from reverie.base.errors import UserError
from reverie.hal.audio.output import AudioOutput, AudioSettings, NoAudioDevice

log = logging.getLogger(__name__)


class JackOutput(AudioOutput):
    def __init__(self, engine, settings: AudioSettings, quiet: bool = False):
        from reverie.hal.audio.jack_client import JackClient, JackUnavailable

        super().__init__(engine, settings)
        try:
            self.client = JackClient(engine, settings.jack_client, settings.jack_server, quiet=quiet)
        except JackUnavailable as exc:
            raise NoAudioDevice(str(exc)) from exc
        c = self.client
        if c.sample_rate_hz != settings.sample_rate_hz:
            c.close()
            raise UserError(f"the JACK server runs at {c.sample_rate_hz} Hz, Reverie at "
                            f"{settings.sample_rate_hz} Hz: set audio.sample_rate_hz to "
                            f"{c.sample_rate_hz} or start jackd with -r {settings.sample_rate_hz}")
        server = f"server '{settings.jack_server}'" if settings.jack_server else "the default server"
        self.description = (f"JACK client '{c.name}' on {server}, {c.sample_rate_hz} Hz, "
                            f"{c.period_frames} frames")
        self.connections = 0

    @property
    def failure(self) -> str:
        if self.client.closed or not self.client.shut_down:
            return ""
        return f"the JACK server stopped ({self.client.shutdown_reason or 'no reason given'})"

    def _start(self) -> None:
        from reverie.hal.audio.jack_client import JackUnavailable

        try:
            self.connections = self.client.activate()
        except JackUnavailable as exc:
            raise NoAudioDevice(str(exc)) from exc
        if self.connections == 0:
            log.info("%s: no physical playback ports to connect to", self.description)

    def _stop(self) -> None:
        self.client.deactivate()

    def _close(self) -> None:
        self.client.close()
