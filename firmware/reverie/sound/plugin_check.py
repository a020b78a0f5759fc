"""The check of instruments from outside, run in a child process first (sound/plugins.py):
a plugin that crashes the interpreter (a unit's C code reading where it must not), or never
returns, then costs only itself. The child names each candidate before it loads it; when it
dies or runs out of time, the last one named is refused and the child runs again without
it. The box's own process then imports only what the child saw load, and takes the child's
verdicts and trial figures (docs/instrument-api.md, "Validation")."""
from __future__ import annotations

import argparse
import json
import logging
import os
import subprocess
import sys
from pathlib import Path

from reverie.sound.plugins import Found, Scan, candidates, scan
from reverie.sound.trial import TrialResult

log = logging.getLogger(__name__)

TIMEOUT_S = 120.0           # for the whole check of every candidate
CHECKING = "checking "
RESULT = "result "


def scan_isolated(plugins_dir: Path | None, builtin: set[str], trial_render: bool = True,
                  timeout_s: float = TIMEOUT_S) -> Scan:
    if not candidates(plugins_dir):
        return Scan()               # nothing to check: no child, no time taken at start
    skip: dict[str, str] = {}
    while True:
        verdicts, culprit, reason = _child(plugins_dir, builtin, trial_render, skip, timeout_s)
        if verdicts is not None:
            break
        if culprit is None or culprit in skip:
            log.warning("the plugin check failed before any plugin (%s): none is loaded", reason)
            return Scan([Found("?", "plugins", refused=f"the plugin check failed ({reason}); none is loaded")])
        log.warning("%s: %s in its check; refused", culprit, reason)
        skip[culprit] = f"{culprit}: {reason} in its check"
    # here: import only what loaded in the child; its verdicts stand
    loaded_badly = {v["origin"]: v["refused"] for v in verdicts if v["name"] == "?"}
    result = scan(plugins_dir, builtin, trial_render=False, skip={**loaded_badly, **skip})
    by_key = {(v["origin"], v["name"]): v for v in verdicts}
    for f in result.found:
        v = by_key.get((f.origin, f.name))
        if v is None:
            if f.ok:        # the child did not see it (a module that changed meanwhile)
                f.refused = f"{f.origin}: {f.name} was not checked"
            continue
        if v["refused"]:
            f.refused = v["refused"]
        elif v["trial"] is not None:
            f.trial = TrialResult(**v["trial"])
    return result


def _child(plugins_dir, builtin, trial_render, skip, timeout_s):
    """(verdicts, None, None) when the child finished; else (None, the origin it was checking
    or None, what happened)."""
    args = [sys.executable, "-m", "reverie.sound.plugin_check", "--builtin", ",".join(sorted(builtin)),
            "--skip", json.dumps(skip)]
    if plugins_dir is not None:
        args += ["--dir", str(plugins_dir)]
    if not trial_render:
        args.append("--no-trial")
    env = {**os.environ, "PYTHONPATH": os.pathsep.join(p for p in sys.path if p)}
    try:
        done = subprocess.run(args, capture_output=True, text=True, timeout=timeout_s, env=env)
        out, code = done.stdout, done.returncode
    except subprocess.TimeoutExpired as e:
        out = e.stdout.decode() if isinstance(e.stdout, bytes) else (e.stdout or "")
        return None, _last_checked(out), f"took over {timeout_s:g} s"
    if done.stderr.strip():         # the plugins' traces, which the box's log keeps
        log.warning("the plugin check said:\n%s", done.stderr.strip()[-8000:])
    lines = out.splitlines()
    if code == 0 and lines and lines[-1].startswith(RESULT):
        return json.loads(lines[-1][len(RESULT):]), None, None
    if code < 0:
        reason = f"crashed the interpreter (signal {-code})"
    else:
        reason = f"ended the check (exit code {code})"
    return None, _last_checked(out), reason


def _last_checked(out: str) -> str | None:
    names = [line[len(CHECKING):] for line in out.splitlines() if line.startswith(CHECKING)]
    return names[-1] if names else None


def main(argv=None) -> int:
    p = argparse.ArgumentParser(prog="python -m reverie.sound.plugin_check")
    p.add_argument("--dir")
    p.add_argument("--builtin", default="")
    p.add_argument("--skip", default="{}")
    p.add_argument("--no-trial", action="store_true")
    a = p.parse_args(argv)
    logging.basicConfig(level=logging.WARNING, format="%(levelname)s %(name)s: %(message)s")

    def progress(origin):
        print(CHECKING + origin, flush=True)

    result = scan(Path(a.dir) if a.dir else None, set(filter(None, a.builtin.split(","))),
                  trial_render=not a.no_trial, skip=json.loads(a.skip), progress=progress)
    verdicts = [{"origin": f.origin, "name": f.name, "refused": f.refused,
                 "trial": None if f.trial is None else vars(f.trial)} for f in result.found]
    print(RESULT + json.dumps(verdicts), flush=True)
    return 0


if __name__ == "__main__":
    sys.exit(main())
