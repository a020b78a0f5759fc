"""The engine's C callback keeps playing while Python holds the GIL.

The engine plays a looping sine through the real PortAudio JACK backend on a JACK dummy
server. A second JACK client in another process (this file run as a script) records the
engine's output ports while a thread here holds the GIL for seconds at a time. The
recording must be the tone, whole: right frequency, steady level in every 50 ms window
and no jump between samples; and the engine's callback must have kept its rate.
"""
import json
import subprocess
import sys
import threading
import time
from pathlib import Path

import numpy as np
import pytest

pytestmark = [pytest.mark.jack, pytest.mark.timing]   # every test here runs in real time on JACK

SAMPLE_RATE_HZ = 48000
PERIOD_FRAMES = 256             # the engine's block; the JACK server's period is 512 (conftest)
TONE_HZ = 1000.0
TONE_LEVEL = 0.25               # -12 dBFS peak: below the master compressor's knee
LOOP_FRAMES = 4800              # 100 periods of the tone: the loop is seamless
RECORD_S = 4.0
HOG_S = 3.0
HOG_CHUNK_S = 0.25              # each hold_gil() call keeps the GIL this long
TAKES = 3                       # recordings to try when the server itself misses its clock
WINDOW_FRAMES = 2400            # 50 ms: exactly 50 periods of the tone


def sine_loop() -> np.ndarray:
    t = np.arange(LOOP_FRAMES) / SAMPLE_RATE_HZ
    x = (TONE_LEVEL * np.sin(2 * np.pi * TONE_HZ * t)).astype(np.float32)
    return np.stack([x, x], axis=1)


def tone_engine():
    from reverie.sound.buses import make_engine
    from reverie.core.defs import LoopMode, TrackParam

    engine = make_engine(SAMPLE_RATE_HZ)
    engine.set_sample(0, sine_loop())
    engine.set_param(0, TrackParam.P_LOOP_MODE, LoopMode.LOOP_FORWARD)
    # At frame 1, not 0: a note posted in the same block as a parameter change still sees
    # the old value of discrete parameters (the loop mode here).
    engine.note_on(0, 60, 127, frame=1)
    return engine


