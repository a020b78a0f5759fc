"""`reverie doctor`'s checks on a fake machine: a folder laid out like / with the files a
Raspberry Pi has, and fixed answers for the process facts."""
import resource
from pathlib import Path

import pytest

from reverie.hal.health import Facts, Needs, check_all

MB = 2**20


def machine(tmp_path: Path, governor="performance", throttled="0x0", i2c=True, spi=False,
            gpiochip=True, seq=True) -> Path:
    root = tmp_path / "root"
    for cpu in range(4):
        f = root / f"sys/devices/system/cpu/cpu{cpu}/cpufreq/scaling_governor"
        f.parent.mkdir(parents=True)
        f.write_text(f"{governor}\n")
    t = root / "sys/devices/platform/soc/soc:firmware/get_throttled"
    t.parent.mkdir(parents=True)
    t.write_text(f"{throttled}\n")
    dev = root / "dev"
    (dev / "snd").mkdir(parents=True)
    for wanted, name in ((i2c, "i2c-1"), (spi, "spidev0.0"), (gpiochip, "gpiochip0"), (seq, "snd/seq")):
        if wanted:
            (dev / name).write_text("")
    return root


def facts(rtprio=95, memlock=resource.RLIM_INFINITY, devices=("snd_rpi_hifiberry_dacplus: HiFiBerry DAC+",),
          ports=("Launchpad Mini:Launchpad Mini MIDI 1 20:0",), free_mb=20_000.0, writable=True,
          privileged=False):
    limits = {resource.RLIMIT_RTPRIO: rtprio, resource.RLIMIT_MEMLOCK: memlock}
    return Facts(rlimit=lambda which: (limits[which], limits[which]),
                 audio_devices=lambda: list(devices), midi_ports=lambda api: list(ports),
                 disk_free_mb=lambda p: free_mb, writable=lambda p: writable,
                 privileged=lambda: privileged)


def findings(tmp_path, needs_kw=None, **kw):
    machine_kw = {k: kw.pop(k) for k in list(kw) if k in ("governor", "throttled", "i2c", "spi", "gpiochip", "seq")}
    root = machine(tmp_path, **machine_kw)
    data = tmp_path / "data"
    data.mkdir()
    needs = Needs(audio_device="hifiberry", display_bus="i2c", gpio=True, data_dir=data,
                  **(needs_kw or {}))
    return {f.name: f for f in check_all(needs, root, facts(**kw))}


def test_a_well_set_up_pi_has_no_problem(tmp_path):
    found = findings(tmp_path)
    assert len(found) == 10
    assert all(f.ok for f in found.values()), [f.line() for f in found.values() if not f.ok]
    assert found["MIDI"].detail == "alsa: Launchpad Mini:Launchpad Mini MIDI 1 20:0"


@pytest.mark.parametrize("kw,name,detail,fix", [
    (dict(rtprio=0), "real-time priority", "at most 0 allowed", "rtprio 95"),
    (dict(memlock=64 * MB), "locked memory", "at most 64 MB", "memlock unlimited"),
    (dict(governor="ondemand"), "CPU governor", "ondemand", "echo performance | sudo tee"),
    (dict(throttled="0x50005"), "power", "flags 0x50005", "supply"),
    (dict(devices=()), "audio device", "no audio output device", "aplay -l"),
    (dict(devices=("bcm2835 Headphones",)), "audio device", "no output matches 'hifiberry'", "reverie devices"),
    (dict(i2c=False), "display bus", "dev/i2c-1 is missing", "dtparam=i2c_arm=on"),
    (dict(gpiochip=False), "GPIO", "no /dev/gpiochip*", "not a Raspberry Pi"),
    (dict(seq=False), "MIDI", "no ALSA sequencer", "sudo modprobe snd-seq"),
    (dict(free_mb=120.0), "free disk", "only 120 MB free", "free some space"),
    (dict(writable=False), "data directory", "is not writable", "sudo chown -R $USER"),
])
def test_each_problem_is_found_with_the_command_that_fixes_it(tmp_path, kw, name, detail, fix):
    found = findings(tmp_path, **kw)
    f = found[name]
    assert not f.ok
    assert detail in f.detail and fix in f.fix
    assert f.line().startswith(f"FIX  {name}: ") and "\n     -> " in f.line()


def test_root_needs_no_limits_and_a_box_without_oled_or_gpio_needs_no_bus(tmp_path):
    found = findings(tmp_path, needs_kw={}, rtprio=0, memlock=0, privileged=True, i2c=False)
    assert found["real-time priority"].ok and found["locked memory"].ok
    root = machine(tmp_path / "bare", i2c=False, gpiochip=False)
    bare = {f.name: f for f in check_all(Needs(display_bus="", gpio=False, data_dir=tmp_path / "new"),
                                          root, facts())}
    assert bare["display bus"].ok and bare["GPIO"].ok
    assert bare["data directory"].ok and "will be made" in bare["data directory"].detail


def test_a_machine_without_frequency_scaling_or_pi_firmware_is_fine(tmp_path):
    empty = tmp_path / "root"
    (empty / "dev/snd").mkdir(parents=True)
    (empty / "dev/snd/seq").write_text("")
    found = {f.name: f for f in check_all(Needs(display_bus="", data_dir=tmp_path), empty, facts())}
    assert found["CPU governor"].ok and "no frequency scaling" in found["CPU governor"].detail
    assert found["power"].ok
