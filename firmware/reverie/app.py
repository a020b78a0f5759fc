"""The box as one program. Start order, each step on top of the one before:

  configuration -> engine -> project (samples decoded on the worker thread) -> sync (MIDI
  out, tempo source) -> sequencer -> audio output -> control loop (sync, telemetry)

and stop in reverse. The control loop is the only thread that changes the engine's state.
"""
from __future__ import annotations

import logging
import signal
import sys
import threading
import time
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass
from pathlib import Path

from reverie.buses import make_engine
from reverie.config import Config

log = logging.getLogger("reverie")

PUMP_INTERVAL_S = 0.005          # the control loop's tick
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
    from reverie.project.loader import load_sounds
    from reverie.project.store import load_project, project_folder

    folder = project_folder(project_path or config.project.path or demo_project_path())
    project = load_project(folder)
    sounds = load_sounds(project, folder, rate, factory_dir=FACTORY_CACHE.expanduser())
    return project, sounds


def audio_settings(config: Config):
    from reverie.hal.audio import AudioSettings

    a = config.audio
    return AudioSettings(device=a.device, sample_rate_hz=a.sample_rate_hz, period_frames=a.period_frames,
                         fallback_wav=Path(a.fallback_wav) if a.fallback_wav else None)


def run_app(config: Config, project_path: str | None = None, seconds: float | None = None,
            stop: threading.Event | None = None) -> RunResult:
    from reverie.hal.audio import open_output
    from reverie.project.loader import SETTLE_SECONDS, apply_project
    from reverie.seq.compile import sound_slots
    from reverie.seq.driver import Sequencer
    from reverie.sync.session import SyncSession

    stop = stop or threading.Event()
    # Python threads hand over the GIL every 0.5 ms instead of 5 ms, so the MIDI scheduler's
    # final spin (1 ms) absorbs the wait for it (docs/sync.md).
    sys.setswitchinterval(0.0005)
    rate = config.audio.sample_rate_hz
    engine = make_engine(rate)
    with ThreadPoolExecutor(max_workers=1, thread_name_prefix="reverie-worker") as worker:
        project, sounds = worker.submit(load_project_sounds, config, project_path, rate).result()
    apply_project(engine, project, sounds)
    sync = SyncSession(engine, config.midi, config.sync, rate, config.audio.period_frames).start()
    sequencer = Sequencer(engine, project, sound_slots(project), sync.port_names())
    sequencer.load()
    output = open_output(engine, audio_settings(config))
    try:
        output.start()
        log.info("playing %s at %g BPM through %s", project.name, project.tempo, type(output).__name__)
        sequencer.play(frame=engine.frame + int(SETTLE_SECONDS * rate))
        control_loop(engine, sync, rate, seconds, stop)
    finally:
        output.close()
        sync.close()
    stats = engine.stats()
    return RunResult(seconds=stats["frames"] / rate, frames=stats["frames"], xruns=stats["xruns"],
                     faults=stats["faults"], output=type(output).__name__)


def control_loop(engine, sync, rate: int, seconds: float | None, stop: threading.Event) -> None:
    end_frame = None if seconds is None else engine.frame + int(seconds * rate)
    next_status = time.monotonic() + STATUS_INTERVAL_S
    while not stop.is_set():
        now = engine.frame
        if end_frame is not None and now >= end_frame:
            break
        sync.poll()
        engine.poll()
        if time.monotonic() >= next_status:
            s = engine.stats()
            log.info("voices %d, xruns %d, callback max %.0f us, faults %d",
                     s["voices"], s["xruns"], s["callback_max_ns"] / 1e3, s["faults"])
            next_status += STATUS_INTERVAL_S
        stop.wait(PUMP_INTERVAL_S)


def stop_on_signals(stop: threading.Event) -> None:
    for sig in (signal.SIGINT, signal.SIGTERM):
        signal.signal(sig, lambda *_: stop.set())
