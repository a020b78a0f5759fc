"""`synth-64`: 64 voices of the synth through the engine against a plain C reference doing
the same per-voice work (tools/ref_synth.c), and the declared graph against the same graph
hand-written in Cython (core/voice_bench.pyx), each pair in the same run (docs/bench.md)."""
from __future__ import annotations

import json
import subprocess
from pathlib import Path

import numpy as np

from reverie.app.bench.engine import SR, time_blocks
from reverie.sound.buses import make_engine
from reverie.sound.graph import compile_graph
from reverie.sound.instruments.synth import SYNTH

REF_SYNTH = Path(__file__).resolve().parents[4] / "tools" / "bin" / "ref_synth"

# The patch the C reference plays: two saws 7 cents apart, an SVF low-pass whose cutoff
# follows the modulation envelope (2 octaves) and a 2 Hz sine LFO (half an octave), the amp
# envelope, no sub, noise or drive, poly, one voice per note.
PATCH = {"osc1_shape": 0, "osc2_shape": 0, "osc1_level": 0.8, "osc2_level": 0.8, "osc2_fine_ct": 7,
         "sub_level": 0, "noise_level": 0, "filter_type": 0, "filter_mode": 0, "cutoff_hz": 1000,
         "resonance": 0.3, "env_amount_oct": 2, "env2_attack_ms": 1, "env2_decay_ms": 400,
         "env2_sustain": 0.2, "lfo1_shape": 0, "lfo1_rate_hz": 2, "lfo1_cutoff_oct": 0.5,
         "attack_ms": 2, "decay_ms": 300, "sustain": 0.7, "drive_db": 0, "level_db": -24,
         "unison": 1, "voice_mode": 0}


def patch_values() -> dict[int, float]:
    values = {s.id: s.default for s in SYNTH}
    values.update({SYNTH[k].id: v for k, v in PATCH.items()})
    return values


def synth_engine(voices: int):
    eng = make_engine(SR)
    eng.set_program(0, compile_graph(SYNTH).program)
    for pid, value in patch_values().items():
        eng.set_param(0, pid, value)
    eng.render(np.zeros((4800, 2), np.float32))
    for k in range(voices):
        eng.note_on(0, 36 + k % 25, 100)
    eng.render(np.zeros((256, 2), np.float32))
    return eng


def run_reference(voices: int, seconds: float) -> dict | None:
    if not REF_SYNTH.exists():
        return None
    done = subprocess.run([str(REF_SYNTH), str(voices), str(seconds), str(int(SR))],
                          capture_output=True, text=True, check=True)
    return json.loads(done.stdout)


def graph_vs_fused(seconds: float, repeats: int) -> dict:
    """The same 64 voices rendered by the program's op loop and by the hand-written voice."""
    from reverie.core.voice_bench import VoiceBench

    program = compile_graph(SYNTH).program
    values = patch_values()
    graph, fused = [], []
    for _ in range(repeats):
        for fuse, into in ((False, graph), (True, fused)):
            bench = VoiceBench(SR, program, values, 64, fuse, {s.key: s.id for s in SYNTH})
            into.append(bench.run(int(seconds * SR)) / (64 * seconds * SR))
    return {"graph_ns_per_voice_sample": round(min(graph), 3),
            "fused_ns_per_voice_sample": round(min(fused), 3),
            "graph_to_fused": round(min(graph) / min(fused), 3)}


def synth_64(seconds: float = 5.0, repeats: int = 5) -> dict:
    """64 synth voices on one track, net of the same engine rendering no voice; best of
    `repeats`, each alternated with the C reference."""
    block = 256
    ours, ref = [], []
    base = float(np.sum(time_blocks(make_engine(SR), seconds, block)))
    for _ in range(repeats):
        eng = synth_engine(64)
        assert eng.stats()["voices"] == 64
        total = float(np.sum(time_blocks(eng, seconds, block)))
        ours.append((total, (total - base) / (64 * seconds * SR)))
        r = run_reference(64, seconds)
        if r:
            ref.append(r["ns_per_voice_sample"])
    total, net = min(ours, key=lambda t: t[1])
    result = {
        "voices": 64,
        "ns_per_voice_sample": round(net, 3),
        "realtime_factor": round(seconds * 1e9 / total, 2),
    }
    if ref:
        result["reference_c_ns_per_voice_sample"] = round(min(ref), 3)
        result["ratio_to_reference"] = round(net / min(ref), 3)
    else:
        result["reference_c"] = f"not built: run `make build` ({REF_SYNTH} missing)"
    result.update(graph_vs_fused(min(seconds, 2.0), repeats))
    return result
