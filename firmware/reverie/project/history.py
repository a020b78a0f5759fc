"""Undo and redo: the one way the project changes.

`History` holds the current Project. Every edit goes through `apply(edit_fn, *args)`,
which calls `edit_fn(project, *args)` (any pure function from project/edit.py or one
like it) and keeps the project it replaced on the undo stack. The projects on the stacks
share every unchanged object with each other (edits rebuild only the path to what they
change), so a deep history costs little: an edit of one step keeps one step list, one
track, one pattern and one patterns dict alive, a few kilobytes at most.

    history = History(project)
    history.apply(edit.set_field, "A01", 2, 4, "velocity", 110, label="set velocity A01 T3 S5")
    history.undo_label        # "undo: set velocity A01 T3 S5"
    history.undo()

Turning an encoder or recording a take makes many small edits that the musician thinks
of as one: give them the same `coalesce` key and they share one undo entry, for as long
as nothing else happens in between.
"""
from __future__ import annotations

import inspect
from collections import deque
from dataclasses import dataclass
from typing import Callable

from reverie.base.errors import UserError
from reverie.project.model import Project

DEPTH = 256


@dataclass(frozen=True)
class _Entry:
    project: Project        # the project as it was before the edit
    label: str
    coalesce: str | None


class History:
    def __init__(self, project: Project, depth: int = DEPTH):
        if depth < 1:
            raise ValueError("a history keeps at least one edit")
        self._project = project
        self._undo: deque[_Entry] = deque(maxlen=depth)
        self._redo: list[_Entry] = []
        self._open: str | None = None     # the coalesce key the last edit may continue
        self.revision = 0                 # counts every change, undo and redo included (for autosave)

    @property
    def project(self) -> Project:
        return self._project

    @property
    def depth(self) -> int:
        return self._undo.maxlen

    def apply(self, edit_fn: Callable[..., Project], *args, label: str | None = None,
              coalesce: str | None = None, **kwargs) -> Project:
        """Computes `edit_fn(project, *args, **kwargs)` and makes it current. A UserError
        from the edit propagates and leaves everything as it was. An edit that changes
        nothing (returns the same project) is not recorded."""
        new = edit_fn(self._project, *args, **kwargs)
        if not isinstance(new, Project):
            raise TypeError(f"{getattr(edit_fn, '__name__', edit_fn)} returned {type(new).__name__}, not a Project")
        if new is self._project:
            return new
        if coalesce is None or coalesce != self._open or not self._undo:
            self._undo.append(_Entry(self._project, label or describe(edit_fn, args), coalesce))
        self._redo.clear()
        self._set(new)
        self._open = coalesce
        return new

    def undo(self) -> str:
        """Goes back one edit; returns its label. UserError when there is nothing to undo."""
        if not self._undo:
            raise UserError("nothing to undo")
        entry = self._undo.pop()
        self._redo.append(_Entry(self._project, entry.label, entry.coalesce))
        self._set(entry.project)
        self._open = None
        return entry.label

    def redo(self) -> str:
        """Makes an undone edit again; returns its label. UserError when there is none."""
        if not self._redo:
            raise UserError("nothing to redo")
        entry = self._redo.pop()
        self._undo.append(_Entry(self._project, entry.label, entry.coalesce))
        self._set(entry.project)
        self._open = None
        return entry.label

    def reset(self, project: Project) -> None:
        """A new project (loaded or started): forgets every edit."""
        self._undo.clear()
        self._redo.clear()
        self._set(project)
        self._open = None

    def preview(self, project: Project) -> None:
        """Makes `project` current without an undo entry: a sound auditioned on the sound page.
        The page then either keeps it (preview of the project before, then one apply) or takes
        it back (preview of the project before); undo and redo are as they were."""
        self._set(project)
        self._open = None

    def close(self) -> None:
        """Ends the current coalesced run: the next edit gets its own undo entry even with
        the same key (the app calls it when recording stops or an encoder is let go)."""
        self._open = None

    @property
    def can_undo(self) -> bool:
        return bool(self._undo)

    @property
    def can_redo(self) -> bool:
        return bool(self._redo)

    @property
    def undo_label(self) -> str | None:
        """"undo: set velocity A01 T3 S5", or None when there is nothing to undo."""
        return f"undo: {self._undo[-1].label}" if self._undo else None

    @property
    def redo_label(self) -> str | None:
        return f"redo: {self._redo[-1].label}" if self._redo else None

    def labels(self) -> list[str]:
        """What undo would take back, the next first."""
        return [e.label for e in reversed(self._undo)]

    def _set(self, project: Project) -> None:
        self._project = project
        self.revision += 1


def describe(edit_fn: Callable, args: tuple) -> str:
    """A label from an edit and its arguments, read by parameter name:
    set_field(p, "A01", 2, 4, "velocity", 110) -> "set velocity A01 T3 S5"."""
    name = getattr(edit_fn, "__name__", "edit")
    try:
        bound = inspect.signature(edit_fn).bind_partial(None, *args).arguments
    except (TypeError, ValueError):
        return name.replace("_", " ")
    words = [name.replace("_", " ")]
    if name == "set_field" and "field" in bound:
        words = [f"set {bound['field']}"]
    elif name == "set_lock" and "key" in bound:
        words = [f"lock {bound['key']}"]
    if isinstance(bound.get("name"), str):
        words.append(bound["name"])
        for key, prefix in (("track", "T"), ("step", "S"), ("start", "S")):
            if isinstance(bound.get(key), int):
                words.append(f"{prefix}{bound[key] + 1}")
    return " ".join(words)
