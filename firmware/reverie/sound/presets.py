"""Presets: named parameter sets for an instrument, kept as TOML data files (docs/presets.md).

    sound/presets/<instrument>/<slug>.toml       factory presets, shipped in the package
    <data>/presets/<instrument>/<slug>.toml      the musician's own (DataDir.presets)

A file holds `name` (at most 12 characters: one line of the OLED), `instrument` (its folder's
name), optional `tags` and `note` (the audition note), for the multisample instrument the
`multisample` set it plays (`"factory:<name>"` or an imported set's name), and `[params]`: spec keys -> values in
the spec's physical units; a choice by its name or index. Keys not listed take the spec's
default. Each file is checked on its own: a bad one is one line in `problems` and is left
out, never a traceback, never the end of the others.
"""
from __future__ import annotations

import re
import tomllib
from dataclasses import dataclass, field
from importlib.resources import files
from pathlib import Path
from typing import Mapping

from reverie.base.errors import UserError
from reverie.base.files import atomic_path
from reverie.base.validate import Check, read_toml
from reverie.sound.instruments import INSTRUMENTS

NAME_CHARS = 12                  # one line of the 128 px OLED in the 12 px font
TAG_CHARS = 16
MAX_TAGS = 8
MAX_PRESETS = 512                # per instrument and place; more are left out with one line
KEYS = ("name", "instrument", "tags", "note", "multisample", "params")
SET_CHARS = 72                   # as a project track's `multisample`
DEFAULT_NOTE = 60                # C4: the pads' note; the sampler plays its sample at its root
_SLUG = re.compile(r"[^a-z0-9]+")


@dataclass(frozen=True)
class Preset:
    name: str
    instrument: str
    params: Mapping[str, float | int | str]     # as a project track keeps them (choices by name)
    tags: tuple[str, ...] = ()
    note: int = DEFAULT_NOTE
    slug: str = ""
    user: bool = False
    multisample: str | None = None              # the set a multisample preset plays


def factory_root() -> Path:
    """The shipped presets' folder inside the installed package."""
    return Path(str(files("reverie.sound").joinpath("presets")))


def preset_keys(instrument) -> tuple[str, ...]:
    """What a preset may set: every parameter but the sample slot (that is the track's sample)."""
    return tuple(s.key for s in instrument if s.key != "sample")


def stored(spec, value, where: str) -> float | int | str:
    """A checked value as a project track keeps it: a choice by name, a whole number as int."""
    v = spec.check(value, where)
    if spec.curve == "choice":
        return spec.choices[int(v)]
    return int(v) if spec.curve == "int" else v


def parse_preset(data, source: str, folder: str, instruments=None, user: bool = False,
                 slug: str = "") -> Preset:
    """A Preset from a parsed TOML table found in the folder of instrument `folder`, or one
    UserError naming `source` and the place."""
    instruments = INSTRUMENTS if instruments is None else instruments
    check = Check(source)
    check.table(data, "", KEYS, required=("name", "instrument"))
    name = check.text(data["name"], "name", 1, NAME_CHARS).strip()
    if not name:
        raise check.error("name must not be only spaces")
    instrument = check.text(data["instrument"], "instrument", 1, 64)
    if instrument != folder:
        raise check.error(f"instrument = {check.shown(instrument)} but the file is in the "
                          f"{check.shown(folder)} folder")
    if instrument not in instruments:
        raise check.error(f"instrument {check.shown(instrument)} is not installed; installed: "
                          f"{', '.join(instruments)}")
    spec = instruments[instrument]
    tags = check.items(data.get("tags", []), "tags", most=MAX_TAGS, noun="tags")
    tags = tuple(check.text(t, f"tags[{i}]", 1, TAG_CHARS) for i, t in enumerate(tags))
    note = check.number(data.get("note", DEFAULT_NOTE), "note", 0, 127, whole=True)
    multisample = data.get("multisample")
    if multisample is not None:
        if instrument != "multisample":
            raise check.error(f"multisample names a set, which only the multisample instrument plays, "
                              f"not {instrument}")
        multisample = check.text(multisample, "multisample", 1, SET_CHARS)
    table = check.table(data.get("params", {}), "params", preset_keys(spec))
    params = {}
    for key, value in table.items():
        try:
            params[key] = stored(spec[key], value, "params")
        except UserError as exc:
            raise check.error(str(exc)) from None
    return Preset(name, instrument, params, tags, note, slug, user, multisample)


