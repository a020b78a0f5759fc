"""Controller profiles: the shipped files, every kind of mapping, every validation error (one
line naming the file and the key), user folders overriding by name, and the translation of
raw messages into input events."""
import textwrap

import pytest

from reverie.base import events
from reverie.base.errors import UserError
from reverie.hal.controllers.profiles import (CELL_STATES, Translator, load_profile, load_profiles,
                                  parse_profile, steps, well_formed)
from reverie.hal.controllers.learn import LearnMap

T = 12.5
DEVICE = "MPD218:MPD218 Port A"
LAUNCHPAD = "Launchpad Mini MK3:Launchpad Mini MK3 LPMiniMK3 MI 20:1"


def one_line(exc_info) -> str:
    text = str(exc_info.value)
    assert text and "\n" not in text, text
    return text


def write(folder, name, text):
    path = folder / name
    path.write_text(textwrap.dedent(text))
    return path


# --- the shipped profiles ----------------------------------------------------------------------

@pytest.fixture(scope="module")
def shipped():
    return load_profiles()


@pytest.mark.parametrize("port, profile", [
    (LAUNCHPAD, "launchpad-mini"),
    ("a2j:Launchpad Mini MK3 [24] (capture): Launchpad Mini MK3 LPMiniMK3 MIDI", "launchpad-mini"),
    ("Launchpad Mini MK3:Launchpad Mini MK3 LPMiniMK3 DA 20:0", None),      # its DAW port
    ("MPD218:MPD218 MIDI 1 24:0", "generic-pads"),
    ("nanoPAD2:nanoPAD2 MIDI 1 28:0", "generic-pads"),
    ("Arturia KeyStep 32:KeyStep 32 MIDI 1 20:0", "generic-keyboard"),      # the fallback
    ("Midi Through:Midi Through Port-0 14:0", None),
])
def test_shipped_profiles_match_their_ports(shipped, port, profile):
    found = shipped.match(port)
    assert (found and found.name) == profile


def test_shipped_profiles_are_all_there_and_the_fallback_is_last(shipped):
    assert [p.name for p in shipped] == ["generic-pads", "launchpad-mini", "generic-keyboard"]
    assert shipped.fallback.name == "generic-keyboard" and len(shipped) == 3


def test_the_launchpad_grid_is_programmer_mode(shipped):
    grid = shipped.get("launchpad-mini").grid
    assert grid.notes[0] == (81, 82, 83, 84, 85, 86, 87, 88)       # the top row first
    assert grid.notes[7][0] == 11 and grid.cells[18] == (7, 7) and grid.cells[81] == (0, 0)
    assert grid.enter == bytes.fromhex("F0 00 20 29 02 0D 0E 01 F7")
    assert grid.leave[-2] == 0x00 and grid.channel == 0
    assert set(grid.palette) == set(CELL_STATES)


# --- translation ---------------------------------------------------------------------------------

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
                            [0xC0, 5], [0xD0, 40], [0xE0, 0, 64], [0xA0, 60, 10], [0xF2, 1, 2])
    assert out == [None] * 9 and counts == {"ignored": 9}


@pytest.mark.parametrize("message", [
    [], [60, 100], [0x90, 60], [0x90, 60, 100, 1], [0x90, 0x80, 1], [0xB0, 7, 200],
    [0xC0, 1, 2], [0xF0, 1, 2], [0xF0, 0x90, 0xF7], [0xF4], [0xF8, 0]])
def test_malformed_messages_are_dropped_and_counted(profile, message):
    assert not well_formed(bytes(message))
    out, counts = translate(profile, message)
    assert out == [None] and counts == {"malformed": 1}


# --- validation ----------------------------------------------------------------------------------

