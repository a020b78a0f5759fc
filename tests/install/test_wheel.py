"""`pip install .` gives a complete Reverie: everything it reads at run time is inside the
installed package, nothing is read from the checkout.

The checkout's files (tracked, and new ones git does not ignore) are copied to a temporary
folder with no build products in it, and installed from there into a fresh virtual
environment, offline: no index, no build isolation, the build and run-time dependencies
taken from this checkout's .venv through a path file that leaves out the checkout's own
editable install. Every command then runs from a folder outside the checkout.
"""
from __future__ import annotations

import os
import subprocess
import sys
import sysconfig
from pathlib import Path

import numpy as np
import pytest
import soundfile as sf

ROOT = Path(__file__).resolve().parents[2]
pytestmark = pytest.mark.timeout(600)


def run(cmd, **kw):
    kw.setdefault("timeout", 300)
    return subprocess.run(cmd, capture_output=True, text=True, **kw)


@pytest.fixture(scope="module")
def installed(tmp_path_factory):
    """(the venv's python, the venv's reverie script, a working folder outside the checkout)"""
    tmp = tmp_path_factory.mktemp("wheel")
    source = tmp / "source"
    files = run(["git", "ls-files", "-z", "--cached", "--others", "--exclude-standard"],
                cwd=ROOT).stdout.split("\0")
    for name in filter(None, files):
        src = ROOT / name
        if src.is_file():
            dest = source / name
            dest.parent.mkdir(parents=True, exist_ok=True)
            dest.write_bytes(src.read_bytes())
    assert not list(source.rglob("*.so")), "the source copy must hold no build products"

    venv = tmp / "venv"
    made = run([sys.executable, "-m", "venv", "--without-pip", str(venv)])
    assert made.returncode == 0, made.stderr
    python = venv / "bin" / "python"
    site = Path(run([str(python), "-c", "import sysconfig; print(sysconfig.get_paths()['purelib'])"]
                    ).stdout.strip())
    # The dependencies, without the checkout's editable reverie.
    deps = tmp / "deps"
    deps.mkdir()
    ours = Path(sysconfig.get_paths()["purelib"])
    for entry in ours.iterdir():
        if not entry.name.lower().startswith(("reverie", "__editable__")):
            (deps / entry.name).symlink_to(entry)
    (site / "deps.pth").write_text(f"{deps}\n")

    done = run([sys.executable, "-m", "pip", "--python", str(python), "install", "-q",
                "--no-index", "--no-build-isolation", str(source)], cwd=tmp,
               env={**os.environ, "PIP_NO_INPUT": "1"})
    assert done.returncode == 0, done.stderr[-3000:]
    work = tmp / "work"
    work.mkdir()
    return python, venv / "bin" / "reverie", work


def test_the_installed_package_is_the_one_that_runs(installed):
    python, _, work = installed
    where = run([str(python), "-c", "import reverie, reverie.core.engine as e; "
                 "print(reverie.__file__); print(e.__file__)"], cwd=work)
    assert where.returncode == 0, where.stderr
    lines = where.stdout.split()
    assert len(lines) == 2, where.stdout
    for line in lines:
        assert str(python.parent.parent) in line and str(ROOT) not in line


def test_run_help(installed):
    _, reverie, work = installed
    done = run([str(reverie), "run", "--help"], cwd=work)
    assert done.returncode == 0, done.stderr
    assert "usage: reverie run" in done.stdout


def test_render_of_the_shipped_demo_is_the_checkouts_render(installed, tmp_path):
    _, reverie, work = installed
    out = tmp_path / "installed.wav"
    done = run([str(reverie), "render", "factory:demo", "--out", str(out), "--seconds", "2"], cwd=work)
    assert done.returncode == 0, done.stderr
    here = tmp_path / "checkout.wav"
    done = run([sys.executable, "-m", "reverie", "render", "factory:demo", "--out", str(here),
                "--seconds", "2"], cwd=ROOT, env={**os.environ, "PYTHONPATH": str(ROOT / "firmware")})
    assert done.returncode == 0, done.stderr
    audio, rate = sf.read(out)
    assert rate == 48000 and audio.shape == (96000, 2)
    assert np.abs(audio).max() > 0.1                  # the demo's kick, not silence
    assert out.read_bytes() == here.read_bytes()


def test_sample_info(installed, tmp_path):
    _, reverie, work = installed
    wav = tmp_path / "tone.wav"
    sf.write(wav, np.zeros((4800, 2)), 48000, subtype="PCM_16")
    done = run([str(reverie), "sample-info", str(wav), "--json"], cwd=work)
    assert done.returncode == 0, done.stderr
    assert '"frames": 4800' in done.stdout and '"source_rate": 48000' in done.stdout


def test_box_files_hat_presets_profiles_and_the_font(installed, tmp_path):
    python, _, work = installed
    png = tmp_path / "pattern.png"
    script = f"""
import tomllib
from importlib.resources import files
from reverie.hal.box import load_box
from reverie.hal.controllers.profiles import load_profiles
from reverie.hal.hat import load_hat
for name in ("reference", "minimal", "simulator"):
    assert load_box(name).name == name
assert load_box("reference").audio.key == "hifiberry-dacplus"
hats = sorted(p.name for p in files("reverie.hal").joinpath("hats").iterdir())
for hat in hats:
    tomllib.loads(files("reverie.hal").joinpath("hats", hat).read_text())
    assert load_hat(hat.removesuffix(".toml")).name
print("hats", len(hats))
print("profiles", sorted(p.name for p in load_profiles()))
from reverie.sound.presets import factory_root, load_library
library = load_library()
assert library.problems == [], library.problems
print("presets", dict((i, len(p)) for i, p in sorted(library.by_instrument.items())))
print("preset files", len(list(factory_root().glob("*/*.toml"))))
from reverie.ui.draw.canvas import Canvas
from PIL import Image
c = Canvas(Image.new("1", (128, 64)))
c.text(0, 0, "REVERIE", size="big")
c.image.save({str(png)!r})
"""
    done = run([str(python), "-c", script], cwd=work)
    assert done.returncode == 0, done.stderr
    assert "hats 6" in done.stdout
    shipped = len(list((ROOT / "firmware/reverie/sound/presets").glob("*/*.toml")))
    assert f"preset files {shipped}\n" in done.stdout          # every preset of the checkout
    assert "'sampler': " in done.stdout and "'synth': " in done.stdout
    assert "'generic-keyboard'" in done.stdout and "'launchpad-mini'" in done.stdout
    from PIL import Image
    lit = np.asarray(Image.open(png).convert("1"), dtype=bool)
    assert lit.shape == (64, 128)
    rows = np.flatnonzero(lit.any(axis=1))
    assert 20 <= lit.sum() and rows.max() - rows.min() >= 14   # big capitals, drawn in the font
