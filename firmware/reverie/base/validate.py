"""One way to check what a file holds: the keys of a table, types in plain words, ranges with
units, choices and the shape of lists. Config, box files, controller profiles, MIDI learn
bindings and projects all check through a `Check`, so every problem reads the same way:

    box.toml: display.contrast = 300 is outside 0..255
    box.toml: unknown key encoders[1].steps; known: a, b, push, ...
    patterns.A01.tracks[3].steps[12].locks.cutoff_hz must be a number from 20 to 20000 Hz, not "low"

One line: the file, the full path of the bad value, what is wrong and what is allowed. Values
are shown as the file writes them ("text", true, 3, [1, 2]). True and false are never
numbers; NaN and infinity never pass as numbers.
"""
from __future__ import annotations

import json
import math
import re
import tomllib
from pathlib import Path

from reverie.base.errors import UserError

_BARE_KEY = re.compile(r"[A-Za-z0-9_-]+")     # a key TOML writes without quotes
_SHOWN_CHARS = 40                              # a value longer than this is cut
_HUGE = 10**30                                 # an int beyond any range; a float cannot hold some
MAX_TOML_BYTES = 1 << 20                       # no settings file of ours comes near 1 MB
MAX_JSON_DEPTH = 32                            # a project nests 6 deep; settings 1
MAX_DIGITS = 30                                # no number of ours has more digits than this


def at(path: str, key: str | int) -> str:
    """The path of `key` inside `path`: "display.contrast", "encoders[1]", 'locks."a b"'."""
    if isinstance(key, int):
        return f"{path}[{key}]"
    name = _cut(key if _BARE_KEY.fullmatch(key) else json.dumps(key, ensure_ascii=False))
    return f"{path}.{name}" if path else name


def finite(value) -> bool:
    """A real number: not true or false, not NaN or infinite, not too big for a float."""
    if isinstance(value, bool) or not isinstance(value, (int, float)):
        return False
    try:
        return math.isfinite(value)
    except OverflowError:      # an int too big for a float
        return False


def number_text(x) -> str:
    """3, 0.5, 20000 (not 2e+04), 133.333."""
    if isinstance(x, float) and x.is_integer() and abs(x) < 1e15:
        return str(int(x))
    return f"{x:g}" if isinstance(x, float) else str(x)


def _after(word: str) -> str:
    return f" {word}" if word else ""


def _cut(text: str) -> str:
    return text if len(text) <= _SHOWN_CHARS else text[:_SHOWN_CHARS - 3] + "..."


