import os
import sys
import tempfile
from pathlib import Path

# Tests never write into the real home: everything that defaults to ~ (the data directory,
# the configuration) lands in a folder of this run's own.
os.environ["HOME"] = tempfile.mkdtemp(prefix="reverie-test-home-")

sys.path.insert(0, str(Path(__file__).resolve().parent.parent / "firmware"))


import pytest  # noqa: E402  (after the path set-up above)

import jack_mark  # noqa: E402


def pytest_configure(config):
    config.pluginmanager.register(jack_mark, "jack_mark")


@pytest.fixture(scope="module")
def jack_portaudio():
    """A JACK dummy server (48 kHz, 512-frame periods, long enough to keep the dummy
    driver's timer from missing cycles on a busy machine) that PortAudio sees for the module.
    Teardown closes PortAudio's streams, terminates PortAudio, then stops jackd: any other
    order hangs and aborts the test process (pa_jack.c)."""
    from reverie.hal.audio.output import portaudio_on_jack
    from reverie.hal.audio.jackd import JackServer

    with JackServer(sample_rate_hz=48000, period_frames=512) as server, portaudio_on_jack(server):
        yield server
