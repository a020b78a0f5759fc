"""A box without hardware for the journal's fault tests: the demo on an engine rendered
offline, the practice layer wired as the app wires it (app/practice.py), the journal in
`data`. Used in subprocesses (SIGKILL, a full disk in a mount namespace)."""
from __future__ import annotations

from pathlib import Path

import numpy as np

from reverie.app.practice import PracticeWiring
from reverie.app.rig import build_rig
from reverie.project.demo import demo_project_path
from reverie.project.sounds import load_sounds
from reverie.project.store import load_project
from reverie.seq.load import apply_project
from reverie.sound.buses import make_engine
from reverie.ui.practice.options import PracticeOptions

RATE, PERIOD = 48000, 128


class Bench:
    def __init__(self, data: Path, factory: Path, options: PracticeOptions = PracticeOptions(checkins=False),
                 clock=None):
        self.now = 1000.0
        self.engine = make_engine(RATE)
        project = load_project(demo_project_path())
        apply_project(self.engine, project, load_sounds(project, demo_project_path(), RATE, factory_dir=factory))
        self.rig = build_rig(self.engine, project, demo_project_path(), rate=RATE, period=PERIOD,
                             library=data / "projects", factory_dir=factory)
        self.rig.ui.open_page("SOUND")                  # the pads play their tracks
        self.notices: list[str] = []
        self.wiring = PracticeWiring(self.rig, options, data / "journal.sqlite", self.notices.append,
                                     wall=lambda: 1_740_000_000.0 + self.now)
        if clock is not None:
            self.wiring.keeper.clock = clock
        self.wiring.power_on(self.now)
        self.block = np.zeros((PERIOD, 2), np.float32)
        self.peak = 0.0
        self.frames = 0

    def tick(self, dt: float, render_blocks: int = 1) -> None:
        """`dt` seconds pass for the practice layer; the engine renders a few blocks."""
        self.now += dt
        for _ in range(render_blocks):
            self.engine.render(self.block)
            self.frames += PERIOD
            self.peak = max(self.peak, float(np.abs(self.block).max()))
        self.rig.control.tick(self.now)
        notice = self.rig.applier.notice
        if notice:
            self.notices.append(notice)
            self.rig.applier.notice = ""
