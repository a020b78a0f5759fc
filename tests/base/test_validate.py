"""The validation vocabulary: full paths, types in plain words, ranges with units, choices,
true/false never a number, NaN and infinity refused, unknown and missing keys, list shapes;
every problem one line naming the file."""
import math

import pytest

from reverie.base.errors import UserError
from reverie.base.validate import REQUIRED, Check, at, finite

TOML = Check("box.toml")
JSON = Check(json=True)


def error(call, *args, **kw) -> str:
    with pytest.raises(UserError) as info:
        call(*args, **kw)
    message = str(info.value)
    assert message and "\n" not in message
    return message


def test_paths_name_the_bad_key_in_full():
    assert at("", "display") == "display"
    assert at(at("", "display"), "contrast") == "display.contrast"
    assert at(at("tracks", 3), "steps") == "tracks[3].steps"
    path = at(at(at(at("tracks", 3), "steps"), 12), "locks")
    assert at(path, "cutoff_hz") == "tracks[3].steps[12].locks.cutoff_hz"
    assert at("encoders", 1) + ".push" == at(at("encoders", 1), "push") == "encoders[1].push"
    assert at("keys.cc", "7") == "keys.cc.7"
    assert at("locks", "a b") == 'locks."a b"'              # quoted as TOML quotes such a key
    assert at("locks", "x" * 100) == "locks." + "x" * 37 + "..."     # a long key is cut
    assert at("locks", "a b" * 50) == "locks." + ('"' + "a b" * 50)[:37] + "..."


def test_the_file_prefixes_and_after_ends_every_message():
    assert error(Check("learn.toml", after="; nothing changed").flag, 1, "x") == \
        "learn.toml: x must be true or false, not 1; nothing changed"
    assert error(Check().flag, 1, "x") == "x must be true or false, not 1"


@pytest.mark.parametrize("kind, value, expected", [
    (int, "fast", 'period must be a whole number, not "fast"'),
    (int, 64.0, "period must be a whole number, not 64.0"),
    (int, True, "period must be a whole number, not true"),
    (float, "1", 'period must be a number, not "1"'),
    (bool, 1, "period must be true or false, not 1"),
    (bool, "yes", 'period must be true or false, not "yes"'),
    (str, 3, "period must be text in quotes, not 3"),
    (list, {"a": 1}, "period must be a list, not a table"),
    (dict, [1, 2], "period must be a table, not [1, 2]"),
])
def test_types_are_named_in_plain_words(kind, value, expected):
    assert error(TOML.typed, value, "period", kind) == "box.toml: " + expected


@pytest.mark.parametrize("kind, value", [(int, 3), (float, 0.5), (float, 3), (bool, False), (str, ""),
                                         (list, []), (dict, {})])
def test_values_of_the_right_type_come_back(kind, value):
    assert TOML.typed(value, "x", kind) == value


def test_ranges_say_the_bounds_and_the_unit():
    assert TOML.number(64, "audio.period_frames", 64, 256, "frames", whole=True) == 64
    assert error(TOML.number, 32, "audio.period_frames", 64, 256, "frames", whole=True) == \
        "box.toml: audio.period_frames = 32 is outside 64..256 frames"
    assert error(JSON.number, 10, "cutoff_hz", 20.0, 20000.0, "Hz") == "cutoff_hz = 10 is outside 20..20000 Hz"
    assert error(JSON.number, "low", "cutoff_hz", 20.0, 20000.0, "Hz") == \
        'cutoff_hz must be a number from 20 to 20000 Hz, not "low"'
    assert error(JSON.number, 0.01, "length", 0.0625, 128) == "length = 0.01 is outside 0.0625..128"
    assert error(JSON.number, -1.5, "vel_ramp", -1, 1) == "vel_ramp = -1.5 is outside -1..1"


@pytest.mark.parametrize("value", [True, False])
def test_true_and_false_are_never_numbers(value):
    for check in (TOML, JSON):
        assert "must be a number" in error(check.number, value, "x", 0, 1)
        assert "must be a whole number" in error(check.number, value, "x", 0, 1, whole=True)
        assert "must be one of 0, 1" in error(check.choice, value, "x", (0, 1))


@pytest.mark.parametrize("value, shown", [(math.nan, "nan"), (math.inf, "inf"), (-math.inf, "-inf"),
                                          (10**400, "a huge number")])
def test_nan_infinity_and_huge_numbers_are_refused(value, shown):
    assert error(JSON.number, value, "tempo", 20, 300, "BPM") == \
        f"tempo must be a number from 20 to 300 BPM, not {shown}"
    assert error(JSON.number, value, "tempo") == f"tempo must be a number, not {shown}"
    assert not finite(value)


