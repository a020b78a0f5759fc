"""`reverie doctor [--json]`: checks what the machine gives the box (real-time limits, CPU
governor, power, audio device, I2C/SPI/GPIO, MIDI, the data directory and free disk) and
prints, for each problem, the command that fixes it. Exit 0 when all is well, 1 otherwise."""
from __future__ import annotations

import json
from dataclasses import asdict
from pathlib import Path


def add_parser(sub):
    p = sub.add_parser("doctor", help="check the machine for what the box needs",
                       description="Check real-time limits, the CPU governor, power, the audio device, "
                       "the display's bus, GPIO, MIDI, the data directory and free disk; print the "
                       "command that fixes each problem. Exit 0 when all is well, 1 otherwise.")
    p.add_argument("--config", metavar="FILE", help="configuration file (default ~/.config/reverie/config.toml)")
    p.add_argument("--data-dir", metavar="DIR", help="the data directory (default: the configuration's)")
    p.add_argument("--json", action="store_true", help="print a JSON list of findings")
    return p


def needs_of(config, box, data_dir: Path):
    from reverie.hal.health import Needs

    oled = box.display.driver in ("ssd1306", "sh1106")
    return Needs(audio_device=config.audio.device,
                 display_bus=box.display.bus if oled else "",
                 display_port=box.display.port,
                 gpio=box.gpio not in ("none", "mock"),
                 midi_api=config.midi.api,
                 data_dir=data_dir)


def run(args) -> int:
    from reverie.app.config import load_config
    from reverie.app.paths import data_dir
    from reverie.hal.box import load_box
    from reverie.hal.health import check_all

    config = load_config(args.config)
    box = load_box(config.hardware.box)
    findings = check_all(needs_of(config, box, data_dir(config, args.data_dir)))
    if args.json:
        print(json.dumps([asdict(f) for f in findings], indent=2))
    else:
        print("\n".join(f.line() for f in findings))
        problems = sum(not f.ok for f in findings)
        print(f"\n{problems} problem(s)" if problems else "\nall well")
    return 0 if all(f.ok for f in findings) else 1
