"""The shipped unit file is valid for systemd (checked offline)."""
import shutil
import subprocess
from pathlib import Path

import pytest

UNIT = Path(__file__).resolve().parents[2] / "systemd" / "reverie.service"


def test_unit_file_verifies_cleanly(tmp_path):
    analyze = shutil.which("systemd-analyze")
    if analyze is None:
        pytest.fail("systemd-analyze is missing: install the Debian package systemd")
    # The program path exists only on the box; everything else is checked as shipped.
    text = UNIT.read_text()
    text = text.replace("ExecStart=/opt/reverie/.venv/bin/reverie run", "ExecStart=/bin/true")
    text = text.replace("WorkingDirectory=/opt/reverie", "WorkingDirectory=/tmp")
    unit = tmp_path / "reverie.service"
    unit.write_text(text)
    done = subprocess.run([analyze, "verify", "--man=no", str(unit)], capture_output=True, text=True)
    # systemd-analyze exits 0 on warnings: any output at all is a problem
    assert done.returncode == 0 and done.stdout == "" and done.stderr == "", done.stdout + done.stderr


def test_unit_keeps_the_audio_thread_real_time_capable():
    text = UNIT.read_text()
    assert "LimitRTPRIO=" in text and "LimitMEMLOCK=infinity" in text
    assert "Group=audio" in text
