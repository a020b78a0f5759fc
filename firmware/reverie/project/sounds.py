"""The sounds a project plays: which engine sample slot holds each sound it names
(`sound_slots`), and decoding them (`load_sounds`, slow: it runs on a worker thread).

Track k's sound is in slot k; a sound that only sample locks name gets a slot from
MAX_TRACKS on.
"""
from __future__ import annotations

import tempfile
from pathlib import Path
from typing import TYPE_CHECKING

from reverie.base.errors import UserError
from reverie.core.defs import SIZES
from reverie.project.model import FACTORY_PREFIX, MAX_TRACKS, Project
from reverie.project.store import SAMPLES_DIR

if TYPE_CHECKING:   # decoding pulls in numpy, libsndfile and soxr: only load_sounds needs them
    from reverie.sound.samples import SampleLimits


def sound_slots(project: Project) -> dict[str, int]:
    """Sound reference -> the first engine slot that holds it."""
    slots: dict[str, int] = {}
    for k, t in enumerate(project.tracks):
        if t.sample is not None:
            slots.setdefault(t.sample, k)
    extra = MAX_TRACKS
    for _, ref in project.sample_refs():
        if ref not in slots:
            if extra >= SIZES["MAX_SAMPLES"]:
                raise UserError(f"the project names more than {SIZES['MAX_SAMPLES']} sounds")
            slots[ref] = extra
            extra += 1
    return slots


def load_sounds(project: Project, folder, engine_rate: int, factory_dir=None,
                limits: SampleLimits | None = None) -> list:
    """One decoded Sample (or None) per project track, then one per sound that only sample
    locks name, in the order of their slots (project.sounds.sound_slots). Factory sounds are
    built into `factory_dir`, or into a temporary folder when it is None. Every file is held
    to `limits` (the loader's defaults when None). UserError on a bad file."""
    from reverie.sound.samples import SampleLimits, load_sample

    limits = limits or SampleLimits()

    slots = sound_slots(project)
    refs = [t.sample for t in project.tracks]
    refs += sorted((r for r, slot in slots.items() if slot >= MAX_TRACKS), key=slots.get)
    factory = {}
    if any(r and r.startswith(FACTORY_PREFIX) for r in refs):
        factory = _factory_sounds(engine_rate, factory_dir, limits)
    samples_dir = Path(folder) / SAMPLES_DIR
    loaded = {}
    for ref in refs:
        if ref is None or ref in loaded:
            continue
        if ref.startswith(FACTORY_PREFIX):
            loaded[ref] = factory[ref[len(FACTORY_PREFIX):]]
        else:
            loaded[ref] = load_sample(samples_dir / ref, engine_rate=engine_rate, limits=limits)
    sounds = Sounds(loaded.get(ref) for ref in refs)
    sounds.multisets, sounds.notices = load_multisets(project, samples_dir, library_of(factory_dir), limits)
    return sounds


class Sounds(list):
    """load_sounds' answer: a sound per slot, and the multisample tracks' sets: `multisets`
    (track index -> the engine's buffer) and `notices` (one line per set that could not load:
    that track stays silent, nothing else changes)."""
    multisets: dict = {}
    notices: list = []


def library_of(factory_dir) -> Path | None:
    """The data directory's imported sets, beside its factory cache (app/paths.py DataDir:
    cache/factory and instruments/multisamples share the root; tests/app/test_paths.py)."""
    return None if factory_dir is None else Path(factory_dir).parent.parent / "instruments" / "multisamples"


def load_multisets(project: Project, samples_dir: Path, library, limits) -> tuple[dict, list]:
    from reverie.sound.multisample.play import load_set

    sets, notices, done = {}, [], {}
    for k, t in enumerate(project.tracks[:MAX_TRACKS]):
        if t.instrument != "multisample" or t.multisample is None:
            continue
        try:
            if t.multisample not in done:
                done[t.multisample] = load_set(t.multisample, samples_dir, library, limits).program
            sets[k] = done[t.multisample]
        except (UserError, OSError) as e:
            notices.append(f"T{k + 1} plays nothing: {e}")
    return sets, notices


def _factory_sounds(engine_rate: int, factory_dir, limits: SampleLimits) -> dict:
    from reverie.sound.kit import build_factory_kit
    from reverie.sound.samples import load_sample

    if factory_dir is not None:
        return {name: load_sample(path, engine_rate=engine_rate, limits=limits)
                for name, path in build_factory_kit(Path(factory_dir)).items()}
    with tempfile.TemporaryDirectory(prefix="reverie-kit-") as tmp:
        return {name: load_sample(path, engine_rate=engine_rate, limits=limits)
                for name, path in build_factory_kit(Path(tmp)).items()}


