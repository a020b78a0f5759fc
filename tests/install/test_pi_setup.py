"""`sudo make install` and `sudo make uninstall` (tools/pi-setup) on a Raspberry Pi that is a
folder: the real Makefile and tools/pi-setup run in a copy of the checkout with DESTDIR set,
and stand-ins first on a PATH that holds nothing else that could change the machine.

The stand-ins keep a fake machine next to the folder: users and groups (useradd, usermod,
userdel, getent read and change a passwd and a group file), systemd (systemctl records
daemon-reload, enable, disable), the system python3 (`-m venv` makes a venv whose python
stands in for pip: `wheel` makes a wheel of the source it was given, `install` puts a
`reverie` script in the venv), chown (changes the owner to the fake user's ids) and dpkg-query
(everything installed). Every call is logged, so the tests assert the exact commands, and the
files the folder holds afterwards, byte for byte.
"""
from __future__ import annotations

import os
import re
import shutil
import stat
import subprocess
import tempfile
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
SYSTEM_PYTHON = "/usr/bin/python3"
NOBODY = 65534
REAL_TOOLS = ("bash", "sh", "make", "env", "sed", "tr", "grep", "cat", "id")
# Queries change nothing: left out of the commands a test asserts.
QUERIES = ("getent ", "systemctl is-enabled ", "systemctl is-active ", "dpkg-query ")

STANDINS = {
    "getent": r"""
db, name = ARGS
for line in state(db).read_text().splitlines():
    if line.split(":")[0] == name:
        print(line)
        sys.exit(0)
sys.exit(2)
""",
    "useradd": r"""
name, uid = ARGS[-1], os.environ["STANDIN_UID"]
with state("passwd").open("a") as f:
    f.write(f"{name}:x:{uid}:{uid}::/var/lib/reverie:/usr/sbin/nologin\n")
with state("group").open("a") as f:
    f.write(f"{name}:x:{uid}:\n")
""",
    "usermod": r"""
assert ARGS[:2] == ["--append", "--groups"], ARGS
groups, name = ARGS[2].split(","), ARGS[3]
lines = []
for line in state("group").read_text().splitlines():
    g, x, gid, members = line.split(":")
    if g in groups:
        members = ",".join(filter(None, members.split(",") + [name]))
    lines.append(":".join((g, x, gid, members)))
state("group").write_text("\n".join(lines) + "\n")
""",
    "userdel": r"""
name = ARGS[-1]
state("passwd").write_text("".join(l + "\n" for l in state("passwd").read_text().splitlines()
                                   if l.split(":")[0] != name))
lines = []
for line in state("group").read_text().splitlines():
    g, x, gid, members = line.split(":")
    if g != name:
        lines.append(":".join((g, x, gid, ",".join(m for m in members.split(",") if m != name))))
state("group").write_text("\n".join(lines) + "\n")
""",
    "chown": r"""
owner, path = ARGS
user = owner.split(":")[0]
entry = next(l.split(":") for l in state("passwd").read_text().splitlines() if l.split(":")[0] == user)
os.chown(path, int(entry[2]), int(entry[3]))
""",
    "systemctl": r"""
enabled = state("enabled")
if ARGS[0] == "is-enabled":
    sys.exit(0 if enabled.exists() else 1)
if ARGS[0] == "is-active":
    sys.exit(0 if state("active").exists() else 3)
if ARGS[0] == "enable":
    enabled.touch()
if ARGS[0] == "disable":
    enabled.unlink(missing_ok=True)
""",
    "python3": r"""
assert ARGS[:2] == ["-m", "venv"], ARGS
venv = Path(ARGS[2])
(venv / "bin").mkdir(parents=True)
shutil.copy(Path(__file__).with_name("venv-python"), venv / "bin" / "python")
""",
    # the venv's python: pip's commands
    "venv-python": r"""
assert ARGS[:2] == ["-m", "pip"], ARGS
venv = Path(__file__).resolve().parents[1]
if ARGS[2] == "wheel":
    wheels, source = Path(ARGS[ARGS.index("--wheel-dir") + 1]), Path(ARGS[-1])
    files = sorted(str(p.relative_to(source)) for p in source.rglob("*") if p.is_file())
    wheels.mkdir(parents=True, exist_ok=True)
    (wheels / "reverie-0.1.0-cp311-cp311-linux_aarch64.whl").write_text("\n".join(files) + "\n")
elif ARGS[2] == "install" and ARGS[-1].endswith(".whl"):
    shutil.copy(ARGS[-1], venv / "installed.whl")
    (venv / "bin" / "reverie").write_text("#!/bin/sh\n")
    (venv / "bin" / "reverie").chmod(0o755)
""",
    "dpkg-query": r"""
print("install ok installed")
""",
}
PRELUDE = f"""#!{SYSTEM_PYTHON}
import os, shutil, sys
from pathlib import Path
ARGS = sys.argv[1:]
def state(name):
    return Path(os.environ["STANDIN"], name)
with state("log").open("a") as log:
    log.write(" ".join([sys.argv[0], *ARGS]) + "\\n")
"""
GROUPS = "audio:x:29:pi\ngpio:x:997:pi\ni2c:x:998:pi\ninput:x:105:\npi:x:1000:\n"   # no spi group

