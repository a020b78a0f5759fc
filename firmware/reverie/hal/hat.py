"""Audio HAT presets: what a box's audio board takes from the Pi, as data
(reverie/hal/hats/*.toml): the ALSA card name it shows, the boot configuration lines it
needs, the header pins it uses (I2S, SPI0, its own GPIOs) and the addresses its chips answer
on I2C bus 1. A box file names its HAT (`audio = "hifiberry-dacplus"`); the box check then
keeps those pins free (reverie.hal.box). docs/hardware.md says where each figure comes from.
"""
from __future__ import annotations

import tomllib
from dataclasses import dataclass
from pathlib import Path

from reverie.base.errors import UserError
from reverie.hal.header import HAT_ID_PINS, I2C_PINS, I2S_PINS, MAX_PIN, PIN_NAMES, SPI0_PINS

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
    text = str(name_or_path)
    is_path = isinstance(name_or_path, Path) or "/" in text or text.endswith(".toml")
    path = Path(text).expanduser() if is_path else hats_dir / f"{text}.toml"
    if not path.is_file():
        what = f"{path}: no such HAT preset file" if is_path else f'no HAT preset named "{text}"'
        raise UserError(f"{what}; shipped presets: {', '.join(hat_names(hats_dir))}")
    try:
        data = tomllib.loads(path.read_text(encoding="utf-8"))
    except (OSError, UnicodeDecodeError) as exc:
        raise UserError(f"{path}: cannot read it ({exc.__class__.__name__})") from None
    except tomllib.TOMLDecodeError as exc:
        raise UserError(f"{path}: not valid TOML ({exc})") from None
    return hat_from_dict(data, source=str(path), key=path.stem)


# setting -> (the values one item may take, what one item is), for the lists
_LISTS = {
    "boot_config": (str, "text in quotes"),
    "i2s_pins": (set(I2S_PINS), f"an I2S pin (BCM {', '.join(map(str, I2S_PINS))})"),
    "i2c_addresses": (range(0x08, 0x78), "an I2C address (0x08..0x77)"),
    "spi_pins": (set(SPI0_PINS), f"an SPI0 pin (BCM {', '.join(map(str, SPI0_PINS))})"),
    "gpio_pins": (set(range(2, MAX_PIN + 1)) - set(HAT_ID_PINS), f"a header GPIO (BCM 2..{MAX_PIN})"),
}


def hat_from_dict(data: dict, source: str = "HAT preset", key: str = "hat") -> Hat:
    """A validated Hat from parsed TOML; the first problem is a one-line UserError."""
    def error(text: str) -> UserError:
        return UserError(f"{source}: {text}")

    known = ("name", "device", *_LISTS)
    for setting in data:
        if setting not in known:
            raise error(f"unknown setting {setting}; known: {', '.join(known)}")
    if not isinstance(data.get("name"), str) or not data["name"]:
        raise error("name must be the HAT's name, in quotes")
    if not isinstance(data.get("device", ""), str):
        raise error("device must be text in quotes (a part of the ALSA card name)")
    values = {}
    for setting, (allowed, words) in _LISTS.items():
        items = data.get(setting, [])
        if not isinstance(items, list):
            raise error(f"{setting} must be a list [...], each {words}")
        for item in items:
            ok = isinstance(item, str) if allowed is str else \
                isinstance(item, int) and not isinstance(item, bool) and item in allowed
            if not ok:
                raise error(f"{setting}: {item!r} is not {words}")
        if len(set(items)) != len(items):
            raise error(f"{setting} lists a value twice")
        values[setting] = tuple(items)
    pins = values["i2s_pins"] + values["spi_pins"] + values["gpio_pins"]
    for pin in set(pins):
        if pins.count(pin) > 1 or (pin in I2C_PINS and values["i2c_addresses"]):
            raise error(f"BCM {pin} is listed twice (a bus's pins are listed with the bus only)")
    return Hat(key=key, name=data["name"], source=source, device=data.get("device", ""), **values)
