"""Instruments from outside the firmware (docs/instrument-api.md): found through the entry
point group `reverie.instruments` of installed distributions, and in the data directory's
`plugins/` folder; each checked before it reaches the engine (its name, its graph, a trial
render: sound/trial.py) and then registered beside the built-in ones, or refused with one
line. A refusal changes nothing: the registry, the engine and what plays stay as they were.
Runs off the audio thread (start-up, `reverie instruments`, a rescan on the worker)."""
from __future__ import annotations

import importlib.util
import logging
import re
import sys
from dataclasses import dataclass, field
from importlib.metadata import entry_points
from pathlib import Path

from reverie.base.errors import UserError

log = logging.getLogger(__name__)

GROUP = "reverie.instruments"
# A third-party name: lower-case words joined by dots, at least one dot (`example.chime`).
NAME = re.compile(r"^[a-z][a-z0-9_]*(\.[a-z][a-z0-9_]*)+$")


@dataclass(frozen=True)
class Candidate:
    """Where an instrument comes from, before it is loaded."""
    origin: str                 # "entry point NAME (DIST)" or "plugins/FOLDER"
    load: object                # () -> (its object: an Instrument or a tuple of them, its module)


@dataclass
class Found:
    name: str
    origin: str
    instrument: object = None
    program: object = None
    trial: object = None        # its TrialResult
    refused: str = ""           # one line; empty when installed

    @property
    def ok(self) -> bool:
        return not self.refused


@dataclass
class Scan:
    found: list[Found] = field(default_factory=list)

    @property
    def installed(self) -> list[Found]:
        return [f for f in self.found if f.ok]

    @property
    def refused(self) -> list[Found]:
        return [f for f in self.found if not f.ok]

    def notices(self) -> list[str]:
        return [f.refused for f in self.refused]


def candidates(plugins_dir: Path | None) -> list[Candidate]:
    """Entry points first (in name order), then the folder's packages and modules."""
    out = []
    for ep in sorted(entry_points(group=GROUP), key=lambda e: e.name):
        dist = getattr(ep.dist, "name", "?") if getattr(ep, "dist", None) else "?"
        out.append(Candidate(f"entry point {ep.name} ({dist})",
                             lambda ep=ep: (ep.load(), sys.modules.get(ep.module))))
    if plugins_dir is not None and plugins_dir.is_dir():
        for path in sorted(plugins_dir.iterdir()):
            if path.name.startswith((".", "_")):
                continue
            if path.is_dir() and (path / "__init__.py").is_file():
                out.append(Candidate(f"plugins/{path.name}", lambda p=path: _import_file(p / "__init__.py", p.name, True)))
            elif path.suffix == ".py":
                out.append(Candidate(f"plugins/{path.name}", lambda p=path: _import_file(p, p.stem, False)))
    return out


def _import_file(path: Path, stem: str, package: bool):
    """A plugin module under a private name (`reverie_plugins.STEM`), so it never shadows an
    installed module; its object: INSTRUMENTS (a tuple) or INSTRUMENT."""
    name = f"reverie_plugins.{stem}"
    spec = importlib.util.spec_from_file_location(
        name, path, submodule_search_locations=[str(path.parent)] if package else None)
    module = importlib.util.module_from_spec(spec)
    sys.modules[name] = module
    try:
        spec.loader.exec_module(module)
    except BaseException:
        del sys.modules[name]
        raise
    obj = getattr(module, "INSTRUMENTS", None) or getattr(module, "INSTRUMENT", None)
    if obj is None:
        raise UserError("defines neither INSTRUMENT nor INSTRUMENTS")
    return obj, module


def _one_line(exc: BaseException) -> str:
    text = " ".join(str(exc).split()) or "(no message)"
    return text if isinstance(exc, UserError) else f"{type(exc).__name__}: {text}"


def check(inst, origin: str, taken: set[str], presets: dict | None = None, trial_render=True,
          budget=None) -> Found:
    """One instrument through every check; a Found that is installed or says why not."""
    from reverie.sound.graph import GraphError, Instrument, compile_graph
    from reverie.sound.trial import BUDGET, TrialError, trial

    if not isinstance(inst, Instrument):
        return Found("?", origin, refused=f"{origin}: not an Instrument ({type(inst).__name__})")
    f = Found(inst.name, origin, inst)
    if not isinstance(inst.name, str) or not NAME.match(inst.name):
        f.refused = (f"{origin}: the name {inst.name!r} must be lower-case words joined by dots "
                     f"(like 'example.chime'): names without a dot are the firmware's own")
    elif inst.name in taken:
        f.refused = f"{origin}: the name {inst.name!r} is taken by another instrument"
    if f.refused:
        return f
    try:
        f.program = compile_graph(inst).program
        if trial_render:
            f.trial = trial(inst, f.program, presets, budget if budget is not None else BUDGET)
    except (GraphError, TrialError) as e:
        f.refused = f"{origin}: {e}"
    except (Exception, SystemExit) as e:    # a spec or unit that fails in its own way: the box goes on
        log.warning("instrument %s from %s failed its check", inst.name, origin, exc_info=True)
        f.refused = f"{origin}: {inst.name}: {_one_line(e)}"
    return f


def _presets(module, name: str) -> dict:
    """Presets a module ships as PRESETS = {instrument name: {preset name: {key: value}}}
    (optional): the trial render plays each."""
    presets = getattr(module, "PRESETS", None)
    return presets.get(name, {}) if isinstance(presets, dict) else {}


def scan(plugins_dir: Path | None, builtin: set[str], trial_render=True, budget=None,
         skip: dict | None = None, progress=None) -> Scan:
    """Every candidate loaded and checked; nothing registered yet (install() does that).
    `skip`: {origin: refusal} not to load at all; `progress(origin)` before each."""
    result, taken = Scan(), set(builtin)
    for c in candidates(plugins_dir):
        if skip and c.origin in skip:
            result.found.append(Found("?", c.origin, refused=skip[c.origin]))
            continue
        if progress is not None:
            progress(c.origin)
        try:
            obj, module = c.load()
        except (Exception, SystemExit) as e:       # sys.exit() in a plugin ends only the plugin
            log.warning("%s failed to load", c.origin, exc_info=True)
            result.found.append(Found("?", c.origin, refused=f"{c.origin}: {_one_line(e)}"))
            continue
        for inst in obj if isinstance(obj, (tuple, list)) else (obj,):
            f = check(inst, c.origin, taken, _presets(module, getattr(inst, "name", "")), trial_render, budget)
            if f.ok:
                taken.add(f.name)
            else:
                log.warning("refused: %s", f.refused)
            result.found.append(f)
    return result


def install(result: Scan, registry: dict, programs: dict) -> list[str]:
    """Registers the instruments the scan passed (INSTRUMENTS and its compiled programs);
    those a previous scan registered and this one did not find are left in place (a track
    may still play them). Returns their names."""
    names = []
    for f in result.installed:
        registry[f.name] = f.instrument
        programs[f.name] = f.program
        names.append(f.name)
        log.info("instrument %s installed from %s", f.name, f.origin)
    return names
