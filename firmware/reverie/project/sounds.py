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
    return [loaded.get(ref) for ref in refs]


def _factory_sounds(engine_rate: int, factory_dir, limits: SampleLimits) -> dict:
    from reverie.sound.kit import build_factory_kit
    from reverie.sound.samples import load_sample

    if factory_dir is not None:
        return {name: load_sample(path, engine_rate=engine_rate, limits=limits)
                for name, path in build_factory_kit(Path(factory_dir)).items()}
    with tempfile.TemporaryDirectory(prefix="reverie-kit-") as tmp:
        return {name: load_sample(path, engine_rate=engine_rate, limits=limits)
                for name, path in build_factory_kit(Path(tmp)).items()}


