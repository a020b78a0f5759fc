"""What the machine gives the box, checked one fact at a time for `reverie doctor`: real-time
limits, the CPU governor, power, the audio device, I2C/SPI/GPIO devices, MIDI, free disk and
the data directory. Each check says what it found and, when that is a problem, the command
that fixes it.

Every path is read below `root` (normally "/"), and the process facts come from `Facts`, so
the tests check a whole fake machine.
"""
from __future__ import annotations

import os
import resource
import shutil
from dataclasses import dataclass, field
from pathlib import Path
from typing import Callable

from reverie.base.errors import UserError

RT_PRIORITY_NEEDED = 70          # PortAudio/JACK ask for priorities up to about 70-90
FREE_DISK_NEEDED_MB = 500        # a project history and an hour of recording fit easily
GOVERNOR_WANTED = "performance"  # a changing clock adds latency and xruns at small periods


@dataclass(frozen=True)
class Finding:
    name: str
    ok: bool
    detail: str
    fix: str = ""                # a command (or a line to add) that fixes it; "" when ok

    def line(self) -> str:
        if self.ok:
            return f"ok   {self.name}: {self.detail}"
        return f"FIX  {self.name}: {self.detail}\n     -> {self.fix}"


@dataclass
class Facts:
    """What the checks ask the running process; the tests give fixed answers."""
    rlimit: Callable[[int], tuple[int, int]] = resource.getrlimit
    audio_devices: Callable[[], list[str]] = field(default=lambda: _portaudio_outputs())
    midi_ports: Callable[[str], list[str]] = field(default=lambda api: _midi_ports(api))
    disk_free_mb: Callable[[Path], float] = field(
        default=lambda p: shutil.disk_usage(p).free / 2**20)
    writable: Callable[[Path], bool] = field(default=lambda p: _writable(p))
    privileged: Callable[[], bool] = field(default=lambda: os.geteuid() == 0)   # root: no RT limits


@dataclass(frozen=True)
class Needs:
    """What this box needs, from its configuration and box file."""
    audio_device: str = "default"
    display_bus: str = ""         # "i2c", "spi" or "" (no OLED)
    display_port: int = 1
    gpio: bool = False
    midi_api: str = "alsa"
    data_dir: Path = Path("/var/lib/reverie")


def check_all(needs: Needs, root: Path = Path("/"), facts: Facts | None = None) -> list[Finding]:
    facts = facts or Facts()
    checks = [rt_priority, locked_memory, cpu_governor, power, audio_device, display_bus, gpio,
              midi, data_dir, free_disk]
    return [check(needs, root, facts) for check in checks]


def rt_priority(needs: Needs, root: Path, facts: Facts) -> Finding:
    if facts.privileged():
        return Finding("real-time priority", True, "root: any priority")
    soft, _ = facts.rlimit(resource.RLIMIT_RTPRIO)
    if soft == resource.RLIM_INFINITY or soft >= RT_PRIORITY_NEEDED:
        return Finding("real-time priority", True, f"up to {_limit(soft)} allowed")
    return Finding("real-time priority", False,
                   f"at most {soft} allowed: the audio thread cannot run real-time",
                   "run it as the service (sudo make install), or: echo '@audio - rtprio 95' | "
                   "sudo tee /etc/security/limits.d/reverie.conf && sudo usermod -aG audio $USER "
                   "(then log in again)")


def locked_memory(needs: Needs, root: Path, facts: Facts) -> Finding:
    if facts.privileged():
        return Finding("locked memory", True, "root: no limit")
    soft, _ = facts.rlimit(resource.RLIMIT_MEMLOCK)
    if soft == resource.RLIM_INFINITY:
        return Finding("locked memory", True, "unlimited")
    return Finding("locked memory", False,
                   f"at most {soft // 2**20} MB: audio memory can be paged out and glitch",
                   "run it as the service (sudo make install), or: echo '@audio - memlock unlimited' | "
                   "sudo tee -a /etc/security/limits.d/reverie.conf (then log in again)")


def cpu_governor(needs: Needs, root: Path, facts: Facts) -> Finding:
    files = sorted((root / "sys/devices/system/cpu").glob("cpu[0-9]*/cpufreq/scaling_governor"))
    if not files:
        return Finding("CPU governor", True, "no frequency scaling on this machine")
    governors = {_read(f) for f in files}
    if governors == {GOVERNOR_WANTED}:
        return Finding("CPU governor", True, GOVERNOR_WANTED)
    return Finding("CPU governor", False,
                   f"{', '.join(sorted(governors))}: the clock speed changes under the audio thread",
                   f"echo {GOVERNOR_WANTED} | sudo tee /sys/devices/system/cpu/cpu*/cpufreq/scaling_governor")


def power(needs: Needs, root: Path, facts: Facts) -> Finding:
    path = root / "sys/devices/platform/soc/soc:firmware/get_throttled"
    if not path.is_file():
        return Finding("power", True, "no Raspberry Pi throttling report here")
    try:
        bits = int(_read(path), 16)
    except ValueError:
        return Finding("power", True, f"unreadable throttling report {_read(path)!r}")
    if bits & 0x50005 == 0:      # under-voltage or throttling, now or since boot
        return Finding("power", True, "no under-voltage or throttling since boot")
    return Finding("power", False, f"under-voltage or throttling seen (flags {bits:#x})",
                   "use a 5.1 V / 3 A (Pi 4) or 5 A (Pi 5) supply and a short thick cable")


