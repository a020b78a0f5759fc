"""The box as one program. Start order, each step on top of the one before:

  configuration -> box file -> engine -> project (samples decoded on the worker thread)
  -> sync (MIDI out, tempo source) -> rig (sequencer, UI, control) -> audio output
  -> surface (inputs, display, USB MIDI controllers) -> control loop

and stop in reverse. The control loop is the only thread that changes the engine's state,
the project or the UI; every other thread only enqueues input events for it.
"""
from __future__ import annotations

import logging
import signal
import sys
import threading
import time
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass, replace
from pathlib import Path

from reverie.sound.buses import make_engine
from reverie.control.loop import TICK_S
from reverie.app.config import Config

log = logging.getLogger("reverie")

STATUS_INTERVAL_S = 5.0
FACTORY_CACHE = Path("~/.cache/reverie/factory")


@dataclass
class RunResult:
    seconds: float
    frames: int
    xruns: int
    faults: int
    output: str


def load_project_sounds(config: Config, project_path: str | None, rate: int):
    """Project and decoded sounds. Runs on the worker thread: decoding is slow."""
    from reverie.project.demo import demo_project_path
    from reverie.project.sounds import load_sounds
    from reverie.project.store import load_project, project_folder

    folder = project_folder(Path(project_path or config.project.path or demo_project_path()).expanduser())
    project = load_project(folder)
    sounds = load_sounds(project, folder, rate, factory_dir=FACTORY_CACHE.expanduser(),
                         limits=config.samples.limits())
    return project, sounds, folder


def audio_settings(config: Config):
    from reverie.hal.audio.output import AudioSettings

    a = config.audio
    return AudioSettings(device=a.device, sample_rate_hz=a.sample_rate_hz, period_frames=a.period_frames,
                         fallback_wav=Path(a.fallback_wav) if a.fallback_wav else None)


def caps_of(box):
    """What the UI may count on from this box's controls."""
    from reverie.ui.context import Caps

    keys = set(box.key_names())
    if box.pads == "keyboard":          # the simulator's keyboard has every key and encoder
        from reverie.base.events import ENCODERS, KEYS
        return Caps(encoders=ENCODERS, keys=frozenset(KEYS), pads=True)
    return Caps(encoders=len(box.encoders), keys=frozenset(keys), pads=True)


def run_app(config: Config, project_path: str | None = None, seconds: float | None = None,
            stop: threading.Event | None = None, play: bool = False, stream=None, stdin=None) -> RunResult:
    """Runs the box until `stop` is set or `seconds` of audio have played. `play` starts the
    project at once (otherwise PLAY does); `stream`/`stdin` are the simulator's terminal."""
    from reverie.control.settings import SettingsApplier, load_settings
    from reverie.hal.audio.output import open_output
    from reverie.hal.box import load_box
    from reverie.seq.load import SETTLE_SECONDS, apply_project
    from reverie.app.rig import build_rig
    from reverie.app.surface import Surface
    from reverie.app.sync_session import SyncSession
    from reverie.ui.draw import render

    stop = stop or threading.Event()
    # Python threads hand over the GIL every 0.5 ms instead of 5 ms, so the MIDI scheduler's
    # final spin (1 ms) absorbs the wait for it (docs/sync.md).
    sys.setswitchinterval(0.0005)
    box = load_box(config.hardware.box)
    rate, period = config.audio.sample_rate_hz, config.audio.period_frames
    engine = make_engine(rate)
    with ThreadPoolExecutor(max_workers=1, thread_name_prefix="reverie-worker") as worker:
        project, sounds, folder = worker.submit(load_project_sounds, config, project_path, rate).result()
    apply_project(engine, project, sounds)
    state_file = Path(config.hardware.state_file).expanduser()
    settings = load_settings(state_file, config)
    sync = SyncSession(engine, replace(config.midi, clock_out=settings["midi.clock_out"]),
                       replace(config.sync, source=settings["sync.source"]), rate, period).start()
    surface = Surface(box, config, None, stop.set, render, stream=stream, stdin=stdin)
    rig = build_rig(engine, project, folder, rate=rate, period=period, caps=caps_of(box),
                    library=Path(config.project.library), factory_dir=FACTORY_CACHE,
                    sample_limits=config.samples.limits(), clock=sync.clock, ports=sync.port_names(), display=surface, settings=settings,
                    hooks=[lambda s: _devices(s, surface)])
    rig.control.hooks.append(lambda s: surface.follow(rig.ui))
    rig.applier.on_learn = lambda e: surface.learn(e, rig.jobs)
    surface.emit = rig.queue.put
    rig.applier.on_setting = SettingsApplier(state_file, rig.ui.context.settings, engine, rig.jobs, surface,
                                             notify=lambda text: setattr(rig.applier, "notice", text))
    output = open_output(engine, audio_settings(config))
    try:
        output.start()
        surface.start()
        rig.applier.on_setting.apply_all()
        log.info("%s: %s at %g BPM through %s", box.name, project.name, project.tempo, type(output).__name__)
        if play:
            rig.sequencer.play(frame=engine.frame + int(SETTLE_SECONDS * rate))
        control_loop(rig, sync, rate, seconds, stop)
    finally:
        surface.close()
        output.close()
        rig.jobs.close()
        sync.close()
    stats = engine.stats()
    return RunResult(seconds=stats["frames"] / rate, frames=stats["frames"], xruns=stats["xruns"],
                     faults=stats["faults"], output=type(output).__name__)


def _devices(status, surface):
    from dataclasses import replace

    devices = surface.devices()
    return status if devices == status.midi_devices else replace(status, midi_devices=devices)


def control_loop(rig, sync, rate: int, seconds: float | None, stop: threading.Event) -> None:
    engine, control = rig.engine, rig.control
    end_frame = None if seconds is None else engine.frame + int(seconds * rate)
    next_status = time.monotonic() + STATUS_INTERVAL_S
    while not stop.is_set():
        if end_frame is not None and engine.frame >= end_frame:
            break
        sync.poll()
        control.tick()
        if time.monotonic() >= next_status:
            s = engine.stats()
            log.info("voices %d, xruns %d, callback max %.0f us, faults %d",
                     s["voices"], s["xruns"], s["callback_max_ns"] / 1e3, s["faults"])
            next_status += STATUS_INTERVAL_S
        rig.queue.wake.wait(TICK_S)


def stop_on_signals(stop: threading.Event) -> None:
    for sig in (signal.SIGINT, signal.SIGTERM):
        signal.signal(sig, lambda *_: stop.set())
