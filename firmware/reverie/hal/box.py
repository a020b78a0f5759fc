"""Box definitions: which pins a box's keys, key matrix and encoders use, where its pads come
from, its display and its audio HAT. Pin maps are data (reverie/hal/boxes/*.toml), loaded once and
validated here with one-line messages naming the file and the setting (docs/hardware.md). The
HAT is named by its preset (reverie/hal/hats/, reverie.hal.hat), whose pins stay free.

Pins are BCM GPIO numbers. Keys are active low: a switch to ground, the pin's pull-up on.
Indexes (encoders[0], matrix.cells[r][c], "pad N") count from 0, like the input events.
"""
from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path
from types import MappingProxyType
from typing import Mapping

from reverie.base import events
from reverie.base.errors import UserError
from reverie.base.validate import REQUIRED, Check, at, named_file, read_toml
from reverie.hal.hat import Hat, load_hat
from reverie.hal.header import HAT_ID_PINS, I2C_PINS, MAX_PIN, SPI0_PINS

BOXES_DIR = Path(__file__).resolve().parent / "boxes"     # package data

GPIO_BACKENDS = ("auto", "rpigpio", "lgpio", "mock", "none")
PAD_SOURCES = ("matrix", "midi", "keyboard")
DISPLAY_DRIVERS = ("ssd1306", "sh1106", "terminal", "none")
OLED_DRIVERS = ("ssd1306", "sh1106")
BUSES = ("i2c", "spi")
TRANSITIONS_PER_DETENT = (4, 2, 1)
SPI_SPEEDS_HZ = tuple(int(mhz * 1_000_000) for mhz in (0.5, 1, 2, 4, 8, 16, 20, 24, 28, 32))
LEGACY_I2S_HAT = "generic-i2s"      # what an older box file's `i2s = true` names


@dataclass(frozen=True)
class Encoder:
    a: int
    b: int
    push: str = ""                  # its push switch's key name ("ENC1"), a direct key or a cell
    transitions_per_detent: int = 4
    reversed: bool = False
    accelerate: bool = True


@dataclass(frozen=True)
class Matrix:
    rows: tuple[int, ...]           # driven low one at a time
    columns: tuple[int, ...]        # read with pull-ups; a diode per switch
    cells: tuple[tuple[str, ...], ...]   # [row][column]: a key name, "pad N" or "" (none)

    def named_cells(self):
        """(row, column, name) of every used cell, row by row."""
        return [(r, c, name) for r, row in enumerate(self.cells)
                for c, name in enumerate(row) if name]


@dataclass(frozen=True)
class Display:
    driver: str = "none"            # "ssd1306", "sh1106", "terminal" (the simulator) or "none"
    bus: str = "i2c"
    port: int = 1                   # I2C bus 1, or SPI0
    address: int = 0x3C             # I2C only
    device: int = 0                 # SPI chip select: CE0 or CE1
    dc: int = 24                    # SPI data/command pin
    reset: int = 25                 # SPI reset pin, -1 when the module has none
    speed_hz: int = 8_000_000       # SPI clock
    rotate: int = 0                 # quarter turns
    contrast: int = 255


@dataclass(frozen=True)
class Box:
    name: str
    source: str                     # the TOML it came from
    description: str = ""
    gpio: str = "none"              # pin factory: see reverie.hal.gpio.pins.make_pin_factory
    keys: Mapping[str, int] = field(default_factory=lambda: MappingProxyType({}))
    matrix: Matrix | None = None
    encoders: tuple[Encoder, ...] = ()
    pads: str = "keyboard"          # where pads come from: "matrix", "midi" or "keyboard"
                                    # (these defaults make a box with no GPIO; the TOML's
                                    # are in docs/hardware.md)
    pad_velocity: int = 100         # GPIO pads have no velocity: every hit plays this
    display: Display = field(default_factory=Display)
    audio: Hat | None = None        # its audio HAT's preset; None: no HAT (USB or the Pi's own)

    def key_names(self) -> tuple[str, ...]:
        """Every key the box has, direct or in the matrix, in events.KEYS order."""
        cells = {n for _, _, n in self.matrix.named_cells()} if self.matrix else set()
        return tuple(k for k in events.KEYS if k in self.keys or k in cells)


def load_box(name_or_path: str | Path, boxes_dir: Path = BOXES_DIR) -> Box:
    """The box named `name_or_path` in reverie/hal/boxes/, or the TOML file at that path."""
    path = named_file(name_or_path, boxes_dir, "box")
    data = read_toml(path)
    return box_from_dict(data, source=str(path), default_name=path.stem)


