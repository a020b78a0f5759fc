"""`reverie bench autosave-kill`: a real box (`reverie run`, the simulator with no audio device)
is edited through its terminal and SIGKILLed at a random moment, again and again on one data
directory; after each kill every project there must load and equal a state the box was in.

The edits are encoder turns on the sound page, typed into the box's terminal (a pty): each
turn gives one project state, whatever the timing, so the states the box went through are
known by replaying the same keys through the UI in this process. The box autosaves every
second; a kill lands before, during or after a save. Printed: kills, projects that loaded
after them, and those equal to a state the box was in (both must equal the kills).

`stop_round()` edits a box that does not autosave and stops it with SIGTERM: the time from
the signal to the exit of the process, and whether the last edit was saved on the way."""
from __future__ import annotations

import fcntl
import os
import pty
import struct
import termios
import random
import signal
import subprocess
import sys
import tempfile
import threading
import time
from pathlib import Path

READY_TEXT = " BPM through "          # BoxApp's log line once the box plays
READY_S = 60.0
KEY_INTERVAL_S = 0.04
TURN_KEYS = "yuiohjkl"                 # encoders 1-4: +1 and -1 (hal/simulator/keymap.py)
PAGE_KEY = "6"                         # the sound page

CONFIG = """\
[audio]
device = "no such device"
fallback_wav = "{wav}"
[project]
autosave_s = {autosave_s}
[hardware]
window = false
[controllers]
enabled = false
"""


def states_after(project, keys: str) -> list:
    """The project after each key typed into a box showing `project`, the first one included."""
    from reverie.base.events import PRESS, RELEASE, Key, Turn
    from reverie.hal.box import load_box
    from reverie.hal.simulator.keymap import KEY, KEYMAP, TURN
    from reverie.app.boot import caps_of
    from reverie.ui.machine import UI

    ui = UI(project, caps_of(load_box("simulator")))
    states = [ui.project]
    for t, key in enumerate(keys):
        b = KEYMAP[key]
        if b.kind == KEY:
            ui.handle(Key(b.target, PRESS, float(t)))
            ui.handle(Key(b.target, RELEASE, t + 0.01))
        elif b.kind == TURN:
            ui.handle(Turn(b.target, b.amount, float(t)))
        states.append(ui.project)
    return states


def opened_at_start(data):
    """The project the box opens, as app/keeping.py chooses it: (project, folder or None)."""
    from dataclasses import replace

    from reverie.control.session import read_session, resolved
    from reverie.project.demo import demo_project_path
    from reverie.project.store import load_project

    session = read_session(data.session)
    folder = resolved(session.project, data.root) if session is not None else None
    if folder is not None and (folder / "project.json").is_file():
        project = load_project(folder)
        return replace(project, pattern=session.pattern or project.pattern), folder
    return load_project(demo_project_path()), None


def run(rounds: int = 200, seed: int = 11, min_s: float = 0.2, max_s: float = 2.5,
        say=lambda text: None) -> dict:
    from reverie.app.paths import DataDir
    from reverie.control.session import read_session
    from reverie.project.saves import kept, load_save
    from reverie.project.store import PROJECT_FILE, load_project

    rng = random.Random(seed)
    kills = loaded = equal = saves_checked = 0
    problems: list[str] = []
    with tempfile.TemporaryDirectory(prefix="reverie-kill-") as tmp:
        tmp = Path(tmp)
        data = DataDir(tmp / "data")
        config = tmp / "config.toml"
        config.write_text(CONFIG.format(wav=tmp / "out.wav", autosave_s=1))
        known: dict[Path, object] = {}         # folder -> the project it held after the last round
        for r in range(rounds):
            start, folder = opened_at_start(data)
            keys = PAGE_KEY + "".join(rng.choice(TURN_KEYS) for _ in range(int(max_s / KEY_INTERVAL_S) + 20))
            states = states_after(start, keys)
            _run_and_kill(config, data.root, tmp, keys, rng.uniform(min_s, max_s))
            kills += 1
            round_loaded = round_ok = True
            if data.session.exists() and read_session(data.session) is None:
                problems.append(f"round {r}: session.json does not read")
                round_ok = False
            for project_dir in sorted(p for p in data.projects.iterdir() if (p / PROJECT_FILE).is_file()) \
                    if data.projects.is_dir() else []:
                try:
                    project = load_project(project_dir)
                except Exception as exc:        # noqa: BLE001 (a figure: any failure counts)
                    problems.append(f"round {r}: {project_dir.name} does not load: {exc}")
                    round_loaded = round_ok = False
                    continue
                for save in kept(project_dir):
                    load_save(project_dir, save)
                    saves_checked += 1
                edited = project_dir == folder or (folder is None and project_dir not in known)
                allowed = states if edited else [known[project_dir]]
                if not any(project == s for s in allowed):
                    problems.append(f"round {r}: {project_dir.name} equals no state the box was in")
                    round_ok = False
                known[project_dir] = project
            loaded += round_loaded
            equal += round_ok
            say(f"round {r + 1}/{rounds}: {'ok' if round_ok else problems[-1]}")
    return {"kills": kills, "projects_loaded_after_kills": loaded, "equal_to_a_saved_state": equal,
            "history_saves_loaded": saves_checked, "problems": problems[:5]}


