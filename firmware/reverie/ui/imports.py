"""Effects that bring sounds from outside into the box. The control side carries them out
on the worker thread (control/multisample_import.py); a page only asks."""
from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True, slots=True)
class ImportMultisample:
    """Import a multisample set (an .sfz file, a definition.txt or a set's folder) into the
    data directory's instruments/multisamples/, or, `into_project`, into the loaded
    project's samples/multisamples/ so the project carries it (docs/multisample.md)."""
    source: str
    name: str = ""               # "" = the .sfz file's or the folder's name
    into_project: bool = False


@dataclass(frozen=True, slots=True)
class LoadMultisample:
    """Give track `track` the set `ref` ("factory:NAME" or an imported NAME; None: no set):
    loaded on the worker, then the track's program (control/multisample_sets.py). Every change
    of a multisample track's set or instrument makes one, undo and redo included."""
    track: int
    ref: str | None


@dataclass(frozen=True, slots=True)
class ListMultisamples:
    """Read which sets there are (factory, the project's, the data directory's) into
    Context.multisets, for the sound page to step through."""
