"""The SFZ subset as read: headers and their inheritance, #define and #include, comments,
each opcode understood into zone values, and one line with its line number for every
opcode, header or region that is not understood or cannot be used."""
import pytest

from reverie.base.errors import UserError
from reverie.sound.multisample.safety import SourceFolder
from reverie.sound.multisample.sfz import read_sfz
from setfiles import write_set


def read(tmp_path, text, **files):
    folder = write_set(tmp_path / "set", {"i.sfz": text, **files})
    return read_sfz(folder / "i.sfz", SourceFolder(folder))


def values(parsed):
    return [(r.sample, r.values) for r in parsed.regions]


def test_headers_inherit_global_master_group_region_and_a_later_one_overrides(tmp_path):
    p = read(tmp_path, """
<global> volume=-6 pan=10 ampeg_release=1
<master> volume=-3
<group> lovel=64 hivel=127 pan=-20
<region> sample=a.wav key=60 pan=30
<region> sample=b.wav key=61
<group> lovel=1
<region> sample=c.wav key=62
<master>
<region> sample=d.wav key=63
<global>
<region> sample=e.wav key=64
""")
    assert values(p) == [
        ("a.wav", {"volume_db": -3.0, "pan": 0.3, "release_ms": 1000.0, "vel_lo": 64, "vel_hi": 127,
                   "key_lo": 60, "key_hi": 60, "root": 60}),
        ("b.wav", {"volume_db": -3.0, "pan": -0.2, "release_ms": 1000.0, "vel_lo": 64, "vel_hi": 127,
                   "key_lo": 61, "key_hi": 61, "root": 61}),
        ("c.wav", {"volume_db": -3.0, "pan": 0.1, "release_ms": 1000.0, "vel_lo": 1,
                   "key_lo": 62, "key_hi": 62, "root": 62}),
        ("d.wav", {"volume_db": -6.0, "pan": 0.1, "release_ms": 1000.0, "key_lo": 63, "key_hi": 63, "root": 63}),
        ("e.wav", {"key_lo": 64, "key_hi": 64, "root": 64}),
    ]
    assert p.not_understood == [] and p.skipped == []


@pytest.mark.parametrize("opcode, expected", [
    ("lokey=36", {"key_lo": 36}), ("hikey=c#5", {"key_hi": 73}), ("key=db4", {"key_lo": 61, "key_hi": 61, "root": 61}),
    ("pitch_keycenter=A3", {"root": 57}), ("pitch_keycenter=sample", {"root": "sample"}),
    ("lovel=1", {"vel_lo": 1}), ("hivel=100", {"vel_hi": 100}),
    ("seq_length=4", {"seq_length": 4}), ("seq_position=1", {"seq_position": 1}),
    ("loop_mode=no_loop", {"loop_mode": "no_loop"}), ("loop_mode=one_shot", {"loop_mode": "one_shot"}),
    ("loop_mode=loop_continuous", {"loop_mode": "loop_continuous"}),
    ("loop_mode=loop_sustain", {"loop_mode": "loop_sustain"}), ("loopmode=one_shot", {"loop_mode": "one_shot"}),
    ("loop_start=10", {"loop_start": 10}), ("loopstart=10", {"loop_start": 10}),
    ("loop_end=99", {"loop_end": 100}), ("loopend=99", {"loop_end": 100}),     # SFZ's end is the last frame
    ("offset=5", {"offset": 5}), ("end=399", {"end": 400}),
    ("transpose=-12", {"transpose": -12}), ("tune=-7.5", {"tune_cents": -7.5}), ("volume=-4.5", {"volume_db": -4.5}),
    ("pan=-100", {"pan": -1.0}), ("amp_veltrack=0", {"velocity_track": 0.0}),
    ("ampeg_attack=0.01", {"attack_ms": 10.0}), ("ampeg_decay=1.5", {"decay_ms": 1500.0}),
    ("ampeg_sustain=50", {"sustain": 0.5}), ("ampeg_release=0.25", {"release_ms": 250.0}),
    ("trigger=attack", {}),
])
def test_each_opcode_becomes_zone_values(tmp_path, opcode, expected):
    p = read(tmp_path, f"<region> sample=a.wav {opcode}")
    assert values(p) == [("a.wav", expected)] and p.not_understood == []