# Raspberry Pi OS bookworm's /boot/firmware/config.txt as it ships.
CONFIG_TXT = """# For more options and information see
# http://rptl.io/configtxt
# Some settings may impact device functionality. See link above for details

# Uncomment some or all of these to enable the optional hardware interfaces
#dtparam=i2c_arm=on
#dtparam=i2s=on
#dtparam=spi=on

# Enable audio (loads snd_bcm2835)
dtparam=audio=on

# Automatically load overlays for detected cameras
camera_auto_detect=1

# Enable DRM VC4 V3D driver
dtoverlay=vc4-kms-v3d
max_framebuffers=2

# Run in 64-bit mode
arm_64bit=1

[cm4]
# Enable host mode on the 2711 built-in XHCI USB controller.
otg_mode=1

[all]
"""
BLOCK_REFERENCE = """# >>> reverie: the box's boot configuration (sudo make uninstall removes this block)
# box reference, audio HAT HiFiBerry DAC+
[all]
dtparam=i2c_arm=on
dtparam=audio=off
dtoverlay=hifiberry-dacplus
# <<< reverie
"""
CONFIG_REFERENCE = """# Reverie on this box, written by `sudo make install` (it never overwrites this file).
# The service: /opt/reverie/docs/service.md; the box: hardware.md; [audio]: audio.md.

[hardware]
box = "reference"

[paths]
data = "/var/lib/reverie"

[audio]
device = "hifiberry"   # the audio HAT's card
"""
SOURCE_BUILD_PRODUCTS = ("*.so", "*.c", "*.html", "__pycache__", "*.egg-info")
REVERIE_UID = 990


