"""Importing a set end to end: SFZ and SamplerBox sets of tiny WAV files become a folder
holding exact copies of the samples and a multisample.json that reads back; the file's own
loop and root note fill what the definition leaves open; a bad sample skips its region
with the loader's own line; a set that gives nothing, or too much, changes nothing."""
import hashlib

import pytest

from reverie.base.errors import UserError
from reverie.sound.multisample import ZONE_FILE, import_multisample, load_zone_map
from reverie.sound.samples import SampleLimits
from setfiles import wav, write_set


def tree(folder):
    """Every file under `folder` with the hash of its bytes."""
    return {p.relative_to(folder).as_posix(): hashlib.sha256(p.read_bytes()).hexdigest()
            for p in sorted(folder.rglob("*")) if p.is_file()}


def test_an_sfz_set_is_copied_with_a_zone_map_that_reads_back(tmp_path):
    src = write_set(tmp_path / "Grand", {
        "grand.sfz": "<control> default_path=samples/\n<group> ampeg_release=0.3\n"
                     "<region> sample=C4.wav lokey=c4 hikey=d#4 pitch_keycenter=c4\n"
                     "<region> sample=E4.wav lokey=e4 hikey=g4 pitch_keycenter=e4 volume=-3\n"
                     "<region> sample=C4.wav key=c5 transpose=12\n",
        "samples/C4.wav": 4800, "samples/E4.wav": 2400, "samples/unused.wav": 100, "notes.txt": "hello"})
    before = tree(src)
    result = import_multisample(src / "grand.sfz", tmp_path / "lib")
    assert result.folder == tmp_path / "lib" / "grand" and result.name == "grand"
    assert tree(src) == before                                   # the source is only read
    copied = tree(result.folder)
    assert set(copied) == {ZONE_FILE, "samples/C4.wav", "samples/E4.wav"}
    assert copied["samples/C4.wav"] == before["samples/C4.wav"]    # the very bytes, not re-encoded
    m = load_zone_map(result.folder)
    assert m == result.zone_map
    assert [(z.sample, z.key_lo, z.key_hi, z.root, z.volume_db, z.transpose, z.release_ms) for z in m.zones] == [
        ("samples/C4.wav", 60, 63, 60, 0, 0, 300.0), ("samples/E4.wav", 64, 67, 64, -3.0, 0, 300.0),
        ("samples/C4.wav", 72, 72, 72, 0, 12, 300.0)]
    assert m.samples["samples/E4.wav"].frames == 2400 and m.samples["samples/E4.wav"].rate == 48000
    assert result.not_understood == [] and result.skipped == []
    assert result.notes[:2] == ["keys 0-59 play nothing", "keys 68-71 play nothing"]
    assert result.lines()[0] == (f"imported grand into {result.folder}: 3 zones, 2 samples, keys 60-72, "
                                 f"{result.engine_bytes / 2**20:.1f} MB in memory")


def test_the_file_s_loop_and_root_note_fill_what_the_definition_leaves_open(tmp_path):
    src = tmp_path / "set"
    wav(src / "looped.wav", 1000, root=57, loop=(100, 899))
    wav(src / "plain.wav", 1000)
    (src / "s.sfz").write_text(
        "<region> sample=looped.wav key=40 pitch_keycenter=sample\n"       # file loop, file root
        "<region> sample=looped.wav key=41 loop_mode=no_loop\n"            # the file's loop, switched off
        "<region> sample=looped.wav key=42 loop_start=10 loop_end=19\n"    # opcodes over the file's
        "<region> sample=plain.wav key=43 loop_mode=loop_sustain\n"        # no loop anywhere: the whole sample
        "<region> sample=plain.wav key=44 pitch_keycenter=sample\n"        # no smpl root: 60
        "<region> sample=plain.wav key=45 loop_mode=loop_continuous loop_end=5000\n"
        "<region> sample=plain.wav key=46 end=4999 offset=10\n")
    result = import_multisample(src, tmp_path / "lib")
    got = [(z.key_lo, z.root, z.loop_mode, z.loop_start, z.loop_end, z.offset, z.end) for z in result.zone_map.zones]
    assert got == [(40, 57, "loop_continuous", 100, 900, 0, None), (41, 41, "no_loop", 100, 900, 0, None),
                   (42, 42, "loop_continuous", 10, 20, 0, None), (43, 43, "loop_sustain", 0, 1000, 0, None),
                   (44, 60, "no_loop", None, None, 0, None), (45, 45, "no_loop", None, None, 0, None),
                   (46, 46, "no_loop", None, None, 10, None)]
    assert result.not_understood == [
        "s.sfz line 6: the loop 0..5000 does not fit the sample's 1000 frames; no loop",
        "s.sfz line 7: end=4999 is past the sample's last frame 999; the sample's end is used"]