def read_preset(path: Path, instruments=None, user: bool = False) -> Preset:
    path = Path(path)
    return parse_preset(read_toml(path), str(path), path.parent.name, instruments, user, path.stem)


@dataclass
class PresetLibrary:
    """Every preset found, by instrument: the factory's by name, then one's own by name."""
    by_instrument: dict[str, list[Preset]] = field(default_factory=dict)
    problems: list[str] = field(default_factory=list)     # one line per file left out

    def of(self, instrument: str) -> list[Preset]:
        return self.by_instrument.get(instrument, [])

    def count(self) -> int:
        return sum(len(v) for v in self.by_instrument.values())

    def add(self, preset: Preset) -> None:
        """A preset saved just now takes the place of one of the same name and place."""
        kept = [p for p in self.of(preset.instrument) if not (p.user == preset.user and p.name == preset.name)]
        self.by_instrument[preset.instrument] = sorted(kept + [preset], key=_order)


def load_folder(root: Path, user: bool, library: PresetLibrary, instruments=None) -> None:
    """Adds the presets under root/<instrument>/*.toml to `library`; one line per file (or
    folder) refused. A missing root is no problem: nobody saved a preset yet."""
    instruments = INSTRUMENTS if instruments is None else instruments
    root = Path(root)
    try:
        folders = sorted(p for p in root.iterdir() if p.is_dir() and not p.name.startswith("."))
    except FileNotFoundError:
        return
    except OSError as exc:
        library.problems.append(f"{root}: cannot read it ({exc.strerror or exc.__class__.__name__})")
        return
    for folder in folders:
        if folder.name not in instruments:
            library.problems.append(f"{folder}: no instrument {folder.name!r} is installed; "
                                    "its presets are left out")
            continue
        found = sorted(folder.glob("*.toml"))
        if len(found) > MAX_PRESETS:
            library.problems.append(f"{folder}: {len(found)} presets, only the first {MAX_PRESETS} are read")
        for path in found[:MAX_PRESETS]:
            try:
                library.add(read_preset(path, instruments, user))
            except UserError as exc:
                library.problems.append(str(exc))


def load_library(user_root: Path | None = None, instruments=None) -> PresetLibrary:
    """The factory presets, and one's own from `user_root` (DataDir.presets) when given."""
    library = PresetLibrary()
    load_folder(factory_root(), False, library, instruments)
    if user_root is not None:
        load_folder(user_root, True, library, instruments)
    return library


def slug_of(name: str) -> str:
    """"Warm Pad 2" -> "warm-pad-2": the file name of a preset."""
    return _SLUG.sub("-", name.lower()).strip("-") or "preset"


def to_toml(preset: Preset) -> str:
    """The file a preset is saved as (read back by read_preset to an equal Preset)."""
    lines = [f"name = {_toml_value(preset.name)}", f"instrument = {_toml_value(preset.instrument)}"]
    if preset.tags:
        lines.append("tags = [" + ", ".join(_toml_value(t) for t in preset.tags) + "]")
    if preset.note != DEFAULT_NOTE:
        lines.append(f"note = {preset.note}")
    if preset.multisample is not None:
        lines.append(f"multisample = {_toml_value(preset.multisample)}")
    lines += ["", "[params]"] + [f"{k} = {_toml_value(v)}" for k, v in preset.params.items()]
    return "\n".join(lines) + "\n"


def _toml_value(v) -> str:
    if isinstance(v, str):
        return '"' + v.replace("\\", "\\\\").replace('"', '\\"') + '"'
    if isinstance(v, float):
        return repr(v)
    return str(v)


def save_user_preset(user_root: Path, preset: Preset, instruments=None) -> Path:
    """Writes `preset` as user_root/<instrument>/<slug>.toml atomically (over one of the same
    name); checked first, so a file it writes always loads back."""
    text = to_toml(preset)
    parse_preset(tomllib.loads(text), preset.name, preset.instrument, instruments, True)
    folder = Path(user_root) / preset.instrument
    folder.mkdir(parents=True, exist_ok=True)
    path = folder / f"{slug_of(preset.name)}.toml"
    with atomic_path(path) as tmp:
        tmp.write_text(text, encoding="utf-8")
    return path


def _order(p: Preset):
    return (p.user, p.name.lower())


__all__ = ["Preset", "PresetLibrary", "load_library", "load_folder", "read_preset", "parse_preset",
           "save_user_preset", "slug_of", "to_toml", "factory_root"]
