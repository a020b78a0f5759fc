"""A whole practice session, end to end, as a person has it: `reverie run` (the simulator's
box) with a data directory of its own, playing through Reverie's JACK client on a JACK dummy
server of the test's own, driven only by keys typed into its terminal (a pty):

  check-in   pad 5 answers "how do you feel?" (5); ENC1 turned once and pushed: "explore"
  play       the SOUND page (6); 4.5 s later (so the check-in's pad is not in the phrase)
             ten pads typed at known moments, on 16ths at 90 BPM, one of them hard (@)
  capture    FUNC+REC keeps the sound (a float WAV in the project's samples/, a FLAC in the
             audio log), FUNC+PATTERN keeps the notes (a new pattern, its tempo read from the
             playing); PLAY plays the kept pattern once through, STOP
  check-out  the menu (FUNC+ENC1), JOURNAL, "done for now" (ENC1); pad 8 answers (8), the
             tags calm and happy, the note "ok" spelled on the wheel; Ctrl-D quits

A second JACK client here records the box's output ports as float32 from the start. Checked:
the journal's row and its captures; the kept sample is in that recording bit for bit as one
contiguous run, from the first sound heard to the press (the capture ring sits after the
limiter, as the output does); the kept pattern holds the pads played: each on its track and
step with its velocity, and, played back, each sound lands where it sounded when it was
played, within 1/96 step (the micro-timing's resolution), as the recording shows; against
the moments the keys were typed, within 1/96 step plus INPUT_S for the terminal's input path
(a Python thread reading a pty); `reverie journal --csv` holds this session in the documented
columns; `reverie journal --plot` writes an 800 x 600 PNG with the three colours of its
charts (sessions.png in the test's tmp_path: look at it).
"""
from __future__ import annotations

import csv
import json
import os
import pty
import re
import shutil
import sqlite3
import struct
import subprocess
import sys
import threading
import time
from contextlib import closing
from datetime import datetime
from pathlib import Path

import numpy as np
import pytest

from reverie.hal.audio.jackd import JackServer

pytestmark = [pytest.mark.jack, pytest.mark.timing, pytest.mark.timeout(120)]

ROOT = Path(__file__).resolve().parents[2]
RATE = 48000
PERIOD = 512                    # JACK's: long enough that a busy machine misses no cycle
BPM = 90.0                      # the phrase is typed at this tempo; the box reads its own
STEP_S = 60.0 / BPM / 4         # a 16th
# (step, key): the simulator's pads 1-4 are 1 2 3 4 (kick, snare, clap, closed hat in the
# demo); "@" is pad 2 hit hard (velocity 127), the others 100
PHRASE = ((0, "1"), (2, "4"), (3, "4"), (4, "2"), (6, "4"), (8, "1"), (10, "1"), (11, "4"),
          (12, "@"), (14, "3"))
PAD = {"1": 0, "2": 1, "3": 2, "4": 3, "@": 1}
VELOCITY = {"@": 127}
TAP_S = 0.12                    # a typed pad is let go this long after (hal/simulator/keyboard.py)
INPUT_S = 0.003                 # a key typed into the pty is stamped by the box at most this late
KEY_GAP_S = 0.15                # between keys typed one after another: longer than a tap
SILENCE = 1e-4                  # what the capture trims (control/audio_log.py)
CSV_COLUMNS = ["id", "started_at", "ended_at", "minutes", "end_reason", "mood_before", "mood_after",
               "mood_change", "intention", "tags", "note", "projects", "patterns", "sounds",
               "notes_played", "tempo_min", "tempo_max", "captures", "checkins"]   # docs/journal.md

CONFIG = """\
[audio]
device = "jack"
jack_server = "{server}"
jack_client = "{client}"
[project]
autosave_s = 0
[hardware]
window = false
[midi]
api = "alsa"
clock_out = false
[controllers]
enabled = false
[practice]
usb_keyboard = false
"""


class Recorder:
    """A JACK client recording the box's two output ports, block by block."""

    def __init__(self, server: JackServer, sources: list[str]):
        import jack

        self.client = jack.Client(server.client_name("recorder"), servername=server.name,
                                  no_start_server=True)
        self.inputs = [self.client.inports.register(f"in_{k}") for k in range(len(sources))]
        self.blocks: list[np.ndarray] = []
        self.client.set_process_callback(self._process)
        self.client.activate()
        for source, port in zip(sources, self.inputs):
            self.client.connect(source, port)

    def _process(self, frames):
        self.blocks.append(np.stack([p.get_array().copy() for p in self.inputs], axis=1))

    def close(self) -> np.ndarray:
        self.client.deactivate()
        self.client.close()
        return np.concatenate(self.blocks)