GOOD_GRID = """
[grid]
notes = [{rows}]
enter = "F0 01 F7"
[grid.palette]
off = 0
step = 1
step_playing = 2
playhead = 3
focus = 4
muted = 5
"""
ROWS = ", ".join(str(list(range(10 * y + 1, 10 * y + 9))) for y in range(8, 0, -1))
BAD = {
    "unknown top key": ('name = "x"\nmatch = ["a"]\ncolour = 1', "colour: unknown key"),
    "unknown section key": ('name = "x"\nmatch = ["a"]\n[pads]\nnote = [1]', "pads.note: unknown key"),
    "name missing": ('match = ["a"]', "name: missing"),
    "name empty": ('name = ""\nmatch = ["a"]', "name: must be a non-empty string"),
    "no match": ('name = "x"', "match: missing"),
    "match not a list": ('name = "x"\nmatch = "a"', "match: must be a list"),
    "bad regex": ('name = "x"\nmatch = ["re:(unclosed"]', "match[0]: bad regex"),
    "fallback": ('name = "x"\nfallback = "yes"', "fallback: must be true or false"),
    "description": ('name = "x"\nmatch = ["a"]\ndescription = 3', "description: must be a string"),
    "channel": ('name = "x"\nmatch = ["a"]\nchannel = 17', "channel: channel 17 is out of 1..16"),
    "section not a table": ('name = "x"\nmatch = ["a"]\npads = 3', "pads: must be a table"),
    "too many pads": ('name = "x"\nmatch = ["a"]\n[pads]\nnotes = ' + str(list(range(17))),
                      "pads.notes: 17 notes for 16 pads"),
    "note out of range": ('name = "x"\nmatch = ["a"]\n[pads]\nnotes = [36, 128]',
                          "pads.notes[1]: note 128 is out of 0..127"),
    "pad note twice": ('name = "x"\nmatch = ["a"]\n[pads]\nnotes = [36, 36]',
                       "pads.notes[1]: note 36 is already mapped (pad 0)"),
    "velocity": ('name = "x"\nmatch = ["a"]\n[pads]\nvelocity = 0', "pads.velocity: velocity"),
    "transpose": ('name = "x"\nmatch = ["a"]\n[keyboard]\ntranspose = 60', "keyboard.transpose"),
    "knob mode": ('name = "x"\nmatch = ["a"]\n[knobs]\nmode = "relative"', "knobs.mode: 'relative'"),
    "too many knobs": ('name = "x"\nmatch = ["a"]\n[knobs]\nccs = ' + str(list(range(9))),
                       "knobs.ccs: 9 knobs for 8 slots"),
    "knob cc": ('name = "x"\nmatch = ["a"]\n[knobs]\nccs = [1, -1]', "knobs.ccs[1]: CC -1"),
    "knob table": ('name = "x"\nmatch = ["a"]\n[knobs]\nccs = [{control = 1}]', "knobs.ccs[0]: a knob is"),
    "knob table mode": ('name = "x"\nmatch = ["a"]\n[knobs]\nccs = [{cc = 1, mode = "fast"}]',
                        "knobs.ccs[0].mode"),
    "duplicate cc": ('name = "x"\nmatch = ["a"]\n[knobs]\nccs = [7]\n[keys.cc]\n7 = "PLAY"',
                     "keys.cc.7: cc 7 is already mapped (knob 0)"),
    "unknown function key": ('name = "x"\nmatch = ["a"]\n[keys.cc]\n7 = "PLAYY"', "keys.cc.7: 'PLAYY' is not a key"),
    "key not a number": ('name = "x"\nmatch = ["a"]\n[keys.note]\nc4 = "PLAY"', "keys.note.c4: must be a note"),
    "key cc out of range": ('name = "x"\nmatch = ["a"]\n[keys.cc]\n200 = "PLAY"', "keys.cc.200: cc 200"),
    "grid shape": ('name = "x"\nmatch = ["a"]\n[grid]\nnotes = [[1, 2]]', "grid.notes: must be 8 rows"),
    "grid palette missing": ('name = "x"\nmatch = ["a"]\n' + GOOD_GRID.format(rows=ROWS).replace("muted = 5", ""),
                             "grid.palette.muted: missing"),
    "grid palette value": ('name = "x"\nmatch = ["a"]\n' + GOOD_GRID.format(rows=ROWS).replace("muted = 5", "muted = 300"),
                           "grid.palette.muted: velocity 300"),
    "grid palette unknown": ('name = "x"\nmatch = ["a"]\n' + GOOD_GRID.format(rows=ROWS) + "blink = 3",
                             "grid.palette.blink: unknown key"),
    "grid note twice": ('name = "x"\nmatch = ["a"]\n[pads]\nnotes = [81]\n' + GOOD_GRID.format(rows=ROWS),
                        "grid.notes[0][0]: note 81 is already mapped (pad 0)"),
    "sysex hex": ('name = "x"\nmatch = ["a"]\n' + GOOD_GRID.format(rows=ROWS).replace("F0 01 F7", "F0 zz F7"),
                  "grid.enter: 'F0 zz F7' is not hex"),
    "sysex frame": ('name = "x"\nmatch = ["a"]\n' + GOOD_GRID.format(rows=ROWS).replace("F0 01 F7", "90 01 F7"),
                    "grid.enter: must be one SysEx message"),
    "not toml": ('name = "x"\nmatch = [', "not valid TOML"),
}