def test_whole_numbers_in_json_by_value_in_toml_by_type():
    assert JSON.number(60.0, "note", 0, 127, whole=True) == 60
    assert type(JSON.number(60.0, "note", 0, 127, whole=True)) is int
    assert error(JSON.number, 60.5, "note", 0, 127, whole=True) == \
        "note must be a whole number from 0 to 127, not 60.5"
    assert error(TOML.number, 60.0, "note", 0, 127, whole=True) == \
        "box.toml: note must be a whole number from 0 to 127, not 60.0"


def test_choices_list_what_is_allowed_as_the_file_writes_it():
    assert TOML.choice("jack", "midi.api", ("alsa", "jack")) == "jack"
    assert error(TOML.choice, "coreaudio", "midi.api", ("alsa", "jack")) == \
        'box.toml: midi.api must be one of "alsa", "jack", not "coreaudio"'
    assert error(TOML.choice, 3, "rate", (1, 2, 4), "per step") == \
        "box.toml: rate must be one of 1, 2, 4 per step, not 3"
    assert error(TOML.choice, 2, "version", (1,)) == "box.toml: version must be 1, not 2"
    assert error(TOML.choice, "4", "rate", (1, 2, 4)) == 'box.toml: rate must be one of 1, 2, 4, not "4"'
    assert error(TOML.choice, math.nan, "rate", (1, 2, 4)) == "box.toml: rate must be one of 1, 2, 4, not nan"


def test_a_json_choice_of_a_whole_float_is_the_choice_itself_but_not_in_toml():
    rate = JSON.choice(4.0, "rate", (1, 2, 4))
    assert rate == 4 and type(rate) is int
    assert error(TOML.choice, 4.0, "rate", (1, 2, 4)) == "box.toml: rate must be one of 1, 2, 4, not 4.0"


def test_text_says_its_length():
    assert TOML.text("", "description") == ""
    assert error(JSON.text, "", "midi_port", 1, 128) == 'midi_port must be text in quotes (1 to 128 characters), not ""'
    assert error(JSON.text, 7, "name", 0, 64) == "name must be text in quotes (0 to 64 characters), not 7"
    assert error(JSON.text, "", "device", 1) == 'device must be text in quotes (at least 1 character), not ""'
    assert error(JSON.text, "x" * 100, "name", 0, 64).endswith(', not "' + "x" * 36 + "...")


def test_unknown_keys_name_their_full_path_and_the_known_ones():
    assert error(TOML.table, {"width": 1}, "display", ("driver", "bus")) == \
        "box.toml: unknown key display.width; known: driver, bus"
    assert error(TOML.table, {"colour": 1}, "", ("name", "gpio")) == "box.toml: unknown key colour; known: name, gpio"
    assert error(JSON.table, {"cc200": 1}, "locks", {"cc1": 0}, known_as="cc0..cc127") == \
        "unknown key locks.cc200; known: cc0..cc127"
    assert error(TOML.table, 3, "audio") == "box.toml: audio must be a table, not 3"
    assert error(JSON.table, [1], "locks") == "locks must be an object ({...}), not [1]"


def test_required_keys_are_named_when_missing():
    assert error(TOML.table, {"a": 1}, "encoders[0]", ("a", "b"), ("a", "b")) == "box.toml: encoders[0].b is missing"


def test_settings_fill_defaults_check_types_and_require_what_has_no_default():
    spec = {"a": (int, REQUIRED), "push": (str, ""), "reversed": (bool, False)}
    assert TOML.settings({"a": 17}, "encoders[0]", spec) == {"a": 17, "push": "", "reversed": False}
    assert error(TOML.settings, {}, "encoders[0]", spec) == "box.toml: encoders[0].a is missing"
    assert error(TOML.settings, {"a": 1, "reversed": "no"}, "encoders[0]", spec) == \
        'box.toml: encoders[0].reversed must be true or false, not "no"'
    assert error(TOML.settings, {"a": 1, "steps": 4}, "encoders[0]", spec) == \
        "box.toml: unknown key encoders[0].steps; known: a, push, reversed"


@pytest.mark.parametrize("value, least, most, expected", [
    ([], 1, 4, "notes must be a list of 1 to 4 MIDI notes, not []"),
    ([1, 2, 3, 4, 5], 1, 4, "notes must be a list of 1 to 4 MIDI notes, not [1, 2, 3, 4, 5]"),
    (60, 1, 4, "notes must be a list of 1 to 4 MIDI notes, not 60"),
    (list(range(17)), 0, 16, "notes must be a list of at most 16 MIDI notes, not a list of 17 items"),
    ([[1, 2]], 8, 8, "notes must be a list of 8 MIDI notes, not a list of 1 item"),
    ([], 1, None, "notes must be a list of 1 or more MIDI notes, not []"),
])
def test_list_shapes(value, least, most, expected):
    assert error(JSON.items, value, "notes", least, most, "MIDI notes") == expected