class Check:
    """Checks the data of one file, `source` ("" when the caller names the file itself).
    Each method returns the value it checked or raises a one-line UserError; `after` ends
    every message (what the error did not change, for example).

    `json`: the data is JSON, where a table is an object and 2.0 is a whole number (JSON has
    one kind of number); TOML tells 2 from 2.0, so there only an integer is whole."""

    def __init__(self, source: str = "", after: str = "", json: bool = False):
        self.source = source
        self.after = after
        self.json = json
        self.table_word = "an object ({...})" if json else "a table"

    def error(self, text: str) -> UserError:
        return UserError(f"{self.source}: {text}{self.after}" if self.source else text + self.after)

    def shown(self, value) -> str:
        """A value as the file writes it: "text", true, null, 3, 0.5, [1, 2], a table."""
        if isinstance(value, bool):
            return "true" if value else "false"
        if value is None:
            return "null"
        if isinstance(value, str):
            return _cut(json.dumps(value, ensure_ascii=False))
        if isinstance(value, int):
            return str(value) if abs(value) < _HUGE else "a huge number"
        if isinstance(value, float):
            return repr(value)
        if isinstance(value, dict):
            return "an object" if self.json else "a table"
        if isinstance(value, (list, tuple)):
            text = "[" + ", ".join(self.shown(v) for v in value) + "]"
            if len(text) <= _SHOWN_CHARS and not any(isinstance(v, (dict, list, tuple)) for v in value):
                return text
            return f"a list of {len(value)} item{'' if len(value) == 1 else 's'}"
        return _cut(repr(value))

    def table(self, value, path: str, known=None, required=(), known_as: str = "") -> dict:
        """A table whose keys are all in `known` (when given) and hold every `required` one.
        `known_as` words the known keys when listing them one by one would not help."""
        if not isinstance(value, dict):
            raise self.error(f"{path} must be {self.table_word}, not {self.shown(value)}")
        if known is not None:
            for key in value:
                if key not in known:
                    raise self.error(f"unknown key {at(path, key)}; known: {known_as or ', '.join(known)}")
        for key in required:
            if key not in value:
                raise self.error(f"{at(path, key)} is missing")
        return value

    def settings(self, value, path: str, spec: dict) -> dict:
        """A table of known settings, spec = {key: (type, default)}: each present one of its
        type, the others their default; a default of REQUIRED makes the key required."""
        required = [key for key, (_, default) in spec.items() if default is REQUIRED]
        table = self.table(value, path, spec, required)
        return {key: self.typed(table[key], at(path, key), kind) if key in table else default
                for key, (kind, default) in spec.items()}

    def typed(self, value, path: str, kind: type):
        """`value` of the Python type `kind` (int, float, bool, str, list or dict)."""
        if kind is bool:
            return self.flag(value, path)
        if kind in (int, float):
            return self.number(value, path, whole=kind is int)
        if kind is str:
            return self.text(value, path)
        if kind is list:
            return self.items(value, path)
        return self.table(value, path)

    def number(self, value, path: str, lo=None, hi=None, unit: str = "", whole: bool = False):
        """A number within lo..hi (both or neither), an int when `whole`."""
        if not finite(value) or (whole and not (value == int(value) if self.json else isinstance(value, int))):
            span = f" from {number_text(lo)} to {number_text(hi)}{_after(unit)}" if lo is not None else ""
            kind = "a whole number" if whole else "a number"
            raise self.error(f"{path} must be {kind}{span}, not {self.shown(value)}")
        if lo is not None and not lo <= value <= hi:
            raise self.error(f"{path} = {number_text(value)} is outside "
                             f"{number_text(lo)}..{number_text(hi)}{_after(unit)}")
        return int(value) if whole else value

    def flag(self, value, path: str) -> bool:
        if not isinstance(value, bool):
            raise self.error(f"{path} must be true or false, not {self.shown(value)}")
        return value

    def text(self, value, path: str, least: int = 0, most: int | None = None) -> str:
        """Text of `least` to `most` characters."""
        if not isinstance(value, str) or len(value) < least or (most is not None and len(value) > most):
            if most is not None:
                size = f" ({least} to {most} characters)"
            else:
                size = f" (at least {least} character{'' if least == 1 else 's'})" if least else ""
            raise self.error(f"{path} must be text in quotes{size}, not {self.shown(value)}")
        return value

    def choice(self, value, path: str, choices, note: str = ""):
        """One of `choices`, returned as the choice itself (4.0 in JSON is the choice 4; TOML
        tells 4 from 4.0). True and false are never a choice. `note` follows the list: a
        unit, or a word on one of them."""
        found = [c for c in choices if c == value and not isinstance(value, bool)
                 and (self.json or type(c) is type(value))]
        if not found:
            words = ", ".join(self.shown(c) for c in choices)
            allowed = words if len(choices) == 1 else f"one of {words}"
            raise self.error(f"{path} must be {allowed}{_after(note)}, "
                             f"not {self.shown(value)}")
        return found[0]

    def items(self, value, path: str, least: int = 0, most: int | None = None, noun: str = "") -> list:
        """A list of `least` to `most` entries; `noun` says what they are ("MIDI notes")."""
        if not isinstance(value, (list, tuple)) or len(value) < least or \
                (most is not None and len(value) > most):
            if most is None:
                count = f"{least} or more " if least else ""
            else:
                count = f"{most} " if least == most else f"{least} to {most} " if least else f"at most {most} "
            what = f" of {count}{noun or 'items'}" if count or noun else ""
            raise self.error(f"{path} must be a list{what}, not {self.shown(value)}")
        return value


REQUIRED = object()      # a setting with no default: Check.settings refuses a table without it


def parse_toml(text: str, source: str, after: str = "") -> dict:
    """The TOML in `text`, or one line naming `source` and what is wrong (`after` follows it)."""
    try:
        return tomllib.loads(text)
    except tomllib.TOMLDecodeError as exc:
        raise UserError(f"{source}: not valid TOML ({' '.join(str(exc).split())}){after}") from None
    except RecursionError:
        raise UserError(f"{source}: nested too deeply to be a settings file{after}") from None