class Box:
    """`reverie run` in a subprocess whose standard input is a pty: keys typed, log lines read."""

    def __init__(self, tmp_path: Path, server: JackServer, project: Path, data: Path):
        config = tmp_path / "config.toml"
        config.write_text(CONFIG.format(server=server.name, client=server.client_name("box")))
        self.master, slave = pty.openpty()
        self.spawned, self.spawned_wall = time.monotonic(), time.time()
        self.proc = subprocess.Popen(
            [sys.executable, "-m", "reverie", "run", "--config", str(config), "--data-dir", str(data),
             "--project", str(project)],
            cwd=tmp_path, stdin=slave, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, text=True,
            env={"PATH": os.environ.get("PATH", "/usr/bin:/bin"), "HOME": str(tmp_path),
                 "PYTHONPATH": str(ROOT / "firmware"), "TERM": "xterm-256color"})
        os.close(slave)
        self.lines: list[str] = []
        self.typed: list[float] = []            # when each key was typed (monotonic s)
        self.ready = 0.0
        self._reader = threading.Thread(target=self._read, daemon=True)
        self._reader.start()

    def _read(self):
        for line in self.proc.stderr:
            self.lines.append(line.rstrip())

    def wait_for_log(self, text: str, timeout_s: float) -> float:
        """Waits for a log line holding `text`; when it was seen (monotonic s)."""
        deadline = time.monotonic() + timeout_s
        while not any(text in line for line in list(self.lines)):
            if time.monotonic() > deadline or self.proc.poll() is not None:
                raise AssertionError(f"no '{text}' in the box's log:\n" + "\n".join(self.lines))
            time.sleep(0.01)
        return time.monotonic()

    def type(self, keys: str, gap_s: float = KEY_GAP_S) -> float:
        """Types `keys` one by one, `gap_s` apart; when the last was typed."""
        for key in keys:
            self.typed.append(time.monotonic())
            os.write(self.master, key.encode())
            time.sleep(gap_s)
        return self.typed[-1]

    def type_at(self, key: str, at: float) -> float:
        """Types `key` at monotonic `at` (sleeping until then: the GIL stays free for the
        recorder); when it was typed."""
        while (left := at - time.monotonic()) > 0:
            time.sleep(left - 0.003 if left > 0.004 else min(left, 0.0005))
        self.typed.append(time.monotonic())
        os.write(self.master, key.encode())
        return self.typed[-1]

    def close(self) -> None:
        if self.proc.poll() is None:
            self.proc.kill()
            self.proc.wait()
        os.close(self.master)


def wait_until(condition, timeout_s: float, what: str):
    deadline = time.monotonic() + timeout_s
    while not (result := condition()):
        if time.monotonic() > deadline:
            raise AssertionError(f"timed out waiting for {what}")
        time.sleep(0.02)
    return result


