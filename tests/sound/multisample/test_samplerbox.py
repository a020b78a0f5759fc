"""SamplerBox sets as read: definition.txt patterns (%midinote, %notename, %velocity, %seq,
%voice, *) and their options, the %% lines, and folders of note-named files; keys filled to
the nearest sampled note and velocity layers from each one's velocity up, as SamplerBox
plays them; one line for everything not understood."""
import math

import pytest

from reverie.sound.multisample.samplerbox import read_definition, read_note_named


def definition(tmp_path, text, files):
    folder = tmp_path / "set"
    folder.mkdir(exist_ok=True)
    (folder / "definition.txt").write_text(text)
    return read_definition(folder, files)


def zones(parsed, *keys):
    keys = keys or ("key_lo", "key_hi", "root", "vel_lo", "vel_hi")
    return [(r.sample, *(r.values.get(k) for k in keys)) for r in parsed.regions]


def test_notenames_and_velocities_make_filled_keys_and_velocity_layers(tmp_path):
    p = definition(tmp_path, "%notenamev%velocity.wav\n",
                   ["C4v40.wav", "C4v100.wav", "E4v127.wav", "readme.txt", "D#5v64.wav"])
    assert zones(p) == [
        ("C4v40.wav", 0, 62, 60, 0, 99), ("C4v100.wav", 0, 62, 60, 100, 127),   # 61, 62 nearer C4 (tie: lower)
        ("E4v127.wav", 63, 69, 64, 0, 127),                                      # E4 fills up to 69
        ("D#5v64.wav", 70, 127, 75, 0, 127),                                     # D#5 = 75 fills 70..127
    ]
    assert p.not_understood == [] and p.kind == "samplerbox"


def test_a_pattern_option_gives_what_the_name_does_not(tmp_path):
    p = definition(tmp_path, "piano_%notename_soft.wav, %velocity=40\npiano_%notename_loud.wav\n"
                             "snare*.wav, %midinote=38, %fillnote=N\n",
                   ["piano_C3_soft.wav", "piano_C3_loud.wav", "snare-top.wav"])
    assert zones(p) == [("snare-top.wav", 38, 38, 38, 0, 127),     # no fill: C3 plays around it, in two runs
                        ("piano_C3_soft.wav", 0, 37, 48, 0, 126), ("piano_C3_soft.wav", 39, 127, 48, 0, 126),
                        ("piano_C3_loud.wav", 0, 37, 48, 127, 127), ("piano_C3_loud.wav", 39, 127, 48, 127, 127)]


def test_the_fill_stops_at_a_note_that_does_not_fill_and_resumes_after_it(tmp_path):
    p = definition(tmp_path, "%midinote.wav\nfx%midinote.wav, %fillnote=N\n", ["40.wav", "fx42.wav", "50.wav"])
    assert zones(p, "key_lo", "key_hi", "root") == [
        ("40.wav", 0, 41, 40), ("40.wav", 43, 45, 40), ("fx42.wav", 42, 42, 42), ("50.wav", 46, 127, 50)]


def test_seq_numbers_make_a_round_robin_in_their_order(tmp_path):
    p = definition(tmp_path, "%%mode=Once\nkick-%seq.wav, %midinote=36\nsnare-%seq.wav, %midinote=38, %fillnote=N\n",
                   ["kick-1.wav", "kick-2.wav", "kick-10.wav", "snare-1.wav", "snare-2.wav"])
    assert zones(p, "key_lo", "key_hi", "seq_length", "seq_position", "loop_mode") == [
        ("kick-1.wav", 0, 37, 3, 1, "one_shot"), ("kick-1.wav", 39, 127, 3, 1, "one_shot"),
        ("kick-2.wav", 0, 37, 3, 2, "one_shot"), ("kick-2.wav", 39, 127, 3, 2, "one_shot"),
        ("kick-10.wav", 0, 37, 3, 3, "one_shot"), ("kick-10.wav", 39, 127, 3, 3, "one_shot"),
        ("snare-1.wav", 38, 38, 2, 1, "one_shot"), ("snare-2.wav", 38, 38, 2, 2, "one_shot")]
    assert not any(r.loop_from_file for r in p.regions)       # Once ignores loop markers