def read_toml(path: Path, after: str = "") -> dict:
    """The TOML file at `path`, or one line: unreadable, not UTF-8, too large or too deep."""
    try:
        if path.stat().st_size > MAX_TOML_BYTES:
            raise UserError(f"{path}: larger than {MAX_TOML_BYTES >> 20} MB, too large for a "
                            f"settings file{after}")
        text = path.read_text(encoding="utf-8")
    except UnicodeDecodeError:
        raise UserError(f"{path}: not UTF-8 text{after}") from None
    except OSError as exc:
        raise UserError(f"{path}: cannot read it ({exc.strerror or exc.__class__.__name__}){after}") from None
    return parse_toml(text, str(path), after)


def parse_json(text: str, source: str = "", after: str = "") -> object:
    """The JSON in `text`, or one line (naming `source` when given, `after` at its end): not
    JSON, nested deeper than MAX_JSON_DEPTH, a number of more than MAX_DIGITS digits or too
    large for a float, NaN or Infinity, a key twice in one object. Never a RecursionError or
    Python's own limit on long integers."""
    def error(text: str) -> UserError:
        return UserError(f"{source}: {text}{after}" if source else text + after)

    def whole(digits: str) -> int:
        n = len(digits.lstrip("-"))
        if n > MAX_DIGITS:
            raise error(f"a number of {n} digits is too long (at most {MAX_DIGITS})")
        return int(digits)

    def real(digits: str) -> float:
        value = float(digits)
        if not math.isfinite(value):
            raise error(f"the number {_cut(digits)} is too large")
        return value

    def constant(name: str):
        raise error(f"{name} is not a number a file can hold")

    def unique(pairs):
        seen = set()
        for key, _ in pairs:
            if key in seen:
                raise error(f"the key {key!r} appears twice in one object")
            seen.add(key)
        return dict(pairs)

    try:
        data = json.loads(text, object_pairs_hook=unique, parse_int=whole, parse_float=real,
                          parse_constant=constant)
    except json.JSONDecodeError as exc:
        raise error(f"not valid JSON ({exc.msg} at line {exc.lineno} column {exc.colno}); "
                    "fix it in a text editor") from None
    except RecursionError:
        raise error(f"nested more than {MAX_JSON_DEPTH} deep") from None
    if _depth(data) > MAX_JSON_DEPTH:
        raise error(f"nested more than {MAX_JSON_DEPTH} deep")
    return data


def _depth(data) -> int:
    """How deep lists and objects nest in `data` (a scalar: 0), without recursion."""
    deepest, todo = 0, [(data, 1)]
    while todo:
        value, level = todo.pop()
        items = value.values() if isinstance(value, dict) else value if isinstance(value, list) else None
        if items is None:
            continue
        deepest = max(deepest, level)
        if level <= MAX_JSON_DEPTH:
            todo.extend((v, level + 1) for v in items if isinstance(v, (dict, list)))
    return deepest


def read_json(path: Path, most_bytes: int, after: str = "") -> object:
    """The JSON file at `path` (at most `most_bytes`), or one line naming it: unreadable, too
    large, not UTF-8, or what parse_json refuses. FileNotFoundError passes through."""
    try:
        if path.stat().st_size > most_bytes:
            raise UserError(f"{path}: larger than {_size(most_bytes)}{after}")
        text = path.read_text(encoding="utf-8")
    except FileNotFoundError:
        raise
    except UnicodeDecodeError:
        raise UserError(f"{path}: not UTF-8 text{after}") from None
    except OSError as exc:
        raise UserError(f"{path}: cannot read it ({exc.strerror or exc.__class__.__name__}){after}") from None
    return parse_json(text, str(path), after)


def _size(n: int) -> str:
    return f"{n >> 20} MB" if n >= 1 << 20 else f"{n >> 10} kB"


def named_file(name_or_path, folder: Path, what: str) -> Path:
    """A shipped file by name ("reference" -> folder/reference.toml) or a path of one's own
    ("/etc/reverie/mybox.toml"); one line listing the shipped names when there is none."""
    text = str(name_or_path)
    is_path = isinstance(name_or_path, Path) or "/" in text or text.endswith(".toml")
    path = Path(text).expanduser() if is_path else folder / f"{text}.toml"
    if not path.is_file():
        shipped = ", ".join(sorted(p.stem for p in folder.glob("*.toml")))
        where = f"{path}: no such {what} file" if is_path else f'no {what} named "{text}"'
        raise UserError(f"{where}; shipped: {shipped}")
    return path