class Pi:
    """A copy of the checkout, a folder for the Pi's files and the stand-ins' state."""

    def __init__(self, top: Path):
        self.top = top
        self.checkout = top / "checkout"
        self.root = top / "pi"
        self.state = top / "state"
        self.bin = top / "bin"
        for name in ("Makefile", "debian-packages.txt", "pyproject.toml", "setup.py", "README.md",
                     "tools/pi-setup", "tools/install-debs", "systemd/reverie.service",
                     "systemd/network.conf"):
            (self.checkout / name).parent.mkdir(parents=True, exist_ok=True)
            shutil.copy2(ROOT / name, self.checkout / name)
        shutil.copytree(ROOT / "docs", self.checkout / "docs")
        shutil.copytree(ROOT / "firmware", self.checkout / "firmware",
                        ignore=shutil.ignore_patterns(*SOURCE_BUILD_PRODUCTS))
        (self.root / "boot" / "firmware").mkdir(parents=True)
        self.config_txt = self.root / "boot" / "firmware" / "config.txt"
        self.config_txt.write_text(CONFIG_TXT)
        self.state.mkdir()
        (self.state / "passwd").write_text("root:x:0:0:root:/root:/bin/bash\npi:x:1000:1000::/home/pi:/bin/bash\n")
        (self.state / "group").write_text(GROUPS)
        (self.state / "log").write_text("")
        self.bin.mkdir()
        for name, text in STANDINS.items():
            (self.bin / name).write_text(PRELUDE + text)
            (self.bin / name).chmod(0o755)
        for tool in REAL_TOOLS:
            (self.bin / tool).symlink_to(shutil.which(tool))

    def make(self, *args: str, as_user: bool = False) -> subprocess.CompletedProcess:
        """`make ARGS DESTDIR=<the Pi>`, as root (or a user namespace's root when the tests
        run as a user), or as an unprivileged user."""
        if os.geteuid() != 0:    # the user namespace's root can give files only to itself
            prefix = [] if as_user else [shutil.which("unshare"), "-r"]
            uid, self.owner = 0, os.geteuid()
        elif as_user:            # everything is readable: only writing needs root
            prefix = [shutil.which("setpriv"), f"--reuid={NOBODY}", f"--regid={NOBODY}", "--clear-groups"]
            uid = self.owner = 0
        else:
            prefix, uid = [], REVERIE_UID
            self.owner = uid
        env = {"PATH": str(self.bin), "STANDIN": str(self.state), "STANDIN_UID": str(uid),
               "HOME": str(self.top), "LANG": "C.UTF-8"}
        (self.state / "log").write_text("")
        return subprocess.run([*prefix, shutil.which("make"), "-s", *args, f"DESTDIR={self.root}"],
                              cwd=self.checkout, env=env, capture_output=True, text=True, timeout=120)

    def calls(self) -> list[str]:
        """The commands that change something, paths shown from the Pi's root."""
        out = []
        for line in (self.state / "log").read_text().splitlines():
            line = line.replace(f"{self.bin}/", "").replace(str(self.root), "")
            if line.startswith(QUERIES):
                continue
            out.append(re.sub(r"/tmp/reverie-build-[^/ ]+", "/tmp/BUILD", line))
        return out

    def users(self) -> dict[str, list[str]]:
        """group -> members, and "passwd" -> user names."""
        groups = {l.split(":")[0]: [m for m in l.split(":")[3].split(",") if m]
                  for l in (self.state / "group").read_text().splitlines()}
        return groups | {"passwd": [l.split(":")[0] for l in (self.state / "passwd").read_text().splitlines()]}

    def enabled(self) -> bool:
        return (self.state / "enabled").exists()

    def tree(self) -> dict[str, tuple]:
        """Every path under the Pi's root: kind, mode, owner and bytes."""
        out = {}
        for p in sorted(self.root.rglob("*")):
            st = p.lstat()
            data = p.read_bytes() if stat.S_ISREG(st.st_mode) else b""
            out[str(p.relative_to(self.root))] = (stat.S_IFMT(st.st_mode), stat.S_IMODE(st.st_mode),
                                                  st.st_uid, st.st_gid, data)
        return out

    def file(self, path: str) -> Path:
        return self.root / path.lstrip("/")


@pytest.fixture
def pi():
    # Under /tmp, not pytest's tmp_path: an unprivileged user must reach it.
    top = Path(tempfile.mkdtemp(prefix="reverie-pi-"))
    top.chmod(0o755)
    try:
        yield Pi(top)
    finally:
        shutil.rmtree(top, ignore_errors=True)


def reverie_lines(done) -> list[str]:
    return [l for l in done.stdout.splitlines() if l.startswith("reverie:")]


PIP = "/opt/reverie/venv/bin/python -m pip"
WHEEL = "/tmp/BUILD/wheels/reverie-0.1.0-cp311-cp311-linux_aarch64.whl"
BUILD = [
    "python3 -m venv /opt/reverie/venv",
    f"{PIP} install -q setuptools>=77 wheel Cython>=3.0 numpy>=1.26",
    f"{PIP} wheel -q --no-deps --no-build-isolation --wheel-dir /tmp/BUILD/wheels /tmp/BUILD/source",
    f"{PIP} install -q {WHEEL}[pi]",
    f"{PIP} install -q --no-deps --force-reinstall {WHEEL}",
]


