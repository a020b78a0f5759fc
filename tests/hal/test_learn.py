"""MIDI learn bindings: lookups by device name without the MIDI system's numbers, the
file's round trip, a bad file that changes nothing and an atomic save."""
import os

import pytest

from reverie.base.errors import UserError
from reverie.hal.controllers.learn import Binding, LearnMap, device_name

PORT = "Launchpad Mini MK3:Launchpad Mini MK3 LPMiniMK3 MI 20:1"


def one_line(exc_info) -> str:
    text = str(exc_info.value)
    assert text and "\n" not in text, text
    return text


@pytest.mark.parametrize("port, name", [
    (PORT, "Launchpad Mini MK3:Launchpad Mini MK3 LPMiniMK3 MI"),
    ("Launchpad Mini MK3:Launchpad Mini MK3 LPMiniMK3 MI 24:1", "Launchpad Mini MK3:Launchpad Mini MK3 LPMiniMK3 MI"),
    ("a2j:MPK mini 3 [28] (capture): MPK mini 3 MIDI 1", "a2j:MPK mini 3 (capture): MPK mini 3 MIDI 1"),
    ("pads-client:MPD218 Port A", "pads-client:MPD218 Port A"),
])
def test_device_names_drop_the_numbers_the_midi_system_adds(port, name):
    assert device_name(port) == name


def test_a_replugged_controller_keeps_its_bindings():
    learn = LearnMap()
    learn.bind(PORT, 0, 74, "cutoff_hz")
    found = learn.lookup("Launchpad Mini MK3:Launchpad Mini MK3 LPMiniMK3 MI 28:1", 0, 74)
    assert found == Binding("Launchpad Mini MK3:Launchpad Mini MK3 LPMiniMK3 MI", 0, 74, "cutoff_hz", -1)
    assert learn.lookup(PORT, 1, 74) is None and learn.lookup(PORT, 0, 75) is None
    assert learn.lookup("Other:port 20:1", 0, 74) is None


def test_bind_replaces_unbind_removes_and_items_are_sorted():
    learn = LearnMap()
    learn.bind("b:port", 2, 10, "resonance", track=3)
    learn.bind("a:port", 0, 20, "cutoff_hz")
    learn.bind("b:port", 2, 10, "drive_db")
    assert [(b.device, b.key, b.track) for b in learn.items()] == [
        ("a:port", "cutoff_hz", -1), ("b:port", "drive_db", -1)]
    assert learn.unbind("a:port 20:0", 0, 20) is True
    assert learn.unbind("a:port", 0, 20) is False
    assert len(learn) == 1


@pytest.mark.parametrize("args, says", [
    (("", 0, 1, "k"), 'device must be text in quotes (at least 1 character), not ""'),
    ((" 20:0", 0, 1, "k"), 'device must be text in quotes (at least 1 character), not ""'),
    (("d", 16, 1, "k"), "channel = 16 is outside 0..15"),
    (("d", 0, 128, "k"), "control = 128 is outside 0..127"),
    (("d", 0, 1, ""), 'key must be text in quotes (at least 1 character), not ""'),
    (("d", 0, 1, "k", -2), "track = -2 is outside -1..255 (-1: the focused track)"),
    (("d", True, 1, "k"), "channel must be a whole number from 0 to 15, not true")])
def test_bind_refuses_values_out_of_range(args, says):
    with pytest.raises(ValueError) as info:
        LearnMap().bind(*args)
    assert str(info.value) == says


def test_save_and_load_round_trip(tmp_path):
    path = tmp_path / "deep" / "learn.toml"
    learn = LearnMap()
    learn.bind(PORT, 15, 127, "bus.volume_db", track=7)
    learn.bind('odd "name"\\ünï:port', 0, 0, "master.tempo_bpm")
    learn.save(path)
    text = path.read_text()
    assert "channel = 16" in text and "version = 1" in text
    again = LearnMap()
    assert again.load(path) is True
    assert again.items() == learn.items()


def test_a_missing_file_loads_nothing_and_keeps_the_bindings(tmp_path):
    learn = LearnMap([Binding("d", 0, 1, "cutoff_hz")])
    assert learn.load(tmp_path / "none.toml") is False
    assert len(learn) == 1


