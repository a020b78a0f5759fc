"""An import reads only inside its source folder and writes only into the library, whatever
paths the set's files hold: "..", absolute and Windows paths, symlinked files and folders
pointing out, #include of /etc/passwd, default_path climbing out. Each is refused with one
line and the rest is imported. An audit hook (sys.addaudithook) records every file and
folder Python opens or lists during an import: each lies in the source folder or the library."""
import hashlib
import os
import sys
from contextlib import contextmanager
from pathlib import Path

import pytest

from reverie.base.errors import UserError
from reverie.sound.multisample import import_multisample
from reverie.sound.multisample.safety import Outside, SourceFolder
from setfiles import wav, write_set


_opened: list | None = None


def _audit(event, args):
    if _opened is not None and event in ("open", "os.listdir", "os.scandir") and args and \
            isinstance(args[0], (str, bytes, os.PathLike)):
        _opened.append(Path(os.fsdecode(args[0])))


sys.addaudithook(_audit)


@contextmanager
def only_reads_in(*folders):
    """Fails unless every path Python opens or lists inside the block is in `folders`."""
    global _opened
    _opened = []
    try:
        yield
    finally:
        seen, _opened = _opened, None
    allowed = [Path(f).resolve() for f in folders]
    python = (Path(sys.base_prefix).resolve(), Path(sys.prefix).resolve())     # modules imported on the way
    seen = [p for p in seen if not (p.suffix in (".py", ".pyc") and any(p.resolve().is_relative_to(x) for x in python))]
    outside = [p for p in seen if not any(p.resolve() == a or p.resolve().is_relative_to(a) for a in allowed)]
    assert seen and outside == []


def snapshot(folder, skip):
    return {p: (hashlib.sha256(p.read_bytes()).hexdigest() if p.is_file() and not p.is_fifo() else "")
            for p in sorted(folder.rglob("*")) if skip not in p.parents and p != skip}


@pytest.fixture
def world(tmp_path):
    """tmp/outside (a WAV and an SFZ), tmp/set (the set: ok.wav and symlinks in and out)."""
    outside = tmp_path / "outside"
    wav(outside / "trap.wav", 480)
    wav(outside / "real.wav", 480)
    (outside / "trap.sfz").write_text("<region> sample=trap.wav")
    src = write_set(tmp_path / "set", {"ok.wav": 480, "inner/kept.wav": 480})
    (src / "out.wav").symlink_to(outside / "trap.wav")
    (src / "out-real.wav").symlink_to(outside / "real.wav")
    (src / "outdir").symlink_to(outside)
    (src / "inlink.wav").symlink_to(src / "inner" / "kept.wav")
    (src / "indir").symlink_to(src / "inner")
    (src / "loop.wav").symlink_to(src / "loop.wav")
    return tmp_path, src


def test_every_sfz_escape_is_refused_in_one_line_and_the_rest_is_imported(world):
    tmp_path, src = world
    (src / "i.sfz").write_text(f"""<region> sample=ok.wav key=1
<region> sample=../outside/trap.wav key=2
<region> sample={tmp_path}/outside/trap.wav key=3
<region> sample=/etc/passwd key=4
<region> sample=out.wav key=5
<region> sample=outdir/trap.wav key=6
<region> sample=inner/../../outside/real.wav key=7
<region> sample=C:\\Windows\\win.ini key=8
<region> sample=..\\outside\\real.wav key=9
<region> sample=inlink.wav key=10
<region> sample=indir/kept.wav key=11
<region> sample=loop.wav key=12
<region> sample=out-real.wav key=13
#include "/etc/passwd"
#include "../outside/trap.sfz"
#include "outdir/trap.sfz"
<control> default_path=../outside/
<region> sample=real.wav key=14
""")
    before = snapshot(tmp_path, tmp_path / "lib")
    with only_reads_in(src, tmp_path / "lib"):
        result = import_multisample(src / "i.sfz", tmp_path / "lib")
    root = src.resolve()
    assert result.skipped == [
        f'i.sfz line 2: sample "../outside/trap.wav" leads outside the source folder {root}; region skipped',
        f'i.sfz line 3: sample "{tmp_path}/outside/trap.wav" leads outside the source folder {root}; region skipped',
        f'i.sfz line 4: sample "/etc/passwd" leads outside the source folder {root}; region skipped',
        f'i.sfz line 5: sample "out.wav" leads outside the source folder {root}; region skipped',
        f'i.sfz line 6: sample "outdir/trap.wav" leads outside the source folder {root}; region skipped',
        f'i.sfz line 7: sample "inner/../../outside/real.wav" leads outside the source folder {root}; region skipped',
        'i.sfz line 8: sample "C:\\Windows\\win.ini" is a Windows drive path, outside the source folder; region skipped',
        f'i.sfz line 9: sample "..\\outside\\real.wav" leads outside the source folder {root}; region skipped',
        'i.sfz line 12: sample "loop.wav" cannot be followed (RuntimeError); region skipped',
        f'i.sfz line 13: sample "out-real.wav" leads outside the source folder {root}; region skipped',
        f'i.sfz line 18: sample "../outside/real.wav" leads outside the source folder {root}; region skipped',
    ]
    assert result.not_understood == [
        f'i.sfz line 14: #include "/etc/passwd" leads outside the source folder {root}; refused',
        f'i.sfz line 15: #include "../outside/trap.sfz" leads outside the source folder {root}; refused',
        f'i.sfz line 16: #include "outdir/trap.sfz" leads outside the source folder {root}; refused',
    ]
    assert [(z.key_lo, z.sample) for z in result.zone_map.zones] == [(1, "ok.wav"), (10, "inner/kept.wav"),
                                                                     (11, "inner/kept.wav")]
    assert snapshot(tmp_path, tmp_path / "lib") == before           # nothing changed outside the library
    assert sorted(p.relative_to(result.folder).as_posix() for p in result.folder.rglob("*")) == [
        "inner", "inner/kept.wav", "multisample.json", "ok.wav"]


