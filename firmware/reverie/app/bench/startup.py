"""`reverie bench startup`: from the process's start to the first audio callback with the last
project, as systemd starts the box.

Each run is the real `reverie run` in a new process, on a JACK dummy server of the bench's own
(`[audio] device = "jack"`), with NOTIFY_SOCKET set as systemd sets it: READY is sent once
the first audio callback has run, so the figure is the time from just before the process is
started to READY's arrival. SIGTERM then stops it; that time is measured too.

The project is a user's own in the data directory: the demo's patterns on 16 tracks, each
with its own sample file (the factory kit's sounds, and 44.1 kHz pads of 3 s that are
resampled on load). The box is the reference box's pins on gpiozero's mock pins (its scan
thread runs) without a display. Where the time goes comes from probe runs
(reverie.app.bench.startup_probe): the same command with a stopwatch on each step and
`-X importtime`. The runs use every CPU core, as the box does.
"""
from __future__ import annotations

import json
import os
import re
import signal
import socket
import subprocess
import sys
import tempfile
import time
from pathlib import Path
from statistics import median

import numpy as np

from reverie.base.errors import UserError

GOAL_S = 1.5
READY_TIMEOUT_S = 30.0
OWN_TRACKS = 16
PAD_SECONDS = 3.0
PAD_RATE_HZ = 44100
PROBES = 3


def make_project(folder: Path) -> Path:
    """The last project: the demo on 16 tracks of sample files of its own (see the module)."""
    import soundfile as sf

    from reverie.project.demo import demo_project_path
    from reverie.project.model import FACTORY_PREFIX, Project
    from reverie.project.store import SAMPLES_DIR, save_project
    from reverie.sound.kit import build_factory_kit

    data = json.loads((demo_project_path() / "project.json").read_text())
    samples = folder / SAMPLES_DIR
    samples.mkdir(parents=True, exist_ok=True)
    kit = build_factory_kit(folder / "kit")
    for track in data["tracks"]:
        ref = track.get("sample") or ""
        if ref.startswith(FACTORY_PREFIX):
            name = ref[len(FACTORY_PREFIX):]
            (samples / f"{name}.wav").write_bytes(kit[name].read_bytes())
            track["sample"] = f"{name}.wav"
    t = np.arange(int(PAD_SECONDS * PAD_RATE_HZ)) / PAD_RATE_HZ
    for k in range(len(data["tracks"]), OWN_TRACKS):
        f0 = 55.0 * 2 ** (k / 12)
        pad = 0.2 * np.stack([np.sin(2 * np.pi * f0 * t), np.sin(2 * np.pi * f0 * 1.005 * t)], axis=1)
        sf.write(samples / f"pad-{k + 1}.wav", pad, PAD_RATE_HZ, subtype="PCM_24")
        data["tracks"].append({"name": f"Pad {k + 1}", "sample": f"pad-{k + 1}.wav"})
    data["name"] = "Startup bench"
    save_project(Project.from_dict(data), folder)
    return folder


def bench_box(path: Path) -> Path:
    """The reference box on mock pins, without a display."""
    from reverie.hal.box import BOXES_DIR

    text = (BOXES_DIR / "reference.toml").read_text()
    changed = text.replace('gpio = "auto"', 'gpio = "mock"').replace('driver = "ssd1306"', 'driver = "none"')
    if changed.count('"mock"') != 1 or '"none"' not in changed:
        raise UserError(f"{BOXES_DIR / 'reference.toml'} no longer reads as the bench expects "
                        "(gpio = \"auto\", driver = \"ssd1306\"): update reverie/app/bench/startup.py")
    path.write_text(changed)
    return path


class Notify:
    """A notify socket as systemd binds one for a Type=notify service."""

    def __init__(self, path: Path):
        self.sock = socket.socket(socket.AF_UNIX, socket.SOCK_DGRAM)
        self.sock.bind(str(path))
        self.address = str(path)

    def wait(self, word: str, proc: subprocess.Popen, timeout_s: float) -> float:
        """time.monotonic() when a message with the line `word` arrived."""
        deadline = time.monotonic() + timeout_s
        while time.monotonic() < deadline:
            self.sock.settimeout(0.05)
            try:
                message = self.sock.recv(4096).decode()
            except TimeoutError:
                if proc.poll() is not None:
                    raise UserError(f"reverie run ended (exit {proc.returncode}) before {word}: "
                                    f"{_last_line(proc)}") from None
                continue
            if word in message.splitlines():
                return time.monotonic()
        raise UserError(f"no {word} from reverie run within {timeout_s:g} s")

    def close(self):
        self.sock.close()


def _last_line(proc) -> str:
    err = proc.stderr.read() if proc.stderr else ""
    lines = [l for l in err.splitlines() if l.strip()]
    return lines[-1] if lines else "nothing on stderr"


