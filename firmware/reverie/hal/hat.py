"""Audio HAT presets: what a box's audio board takes from the Pi, as data
(reverie/hal/hats/*.toml): the ALSA card name it shows, the boot configuration lines it
needs, the header pins it uses (I2S, SPI0, its own GPIOs) and the addresses its chips answer
on I2C bus 1. A box file names its HAT (`audio = "hifiberry-dacplus"`); the box check then
keeps those pins free (reverie.hal.box). docs/hardware.md says where each figure comes from.
"""
from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from reverie.base.validate import REQUIRED, Check, at, named_file, read_toml
from reverie.hal.header import I2C_PINS, I2S_PINS, MAX_PIN, PIN_NAMES, SPI0_PINS

HATS_DIR = Path(__file__).resolve().parent / "hats"     # package data


@dataclass(frozen=True)
class Hat:
    key: str                        # the preset's file name without .toml
    name: str
    source: str                     # the TOML it came from
    device: str = ""                # a part of the ALSA card name PortAudio shows
    boot_config: tuple[str, ...] = ()        # /boot/firmware/config.txt lines
    i2s_pins: tuple[int, ...] = ()
    i2c_addresses: tuple[int, ...] = ()      # on I2C bus 1 (BCM 2, 3), which others may share
    spi_pins: tuple[int, ...] = ()
    gpio_pins: tuple[int, ...] = ()          # other pins the board wires (buttons, resets...)

    def pins(self) -> dict[int, str]:
        """Every header pin the HAT takes: BCM number -> what it is for."""
        taken = {p: PIN_NAMES[p] for p in self.i2s_pins + self.spi_pins}
        if self.i2c_addresses:
            taken |= {p: PIN_NAMES[p] for p in I2C_PINS}
        return taken | {p: "its own GPIO" for p in self.gpio_pins}


def hat_names(hats_dir: Path = HATS_DIR) -> list[str]:
    return sorted(p.stem for p in hats_dir.glob("*.toml"))


def load_hat(name_or_path: str | Path, hats_dir: Path = HATS_DIR) -> Hat:
    """The preset named `name_or_path` in reverie/hal/hats/, or the TOML file at that path."""
    path = named_file(name_or_path, hats_dir, "HAT preset")
    data = read_toml(path)
    return hat_from_dict(data, source=str(path), key=path.stem)


# setting -> (the values one item may take, what one item is), for the lists
_LISTS = {
    "boot_config": (None, "lines of text"),
    "i2s_pins": (I2S_PINS, "I2S pins"),
    "i2c_addresses": (tuple(range(0x08, 0x78)), "I2C addresses (0x08..0x77)"),
    "spi_pins": (SPI0_PINS, "SPI0 pins"),
    "gpio_pins": ((), f"header GPIOs (BCM 2..{MAX_PIN})"),
}
_SETTINGS = {"name": (str, REQUIRED), "device": (str, ""), **{k: (list, []) for k in _LISTS}}


def hat_from_dict(data: dict, source: str = "HAT preset", key: str = "hat") -> Hat:
    """A validated Hat from parsed TOML; the first problem is a one-line UserError."""
    check = Check(source)
    s = check.settings(data, "", _SETTINGS)
    check.text(s["name"], "name", least=1)
    values = {}
    for setting, (allowed, noun) in _LISTS.items():
        items = check.items(s[setting], setting, noun=noun)
        for i, item in enumerate(items):
            if allowed is None:
                check.text(item, at(setting, i))
            elif setting == "i2c_addresses":
                check.number(item, at(setting, i), 0x08, 0x77, whole=True)
            elif setting == "gpio_pins":
                check.number(item, at(setting, i), 2, MAX_PIN, "(BCM GPIO; 0 and 1 belong to the "
                             "HAT ID EEPROM)", whole=True)
            else:
                check.choice(item, at(setting, i), allowed)
        if len(set(items)) != len(items):
            raise check.error(f"{setting} lists a value twice")
        values[setting] = tuple(items)
    pins = values["i2s_pins"] + values["spi_pins"] + values["gpio_pins"]
    for pin in set(pins):
        if pins.count(pin) > 1 or (pin in I2C_PINS and values["i2c_addresses"]):
            raise check.error(f"BCM {pin} is listed twice (a bus's pins are listed with the bus only)")
    return Hat(key=key, name=s["name"], source=source, device=s["device"], **values)
