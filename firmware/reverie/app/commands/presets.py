"""`reverie presets [INSTRUMENT]`: the presets this box offers, per instrument, checked."""
from __future__ import annotations

import argparse
import json
import sys


DESCRIPTION = """\
List the presets the sound page offers: the factory ones shipped with Reverie and your own
in the data directory's presets/ folder, per instrument, with their tags and audition note.
Every file is checked as the box checks it; one that would be left out is reported on one
line on stderr, and the exit code is 1."""

EPILOG = """\
examples:
  reverie presets
  reverie presets synth
  reverie presets --json --data-dir /var/lib/reverie"""


def add_parser(subparsers) -> argparse.ArgumentParser:
    p = subparsers.add_parser("presets", help="list and check the presets, factory and your own",
                              description=DESCRIPTION, epilog=EPILOG,
                              formatter_class=argparse.RawDescriptionHelpFormatter)
    p.add_argument("instrument", nargs="?", metavar="INSTRUMENT", help="only this instrument's presets")
    p.add_argument("--data-dir", metavar="DIR",
                   help="the box's data directory (default: [paths] data, else ~/.local/share/reverie)")
    p.add_argument("--config", metavar="FILE", help="configuration file (default ~/.config/reverie/config.toml)")
    p.add_argument("--json", action="store_true", help="print a JSON object instead of lines")
    return p


def run(args) -> int:
    from reverie.app.config import load_config
    from reverie.app.paths import DataDir, data_dir
    from reverie.sound.instruments import INSTRUMENTS
    from reverie.sound.presets import load_library

    user_root = DataDir(data_dir(load_config(args.config), args.data_dir)).presets
    library = load_library(user_root)
    if args.instrument is not None and args.instrument not in INSTRUMENTS:
        print(f"reverie presets: no instrument {args.instrument!r}; installed: {', '.join(INSTRUMENTS)}",
              file=sys.stderr)
        return 1
    names = [args.instrument] if args.instrument else list(INSTRUMENTS)
    for problem in library.problems:
        print(f"reverie presets: {problem}", file=sys.stderr)
    factory = sum(1 for ps in library.by_instrument.values() for p in ps if not p.user)
    if args.json:
        print(json.dumps({"factory": factory, "user_folder": str(user_root),
                          "instruments": {n: [{"name": p.name, "file": p.slug, "user": p.user,
                                               "tags": list(p.tags), "note": p.note}
                                              for p in library.of(n)] for n in names},
                          "problems": library.problems}, indent=2))
        return 1 if library.problems else 0
    for n in names:
        presets = library.of(n)
        mine = sum(p.user for p in presets)
        print(f"{n}: {len(presets) - mine} factory" + (f", {mine} your own" if mine else ""))
        for p in presets:
            tags = f"  [{', '.join(p.tags)}]" if p.tags else ""
            print(f"  {'*' if p.user else ' '} {p.name:<{12}}  note {p.note:<3}{tags}")
    if not args.instrument:
        print(f"{factory} factory presets across {len(library.by_instrument)} instruments; "
              f"your own in {user_root} (* above)")
    return 1 if library.problems else 0
