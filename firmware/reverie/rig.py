"""What the control thread drives, built in start order on top of a running engine:

  sequencer -> UI -> effects applier -> worker jobs -> status reader -> control loop

A Rig has no hardware: the app (app.py) adds the audio output, the inputs, the display and
the controllers around it, and the tests drive it with scripted events and an engine
rendered offline. Only the control thread touches it."""
from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path

from reverie.control.apply import Applier
from reverie.control.disk import Disk
from reverie.control.jobs import Jobs
from reverie.control.loop import Control
from reverie.control.queue import EventQueue
from reverie.control.telemetry import StatusReader
from reverie.project.model import Project
from reverie.seq.compile import sound_slots
from reverie.seq.driver import Sequencer
from reverie.ui.context import Caps


@dataclass
class Rig:
    engine: object
    rate: int
    period: int
    folder: Path | None
    sequencer: Sequencer = None
    ui: object = None
    applier: Applier = None
    queue: EventQueue = field(default_factory=EventQueue)
    jobs: Jobs = None
    disk: Disk = None
    control: Control = None
    saved_revision: int = 0

    def replace_project(self, project: Project, sounds: list, folder: Path | None) -> None:
        """Another project, loaded on the worker: stop, post its sounds and parameters, load
        its patterns, and start a fresh undo history."""
        from reverie.project.loader import apply_project

        self.sequencer.stop()
        apply_project(self.engine, project, sounds)
        self.sequencer.project = project
        self.sequencer.slots = sound_slots(project)
        self.sequencer.load()
        self.ui.context.history.reset(project)
        self.folder = folder
        self.saved_revision = self.ui.context.history.revision


def build_rig(engine, project: Project, folder: Path | None, *, rate: int, period: int,
              caps: Caps = Caps(), library: Path = Path("~/reverie/projects"),
              factory_dir: Path | None = None, clock=None, ports=(), settings=None,
              display=None, hooks=()) -> Rig:
    from reverie.ui.machine import UI

    rig = Rig(engine=engine, rate=rate, period=period, folder=folder)
    rig.sequencer = Sequencer(engine, project, sound_slots(project), list(ports))
    rig.sequencer.load()
    rig.ui = UI(project, caps, settings or {})
    rig.jobs = Jobs()
    rig.applier = Applier(engine, rig.sequencer, lambda: rig.ui.project, period, clock=clock, jobs=rig.jobs)
    rig.disk = Disk(rig, Path(library).expanduser(), Path(factory_dir or "~/.cache/reverie/factory").expanduser())
    rig.jobs.handlers.update(rig.disk.handlers())
    rig.control = Control(rig.ui, rig.applier, rig.queue, StatusReader(engine), rig.jobs, display, hooks)
    return rig