def test_install_then_again_changes_nothing_then_uninstall_restores_config_txt(pi):
    done = pi.make("install")
    assert done.returncode == 0, done.stdout + done.stderr
    assert pi.calls() == [
        f"useradd --system --user-group --home-dir /var/lib/reverie --no-create-home "
        f"--shell /usr/sbin/nologin reverie",
        "usermod --append --groups audio,gpio,i2c,input reverie",
        *BUILD,
        # As a user the tests run in a user namespace whose only id is its root, which the
        # fake reverie user then shares: the folder it made is already reverie's.
        *(["chown reverie:reverie /var/lib/reverie"] if os.geteuid() == 0 else []),
        "systemctl daemon-reload",
        "systemctl enable reverie.service",
    ]
    users = pi.users()
    assert "reverie" in users["passwd"] and "spi" not in users
    assert {g for g, members in users.items() if "reverie" in members} == {
        "audio", "gpio", "i2c", "input", "passwd"}
    # the wheel: built from the source alone, installed (not editable) into the venv
    built = pi.file("/opt/reverie/venv/installed.whl").read_text().splitlines()
    assert "firmware/reverie/core/engine.pyx" in built and "pyproject.toml" in built
    assert not [f for f in built if f.endswith((".so", ".c", ".pyc"))]
    assert not list(pi.checkout.rglob("__pycache__")) and not (pi.checkout / "build").exists()
    assert pi.file("/opt/reverie/venv/bin/reverie").is_file()
    assert sorted(p.name for p in pi.file("/opt/reverie/docs").iterdir()) == sorted(
        p.name for p in (ROOT / "docs").glob("*.md"))
    assert "service.md" in {p.name for p in pi.file("/opt/reverie/docs").iterdir()}
    assert pi.file("/etc/reverie/config.toml").read_text() == CONFIG_REFERENCE
    data = pi.file("/var/lib/reverie").stat()
    assert (data.st_uid, data.st_gid, stat.S_IMODE(data.st_mode)) == (pi.owner, pi.owner, 0o750)
    assert pi.config_txt.read_text() == CONFIG_TXT + BLOCK_REFERENCE
    assert pi.file("/etc/modules-load.d/reverie.conf").read_text().splitlines()[-1] == "i2c-dev"
    assert pi.file("/etc/systemd/system/reverie.service").read_bytes() == (
        ROOT / "systemd" / "reverie.service").read_bytes()
    assert not pi.file("/etc/systemd/system/reverie.service.d").exists()
    assert pi.enabled()
    lines = reverie_lines(done)
    assert lines[-1] == "reverie: reboot to apply the boot configuration: sudo reboot"
    assert sum("reboot" in l for l in done.stdout.splitlines()) == 1

    before = pi.tree()
    again = pi.make("install")
    assert again.returncode == 0, again.stdout + again.stderr
    assert pi.calls() == []
    assert pi.tree() == before
    assert reverie_lines(again) == ["reverie: installed already; nothing changed"]

    gone = pi.make("uninstall")
    assert gone.returncode == 0, gone.stdout + gone.stderr
    assert pi.calls() == ["systemctl disable --now reverie.service", "systemctl daemon-reload"]
    assert pi.config_txt.read_bytes() == CONFIG_TXT.encode()
    for path in ("/opt/reverie", "/etc/systemd/system/reverie.service", "/etc/modules-load.d/reverie.conf"):
        assert not pi.file(path).exists(), path
    assert pi.file("/etc/reverie/config.toml").read_text() == CONFIG_REFERENCE    # kept
    assert pi.file("/var/lib/reverie").is_dir() and "reverie" in pi.users()["passwd"]
    assert not pi.enabled()
    assert reverie_lines(gone) == [
        "reverie: removed the service, /opt/reverie and the boot configuration",
        "reverie: kept /etc/reverie/config.toml and /var/lib/reverie (PURGE=1 removes them and the user reverie)",
        "reverie: reboot to take the boot configuration back: sudo reboot"]

    purged = pi.make("uninstall", "PURGE=1")
    assert purged.returncode == 0, purged.stdout + purged.stderr
    assert pi.calls() == ["userdel reverie"]
    assert reverie_lines(purged) == ["reverie: removed /etc/reverie and /var/lib/reverie and the user reverie"]
    assert not pi.file("/etc/reverie").exists() and not pi.file("/var/lib/reverie").exists()
    assert "reverie" not in pi.users()["passwd"]
    assert all("reverie" not in members for members in pi.users().values())
    assert pi.config_txt.read_bytes() == CONFIG_TXT.encode()
    assert reverie_lines(pi.make("uninstall", "PURGE=1")) == ["reverie: not installed; nothing to remove"]


