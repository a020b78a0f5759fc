"""Multisample instruments as data: the zone map the `multisample` instrument plays, and
importing SFZ files and SamplerBox sets into one (docs/multisample.md).

- zones.py      the zone map: zones, their checks, multisample.json (load, save), lookup
- coverage.py   where zones overlap (layers) and where the map is silent (gaps)
- notes.py      note numbers and names (c4 = 60, c#4, db4)
- sfz.py        the SFZ subset: headers, inheritance, #define, #include, comments
- sfz_opcodes.py  the SFZ opcodes understood, as a table
- samplerbox.py SamplerBox definition.txt sets and note-named folders
- safety.py     the source folder an import may read, and nothing outside it
- facts.py      each sample checked through the sample loader (formats, damage, limits)
- importer.py   all of it together: read, check, copy into a folder of its own

Nothing here imports the engine."""
from reverie.sound.multisample.coverage import Gap, gaps, overlaps
from reverie.sound.multisample.importer import ImportResult, import_multisample
from reverie.sound.multisample.zones import (FORMAT, LOOP_MODES, VERSION, ZONE_FILE, SampleFile, Zone, ZoneMap,
                                              load_zone_map, save_zone_map)

__all__ = ["FORMAT", "LOOP_MODES", "VERSION", "ZONE_FILE", "Gap", "ImportResult", "SampleFile", "Zone",
           "ZoneMap", "gaps", "import_multisample", "load_zone_map", "overlaps", "save_zone_map"]