def test_every_opcode_not_understood_is_one_line_with_its_line_number(tmp_path):
    p = read(tmp_path, """<control> default_path=s/ set_cc1=0
<global> amp_veltrack_oncc1=10 fil_type=lpf_2p
<group> cutoff=500 lokey=40 off_by=2
<region> sample=a.wav
  xfin_lovel=0 polyphony=4
<effect> type=reverb dsp_order=1
<midi>
<region> sample=b.wav sw_last=24 lokey=nope
""")
    assert p.not_understood == [
        "i.sfz line 1: set_cc1=0 is not understood in <control>; ignored",
        "i.sfz line 2: opcode amp_veltrack_oncc1 is not understood; ignored",
        "i.sfz line 2: opcode fil_type is not understood; ignored",
        "i.sfz line 3: opcode cutoff is not understood; ignored",
        "i.sfz line 3: opcode off_by is not understood; ignored",
        "i.sfz line 5: opcode xfin_lovel is not understood; ignored",
        "i.sfz line 5: opcode polyphony is not understood; ignored",
        "i.sfz line 6: header <effect> is not understood; its opcodes are ignored",
        "i.sfz line 7: header <midi> is not understood; its opcodes are ignored",
        "i.sfz line 8: opcode sw_last is not understood; ignored",
        "i.sfz line 8: lokey=nope must be a number 0..127 or a name like c4, c#4, db4 (c4 = 60), or -1; ignored",
    ]
    assert values(p) == [("s/a.wav", {"key_lo": 40}), ("s/b.wav", {"key_lo": 40})]   # the group's lokey stays


@pytest.mark.parametrize("opcode, message", [
    ("hivel=128", "hivel=128 must be a whole number from 0 to 127"),
    ("seq_length=0", "seq_length=0 must be a whole number from 1 to 100"),
    ("loop_mode=pingpong", "loop_mode=pingpong must be one of no_loop, one_shot, loop_continuous, loop_sustain"),
    ("tune=lots", "tune=lots must be a number from -9600 to 9600 cents"),
    ("volume=nan", "volume=nan must be a number from -144 to 48 dB"),
    ("pan=101", "pan=101 must be a number from -100 to 100 %"),
    ("ampeg_attack=-1", "ampeg_attack=-1 must be a number from 0 to 100 s"),
    ("loop_start=1.5", "loop_start=1.5 must be a whole number from 0 to 1099511627776 frames"),
    ("pitch_keycenter=x", "pitch_keycenter=x must be a number 0..127 or a name like c4"),
    ("trigger=legato", "trigger=legato must be attack"),
])
def test_a_value_that_does_not_fit_is_one_line_and_ignored(tmp_path, opcode, message):
    p = read(tmp_path, f"<region>\nsample=a.wav {opcode}")
    assert len(p.not_understood) == 1 and p.not_understood[0].startswith(f"i.sfz line 2: {message}")
    assert values(p) == [("a.wav", {})]


@pytest.mark.parametrize("region, why", [
    ("lokey=60", "no sample"),
    ("sample=a.wav lokey=70 hikey=60", "lokey 70 is above hikey 60"),
    ("sample=a.wav hikey=-1", "no key plays it (lokey or hikey is -1)"),
    ("sample=a.wav lovel=100 hivel=20", "lovel 100 is above hivel 20"),
    ("sample=a.wav seq_length=2 seq_position=3", "seq_position 3 is beyond seq_length 2"),
    ("sample=a.wav end=-1", "end=-1 silences it"),
    ("sample=*sine", "the built-in sound *sine is not supported"),
    ("sample=a.wav trigger=release", "trigger=release regions sound at note-off, which the multisample player does not do"),
])
def test_a_region_that_cannot_be_used_is_one_line_and_the_rest_is_read(tmp_path, region, why):
    p = read(tmp_path, f"<region> sample=ok.wav\n\n<region> {region}\n<region> sample=ok2.wav")
    assert p.skipped == [f"i.sfz line 3: {why}; region skipped"]
    assert [r.sample for r in p.regions] == ["ok.wav", "ok2.wav"]


def test_defines_substitute_in_values_names_and_paths_the_longest_name_first(tmp_path):
    p = read(tmp_path, """#define $KEY 60
#define $KEYS 72
#define $DIR  piano
#define $OP lokey
<region> sample=$DIR/c.wav key=$KEY
<region> sample=$DIR/d.wav key=$KEYS $OP=$KEY
""")
    assert values(p) == [("piano/c.wav", {"key_lo": 60, "key_hi": 60, "root": 60}),
                         ("piano/d.wav", {"key_lo": 60, "key_hi": 72, "root": 72})]