def test_a_changed_source_is_built_again_and_only_then(pi):
    assert pi.make("install").returncode == 0
    engine = pi.checkout / "firmware" / "reverie" / "core" / "engine.pyx"
    (engine.parent / "engine.so").write_bytes(b"a build product is not source")
    assert pi.make("install").returncode == 0
    assert pi.calls() == []
    engine.write_text(engine.read_text() + "\n# changed\n")
    done = pi.make("install")
    assert done.returncode == 0, done.stdout + done.stderr
    assert pi.calls() == BUILD[1:]                   # the venv is there already
    assert reverie_lines(done)[-2:] == ["reverie: installed Reverie into /opt/reverie/venv",
                                        "reverie: start it now with: sudo systemctl start reverie"]
    # while the service runs, a new build restarts it
    (pi.state / "active").touch()
    engine.write_text(engine.read_text() + "# changed again\n")
    done = pi.make("install")
    assert pi.calls() == BUILD[1:] + ["systemctl restart reverie.service"]
    assert reverie_lines(done)[-1] == "reverie: restarted reverie.service: it runs what was just installed"


def test_link_in_the_configuration_adds_the_network_drop_in_and_takes_it_away(pi):
    config = pi.file("/etc/reverie/config.toml")
    config.parent.mkdir(parents=True)
    mine = '[hardware]\nbox = "minimal"\n\n[sync]\nsource = "link"\n'
    config.write_text(mine)
    done = pi.make("install")
    assert done.returncode == 0, done.stdout + done.stderr
    network = pi.file("/etc/systemd/system/reverie.service.d/network.conf")
    assert network.read_bytes() == (ROOT / "systemd" / "network.conf").read_bytes()
    assert config.read_text() == mine                          # never overwritten
    assert "box minimal, audio HAT HiFiBerry DAC+" in pi.config_txt.read_text()
    assert pi.make("install").returncode == 0 and pi.calls() == []

    config.write_text('[hardware]\nbox = "minimal"\n')
    done = pi.make("install")
    assert done.returncode == 0, done.stdout + done.stderr
    assert pi.calls() == ["systemctl daemon-reload"]
    assert not pi.file("/etc/systemd/system/reverie.service.d").exists()