def audio_device(needs: Needs, root: Path, facts: Facts) -> Finding:
    try:
        names = facts.audio_devices()
    except (OSError, UserError) as exc:
        return Finding("audio device", False, f"PortAudio does not start ({exc})",
                       "sudo apt-get install libportaudio2")
    if not names:
        return Finding("audio device", False, "no audio output device",
                       "plug in the audio HAT or USB interface; `aplay -l` lists what ALSA sees")
    want = needs.audio_device
    if want == "default" or any(want.lower() in n.lower() for n in names):
        return Finding("audio device", True, f"{want!r} among {len(names)} output(s)")
    return Finding("audio device", False, f"no output matches {want!r}; there are: {', '.join(names)}",
                   "set [audio] device to a part of one of those names (`reverie devices`)")


def display_bus(needs: Needs, root: Path, facts: Facts) -> Finding:
    if needs.display_bus == "i2c":
        dev = root / f"dev/i2c-{needs.display_port}"
        fix = "sudo make install (sets dtparam=i2c_arm=on), or: sudo raspi-config nonint do_i2c 0; then reboot"
    elif needs.display_bus == "spi":
        dev = root / f"dev/spidev{needs.display_port}.0"
        fix = "sudo make install (sets dtparam=spi=on), or: sudo raspi-config nonint do_spi 0; then reboot"
    else:
        return Finding("display bus", True, "no OLED on this box")
    return _device("display bus", dev, fix, facts)


def gpio(needs: Needs, root: Path, facts: Facts) -> Finding:
    if not needs.gpio:
        return Finding("GPIO", True, "this box uses no GPIO")
    chips = sorted((root / "dev").glob("gpiochip*"))
    if not chips:
        return Finding("GPIO", False, "no /dev/gpiochip*", "this is not a Raspberry Pi, or its kernel lacks GPIO")
    return _device("GPIO", chips[0], "sudo usermod -aG gpio $USER (then log in again)", facts)


def midi(needs: Needs, root: Path, facts: Facts) -> Finding:
    if needs.midi_api == "alsa" and not (root / "dev/snd/seq").exists():
        return Finding("MIDI", False, "no ALSA sequencer (/dev/snd/seq)", "sudo modprobe snd-seq")
    try:
        ports = facts.midi_ports(needs.midi_api)
    except Exception as exc:      # rtmidi raises its own error types; the check must go on
        return Finding("MIDI", False, f"cannot list MIDI ports ({exc})",
                       "check [midi] api (\"alsa\" on the box, \"jack\" with a JACK server)")
    shown = ", ".join(ports) if ports else "none plugged in"
    return Finding("MIDI", True, f"{needs.midi_api}: {shown}")


def data_dir(needs: Needs, root: Path, facts: Facts) -> Finding:
    d = needs.data_dir
    if not d.exists():
        parent = next(p for p in d.parents if p.exists())
        if facts.writable(parent):
            return Finding("data directory", True, f"{d} will be made at the first start")
        return Finding("data directory", False, f"{d} does not exist and {parent} is not writable",
                       f"sudo install -d -o $USER {d}  (the service's installer makes it)")
    if not facts.writable(d):
        return Finding("data directory", False, f"{d} is not writable: nothing can be saved",
                       f"sudo chown -R $USER {d}")
    return Finding("data directory", True, f"{d} is writable")


def free_disk(needs: Needs, root: Path, facts: Facts) -> Finding:
    where = needs.data_dir if needs.data_dir.exists() else root
    free = facts.disk_free_mb(where)
    if free >= FREE_DISK_NEEDED_MB:
        return Finding("free disk", True, f"{free:.0f} MB free at {where}")
    return Finding("free disk", False, f"only {free:.0f} MB free at {where}: saves and recordings may fail",
                   "free some space (old recordings are in the data directory's recordings/)")


def _device(name: str, dev: Path, fix: str, facts: Facts) -> Finding:
    if not dev.exists():
        return Finding(name, False, f"{dev} is missing", fix)
    if not facts.writable(dev):
        return Finding(name, False, f"{dev} is not accessible to this user",
                       "sudo usermod -aG i2c,spi,gpio $USER (then log in again)")
    return Finding(name, True, f"{dev}")


def _writable(path: Path) -> bool:
    """A folder we can create files in, or a device we can open for reading and writing."""
    return os.access(path, os.W_OK | (os.X_OK if path.is_dir() else os.R_OK))


def _read(path: Path) -> str:
    try:
        return path.read_text().strip()
    except OSError:
        return ""


def _limit(value: int) -> str:
    return "unlimited" if value == resource.RLIM_INFINITY else str(value)


def _portaudio_outputs() -> list[str]:
    from reverie.hal.audio.output import list_output_devices

    return [d.label for d in list_output_devices()]


def _midi_ports(api: str) -> list[str]:
    from reverie.hal.midi.ports import list_input_names, list_output_names

    return sorted(set(list_input_names(api)) | set(list_output_names(api)))