def run_once(args: list[str], env: dict, notify: Notify) -> tuple[float, float]:
    """(process start -> READY, SIGTERM -> exit) in seconds."""
    started = time.monotonic()
    proc = subprocess.Popen([sys.executable, "-m", "reverie", "run", *args], env=env,
                            stdin=subprocess.DEVNULL, stdout=subprocess.DEVNULL,
                            stderr=subprocess.PIPE, text=True)
    try:
        ready = notify.wait("READY=1", proc, READY_TIMEOUT_S)
        term = time.monotonic()
        proc.send_signal(signal.SIGTERM)
        proc.communicate(timeout=10)
        stopped = time.monotonic()
    finally:
        if proc.poll() is None:
            proc.kill()
            proc.communicate()
    if proc.returncode != 0:
        raise UserError(f"reverie run exited {proc.returncode} after SIGTERM")
    return ready - started, stopped - term


def probe_once(args: list[str], env: dict, marks_file: Path) -> tuple[dict, list[tuple[str, float, float]]]:
    """(phase -> seconds, [(module, self s, cumulative s)] of the top-level imports)."""
    since = time.monotonic()
    done = subprocess.run([sys.executable, "-X", "importtime", "-m", "reverie.app.bench.startup_probe",
                           str(marks_file), repr(since), "--", *args], env=env, stdin=subprocess.DEVNULL,
                          capture_output=True, text=True, timeout=READY_TIMEOUT_S + 30)
    if done.returncode != 0:
        raise UserError(f"the startup probe failed (exit {done.returncode}): {done.stderr.strip()[-300:]}")
    got = json.loads(marks_file.read_text())
    marks, spans = got["marks"], got["spans"]
    phases = {"python": marks["python"] - marks["since"],
              "imports_and_config": marks["box_app"] - marks["python"]}
    phases.update(spans)
    total = marks["ready"] - marks["since"]
    phases["rest"] = total - sum(phases.values())
    phases["total"] = total
    return phases, imports_of(done.stderr)


_IMPORT_LINE = re.compile(r"import time:\s+(\d+) \|\s+(\d+) \|( *)(\S+)")


def imports_of(stderr: str) -> list[tuple[str, float, float]]:
    """The top-level imports `-X importtime` printed: (module, self s, cumulative s)."""
    out = []
    for line in stderr.splitlines():
        m = _IMPORT_LINE.match(line)
        if m and len(m.group(3)) == 1:          # one space: imported by no other module
            out.append((m.group(4), int(m.group(1)) / 1e6, int(m.group(2)) / 1e6))
    return out


def startup(runs: int = 10) -> dict:
    from reverie.hal.audio.jackd import JackServer

    if runs < 1:
        raise UserError("--runs must be at least 1")
    previous = os.sched_getaffinity(0)
    os.sched_setaffinity(0, range(os.cpu_count() or 1))     # the box has every core
    try:
        with tempfile.TemporaryDirectory(prefix="reverie-startup-") as tmp, \
                JackServer(sample_rate_hz=48000, period_frames=128) as server:
            tmp = Path(tmp)
            data = tmp / "data"
            project = make_project(data / "projects" / "startup-bench")
            config = tmp / "config.toml"
            config.write_text(f'[hardware]\nbox = "{bench_box(tmp / "box.toml")}"\n\n'
                              '[audio]\ndevice = "jack"\nfallback_wav = ""\n')
            notify = Notify(tmp / "notify")
            env = {**os.environ, "NOTIFY_SOCKET": notify.address, "JACK_DEFAULT_SERVER": server.name}
            env.pop("WATCHDOG_USEC", None)
            args = ["--config", str(config), "--data-dir", str(data), "--project", str(project)]
            try:
                run_once(args, env, notify)                     # warm: the page cache, compiled .pyc
                timings = [run_once(args, env, notify) for _ in range(runs)]
                probes = [probe_once(args, {**env, "NOTIFY_SOCKET": ""}, tmp / "marks.json")
                          for _ in range(min(PROBES, runs))]
            finally:
                notify.close()
    finally:
        os.sched_setaffinity(0, previous)
    return figures(timings, probes)


def figures(timings, probes) -> dict:
    ready = [r for r, _ in timings]
    stop = [s for _, s in timings]
    out = {"runs": len(timings),
           "first_callback_s_median": round(median(ready), 3), "first_callback_s_max": round(max(ready), 3),
           "goal_s": GOAL_S,
           "sigterm_to_exit_s_median": round(median(stop), 3), "sigterm_to_exit_s_max": round(max(stop), 3)}
    for phase in probes[0][0]:
        out[f"probe_{phase}_s"] = round(median(p[phase] for p, _ in probes), 3)
    totals = [sum(cum for _, _, cum in imports) for _, imports in probes]
    out["probe_imports_all_s"] = round(median(totals), 3)
    heaviest = sorted(probes[0][1], key=lambda m: -m[2])[:5]
    out["probe_heaviest_imports"] = ", ".join(f"{name} {cum:.3f} s" for name, _, cum in heaviest)
    return out
