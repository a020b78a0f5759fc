"""A JACK server with the dummy driver: a real audio clock without a sound card.

Tests and the bench start one per use, under a unique server name so that parallel runs
never share a server. Clients reach a named server through `JACK_DEFAULT_SERVER`, which
libjack reads when a client opens (PortAudio's JACK host API, the JACK-Client package and
the C reference client alike); `as_default()` sets it for this process.
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
        return self

    def _wait_ready(self) -> None:
        waiter = subprocess.Popen(
            ["jack_wait", "-s", self.name, "-w", "-t", str(max(1, round(self.ready_timeout_s)))],
            stdin=subprocess.DEVNULL, stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True)
        deadline = time.monotonic() + self.ready_timeout_s + 5.0
        # Watch both: a jackd that dies at once should not cost the whole timeout.
        while waiter.poll() is None and self._proc.poll() is None and time.monotonic() < deadline:
            with contextlib.suppress(subprocess.TimeoutExpired):
                waiter.wait(timeout=0.05)
        if waiter.poll() is None:
            waiter.kill()
        output, _ = waiter.communicate()
        if READY_TEXT not in output:
            raise JackError(f"jackd '{self.name}' did not start ({self._why_not(output)})")

    def _why_not(self, waiter_output: str) -> str:
        if self._proc.poll() is not None:
            return f"exit code {self._proc.returncode}: {self.log_tail()}"
        return f"jack_wait said: {waiter_output.strip() or 'nothing'}"

    def log_tail(self, lines: int = 3) -> str:
        """The last lines jackd printed, on one line."""
        if self._log is None:
            return ""
        fd = self._log.fileno()
        # pread leaves the offset alone: jackd shares this file description and still writes.
        text = os.pread(fd, os.fstat(fd).st_size, 0).decode(errors="replace").strip().splitlines()
        return " | ".join(text[-lines:])

    def stop(self) -> None:
        """Terminates the server (then kills it if it hangs). Safe to call more than once.
        Close every client first: PortAudio aborts when its server dies under it."""
        if self._proc is None:
            return
        proc, self._proc = self._proc, None
        if proc.poll() is not None:
            log.warning("jackd '%s' had already exited (code %s): %s",
                        self.name, proc.returncode, self.log_tail())
        else:
            proc.terminate()
            try:
                proc.wait(timeout=STOP_TIMEOUT_S)
            except subprocess.TimeoutExpired:
                proc.kill()
                proc.wait()
        self._log.close()
        self._log = None

    def environment(self) -> dict[str, str]:
        """Environment for a subprocess that should be a client of this server."""
        return {**os.environ, "JACK_DEFAULT_SERVER": self.name}

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