def stop_round(keys: int = 30, seed: int = 5) -> dict:
    """A box edited through its terminal, autosave off, stopped with SIGTERM once it has read
    every key: seconds from the signal to the exit, and whether the last edit was saved."""
    from reverie.app.paths import DataDir
    from reverie.project.store import load_project

    rng = random.Random(seed)
    with tempfile.TemporaryDirectory(prefix="reverie-stop-") as tmp:
        tmp = Path(tmp)
        data = DataDir(tmp / "data")
        config = tmp / "config.toml"
        config.write_text(CONFIG.format(wav=tmp / "out.wav", autosave_s=0))
        start, _ = opened_at_start(data)
        typed = PAGE_KEY + "".join(rng.choice(TURN_KEYS) for _ in range(keys))
        last = states_after(start, typed)[-1]
        master, slave = pty.openpty()
        try:
            proc = _start_box(config, data.root, tmp, slave)
            for key in typed:
                os.write(master, key.encode())
            deadline = time.monotonic() + 10
            while _unread(slave) and time.monotonic() < deadline:   # the box has read every key
                time.sleep(0.01)
            time.sleep(0.2)                 # ... and its control loop, ticking every 5 ms, applied them
            t0 = time.monotonic()
            proc.send_signal(signal.SIGTERM)
            code = proc.wait(timeout=30)
            stop_s = time.monotonic() - t0
        finally:
            os.close(master)
            os.close(slave)
        folders = [p for p in data.projects.iterdir()] if data.projects.is_dir() else []
        saved = len(folders) == 1 and load_project(folders[0]) == last
        return {"stop_s": round(stop_s, 3), "exit_code": code, "last_edit_saved": saved,
                "changed": last != start}


def _unread(fd: int) -> int:
    return struct.unpack("i", fcntl.ioctl(fd, termios.FIONREAD, b"\0\0\0\0"))[0]


def _start_box(config: Path, data_root: Path, tmp: Path, stdin: int) -> subprocess.Popen:
    """`reverie run` on the pty `stdin`, its log in tmp/box.log, once it plays."""
    env = dict(os.environ, HOME=str(tmp))
    with open(tmp / "box.log", "w") as err:
        proc = subprocess.Popen([sys.executable, "-m", "reverie", "run", "--config", str(config),
                                 "--data-dir", str(data_root)],
                                stdin=stdin, stdout=subprocess.DEVNULL, stderr=err, env=env, cwd=tmp,
                                start_new_session=True)
    deadline = time.monotonic() + READY_S
    while READY_TEXT not in (tmp / "box.log").read_text(errors="replace"):
        if proc.poll() is not None or time.monotonic() > deadline:
            proc.kill()
            raise RuntimeError(f"the box did not start: {(tmp / 'box.log').read_text()[-500:]}")
        time.sleep(0.02)
    return proc


def _run_and_kill(config: Path, data_root: Path, tmp: Path, keys: str, after_ready_s: float) -> None:
    master, slave = pty.openpty()
    try:
        proc = _start_box(config, data_root, tmp, slave)
        os.close(slave)
        slave = None
        stop = threading.Event()

        def type_keys():
            for key in keys:
                if stop.is_set():
                    return
                os.write(master, key.encode())
                stop.wait(KEY_INTERVAL_S)
        typist = threading.Thread(target=type_keys, daemon=True)
        typist.start()
        time.sleep(after_ready_s)
        proc.send_signal(signal.SIGKILL)
        proc.wait()
        stop.set()
        typist.join()
    finally:
        os.close(master)
        if slave is not None:
            os.close(slave)
