"""Importing a multisample set: find what kind of set SOURCE is, read its definition, open
and check every sample it names (inside the source folder only), build and check the zone
map, and copy the samples and multisample.json into a folder of their own under `library`,
all or nothing: the folder appears complete under its name, or not at all.

Runs on a worker thread or in `reverie import`. Whatever goes wrong with the set as a whole
is one UserError line; what goes wrong with one opcode, line or region is a line of the
result, and the rest is imported."""
from __future__ import annotations

import os
import re
import secrets
import shutil
from dataclasses import dataclass, field, fields
from pathlib import Path

from reverie.base.errors import UserError
from reverie.base.files import atomic_copy, fsync_folder
from reverie.sound.multisample.coverage import gaps, key_span, overlaps
from reverie.sound.multisample.facts import Facts, sample_facts
from reverie.sound.multisample.parsed import Parsed, Region
from reverie.sound.multisample.safety import Outside, SourceFolder
from reverie.sound.multisample.samplerbox import AUDIO_SUFFIXES, DEFINITION, read_definition, read_note_named
from reverie.sound.multisample.sfz import read_sfz
from reverie.sound.multisample.zones import (LOOPING, ZONE_FILE, SampleFile, Zone, ZoneMap, load_zone_map,
                                              save_zone_map, zone_problem)
from reverie.sound.samples.decode import DEFAULT_ENGINE_RATE
from reverie.sound.samples.opening import SampleLimits

MAX_SET_BYTES = 2**30                 # the whole set decoded at the engine rate: the player holds it in memory
_ZONE_FIELDS = {f.name for f in fields(Zone)}


@dataclass
class ImportResult:
    name: str
    folder: Path                     # where it was imported
    zone_map: ZoneMap
    kind: str                        # "sfz", "samplerbox", "note names" or "multisample" (a zone map)
    definition: str                  # the definition file, relative to the source folder ("" for none)
    not_understood: list[str] = field(default_factory=list)
    skipped: list[str] = field(default_factory=list)
    notes: list[str] = field(default_factory=list)      # gaps and layers, for the musician
    copied_bytes: int = 0
    engine_bytes: int = 0

    def summary(self) -> str:
        zones, samples = len(self.zone_map.zones), len(self.zone_map.samples)
        lo, hi = key_span(self.zone_map)
        return (f"imported {self.name} into {self.folder}: {zones} zone{'s' * (zones != 1)}, "
                f"{samples} sample{'s' * (samples != 1)}, keys {lo}-{hi}, "
                f"{self.engine_bytes / 2**20:.1f} MB in memory")

    def lines(self) -> list[str]:
        out = [self.summary()] + [f"  {n}" for n in self.notes]
        if self.not_understood:
            out += [f"not understood ({len(self.not_understood)}):"] + [f"  {n}" for n in self.not_understood]
        if self.skipped:
            out += [f"not imported ({len(self.skipped)}):"] + [f"  {n}" for n in self.skipped]
        return out

    def to_json(self) -> dict:
        return {"name": self.name, "folder": str(self.folder), "kind": self.kind, "definition": self.definition,
                "zones": len(self.zone_map.zones), "samples": len(self.zone_map.samples),
                "copied_bytes": self.copied_bytes, "engine_bytes": self.engine_bytes, "notes": self.notes,
                "not_understood": self.not_understood, "skipped": self.skipped}


def import_multisample(source, library: Path, name: str | None = None, root=None,
                       limits: SampleLimits = SampleLimits(), engine_rate: int = DEFAULT_ENGINE_RATE,
                       replace: bool = False, max_set_bytes: int = MAX_SET_BYTES) -> ImportResult:
    """Imports the set at `source` (an .sfz file, a definition.txt, or a folder holding one,
    note-named samples, or a zone map another box imported) into `library`/NAME. `root`: the folder the import may read (by
    default the folder of the .sfz file or the set); `replace`: an import of that name is
    replaced, else the name gets a number."""
    folder, parsed = read_set(source, root)
    zones, samples, facts = [], {}, {}
    for region in parsed.regions:
        zone = _zone_of(region, folder, facts, limits, engine_rate, parsed)
        if zone is not None:
            zones.append(zone)
            f = facts[zone.sample][1]
            samples[zone.sample] = SampleFile(f.frames, f.rate, f.channels)
    if not zones:
        raise UserError(_nothing(source, parsed))
    engine_bytes = sum(facts[rel][1].engine_bytes for rel in samples)
    if engine_bytes > max_set_bytes:
        raise UserError(f"{source}: its samples need {engine_bytes / 2**20:.0f} MB in memory, over the "
                        f"{max_set_bytes / 2**20:.0f} MB a multisample may use; import fewer regions")
    shown = (name or parsed.name).strip()[:64] or "multisample"
    zone_map = ZoneMap(shown, tuple(zones), samples,
                       {"kind": parsed.kind, "definition": parsed.definition, "folder": folder.root.name})
    ZoneMap.from_dict(zone_map.to_dict(), "the imported zone map")     # never write what does not read back
    target = _write(zone_map, {rel: facts[rel][0] for rel in samples}, Path(library), folder_name(shown), replace)
    result = ImportResult(shown, target, zone_map, parsed.kind, parsed.definition, parsed.not_understood,
                          parsed.skipped, copied_bytes=sum(facts[rel][0].stat().st_size for rel in samples),
                          engine_bytes=engine_bytes)
    result.notes = coverage_notes(zone_map)
    return result