def test_comments_of_both_kinds_keep_line_numbers_true(tmp_path):
    p = read(tmp_path, """// a comment <region> sample=no.wav /* not a block comment
<region> sample=a.wav /* a block
comment over lines <region> sample=no.wav
*/ key=60 // trailing
<region> sample=b.wav bogus=1
""")
    assert values(p) == [("a.wav", {"key_lo": 60, "key_hi": 60, "root": 60}), ("b.wav", {})]
    assert p.not_understood == ["i.sfz line 5: opcode bogus is not understood; ignored"]
    assert [r.where for r in p.regions] == ["i.sfz line 2", "i.sfz line 5"]


def test_includes_are_read_in_place_relative_to_the_sfz_folder_with_their_own_line_numbers(tmp_path):
    p = read(tmp_path, """<group> volume=-2
#include "parts/keys.sfz"
<region> sample=last.wav
""", **{"parts/keys.sfz": "<region> sample=a.wav\n#include \"parts/more.sfz\"\n",
        "parts/more.sfz": "\n<region> sample=b.wav what=1\n#include \"parts/more.sfz\"\n#include \"nope.sfz\""})
    assert [(r.sample, r.where) for r in p.regions] == [
        ("a.wav", "parts/keys.sfz line 1"), ("b.wav", "parts/more.sfz line 2"), ("last.wav", "i.sfz line 3")]
    assert all(r.values == {"volume_db": -2.0} for r in p.regions)
    assert p.not_understood == [
        "parts/more.sfz line 2: opcode what is not understood; ignored",
        'parts/more.sfz line 3: #include "parts/more.sfz" includes itself; ignored',
        'parts/more.sfz line 4: #include "nope.sfz": no such file; ignored',
    ]


def test_sample_paths_with_spaces_backslashes_and_default_path(tmp_path):
    p = read(tmp_path, "<control> default_path=Samples\\Grand\\\n<region> sample=Piano C4 soft.wav lokey=c4\n"
                       "<region>sample=sub\\x.wav<region>sample=y.wav")
    assert [r.sample for r in p.regions] == ["Samples/Grand/Piano C4 soft.wav", "Samples/Grand/sub\\x.wav",
                                             "Samples/Grand/y.wav"]
    assert p.regions[0].values == {"key_lo": 60}


def test_opcodes_before_any_header_and_stray_text_are_lines(tmp_path):
    p = read(tmp_path, "lokey=3\n<region> garbage sample=a.wav <reg\n#pragma once\n<>")
    assert p.not_understood == [
        "i.sfz line 1: lokey=3 comes before any header; ignored",
        "i.sfz line 2: garbage is not understood; ignored",
        "i.sfz line 2: <reg is not understood; ignored",
        "i.sfz line 3: #pragma once is not understood; ignored",
        "i.sfz line 4: header <> is not understood; its opcodes are ignored",
    ]


def test_random_regions_become_a_round_robin_in_the_order_of_lorand(tmp_path):
    p = read(tmp_path, """<group> key=38
<region> sample=s2.wav lorand=0.5 hirand=1
<region> sample=s1.wav hirand=0.5
<region> sample=other.wav key=40 lorand=0.5
""")
    assert [(r.sample, r.values.get("seq_length"), r.values.get("seq_position")) for r in p.regions] == [
        ("s2.wav", 2, 2), ("s1.wav", 2, 1), ("other.wav", 1, 1)]


def test_windows_text_and_a_byte_order_mark_are_read(tmp_path):
    folder = tmp_path / "set"
    folder.mkdir()
    (folder / "i.sfz").write_bytes(b"\xef\xbb\xbf<region> sample=a.wav\r\n<region> sample=caf\xe9.wav\r\n")
    p = read_sfz(folder / "i.sfz", SourceFolder(folder))
    assert [r.sample for r in p.regions] == ["a.wav", "café.wav"]


def test_a_file_too_large_to_be_an_sfz_is_one_line(tmp_path):
    folder = tmp_path / "set"
    folder.mkdir()
    (folder / "i.sfz").write_bytes(b" " * (8 * 2**20 + 1))
    with pytest.raises(UserError, match=r"^i.sfz: larger than 8 MB; is it an SFZ file\?$"):
        read_sfz(folder / "i.sfz", SourceFolder(folder))


def test_defines_that_double_at_each_step_stop_at_the_text_limit(tmp_path):
    lines = ["#define $A0 xxxxxxxxxxxxxxxx"] + [f"#define $A{i} $A{i - 1}$A{i - 1}" for i in range(1, 40)]
    p = read(tmp_path, "\n".join(lines) + "\n<region> sample=$A39.wav")
    assert "i.sfz line 18: longer than 1 MB after #define; ignored" in p.not_understood   # $A17: 2 MB
    assert len(p.regions[0].sample) < 2**20
