"""The box as a systemd service (Type=notify): READY once the first audio callback has run,
WATCHDOG only while the audio clock advances, STATUS lines, STOPPING on the way out.

Messages go to the socket systemd names in NOTIFY_SOCKET, one datagram each (sd_notify(3));
without one (a laptop, a test) every call is a no-op. The watchdog is fed from the control loop, but only
when the engine's callback count moved since the last ping: a control loop that runs while
the audio thread hangs, or an audio thread that runs while the control loop hangs, both stop
the pings, and systemd restarts the box after WatchdogSec.
"""
from __future__ import annotations

import logging
import socket
import time
from typing import Callable

log = logging.getLogger("reverie")


class ServiceNotifier:
    def __init__(self, notify_socket: str | None, watchdog_usec: int | None,
                 audio_clock: Callable[[], int], send: Callable[[str], None] | None = None):
        """`notify_socket`: NOTIFY_SOCKET as systemd set it (None: not a service);
        `watchdog_usec`: WATCHDOG_USEC (None or 0: no watchdog); `audio_clock`: a counter
        that the audio thread advances (the engine's callback count)."""
        self.enabled = bool(notify_socket)
        self.interval_s = watchdog_usec / 2e6 if self.enabled and watchdog_usec else None
        self.audio_clock = audio_clock
        self._send = (send or datagram_sender(notify_socket)) if self.enabled else None
        self._last_ping = float("-inf")
        self._last_clock = None
        self.pings = 0
        self.withheld = 0

    def notify(self, message: str) -> None:
        if self._send is not None:
            self._send(message)

    def ready(self, status: str = "") -> None:
        """READY, with the audio callbacks run so far as X_AUDIO_CALLBACKS (sd_notify's X_
        prefix is for a service's own variables; systemd ignores it, a test reads it)."""
        self._last_clock = self.audio_clock()
        self.notify("READY=1" + (f"\nSTATUS={status}" if status else "")
                    + f"\nX_AUDIO_CALLBACKS={self._last_clock}")

    def status(self, text: str) -> None:
        self.notify(f"STATUS={text}")

    def stopping(self) -> None:
        self.notify("STOPPING=1")

    def tick(self, now: float | None = None) -> bool:
        """Pings the watchdog when its half period has passed and the audio clock moved
        since the last ping; returns whether it pinged."""
        if self.interval_s is None:
            return False
        now = time.monotonic() if now is None else now
        if now - self._last_ping < self.interval_s:
            return False
        clock = self.audio_clock()
        if clock == self._last_clock:
            self.withheld += 1
            if self.withheld == 1:
                log.warning("the audio clock stands still: the watchdog is not fed")
            return False
        self._last_clock = clock
        self._last_ping = now
        self.withheld = 0
        self.pings += 1
        self.notify("WATCHDOG=1")
        return True


def datagram_sender(address: str) -> Callable[[str], None]:
    """Sends each message as one datagram to systemd's notify socket (a path, or "@name" in
    the abstract namespace), as sd_notify(3) does. The address is handed down by the app, which
    read it from NOTIFY_SOCKET: nothing below the app reads the environment. A send that
    fails (systemd gone, socket full) is logged once and never raises into the box."""
    target = "\0" + address[1:] if address.startswith("@") else address
    sock = socket.socket(socket.AF_UNIX, socket.SOCK_DGRAM | socket.SOCK_CLOEXEC)
    failed = []

    def send(message: str) -> None:
        try:
            sock.sendto(message.encode(), target)
        except OSError as exc:
            if not failed:
                log.warning("cannot tell systemd %r: %s", message.split("\n")[0], exc)
            failed.append(message)
    return send
