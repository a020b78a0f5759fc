"""The hand-written synth voice that `reverie bench synth-64` times the program against is the
same voice: from note on, 64 voices of the bench patch give the same samples either way."""
import numpy as np

from reverie.app.bench.synth import patch_values
from reverie.core.voice_bench import VoiceBench
from reverie.sound.graph import compile_graph
from reverie.sound.instruments.synth import SYNTH


def test_the_fused_voice_renders_what_the_program_renders():
    program = compile_graph(SYNTH).program
    ids = {s.key: s.id for s in SYNTH}
    graph = VoiceBench(48000.0, program, patch_values(), 64, False, ids).render(24000)
    fused = VoiceBench(48000.0, program, patch_values(), 64, True, ids).render(24000)
    assert np.sqrt(np.mean(graph ** 2)) > 0.1
    assert graph.tobytes() == fused.tobytes()