def test_a_bad_sample_skips_its_regions_with_the_loader_s_line_and_the_rest_is_imported(tmp_path):
    src = write_set(tmp_path / "set", {"good.wav": 480, "s.sfz": "<region> sample=bad.wav key=1\n"
                                       "<region> sample=good.wav key=2\n<region> sample=bad.wav key=3\n"
                                       "<region> sample=long.wav key=4\n"})
    (src / "bad.wav").write_bytes(b"RIFF not really")
    wav(src / "long.wav", 48000 * 3)
    result = import_multisample(src, tmp_path / "lib", limits=SampleLimits(max_seconds=2))
    assert result.skipped == [
        "s.sfz line 1: bad.wav: not a readable audio file (unknown format) — export it as WAV, AIFF, FLAC or OGG; "
        "region skipped",
        "s.sfz line 3: bad.wav: not a readable audio file (unknown format) — export it as WAV, AIFF, FLAC or OGG; "
        "region skipped",
        "s.sfz line 4: long.wav: is 3.0 s long, over the 2 s limit — trim it, or raise samples.max_seconds; "
        "region skipped"]
    assert [z.sample for z in result.zone_map.zones] == ["good.wav"]
    assert sorted(tree(result.folder)) == ["good.wav", ZONE_FILE]


def test_a_samplerbox_set_with_a_definition(tmp_path):
    src = tmp_path / "Saw"
    for name in ("C3v64.wav", "C3v127.wav", "G3v127.wav"):
        wav(src / name, 960)
    wav(src / "loop.wav", 960, loop=(10, 499))
    (src / "definition.txt").write_text("%%gain=2\n%notenamev%velocity.wav\nloop.wav, %midinote=96, %fillnote=N\n")
    result = import_multisample(src, tmp_path / "lib", name="My Saw!")
    assert result.name == "My Saw!" and result.folder.name == "My-Saw" and result.kind == "samplerbox"
    z = result.zone_map.zones
    assert [(x.sample, x.key_lo, x.key_hi, x.vel_lo, x.vel_hi) for x in z] == [
        ("C3v64.wav", 0, 51, 0, 126), ("C3v127.wav", 0, 51, 127, 127), ("G3v127.wav", 52, 95, 0, 127),
        ("G3v127.wav", 97, 127, 0, 127), ("loop.wav", 96, 96, 0, 127)]
    assert z[-1].loop_mode == "loop_continuous" and (z[-1].loop_start, z[-1].loop_end) == (10, 500)
    assert z[0].volume_db == pytest.approx(6.0206, abs=1e-4)


def test_a_folder_of_note_named_files_is_a_set(tmp_path):
    src = write_set(tmp_path / "Bells", {"60.wav": 480, "72v100.wav": 480, "Thumbs.db": "x"})
    result = import_multisample(src, tmp_path / "lib")
    assert result.kind == "note names" and result.name == "Bells"
    assert [(z.key_lo, z.key_hi, z.root) for z in result.zone_map.zones] == [(0, 66, 60), (67, 127, 72)]


def test_a_second_import_of_a_name_gets_a_number_and_replace_replaces(tmp_path):
    src = write_set(tmp_path / "set", {"60.wav": 480})
    first = import_multisample(src, tmp_path / "lib", name="pad")
    second = import_multisample(src, tmp_path / "lib", name="pad")
    assert (first.folder.name, second.folder.name) == ("pad", "pad-2")
    (first.folder / "stale.txt").write_text("old")
    third = import_multisample(src, tmp_path / "lib", name="pad", replace=True)
    assert third.folder == first.folder and not (first.folder / "stale.txt").exists()
    assert sorted(p.name for p in (tmp_path / "lib").iterdir()) == ["pad", "pad-2"]     # no temp folder left


