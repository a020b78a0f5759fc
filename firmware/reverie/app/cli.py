"""The `reverie` command. Each subcommand lives in reverie/app/commands/<name>.py and offers
`add_parser(subparsers)` and `run(args) -> int`. Bad input ends with one line and exit 1."""
from __future__ import annotations

import argparse
import importlib
import logging
import sys

from reverie.base.errors import UserError

# Subcommands in the order `--help` lists them: (name, module).
COMMANDS = [
    ("run", "reverie.app.commands.run"),
    ("render", "reverie.app.commands.render"),
    ("bench", "reverie.app.commands.bench"),
    ("sample-info", "reverie.app.commands.sample_info"),
    ("import", "reverie.app.commands.import_"),
    ("presets", "reverie.app.commands.presets"),
    ("devices", "reverie.app.commands.devices"),
    ("doctor", "reverie.app.commands.doctor"),
    ("journal", "reverie.app.commands.journal"),
    ("instruments", "reverie.app.commands.instruments"),
]


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(prog="reverie", description="Reverie groovebox firmware")
    parser.add_argument("-v", "--verbose", action="store_true", help="log more detail")
    sub = parser.add_subparsers(dest="command", metavar="COMMAND")
    sub.required = True
    for name, module in COMMANDS:
        try:
            mod = importlib.import_module(module)
        except ModuleNotFoundError as exc:
            if exc.name != module:
                raise
            continue  # a subcommand not built yet on this branch
        p = mod.add_parser(sub)
        p.set_defaults(_run=mod.run)
    return parser


def main(argv: list[str] | None = None) -> int:
    parser = build_parser()
    args = parser.parse_args(argv)
    logging.basicConfig(level=logging.DEBUG if args.verbose else logging.INFO,
                        format="%(levelname)s %(name)s: %(message)s")
    try:
        return int(args._run(args) or 0)
    except UserError as exc:
        print(f"reverie {args.command}: {exc}", file=sys.stderr)
        return 1
    except KeyboardInterrupt:
        return 130


if __name__ == "__main__":
    sys.exit(main())
