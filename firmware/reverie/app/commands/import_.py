"""`reverie import SOURCE`: a multisample set (SFZ or SamplerBox) into the data directory."""
from __future__ import annotations

import argparse
import json

DESCRIPTION = """\
Import a multisample set into the box's data directory, under
instruments/multisamples/NAME: its samples are checked as the sampler checks them and copied
as they are, beside a multisample.json zone map the multisample instrument plays.

SOURCE is an .sfz file, a SamplerBox definition.txt, or a folder holding one of them,
samples named by note (60.wav, 60v100.wav, C4.wav) or a multisample.json imported before. The import reads nothing outside the
folder of SOURCE (or --root) and writes nothing outside the data directory: a path that
leads out is refused with one line. Every opcode, header or line not understood, and every
region that cannot be used, is listed with its line; the rest is imported."""

EPILOG = """\
examples:
  reverie import ~/Downloads/Grand/grand.sfz
  reverie import /media/usb/SamplerBox/"2 Saw" --name saw
  reverie import Library/Programs/strings.sfz --root Library --json

The SFZ and SamplerBox subsets are described in docs/multisample.md. Exit code 0 when at
least one zone was imported, 1 with one line when none was or SOURCE is not a set."""


def add_parser(subparsers) -> argparse.ArgumentParser:
    p = subparsers.add_parser("import", help="import a multisample set (SFZ or SamplerBox)",
                              description=DESCRIPTION, epilog=EPILOG,
                              formatter_class=argparse.RawDescriptionHelpFormatter)
    p.add_argument("source", metavar="SOURCE", help="an .sfz file, a definition.txt, or a set's folder")
    p.add_argument("--name", help="what to call it (default: the .sfz file's or the folder's name)")
    p.add_argument("--root", metavar="DIR",
                   help="the folder the import may read, when samples lie beside the .sfz file's folder "
                        "(default: the folder of SOURCE)")
    p.add_argument("--replace", action="store_true",
                   help="replace an import of that name (default: the new one gets a number)")
    p.add_argument("--data-dir", metavar="DIR",
                   help="the box's data directory (default: [paths] data, else ~/.local/share/reverie)")
    p.add_argument("--config", metavar="FILE",
                   help="configuration file, whose [samples] limits each sample is held to "
                        "(default ~/.config/reverie/config.toml)")
    p.add_argument("--json", action="store_true", help="print the result as JSON instead of lines")
    return p


def run(args) -> int:
    from reverie.app.config import load_config
    from reverie.app.paths import DataDir, data_dir
    from reverie.sound.multisample import import_multisample

    config = load_config(args.config)
    library = DataDir(data_dir(config, args.data_dir)).multisamples
    result = import_multisample(args.source, library, name=args.name, root=args.root,
                                limits=config.samples.limits(), engine_rate=config.audio.sample_rate_hz,
                                replace=args.replace)
    if args.json:
        print(json.dumps(result.to_json(), indent=2, ensure_ascii=False))
    else:
        print("\n".join(result.lines()))
    return 0