def test_the_global_options(tmp_path):
    p = definition(tmp_path, "%%volume=-6\n%%gain=0.5\n%%transpose=12\n%%release=127\n%%velmode=Accurate\n"
                             "%midinote.wav\n", ["60.wav", "72.wav"])
    assert zones(p, "key_lo", "key_hi", "root", "release_ms", "velocity_track") == [
        ("60.wav", 0, 54, 48, 2000.0, 1.0), ("72.wav", 55, 115, 60, 2000.0, 1.0)]   # 60.wav now at key 48
    assert math.isclose(p.regions[0].values["volume_db"], -6 + 20 * math.log10(0.5))
    assert "loop_mode" not in p.regions[0].values      # Keyb: the file's loop decides


def test_the_defaults_are_samplerbox_s(tmp_path):
    p = definition(tmp_path, "%midinote.wav", ["60.wav"])
    v = p.regions[0].values
    assert v["velocity_track"] == 0.0                  # %%velmode=Sample: velocity picks a layer only
    assert v["release_ms"] == pytest.approx(30 / 127 * 2000)
    assert v["volume_db"] == 0.0 and p.regions[0].loop_from_file


def test_every_line_not_understood_is_one_line_with_its_number(tmp_path):
    p = definition(tmp_path, "%%pitchbend=7\n%%mode=Loop\n%%volume=loud\n%midinote.wav, %channel=2, %damp=1\n"
                             "%program%midinote.wav\nzz%midinote.wav\n%midinote.wav, %voice=2\n%%stopnotes\n"
                             "x%midinote.wav, %mode=Loo2\n",
                   ["60.wav", "x61.wav"])
    assert p.not_understood == [
        "definition.txt line 1: %%pitchbend is not understood; ignored",
        "definition.txt line 2: mode Loop is not supported; played as Keyb",
        "definition.txt line 3: %%volume=loud has a value that does not fit; ignored",
        "definition.txt line 8: %%stopnotes has a value that does not fit; ignored",
        "definition.txt line 4: option %channel is not understood; ignored",
        "definition.txt line 4: option %damp is not understood; ignored",
        "definition.txt line 5: %program in the pattern is not understood; line ignored",
        "definition.txt line 6: the pattern zz%midinote.wav matches no audio file; ignored",
        "definition.txt line 9: mode Loo2 is not supported; played as Keyb",
        "definition.txt line 7: %voice=2 is another instrument in this set; only voice 1 is imported",
    ]
    assert [r.sample for r in p.regions] == ["60.wav", "x61.wav"]


def test_a_folder_of_note_named_files(tmp_path):
    folder = tmp_path / "set"
    folder.mkdir()
    p = read_note_named(folder, ["36.wav", "60v40.WAV", "60v127.flac", "C#5.aif", "bass loop.wav", "notes.txt"])
    assert zones(p) == [("36.wav", 0, 48, 36, 0, 127), ("60v40.WAV", 49, 66, 60, 0, 126),
                        ("60v127.flac", 49, 66, 60, 127, 127), ("C#5.aif", 67, 127, 73, 0, 127)]
    assert p.not_understood == ["bass loop.wav: not named by a note (60.wav, 60v100.wav, C4.wav); ignored"]
    assert p.kind == "note names"


def test_a_later_line_wins_for_the_same_note_velocity_and_turn(tmp_path):
    p = definition(tmp_path, "%midinote.wav\n%midinote*.wav\n", ["60.wav", "60b.wav"])
    assert [r.sample for r in p.regions] == ["60b.wav"]


def test_a_transpose_that_moves_notes_off_the_keyboard_skips_them(tmp_path):
    p = definition(tmp_path, "%%transpose=-12\n%midinote.wav, %fillnote=N\n", ["120.wav", "60.wav"])
    assert zones(p, "key_lo", "key_hi", "root") == [("60.wav", 72, 72, 72)]
    assert p.skipped == ["definition.txt line 2: 120.wav moves off the keyboard with %%transpose=-12; skipped"]


def test_a_pattern_with_too_many_wildcards_is_one_line(tmp_path):
    p = definition(tmp_path, "*a*a*a*a*a*a*a*a*a%midinote.wav\n%midinote.wav", ["a" * 200 + "b.wav", "60.wav"])
    assert p.not_understood == ["definition.txt line 1: more than 8 wildcards and fields in one pattern; line ignored"]
    assert [r.sample for r in p.regions] == ["60.wav"]
