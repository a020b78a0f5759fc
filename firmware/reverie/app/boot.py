"""The box as one program. `BoxApp.start()` brings it up, each step on top of the one before:

  data directory -> box file -> engine -> project (decoded on the worker) -> settings
  -> sync (MIDI out, tempo source) -> rig (sequencer, UI, control) -> audio output
  -> surface (inputs, display, USB MIDI controllers) -> first audio callback: READY

`loop()` runs the control loop until asked to stop; `stop()` takes it down in reverse and
says STOPPING first. The control loop is the only thread that changes the engine's state,
the project or the UI; every other thread only enqueues input events for it.
"""
from __future__ import annotations

import logging
import signal
import sys
import threading
import time
from concurrent.futures import ThreadPoolExecutor
from dataclasses import asdict, dataclass, field, replace
from pathlib import Path

from reverie.app.config import Config
from reverie.app.paths import DataDir
from reverie.control.loop import TICK_S
from reverie.sound.buses import make_engine

log = logging.getLogger("reverie")

STATUS_INTERVAL_S = 5.0
FIRST_CALLBACK_S = 2.0          # how long READY waits for the audio device's first callback


@dataclass
class RunResult:
    seconds: float
    frames: int
    xruns: int
    faults: int
    output: str


@dataclass
class RunOptions:
    """How `reverie run` was asked to run, beyond the configuration."""
    data: DataDir = field(default_factory=lambda: DataDir(Path("~/.local/share/reverie").expanduser()))
    project_path: str | None = None
    seconds: float | None = None
    play: bool = False
    stream: object = None                # the simulator's terminal
    stdin: object = None
    notify_socket: str | None = None     # systemd's NOTIFY_SOCKET, WATCHDOG_USEC
    watchdog_usec: int | None = None
    problems: tuple[str, ...] = ()       # configuration problems, shown on the box at start
    safe: bool = False                   # safe mode: no last project, factory settings (app/keeping.py)


def load_project_sounds(config: Config, project_path: str | None, rate: int, data: DataDir | None = None):
    """Project and decoded sounds. Runs on the worker thread: decoding is slow."""
    from reverie.project.demo import demo_project_path
    from reverie.project.sounds import load_sounds
    from reverie.project.store import load_project, project_folder

    folder = project_folder(Path(project_path or config.project.path or demo_project_path()).expanduser())
    project = load_project(folder)
    sounds = load_sounds(project, folder, rate, factory_dir=data.factory if data else None,
                         limits=config.samples.limits())
    return project, sounds, folder


def caps_of(box):
    """What the UI may count on from this box's controls."""
    from reverie.ui.context import Caps

    keys = set(box.key_names())
    if box.pads == "keyboard":          # the simulator's keyboard has every key and encoder
        from reverie.base.events import ENCODERS, KEYS
        return Caps(encoders=ENCODERS, keys=frozenset(KEYS), pads=True)
    return Caps(encoders=len(box.encoders), keys=frozenset(keys), pads=True)


