"""`reverie run`: start the box and play the project through the audio device."""
from __future__ import annotations

import logging
import sys
import threading
from pathlib import Path

from reverie.base.errors import UserError

LOG_FILE = Path("~/.cache/reverie/reverie.log")


def log_to_file(path: Path) -> None:
    """The simulator draws the screen on the terminal: the log goes to a file instead."""
    path.parent.mkdir(parents=True, exist_ok=True)
    handler = logging.FileHandler(path, encoding="utf-8")
    handler.setFormatter(logging.Formatter("%(asctime)s %(levelname)s %(name)s: %(message)s"))
    root = logging.getLogger()
    for h in list(root.handlers):
        root.removeHandler(h)
    root.addHandler(handler)
    print(f"the log is in {path}", file=sys.stderr)


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
    p.add_argument("--project", metavar="DIR", help="project folder (default: configuration, then the demo)")
    p.add_argument("--seconds", type=float, metavar="S", help="stop after S seconds (default: run until stopped)")
    p.add_argument("--play", action="store_true", help="start playing at once (otherwise PLAY starts it)")
    return p


def run(args) -> int:
    from reverie.app.boot import run_app, stop_on_signals
    from reverie.app.config import load_config
    from reverie.hal.box import load_box

    if args.seconds is not None and args.seconds <= 0:
        raise UserError("--seconds must be positive")
    config = load_config(args.config)
    if sys.stdout.isatty() and load_box(config.hardware.box).display.driver == "terminal":
        log_to_file(LOG_FILE.expanduser())
    stop = threading.Event()
    stop_on_signals(stop)
    result = run_app(config, args.project, args.seconds, stop, play=args.play)
    print(f"played {result.seconds:.1f} s through {result.output}: "
          f"{result.xruns} xruns, {result.faults} faults")
    return 0
