"""Translation: raw MIDI messages into input events through a profile and the MIDI learn
bindings, with every message counted (events, ignored, unmapped, malformed)."""
import pytest

from reverie.base import events
from reverie.hal.controllers.learn import LearnMap
from reverie.hal.controllers.profiles import load_profiles, parse_profile
from reverie.hal.controllers.translate import Translator, steps, well_formed

T = 12.5
DEVICE = "MPD218:MPD218 Port A"


@pytest.fixture(scope="module")
def shipped():
    return load_profiles()


PROFILE = """
name = "test"
match = ["mpd"]

[pads]
notes = [36, 37, 38]
channel = 10

[keyboard]
transpose = 12
channel = 1

[knobs]
mode = "absolute"
ccs = [3, {cc = 9, mode = "twos-complement"}, {cc = 10, mode = "offset-64"},
       {cc = 11, mode = "sign-magnitude"}]

[keys.cc]
117 = "PLAY"

[keys.note]
0 = "SHIFT"
"""


@pytest.fixture
def profile():
    import tomllib
    return parse_profile(tomllib.loads(PROFILE), "test.toml")


def translate(profile, *messages, learn=None, learning=False):
    translator = Translator(profile, DEVICE, learn)
    return [translator(bytes(m), T, learning) for m in messages], translator.counts


def test_pads_take_their_notes_with_velocity_and_channel(profile):
    out, counts = translate(profile, [0x99, 37, 90], [0x89, 37, 64], [0x99, 38, 0], [0x99, 39, 10])
    assert out == [events.Pad(1, 90, T), events.Pad(1, 0, T), events.Pad(2, 0, T), None]
    assert counts == {"events": 3, "unmapped": 1}


def test_a_fixed_velocity_replaces_the_played_one_but_not_a_release():
    p = parse_profile({"name": "p", "match": ["x"], "pads": {"notes": [36], "velocity": 100},
                       "keyboard": {"velocity": 64}}, "p.toml")
    assert translate(p, [0x90, 36, 5], [0x90, 36, 0], [0x90, 60, 5])[0] == [
        events.Pad(0, 100, T), events.Pad(0, 0, T), events.Note(60, 64, T)]


def test_keyboard_notes_are_transposed_on_their_channel(profile):
    out, _ = translate(profile, [0x90, 60, 100], [0x80, 60, 0], [0x91, 60, 100], [0x90, 120, 1])
    assert out == [events.Note(72, 100, T), events.Note(72, 0, T), None, None]


def test_absolute_and_relative_knobs(profile):
    out, _ = translate(profile, [0xB0, 3, 127], [0xB0, 3, 0], [0xB0, 9, 1], [0xB0, 9, 125],
                       [0xB0, 10, 67], [0xB0, 10, 60], [0xB0, 11, 2], [0xB0, 11, 0x43])
    assert out == [events.Knob(0, 1.0, t=T), events.Knob(0, 0.0, t=T),
                   events.Knob(1, 1.0, True, t=T), events.Knob(1, -3.0, True, t=T),
                   events.Knob(2, 3.0, True, t=T), events.Knob(2, -4.0, True, t=T),
                   events.Knob(3, 2.0, True, t=T), events.Knob(3, -3.0, True, t=T)]


@pytest.mark.parametrize("mode, value, expected", [
    ("twos-complement", 1, 1), ("twos-complement", 127, -1), ("twos-complement", 64, -64),
    ("offset-64", 65, 1), ("offset-64", 63, -1), ("offset-64", 64, 0),
    ("sign-magnitude", 1, 1), ("sign-magnitude", 65, -1), ("sign-magnitude", 0x7F, -63)])
def test_relative_encoder_modes(mode, value, expected):
    assert steps(mode, value) == expected


def test_function_keys_from_ccs_and_notes(profile):
    out, _ = translate(profile, [0xB0, 117, 127], [0xB0, 117, 0], [0x90, 0, 1], [0x80, 0, 0])
    assert out == [events.Key("PLAY", events.PRESS, T), events.Key("PLAY", events.RELEASE, T),
                   events.Key("SHIFT", events.PRESS, T), events.Key("SHIFT", events.RELEASE, T)]


