"""`reverie instruments`: the instruments the box plays, built in and from outside, and the
ones it refused, each with its reason on one line (docs/instrument-api.md)."""
from __future__ import annotations

import json

DESCRIPTION = """\
List the instruments: the firmware's own, then those found through the `reverie.instruments`
entry point of installed packages and in the data directory's plugins/ folder. Each found
instrument is checked as the box checks it at start-up (its name, its graph, a trial render:
no NaN, not silent, under 0 dBFS, a voice within its CPU budget); a refused one is listed with
its reason, and the exit code is then 1."""


def add_parser(subparsers):
    p = subparsers.add_parser("instruments", help="list the instruments, found and refused",
                              description=DESCRIPTION)
    p.add_argument("--data-dir", metavar="DIR",
                   help="the box's data directory (default: [paths] data, else ~/.local/share/reverie)")
    p.add_argument("--config", metavar="FILE", help="configuration file (default ~/.config/reverie/config.toml)")
    p.add_argument("--no-trial", action="store_true", help="check names and graphs only, without the trial render")
    p.add_argument("--json", action="store_true", help="print the result as JSON instead of lines")
    return p


def run(args) -> int:
    from reverie.app.config import load_config
    from reverie.app.paths import DataDir, data_dir
    from reverie.sound.instruments import BUILTIN
    from reverie.sound.plugin_check import scan_isolated

    data = DataDir(data_dir(load_config(args.config), args.data_dir))
    result = scan_isolated(data.plugins, set(BUILTIN), trial_render=not args.no_trial)
    if args.json:
        print(json.dumps({"built_in": sorted(BUILTIN), "plugins": str(data.plugins),
                          "installed": [_entry(f) for f in result.installed],
                          "refused": [f.refused for f in result.refused]}, indent=2))
    else:
        print(f"built in: {', '.join(sorted(BUILTIN))}")
        for f in result.installed:
            e = _entry(f)
            cost = f", {e['cost']:.1f}x the synth's CPU, peak {e['peak_dbfs']:.1f} dBFS" if f.trial else ""
            print(f"{f.name}: from {f.origin}{cost}")
        for f in result.refused:
            print(f"refused: {f.refused}")
    return 1 if result.refused else 0


def _entry(f) -> dict:
    e = {"name": f.name, "origin": f.origin}
    if f.trial is not None:
        e.update(cost=round(f.trial.cost, 2), peak_dbfs=round(f.trial.peak_dbfs, 1),
                 ns_per_voice_sample=round(f.trial.ns_per_voice_sample, 1))
    return e