def turns(n: int) -> str:
    """ENC1 turned by `n` detents: capital Y/H turn five, y/h one (hal/simulator/keymap.py)."""
    return ("Y" if n > 0 else "H") * (abs(n) // 5) + ("y" if n > 0 else "h") * (abs(n) % 5)


def menu_keys(start_page: str, page: str) -> str:
    """FUNC+ENC1 opens the menu on the page shown; the turns to `page`, and the push."""
    from reverie.app.boot import caps_of
    from reverie.hal.box import load_box
    from reverie.project.demo import demo_project_path
    from reverie.project.store import load_project
    from reverie.ui.machine import UI

    items = UI(load_project(demo_project_path()), caps_of(load_box("simulator"))).menu.items
    return "`/n" + turns(items.index(page) - items.index(start_page)) + "n"


def spelled(text: str) -> str:
    """`text` spelled on the character wheel (it starts at "a"): turn, push, ... then OK."""
    from reverie.ui.practice.prompts import OK, WHEEL, WHEEL_START

    keys, at = "", WHEEL_START
    for item in [*text, OK]:
        keys += turns(WHEEL.index(item) - at) + "n"
        at = WHEEL.index(item)
    return keys


def own_project(projects: Path) -> Path:
    """The demo as a project of the user's own, in the data directory: a kept sample goes
    into its samples/ (the read-only demo keeps captures in the audio log only)."""
    from reverie.project.demo import demo_project_path

    folder = projects / "evening"
    shutil.copytree(demo_project_path(), folder)
    return folder


def test_a_whole_session_through_the_simulator(tmp_path):
    from reverie.app.paths import DataDir

    data = DataDir(tmp_path / "data")
    project = own_project(data.projects)
    with JackServer(RATE, PERIOD) as server:
        box = Box(tmp_path, server, project, data.root)
        recorder = None
        try:
            box.ready = box.wait_for_log(" BPM through ", 30)     # the session began before this
            recorder = Recorder(server, [f"{server.client_name('box')}:out_{k}" for k in (1, 2)])
            time.sleep(0.2)
            mood_pad = box.type("q")                        # check-in: pad 5, "how do you feel?" 5
            box.type("yn")                                  # intention: ENC1 +1, push: "explore"
            box.type("6")                                   # the SOUND page: pads play their tracks
            start = mood_pad + 4.5                          # a phrase begins after 4 s of silence
            typed = [box.type_at(key, start + step * STEP_S) for step, key in PHRASE]
            time.sleep(1.0)                                 # a breath after the phrase
            pressed = box.type("`/\r")                      # FUNC held + REC: keep the sound
            box.type("`/5")                                 # FUNC held + PATTERN: keep the notes
            wait_until(lambda: list((project / "samples").glob("capture-*.wav")), 10, "the kept sample")
            play = box.type(" ", 16 * STEP_S + 0.5)         # PLAY the kept pattern once through
            box.type("\x7f")                                # STOP
            box.type(menu_keys("SOUND", "JOURNAL"))
            done = box.type("n")                            # done for now: the check-out
            box.type("r")                                   # pad 8: "how do you feel now?" 8
            box.type("n" + turns(5) + "n" + turns(5) + "n")  # calm, happy, done
            box.type(spelled("ok"))                         # "a note?" ok
            os.write(box.master, b"\x04")                   # Ctrl-D: quit
            box.proc.wait(15)
        finally:
            box.close()
            heard = recorder.close() if recorder is not None else None
    log = "\n".join(box.lines)
    assert box.proc.returncode == 0 and "Traceback" not in log, log

    row, captures = journal_rows(data.journal)
    name, tempo = check_pattern(project, captures, typed)
    check_journal(row, captures, box, done, project, name, tempo)
    start = check_sample(project, data, captures, heard, pressed - mood_pad)
    check_playback(heard, start, [t - mood_pad for t in typed], play - mood_pad)
    check_exports(tmp_path, data, row, captures)


def journal_rows(path: Path) -> tuple[dict, list[dict]]:
    with closing(sqlite3.connect(path)) as conn:
        conn.row_factory = sqlite3.Row
        sessions = [dict(r) for r in conn.execute("SELECT * FROM sessions")]
        captures = [dict(r) for r in conn.execute("SELECT * FROM captures ORDER BY id")]
    assert len(sessions) == 1, sessions
    return sessions[0], captures


def check_pattern(project_dir: Path, captures: list[dict], typed: list[float]) -> tuple[str, float]:
    """The pattern FUNC+PATTERN kept (saved with the project when the box stopped): each pad
    typed is a trig on its track with its velocity, on the step nearest to when it was typed
    and the rest as micro-timing, through the tempo the box read from the playing; held as
    long as the tap. The box stamps a key when its input thread reads it: the time typed here
    is up to INPUT_S earlier."""
    from reverie.project.store import load_project

    project = load_project(project_dir)
    notes = [c for c in captures if c["kind"] == "notes"]
    assert [c["path"] for c in notes] == [f"{project.name}:{project.pattern}"]   # kept and made current
    name, tempo = project.pattern, project.tempo
    assert tempo == pytest.approx(BPM, abs=0.5)                 # read from the playing
    step_s = 60.0 / tempo / 4
    pattern = project.pattern_at(name)
    assert pattern.length == 16                                 # the phrase is one bar
    trigs = {(k, i): s for k, tp in enumerate(pattern.tracks) for i, s in enumerate(tp.steps) if s is not None}
    errors = []
    for (_, key), t in zip(PHRASE, typed):
        at = (t - typed[0]) / step_s                            # in steps from the first note
        track, step = PAD[key], round(at)
        trig = trigs.pop((track, step), None)
        assert trig is not None, f"pad {key} typed at step {at:.3f}: no trig on T{track + 1} at {step}"
        errors.append(step + trig.micro / 96 - at)
        assert trig.notes == (60,) and trig.velocity == VELOCITY.get(key, 100)
        assert TAP_S / step_s - 1 / 96 <= trig.length <= (TAP_S + INPUT_S) / step_s + 1 / 96
    assert not trigs, f"trigs nobody typed: {trigs}"
    assert max(abs(e) for e in errors) <= 1 / 96 + INPUT_S / step_s, \
        f"errors in 1/96 step: {[round(e * 96, 2) for e in errors]}"
    assert notes[0]["seconds"] == pytest.approx(16 * step_s, abs=1e-3)
    return name, tempo


def check_journal(row: dict, captures: list[dict], box: Box, done: float, project_dir: Path, pattern: str,
                  tempo: float) -> None:
    from reverie.project.store import load_project

    project = load_project(project_dir)
    wall = time.time() - time.monotonic()                       # monotonic s -> Unix s
    started, ended = (datetime.fromisoformat(row[k]).timestamp() for k in ("started_at", "ended_at"))
    assert re.fullmatch(r"\d{8}-\d{6}-[0-9a-f]{4}", row["id"])
    assert int(box.spawned + wall) <= started <= box.ready + wall        # ISO to the second
    assert int(done + wall) <= ended <= done + wall + 1
    # from the power-on (between the spawn and READY) to the push of "done for now"
    assert done - box.ready - 0.1 <= row["seconds"] <= done - box.spawned + 0.1
    first_met = [4] + list(dict.fromkeys(PAD[key] for _, key in PHRASE))   # pad 5 answered first
    assert {k: row[k] for k in ("end_reason", "mood_before", "mood_after", "intention", "note",
                                "notes_played", "tempo_min", "tempo_max", "checkins")} == {
        "end_reason": "done", "mood_before": 5, "mood_after": 8, "intention": "explore", "note": "ok",
        "notes_played": 1 + len(PHRASE), "tempo_min": tempo, "tempo_max": tempo, "checkins": 1}
    assert json.loads(row["tags"]) == ["calm", "happy"]
    assert json.loads(row["projects"]) == [project.name]
    assert json.loads(row["patterns"]) == [pattern]              # PLAY played the kept pattern
    assert json.loads(row["sounds"]) == [project.tracks[k].sample for k in first_met]
    assert [(c["session_id"], c["kind"]) for c in captures] == [(row["id"], "audio"), (row["id"], "notes")]


def check_sample(project: Path, data, captures: list[dict], heard: np.ndarray, pressed_s: float) -> int:
    """The kept sample is what the JACK recorder heard, bit for bit, from the first sound (the
    check-in's pad) to the press (`pressed_s` after that pad was typed); the audio log's FLAC
    is the same at 24 bits. Returns where the first sound is in the recording."""
    import soundfile as sf

    (wav,) = (project / "samples").glob("capture-*.wav")
    kept, rate = sf.read(wav, dtype="float32", always_2d=True)
    assert rate == RATE and sf.info(str(wav)).subtype == "FLOAT"
    n = len(kept)
    start = np.flatnonzero(np.abs(heard).max(axis=1) >= SILENCE)[0]   # the first sound heard
    matches = [i for i in np.flatnonzero(np.all(heard == kept[0], axis=1))
               if np.array_equal(heard[i:i + n], kept)]
    assert matches == [start], (matches, start)
    # to the press (less the latency of the pad's note: a period and the limiter's look-ahead),
    # or to the last sound before it (the demo's reverb still rings there: -48 dBFS)
    within = 2 * PERIOD / RATE + 0.005
    assert n / RATE <= pressed_s + within
    assert n / RATE >= pressed_s - within or np.abs(heard[start + n:start + n + RATE // 10]).max() < SILENCE
    assert np.abs(kept).max() > 0.1
    (audio,) = [c for c in captures if c["kind"] == "audio"]
    flac = data.root / audio["path"]
    assert flac.parent.parent == data.captures and audio["seconds"] == pytest.approx(n / RATE, abs=1e-3)
    logged, rate = sf.read(flac, dtype="float32", always_2d=True)
    assert rate == RATE and logged.shape == kept.shape
    assert np.abs(logged - kept).max() <= 2.0 ** -22             # 24-bit PCM
    return start


def check_playback(heard: np.ndarray, start: int, typed_s: list[float], play_s: float) -> None:
    """The kept pattern played back (PLAY, `play_s` after the check-in's pad was typed) sounds
    each note where it sounded when played, relative to the first, within 1/96 step: each
    played note's first 50 ms is found in the playback by cross-correlation (the same sample
    at the same velocity; the tails under it differ a little). `typed_s`: when each pad was
    typed, from the check-in's pad (whose sound is at `start` in the recording)."""
    mono = heard.sum(axis=1, dtype=np.float64)
    played = [start + round(t * RATE) for t in typed_s]         # within a few ms: windows reach past that
    first = find(mono, played[0], start + round(play_s * RATE), RATE // 2)   # the sequencer's first kick
    shift = first - played[0]
    late = [find(mono, at, at + shift, 250) - shift - at for at in played]   # frames, each against its own
    step_frames = RATE * STEP_S
    assert max(abs(d) for d in late) <= step_frames / 96, \
        f"{[round(d / step_frames * 96, 2) for d in late]} / 96 step"


def find(x: np.ndarray, at: int, near: int, reach: int) -> int:
    """Where in `x`, from `near - reach` to `near + reach`, the 50 ms from `at - 10 ms` start
    again best (normalised cross-correlation); the answer is the frame matching `at`."""
    lead, span = RATE // 100, RATE // 20
    pattern = x[at - lead:at + span]
    region = x[near - reach - lead:near + reach + span]
    energy = np.convolve(region * region, np.ones(len(pattern)), "valid")
    score = np.correlate(region, pattern, "valid") / np.sqrt(energy + 1e-30)
    return near - reach + int(np.argmax(score))


def check_exports(tmp_path: Path, data, row: dict, captures: list[dict]) -> None:
    """`reverie journal --csv FILE --plot FILE.png`, as a person runs it after the session."""
    from PIL import Image

    table, plot = tmp_path / "sessions.csv", tmp_path / "sessions.png"
    done = subprocess.run([sys.executable, "-m", "reverie", "journal", "--data-dir", str(data.root),
                           "--csv", str(table), "--plot", str(plot)], capture_output=True, text=True,
                          env={**os.environ, "PYTHONPATH": str(ROOT / "firmware"), "HOME": str(tmp_path)})
    assert done.returncode == 0, done.stderr
    with table.open(newline="") as f:
        header, *rows = list(csv.reader(f))
    assert header == CSV_COLUMNS and len(rows) == 1
    got = dict(zip(header, rows[0]))
    assert float(got.pop("minutes")) == round(row["seconds"] / 60, 1)
    assert float(got.pop("tempo_min")) == float(got.pop("tempo_max")) == row["tempo_min"]
    assert got == {
        "id": row["id"], "started_at": row["started_at"], "ended_at": row["ended_at"], "end_reason": "done",
        "mood_before": "5", "mood_after": "8", "mood_change": "3", "intention": "explore",
        "tags": "calm; happy", "note": "ok", "projects": "; ".join(json.loads(row["projects"])),
        "patterns": "; ".join(json.loads(row["patterns"])), "sounds": "; ".join(json.loads(row["sounds"])),
        "notes_played": str(1 + len(PHRASE)), "captures": "; ".join(c["path"] for c in captures),
        "checkins": "true"}

    head = plot.read_bytes()[:24]
    assert head[:8] == b"\x89PNG\r\n\x1a\n" and head[12:16] == b"IHDR"
    assert struct.unpack(">II", head[16:24]) == (800, 600)        # 8 x 6 inches at 100 dpi
    pixels = np.asarray(Image.open(plot).convert("RGB")).reshape(-1, 3)
    for colour in ("#1f5fbf", "#e07a10", "#3a9a5a"):              # before, after, minutes a week
        rgb = [int(colour[i:i + 2], 16) for i in (1, 3, 5)]
        assert np.count_nonzero(np.all(pixels == rgb, axis=1)) > 20, colour
