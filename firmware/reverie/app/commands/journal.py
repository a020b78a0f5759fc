"""`reverie journal`: the practice journal's sessions, one line each, or exported."""
from __future__ import annotations

import argparse
import json
from pathlib import Path

from reverie.base.errors import UserError

DESCRIPTION = """\
List the sessions the box kept in its practice journal (journal.sqlite in the data
directory), one line each, oldest first: when, how long, the mood before and after, the
intention, the tags, the notes played, the projects. Or export them, one row per session
(the columns are described in docs/journal.md)."""

EPILOG = """\
examples:
  reverie journal
  reverie journal --json > sessions.json
  reverie journal --csv sessions.csv --plot sessions.png
  reverie journal --data-dir /var/lib/reverie

Nothing leaves the box unless you copy these files yourself."""


def add_parser(subparsers) -> argparse.ArgumentParser:
    p = subparsers.add_parser("journal", help="list or export the practice journal's sessions",
                              description=DESCRIPTION, epilog=EPILOG,
                              formatter_class=argparse.RawDescriptionHelpFormatter)
    p.add_argument("--data-dir", metavar="DIR",
                   help="the box's data directory (default: [paths] data, else ~/.local/share/reverie)")
    p.add_argument("--config", metavar="FILE", help="configuration file (default ~/.config/reverie/config.toml)")
    p.add_argument("--json", action="store_true", help="print the sessions as a JSON list instead of lines")
    p.add_argument("--csv", metavar="FILE", help="write the sessions to FILE as CSV")
    p.add_argument("--plot", metavar="FILE.png",
                   help="draw the mood before and after over time and the minutes played per week")
    return p


def run(args) -> int:
    from reverie.app.config import load_config
    from reverie.app.journal_export import csv_text, export_row, line
    from reverie.app.paths import DataDir, data_dir
    from reverie.base.files import atomic_path
    from reverie.control.journal import Journal

    config = load_config(args.config)
    data = DataDir(data_dir(config, args.data_dir))
    path = data.journal
    if not data.root.is_dir():
        raise UserError(f"{data.root}: no such data directory")
    records, captures = [], []
    if path.exists():
        journal = Journal(path)
        try:
            records, captures = journal.sessions(), journal.captures()
        finally:
            journal.close()
    by_session: dict[str, list[dict]] = {}
    for c in captures:
        by_session.setdefault(c["session_id"], []).append(c)
    rows = [export_row(r, by_session.get(r.id, [])) for r in records]
    if args.csv:
        target = Path(args.csv)
        try:
            with atomic_path(target) as tmp:
                tmp.write_text(csv_text(rows), encoding="utf-8")
        except OSError as exc:
            raise UserError(f"{target}: cannot write it ({exc.strerror or exc})") from None
    if args.plot:
        from reverie.app.journal_plot import plot_journal

        plot_journal(records, Path(args.plot))
    if args.json:
        print(json.dumps(rows, indent=2, ensure_ascii=False))
    elif not args.csv and not args.plot:
        if not records:
            print(f"no sessions yet in {path}")
        for r in records:
            print(line(r, len(by_session.get(r.id, []))))
    else:
        wrote = [f for f in (args.csv, args.plot) if f]
        print(f"{len(records)} session{'s' * (len(records) != 1)}: wrote {' and '.join(wrote)}")
    return 0
