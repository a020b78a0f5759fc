"""Instruments from outside: found in the data directory's plugins/ folder and through the
`reverie.instruments` entry point of an installed distribution, checked, and registered or
refused with one line each (a full trace in the log for an exception), nothing else changed."""
import logging
import subprocess
import sys
from pathlib import Path

import numpy as np
import pytest

from plugin_fixtures import REFUSED, write_plugins
from reverie.sound import instruments as registry
from reverie.sound.graph import compile_graph
from reverie.sound.plugins import install, scan

ROOT = Path(__file__).resolve().parents[2]
CHIME = ROOT / "examples" / "reverie-chime"


@pytest.fixture(scope="module")
def scanned(tmp_path_factory):
    folder = write_plugins(tmp_path_factory.mktemp("data") / "plugins")
    return scan(folder, set(registry.BUILTIN))


def test_every_broken_plugin_is_refused_with_one_line(scanned):
    refused = {f.origin.removeprefix("plugins/"): f.refused for f in scanned.refused}
    assert set(refused) == set(REFUSED)
    for name, start in REFUSED.items():
        assert "\n" not in refused[name]
        assert refused[name].startswith(start), refused[name]
    assert scanned.notices() == [f.refused for f in scanned.refused]


def test_the_good_ones_pass_with_their_trial_figures(scanned):
    assert [f.name for f in scanned.installed] == ["fixture.bell", "fixture.pad"]
    bell = scanned.installed[0]
    assert bell.origin == "plugins/bell.py"
    assert -30.0 < bell.trial.peak_dbfs < 0.0
    assert bell.trial.cost < 3.0
    heavy = next(f for f in scanned.refused if f.origin == "plugins/heavy.py")
    assert "the budget is 3x" in heavy.refused


def test_install_registers_the_passed_ones_beside_the_built_in(scanned):
    instruments, programs = dict(registry.INSTRUMENTS), {}
    assert install(scanned, instruments, programs) == ["fixture.bell", "fixture.pad"]
    assert set(instruments) == set(registry.INSTRUMENTS) | {"fixture.bell", "fixture.pad"}
    assert programs["fixture.bell"].tobytes() == compile_graph(instruments["fixture.bell"]).program.tobytes()


def test_an_exception_in_a_package_is_one_line_and_its_trace_goes_to_the_log(tmp_path, caplog):
    folder = write_plugins(tmp_path / "plugins", names={"boom.py"})
    with caplog.at_level(logging.WARNING, logger="reverie.sound.plugins"):
        result = scan(folder, set(registry.BUILTIN))
    assert result.notices() == ["plugins/boom.py: ZeroDivisionError: division by zero"]
    traced = [r for r in caplog.records if r.exc_info]
    assert traced and traced[0].exc_info[0] is ZeroDivisionError


def test_add_plugins_changes_nothing_when_all_are_refused(tmp_path):
    folder = write_plugins(tmp_path / "plugins", names={"loud.py", "cycle.py", "nodot.py"})
    before = dict(registry.INSTRUMENTS)
    result = registry.add_plugins(folder)
    assert len(result.refused) == 3 and not result.installed
    assert registry.INSTRUMENTS == before


def test_no_folder_and_no_entry_point_is_no_instrument(tmp_path):
    assert scan(tmp_path / "absent", set(registry.BUILTIN)).found == []


@pytest.fixture(scope="module")
def chime_installed(tmp_path_factory):
    """The example package installed by pip, offline, into a folder of its own (as a
    distribution: its metadata holds the entry point)."""
    target = tmp_path_factory.mktemp("site")
    build = tmp_path_factory.mktemp("chime-src")
    subprocess.run(["cp", "-r", str(CHIME) + "/.", str(build)], check=True)   # pip builds in the source tree
    done = subprocess.run([sys.executable, "-m", "pip", "install", "-q", "--no-deps", "--no-index",
                           "--no-build-isolation", "--target", str(target), str(build)],
                          capture_output=True, text=True)
    assert done.returncode == 0, done.stderr
    return target


def test_pip_installs_the_example_and_reverie_instruments_finds_it(chime_installed, tmp_path):
    import os
    env = {**os.environ, "PYTHONPATH": str(chime_installed)}
    done = subprocess.run([sys.executable, "-m", "reverie.app.cli", "instruments", "--data-dir", str(tmp_path)],
                          capture_output=True, text=True, env=env, timeout=120)
    assert done.returncode == 0, done.stderr
    lines = done.stdout.splitlines()
    assert lines[0].startswith("built in: ") and "sampler" in lines[0] and "synth" in lines[0]
    assert lines[1].startswith("example.chime: from entry point example.chime (reverie-chime), ")
    assert "x the synth's CPU, peak -" in lines[1]


def test_cli_lists_refusals_and_exits_1(tmp_path):
    write_plugins(tmp_path / "plugins", names={"bell.py", "cycle.py"})
    done = subprocess.run([sys.executable, "-m", "reverie.app.cli", "instruments", "--data-dir", str(tmp_path)],
                          capture_output=True, text=True, timeout=120)
    assert done.returncode == 1
    assert "fixture.bell: from plugins/bell.py" in done.stdout
    assert "refused: plugins/cycle.py: instrument 'broken.cycle': the graph has a cycle" in done.stdout
    assert "Traceback" not in done.stdout + done.stderr


def test_an_entry_point_is_found_in_process(chime_installed, monkeypatch, tmp_path):
    monkeypatch.syspath_prepend(str(chime_installed))
    result = scan(tmp_path / "absent", set(registry.BUILTIN))
    chime, = result.installed
    assert chime.name == "example.chime" and chime.origin == "entry point example.chime (reverie-chime)"
    assert np.isfinite(chime.trial.peak_dbfs)
