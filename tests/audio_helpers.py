"""What the audio tests share: a tone to play, a JACK recorder to hear it, a deadline wait."""
from __future__ import annotations

import time

import numpy as np

from reverie.core.defs import LoopMode, TrackParam
from reverie.sound.buses import make_engine

TONE_RMS = 0.25 / np.sqrt(2)


def tone_engine(sample_rate_hz: int = 48000):
    """A looping 750 Hz sine at -12 dBFS (0.25) on track 0, on both channels."""
    t = np.arange(6400) / sample_rate_hz        # 100 periods of 750 Hz at 48 kHz: a seamless loop
    x = (0.25 * np.sin(2 * np.pi * 750.0 * t)).astype(np.float32)
    engine = make_engine(sample_rate_hz)
    engine.set_sample(0, np.stack([x, x], axis=1))
    engine.set_param(0, TrackParam.P_LOOP_MODE, LoopMode.LOOP_FORWARD)
    engine.note_on(0, 60, 127, frame=1)         # after the loop mode has taken effect (frame 0)
    return engine


def record(server, sources, seconds=0.5):
    """What `sources` (JACK output ports) played for `seconds`, heard by a JACK-Client recorder."""
    import jack

    client = jack.Client(server.client_name(f"rec{time.monotonic_ns()}"), servername=server.name,
                         no_start_server=True)
    inputs = [client.inports.register(f"in_{k}") for k in range(len(sources))]
    blocks = []

    @client.set_process_callback
    def process(frames):
        blocks.append(np.stack([p.get_array().copy() for p in inputs], axis=1))

    with client:
        for source, port in zip(sources, inputs):
            client.connect(source, port)
        time.sleep(seconds)
    client.close()
    return np.concatenate(blocks) if blocks else np.zeros((0, len(sources)), np.float32)


def hear(server, sources, seconds=0.5, takes=3):
    """`record`, taken again when the recorder itself heard nothing: a Python JACK client
    joining a server that has just started now and then misses its first cycles (the server
    logs it as "not finished"), which says nothing about what the sources play."""
    for _ in range(takes):
        heard = record(server, sources, seconds)
        if len(heard) >= 0.5 * seconds * server.sample_rate_hz:
            return heard
    return heard


def rms(x) -> float:
    return float(np.sqrt(np.mean(np.square(x)))) if len(x) else 0.0


def wait_for(condition, timeout_s: float = 5.0) -> bool:
    """Waits for `condition()` until the deadline; whether it came."""
    deadline = time.monotonic() + timeout_s
    while not condition():
        if time.monotonic() > deadline:
            return False
        time.sleep(0.005)
    return True
