"""Reverie's own JACK client on a JACK dummy server: it plays the engine (a recorder client
hears it), a server that stops is a flag and never a hang, and the supervisor takes the
server back when it returns. The whole box under a server restart: tests/app/test_audio_recovery.py."""
import time

import numpy as np
import pytest

from reverie.base.errors import UserError
from reverie.hal.audio.jack import JackOutput
from reverie.hal.audio.jackd import JackServer
from reverie.hal.audio.output import AudioSettings, NoAudioDevice
from reverie.hal.audio.supervisor import AudioSupervisor
from audio_helpers import TONE_RMS, hear, rms, tone_engine, wait_for

RATE = 48000


def settings_for(server, **kw):
    return AudioSettings(device="jack", jack_server=server.name, jack_client=server.client_name("box"), **kw)


@pytest.mark.jack
@pytest.mark.timeout(60, method="thread")
def test_the_jack_client_plays_the_engine_and_a_stopped_server_is_only_a_flag():
    engine = tone_engine()
    with JackServer(RATE, 256) as server:
        output = JackOutput(engine, settings_for(server))
        try:
            output.start()
            assert output.connections == 2                # to system:playback_1 and _2
            assert output.description.startswith(f"JACK client '{server.client_name('box')}' on server")
            heard = hear(server, output.client.port_names)
            # a 750 Hz sine at 0.25 on both channels, as the engine renders it
            assert rms(heard[len(heard) // 2:, 0]) == pytest.approx(TONE_RMS, rel=0.02)
            assert rms(heard[len(heard) // 2:, 1]) == pytest.approx(TONE_RMS, rel=0.02)
            assert output.failure == ""
            frames = engine.frame
            server.stop()
            assert wait_for(lambda: output.failure != "", 2.0)
            assert output.failure == "the JACK server stopped (JACK server has been closed)"
            time.sleep(0.1)
            assert engine.frame - frames < RATE             # nothing renders once it is gone
        finally:
            closing = time.monotonic()
            output.close()
            output.close()
    assert time.monotonic() - closing < 1.0


@pytest.mark.timeout(30, method="thread")
def test_no_server_is_no_audio_device_and_a_quiet_try_prints_nothing(capfd):
    settings = AudioSettings(device="jack", jack_server="reverie-no-such-server", jack_client="reverie-t")
    with pytest.raises(NoAudioDevice, match="JACK server 'reverie-no-such-server': no JACK server is running"):
        JackOutput(tone_engine(), settings, quiet=True)
    assert capfd.readouterr().err == ""


@pytest.mark.jack
@pytest.mark.timeout(30, method="thread")
def test_a_server_at_another_rate_is_one_line_naming_the_setting():
    with JackServer(44100, 256) as server:
        with pytest.raises(UserError) as caught:
            JackOutput(tone_engine(), settings_for(server))
    message = str(caught.value)
    assert "44100 Hz" in message and "audio.sample_rate_hz" in message and "\n" not in message


@pytest.mark.jack
@pytest.mark.timeout(60, method="thread")
def test_the_supervisor_plays_on_silently_while_the_server_is_away_and_takes_it_back():
    engine = tone_engine()
    with JackServer(RATE, 256) as server:
        sup = AudioSupervisor(engine, settings_for(server)).start()
        try:
            assert not sup.health().silent
            server.stop()
            assert wait_for(lambda: sup.health().silent, 2.0)
            frame = engine.frame
            time.sleep(0.5)
            assert engine.frame - frame > 0.3 * RATE        # the engine's clock went on
            server.start()
            back = time.monotonic()
            assert wait_for(lambda: not sup.health().silent, 3.0), "audio not back within 3 s"
            took = time.monotonic() - back
            heard = hear(server, sup.device.client.port_names, 0.3)
            assert rms(heard[len(heard) // 2:, 0]) == pytest.approx(TONE_RMS, rel=0.02)
            h = sup.health()
            assert h.losses == 1 and h.fallback_frames > 0.3 * RATE
            assert sup.take_notices() == [
                "audio device lost: the JACK server stopped (JACK server has been closed) — playing on silently",
                f"audio back: {sup.device.description}"]
        finally:
            sup.close()
    assert took < 3.0
