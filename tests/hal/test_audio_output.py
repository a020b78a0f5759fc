"""Audio output: device choice by name, settings validation, no device, closing.

Device lists are faked where the test is about the choice; a JACK dummy server gives a
real device where PortAudio itself must answer (sample rates, opening and closing).
"""
import time

import numpy as np
import pytest

from reverie.sound.buses import make_engine
from reverie.core.defs import LoopMode, TrackParam
from reverie.base.errors import UserError
from reverie.hal.audio import output as audio
from reverie.hal.audio.output import (AudioSettings, NoAudioDevice, OutputDevice, find_output_device,
                                      open_output)

SAMPLE_RATE_HZ = 48000

DEVICES = [
    OutputDevice(0, "HDA Intel PCH: ALC3246 Analog (hw:0,0)", "ALSA", 2, 48000.0),
    OutputDevice(1, "snd_rpi_hifiberry_dacplus: HiFiBerry DAC+ HiFi (hw:1,0)", "ALSA", 2, 48000.0),
    OutputDevice(2, "default", "ALSA", 32, 44100.0),
    OutputDevice(3, "system", "JACK Audio Connection Kit", 2, 48000.0),
    OutputDevice(4, "reverie_recorder", "JACK Audio Connection Kit", 2, 48000.0),
]


def one_line(message: str) -> bool:
    return "\n" not in message and len(message) < 400


def test_device_is_found_by_any_part_of_its_name_in_any_case():
    assert find_output_device("hifiberry", DEVICES).index == 1
    assert find_output_device("HiFiBerry DAC+", DEVICES).index == 1
    assert find_output_device("alsa: default", DEVICES).index == 2


def test_device_choice_prefers_an_exact_name_then_the_host_apis_default():
    assert find_output_device("DEFAULT", DEVICES).index == 2
    assert find_output_device("jack", DEVICES, preferred={3}).index == 3
    assert find_output_device("jack", DEVICES, preferred={4}).index == 4
    assert find_output_device("alsa", DEVICES).index == 0


def test_unknown_device_says_so_in_one_line_listing_the_devices():
    with pytest.raises(UserError) as caught:
        find_output_device("pisound", DEVICES)
    message = str(caught.value)
    assert one_line(message)
    assert "'pisound'" in message
    assert "'ALSA: default'" in message and "'JACK Audio Connection Kit: system'" in message
    assert "audio.device" in message


@pytest.mark.parametrize("period_frames", [0, 32, 63, 257, 512, 1024])
def test_period_outside_64_to_256_frames_is_refused(period_frames):
    with pytest.raises(UserError, match=r"64\.\.256") as caught:
        AudioSettings(period_frames=period_frames).validate()
    assert one_line(str(caught.value))
    assert "audio.period_frames" in str(caught.value)


@pytest.mark.parametrize("period_frames", [64, 128, 192, 256])
def test_period_from_64_to_256_frames_is_accepted(period_frames):
    AudioSettings(period_frames=period_frames).validate()


def test_engine_and_settings_must_agree_on_the_sample_rate():
    with pytest.raises(ValueError, match="44100"):
        open_output(make_engine(44100), AudioSettings())


def test_only_the_word_jack_picks_reveries_own_jack_client():
    assert AudioSettings(device="jack").uses_jack and AudioSettings(device=" JACK ").uses_jack
    assert not AudioSettings(device="JACK Audio Connection Kit").uses_jack   # PortAudio's
    assert not AudioSettings(device="hifiberry").uses_jack


def tone_engine(sample_rate_hz=SAMPLE_RATE_HZ):
    """A looping 750 Hz sine at -12 dBFS on track 0."""
    frames = 6400  # 100 periods of 750 Hz at 48 kHz: a seamless loop
    t = np.arange(frames) / sample_rate_hz
    x = (0.25 * np.sin(2 * np.pi * 750.0 * t)).astype(np.float32)
    engine = make_engine(sample_rate_hz)
    engine.set_sample(0, np.stack([x, x], axis=1))
    engine.set_param(0, TrackParam.P_LOOP_MODE, LoopMode.LOOP_FORWARD)
    engine.note_on(0, 60, 127, frame=1)  # after the loop mode has taken effect (frame 0)
    return engine


# --- no device: NoAudioDevice, for the supervisor to run the fallback clock ------------------

def test_no_device_is_no_audio_device_in_one_line(monkeypatch):
    monkeypatch.setattr(audio, "list_output_devices", lambda: [])
    with pytest.raises(NoAudioDevice, match="no audio output device found") as caught:
        open_output(tone_engine(), AudioSettings())
    assert one_line(str(caught.value))


def test_a_device_that_does_not_open_is_no_audio_device(monkeypatch):
    import sounddevice

    def refuse(*args, **kwargs):
        raise sounddevice.PortAudioError("Error querying device -1")

    monkeypatch.setattr(audio, "list_output_devices", lambda: DEVICES[:1])
    monkeypatch.setattr(sounddevice, "check_output_settings", lambda **kwargs: None)
    monkeypatch.setattr(sounddevice, "_StreamBase", refuse)
    with pytest.raises(NoAudioDevice, match="Error querying device -1") as caught:
        open_output(tone_engine(), AudioSettings(device="alc3246"))
    assert one_line(str(caught.value))


# --- a real device: PortAudio's JACK host API on a dummy server -----------------------------

@pytest.mark.jack
@pytest.mark.timeout(30, method="thread")
def test_jack_device_is_chosen_by_host_api_name(jack_portaudio):
    with open_output(tone_engine(), AudioSettings(device="jack audio")) as output:
        assert output.device.name == "system"
        assert output.device.host_api == "JACK Audio Connection Kit"


@pytest.mark.jack
@pytest.mark.timeout(30, method="thread")
def test_sample_rate_the_device_does_not_run_is_refused(jack_portaudio):
    settings = AudioSettings(device="jack audio", sample_rate_hz=44100)
    with pytest.raises(UserError, match="44100 Hz") as caught:
        open_output(tone_engine(44100), settings)
    assert one_line(str(caught.value))
    assert "48000 Hz" in str(caught.value)


@pytest.mark.jack
@pytest.mark.timeout(30, method="thread")
def test_stream_runs_the_c_callback_and_closes_idempotently(jack_portaudio):
    engine = tone_engine()
    output = open_output(engine, AudioSettings(device="jack audio", period_frames=128))
    output.start()
    deadline = time.monotonic() + 5.0
    while engine.stats()["callbacks"] < 20 and time.monotonic() < deadline:
        time.sleep(0.01)
    output.stop()
    stopped_at = engine.stats()["callbacks"]
    output.close()
    output.close()
    assert stopped_at >= 20
    assert engine.stats()["callbacks"] == stopped_at
    assert engine.stats()["voices"] == 1
    with pytest.raises(RuntimeError, match="closed"):
        output.start()
