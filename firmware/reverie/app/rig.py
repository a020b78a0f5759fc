"""What the control thread drives, built in start order on top of a running engine:

  sequencer -> UI -> effects applier -> worker jobs -> status reader -> control loop

A Rig has no hardware: the app (app/boot.py) adds the audio output, the inputs, the display and
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
from reverie.project.sounds import sound_slots
from reverie.seq.driver import Sequencer
from reverie.ui.context import Caps

LISTING_S = 2.0


def _version() -> str:
    from importlib.metadata import PackageNotFoundError, version

    try:
        return version("reverie")
    except PackageNotFoundError:
        return "dev"


VERSION = _version()


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
    started: float = 0.0                 # monotonic s
    listing: tuple = ((), ())            # (projects, samples) as last read on the worker
    ip: str = ""
    journal: object = None               # the practice journal (control/journal.py), set by app/practice.py
    _next_listing: float = 0.0

    def box_status(self, status):
        """Adds what the box knows beyond the engine: the lists the project and sample pages
        offer and the IP address (re-read on the worker every LISTING_S), what is saved, the
        version and the uptime."""
        import time
        from dataclasses import replace

        from reverie.control.telemetry import ip_address

        now = time.monotonic()
        if now >= self._next_listing and not self.jobs.busy:
            self._next_listing = now + LISTING_S

            def finish(result):
                self.listing, self.ip = result
            self.jobs.run("listing", lambda: (self.disk.listing(), ip_address()), finish)
        projects, samples = self.listing
        return replace(status, projects=projects, samples=samples, saved_as=self.disk.saved_as(),
                       saved_revision=self.saved_revision, version=VERSION,
                       uptime_s=round(now - self.started, 1), ip_address=self.ip)

    def replace_project(self, project: Project, sounds: list, folder: Path | None) -> None:
        """Another project, loaded on the worker: stop, post its sounds and parameters, load
        its patterns, and start a fresh undo history."""
        from reverie.seq.load import apply_project

        self.sequencer.stop()
        apply_project(self.engine, project, sounds, backlog=self.sequencer.backlog)
        self.sequencer.project = project
        self.sequencer.slots = sound_slots(project)
        self.sequencer.load()
        self.ui.context.history.reset(project)
        if getattr(self, "track_sounds", None) is not None:    # control/track_sound.py
            self.track_sounds.replaced(project, sounds)
        self.folder = folder
        self.saved_revision = self.ui.context.history.revision


def build_rig(engine, project: Project, folder: Path | None, *, rate: int, period: int,
              caps: Caps = Caps(), library: Path = Path("~/reverie/projects"),
              factory_dir: Path | None = None, sample_limits=None, clock=None, ports=(),
              settings=None, display=None, hooks=()) -> Rig:
    """`sample_limits`: the configuration's [samples] limits (Config.samples.limits()) that
    every sample the UI loads is held to; None keeps the loader's defaults."""
    import time

    from reverie.ui.machine import UI

    rig = Rig(engine=engine, rate=rate, period=period, folder=folder, started=time.monotonic())
    rig.sequencer = Sequencer(engine, project, sound_slots(project), list(ports))
    rig.sequencer.load()
    rig.ui = UI(project, caps, settings or {})
    rig.jobs = Jobs()
    rig.applier = Applier(engine, rig.sequencer, lambda: rig.ui.project, period, clock=clock, jobs=rig.jobs)
    rig.disk = Disk(rig, Path(library).expanduser(), Path(factory_dir or "~/.cache/reverie/factory").expanduser(),
                    sample_limits)
    rig.jobs.handlers.update(rig.disk.handlers())
    rig.saved_revision = rig.ui.context.history.revision
    rig.control = Control(rig.ui, rig.applier, rig.queue, StatusReader(engine), rig.jobs, display,
                          [rig.box_status, *hooks])
    return rig