def test_samplerbox_files_that_are_symlinks_out_are_refused(world):
    tmp_path, src = world
    (src / "definition.txt").write_text("ok.wav, %midinote=60\nout%midinote.wav\n")
    (src / "61.wav").symlink_to(tmp_path / "outside" / "trap.wav")
    (src / "out62.wav").symlink_to(tmp_path / "outside" / "real.wav")
    with only_reads_in(src, tmp_path / "lib"):
        result = import_multisample(src, tmp_path / "lib")
    assert result.skipped == [f'definition.txt line 2: sample "out62.wav" leads outside the source folder '
                              f'{src.resolve()}; region skipped']
    assert [z.sample for z in result.zone_map.zones] == ["ok.wav"]


def test_note_named_files_that_are_symlinks_out_are_refused(tmp_path):
    src = write_set(tmp_path / "set", {"60.wav": 480})
    (src / "61.wav").symlink_to(wav(tmp_path / "outside" / "trap.wav", 480))
    with only_reads_in(src, tmp_path / "lib"):
        result = import_multisample(src, tmp_path / "lib")
    assert result.skipped == [f'61.wav: sample "61.wav" leads outside the source folder {src.resolve()}; region skipped']


def test_a_root_folder_lets_an_sfz_reach_its_samples_beside_it_and_no_further(tmp_path):
    lib = write_set(tmp_path / "Library", {"Programs/p.sfz": "<region> sample=../Samples/a.wav\n"
                                                             "<region> sample=../../x.wav key=3",
                                           "Samples/a.wav": 480})
    wav(tmp_path / "x.wav", 480)
    with pytest.raises(UserError, match="nothing could be imported"), only_reads_in(lib / "Programs"):
        import_multisample(lib / "Programs" / "p.sfz", tmp_path / "lib")       # the .sfz's folder only
    with only_reads_in(lib, tmp_path / "lib"):
        result = import_multisample(lib / "Programs" / "p.sfz", tmp_path / "lib", root=lib)
    assert [z.sample for z in result.zone_map.zones] == ["Samples/a.wav"]
    assert len(result.skipped) == 1 and "leads outside the source folder" in result.skipped[0]
    with pytest.raises(UserError, match=r"is not inside .*, the folder the import may read$"):
        import_multisample(lib / "Programs" / "p.sfz", tmp_path / "lib", root=lib / "Samples")


def test_another_case_is_found_only_when_one_entry_matches(tmp_path):
    src = write_set(tmp_path / "set", {"Samples/Piano C4.WAV": 480})
    folder = SourceFolder(src)
    assert folder.resolve("samples/piano c4.wav") == (src / "Samples" / "Piano C4.WAV").resolve()
    (src / "samples").mkdir()
    assert not folder.resolve("samples/piano c4.wav").exists()       # two folders match: no guess
    with pytest.raises(Outside):
        folder.resolve("../SET/samples/x.wav")


def test_a_name_never_leads_the_import_out_of_the_library(tmp_path):
    src = write_set(tmp_path / "set", {"60.wav": 480})
    for name in ("../../escape", "/etc", ".."):
        result = import_multisample(src, tmp_path / "lib", name=name)
        assert result.folder.parent == tmp_path / "lib"
    assert sorted(p.name for p in (tmp_path / "lib").iterdir()) == ["escape", "etc", "multisample"]