@pytest.mark.parametrize("case", BAD)
def test_every_problem_is_one_line_naming_file_and_key(tmp_path, case):
    text, expected = BAD[case]
    path = write(tmp_path, "bad.toml", text)
    with pytest.raises(UserError) as exc_info:
        load_profile(path)
    message = one_line(exc_info)
    assert message.startswith(f"{path}: ") and expected in message, message


def test_the_same_number_on_two_channels_is_two_mappings():
    p = parse_profile({"name": "x", "match": ["a"], "pads": {"notes": [36], "channel": 10},
                       "keys": {"note": {"36": "PLAY"}, "channel": 1}}, "x.toml")
    assert translate(p, [0x99, 36, 1], [0x90, 36, 1])[0] == [
        events.Pad(0, 1, T), events.Key("PLAY", events.PRESS, T)]


def test_a_good_grid_section_loads(tmp_path):
    p = load_profile(write(tmp_path, "g.toml", 'name = "g"\nmatch = ["a"]\nchannel = 3\n'
                           + GOOD_GRID.format(rows=ROWS)))
    assert p.grid.channel == 2 and p.grid.enter == bytes([0xF0, 1, 0xF7]) and p.grid.leave == b""


def test_an_unreadable_file_is_a_one_line_error(tmp_path):
    path = tmp_path / "x.toml"
    path.write_bytes(b"\xff\xfe")
    with pytest.raises(UserError) as exc_info:
        load_profile(path)
    assert str(path) in one_line(exc_info)


# --- user folders ----------------------------------------------------------------------------------

def test_user_profiles_override_shipped_ones_by_name_and_come_first(tmp_path):
    write(tmp_path, "mine.toml", 'name = "generic-pads"\nmatch = ["my pads"]\n[pads]\nnotes = [60]')
    write(tmp_path, "keys.toml", 'name = "studio-keys"\nmatch = ["mpd218"]\n[keyboard]\n')
    profiles = load_profiles(tmp_path)
    assert [p.name for p in profiles] == ["studio-keys", "generic-pads", "launchpad-mini",
                                          "generic-keyboard"]
    assert profiles.get("generic-pads").pads == {60: 0}
    assert profiles.match("MPD218:MPD218 MIDI 1").name == "studio-keys"
    assert profiles.match("My Pads:out").name == "generic-pads"


def test_a_user_fallback_replaces_the_shipped_one(tmp_path):
    write(tmp_path, "f.toml", 'name = "everything"\nfallback = true\n[keyboard]\ntranspose = -12')
    assert load_profiles(tmp_path).match("Some Synth:out").name == "everything"


def test_a_missing_user_folder_is_no_user_profiles(tmp_path):
    assert len(load_profiles(tmp_path / "none")) == 3


def test_two_files_with_one_name_in_a_folder_are_an_error(tmp_path):
    write(tmp_path, "a.toml", 'name = "same"\nmatch = ["a"]')
    write(tmp_path, "b.toml", 'name = "same"\nmatch = ["b"]')
    with pytest.raises(UserError) as exc_info:
        load_profiles(tmp_path)
    assert "b.toml: name: 'same'" in one_line(exc_info) and "a.toml" in str(exc_info.value)


def test_a_bad_user_file_can_be_reported_and_left_out(tmp_path):
    write(tmp_path, "good.toml", 'name = "good"\nmatch = ["g"]')
    write(tmp_path, "bad.toml", 'name = "bad"\nmatch = ["b"]\n[pads]\nnotes = [300]')
    with pytest.raises(UserError, match="bad.toml"):
        load_profiles(tmp_path)
    errors = []
    profiles = load_profiles(tmp_path, on_error=errors.append)
    assert [p.name for p in profiles][0] == "good" and profiles.get("bad") is None
    assert len(errors) == 1 and "pads.notes[0]" in str(errors[0])


def test_a_user_path_that_is_a_file_is_an_error(tmp_path):
    path = write(tmp_path, "file.toml", 'name = "x"\nmatch = ["a"]')
    with pytest.raises(UserError, match="not a folder"):
        load_profiles(path)