BAD_FILES = {
    "not toml": ("version = = 1", "not valid TOML"),
    "version": ("version = 2", "version must be 1, not 2"),
    "no version": ("", "version is missing"),
    "unknown top": ("version = 1\nbindings = []", "unknown key bindings; known: version, binding"),
    "unknown binding key": ('version = 1\n[[binding]]\ndevice = "d"\nchannel = 1\ncontrol = 1\nkey = "k"\ncc = 3',
                            "unknown key binding[0].cc; known: device, channel, control, key, track"),
    "missing": ('version = 1\n[[binding]]\ndevice = "d"\nchannel = 1\nkey = "k"', "binding[0].control is missing"),
    "channel": ('version = 1\n[[binding]]\ndevice = "d"\nchannel = 0\ncontrol = 1\nkey = "k"',
                "binding[0].channel = 0 is outside 1..16"),
    "control": ('version = 1\n[[binding]]\ndevice = "d"\nchannel = 1\ncontrol = 200\nkey = "k"',
                "binding[0].control = 200 is outside 0..127"),
    "key": ('version = 1\n[[binding]]\ndevice = "d"\nchannel = 1\ncontrol = 1\nkey = 5',
            "binding[0].key must be text in quotes (at least 1 character), not 5"),
    "twice": ('version = 1\n' + '[[binding]]\ndevice = "d 20:0"\nchannel = 1\ncontrol = 1\nkey = "k"\n'
              '[[binding]]\ndevice = "d 24:0"\nchannel = 1\ncontrol = 1\nkey = "j"\n',
              'binding[1]: control 1 on channel 1 of "d" is bound twice'),
    "device of numbers only": ('version = 1\n[[binding]]\ndevice = " 20:0"\nchannel = 1\ncontrol = 1\nkey = "k"',
                               'binding[0].device must be text in quotes (at least 1 character), not ""'),
    "not a list": ('version = 1\nbinding = 3', "binding must be a list of [[binding]] tables, not 3"),
}


@pytest.mark.parametrize("name", BAD_FILES)
def test_a_bad_file_is_a_one_line_error_and_changes_nothing(tmp_path, name):
    text, expected = BAD_FILES[name]
    path = tmp_path / "learn.toml"
    path.write_text(text)
    learn = LearnMap([Binding("keep:port", 3, 4, "cutoff_hz")])
    before = learn.items()
    with pytest.raises(UserError) as exc_info:
        learn.load(path)
    message = one_line(exc_info)
    assert message.startswith(f"{path}: {expected}") and message.endswith("; the bindings in use are unchanged")
    assert learn.items() == before
    assert path.read_text() == text


def test_an_unreadable_file_is_a_one_line_error(tmp_path):
    path = tmp_path / "learn.toml"
    path.write_bytes(b"\xff\xfe version")
    with pytest.raises(UserError) as exc_info:
        LearnMap().load(path)
    assert str(path) in one_line(exc_info)


def test_a_save_that_fails_leaves_the_old_file_and_no_temp_file(tmp_path, monkeypatch):
    path = tmp_path / "learn.toml"
    first = LearnMap([Binding("d", 0, 1, "cutoff_hz")])
    first.save(path)
    before = path.read_bytes()
    second = LearnMap([Binding("d", 0, 2, "resonance")])

    def failing_fsync(fd):
        raise OSError(28, "No space left on device")

    monkeypatch.setattr(os, "fsync", failing_fsync)
    with pytest.raises(UserError) as exc_info:
        second.save(path)
    assert "untouched" in one_line(exc_info)
    monkeypatch.undo()
    assert path.read_bytes() == before
    assert [p.name for p in tmp_path.iterdir()] == ["learn.toml"]


def test_save_replaces_the_file_by_rename(tmp_path):
    """The new file is a new inode renamed over the old one, not the old file rewritten."""
    path = tmp_path / "learn.toml"
    LearnMap([Binding("d", 0, 1, "cutoff_hz")]).save(path)
    inode = path.stat().st_ino
    LearnMap([Binding("d", 0, 2, "resonance")]).save(path)
    assert path.stat().st_ino != inode
    again = LearnMap()
    again.load(path)
    assert [b.control for b in again.items()] == [2]


def test_a_learn_file_too_large_or_too_deep_is_one_line_and_keeps_the_bindings(tmp_path):
    from reverie.hal.controllers.learn import LearnMap

    learn = LearnMap()
    learn.bind("Keep", 0, 1, "volume_db", 0)
    path = tmp_path / "learn.toml"
    for content, said in ((b"version = 1\n" + b"#" * (1 << 20), "larger than 1 MB"),
                          (b"a = " + b"[" * 1000 + b"]" * 1000 + b"\n", "nested too deeply")):
        path.write_bytes(content)
        with pytest.raises(UserError) as caught:
            learn.load(path)
        assert said in str(caught.value) and str(caught.value).endswith("; the bindings in use are unchanged")
        assert len(learn) == 1
