"""The shipped unit, checked offline by systemd itself: it verifies without a word, it rates
"OK" or better in `systemd-analyze security`, it runs a command line the CLI accepts, and the
network drop-in (for Ableton Link) opens exactly the Internet families."""
import json
import re
import shlex
import shutil
import subprocess
from pathlib import Path

import pytest

from reverie.app.cli import build_parser

ROOT = Path(__file__).resolve().parents[2]
UNIT = ROOT / "systemd" / "reverie.service"
NETWORK = ROOT / "systemd" / "network.conf"
ANALYZE = shutil.which("systemd-analyze")
OK_AT_MOST = 4.9                 # systemd's scale: up to 4.9 is "OK", below 2 "SAFE"


def offline_copy(tmp_path, *drop_ins) -> Path:
    """The unit as systemd would read it with its drop-ins, runnable here: the program path
    exists only on the box, so /bin/true stands in for it."""
    text = UNIT.read_text()
    for d in drop_ins:
        text += "\n" + d.read_text()
    text = re.sub(r"^ExecStart=\S+", "ExecStart=/bin/true", text, flags=re.M)
    unit = tmp_path / "reverie.service"
    unit.write_text(text)
    return unit


def analyze(*args):
    if ANALYZE is None:
        pytest.fail("systemd-analyze is missing: install the Debian package systemd")
    return subprocess.run([ANALYZE, *args], capture_output=True, text=True, timeout=60)


def exposure(unit: Path) -> tuple[float, dict[str, bool]]:
    done = analyze("security", "--offline=true", str(unit))
    level = re.search(r"Overall exposure level for reverie.service: ([\d.]+) (\w+)", done.stdout)
    settings = {s["json_field"]: s["set"] for s in
                json.loads(analyze("security", "--offline=true", "--json=short", str(unit)).stdout)}
    return float(level.group(1)), settings


@pytest.mark.parametrize("drop_ins", [(), (NETWORK,)], ids=["shipped", "with-network"])
def test_unit_verifies_without_a_word(tmp_path, drop_ins):
    done = analyze("verify", "--man=no", str(offline_copy(tmp_path, *drop_ins)))
    # systemd-analyze exits 0 on warnings: any output at all is a problem
    assert done.returncode == 0 and done.stdout == "" and done.stderr == "", done.stdout + done.stderr


def test_unit_rates_ok_with_only_the_data_directory_writable_and_no_network(tmp_path):
    level, s = exposure(offline_copy(tmp_path))
    assert level <= OK_AT_MOST
    assert s["ProtectSystem"] and s["ProtectHome"] and s["PrivateTmp"]
    assert s["RestrictAddressFamilies_AF_INET_INET6"] and s["RestrictAddressFamilies_AF_NETLINK"]
    assert s["IPAddressDeny"] and s["NoNewPrivileges"] and s["CapabilityBoundingSet_CAP_SYS_ADMIN"]
    text = UNIT.read_text()
    assert "DevicePolicy=closed" in text.splitlines()
    assert sorted(re.findall(r"^DeviceAllow=char-(\S+)", text, re.M)) == [
        "alsa", "bcm2835-gpiomem", "gpiochip", "i2c", "input", "spi"]
    assert re.findall(r"^(StateDirectory|ReadWritePaths)=(.*)$", text, re.M) == [("StateDirectory", "reverie")]


def test_the_network_drop_in_opens_the_internet_families_only(tmp_path):
    level, s = exposure(offline_copy(tmp_path, NETWORK))
    assert level <= OK_AT_MOST
    assert not s["RestrictAddressFamilies_AF_INET_INET6"] and not s["IPAddressDeny"]
    assert s["RestrictAddressFamilies_AF_PACKET"] and s["RestrictAddressFamilies_OTHER"]


def test_exec_start_is_a_command_line_the_cli_takes():
    line = re.search(r"^ExecStart=(.*)$", UNIT.read_text(), re.M).group(1)
    argv = shlex.split(line)
    assert argv[0] == "/opt/reverie/venv/bin/reverie"
    args = build_parser().parse_args(argv[1:])
    assert (args.command, args.config, args.data_dir) == ("run", "/etc/reverie/config.toml", "/var/lib/reverie")


def test_the_service_is_notify_with_a_watchdog_and_real_time_limits():
    service = dict(re.findall(r"^(\w+)=(.*)$", UNIT.read_text(), re.M))
    assert service["Type"] == "notify" and service["NotifyAccess"] == "main"
    assert 0 < int(service["WatchdogSec"]) <= 30
    assert int(service["LimitRTPRIO"]) >= 70 and service["LimitMEMLOCK"] == "infinity"
    assert service["User"] == "reverie" and service["Group"] == "reverie"
