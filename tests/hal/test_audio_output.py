"""Audio output: device choice by name, settings validation, the WAV fallback, closing.

Device lists are faked where the test is about the choice; a JACK dummy server gives a
real device where PortAudio itself must answer (sample rates, opening and closing).
"""
import logging
import time

import numpy as np
import pytest
import soundfile

from reverie.sound.buses import make_engine
from reverie.core.defs import LoopMode, TrackParam
from reverie.base.errors import UserError
from reverie.hal.audio import output as audio
from reverie.hal.audio.output import AudioSettings, OutputDevice, find_output_device, open_output
from reverie.hal.audio.wavout import WavOutput

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


def test_engine_and_settings_must_agree_on_the_sample_rate(tmp_path):
    with pytest.raises(ValueError, match="44100"):
        open_output(make_engine(44100), AudioSettings(fallback_wav=tmp_path / "x.wav"))


# --- the WAV fallback ----------------------------------------------------------------------

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


def without_devices(monkeypatch):
    monkeypatch.setattr(audio, "list_output_devices", lambda: [])


def test_no_device_falls_back_to_a_wav_file_with_one_log_line(monkeypatch, tmp_path, caplog):
    without_devices(monkeypatch)
    path = tmp_path / "fallback.wav"
    with caplog.at_level(logging.INFO, logger="reverie.hal"):
        output = open_output(tone_engine(), AudioSettings(period_frames=128, fallback_wav=path))
    assert isinstance(output, WavOutput)
    assert len(caplog.records) == 1
    assert one_line(caplog.records[0].getMessage())
    assert str(path) in caplog.records[0].getMessage()
    output.close()


@pytest.mark.timing
def test_wav_fallback_records_the_engine_at_real_time_pace(monkeypatch, tmp_path):
    without_devices(monkeypatch)
    path = tmp_path / "fallback.wav"
    run_s = 0.5
    engine = tone_engine()
    with open_output(engine, AudioSettings(period_frames=128, fallback_wav=path)) as output:
        output.start()
        time.sleep(run_s)  # let it play for a while, like a sound card would
        output.stop()
        frames = output.frames
    # Driven through the engine's C callback, like a device: its counters tick, and the
    # telemetry stays for the control thread to read.
    assert engine.stats()["callbacks"] == frames // 128
    assert engine.stats()["frames"] == frames
    assert not path.with_name(path.name + ".part").exists()
    info = soundfile.info(path)
    assert (info.samplerate, info.channels, info.subtype) == (SAMPLE_RATE_HZ, 2, "PCM_24")
    assert info.frames == frames
    # Paced by the clock: a free-running loop would write hundreds of times more.
    assert 0.6 * run_s * SAMPLE_RATE_HZ < frames < 2.0 * run_s * SAMPLE_RATE_HZ
    recorded, _ = soundfile.read(path, dtype="float32")
    expected = np.zeros((frames, 2), dtype=np.float32)
    tone_engine().render(expected)
    np.testing.assert_allclose(recorded, expected, atol=2.0 ** -22)
    assert np.sqrt(np.mean(recorded[SAMPLE_RATE_HZ // 10:] ** 2)) > 0.17


def test_wav_output_close_is_idempotent_and_final(monkeypatch, tmp_path):
    output = WavOutput(tone_engine(), AudioSettings(), tmp_path / "out.wav")
    output.start()
    output.start()
    output.close()
    output.close()
    output.stop()
    assert output.closed and not output.running
    with pytest.raises(RuntimeError, match="closed"):
        output.start()
    assert soundfile.info(tmp_path / "out.wav").frames == output.frames


def test_a_device_that_does_not_open_falls_back_to_wav(monkeypatch, tmp_path, caplog):
    import sounddevice

    def refuse(*args, **kwargs):
        raise sounddevice.PortAudioError("Error querying device -1")

    monkeypatch.setattr(audio, "list_output_devices", lambda: DEVICES[:1])
    monkeypatch.setattr(sounddevice, "check_output_settings", lambda **kwargs: None)
    monkeypatch.setattr(sounddevice, "_StreamBase", refuse)
    settings = AudioSettings(device="alc3246", fallback_wav=tmp_path / "out.wav")
    with caplog.at_level(logging.INFO, logger="reverie.hal"), open_output(tone_engine(), settings) as output:
        assert isinstance(output, WavOutput)
    assert len(caplog.records) == 1
    assert "Error querying device -1" in caplog.records[0].getMessage()


def test_no_device_and_no_fallback_is_a_user_error(monkeypatch):
    without_devices(monkeypatch)
    with pytest.raises(UserError, match="no audio output device") as caught:
        open_output(tone_engine(), AudioSettings(fallback_wav=None))
    assert one_line(str(caught.value))


def test_unwritable_fallback_file_is_a_user_error(monkeypatch, tmp_path):
    without_devices(monkeypatch)
    settings = AudioSettings(fallback_wav=tmp_path / "missing-folder" / "out.wav")
    with pytest.raises(UserError, match="audio.fallback_wav") as caught:
        open_output(tone_engine(), settings)
    assert one_line(str(caught.value))


# --- a real device: PortAudio's JACK host API on a dummy server -----------------------------

@pytest.mark.jack
@pytest.mark.timeout(30, method="thread")
def test_jack_device_is_chosen_by_host_api_name(jack_portaudio):
    with open_output(tone_engine(), AudioSettings(device="jack", fallback_wav=None)) as output:
        assert output.device.name == "system"
        assert output.device.host_api == "JACK Audio Connection Kit"


@pytest.mark.jack
@pytest.mark.timeout(30, method="thread")
def test_sample_rate_the_device_does_not_run_is_refused(jack_portaudio):
    settings = AudioSettings(device="jack", sample_rate_hz=44100, fallback_wav=None)
    with pytest.raises(UserError, match="44100 Hz") as caught:
        open_output(tone_engine(44100), settings)
    assert one_line(str(caught.value))
    assert "48000 Hz" in str(caught.value)


@pytest.mark.jack
@pytest.mark.timeout(30, method="thread")
def test_stream_runs_the_c_callback_and_closes_idempotently(jack_portaudio):
    engine = tone_engine()
    output = open_output(engine, AudioSettings(device="jack", period_frames=128, fallback_wav=None))
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
