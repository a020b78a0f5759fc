"""Loading and saving projects: a folder with project.json and a samples/ folder.

Loading validates everything (JSON, format, version, values, sample files) and returns a
new Project, so a bad file leaves whatever was loaded before untouched. Saving is atomic:
a temp file in the same folder, flushed, fsynced, renamed over the old file, and the folder
fsynced, so a power cut leaves either the old project or the new one. Before it replaces
project.json, a save keeps the previous one in the project's .history/ (saves.py).
"""
from __future__ import annotations

import json
from pathlib import Path

from reverie.base.errors import UserError
from reverie.base.files import atomic_path
from reverie.base.validate import parse_json
from reverie.project.demo import demo_project_path
from reverie.project.model import FACTORY_PREFIX, Project

PROJECT_FILE = "project.json"
SAMPLES_DIR = "samples"
MAX_PROJECT_BYTES = 4 * 1024 * 1024
DEMO_NAME = FACTORY_PREFIX + "demo"     # "factory:demo", the shipped demo project


def project_folder(path) -> Path:
    """The project folder for a folder or a project.json path, or UserError.
    `factory:demo` names the demo that ships inside the package."""
    if str(path) == DEMO_NAME:
        return demo_project_path()
    path = Path(path)
    folder = path.parent if path.name == PROJECT_FILE else path
    if not (folder / PROJECT_FILE).is_file():
        raise UserError(f"no project at {path}: give a folder holding {PROJECT_FILE}, or the file itself")
    return folder


def load_project(path) -> Project:
    """Reads, validates and returns the project at `path` (a folder or its project.json)."""
    file = project_folder(path) / PROJECT_FILE
    return read_project(file, file.parent)


def read_project(file: Path, folder: Path) -> Project:
    """The project in the JSON file `file`, its samples in `folder`'s samples/ (project.json
    or a save kept in .history/), or UserError naming the file."""
    try:
        project = Project.from_dict(_read_json(file))
        check_samples(project, folder)
    except UserError as exc:
        raise UserError(f"{file}: {exc}") from None
    return project


def _read_json(file: Path):
    """The file's JSON; one line for anything that is not a project's (base/validate)."""
    try:
        if file.stat().st_size > MAX_PROJECT_BYTES:
            raise UserError(f"larger than {MAX_PROJECT_BYTES // 2**20} MB; is it a project?")
        text = file.read_text(encoding="utf-8")
    except OSError as exc:
        raise UserError(f"cannot be read ({exc.strerror or exc})") from None
    except UnicodeDecodeError:
        raise UserError("not UTF-8 text; is it a project?") from None
    return parse_json(text)


def check_samples(project: Project, folder: Path) -> None:
    """UserError for the first sample reference that names no file or no factory sound."""
    for i, track in enumerate(project.tracks):
        ref = track.sample
        if ref is None:
            continue
        if ref.startswith(FACTORY_PREFIX):
            from reverie.sound.kit import FACTORY_KIT_NAMES
            if ref[len(FACTORY_PREFIX):] not in FACTORY_KIT_NAMES:
                raise UserError(f"tracks[{i}].sample {ref!r} is not in the factory kit; known: "
                                + ", ".join(FACTORY_PREFIX + n for n in FACTORY_KIT_NAMES))
        elif not (folder / SAMPLES_DIR / ref).is_file():
            raise UserError(f"tracks[{i}].sample {ref!r} is not in {folder / SAMPLES_DIR}")


def save_project(project: Project, path) -> Path:
    """Writes the project to the folder `path` (created if needed), keeping the project.json
    it replaces in .history/ (the last saves.KEEP); returns project.json's path."""
    from reverie.project.saves import keep_previous, rotate

    data = project.to_dict()
    Project.from_dict(data)  # never write a file that would not load again
    folder = Path(path)
    file = folder / PROJECT_FILE
    try:
        folder.mkdir(parents=True, exist_ok=True)
        (folder / SAMPLES_DIR).mkdir(exist_ok=True)
        keep_previous(file)
        with atomic_path(file) as tmp:
            tmp.write_text(dumps(data), encoding="utf-8")
    except OSError as exc:
        raise UserError(f"cannot save {file} ({exc.strerror or exc}); the last saved "
                        "version is untouched") from None
    rotate(folder)
    return file


def dumps(data) -> str:
    """JSON that reads well and diffs well: small objects and lists of numbers on one line,
    each step of a pattern on its own line, a run of empty steps on one line."""
    return _dump(data, 0) + "\n"


def _dump(value, level: int) -> str:
    flat = json.dumps(value, ensure_ascii=False)
    scalars = isinstance(value, list) and not any(isinstance(v, (dict, list)) for v in value)
    if not isinstance(value, (dict, list)) or scalars or len(flat) + 2 * level <= 88:
        return flat
    pad = "  " * (level + 1)
    if isinstance(value, dict):
        items = [f"{pad}{json.dumps(k)}: {_dump(v, level + 1)}" for k, v in value.items()]
        return "{\n" + ",\n".join(items) + "\n" + "  " * level + "}"
    lines: list[list[str]] = []
    for v in value:
        text = _dump(v, level + 1)
        if lines and not isinstance(v, (dict, list)) and lines[-1][-1][0] not in "{[":
            lines[-1].append(text)   # a run of empty steps shares a line
        else:
            lines.append([text])
    return "[\n" + ",\n".join(pad + ", ".join(line) for line in lines) + "\n" + "  " * level + "]"
