"""Playing a set: a zone map and its samples made into the buffer the engine's multisample voice
reads (core/multi.pxd: the program, the zone table, the frames), on a worker thread.

Samples go through the sample loader (formats, damage, the [samples] limits) at their own rate:
their frames are the file's, so loop points stay sample-exact, and the voice steps through them
at file rate / engine rate frames per frame, which keeps every zone at its pitch whatever the
engine rate. A track names its set as `factory:NAME` (shipped in this package) or `NAME` (an
imported set: the project's samples/multisamples/NAME first, then the data directory's
instruments/multisamples/NAME)."""
from __future__ import annotations

import math
import re
from dataclasses import dataclass
from pathlib import Path

from reverie.base.errors import UserError
from reverie.sound.multisample.zones import LOOPING, Zone, ZoneMap, load_zone_map

FACTORY_PREFIX = "factory:"
FACTORY_SETS = Path(__file__).parent / "factory"
PROJECT_FOLDER = "multisamples"         # inside a project's samples/
_NAME = re.compile(r"^[A-Za-z0-9_-]{1,64}$")


@dataclass(frozen=True)
class LoadedSet:
    ref: str
    zone_map: ZoneMap
    program: object                     # numpy uint8: the engine's buffer (pack_multi)


def factory_sets() -> list[str]:
    """The shipped sets, as track references, sorted."""
    if not FACTORY_SETS.is_dir():
        return []
    return sorted(FACTORY_PREFIX + p.name for p in FACTORY_SETS.iterdir() if (p / "multisample.json").is_file())


def imported_sets(*folders) -> list[str]:
    """The sets imported into these folders (a project's samples/multisamples, the library)."""
    names: set[str] = set()
    for f in folders:
        if f is not None and Path(f).is_dir():
            names.update(p.name for p in Path(f).iterdir() if (p / "multisample.json").is_file())
    return sorted(names)


def set_folder(ref: str, project_samples: Path | None, library: Path | None) -> Path:
    """Where the set `ref` lives, or one line saying it is not there."""
    name = ref[len(FACTORY_PREFIX):] if ref.startswith(FACTORY_PREFIX) else ref
    if not _NAME.match(name):
        raise UserError(f"multisample {ref!r}: a set's name is letters, digits, - and _")
    if ref.startswith(FACTORY_PREFIX):
        places = [FACTORY_SETS / name]
    else:
        places = [Path(f) / name for f in (project_samples and Path(project_samples) / PROJECT_FOLDER,
                                           library) if f is not None]
    for folder in places:
        if (folder / "multisample.json").is_file():
            return folder
    raise UserError(f"multisample {ref!r} is not there; import it again (reverie import)")


def load_set(ref: str, project_samples: Path | None = None, library: Path | None = None,
             limits=None) -> LoadedSet:
    """The set `ref`, loaded and packed for the engine; one-line UserError when it cannot be."""
    from reverie.sound.samples import SampleLimits, load_sample

    folder = set_folder(ref, project_samples, library)
    zone_map = load_zone_map(folder)
    names = sorted({z.sample for z in zone_map.zones})
    samples = []
    for rel in names:
        facts = zone_map.samples[rel]
        samples.append(load_sample(folder / rel, engine_rate=facts.rate, limits=limits or SampleLimits()))
    index = {rel: k for k, rel in enumerate(names)}
    rows = [zone_row(z, index[z.sample], samples[index[z.sample]].frames, samples[index[z.sample]].rate)
            for z in zone_map.zones]
    return LoadedSet(ref, zone_map, pack(rows, [s.data for s in samples]))


def pack(rows: list[dict], frames: list):
    """The engine's buffer for these zone rows and sample frames."""
    from reverie.core.engine import pack_multi
    from reverie.sound.instruments import program_for

    try:
        return pack_multi(program_for("multisample"), rows, frames)
    except ValueError as e:
        raise UserError(f"multisample: {e}") from None


def zone_row(z: Zone, sample: int, frames: int, rate: int) -> dict:
    """A zone as the engine's table holds it (core/multi.pxd MultiZone)."""
    start = min(z.offset, frames - 1)
    end = min(z.end if z.end is not None else frames, frames)
    end = max(end, start + 1)
    mode = z.loop_mode
    ls, le = (z.loop_start, z.loop_end) if z.loop_start is not None else (start, end)
    ls, le = max(ls, start), min(le, end)
    if mode in LOOPING and le - ls < 2:
        mode = "no_loop"                # the import drops loops that do not fit; this never plays one
    gain = 10.0 ** (z.volume_db / 20.0)
    return {"sample": sample, "key_lo": z.key_lo, "key_hi": z.key_hi, "vel_lo": z.vel_lo,
            "vel_hi": z.vel_hi, "seq_length": z.seq_length, "seq_position": z.seq_position,
            "mode": mode, "start": start, "end": end, "loop_start": ls, "loop_end": le,
            "rate": float(rate), "pitch_off": -z.root + z.transpose + z.tune_cents / 100.0,
            "gain_l": gain * min(1.0, 1.0 - z.pan), "gain_r": gain * min(1.0, 1.0 + z.pan),
            "vel_track": z.velocity_track, "attack_ms": z.attack_ms, "decay_ms": z.decay_ms,
            "sustain": z.sustain, "release_ms": z.release_ms}


def semitones(rate_from: float, rate_to: float) -> float:
    """The pitch a rate ratio is, in semitones (the voice adds it for a file's own rate)."""
    return 12.0 * math.log2(rate_from / rate_to)
