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