def expected_rms() -> float:
    """The tone's RMS as the engine renders it offline (same gain staging as live)."""
    out = np.zeros((SAMPLE_RATE_HZ, 2), dtype=np.float32)
    tone_engine().render(out)
    return float(np.sqrt(np.mean(out[SAMPLE_RATE_HZ // 2:] ** 2)))


def wait_until(condition, timeout_s: float, what: str) -> None:
    deadline = time.monotonic() + timeout_s
    while not condition():
        if time.monotonic() > deadline:
            raise AssertionError(f"timed out waiting for {what}")
        time.sleep(0.01)


class Recorder:
    """This file as a script in a subprocess: a JACK client that records the engine."""

    def __init__(self, server, out_path):
        self.out_path = out_path
        self.proc = subprocess.Popen(
            [sys.executable, __file__, server.name, server.client_name("recorder"),
             server.client_name("audio") + ":", str(RECORD_S), str(out_path)],
            stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)

    def wait_recording(self) -> None:
        line = self.proc.stdout.readline()
        if line.strip() != "recording":
            self.proc.kill()
            raise AssertionError(f"recorder did not start: {line!r} {self.proc.stderr.read()}")

    def result(self) -> tuple[np.ndarray, dict]:
        out, err = self.proc.communicate(timeout=RECORD_S + 20)
        assert self.proc.returncode == 0, f"recorder failed: {err}"
        return np.load(self.out_path), json.loads(out.strip().splitlines()[-1])

    def kill(self) -> None:
        if self.proc.poll() is None:
            self.proc.kill()
            self.proc.communicate()


class GilHog(threading.Thread):
    """Holds the GIL in back-to-back chunks and counts the engine's callbacks meanwhile."""

    def __init__(self, engine):
        super().__init__(name="gil-hog")
        self.engine = engine

    def run(self) -> None:
        from reverie.core.engine import hold_gil

        self.t0, self.callbacks0 = time.monotonic(), self.engine.stats()["callbacks"]
        while time.monotonic() - self.t0 < HOG_S:
            hold_gil(HOG_CHUNK_S)
        self.t1, self.callbacks1 = time.monotonic(), self.engine.stats()["callbacks"]

    @property
    def callback_rate_hz(self) -> float:
        return (self.callbacks1 - self.callbacks0) / (self.t1 - self.t0)


class Ticker(threading.Thread):
    """A Python thread that wants to run every millisecond: its longest gap proves the GIL
    was really out of reach."""

    def __init__(self):
        super().__init__(name="ticker", daemon=True)
        self.halt = threading.Event()
        self.longest_gap_s = 0.0

    def run(self) -> None:
        last = time.monotonic()
        while not self.halt.wait(0.001):
            now = time.monotonic()
            self.longest_gap_s = max(self.longest_gap_s, now - last)
            last = now


def window_levels_db(x: np.ndarray, reference_rms: float) -> np.ndarray:
    n = len(x) // WINDOW_FRAMES * WINDOW_FRAMES
    rms = np.sqrt(np.mean(x[:n].reshape(-1, WINDOW_FRAMES) ** 2, axis=1))
    return 20 * np.log10(np.maximum(rms, 1e-9) / reference_rms)


def peak_frequency_hz(x: np.ndarray) -> float:
    spectrum = np.abs(np.fft.rfft(x * np.hanning(len(x))))
    return float(np.argmax(spectrum) * SAMPLE_RATE_HZ / len(x))


def take_recording(engine, server, path):
    """Records the engine from another process while a thread here holds the GIL."""
    recorder = Recorder(server, path)
    try:
        recorder.wait_recording()
        hog, ticker = GilHog(engine), Ticker()
        ticker.start()
        hog.start()
        hog.join()
        ticker.halt.set()
        ticker.join()
        recording, summary = recorder.result()
    finally:
        recorder.kill()
    return recording, summary, hog, ticker


@pytest.mark.timeout(60, method="thread")
def test_engine_keeps_playing_while_python_holds_the_gil(jack_portaudio, tmp_path):
    from reverie.hal.audio.output import AudioSettings, open_output

    engine = tone_engine()
    reference_rms = expected_rms()
    settings = AudioSettings(device="JACK Audio Connection Kit", period_frames=PERIOD_FRAMES)
    with open_output(engine, settings) as output:
        output.start()
        wait_until(lambda: engine.stats()["voices"] == 1, 5.0, "the tone to start")
        # A dummy server on a shared machine now and then misses its own clock. JACK tells
        # every client, the recorder too; such a take says nothing about the engine, so it
        # is taken again. An engine that caused xruns would cause them in every take.
        for attempt in range(TAKES):
            recording, summary, hog, ticker = take_recording(
                engine, jack_portaudio, tmp_path / f"take{attempt}.npy")
            if summary["xruns"] == 0 and summary["missed_cycles"] == 0:
                break

    expected_rate_hz = SAMPLE_RATE_HZ / PERIOD_FRAMES
    assert ticker.longest_gap_s >= 0.8 * HOG_CHUNK_S, "the hog did not keep Python out"
    assert hog.callback_rate_hz == pytest.approx(expected_rate_hz, rel=0.05)
    assert len(recording) == int(RECORD_S * SAMPLE_RATE_HZ), summary
    assert summary["xruns"] == 0 and summary["missed_cycles"] == 0, (
        f"the JACK server missed its clock in all {TAKES} takes: {summary}")
    for channel in recording.T:
        assert peak_frequency_hz(channel) == pytest.approx(TONE_HZ, abs=2.0)
        levels = window_levels_db(channel, reference_rms)
        assert np.all(np.abs(levels) < 0.1), f"levels per 50 ms window (dB): {np.round(levels, 2)}"
        # A gap, a repeated or a dropped block would jump further than the sine ever steps.
        largest_step = 2 * TONE_LEVEL * np.sin(np.pi * TONE_HZ / SAMPLE_RATE_HZ)
        steps = np.abs(np.diff(channel))
        worst = int(np.argmax(steps))
        assert steps[worst] < 1.05 * largest_step, (
            f"jump of {steps[worst]:.4f} after frame {worst}: "
            f"{np.round(channel[max(0, worst - 3):worst + 4], 4)}; recorder {summary}")


@pytest.fixture(scope="module")
def ref_client(tmp_path_factory):
    """tools/jack_ref_client.c built with the Makefile's command, into a temporary folder."""
    source = Path(__file__).resolve().parents[2] / "tools" / "jack_ref_client.c"
    binary = tmp_path_factory.mktemp("bin") / "jack_ref_client"
    subprocess.run(["cc", "-O2", "-o", str(binary), str(source), "-ljack", "-lpthread", "-lm"],
                   check=True, capture_output=True, timeout=60)
    return binary


@pytest.mark.timeout(60, method="thread")
def test_callback_bench_reports_the_engine_beside_the_reference_client(ref_client):
    from reverie.app.bench.callback import format_callback, run_callback_bench

    seconds, period = 2.0, 256
    result = run_callback_bench(seconds=seconds, period=period, ref_client=ref_client)
    expected_rate_hz = SAMPLE_RATE_HZ / period
    assert result["voices"] == 32
    assert result["callback_rate_hz"] == pytest.approx(expected_rate_hz, rel=0.05)
    assert result["ref_callbacks"] == pytest.approx(seconds * expected_rate_hz, rel=0.1)
    assert 0 < result["run_p50_us"] <= result["run_p99_us"] <= result["run_max_us"]
    assert result["run_p99_pct_of_period"] == pytest.approx(
        100 * result["run_p99_us"] / result["period_us"], abs=0.01)
    assert 0 < result["ref_run_p50_us"] <= result["ref_run_max_us"]
    assert result["faults"] == 0
    # a step reaches the output after the limiter's 71 frames (1.479 ms) and the device's latency
    assert result["lookahead_frames"] == 71 and result["lookahead_ms"] == pytest.approx(1.479, abs=1e-3)
    assert result["device_latency_ms"] >= round(1e3 * period / SAMPLE_RATE_HZ, 3)   # a period at least
    assert result["step_to_output_ms"] == pytest.approx(result["lookahead_ms"] + result["device_latency_ms"])
    table = format_callback(result)
    assert "C reference" in table and "run time p99" in table and "look-ahead 71 frames" in table


# --- the recorder, run as a script in its own process --------------------------------------

def record(server_name: str, client_name: str, source_prefix: str, seconds: float,
           out_path: str) -> None:
    import jack

    client = jack.Client(client_name, use_exact_name=True, servername=server_name,
                         no_start_server=True)
    inputs = [client.inports.register(f"in_{k + 1}") for k in range(2)]
    take = np.zeros((int(seconds * client.samplerate), 2), dtype=np.float32)
    state = {"armed": False, "skip": 2, "pos": 0, "xruns": 0, "missed_cycles": 0, "last": None}
    full = threading.Event()

    @client.set_process_callback
    def process(frames):
        if not state["armed"] or full.is_set():
            return
        if state["skip"]:
            state["skip"] -= 1  # the new connections take effect from the next cycle on
            return
        cycle_start = client.last_frame_time
        if state["last"] is not None and cycle_start - state["last"] != frames:
            state["missed_cycles"] += 1  # this recorder itself was late: not the engine's doing
        state["last"] = cycle_start
        pos = state["pos"]
        n = min(frames, len(take) - pos)
        for k, port in enumerate(inputs):
            take[pos:pos + n, k] = port.get_array()[:n]
        state["pos"] = pos + n
        if state["pos"] == len(take):
            full.set()

    @client.set_xrun_callback
    def xrun(delay_us):
        state["xruns"] += 1

    with client:
        sources = client.get_ports(source_prefix, is_audio=True, is_output=True)
        if len(sources) != 2:
            sys.exit(f"expected 2 output ports of {source_prefix}, found {sources}")
        for source, port in zip(sources, inputs):
            client.connect(source, port)
        state["armed"] = True
        print("recording", flush=True)
        if not full.wait(seconds + 10):
            sys.exit("the recording did not fill up")
    np.save(out_path, take)
    print(json.dumps({"frames": len(take), "xruns": state["xruns"],
                      "missed_cycles": state["missed_cycles"]}), flush=True)


if __name__ == "__main__":
    record(sys.argv[1], sys.argv[2], sys.argv[3], float(sys.argv[4]), sys.argv[5])
