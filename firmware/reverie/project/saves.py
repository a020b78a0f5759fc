"""The saves a project keeps: before each save replaces project.json, the previous one is
copied into the project's `.history/` folder, named by the time it was saved, so that the
names sort by time:

    My-song/project.json
    My-song/.history/20261204T204401.123456Z.json     the save before
    My-song/.history/20261204T203012.004211Z.json     and the one before that …

The last KEEP are kept; an older one goes when a newer one comes. A copy is written
atomically (base/files.py), and only a file identical to the newest one kept is not kept
twice. Loading a kept save reads it as it would read project.json, samples included: a
history file holds project.json only, and the samples folder is shared."""
from __future__ import annotations

import os
import time
from dataclasses import dataclass
from pathlib import Path

from reverie.base.errors import UserError
from reverie.base.files import atomic_copy
from reverie.project.model import Project

HISTORY_DIR = ".history"
KEEP = 20
SUFFIX = ".json"
STAMP = "%Y%m%dT%H%M%S"


@dataclass(frozen=True)
class Save:
    """One kept save: its file and when it was saved (s since the epoch)."""
    path: Path
    saved_s: float

    @property
    def label(self) -> str:
        """"12-04 20:44:01", in the box's local time."""
        return time.strftime("%m-%d %H:%M:%S", time.localtime(self.saved_s))


def history_folder(project_folder: Path) -> Path:
    return Path(project_folder) / HISTORY_DIR


def stamp(saved_s: float) -> str:
    """The file name for a save made at `saved_s`: UTC, to the microsecond, sorting by time."""
    whole = int(saved_s)
    micro = min(999_999, int(round((saved_s - whole) * 1e6)))
    return f"{time.strftime(STAMP, time.gmtime(whole))}.{micro:06d}Z{SUFFIX}"


def saved_at(name: str) -> float | None:
    """The time a history file's name says, None when it is not one of ours."""
    if not name.endswith("Z" + SUFFIX) or "." not in name[:-len(SUFFIX)]:
        return None
    head, micro = name[:-len("Z" + SUFFIX)].split(".", 1)
    try:
        struct = time.strptime(head, STAMP)
        return _timegm(struct) + int(micro) / 1e6 if micro.isdigit() and len(micro) == 6 else None
    except ValueError:
        return None


def _timegm(struct) -> float:
    import calendar

    return float(calendar.timegm(struct))


def kept(project_folder: Path) -> list[Save]:
    """The saves kept for the project, the newest first."""
    folder = history_folder(project_folder)
    try:
        names = os.listdir(folder)
    except OSError:
        return []
    saves = [Save(folder / n, t) for n in names if (t := saved_at(n)) is not None]
    return sorted(saves, key=lambda s: s.path.name, reverse=True)


def keep_previous(current: Path, keep: int = KEEP) -> Path | None:
    """Copies the project file `current` (about to be replaced) into the history, named by
    its modification time (when it was saved). OSError when it cannot be written: the save
    must then not go on. Returns the copy, or None when there was nothing new to keep."""
    try:
        saved_s = current.stat().st_mtime
    except FileNotFoundError:
        return None
    folder = history_folder(current.parent)
    newest = kept(current.parent)
    if newest and _same(newest[0].path, current):
        return None
    folder.mkdir(exist_ok=True)
    target = folder / stamp(saved_s)
    while target.exists():          # two saves within one microsecond's rounding: one later
        saved_s += 1e-6
        target = folder / stamp(saved_s)
    atomic_copy(current, target)
    return target


def rotate(project_folder: Path, keep: int = KEEP) -> list[Path]:
    """Removes all but the newest `keep` saves; returns what went. A file that cannot be
    removed stays (the next save tries again)."""
    gone = []
    for save in kept(project_folder)[keep:]:
        try:
            save.path.unlink()
            gone.append(save.path)
        except OSError:
            pass
    return gone


def _same(a: Path, b: Path) -> bool:
    try:
        return a.stat().st_size == b.stat().st_size and a.read_bytes() == b.read_bytes()
    except OSError:
        return False


def load_save(project_folder: Path, save: Save | Path) -> Project:
    """The project as a kept save holds it, checked as project.json would be, or UserError."""
    from reverie.project.store import read_project

    path = save.path if isinstance(save, Save) else Path(save)
    return read_project(path, Path(project_folder))


def newest_good(project_folder: Path) -> tuple[Project, Save] | None:
    """The newest kept save that loads, with the save, or None when none does."""
    for save in kept(project_folder):
        try:
            return load_save(project_folder, save), save
        except UserError:
            continue
    return None


def empty_project(name: str = "Untitled") -> Project:
    """A project with the demo's tracks and sounds and nothing in its patterns: what the box
    opens when neither a project nor any of its saves loads."""
    from dataclasses import replace

    from reverie.project.demo import demo_project_path
    from reverie.project.store import load_project

    demo = load_project(demo_project_path())
    return replace(demo, name=name, patterns={}, chain=[], mode="pattern", pattern="A01")