def box_from_dict(data: dict, source: str = "box", default_name: str = "box") -> Box:
    """A validated Box from parsed TOML; the first problem is a one-line UserError."""
    check = Check(source)
    check.table(data, "", (*_TOP, *_SECTIONS))
    s = check.settings({k: v for k, v in data.items() if k in _TOP}, "", _TOP)
    check.choice(s["gpio"], "gpio", GPIO_BACKENDS)
    if s["pads"] is not None:
        check.choice(s["pads"], "pads", PAD_SOURCES)
    check.number(s["pad_velocity"], "pad_velocity", 1, 127, whole=True)
    hat = _audio(check, s["audio"], s["i2s"])
    display = _display(check, data.get("display", {}))
    keys = _keys(check, data.get("keys", {}))
    matrix = _matrix(check, data["matrix"], keys) if "matrix" in data else None
    encoders = _encoders(check, data.get("encoders", []), keys, matrix)
    _pins(check, keys, matrix, encoders, display, hat)
    if s["gpio"] == "none" and (keys or matrix or encoders):
        raise check.error('gpio = "none" but the box has keys, a matrix or encoders; '
                          'set gpio = "auto"')
    pad_cells = [(r, c, n) for r, c, n in (matrix.named_cells() if matrix else []) if n.startswith("pad ")]
    if s["pads"] is None:
        s["pads"] = "matrix" if pad_cells else "midi"
    if s["pads"] == "matrix" and not pad_cells:
        raise check.error('pads = "matrix" but matrix.cells has no "pad N" cell')
    if s["pads"] != "matrix" and pad_cells:
        r, c, n = pad_cells[0]
        raise check.error(f'matrix.cells[{r}][{c}] = "{n}" but pads = "{s["pads"]}"; '
                          'set pads = "matrix" or empty the cell')
    return Box(name=s["name"] or default_name, source=source, description=s["description"],
               gpio=s["gpio"], keys=MappingProxyType(keys), matrix=matrix,
               encoders=encoders, pads=s["pads"], pad_velocity=s["pad_velocity"],
               display=display, audio=hat)


_SECTIONS = ("keys", "matrix", "encoders", "display")
_TOP = {"name": (str, ""), "description": (str, ""), "gpio": (str, "auto"),
        "pads": (str, None), "pad_velocity": (int, 100), "audio": (str, ""),
        "i2s": (bool, None)}             # i2s: the older form of audio (see _audio)
_MATRIX = {"rows": (list, REQUIRED), "columns": (list, REQUIRED), "cells": (list, REQUIRED)}
_ENCODER = {"a": (int, REQUIRED), "b": (int, REQUIRED), "push": (str, ""),
            "transitions_per_detent": (int, 4), "reversed": (bool, False),
            "accelerate": (bool, True)}
_DISPLAY = {"driver": (str, "none"), "bus": (str, "i2c"), "port": (int, None),
            "address": (int, 0x3C), "device": (int, 0), "dc": (int, 24), "reset": (int, 25),
            "speed_hz": (int, 8_000_000), "rotate": (int, 0), "contrast": (int, 255)}
_CELL_NAMES = 'names ("PLAY", "pad 0", "")'


def _pin(check: Check, value, path: str) -> int:
    return check.number(value, path, 0, MAX_PIN, "(BCM GPIO on the header)", whole=True)


def _keys(check: Check, table) -> dict[str, int]:
    for name, pin in check.table(table, "keys", events.KEYS).items():
        _pin(check, pin, at("keys", name))
    return dict(table)


def _matrix(check: Check, table, keys: dict) -> Matrix:
    s = check.settings(table, "matrix", _MATRIX)
    for name in ("rows", "columns"):
        for i, pin in enumerate(check.items(s[name], f"matrix.{name}", 1, noun="BCM pins")):
            _pin(check, pin, f"matrix.{name}[{i}]")
    for r, row in enumerate(check.items(s["cells"], "matrix.cells", noun=f"rows of {_CELL_NAMES}")):
        for c, name in enumerate(check.items(row, f"matrix.cells[{r}]", noun=_CELL_NAMES)):
            check.text(name, f"matrix.cells[{r}][{c}]")
    rows, columns = len(s["rows"]), len(s["columns"])
    seen = {k: f"keys.{k}" for k in keys}
    for r, row in enumerate(s["cells"]):
        if r >= rows:
            raise check.error(f"matrix.cells[{r}] is outside the matrix ({rows} rows)")
        for c, name in enumerate(row):
            where = f"matrix.cells[{r}][{c}]"
            if c >= columns:
                raise check.error(f"{where} is outside the matrix ({columns} columns)")
            if not name:
                continue
            _cell_name(check, where, name)
            if name in seen:
                raise check.error(f"{name} is defined twice: {seen[name]} and {where}")
            seen[name] = where
    return Matrix(tuple(s["rows"]), tuple(s["columns"]), tuple(tuple(row) for row in s["cells"]))


def _cell_name(check: Check, where: str, name: str) -> None:
    pads = f'"pad 0" .. "pad {events.PADS - 1}"'
    if name.startswith("pad "):
        number = name[4:]
        if not number.isdigit() or f"pad {int(number)}" != name:
            raise check.error(f'{where} = {check.shown(name)}: a pad is {pads}')
        if int(number) >= events.PADS:
            raise check.error(f'{where} = {check.shown(name)}: a box has at most {events.PADS} pads ({pads})')
    elif name not in events.KEYS:
        raise check.error(f'{where} = {check.shown(name)} is not a key or a pad; keys: '
                          f'{", ".join(events.KEYS)}; pads: {pads}')