def test_a_box_of_ones_own_an_spi_display_and_an_older_boot_folder(pi):
    pi.config_txt.unlink()
    (pi.root / "boot" / "firmware").rmdir()
    old = pi.file("/boot/config.txt")
    old.write_text("dtparam=audio=on")                 # no line break at the end
    box = pi.top / "home" / "mybox.toml"
    box.parent.mkdir()
    box.write_text('name = "mine"\ngpio = "auto"\npads = "midi"\naudio = "waveshare-wm8960"\n'
                   '[keys]\nPLAY = 5\n[display]\ndriver = "ssd1306"\nbus = "spi"\n')
    done = pi.make("install", f"BOX={box}")
    assert done.returncode == 0, done.stdout + done.stderr
    assert pi.file("/etc/reverie/boxes/mybox.toml").read_bytes() == box.read_bytes()
    assert 'box = "/etc/reverie/boxes/mybox.toml"' in pi.file("/etc/reverie/config.toml").read_text()
    assert old.read_text() == (
        "dtparam=audio=on\n"
        "# >>> reverie: the box's boot configuration (sudo make uninstall removes this block)"
        " [after a line break it added]\n"
        "# box mine, audio HAT Waveshare WM8960\n[all]\n"
        "dtparam=spi=on\ndtparam=audio=off\ndtparam=i2s=on\ndtoverlay=wm8960-soundcard\n"
        "# <<< reverie\n")
    assert not pi.file("/etc/modules-load.d/reverie.conf").exists()      # no I2C display
    assert pi.make("install", f"BOX={box}").returncode == 0 and pi.calls() == []

    # the box file changes: the block is replaced where it is, the rest stays
    old.write_text(old.read_text() + "# a line of the owner's own\n")
    box.write_text(box.read_text().replace('"spi"', '"i2c"'))
    done = pi.make("install", f"BOX={box}")
    assert done.returncode == 0, done.stdout + done.stderr
    text = old.read_text()
    assert "dtparam=i2c_arm=on\ndtparam=audio=off" in text and "spi=on" not in text
    assert text.endswith("# <<< reverie\n# a line of the owner's own\n")
    assert reverie_lines(done)[-1] == "reverie: reboot to apply the boot configuration: sudo reboot"

    # the line break it added stays when a line follows the block: lines are never joined
    assert pi.make("uninstall").returncode == 0
    assert old.read_text() == "dtparam=audio=on\n# a line of the owner's own\n"


def test_without_a_boot_configuration_the_rest_installs(pi):
    pi.config_txt.unlink()
    done = pi.make("install", "BOX=minimal")
    assert done.returncode == 0, done.stdout + done.stderr
    assert "reverie: no /boot/firmware/config.txt (not a Raspberry Pi?): the boot configuration " \
           "is left out" in reverie_lines(done)
    assert pi.enabled() and pi.file("/etc/reverie/config.toml").is_file()


@pytest.mark.parametrize("box, config, line", [
    ("nosuchbox", None, 'reverie: no box named "nosuchbox"; shipped: minimal, reference, simulator'),
    ("minimal", '[hardware]\nbox = "reference"\n',
     'reverie: /etc/reverie/config.toml names the box "reference", not "minimal": '
     "change [hardware] box there, or leave out BOX"),
    ("", "[hardware]\nbox = 3\n", "reverie: "),       # the box would start on factory settings:
    ("", "[hardware\n", "reverie: "),                 # the installer must not guess the box
], ids=["no-such-box", "another-box", "bad-value", "not-toml"])
def test_a_refused_install_says_one_line_and_changes_nothing(pi, box, config, line):
    if config is not None:
        pi.file("/etc/reverie/config.toml").parent.mkdir(parents=True)
        pi.file("/etc/reverie/config.toml").write_text(config)
    (pi.root / "boot" / "firmware" / "config.txt").write_text(CONFIG_TXT + BLOCK_REFERENCE)
    before = pi.tree()
    done = pi.make("install", *([f"BOX={box}"] if box else []))
    assert done.returncode == 2                       # make's code for a failed recipe
    assert reverie_lines(done)[0].startswith(line) and len(reverie_lines(done)) == 1, done.stdout
    if not box:
        assert "/etc/reverie/config.toml" in reverie_lines(done)[0]
    assert pi.calls() == [] and pi.tree() == before


@pytest.mark.parametrize("action", ["install", "uninstall"])
def test_as_a_user_one_line_says_to_use_sudo(pi, action):
    before = pi.tree()
    done = pi.make(action, as_user=True)
    assert done.returncode == 2
    assert reverie_lines(done) == [f"reverie: {action}ing Reverie as a service needs root: sudo make {action}"]
    assert pi.calls() == [] and pi.tree() == before