class BoxApp:
    def __init__(self, config: Config, options: RunOptions, stop: threading.Event | None = None):
        from reverie.hal.service import ServiceNotifier

        self.config = config
        self.options = options
        self.data = options.data
        self.stop_event = stop or threading.Event()
        self.rate, self.period = config.audio.sample_rate_hz, config.audio.period_frames
        self.engine = make_engine(self.rate)
        self.service = ServiceNotifier(options.notify_socket, options.watchdog_usec,
                                       lambda: self.engine.stats()["callbacks"])
        self.box = self.rig = self.sync = self.surface = self.output = self.keeping = None
        self.practice = self.capture = None
        self.project_name = ""

    def start(self) -> BoxApp:
        from reverie.app.audio import audio_hook, start_audio
        from reverie.app.keeping import Keeping
        from reverie.app.plugins import find_instruments
        from reverie.app.practice import attach_practice
        from reverie.app.rig import build_rig
        from reverie.app.surface import Surface
        from reverie.app.sync_session import SyncSession
        from reverie.control.audio_log import JournalLink
        from reverie.control.capture import Capture
        from reverie.control.multisample_import import MultisampleImports
        from reverie.control.multisample_sets import MultisampleSets
        from reverie.control.track_sound import attach as attach_track_sounds
        from reverie.control.plugins import PluginRescan
        from reverie.control.settings import SettingsApplier
        from reverie.hal.box import load_box
        from reverie.hal.realtime import freeze_heap
        from reverie.seq.load import apply_project
        from reverie.ui.draw import render

        config, data, engine = self.config, self.data, self.engine
        # Python threads hand over the GIL every 0.5 ms instead of 5 ms, so the MIDI scheduler,
        # waking at each message's time, waits at most that long for it (docs/sync.md).
        sys.setswitchinterval(0.0005)
        self.box = load_box(config.hardware.box)
        self.keeping = Keeping(config, self.options, data, self.box)   # last project, autosave, safe mode
        self.plugins = find_instruments(data, self.options.safe)       # before the project names them
        with ThreadPoolExecutor(max_workers=1, thread_name_prefix="reverie-worker") as worker:
            project, sounds, folder = worker.submit(self.keeping.open, self.rate).result()
        apply_project(engine, project, sounds)
        self.project_name = project.name
        settings = self.keeping.settings()
        self.sync = SyncSession(engine, replace(config.midi, clock_out=settings["midi.clock_out"]),
                                replace(config.sync, source=settings["sync.source"]), self.rate,
                                self.period).start()
        self.surface = Surface(self.box, config, None, self.stop_event.set, render,
                               stream=self.options.stream, stdin=self.options.stdin, learn_file=data.learn,
                               profiles_dir=data.controllers)
        rig = self.rig = build_rig(engine, project, folder, rate=self.rate, period=self.period,
                                   caps=caps_of(self.box), library=data.projects, factory_dir=data.factory,
                                   sample_limits=config.samples.limits(), clock=self.sync.clock,
                                   ports=self.sync.port_names(), display=self.surface, settings=settings,
                                   hooks=[self._devices])
        rig.control.hooks.append(lambda s: self.surface.follow(rig.ui))
        rig.applier.on_learn = lambda e: self.surface.learn(e, rig.jobs)
        rig.applier.on_shutdown = self.stop_event.set      # the power key: the same stop as SIGTERM
        self.surface.emit = rig.queue.put
        rig.applier.on_setting = SettingsApplier(data.settings, rig.ui.context.settings, engine, rig.jobs,
                                                 self.surface, notify=self.notice)
        self.keeping.attach(rig, self.notice)
        rig.jobs.handlers.update(MultisampleImports(rig, data.multisamples, config.samples.limits()).handlers())
        rig.jobs.handlers.update(MultisampleSets(rig, data.multisamples, config.samples.limits()).handlers())
        attach_track_sounds(rig, None if self.keeping.safe else data.presets, sounds,   # presets,
                            self.notice)                    # whole-sound changes (safe mode: factory only)
        rig.jobs.handlers.update(PluginRescan(rig, data.plugins, not self.options.safe).handlers())
        self.practice = attach_practice(self)      # sessions, check-ins, the journal (app/practice.py)
        self.capture = Capture(rig, data.captures, **asdict(config.capture)).start()   # docs/capture.md
        if getattr(rig, "journal", None) is not None:            # captures go in the session's journal
            self.capture.journal = JournalLink(rig.journal.add_capture, lambda: rig.ui.practice.session_id)
        for problem in (*self.options.problems, *self.plugins.notices()):
            log.warning("%s", problem)
            self.notice(problem)
        # The engine on its device, or on the fallback clock when there is none (docs/audio.md).
        self.output = start_audio(engine, config, data)
        rig.control.hooks.append(audio_hook(self.output, self.notice, [self.surface.take_notices]))
        self.sync.on_ports = lambda names: setattr(rig.sequencer, "ports", names)  # MIDI outputs come and go
        log.info("%d objects of the start kept out of the collector's way", freeze_heap())   # hal/realtime.py
        self.surface.start()
        rig.applier.on_setting.apply_all()
        log.info("%s: %s at %g BPM through %s", self.box.name, project.name, project.tempo,
                 self.output.description, extra={"box": self.box.name, "project": project.name})
        self._wait_first_callback()
        self.service.ready(self.status_line())
        return self

    def notice(self, text: str) -> None:
        """A one-line notice on the box's screen (shown on the next control tick)."""
        self.rig.applier.notice = text

    def play(self) -> None:
        from reverie.seq.load import SETTLE_SECONDS

        self.rig.sequencer.play(frame=self.engine.frame + int(SETTLE_SECONDS * self.rate))

    def loop(self, seconds: float | None = None) -> None:
        """The control loop: until stop is asked, or `seconds` of audio have played. A bug in
        any step is logged and shown by the control's Guard (control/guard.py); the loop and
        the audio go on."""
        engine, control = self.engine, self.rig.control
        guard = control.guard
        end_frame = None if seconds is None else engine.frame + int(seconds * self.rate)
        next_status = time.monotonic() + STATUS_INTERVAL_S
        while not self.stop_event.is_set():
            if end_frame is not None and engine.frame >= end_frame:
                break
            guard("following the tempo source", self.sync.poll)
            control.tick()
            now = time.monotonic()
            guard("telling systemd", self.service.tick, now)
            if now >= next_status:
                guard("the status report", self._report)
                next_status += STATUS_INTERVAL_S
            self.rig.queue.wake.wait(TICK_S)

    def stop(self) -> None:
        """Takes the box down in the reverse order of start; safe after a failed start."""
        from reverie.hal.realtime import thaw_heap

        self.service.stopping()
        if self.keeping is not None:
            self.keeping.stop()          # the last save, finished by the worker before it closes
        if self.capture is not None:
            self.capture.stop()          # the session recording's last drain, likewise
        if self.practice is not None:
            self.practice.stop()         # the session's last state in the journal, likewise
        for part, close in ((self.surface, "close"), (self.output, "close"), (self.rig and self.rig.jobs, "close"),
                            (self.sync, "close")):
            if part is not None:
                getattr(part, close)()
        thaw_heap()

    def result(self) -> RunResult:
        stats = self.engine.stats()
        return RunResult(seconds=stats["frames"] / self.rate, frames=stats["frames"], xruns=stats["xruns"],
                         faults=stats["faults"], output=self.output.description)

    def status_line(self) -> str:
        s = self.engine.stats()
        load = self.rig.control.status.dsp_load if self.rig is not None else 0.0
        return f"{self.project_name}, DSP {load:.0%}, {s['xruns']} xruns"

    def _report(self) -> None:
        s = self.engine.stats()
        log.info("voices %d, xruns %d, callback max %.0f us, faults %d",
                 s["voices"], s["xruns"], s["callback_max_ns"] / 1e3, s["faults"],
                 extra={"voices": s["voices"], "xruns": s["xruns"], "faults": s["faults"]})
        self.service.status(self.status_line())

    def _wait_first_callback(self) -> None:
        deadline = time.monotonic() + FIRST_CALLBACK_S
        while self.engine.stats()["callbacks"] == 0 and time.monotonic() < deadline:
            time.sleep(0.002)

    def _devices(self, status):
        devices = self.surface.devices()
        return status if devices == status.midi_devices else replace(status, midi_devices=devices)


def run_app(config: Config, project_path: str | None = None, seconds: float | None = None,
            stop: threading.Event | None = None, play: bool = False, stream=None, stdin=None,
            options: RunOptions | None = None) -> RunResult:
    """Runs the box until `stop` is set or `seconds` of audio have played. `play` starts the
    project at once (otherwise PLAY does); `stream`/`stdin` are the simulator's terminal."""
    options = options or RunOptions()
    options = replace(options, project_path=project_path or options.project_path,
                      seconds=seconds if seconds is not None else options.seconds,
                      play=play or options.play, stream=stream or options.stream,
                      stdin=stdin or options.stdin)
    app = BoxApp(config, options, stop)
    try:
        app.start()
        if options.play:
            app.play()
        app.loop(options.seconds)
    finally:
        app.stop()
    return app.result()


def stop_on_signals(stop: threading.Event) -> None:
    for sig in (signal.SIGINT, signal.SIGTERM):
        signal.signal(sig, lambda *_: stop.set())
