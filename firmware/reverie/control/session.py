"""Where the musician left off: the data directory's session.json names the last project's
folder, the pattern shown and the page, so that the box reopens them at the next start.

    {"version": 1, "project": "projects/Night-bus", "pattern": "A03", "page": "SOUND"}

"project" is the folder relative to the data directory when it is inside it (so the data
directory can move: a backup restored elsewhere, another --data-dir), else absolute; null
for a project with no folder yet (the demo, a new one). The file is
written atomically on the worker thread; a bad or missing file is no session at all (the
box opens the configured project, else the demo). The tempo is the project's own."""
from __future__ import annotations

import json
import logging
from dataclasses import dataclass
from pathlib import Path

from reverie.base.errors import UserError
from reverie.base.files import atomic_path

log = logging.getLogger("reverie")

VERSION = 1
MAX_BYTES = 64 * 1024


@dataclass(frozen=True)
class Session:
    project: str | None = None      # the project's folder
    pattern: str = ""               # "A01".."P16", "" = the project's own
    page: str = ""                  # a page name ("PATTERN"), "" = the first page

    def to_dict(self) -> dict:
        return {"version": VERSION, "project": self.project, "pattern": self.pattern, "page": self.page}


def stored(folder, data_root: Path) -> str | None:
    """How session.json names a project folder: relative to the data directory if inside it."""
    if folder is None:
        return None
    folder, root = Path(folder).resolve(), Path(data_root).resolve()
    return str(folder.relative_to(root)) if folder.is_relative_to(root) else str(folder)


def resolved(project: str | None, data_root: Path) -> Path | None:
    """The folder session.json names, absolute."""
    return None if not project else Path(data_root) / project


def read_session(path: Path) -> Session | None:
    """The session in `path`, or None (no file, or a file that is not one: logged)."""
    try:
        if path.stat().st_size > MAX_BYTES:
            raise ValueError("too large")
        data = json.loads(path.read_text(encoding="utf-8"))
    except FileNotFoundError:
        return None
    except (OSError, ValueError) as exc:
        log.warning("%s: not read (%s); no session to reopen", path, exc)
        return None
    text = (str, type(None))
    if not isinstance(data, dict) or data.get("version") != VERSION or \
            not isinstance(data.get("project"), text) or not isinstance(data.get("pattern", ""), str) or \
            not isinstance(data.get("page", ""), str):
        log.warning("%s: not a session file of version %d; no session to reopen", path, VERSION)
        return None
    return Session(data.get("project"), data.get("pattern", "")[:8], data.get("page", "")[:32])


def write_session(path: Path, session: Session) -> None:
    """Writes `session` atomically, or UserError (a full disk, a read-only folder)."""
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
        with atomic_path(path) as tmp:
            tmp.write_text(json.dumps(session.to_dict()) + "\n", encoding="utf-8")
    except OSError as exc:
        raise UserError(f"cannot keep the session in {path} ({exc.strerror or exc})") from None