def test_lists_of_the_right_shape_come_back():
    assert JSON.items([60, 64], "notes", 1, 4, "MIDI notes") == [60, 64]
    assert JSON.items((60,), "notes", 1, 4) == (60,)
    assert error(JSON.items, "x", "steps") == 'steps must be a list, not "x"'


def test_values_are_shown_as_the_file_writes_them():
    assert [JSON.shown(v) for v in (True, None, "a\"b", 3, 0.5, 1e308, [1, "x"], {"a": 1}, [{}])] == [
        "true", "null", '"a\\"b"', "3", "0.5", "1e+308", '[1, "x"]', "an object", "a list of 1 item"]
    assert TOML.shown({}) == "a table"
    assert len(JSON.shown("x" * 1000)) == 40


# --- reading TOML files -----------------------------------------------------------------------

def test_a_toml_file_nested_a_thousand_deep_is_one_line(tmp_path):
    from reverie.base.validate import read_toml

    path = tmp_path / "deep.toml"
    path.write_text("a = " + "[" * 1000 + "]" * 1000 + "\n")
    with pytest.raises(UserError) as caught:
        read_toml(path)
    assert str(caught.value) == f"{path}: nested too deeply to be a settings file"


@pytest.mark.parametrize("content, message", [
    (b"a = 1\n" + b"#" * (1 << 20), "larger than 1 MB, too large for a settings file"),
    (b"name = \"\xff\xfe\"\n", "not UTF-8 text"),
    (b"name = \n", "not valid TOML (Invalid value (at line 1, column 8))"),
])
def test_a_bad_toml_file_is_one_line_naming_it(tmp_path, content, message):
    from reverie.base.validate import read_toml

    path = tmp_path / "bad.toml"
    path.write_bytes(content)
    with pytest.raises(UserError) as caught:
        read_toml(path, after="; nothing changed")
    assert str(caught.value) == f"{path}: {message}; nothing changed"


def test_a_folder_is_not_a_toml_file(tmp_path):
    from reverie.base.validate import read_toml

    with pytest.raises(UserError, match=r": cannot read it \(Is a directory\)$"):
        read_toml(tmp_path)


# --- reading JSON files -----------------------------------------------------------------------

@pytest.mark.parametrize("text, message", [
    ("[" * 100_000 + "]" * 100_000, "nested more than 32 deep"),       # deeper than Python's stack
    ("[" * 33 + "]" * 33, "nested more than 32 deep"),
    ('{"a": %s}' % ("9" * 5000), "a number of 5000 digits is too long (at most 30)"),
    ('{"a": -%s}' % ("9" * 31), "a number of 31 digits is too long (at most 30)"),
    ('{"a": 1%s.5}' % ("0" * 400), "the number 1000000000000000000000000000000000000... is too large"),
    ('{"a": 1e999}', "the number 1e999 is too large"),
    ('{"a": Infinity}', "Infinity is not a number a file can hold"),
    ('{"a": 1, "a": 2}', "the key 'a' appears twice in one object"),
    ('{"a": 1,}', "not valid JSON (Expecting property name enclosed in double quotes at line 1 "
                  "column 9); fix it in a text editor"),
])
def test_bad_json_is_one_line(text, message):
    from reverie.base.validate import parse_json

    with pytest.raises(UserError) as caught:
        parse_json(text, "f.json", after="; nothing changed")
    assert str(caught.value) == f"f.json: {message}; nothing changed"


def test_json_as_deep_and_as_long_as_allowed_reads():
    from reverie.base.validate import parse_json

    nested = []
    for _ in range(31):
        nested = [nested]
    assert parse_json("[" * 32 + "]" * 32) == nested
    assert parse_json('{"a": %s, "b": -1.5e300}' % ("9" * 30)) == {"a": int("9" * 30), "b": -1.5e300}


def test_a_json_file_too_large_or_not_utf8_is_one_line_and_a_missing_one_passes_through(tmp_path):
    from reverie.base.validate import read_json

    path = tmp_path / "s.json"
    path.write_bytes(b"{}" + b" " * 2048)
    with pytest.raises(UserError, match=r"s\.json: larger than 1 kB$"):
        read_json(path, 1024)
    path.write_bytes(b'{"a": "\xff"}')
    with pytest.raises(UserError, match=r"s\.json: not UTF-8 text$"):
        read_json(path, 1024)
    with pytest.raises(FileNotFoundError):
        read_json(tmp_path / "none.json", 1024)
