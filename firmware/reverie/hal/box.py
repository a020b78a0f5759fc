"""Box definitions: which pins a box's keys, key matrix and encoders use, where its pads come
from, its display and its audio HAT. Pin maps are data (reverie/hal/boxes/*.toml), loaded once and
validated here with one-line messages naming the file and the setting (docs/hardware.md). The
HAT is named by its preset (reverie/hal/hats/, reverie.hal.hat), whose pins stay free.

Pins are BCM GPIO numbers. Keys are active low: a switch to ground, the pin's pull-up on.
Indexes (encoders[0], matrix.cells[r][c], "pad N") count from 0, like the input events.
"""
from __future__ import annotations

import tomllib
from dataclasses import dataclass, field
from pathlib import Path
from types import MappingProxyType
from typing import Mapping

from reverie.base import events
from reverie.base.errors import UserError
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
    text = str(name_or_path)
    is_path = isinstance(name_or_path, Path) or "/" in text or text.endswith(".toml")
    path = Path(text).expanduser() if is_path else boxes_dir / f"{text}.toml"
    if not path.is_file():
        known = ", ".join(sorted(p.stem for p in boxes_dir.glob("*.toml")))
        where = f"{path}: no such box file" if is_path else f'no box named "{text}" in {boxes_dir}'
        raise UserError(f"{where}; shipped boxes: {known}")
    try:
        data = tomllib.loads(path.read_text(encoding="utf-8"))
    except (OSError, UnicodeDecodeError) as exc:
        raise UserError(f"{path}: cannot read it ({exc.__class__.__name__})") from None
    except tomllib.TOMLDecodeError as exc:
        raise UserError(f"{path}: not valid TOML ({exc})") from None
    return box_from_dict(data, source=str(path), default_name=path.stem)


def box_from_dict(data: dict, source: str = "box", default_name: str = "box") -> Box:
    """A validated Box from parsed TOML; the first problem is a one-line UserError."""
    check = _Check(source)
    top = {k: v for k, v in data.items() if k not in _SECTIONS}
    legacy_i2s = top.pop("i2s", None)
    for key, value in top.items():
        if key not in _TOP and isinstance(value, (dict, list)):
            raise check.error(f"unknown section [{key}]; known: {', '.join(_SECTIONS)}")
    s = check.settings(top, _TOP, "")
    check.choice("gpio", s["gpio"], GPIO_BACKENDS)
    if s["pads"] is not None:
        check.choice("pads", s["pads"], PAD_SOURCES)
    check.within("pad_velocity", s["pad_velocity"], 1, 127)
    hat = check.audio(s["audio"], legacy_i2s)
    display = check.display(check.table(data, "display"))
    keys = check.keys(check.table(data, "keys"))
    matrix = check.matrix(data["matrix"], keys) if "matrix" in data else None
    encoders = check.encoders(data.get("encoders", []), keys, matrix)
    check.pins(keys, matrix, encoders, display, hat)
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
        "pads": (str, None), "pad_velocity": (int, 100), "audio": (str, "")}
_REQUIRED = object()
_MATRIX = {"rows": (list, _REQUIRED), "columns": (list, _REQUIRED), "cells": (list, _REQUIRED)}
_ENCODER = {"a": (int, _REQUIRED), "b": (int, _REQUIRED), "push": (str, ""),
            "transitions_per_detent": (int, 4), "reversed": (bool, False),
            "accelerate": (bool, True)}
_DISPLAY = {"driver": (str, "none"), "bus": (str, "i2c"), "port": (int, None),
            "address": (int, 0x3C), "device": (int, 0), "dc": (int, 24), "reset": (int, 25),
            "speed_hz": (int, 8_000_000), "rotate": (int, 0), "contrast": (int, 255)}
_TYPE_WORDS = {int: "a whole number", bool: "true or false", str: "text in quotes",
               list: "a list [...]"}


def _shown(value) -> str:
    return f'"{value}"' if isinstance(value, str) else str(value)


