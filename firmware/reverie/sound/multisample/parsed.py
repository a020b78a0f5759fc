"""What a set's definition says, before its samples are opened: the regions (a sample path
and the zone values the definition gives) and one line per thing not understood."""
from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path


@dataclass
class Region:
    where: str                 # "piano.sfz line 12": where the definition made it
    sample: str                # the sample path as written, relative to `base`
    base: Path                 # the folder sample paths are relative to
    values: dict = field(default_factory=dict)   # Zone fields; "root" may be "sample" (the file's own)
    loop_from_file: bool = True   # without loop opcodes, the file's smpl loop makes it loop


@dataclass
class Parsed:
    kind: str                  # "sfz", "samplerbox", "note names" or "multisample"
    name: str                  # what to call the import when no name is given
    definition: str = ""       # the definition file, relative to the source folder
    regions: list[Region] = field(default_factory=list)
    not_understood: list[str] = field(default_factory=list)   # opcodes, headers, lines, files
    skipped: list[str] = field(default_factory=list)          # regions that cannot be used
