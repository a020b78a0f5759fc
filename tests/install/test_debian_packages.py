"""The Makefile's package step (`make deps`) on a fresh machine, as root and as a user.

It runs the real Makefile and tools/install-debs in a copy of the checkout, with stand-ins
for dpkg-query, apt-get, sudo and id first on a PATH that holds nothing else that could
install anything. The stand-ins record every call (arguments and the DEBIAN_FRONTEND that
apt-get saw) and keep a fake list of installed packages, so the commands run and the
machine's end state are both checked. Nothing on the real machine is touched.
"""
from __future__ import annotations

import os
import shutil
import subprocess
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
PACKAGES = [line.split("#")[0].strip() for line in
            (ROOT / "debian-packages.txt").read_text().splitlines()]
PACKAGES = [p for p in PACKAGES if p]
# Real programs the recipe may use; anything else (a real sudo or apt-get) is out of reach.
REAL_TOOLS = ("bash", "sh", "make", "sed", "tr", "grep", "xargs", "echo", "env", "cat", "mkdir", "touch")

STANDINS = {
    "dpkg-query": r"""#!/bin/bash
echo "dpkg-query $*" >> "$STANDIN/log"
pkg="${@: -1}"
if grep -qx "$pkg" "$STANDIN/installed"; then echo "install ok installed"; exit 0; fi
echo "dpkg-query: no packages found matching $pkg" >&2; exit 1
""",
    "apt-get": r"""#!/bin/bash
echo "apt-get $* [DEBIAN_FRONTEND=${DEBIAN_FRONTEND:-}]" >> "$STANDIN/log"
[ "$1" = install ] || exit 0
pkgs=(); for a in "$@"; do case "$a" in -*|install) ;; *) pkgs+=("$a");; esac; done
for p in "${pkgs[@]}"; do
    if grep -qx "$p" "$STANDIN/broken"; then echo "E: Unable to locate package $p" >&2; exit 100; fi
done
printf '%s\n' "${pkgs[@]}" >> "$STANDIN/installed"
""",
    "sudo": r"""#!/bin/bash
echo "sudo $*" >> "$STANDIN/log"
exec "$@"
""",
    "id": r"""#!/bin/bash
[ "$1" = -u ] && { echo "$STANDIN_UID"; exit 0; }
echo "uid=$STANDIN_UID"
""",
}


def run_package_step(tmp_path: Path, *, uid: int, missing: list[str], broken=(), sudo=True):
    """`make deps` in a copy of the checkout; returns (completed process, calls, installed)."""
    work = tmp_path / "checkout"
    (work / "tools").mkdir(parents=True)
    for name in ("Makefile", "debian-packages.txt", "tools/install-debs"):
        shutil.copy2(ROOT / name, work / name)
    state = tmp_path / "state"
    state.mkdir()
    (state / "installed").write_text("".join(f"{p}\n" for p in PACKAGES if p not in missing))
    (state / "broken").write_text("".join(f"{p}\n" for p in broken))
    (state / "log").write_text("")
    bin_dir = tmp_path / "bin"
    bin_dir.mkdir()
    for name, text in STANDINS.items():
        if name == "sudo" and not sudo:
            continue
        (bin_dir / name).write_text(text)
        (bin_dir / name).chmod(0o755)
    for tool in REAL_TOOLS:
        (bin_dir / tool).symlink_to(shutil.which(tool))
    env = {"PATH": str(bin_dir), "STANDIN": str(state), "STANDIN_UID": str(uid),
           "HOME": str(tmp_path), "LANG": "C.UTF-8"}
    done = subprocess.run([shutil.which("make"), "-s", "deps"], cwd=work, env=env,
                          capture_output=True, text=True, timeout=60)
    calls = [c for c in (state / "log").read_text().splitlines()
             if not c.startswith("dpkg-query")]
    installed = set((state / "installed").read_text().split())
    return done, calls, installed


MISSING = ["fonts-terminus-otb", "xvfb"]
FLAGS = "-y -qq --no-install-recommends"


def test_as_root_runs_apt_get_itself_for_the_missing_packages_only(tmp_path):
    done, calls, installed = run_package_step(tmp_path, uid=0, missing=MISSING)
    assert done.returncode == 0, done.stderr
    assert calls == [
        "apt-get update -qq [DEBIAN_FRONTEND=noninteractive]",
        f"apt-get install {FLAGS} fonts-terminus-otb xvfb [DEBIAN_FRONTEND=noninteractive]",
    ]
    assert installed == set(PACKAGES)


def test_as_root_without_sudo_on_the_machine(tmp_path):
    done, calls, installed = run_package_step(tmp_path, uid=0, missing=MISSING, sudo=False)
    assert done.returncode == 0, done.stderr
    assert [c.split()[0] for c in calls] == ["apt-get", "apt-get"]
    assert installed == set(PACKAGES)


def test_as_a_user_goes_through_sudo_with_the_environment_passed_by_env(tmp_path):
    done, calls, installed = run_package_step(tmp_path, uid=1000, missing=MISSING)
    assert done.returncode == 0, done.stderr
    assert calls == [
        "sudo env DEBIAN_FRONTEND=noninteractive apt-get update -qq",
        "apt-get update -qq [DEBIAN_FRONTEND=noninteractive]",
        f"sudo env DEBIAN_FRONTEND=noninteractive apt-get install {FLAGS} fonts-terminus-otb xvfb",
        f"apt-get install {FLAGS} fonts-terminus-otb xvfb [DEBIAN_FRONTEND=noninteractive]",
    ]
    assert installed == set(PACKAGES)


def test_nothing_missing_runs_no_apt_get_and_no_sudo(tmp_path):
    for uid in (0, 1000):
        done, calls, _ = run_package_step(tmp_path / str(uid), uid=uid, missing=[])
        assert done.returncode == 0, done.stderr
        assert calls == []
        assert done.stdout == ""


def test_as_a_user_without_sudo_says_what_to_do_in_one_line(tmp_path):
    done, calls, installed = run_package_step(tmp_path, uid=1000, missing=MISSING, sudo=False)
    assert done.returncode == 2                  # make's code for a failed recipe
    assert calls == []
    lines = [l for l in done.stderr.splitlines() if l.startswith("reverie:")]
    assert lines == ["reverie: Debian packages missing: fonts-terminus-otb xvfb; "
                     "run this as root, or install sudo"]
    assert not set(MISSING) & installed


@pytest.mark.parametrize("uid", [0, 1000])
def test_a_package_apt_cannot_install_is_named_in_one_line(tmp_path, uid):
    done, calls, installed = run_package_step(tmp_path, uid=uid, missing=MISSING,
                                              broken=["xvfb"])
    assert done.returncode == 2
    lines = [l for l in done.stderr.splitlines() if l.startswith("reverie:")]
    assert lines == ["reverie: apt-get cannot install the Debian package(s) xvfb "
                     "(apt's message is above)"]
    # the whole set failed, then each was tried alone: the good one is installed
    apt_calls = [c for c in calls if c.startswith("apt-get install")]
    assert [c.split()[-2] for c in apt_calls] == ["xvfb", "fonts-terminus-otb", "xvfb"]
    assert "fonts-terminus-otb" in installed and "xvfb" not in installed