class _Check:
    def __init__(self, source: str):
        self.source = source

    def error(self, text: str) -> UserError:
        return UserError(f"{self.source}: {text}")

    def settings(self, table: dict, spec: dict, prefix: str) -> dict:
        for key in table:
            if key not in spec:
                raise self.error(f"unknown setting {prefix}{key}; known: {', '.join(spec)}")
        out = {}
        for key, (kind, default) in spec.items():
            if key not in table:
                if default is _REQUIRED:
                    raise self.error(f"{prefix}{key} is missing")
                out[key] = default
                continue
            value = table[key]
            if isinstance(value, bool) != (kind is bool) or not isinstance(value, kind):
                raise self.error(f"{prefix}{key} must be {_TYPE_WORDS[kind]}, not {value!r}")
            out[key] = value
        return out

    def table(self, data: dict, name: str) -> dict:
        value = data.get(name, {})
        if not isinstance(value, dict):
            raise self.error(f"[{name}] must be a table of settings")
        return value

    def choice(self, where: str, value, choices) -> None:
        if value not in choices:
            words = ", ".join(_shown(c) for c in choices)
            raise self.error(f"{where} = {_shown(value)} must be one of {words}")

    def within(self, where: str, value: int, lo: int, hi: int) -> None:
        if not lo <= value <= hi:
            raise self.error(f"{where} = {value} must be {lo}..{hi}")

    def key_name(self, where: str, name: str) -> None:
        if name not in events.KEYS:
            raise self.error(f"{where}: unknown key {name!r}; keys: {', '.join(events.KEYS)}")

    def keys(self, table: dict) -> dict[str, int]:
        for name, pin in table.items():
            self.key_name(f"keys.{name}", name)
            if isinstance(pin, bool) or not isinstance(pin, int):
                raise self.error(f"keys.{name} must be a BCM pin number, not {pin!r}")
        return dict(table)

    def matrix(self, table, keys: dict) -> Matrix:
        if not isinstance(table, dict):
            raise self.error("[matrix] must be a table of settings")
        s = self.settings(table, _MATRIX, "matrix.")
        for name in ("rows", "columns"):
            if not s[name] or not all(isinstance(p, int) and not isinstance(p, bool) for p in s[name]):
                raise self.error(f"matrix.{name} must be a list of BCM pin numbers")
        if not all(isinstance(row, list) and all(isinstance(n, str) for n in row) for row in s["cells"]):
            raise self.error('matrix.cells must be a list of rows of names ("PLAY", "pad 0", "")')
        rows, columns = len(s["rows"]), len(s["columns"])
        seen = {k: f"keys.{k}" for k in keys}
        for r, row in enumerate(s["cells"]):
            if r >= rows:
                raise self.error(f"matrix.cells[{r}] is outside the matrix ({rows} rows)")
            for c, name in enumerate(row):
                where = f"matrix.cells[{r}][{c}]"
                if c >= columns:
                    raise self.error(f"{where} is outside the matrix ({columns} columns)")
                if not name:
                    continue
                self.cell_name(where, name)
                if name in seen:
                    raise self.error(f"{name} is defined twice: {seen[name]} and {where}")
                seen[name] = where
        return Matrix(tuple(s["rows"]), tuple(s["columns"]), tuple(tuple(row) for row in s["cells"]))

    def cell_name(self, where: str, name: str) -> None:
        if name.startswith("pad "):
            number = name[4:]
            if not number.isdigit() or f"pad {int(number)}" != name:
                raise self.error(f'{where} = "{name}": a pad is "pad 0" .. "pad {events.PADS - 1}"')
            if int(number) >= events.PADS:
                raise self.error(f'{where} = "{name}": a box has at most {events.PADS} pads '
                                 f'("pad 0" .. "pad {events.PADS - 1}")')
        elif name not in events.KEYS:
            raise self.error(f'{where} = "{name}" is not a key or a pad; keys: '
                             f'{", ".join(events.KEYS)}; pads: "pad 0" .. "pad {events.PADS - 1}"')

    def encoders(self, items, keys: dict, matrix: Matrix | None) -> tuple[Encoder, ...]:
        if not isinstance(items, list) or not all(isinstance(e, dict) for e in items):
            raise self.error("encoders must be [[encoders]] tables")
        if len(items) > events.ENCODERS:
            raise self.error(f"{len(items)} encoders: a box has at most {events.ENCODERS}")
        cells = {n: f"matrix.cells[{r}][{c}]" for r, c, n in (matrix.named_cells() if matrix else [])}
        pushes: dict[str, str] = {}
        out = []
        for i, table in enumerate(items):
            s = self.settings(table, _ENCODER, f"encoders[{i}].")
            self.choice(f"encoders[{i}].transitions_per_detent", s["transitions_per_detent"],
                        TRANSITIONS_PER_DETENT)
            push = s["push"]
            if push:
                where = f"encoders[{i}].push"
                self.key_name(where, push)
                if push not in keys and push not in cells:
                    raise self.error(f'{where} = "{push}" is not wired: add it to [keys] '
                                     'or to matrix.cells')
                if push in pushes:
                    raise self.error(f'{where} = "{push}" is already {pushes[push]}')
                pushes[push] = where
            out.append(Encoder(**s))
        return tuple(out)

    def display(self, table: dict) -> Display:
        s = self.settings(table, _DISPLAY, "display.")
        self.choice("display.driver", s["driver"], DISPLAY_DRIVERS)
        self.choice("display.bus", s["bus"], BUSES)
        spi = s["bus"] == "spi"
        if s["port"] is None:
            s["port"] = 0 if spi else 1
        if s["driver"] in OLED_DRIVERS:
            if spi and s["port"] != 0:
                raise self.error(f"display.port = {s['port']}: the display's SPI bus is "
                                 "SPI0 (port 0, BCM 7-11)")
            if not spi and s["port"] != 1:
                raise self.error(f"display.port = {s['port']}: the header's I2C bus is "
                                 "port 1 (BCM 2 and 3)")
            if spi:
                self.choice("display.device", s["device"], (0, 1))
                self.choice("display.speed_hz", s["speed_hz"], SPI_SPEEDS_HZ)
            elif not 0x08 <= s["address"] <= 0x77:
                raise self.error(f"display.address = {s['address']:#04x} must be 0x08..0x77")
        self.within("display.rotate", s["rotate"], 0, 3)
        self.within("display.contrast", s["contrast"], 0, 255)
        return Display(**s)

    def audio(self, name: str, legacy_i2s) -> Hat | None:
        """The HAT named by `audio`, or by an older file's `i2s = true` (generic-i2s)."""
        if legacy_i2s is not None:
            if not isinstance(legacy_i2s, bool):
                raise self.error(f"i2s must be true or false, not {legacy_i2s!r}")
            if name:
                raise self.error(f'audio = "{name}" and i2s = {str(legacy_i2s).lower()}: '
                                 "keep audio only (i2s is its older form)")
            name = LEGACY_I2S_HAT if legacy_i2s else ""
        if not name:
            return None
        try:
            return load_hat(name)
        except UserError as exc:
            raise self.error(f'audio = "{name}": {exc}') from None

    def pins(self, keys, matrix, encoders, display, hat: Hat | None) -> None:
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
                raise self.error(f"display.address = {display.address:#04x}: the audio HAT "
                                 f"({hat.name}) answers there on the same I2C bus")
            if oled and display.bus == "spi" and hat.spi_pins:
                raise self.error(f'display.bus = "spi": SPI0 is taken by the audio HAT ({hat.name})')
        if oled and display.bus == "i2c":
            taken |= {p: "taken by the display's I2C bus" for p in I2C_PINS}
        if oled and display.bus == "spi":
            taken |= {p: "taken by the display's SPI0 bus" for p in SPI0_PINS}
            uses.append(("display.dc", display.dc))
            if display.reset != -1:
                uses.append(("display.reset", display.reset))
        first: dict[int, str] = {}
        for where, pin in uses:
            if not 0 <= pin <= MAX_PIN:
                raise self.error(f"{where} = {pin} is not a header GPIO (BCM 0..{MAX_PIN})")
            if pin in taken:
                raise self.error(f"{where} = {pin}: BCM {pin} is {taken[pin]}")
            if pin in first:
                raise self.error(f"BCM {pin} is used twice: {first[pin]} and {where}")
            first[pin] = where
