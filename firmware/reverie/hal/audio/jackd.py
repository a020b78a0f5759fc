"""A JACK server with the dummy driver: a real audio clock without a sound card.

Tests and the bench start one per use, under a unique server name so that parallel runs
never share a server, and name their clients with `client_name()`. PortAudio's JACK host
API opens the default server, the one `JACK_DEFAULT_SERVER` names when libjack reads it:
`as_default()` sets it for this process.
"""
from __future__ import annotations

import contextlib
import itertools
import logging
import os
import shutil
import subprocess
import tempfile
import time

log = logging.getLogger(__name__)

READY_TEXT = "server is available"  # what `jack_wait -w` prints once the server answers
STOP_TIMEOUT_S = 5.0

_serial = itertools.count()


def last_lines(text: str, count: int = 3) -> str:
    return " | ".join(text.strip().splitlines()[-count:])


class JackError(RuntimeError):
    """The JACK server could not be started."""


def unique_server_name() -> str:
    return f"reverie-{os.getpid()}-{next(_serial)}"


class JackServer:
    """`jackd -R -d dummy` at a sample rate and period. Use it as a context manager."""

    def __init__(self, sample_rate_hz: int = 48000, period_frames: int = 128,
                 name: str | None = None, realtime: bool = True, ready_timeout_s: float = 10.0):
        self.sample_rate_hz = sample_rate_hz
        self.period_frames = period_frames
        self.name = name or unique_server_name()
        self.realtime = realtime
        self.ready_timeout_s = ready_timeout_s
        self._proc: subprocess.Popen | None = None
        self._log = None
        self._ready = False

    def client_name(self, role: str) -> str:
        """A client name unique on this machine. JACK binds each client's socket by client
        name alone (`/dev/shm/jack_<client>_<uid>_0`), whatever its server: two clients of the
        same name on two servers steal each other's socket and both servers misbehave."""
        return f"{self.name}-{role}"

    def command(self) -> list[str]:
        return ["jackd", "-n", self.name, "-R" if self.realtime else "-r",
                "-d", "dummy", "-r", str(self.sample_rate_hz), "-p", str(self.period_frames)]

    @property
    def running(self) -> bool:
        return self._proc is not None and self._proc.poll() is None

    def start(self) -> JackServer:
        if self._proc is not None:
            raise JackError(f"JACK server '{self.name}' is already started")
        for tool in ("jackd", "jack_wait"):
            if shutil.which(tool) is None:
                raise JackError(f"{tool} is not installed: install the Debian package jackd2")
        self._log = tempfile.TemporaryFile(prefix="jackd-", suffix=".log")
        # Its own session: a Ctrl-C must not stop jackd before its clients have let go.
        self._proc = subprocess.Popen(self.command(), stdin=subprocess.DEVNULL, stdout=self._log,
                                      stderr=subprocess.STDOUT, start_new_session=True)
        try:
            self._wait_ready()
        except BaseException:
            self.stop()
            raise
        self._ready = True
        return self

    def _wait_ready(self) -> None:
        waiter = subprocess.Popen(
            ["jack_wait", "-s", self.name, "-n", self.client_name("wait"), "-w",
             "-t", str(max(1, round(self.ready_timeout_s)))],
            stdin=subprocess.DEVNULL, stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True)
        deadline = time.monotonic() + self.ready_timeout_s + 5.0
        # Watch both: a jackd that dies at once should not cost the whole timeout.
        while waiter.poll() is None and self._proc.poll() is None and time.monotonic() < deadline:
            with contextlib.suppress(subprocess.TimeoutExpired):
                waiter.wait(timeout=0.05)
        if waiter.poll() is None:
            waiter.kill()
        output, _ = waiter.communicate()
        if READY_TEXT not in output or self._proc.poll() is not None:
            raise JackError(f"jackd '{self.name}' did not start ({self._why_not(output)})")

    def _why_not(self, waiter_output: str) -> str:
        if self._proc.poll() is not None:
            return f"exit code {self._proc.returncode}: {self.log_tail()}"
        return f"jack_wait said: {last_lines(waiter_output) or 'nothing'}"

    def log_tail(self) -> str:
        """The last lines jackd printed, on one line."""
        if self._log is None:
            return ""
        fd = self._log.fileno()
        # pread leaves the offset alone: jackd shares this file description and still writes.
        return last_lines(os.pread(fd, os.fstat(fd).st_size, 0).decode(errors="replace"))

    def stop(self) -> None:
        """Terminates the server (then kills it if it hangs). Safe to call more than once.
        Close every client first: PortAudio aborts when its server dies under it."""
        if self._proc is None:
            return
        proc, self._proc = self._proc, None
        if proc.poll() is None:
            proc.terminate()
            try:
                proc.wait(timeout=STOP_TIMEOUT_S)
            except subprocess.TimeoutExpired:
                proc.kill()
                proc.wait()
        elif self._ready:
            log.warning("jackd '%s' had exited by itself (code %s): %s",
                        self.name, proc.returncode, self.log_tail())
        self._log.close()
        self._log = None
        self._ready = False

    @contextlib.contextmanager
    def as_default(self):
        """Makes this server the one libjack clients of this process open, for the body."""
        previous = os.environ.get("JACK_DEFAULT_SERVER")
        os.environ["JACK_DEFAULT_SERVER"] = self.name
        try:
            yield self
        finally:
            if previous is None:
                os.environ.pop("JACK_DEFAULT_SERVER", None)
            else:
                os.environ["JACK_DEFAULT_SERVER"] = previous

    def __enter__(self) -> JackServer:
        return self.start()

    def __exit__(self, *exc) -> None:
        self.stop()