def _encoders(check: Check, items, keys: dict, matrix: Matrix | None) -> tuple[Encoder, ...]:
    check.items(items, "encoders", most=events.ENCODERS, noun="[[encoders]] tables")
    cells = {n: f"matrix.cells[{r}][{c}]" for r, c, n in (matrix.named_cells() if matrix else [])}
    pushes: dict[str, str] = {}
    out = []
    for i, table in enumerate(items):
        s = check.settings(table, f"encoders[{i}]", _ENCODER)
        check.choice(s["transitions_per_detent"], f"encoders[{i}].transitions_per_detent",
                     TRANSITIONS_PER_DETENT)
        push, where = s["push"], f"encoders[{i}].push"
        if push:
            check.choice(push, where, events.KEYS)
            if push not in keys and push not in cells:
                raise check.error(f'{where} = "{push}" is not wired: add it to [keys] or to matrix.cells')
            if push in pushes:
                raise check.error(f'{where} = "{push}" is already {pushes[push]}')
            pushes[push] = where
        out.append(Encoder(**s))
    return tuple(out)


def _display(check: Check, table) -> Display:
    s = check.settings(table, "display", _DISPLAY)
    check.choice(s["driver"], "display.driver", DISPLAY_DRIVERS)
    check.choice(s["bus"], "display.bus", BUSES)
    spi = s["bus"] == "spi"
    if s["port"] is None:
        s["port"] = 0 if spi else 1
    if s["driver"] in OLED_DRIVERS:
        if spi and s["port"] != 0:
            raise check.error(f"display.port = {s['port']}: the display's SPI bus is "
                              "SPI0 (port 0, BCM 7-11)")
        if not spi and s["port"] != 1:
            raise check.error(f"display.port = {s['port']}: the header's I2C bus is "
                              "port 1 (BCM 2 and 3)")
        if spi:
            check.choice(s["device"], "display.device", (0, 1))
            check.choice(s["speed_hz"], "display.speed_hz", SPI_SPEEDS_HZ, "Hz")
        elif not 0x08 <= s["address"] <= 0x77:     # said in hex, as the datasheets write it
            raise check.error(f"display.address = {s['address']:#04x} is outside 0x08..0x77")
    check.number(s["rotate"], "display.rotate", 0, 3, "quarter turns", whole=True)
    check.number(s["contrast"], "display.contrast", 0, 255, whole=True)
    return Display(**s)


def _audio(check: Check, name: str, legacy_i2s: bool | None) -> Hat | None:
    """The HAT named by `audio`, or by an older file's `i2s = true` (generic-i2s)."""
    if legacy_i2s is not None:
        if name:
            raise check.error(f'audio = "{name}" and i2s = {str(legacy_i2s).lower()}: '
                              "keep audio only (i2s is its older form)")
        name = LEGACY_I2S_HAT if legacy_i2s else ""
    if not name:
        return None
    try:
        return load_hat(name)
    except UserError as exc:
        raise check.error(f'audio = "{name}": {exc}') from None


def _pins(check: Check, keys, matrix, encoders, display, hat: Hat | None) -> None:
    uses: list[tuple[str, int]] = [(f"keys.{k}", p) for k, p in keys.items()]
    if matrix:
        uses += [(f"matrix.rows[{i}]", p) for i, p in enumerate(matrix.rows)]
        uses += [(f"matrix.columns[{i}]", p) for i, p in enumerate(matrix.columns)]
    for i, e in enumerate(encoders):
        uses += [(f"encoders[{i}].a", e.a), (f"encoders[{i}].b", e.b)]
    oled = display.driver in OLED_DRIVERS
    taken = {p: "reserved for the HAT ID EEPROM" for p in HAT_ID_PINS}
    if hat is not None:
        taken |= {p: f"taken by the audio HAT ({hat.name}: {use})" for p, use in hat.pins().items()}
        if oled and display.bus == "i2c" and display.address in hat.i2c_addresses:
            raise check.error(f"display.address = {display.address:#04x}: the audio HAT "
                              f"({hat.name}) answers there on the same I2C bus")
        if oled and display.bus == "spi" and hat.spi_pins:
            raise check.error(f'display.bus = "spi": SPI0 is taken by the audio HAT ({hat.name})')
    if oled and display.bus == "i2c":
        taken |= {p: "taken by the display's I2C bus" for p in I2C_PINS}
    if oled and display.bus == "spi":
        taken |= {p: "taken by the display's SPI0 bus" for p in SPI0_PINS}
        uses.append(("display.dc", display.dc))
        if display.reset != -1:
            uses.append(("display.reset", display.reset))
    first: dict[int, str] = {}
    for where, pin in uses:
        _pin(check, pin, where)
        if pin in taken:
            raise check.error(f"{where} = {pin}: BCM {pin} is {taken[pin]}")
        if pin in first:
            raise check.error(f"BCM {pin} is used twice: {first[pin]} and {where}")
        first[pin] = where
