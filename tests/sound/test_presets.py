"""Every preset file under sound/presets/ loads, validates and renders through the engine
without NaN, not silent, its peak below -1 dBFS; a bad file is one line and left out; user
presets save atomically and load back equal."""
from __future__ import annotations

import numpy as np
import pytest

from presetkit import SR, kit_sound, render_preset
from reverie.base.errors import UserError
from reverie.sound.instruments import INSTRUMENTS
from reverie.sound.presets import (NAME_CHARS, Preset, PresetLibrary, factory_root, load_folder,
                                   load_library, read_preset, save_user_preset, slug_of)

FOLDERS = sorted(p for p in factory_root().iterdir() if p.is_dir())
FILES = [p for folder in FOLDERS for p in sorted(folder.glob("*.toml"))]
PEAK = 10 ** (-1 / 20)          # -1 dBFS: with the limiter at 0 dBFS, a peak here never met it
SILENT = 10 ** (-60 / 20)
# The sampler's presets are parameter sets over the track's sample: heard over a sustained
# sound and a short one of the factory kit.
SAMPLER_SOUNDS = ("pad", "snare")


def test_every_instrument_folder_names_an_installed_instrument():
    assert FOLDERS, "no preset folders shipped"
    for folder in FOLDERS:
        assert folder.name in INSTRUMENTS, f"{folder}: no instrument {folder.name!r} is installed"
        assert list(folder.glob("*.toml")), f"{folder}: an instrument folder with no presets"
    others = [p for p in factory_root().iterdir() if not p.is_dir()]
    assert others == [], f"files outside an instrument folder: {others}"


def test_the_shipped_library_loads_with_no_problem_and_names_fit_the_screen():
    library = load_library()
    assert library.problems == []
    assert library.count() == len(FILES)
    for instrument, presets in library.by_instrument.items():
        names = [p.name for p in presets]
        assert len(set(names)) == len(names), f"{instrument}: a name twice: {names}"
        assert all(len(n) <= NAME_CHARS for n in names)
        assert all(p.slug == slug_of(p.name) for p in presets), "file name = slug of the name"


@pytest.fixture(scope="module")
def kit(tmp_path_factory):
    folder = tmp_path_factory.mktemp("kit")
    return [kit_sound(folder, name) for name in SAMPLER_SOUNDS]


@pytest.mark.parametrize("path", FILES, ids=lambda p: f"{p.parent.name}/{p.stem}")
def test_each_preset_renders_clean_audible_and_below_minus_1_dbfs(path, kit):
    preset = read_preset(path)
    sounds = kit if preset.instrument == "sampler" else [None]
    for sound in sounds:
        out = render_preset(preset, sound)
        assert np.isfinite(out).all()
        peak = float(np.max(np.abs(out)))
        assert peak > SILENT, f"{preset.name}: silent (peak {20 * np.log10(peak + 1e-30):.1f} dBFS)"
        assert peak < PEAK, f"{preset.name}: peak {20 * np.log10(peak):.2f} dBFS"


def write(folder, name, text):
    folder.mkdir(parents=True, exist_ok=True)
    (folder / name).write_text(text)


GOOD = 'name = "Mine"\ninstrument = "synth"\n[params]\ncutoff_hz = 800\nfilter_type = "ladder"\n'


@pytest.mark.parametrize("text, says", [
    ('name = "Mine"\ninstrument = "synth"\ncolour = 3\n', "unknown key colour; known: name"),
    ('name = "Mine"\ninstrument = "synth"\n[params]\ncutoff_hz = 99999\n',
     "params.cutoff_hz = 99999 is outside 20..20000 Hz"),
    ('name = "Mine"\ninstrument = "synth"\n[params]\nwobble = 1\n', "unknown key params.wobble"),
    ('name = "Mine"\ninstrument = "synth"\n[params]\nfilter_type = "moog"\n',
     'params.filter_type must be one of "svf", "ladder", not "moog"'),
    ('name = "Mine"\ninstrument = "sampler"\n', 'instrument = "sampler" but the file is in the "synth" folder'),
    ('name = "A very long name"\ninstrument = "synth"\n', "name must be text in quotes (1 to 12 characters)"),
    ('name = "Mine"\ninstrument = "synth"\nnote = 130\n', "note = 130 is outside 0..127"),
    ('name = "Mine"\ninstrument = "synth"\n[params]\nsample = 3\n', "unknown key params.sample"),
    ('name = "Mine\ninstrument = "synth"\n', "not valid TOML"),
    ('instrument = "synth"\n', "name is missing"),
    ('name = "Mine"\ninstrument = "synth"\nmultisample = "factory:pluck"\n',
     "multisample names a set, which only the multisample instrument plays, not synth"),
])
def test_a_bad_file_is_one_line_and_only_it_is_left_out(tmp_path, text, says):
    write(tmp_path / "synth", "bad.toml", text)
    write(tmp_path / "synth", "good.toml", GOOD)
    library = PresetLibrary()
    load_folder(tmp_path, True, library)
    assert [p.name for p in library.of("synth")] == ["Mine"]
    assert len(library.problems) == 1
    line = library.problems[0]
    assert "\n" not in line and str(tmp_path / "synth" / "bad.toml") in line and says in line, line


def test_a_folder_for_an_instrument_not_installed_is_one_line(tmp_path):
    write(tmp_path / "example.chime", "a.toml", 'name = "A"\ninstrument = "example.chime"\n')
    library = PresetLibrary()
    load_folder(tmp_path, True, library)
    assert library.count() == 0
    assert library.problems == [f"{tmp_path / 'example.chime'}: no instrument 'example.chime' is "
                                "installed; its presets are left out"]


def test_no_user_folder_is_no_problem(tmp_path):
    library = load_library(tmp_path / "presets")
    assert library.problems == [] and library.count() == len(FILES)


def test_a_saved_preset_loads_back_equal_after_the_factory_ones(tmp_path):
    root = tmp_path / "presets"
    mine = Preset("Dark 2", "synth", {"cutoff_hz": 312.5, "filter_type": "ladder", "unison": 3},
                  ("mine",), 48, "dark-2", True)
    path = save_user_preset(root, mine)
    assert path == root / "synth" / "dark-2.toml"
    assert read_preset(path, user=True) == mine
    assert [f.name for f in path.parent.iterdir()] == ["dark-2.toml"]     # no temp file left
    library = load_library(root)
    presets = library.of("synth")
    assert presets[-1] == mine and not any(p.user for p in presets[:-1])


def test_saving_a_bad_preset_writes_nothing(tmp_path):
    with pytest.raises(UserError, match="outside 20..20000"):
        save_user_preset(tmp_path, Preset("Bad", "synth", {"cutoff_hz": 5.0}, user=True))
    assert not (tmp_path / "synth").exists()


def test_an_unreadable_file_is_one_line(tmp_path):
    (tmp_path / "synth" / "folder.toml").mkdir(parents=True)       # read_text: Is a directory
    write(tmp_path / "synth", "good.toml", GOOD)
    library = PresetLibrary()
    load_folder(tmp_path, True, library)
    assert library.count() == 1
    assert library.problems == [f"{tmp_path / 'synth' / 'folder.toml'}: cannot read it (Is a directory)"]


def test_every_instrument_ships_presets_and_there_are_at_least_48():
    library = load_library()
    counts = {name: len(library.of(name)) for name in INSTRUMENTS if "." not in name}
    assert all(n >= 5 for n in counts.values()), counts
    assert sum(counts.values()) >= 48, counts
