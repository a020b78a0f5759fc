"""`reverie presets`: the factory and one's own presets per instrument, counted; a bad file
is one stderr line and exit 1."""
import json

from reverie.app.cli import main
from reverie.sound.presets import factory_root

FACTORY = len(list(factory_root().glob("*/*.toml")))


def test_lists_every_instrument_and_counts_the_factory_presets(tmp_path, capsys):
    assert main(["presets", "--data-dir", str(tmp_path)]) == 0
    out = capsys.readouterr().out
    assert out.startswith("sampler: 9 factory\n") and "\nsynth: 10 factory\n" in out
    assert "    Warm Pad      note 48   [pad, soft]\n" in out
    assert f"\n{FACTORY} factory presets across " in out and str(tmp_path / "presets") in out


def test_ones_own_are_marked_and_a_bad_one_is_one_line(tmp_path, capsys):
    folder = tmp_path / "presets" / "synth"
    folder.mkdir(parents=True)
    (folder / "dark-1.toml").write_text('name = "Dark 1"\ninstrument = "synth"\n[params]\ncutoff_hz = 300\n')
    (folder / "bad.toml").write_text('name = "Bad"\ninstrument = "synth"\n[params]\ncutoff_hz = 3\n')
    assert main(["presets", "synth", "--data-dir", str(tmp_path)]) == 1
    captured = capsys.readouterr()
    assert "synth: 10 factory, 1 your own\n" in captured.out and "  * Dark 1 " in captured.out
    assert captured.err == (f"reverie presets: {folder / 'bad.toml'}: params.cutoff_hz = 3 is outside "
                            "20..20000 Hz\n")


def test_json_and_an_unknown_instrument(tmp_path, capsys):
    assert main(["presets", "--json", "--data-dir", str(tmp_path)]) == 0
    data = json.loads(capsys.readouterr().out)
    assert data["factory"] == FACTORY and data["problems"] == []
    assert {"name": "Warm Pad", "file": "warm-pad", "user": False, "tags": ["pad", "soft"], "note": 48} \
        in data["instruments"]["synth"]
    assert main(["presets", "harp", "--data-dir", str(tmp_path)]) == 1
    assert capsys.readouterr().err.startswith("reverie presets: no instrument 'harp'; installed: sampler, synth")
