"""Audio never stops for a broken plugin: while the engine plays the synth through Reverie's
JACK client on a dummy server, a plugins/ folder of broken packages (NaN, silent, clipping,
over budget, a bad graph, an exception at import) and one good one is scanned, trial
renders and all. The output keeps running (frames advance with the wall clock, no fault, no
more xruns than in a reference window as long without the scan), the synth is heard at its
pitch after, and the good instrument then plays on the live engine at its own."""
import time

import numpy as np
import pytest

from audio_helpers import hear
from plugin_fixtures import write_plugins
from reverie.core.defs import MasterParam as M
from reverie.hal.audio.jack import JackOutput
from reverie.hal.audio.jackd import JackServer
from reverie.hal.audio.output import AudioSettings
from reverie.sound import instruments as registry
from reverie.sound.buses import make_engine

RATE = 48000
PERIOD = 512                  # where xruns are not the subject (docs: testing without hardware)


def settings_for(server):
    return AudioSettings(device="jack", jack_server=server.name, jack_client=server.client_name("box"))


def pitch_hz(x):
    w = np.hanning(len(x))
    mag = np.log(np.abs(np.fft.rfft(x * w)) + 1e-20)
    k = int(np.argmax(mag))
    a, b, c = mag[k - 1], mag[k], mag[k + 1]
    return (k + 0.5 * (a - c) / (a - 2 * b + c)) * RATE / len(x)


def play(engine, track, name, note, **params):
    inst = registry.INSTRUMENTS[name]
    engine.set_program(track, registry.program_for(name))
    for s in inst.spec:
        engine.set_param(track, s.id, s.check(params.get(s.key, s.default)))
    engine.note_on(track, note, 100, frame=engine.frame + 256)


def window(engine, work):
    """Runs `work` (or waits as long as `seconds`) and returns what the engine did meanwhile."""
    before, t0 = engine.stats(), time.monotonic()
    result = work() if callable(work) else time.sleep(work)
    after, seconds = engine.stats(), time.monotonic() - t0
    return result, seconds, {k: after[k] - before[k] for k in ("frames", "xruns", "faults")}


@pytest.fixture
def registry_kept():
    instruments, programs = dict(registry.INSTRUMENTS), dict(registry._PROGRAMS)
    yield
    registry.INSTRUMENTS.clear()
    registry.INSTRUMENTS.update(instruments)
    registry._PROGRAMS.clear()
    registry._PROGRAMS.update(programs)


@pytest.mark.jack
@pytest.mark.timeout(120, method="thread")
def test_broken_plugins_are_refused_while_the_engine_plays_on(tmp_path, registry_kept):
    folder = write_plugins(tmp_path / "plugins")
    engine = make_engine(RATE)
    engine.set_master(M.M_COMP_RATIO, 1.0)
    # A2, 110 Hz, held; one oscillator (two 7 cents apart beat, and a half-second window
    # can fall where the fundamental cancels)
    play(engine, 1, "synth", 45, osc2_level=0.0)
    with JackServer(RATE, PERIOD) as server:
        output = JackOutput(engine, settings_for(server))
        try:
            output.start()
            scan, seconds, during = window(engine, lambda: registry.add_plugins(folder))
            _, ref_seconds, reference = window(engine, seconds)
            print(f"scan {seconds:.2f} s: {during}; reference {ref_seconds:.2f} s: {reference}")
            assert len(scan.refused) == 10 and [f.name for f in scan.installed] == ["fixture.bell", "fixture.pad"]
            # the output ran all along: frames with the wall clock, no fault, no extra xruns
            assert during["frames"] >= 0.9 * seconds * RATE
            assert during["faults"] == 0 and output.failure == ""
            assert during["xruns"] <= reference["xruns"] + 1
            heard = hear(server, output.client.port_names, 0.5)
            assert pitch_hz(heard[:, 0]) == pytest.approx(110.0, abs=1.0)
            # the good plugin plays on the live engine, the synth let go
            engine.note_off(1, 45)
            play(engine, 2, "fixture.bell", 69)
            time.sleep(0.3)                     # the synth's 200 ms release, then only the bell
            heard = hear(server, output.client.port_names, 0.5)
            assert pitch_hz(heard[:, 0]) == pytest.approx(440.0, abs=1.0)
            assert engine.stats()["faults"] == 0
        finally:
            output.close()
