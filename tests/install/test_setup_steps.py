"""The Makefile's set-up chain after the packages (`make .stamps/install`: the virtual
environment, then the package installed into it) as root and as an unprivileged user.

The real Makefile runs in a copy of the checkout owned by the user, with the real
`python3 -m venv` and stand-ins for dpkg-query (everything installed) and pip (records its
arguments; pip itself needs the network). A set-up step that writes outside the checkout
fails here as a user and is caught as root by the interpreter's unchanged time stamp:
`touch .venv/bin/python` once followed the venv's symlink to the system's python.
"""
from __future__ import annotations

import os
import shutil
import stat
import subprocess
import tempfile
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
NOBODY = 65534
SYSTEM_PYTHON = Path("/usr/bin/python3")     # Debian's python3 (debian-packages.txt)

DPKG_QUERY = """#!/bin/bash
echo "install ok installed"
"""
PIP = """#!/bin/bash
echo "pip $*" >> "$(dirname "$0")/pip.log"
"""


@pytest.fixture
def checkout():
    # Under /tmp, not pytest's tmp_path: the user must be able to reach it.
    top = Path(tempfile.mkdtemp(prefix="reverie-setup-"))
    top.chmod(0o755)
    try:
        work = top / "checkout"
        (work / "tools").mkdir(parents=True)
        for name in ("Makefile", "debian-packages.txt", "tools/install-debs", "pyproject.toml"):
            shutil.copy2(ROOT / name, work / name)
        bin_dir = top / "bin"
        bin_dir.mkdir()
        for name, text in (("dpkg-query", DPKG_QUERY), ("pip", PIP)):
            (bin_dir / name).write_text(text)
            (bin_dir / name).chmod(0o755)
        (bin_dir / "pip.log").write_text("")
        yield top
    finally:
        shutil.rmtree(top, ignore_errors=True)


def run_setup(top: Path, as_root: bool):
    """As root: root itself, or a user namespace's root (`unshare -r`) when the tests run as
    a user. As a user: nobody (switched to with setpriv), or the user the tests run as."""
    work, bin_dir = top / "checkout", top / "bin"
    if os.geteuid() != 0:
        prefix = ["unshare", "-r"] if as_root else []
    elif as_root:
        prefix = []
    else:
        for path in [top, *top.rglob("*")]:
            os.chown(path, NOBODY, NOBODY, follow_symlinks=False)
        prefix = ["setpriv", f"--reuid={NOBODY}", f"--regid={NOBODY}", "--clear-groups"]
    env = {"PATH": f"{bin_dir}:/usr/bin:/bin", "HOME": str(top), "LANG": "C.UTF-8"}
    return subprocess.run([*prefix, "make", "-s", ".stamps/install", f"PIP={bin_dir}/pip",
                           f"PYTHON={SYSTEM_PYTHON}"],
                          cwd=work, env=env, capture_output=True, text=True, timeout=120)


@pytest.mark.parametrize("as_root", [True, False], ids=["root", "user"])
def test_venv_and_install_steps_write_only_inside_the_checkout(checkout, as_root):
    interpreter = SYSTEM_PYTHON.resolve()
    before = interpreter.stat()
    done = run_setup(checkout, as_root)
    assert done.returncode == 0, done.stderr
    work = checkout / "checkout"
    assert (work / ".venv" / "bin" / "python").resolve() == interpreter
    assert (work / ".stamps" / "venv").is_file() and (work / ".stamps" / "install").is_file()
    assert (checkout / "bin" / "pip.log").read_text().splitlines() == [
        'pip install -q --upgrade pip setuptools>=77 wheel Cython>=3.0 numpy>=1.26',
        "pip install -q --no-build-isolation -e .[test,pi]",
    ]
    after = interpreter.stat()
    assert (after.st_mtime_ns, after.st_mode) == (before.st_mtime_ns, before.st_mode)
    if not as_root:
        owners = {p.lstat().st_uid for p in work.rglob("*")}
        assert owners == {NOBODY if os.geteuid() == 0 else os.geteuid()}

    again = run_setup(checkout, as_root)                   # nothing to do the second time
    assert again.returncode == 0, again.stderr
    assert len((checkout / "bin" / "pip.log").read_text().splitlines()) == 2