def read_set(source, root=None) -> tuple[SourceFolder, Parsed]:
    """The source folder and what the set's definition says, or one line."""
    source = Path(source).expanduser()
    if not source.exists():
        raise UserError(f"{source}: no such file or folder")
    real = source.resolve()
    base = real if real.is_dir() else real.parent
    folder = SourceFolder(Path(root).expanduser() if root is not None else base)
    if not folder.root.is_dir():
        raise UserError(f"{root}: no such folder")
    if real != folder.root and not real.is_relative_to(folder.root):
        raise UserError(f"{source} is not inside {folder.root}, the folder the import may read")
    if real.is_file():
        if real.suffix.lower() == ".sfz":
            return folder, read_sfz(real, folder)
        if real.name == DEFINITION:
            return folder, read_definition(real.parent, _names(real.parent))
        raise UserError(f"{source}: not an .sfz file or a set's folder; give an .sfz file, or a folder "
                        f"with an .sfz file, a {DEFINITION} or samples named by note (60.wav, 60v100.wav)")
    names = _names(real)
    if ZONE_FILE in names:
        return folder, _zone_map_set(real, folder)
    if DEFINITION in names:
        return folder, read_definition(real, names)
    sfz = sorted(n for n in names if n.lower().endswith(".sfz") and (real / n).is_file())
    if len(sfz) > 1:
        shown = ", ".join(sfz[:6]) + (", ..." if len(sfz) > 6 else "")
        raise UserError(f"{source}: holds {len(sfz)} .sfz files ({shown}); give one of them")
    if sfz:
        return folder, read_sfz(real / sfz[0], folder)
    if any(n.lower().endswith(AUDIO_SUFFIXES) for n in names):
        return folder, read_note_named(real, names)
    raise UserError(f"{source}: no .sfz file, {DEFINITION} or samples named by note (60.wav, 60v100.wav) in it")


def _zone_map_set(real: Path, folder: SourceFolder) -> Parsed:
    """A zone map made by Reverie (copied from another box, say): its zones as regions, each
    sample checked and copied again like any set's."""
    zone_map = load_zone_map(real)
    parsed = Parsed("multisample", zone_map.name, folder.relative(real / ZONE_FILE))
    for i, z in enumerate(zone_map.zones):
        values = {f.name: getattr(z, f.name) for f in fields(Zone) if f.name != "sample"}
        parsed.regions.append(Region(f"{ZONE_FILE} zones[{i}]", z.sample, real, values, loop_from_file=False))
    return parsed


def _names(folder: Path) -> list[str]:
    try:
        return sorted(os.listdir(folder))
    except OSError as exc:
        raise UserError(f"{folder}: cannot read it ({exc.strerror or exc.__class__.__name__})") from None


def _zone_of(region: Region, folder: SourceFolder, facts: dict, limits, engine_rate, parsed: Parsed) -> Zone | None:
    """The zone a region makes once its sample is found and checked, or None with a line."""
    def skip(text: str) -> None:
        parsed.skipped.append(f"{region.where}: {text}; region skipped")

    try:
        real = folder.resolve(region.sample, region.base)
    except Outside as exc:
        skip(f"sample {exc}")
        return None
    if not real.is_file():
        skip(f'sample "{_cut(region.sample)}" not found')
        return None
    rel = folder.relative(real)
    if rel == ZONE_FILE:
        skip(f"a sample cannot be called {ZONE_FILE}")
        return None
    if rel not in facts:
        try:
            facts[rel] = (real, sample_facts(real, limits, engine_rate))
        except UserError as exc:
            facts[rel] = (real, str(exc).replace(str(real), rel))
    known = facts[rel][1]
    if isinstance(known, str):
        skip(known)
        return None
    values, said = zone_values(region, known)
    parsed.not_understood += [f"{region.where}: {s}" for s in said]
    zone = Zone(sample=rel, **values)
    problem = zone_problem(zone, known.frames)
    if problem:
        skip(problem)
        return None
    return zone


