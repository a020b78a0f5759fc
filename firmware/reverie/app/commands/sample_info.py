"""`reverie sample-info FILE...`: what is inside audio files, and whether the sampler loads them."""
from __future__ import annotations

import argparse
import json
import sys

from reverie.app.config import load_config
from reverie.base.errors import UserError
from reverie.sound.samples import describe, format_info

DESCRIPTION = """\
Show the format, sample rate, channels, length, loop points, root note and peak level of
each FILE, decoding it fully to check it. WAV (8/16/24/32-bit integer,
32/64-bit float), AIFF, FLAC and OGG are accepted; loop points and the root note come
from a WAV file's smpl chunk and are shown in the file's own frames."""

EPILOG = """\
examples:
  reverie sample-info kick.wav
  reverie sample-info samples/*.wav --json

A file the sampler cannot load is reported on one line on stderr; the others are still
shown, and the exit code is 1."""


def add_parser(subparsers) -> argparse.ArgumentParser:
    parser = subparsers.add_parser(
        "sample-info", help="show what is inside audio files and whether they load",
        description=DESCRIPTION, epilog=EPILOG,
        formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("files", nargs="+", metavar="FILE", help="an audio file")
    parser.add_argument("--json", action="store_true", help="print a JSON list instead of text")
    parser.add_argument("--config", metavar="FILE",
                        help="configuration file, whose [samples] limits a file is checked "
                             "against (default ~/.config/reverie/config.toml)")
    return parser


def run(args) -> int:
    limits = load_config(args.config).samples.limits()
    infos, failed = [], False
    for name in args.files:
        try:
            infos.append(describe(name, limits=limits))
        except UserError as exc:
            print(f"reverie sample-info: {exc}", file=sys.stderr)
            failed = True
    if args.json:
        print(json.dumps(infos, indent=2))
    elif infos:
        print("\n\n".join(format_info(info) for info in infos))
    return 1 if failed else 0
