"""The configuration: defaults, a valid file, and one clear line for every kind of mistake."""
import pytest

from reverie.app.config import AudioConfig, Config, config_from_dict, load_config
from reverie.base.errors import UserError


def test_missing_default_file_means_defaults(tmp_path, monkeypatch):
    monkeypatch.setattr("reverie.app.config.DEFAULT_PATH", tmp_path / "none.toml")
    assert load_config() == Config()


def test_a_valid_file_is_read(tmp_path):
    p = tmp_path / "c.toml"
    p.write_text('[audio]\ndevice = "hifiberry"\nperiod_frames = 64\n[samples]\nmax_seconds = 30\n')
    c = load_config(p)
    assert c.audio.device == "hifiberry" and c.audio.period_frames == 64 and c.samples.max_seconds == 30
    assert c.audio.sample_rate_hz == 48000


@pytest.mark.parametrize("text,message", [
    ("[audio]\nperiod_frames = 32\n", "audio.period_frames = 32 is outside 64..256 frames"),
    ("[audio]\nperiod_frames = \"fast\"\n", 'audio.period_frames must be a whole number, not "fast"'),
    ("[audio]\ndevise = \"x\"\n", "unknown key audio.devise; known: device, sample_rate_hz, period_frames, jack_server, "
     "jack_client, record_without_device, record_max_mb"),
    ("[sound]\n", "unknown key sound; known: paths, audio, samples, project, midi, sync, hardware, controllers, practice, capture"),
    ("[audio\n", "not valid TOML"),
    ("[audio]\nsample_rate_hz = 22050\n", "audio.sample_rate_hz must be one of 44100, 48000, 96000 Hz, not 22050"),
    ("audio = 3\n", "audio must be a table, not 3"),
    ("[audio]\nrecord_max_mb = 0\n", "audio.record_max_mb = 0 is outside 1..65536 MB"),
    ("[audio]\nrecord_without_device = 1\n", "audio.record_without_device must be true or false"),
])
def test_mistakes_get_one_line(tmp_path, text, message):
    p = tmp_path / "c.toml"
    p.write_text(text)
    with pytest.raises(UserError) as err:
        load_config(p)
    assert message in str(err.value)
    assert "\n" not in str(err.value)


def test_jack_and_recording_settings_and_the_retired_fallback_wav(tmp_path):
    p = tmp_path / "c.toml"
    p.write_text('[audio]\ndevice = "jack"\njack_server = "live"\nfallback_wav = "reverie-out.wav"\n'
                 'record_without_device = true\nrecord_max_mb = 50\n')
    a = load_config(p).audio        # an older file's fallback_wav is read and let go
    assert (a.device, a.jack_server, a.jack_client) == ("jack", "live", "reverie")
    assert (a.record_without_device, a.record_max_mb) == (True, 50)
    assert not hasattr(a, "fallback_wav")
    assert AudioConfig().record_without_device is False


def test_an_explicit_missing_file_is_an_error(tmp_path):
    with pytest.raises(UserError, match="no such configuration file"):
        load_config(tmp_path / "nope.toml")


def test_booleans_are_not_numbers():
    with pytest.raises(UserError, match="audio.period_frames must be a whole number, not true"):
        config_from_dict({"audio": {"period_frames": True}})


def test_sync_and_midi_settings(tmp_path):
    from reverie.app.config import config_from_dict

    c = config_from_dict({"sync": {"source": "link"}, "midi": {"api": "jack", "clock_out": False}})
    assert (c.sync.source, c.midi.api, c.midi.clock_out) == ("link", "jack", False)
    assert config_from_dict({}).sync.source == "internal"      # Link is off unless chosen


@pytest.mark.parametrize("data, text", [
    ({"sync": {"source": "wifi"}}, 'sync.source must be one of "internal", "midi", "link" (Link opens a network socket), not "wifi"'),
    ({"midi": {"api": "coreaudio"}}, 'midi.api must be one of "alsa", "jack", not "coreaudio"'),
    ({"midi": {"clock_out": "yes"}}, 'midi.clock_out must be true or false, not "yes"'),
])
def test_bad_sync_and_midi_settings_are_one_line(data, text):
    from reverie.app.config import config_from_dict

    with pytest.raises(UserError) as err:
        config_from_dict(data)
    assert text in str(err.value) and "\n" not in str(err.value)


def test_capture_settings_and_their_mistakes():
    from reverie.app.config import CaptureConfig

    c = config_from_dict({"capture": {"seconds": 30, "record_session": True, "min_free_mb": 500}}).capture
    assert (c.enabled, c.seconds, c.record_session, c.min_free_mb) == (True, 30, True, 500)
    assert CaptureConfig().record_session is False and CaptureConfig().seconds == 60    # off by default
    for data, text in (({"seconds": 2}, "capture.seconds = 2 is outside 5..300 s"),
                       ({"min_free_mb": 0}, "capture.min_free_mb = 0 is outside 1..65536 MB"),
                       ({"enabled": "no"}, 'capture.enabled must be true or false, not "no"')):
        with pytest.raises(UserError) as err:
            config_from_dict({"capture": data})
        assert text in str(err.value) and "\n" not in str(err.value)
