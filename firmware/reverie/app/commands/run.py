"""`reverie run`: start the box and play the project through the audio device."""
from __future__ import annotations

import sys
import threading

from reverie.base.errors import UserError


def add_parser(sub):
    p = sub.add_parser("run", help="start the box",
                       description="Start the box: load the project (the demo by default), show its screen "
                       "and take its keys, pads, encoders and USB MIDI controllers. On a laptop the box "
                       "is the simulator: the screen in the terminal (and a window), the computer "
                       "keyboard as the controls (? shows them). Sound goes to the configured audio "
                       "device, or into a WAV file when there is none.")
    p.add_argument("--config", metavar="FILE", help="configuration file (default ~/.config/reverie/config.toml)")
    p.add_argument("--data-dir", metavar="DIR",
                   help="where the box keeps everything it writes (default: [paths] data, "
                   "else ~/.local/share/reverie)")
    p.add_argument("--project", metavar="DIR",
                   help="project folder (default: [project] path, else the last project, else the demo)")
    p.add_argument("--seconds", type=float, metavar="S", help="stop after S seconds (default: run until stopped)")
    p.add_argument("--play", action="store_true", help="start playing at once (otherwise PLAY starts it)")
    p.add_argument("--safe", action="store_true",
                   help="safe mode, as holding SHIFT at power-on: open the demo with factory settings "
                   "and keep nothing (no autosave, no settings, no last project) until you save")
    return p


def run(args) -> int:
    import os

    from reverie.app import logs
    from reverie.app.boot import RunOptions, run_app, stop_on_signals
    from reverie.app.config import load_config_for_box
    from reverie.app.paths import DataDir, data_dir
    from reverie.hal.box import load_box
    from reverie.hal.realtime import lock_memory

    if args.seconds is not None and args.seconds <= 0:
        raise UserError("--seconds must be positive")
    config, problems = load_config_for_box(args.config)
    data = DataDir(data_dir(config, args.data_dir))
    environ = os.environ          # systemd speaks through these; nothing below reads them
    if not logs.to_journal_if_service(environ=environ) and sys.stdout.isatty() \
            and load_box(config.hardware.box).display.driver == "terminal":
        print(f"the log is in {logs.to_file(data.logs / 'reverie.log')}", file=sys.stderr)
    lock_memory()           # no page of the engine paged out or faulted in late (docs/audio.md)
    stop = threading.Event()
    stop_on_signals(stop)
    watchdog = environ.get("WATCHDOG_USEC", "")
    options = RunOptions(data=data, project_path=args.project, seconds=args.seconds, play=args.play,
                         notify_socket=environ.get("NOTIFY_SOCKET") or None,
                         watchdog_usec=int(watchdog) if watchdog.isdigit() else None,
                         problems=tuple(problems), safe=args.safe)
    result = run_app(config, stop=stop, options=options)
    print(f"played {result.seconds:.1f} s through {result.output}: "
          f"{result.xruns} xruns, {result.faults} faults")
    return 0