def test_grid_buttons_become_grid_events_and_side_buttons_keys(shipped):
    out, _ = translate(shipped.get("launchpad-mini"), [0x90, 81, 127], [0x90, 18, 0],
                       [0x91, 81, 127], [0xB0, 89, 127], [0xB0, 91, 0])
    assert out == [events.Grid(0, 0, True, T), events.Grid(7, 7, False, T), None,
                   events.Key("PLAY", events.PRESS, T), events.Key("PATTERN", events.RELEASE, T)]


def test_learned_bindings_come_first_and_keep_an_encoders_mode(profile):
    learn = LearnMap()
    learn.bind(DEVICE + " 24:0", 0, 3, "cutoff_hz", track=2)
    learn.bind(DEVICE, 0, 9, "resonance")
    learn.bind(DEVICE, 4, 50, "bus.volume_db")
    out, _ = translate(profile, [0xB0, 3, 127], [0xB0, 9, 127], [0xB4, 50, 0], [0xB1, 3, 127],
                       learn=learn)
    assert out == [events.Knob(-1, 1.0, False, "cutoff_hz", 2, T),
                   events.Knob(-1, -1.0, True, "resonance", -1, T),
                   events.Knob(-1, 0.0, False, "bus.volume_db", -1, T),
                   events.Knob(0, 1.0, t=T)]


def test_unmapped_ccs_are_controls_for_midi_learn(profile):
    out, _ = translate(profile, [0xB5, 74, 33])
    assert out == [events.Control(DEVICE, 5, 74, 33, T)]


def test_while_learning_knobs_and_bindings_are_controls_but_keys_stay_keys(profile):
    learn = LearnMap()
    learn.bind(DEVICE, 0, 50, "drive_db")
    out, _ = translate(profile, [0xB0, 3, 64], [0xB0, 50, 1], [0xB0, 117, 127],
                       learn=learn, learning=True)
    assert out == [events.Control(DEVICE, 0, 3, 64, T), events.Control(DEVICE, 0, 50, 1, T),
                   events.Key("PLAY", events.PRESS, T)]


def test_system_and_other_channel_messages_are_ignored_and_counted(profile):
    out, counts = translate(profile, [0xF8], [0xFE], [0xFA], [0xF0, 0x7E, 0x01, 0xF7],
                            [0xC0, 5], [0xE0, 0, 64], [0xA0, 60, 10], [0xF2, 1, 2])
    assert out == [None] * 8 and counts == {"ignored": 8}


def test_the_mod_wheel_and_channel_pressure_are_expression(profile):
    """CC 1 (unless the profile or MIDI learn maps it) and channel pressure, on any channel,
    reach the focused track's instrument as 0..1."""
    out, counts = translate(profile, [0xB0, 1, 127], [0xB5, 1, 0], [0xD0, 127], [0xD3, 0])
    assert out == [events.Expression("wheel", 1.0, T), events.Expression("wheel", 0.0, T),
                   events.Expression("pressure", 1.0, T), events.Expression("pressure", 0.0, T)]
    assert counts == {"events": 4}
    learn = LearnMap()
    learn.bind(DEVICE, 0, 1, "cutoff_hz")
    out, _ = translate(profile, [0xB0, 1, 127], learn=learn)
    assert out == [events.Knob(-1, 1.0, False, "cutoff_hz", -1, T)]


@pytest.mark.parametrize("message", [
    [], [60, 100], [0x90, 60], [0x90, 60, 100, 1], [0x90, 0x80, 1], [0xB0, 7, 200],
    [0xC0, 1, 2], [0xF0, 1, 2], [0xF0, 0x90, 0xF7], [0xF4], [0xF8, 0]])
def test_malformed_messages_are_dropped_and_counted(profile, message):
    assert not well_formed(bytes(message))
    out, counts = translate(profile, message)
    assert out == [None] and counts == {"malformed": 1}


def test_the_same_number_on_two_channels_is_two_mappings():
    p = parse_profile({"name": "x", "match": ["a"], "pads": {"notes": [36], "channel": 10},
                       "keys": {"note": {"36": "PLAY"}, "channel": 1}}, "x.toml")
    assert translate(p, [0x99, 36, 1], [0x90, 36, 1])[0] == [
        events.Pad(0, 1, T), events.Key("PLAY", events.PRESS, T)]
