"""`drums-64`: 64 drum voices through the engine, ns per voice-sample net of the same engine
rendering no voice: 16 tracks each playing a kit's kick, snare, tom and a hat at once (a hat
chokes the hats of its track, so a track sounds one hat at a time), then each drum alone
and, as a yardstick timed alternately in the same run, 64 voices of the synth (bench/synth.py's
patch): the machine's load moves both alike (docs/bench.md)."""
from __future__ import annotations

import numpy as np

from reverie.app.bench.engine import SR, time_blocks
from reverie.sound.buses import make_engine
from reverie.sound.instruments import program_for
from reverie.sound.instruments.drums import DRUMS

# Every decay long, so no voice ends while it is timed (each repeat times one second).
LONG = {"kick_decay_ms": 4000, "snare_decay_ms": 2000, "snare_snap_ms": 2000, "clap_decay_ms": 4000,
        "chat_decay_ms": 2000, "ohat_decay_ms": 4000, "tom_decay_ms": 4000, "level_db": -36}
KIT = (36, 38, 45, 46)              # kick, snare, tom, open hat
ALONE = {"kick": 36, "snare": 38, "clap": 39, "tom": 45, "closed hat": 42, "open hat": 46}


def drums_engine(tracks: int, notes) -> object:
    eng = make_engine(SR)
    for t in range(tracks):
        eng.set_program(t, program_for("drums"))
        for s in DRUMS:
            eng.set_param(t, s.id, float(LONG.get(s.key, s.default)))
    eng.render(np.zeros((4800, 2), np.float32))
    for t in range(tracks):
        for note in notes:
            eng.note_on(t, note, 100)
    eng.render(np.zeros((256, 2), np.float32))
    return eng


def _net_ns(tracks: int, notes, voices: int, seconds: float, repeats: int, base: float,
            synth: list | None = None) -> float:
    from reverie.app.bench.synth import synth_engine

    best = None
    for _ in range(repeats):
        eng = drums_engine(tracks, notes)
        total = float(np.sum(time_blocks(eng, seconds, 256)))
        assert eng.stats()["voices"] == voices, eng.stats()["voices"]
        net = (total - base) / (voices * seconds * SR)
        best = net if best is None else min(best, net)
        if synth is not None:
            eng = synth_engine(64)
            synth.append((float(np.sum(time_blocks(eng, seconds, 256))) - base) / (64 * seconds * SR))
    return best


def drums_64(seconds: float = 1.0, repeats: int = 5) -> dict:
    """Best of `repeats`; each times `seconds` of audio (at most 1.5: the closed hat ends)."""
    seconds = min(seconds, 1.5)
    base = min(float(np.sum(time_blocks(make_engine(SR), seconds, 256))) for _ in range(repeats))
    synth: list = []
    kit = _net_ns(16, KIT, 64, seconds, repeats, base, synth)
    result = {"voices": 64, "ns_per_voice_sample": round(kit, 3),
              "realtime_factor": round(seconds * 1e9 / (base + kit * 64 * seconds * SR), 2),
              "synth_ns_per_voice_sample": round(min(synth), 3),
              "ratio_to_synth": round(kit / min(synth), 3)}
    for name, note in ALONE.items():
        hat = name.endswith("hat")
        tracks, per, voices = (16, (note,), 16) if hat else (1, (note,) * 64, 64)
        key = name.replace(" ", "_")
        result[f"{key}_ns_per_voice_sample"] = round(_net_ns(tracks, per, voices, seconds, repeats, base), 3)
    return result
