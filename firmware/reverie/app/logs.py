"""Where the log goes: the journal under systemd (structured fields), a file in the data
directory while the simulator draws on the terminal, stderr otherwise.

Structured fields: every record's `extra={...}` becomes journal fields (EXTRA_PROJECT=…,
EXTRA_DSP_LOAD=…); `journalctl -u reverie -o verbose` shows them.
"""
from __future__ import annotations

import logging
import os
import sys
from pathlib import Path

JOURNAL_SOCKET = Path("/run/systemd/journal/socket")
FORMAT = "%(asctime)s %(levelname)s %(name)s: %(message)s"


def under_journal(environ=os.environ, stderr=sys.stderr) -> bool:
    """True when systemd connected stderr to the journal (JOURNAL_STREAM names it)."""
    stream = environ.get("JOURNAL_STREAM", "")
    device, _, inode = stream.partition(":")
    if not (device.isdigit() and inode.isdigit()):
        return False
    try:
        st = os.fstat(stderr.fileno())
    except (OSError, ValueError, AttributeError):
        return False
    return (st.st_dev, st.st_ino) == (int(device), int(inode))


def journal_handler(socket_path: Path = JOURNAL_SOCKET) -> logging.Handler | None:
    """A handler that writes to the journal's native socket, or None when there is none."""
    try:
        from logging_journald import JournaldLogHandler

        return JournaldLogHandler(identifier="reverie", socket_path=socket_path)
    except (ImportError, OSError):
        return None


def send_log_to(handler: logging.Handler, level: int = logging.INFO) -> None:
    root = logging.getLogger()
    for h in list(root.handlers):
        root.removeHandler(h)
    root.addHandler(handler)
    root.setLevel(level)


def to_journal_if_service(level: int = logging.INFO, environ=os.environ) -> bool:
    """Under systemd, the log goes to the journal with its fields; returns whether it did."""
    if not under_journal(environ):
        return False
    handler = journal_handler()
    if handler is None:
        return False          # journald's socket is gone: stderr still reaches the journal
    send_log_to(handler, level)
    return True


def to_file(path: Path, level: int = logging.INFO) -> Path:
    """The simulator draws the screen on the terminal: the log goes to `path` instead."""
    path.parent.mkdir(parents=True, exist_ok=True)
    handler = logging.FileHandler(path, encoding="utf-8")
    handler.setFormatter(logging.Formatter(FORMAT))
    send_log_to(handler, level)
    return path
