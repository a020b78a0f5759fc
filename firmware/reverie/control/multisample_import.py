"""The ImportMultisample effect as a worker job: the set is read, checked and copied on the
worker (sound/multisample/importer.py); the notice and `last` are set on the control
thread when it is done. A set that cannot be imported is its one-line notice, and nothing
changes. Where it goes: the data directory's instruments/multisamples/, or the loaded
project's samples/multisamples/ (a project saved in the library, not the shipped demo)."""
from __future__ import annotations

from pathlib import Path
from typing import Callable

from reverie.base.errors import UserError
from reverie.project.demo import demo_project_path
from reverie.project.store import SAMPLES_DIR
from reverie.ui.imports import ImportMultisample

PROJECT_FOLDER = "multisamples"       # inside a project's samples/


class MultisampleImports:
    def __init__(self, rig, library: Path, sample_limits=None,
                 on_imported: Callable[[object], None] | None = None):
        """`library`: the data directory's instruments/multisamples/; `sample_limits`: the
        [samples] limits each sample is held to; `on_imported(result)`: on the control
        thread after an import (the sound page, later)."""
        self.rig = rig
        self.library = Path(library)
        self.sample_limits = sample_limits
        self.on_imported = on_imported
        self.last = None                 # the last ImportResult

    def handlers(self) -> dict:
        return {ImportMultisample: self.job}

    def target(self, e: ImportMultisample) -> Path:
        if not e.into_project:
            return self.library
        folder = self.rig.folder
        if folder is None or Path(folder).resolve() == demo_project_path().resolve():
            raise UserError("save the project first: the import goes into its samples folder")
        return Path(folder) / SAMPLES_DIR / PROJECT_FOLDER

    def job(self, e: ImportMultisample):
        from reverie.sound.multisample import import_multisample
        from reverie.sound.samples import SampleLimits

        target, rate = self.target(e), self.rig.rate
        limits = self.sample_limits or SampleLimits()

        def work():
            return import_multisample(e.source, target, name=e.name or None, limits=limits, engine_rate=rate)

        def finish(result):
            self.last = result
            left = len(result.not_understood) + len(result.skipped)
            more = f"; {left} line{'s' * (left != 1)} not used (see reverie import)" if left else ""
            zones = len(result.zone_map.zones)
            self.rig.applier.notice = f"imported {result.name}: {zones} zone{'s' * (zones != 1)}{more}"
            if self.on_imported is not None:
                self.on_imported(result)
        return f"importing {Path(e.source).name}", work, finish
