"""The `reverie` command: help everywhere, one line and exit 1 for bad input."""
import subprocess
import sys
from pathlib import Path

import pytest

from reverie.app.cli import COMMANDS, main

FIRMWARE = str(Path(__file__).resolve().parents[2] / "firmware")


@pytest.mark.parametrize("name", [name for name, _ in COMMANDS])
def test_every_subcommand_has_help(name, capsys):
    with pytest.raises(SystemExit) as done:
        main([name, "--help"])
    assert done.value.code == 0
    assert "usage: reverie " + name in capsys.readouterr().out


@pytest.mark.parametrize("argv,message", [
    (["bench", "warp-speed"], "unknown scenario 'warp-speed'"),
    (["run", "--config", "/nonexistent/reverie.toml"], "no such configuration file"),
    (["render", "/nonexistent/project", "--out", "/tmp/x.wav"], "/nonexistent/project"),
])
def test_bad_input_is_one_line_and_exit_1(argv, message):
    done = subprocess.run([sys.executable, "-m", "reverie", *argv], capture_output=True, text=True,
                          env={"PYTHONPATH": FIRMWARE, "PATH": "/usr/bin:/bin"}, timeout=60)
    assert done.returncode == 1
    assert message in done.stderr
    assert len(done.stderr.strip().splitlines()) == 1, done.stderr
    assert "Traceback" not in done.stderr
