"""Controller profiles: the shipped files, every kind of mapping, every validation error (one
line naming the file and the key) and user folders overriding by name. The translation of
messages through a profile is in test_translate.py."""
import textwrap

import pytest

from reverie.base import events
from reverie.base.errors import UserError
from reverie.hal.controllers.profiles import CELL_STATES, load_profile, load_profiles

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
QUOTED_KEYS = ", ".join(f'"{k}"' for k in events.KEYS)
ROWS = ", ".join(str(list(range(10 * y + 1, 10 * y + 9))) for y in range(8, 0, -1))
BAD = {
    "unknown top key": ('name = "x"\nmatch = ["a"]\ncolour = 1', "unknown key colour; known: name, description, match, skip, fallback, channel, pads, "
                    "keyboard, knobs, keys, grid"),
    "unknown section key": ('name = "x"\nmatch = ["a"]\n[pads]\nnote = [1]', "unknown key pads.note; known: notes, velocity, channel"),
    "name missing": ('match = ["a"]', "name is missing"),
    "name empty": ('name = ""\nmatch = ["a"]', 'name must be text in quotes (more than spaces), not ""'),
    "no match": ('name = "x"', "match is missing: name a part of the port name (or set fallback = true)"),
    "match not a list": ('name = "x"\nmatch = "a"', 'match must be a list of parts of port names, not "a"'),
    "bad regex": ('name = "x"\nmatch = ["re:(unclosed"]', 'match[0] = "re:(unclosed" is a bad regex (missing ), unterminated subpattern'),
    "fallback": ('name = "x"\nfallback = "yes"', 'fallback must be true or false, not "yes"'),
    "description": ('name = "x"\nmatch = ["a"]\ndescription = 3', "description must be text in quotes, not 3"),
    "channel": ('name = "x"\nmatch = ["a"]\nchannel = 17', "channel = 17 is outside 1..16"),
    "section not a table": ('name = "x"\nmatch = ["a"]\npads = 3', "pads must be a table, not 3"),
    "too many pads": ('name = "x"\nmatch = ["a"]\n[pads]\nnotes = ' + str(list(range(17))),
                      "pads.notes must be a list of at most 16 notes, not a list of 17 items"),
    "note out of range": ('name = "x"\nmatch = ["a"]\n[pads]\nnotes = [36, 128]',
                          "pads.notes[1] = 128 is outside 0..127"),
    "pad note twice": ('name = "x"\nmatch = ["a"]\n[pads]\nnotes = [36, 36]',
                       "pads.notes[1]: note 36 is already mapped (pad 0)"),
    "velocity": ('name = "x"\nmatch = ["a"]\n[pads]\nvelocity = 0', 'pads.velocity = 0 is outside 1..127 (or "pass")'),
    "transpose": ('name = "x"\nmatch = ["a"]\n[keyboard]\ntranspose = 60', "keyboard.transpose = 60 is outside -48..48 semitones"),
    "knob mode": ('name = "x"\nmatch = ["a"]\n[knobs]\nmode = "relative"', 'knobs.mode must be one of "absolute", "twos-complement", "offset-64", "sign-magnitude", '
                  'not "relative"'),
    "too many knobs": ('name = "x"\nmatch = ["a"]\n[knobs]\nccs = ' + str(list(range(9))),
                       "knobs.ccs must be a list of at most 8 knobs (a CC, or {cc = …, mode = …}), "
                       "not [0, 1, 2, 3, 4, 5, 6, 7, 8]"),
    "knob cc": ('name = "x"\nmatch = ["a"]\n[knobs]\nccs = [1, -1]', "knobs.ccs[1] = -1 is outside 0..127"),
    "knob table": ('name = "x"\nmatch = ["a"]\n[knobs]\nccs = [{control = 1}]', "unknown key knobs.ccs[0].control; known: cc, mode"),
    "knob table mode": ('name = "x"\nmatch = ["a"]\n[knobs]\nccs = [{cc = 1, mode = "fast"}]',
                        'knobs.ccs[0].mode must be one of "absolute", "twos-complement", "offset-64", '
                        '"sign-magnitude", not "fast"'),
    "duplicate cc": ('name = "x"\nmatch = ["a"]\n[knobs]\nccs = [7]\n[keys.cc]\n7 = "PLAY"',
                     "keys.cc.7: cc 7 is already mapped (knob 0)"),
    "unknown function key": ('name = "x"\nmatch = ["a"]\n[keys.cc]\n7 = "PLAYY"', f'keys.cc.7 must be one of {QUOTED_KEYS}, not "PLAYY"'),
    "key not a number": ('name = "x"\nmatch = ["a"]\n[keys.note]\nc4 = "PLAY"', "keys.note.c4: c4 is not a note number 0..127"),
    "key cc out of range": ('name = "x"\nmatch = ["a"]\n[keys.cc]\n200 = "PLAY"', "keys.cc.200: 200 is not a cc number 0..127"),
    "grid shape": ('name = "x"\nmatch = ["a"]\n[grid]\nnotes = [[1, 2]]', "grid.notes must be a list of 8 rows of 8 notes, the top row first, not a list of 1 item"),
    "grid palette missing": ('name = "x"\nmatch = ["a"]\n' + GOOD_GRID.format(rows=ROWS).replace("muted = 5", ""),
                             "grid.palette.muted is missing"),
    "grid palette value": ('name = "x"\nmatch = ["a"]\n' + GOOD_GRID.format(rows=ROWS).replace("muted = 5", "muted = 300"),
                           "grid.palette.muted = 300 is outside 0..127 (an LED velocity: the colour)"),
    "grid palette unknown": ('name = "x"\nmatch = ["a"]\n' + GOOD_GRID.format(rows=ROWS) + "blink = 3",
                             "unknown key grid.palette.blink; known: off, step, step_playing, playhead, focus, muted"),
    "grid note twice": ('name = "x"\nmatch = ["a"]\n[pads]\nnotes = [81]\n' + GOOD_GRID.format(rows=ROWS),
                        "grid.notes[0][0]: note 81 is already mapped (pad 0)"),
    "sysex hex": ('name = "x"\nmatch = ["a"]\n' + GOOD_GRID.format(rows=ROWS).replace("F0 01 F7", "F0 zz F7"),
                  'grid.enter = "F0 zz F7" is not hex bytes like "F0 00 20 29 F7"'),
    "sysex frame": ('name = "x"\nmatch = ["a"]\n' + GOOD_GRID.format(rows=ROWS).replace("F0 01 F7", "90 01 F7"),
                    'grid.enter = "90 01 F7" is not one SysEx message: F0, data bytes below 80, F7'),
    "not toml": ('name = "x"\nmatch = [', "not valid TOML ("),
    "name only spaces": ('name = "  "\nmatch = ["a"]', 'name must be text in quotes (more than spaces), not "  "'),
    "knob table without cc": ('name = "x"\nmatch = ["a"]\n[knobs]\nccs = [{mode = "offset-64"}]',
                              "knobs.ccs[0].cc is missing"),
    "channel true": ('name = "x"\nmatch = ["a"]\nchannel = true', "channel must be a whole number from 1 to 16, not true"),
    "grid row": ('name = "x"\nmatch = ["a"]\n' + GOOD_GRID.format(rows=ROWS.replace("[11,", "[11, 19,")),
                 "grid.notes[7] must be a list of 8 notes, not [11, 19, 12, 13, 14, 15, 16, 17, 18]"),
}


@pytest.mark.parametrize("case", BAD)
def test_every_problem_is_one_line_naming_file_and_key(tmp_path, case):
    text, expected = BAD[case]
    path = write(tmp_path, "bad.toml", text)
    with pytest.raises(UserError) as exc_info:
        load_profile(path)
    message = one_line(exc_info)
    assert message.startswith(f"{path}: ") and expected in message, message


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
    assert 'b.toml: name = "same" is also the name of ' in one_line(exc_info) and "a.toml" in str(exc_info.value)


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