def zone_values(region: Region, facts: Facts) -> tuple[dict, list[str]]:
    """The zone fields for a region whose sample has `facts`: the file's root note and loop
    where the definition leaves them open, ends and loops fitted to the sample's frames.
    Returns the values and a line for each definition value that had to give way."""
    v = {k: val for k, val in region.values.items() if k in _ZONE_FIELDS}
    said = []
    frames = facts.frames
    if v.get("root", 60) == "sample":
        v["root"] = facts.root_note if facts.root_note is not None else 60
    if v.get("end") is not None and v["end"] > frames:
        said.append(f"end={v['end'] - 1} is past the sample's last frame {frames - 1}; the sample's end is used")
        del v["end"]
    file_loop = facts.loop if region.loop_from_file else None
    if "loop_mode" not in v:
        v["loop_mode"] = "loop_continuous" if file_loop else "no_loop"
    start, end = v.get("loop_start"), v.get("loop_end")
    if file_loop and start is None and end is None:
        start, end = file_loop
    if start is not None or end is not None or v["loop_mode"] in LOOPING:
        start = 0 if start is None else start
        end = (v.get("end") or frames) if end is None else end
        if not 0 <= start < end <= frames:
            said.append(f"the loop {start}..{end - 1} does not fit the sample's {frames} frames; no loop")
            start = end = None
            if v["loop_mode"] in LOOPING:
                v["loop_mode"] = "no_loop"
    v["loop_start"], v["loop_end"] = start, end
    return v, said


def _nothing(source, parsed: Parsed) -> str:
    if parsed.skipped:
        n = len(parsed.skipped)
        return (f"{source}: nothing could be imported ({n} region{'s' * (n != 1)} skipped; first: "
                f"{parsed.skipped[0]})")
    first = f"; first line not understood: {parsed.not_understood[0]}" if parsed.not_understood else ""
    return f"{source}: no region or sample to import{first}"


def folder_name(name: str) -> str:
    """A name as a folder name: letters, digits, - and _ kept, the rest as -."""
    return re.sub(r"[^A-Za-z0-9_-]+", "-", name.strip()).strip("-")[:64] or "multisample"


def _write(zone_map: ZoneMap, files: dict[str, Path], library: Path, slug: str, replace: bool) -> Path:
    """Copies `files` (relative path -> real source path) and the zone map into a temp
    folder in `library`, then renames it to its name: a reader sees all of it or none."""
    token = secrets.token_hex(4)
    target = library / slug
    if not replace:
        n = 1
        while target.exists() or target.is_symlink():
            n += 1
            target = library / f"{slug}-{n}"
    tmp = library / f".{target.name}.importing-{token}"
    try:
        library.mkdir(parents=True, exist_ok=True)
        tmp.mkdir()
        inside = tmp.resolve()
        for rel, real in files.items():
            dst = tmp / rel
            if not dst.resolve().is_relative_to(inside):           # never: rel is a resolved relative path
                raise OSError(f"{rel} would land outside {tmp}")
            dst.parent.mkdir(parents=True, exist_ok=True)
            atomic_copy(real, dst)
        save_zone_map(zone_map, tmp)
        if replace and (target.exists() or target.is_symlink()):
            old = library / f".{target.name}.replaced-{token}"
            os.rename(target, old)
            try:
                os.rename(tmp, target)
            except OSError:
                os.rename(old, target)          # the one it replaces comes back
                raise
            shutil.rmtree(old, ignore_errors=True)
        else:
            os.rename(tmp, target)
        fsync_folder(library)
    except OSError as exc:
        shutil.rmtree(tmp, ignore_errors=True)
        reason = exc.strerror or str(exc)
        raise UserError(f"cannot write the import into {library} ({reason}); nothing was imported") from None
    except BaseException:
        shutil.rmtree(tmp, ignore_errors=True)
        raise
    return target


def coverage_notes(zone_map: ZoneMap) -> list[str]:
    """A few lines on where the map is silent and how much it layers."""
    notes = [g.text() for g in gaps(zone_map)]
    if len(notes) > 12:
        notes = notes[:12] + [f"... and {len(notes) - 12} more silent places"]
    pairs = len(overlaps(zone_map))
    if pairs:
        notes.append(f"{pairs} pair{'s' * (pairs != 1)} of zones sound together (layers)")
    return notes


def _cut(text: str, most: int = 60) -> str:
    text = "".join(c if c.isprintable() else "?" for c in text)
    return text if len(text) <= most else text[:most - 3] + "..."
