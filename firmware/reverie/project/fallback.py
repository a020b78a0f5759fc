"""Opening a project that may not load: the project, else its newest save that loads (from
.history/, saves.py), else an empty project, with a one-line notice saying which. A folder
with no project and no saves at all is a UserError: there is nothing to fall back from.
Runs on a worker thread (decoding samples is slow); nothing here changes a file."""
from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from reverie.base.errors import UserError
from reverie.project.model import Project


@dataclass
class Opened:
    project: Project
    sounds: list
    folder: Path | None         # None: the empty project, which has no folder yet
    notice: str = ""            # "" when the project itself loaded; else one line for the screen
    reason: str = ""            # why the project did not load, for the log


def open_project(folder: Path, rate: int, factory_dir: Path | None, limits=None,
                 empty: bool = True) -> Opened:
    """The project in `folder` with its decoded sounds, falling back as above. `empty`:
    when no save loads either, an empty project (at start); False: UserError instead (the
    project page, which keeps the project it has)."""
    from reverie.project.saves import kept, load_save
    from reverie.project.sounds import load_sounds
    from reverie.project.store import PROJECT_FILE, load_project

    folder = Path(folder)
    try:
        project = load_project(folder)
        return Opened(project, load_sounds(project, folder, rate, factory_dir=factory_dir, limits=limits), folder)
    except UserError as exc:
        why = str(exc)
    saves = kept(folder)
    if not saves and not (folder / PROJECT_FILE).exists():
        raise UserError(why)            # no project there at all: nothing to fall back to
    for save in saves:
        try:
            project = load_save(folder, save)
            sounds = load_sounds(project, folder, rate, factory_dir=factory_dir, limits=limits)
        except UserError:
            continue
        return Opened(project, sounds, folder, f"{folder.name} did not load ({short(why)}): "
                      f"opened its save of {save.label}", why)
    if not empty:
        raise UserError(f"{folder.name} did not load ({short(why)}), nor any save of it")
    opened = open_empty(f"{folder.name} did not load ({short(why)}), nor any save of it: an empty project",
                        rate, factory_dir, limits)
    opened.reason = why
    return opened


def short(why: str) -> str:
    """A loader's message without the file's path it starts with."""
    head, sep, rest = why.partition(": ")
    return rest if sep and head.startswith("/") else why


def open_empty(notice: str, rate: int, factory_dir: Path | None, limits=None) -> Opened:
    from reverie.project.demo import demo_project_path
    from reverie.project.saves import empty_project
    from reverie.project.sounds import load_sounds

    project = empty_project()
    return Opened(project, load_sounds(project, demo_project_path(), rate, factory_dir=factory_dir,
                                       limits=limits), None, notice)