@pytest.mark.parametrize("files, source, message", [
    ({"s.sfz": "<region> sample=none.wav"}, "set",
     '{src}: nothing could be imported (1 region skipped; first: s.sfz line 1: sample "none.wav" not found; region skipped)'),
    ({"s.sfz": "<group> lokey=1"}, "set", "{src}: no region or sample to import"),
    ({"s.sfz": "<curve>"}, "set",
     "{src}: no region or sample to import; first line not understood: s.sfz line 1: header <curve> is not "
     "understood; its opcodes are ignored"),
    ({"a.sfz": "", "b.sfz": ""}, "set", "{src}: holds 2 .sfz files (a.sfz, b.sfz); give one of them"),
    ({"readme.txt": "hi"}, "set", "{src}: no .sfz file, definition.txt or samples named by note (60.wav, 60v100.wav) in it"),
    ({"readme.txt": "hi"}, "set/readme.txt", "{src}: not an .sfz file or a set's folder; give an .sfz file"),
    ({}, "set/nothing", "{src}: no such file or folder"),
])
def test_a_set_that_gives_nothing_is_one_line_and_writes_nothing(tmp_path, files, source, message):
    write_set(tmp_path / "set", files)
    src = tmp_path / source
    with pytest.raises(UserError) as e:
        import_multisample(src, tmp_path / "lib")
    assert str(e.value).startswith(message.format(src=src)) and "\n" not in str(e.value)
    assert not (tmp_path / "lib").exists()


def test_a_set_over_the_memory_limit_is_one_line(tmp_path):
    src = write_set(tmp_path / "set", {"60.wav": 48000, "61.wav": 48000})
    with pytest.raises(UserError, match=r"its samples need 1 MB in memory, over the 0 MB a multisample may use"):
        import_multisample(src, tmp_path / "lib", max_set_bytes=2**19)
    assert not (tmp_path / "lib").exists()


def test_a_failure_while_copying_leaves_nothing_behind_and_the_old_import_in_place(tmp_path, monkeypatch):
    import reverie.sound.multisample.importer as importer

    src = write_set(tmp_path / "set", {"60.wav": 480, "61.wav": 480})
    old = import_multisample(src, tmp_path / "lib", name="keys")
    before = tree(old.folder)
    real_copy, calls = importer.atomic_copy, []

    def failing_copy(source, target):           # the disk fills up at the second sample
        calls.append(target)
        if len(calls) == 2:
            raise OSError(28, "No space left on device")
        real_copy(source, target)

    monkeypatch.setattr(importer, "atomic_copy", failing_copy)
    with pytest.raises(UserError, match=r"cannot write the import into .* \(No space left on device\); nothing was imported$"):
        import_multisample(src, tmp_path / "lib", name="keys", replace=True)
    assert sorted(p.name for p in (tmp_path / "lib").iterdir()) == ["keys"] and tree(old.folder) == before


def test_an_imported_folder_imports_again_as_it_is(tmp_path):
    src = tmp_path / "set"
    wav(src / "a.wav", 1000, loop=(10, 99))
    wav(src / "b.wav", 1000)
    (src / "s.sfz").write_text("<region> sample=a.wav key=60 tune=5 ampeg_release=1 seq_length=2\n"
                               "<region> sample=b.wav key=60 seq_length=2 seq_position=2 loop_mode=one_shot\n")
    first = import_multisample(src, tmp_path / "box1")
    again = import_multisample(first.folder, tmp_path / "box2")      # copied to another box, say
    assert again.kind == "multisample" and again.definition == ZONE_FILE
    assert again.zone_map.zones == first.zone_map.zones and again.zone_map.samples == first.zone_map.samples
    assert again.name == first.name == "s"
    samples = lambda folder: {k: v for k, v in tree(folder).items() if k != ZONE_FILE}   # noqa: E731
    assert samples(again.folder) == samples(first.folder) == {k: v for k, v in tree(src).items() if k != "s.sfz"}
