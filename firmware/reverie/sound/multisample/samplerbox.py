"""SamplerBox sets (docs/multisample.md, "SamplerBox"): a folder of samples with a
definition.txt of file-name patterns and %% options, or, without one, files named by note
("60.wav", "60v100.wav", "C#4.wav"). As SamplerBox does it, a sampled note also plays the
keys around it up to halfway to the next sampled note, and a velocity layer plays from its
velocity up to the next layer's (the lowest layer from velocity 0).

Note names follow SamplerBox's documentation: C4 = 60, middle C. (Its original code placed
names an octave higher, C3 = 60; %%transpose=-12 or =12 brings such a set back in tune.)"""
from __future__ import annotations

import math
import re
from dataclasses import dataclass, field
from pathlib import Path

from reverie.sound.multisample.notes import note_number
from reverie.sound.multisample.parsed import Parsed, Region

DEFINITION = "definition.txt"
AUDIO_SUFFIXES = (".wav", ".aif", ".aiff", ".flac", ".ogg")
MAX_DEFINITION_BYTES = 1 << 20
DEFAULT_RELEASE = 30                  # SamplerBox's %%release default
RELEASE_FULL_MS = 2000.0              # %%release=127 fades out over 2 s (its documented range)
MAX_WILDCARDS = 8                     # * and %fields in a pattern: more could make matching a name take ages

_PATTERN_FIELDS = {                   # %field in a pattern -> what it matches
    "midinote": r"\d+", "velocity": r"\d+", "notename": r"[A-Ga-g]#?[0-9]", "seq": r"\d+",
    "voice": r"\d+", "channel": r"\d+",
}
_PERCENT = re.compile(r"%([A-Za-z]+)")
_NAMED = [re.compile(r"(?P<midinote>\d{1,3})(?:v(?P<velocity>\d{1,3}))?", re.IGNORECASE),
          re.compile(r"(?P<notename>[A-Ga-g][#b]?-?\d)(?:v(?P<velocity>\d{1,3}))?")]


@dataclass
class _Options:
    """What %% lines set for the whole set; a pattern line's own %options override some."""
    volume_db: float = 0.0
    transpose: int = 0
    release: int = DEFAULT_RELEASE
    mode: str = "keyb"
    velocity_track: float = 0.0       # %%velmode=Sample (SamplerBox's own): velocity picks a layer only
    fillnote: bool = True


@dataclass
class _Hit:
    file: str
    note: int
    velocity: int
    seq: int
    where: str
    mode: str
    fillnote: bool
    release: int
    volume_db: float = 0.0
    extra: dict = field(default_factory=dict)


def read_definition(folder: Path, files: list[str]) -> Parsed:
    """The regions of the set in `folder` (files: the names in it) from its definition.txt."""
    parsed = Parsed("samplerbox", folder.name, DEFINITION)
    data = (folder / DEFINITION).read_bytes()[:MAX_DEFINITION_BYTES]
    try:
        text = data.decode("utf-8-sig")
    except UnicodeDecodeError:
        text = data.removeprefix(b"\xef\xbb\xbf").decode("latin-1")
    lines = list(enumerate(text.replace("\r\n", "\n").replace("\r", "\n").split("\n"), 1))
    options = _Options()
    for number, line in lines:                  # %% lines first: they hold for every line
        if line.strip().startswith("%%"):
            _global(options, line.strip(), f"{DEFINITION} line {number}", parsed)
    audio = sorted(f for f in files if f.lower().endswith(AUDIO_SUFFIXES))
    hits: list[_Hit] = []
    voices: dict[int, str] = {}
    for number, line in lines:
        line = line.strip()
        if line and not line.startswith("%%"):
            hits += _pattern(line, f"{DEFINITION} line {number}", audio, options, parsed, voices)
    first = min(voices, default=1)
    for voice, where in sorted(voices.items()):
        if voice != first:
            parsed.not_understood.append(f"{where}: %voice={voice} is another instrument in this set; "
                                         f"only voice {first} is imported")
    hits = [h for h in hits if h.extra.get("voice", 1) == first]
    parsed.regions = _regions(hits, folder, options, parsed)
    return parsed


def read_note_named(folder: Path, files: list[str]) -> Parsed:
    """The regions of a folder whose samples are named by note: 60.wav, 60v100.wav, C#4.wav."""
    parsed = Parsed("note names", folder.name)
    options = _Options()
    hits = []
    for name in sorted(files):
        stem, dot, suffix = name.rpartition(".")
        if not dot or "." + suffix.lower() not in AUDIO_SUFFIXES:
            continue
        info = next(({k: v for k, v in m.groupdict().items() if v is not None}
                     for m in (p.fullmatch(stem) for p in _NAMED) if m), None)
        hit = info and _hit(info, {}, name, name, options, parsed)
        if hit:
            hits.append(hit)
        elif info is None:
            parsed.not_understood.append(f"{name}: not named by a note (60.wav, 60v100.wav, C4.wav); ignored")
    parsed.regions = _regions(hits, folder, options, parsed)
    return parsed


def _global(options: _Options, line: str, where: str, parsed: Parsed) -> None:
    name, eq, value = line[2:].partition("=")
    name, value = name.strip().lower(), value.strip()
    try:
        if not eq:
            raise ValueError
        if name == "volume":
            options.volume_db += _finite(value, -144, 48)
        elif name == "gain":
            gain = _finite(value, 0, 100)
            if gain == 0:
                raise ValueError
            options.volume_db += 20 * math.log10(gain)
        elif name == "transpose":
            options.transpose = _int(value, -127, 127)
        elif name == "release":
            options.release = _int(value, 0, 127)
        elif name == "mode":
            options.mode = _mode(value, where, parsed)
        elif name == "velmode":
            options.velocity_track = {"sample": 0.0, "accurate": 1.0}[value.lower()]
        elif name == "fillnote":
            options.fillnote = {"y": True, "n": False}[value.lower()]
        else:
            parsed.not_understood.append(f"{where}: %%{_cut(name)} is not understood; ignored")
    except (ValueError, KeyError):
        parsed.not_understood.append(f"{where}: {_cut(line)} has a value that does not fit; ignored")


def _mode(value: str, where: str, parsed: Parsed) -> str:
    mode = value.lower()
    if mode in ("keyb", "once"):
        return mode
    parsed.not_understood.append(f"{where}: mode {_cut(value)} is not supported; played as Keyb")
    return "keyb"


def _pattern(line: str, where: str, audio: list[str], options: _Options, parsed: Parsed,
             voices: dict[int, str]) -> list[_Hit]:
    pattern, _, rest = line.partition(",")
    pattern = pattern.strip()
    defaults: dict[str, str] = {}
    for item in (rest.split(",") if rest.strip() else []):
        key, eq, value = item.replace(" ", "").lstrip("%").partition("=")
        if not eq or not key:
            parsed.not_understood.append(f"{where}: option {_cut(item.strip())} is not understood; ignored")
        else:
            defaults[key.lower()] = value
    if pattern.count("*") + pattern.count("%") > MAX_WILDCARDS:
        parsed.not_understood.append(f"{where}: more than {MAX_WILDCARDS} wildcards and fields in one pattern; "
                                     "line ignored")
        return []
    regex, unknown = _compile(pattern)
    if unknown:
        parsed.not_understood.append(f"{where}: %{_cut(unknown)} in the pattern is not understood; line ignored")
        return []
    for key in list(defaults):
        if key not in ("midinote", "velocity", "notename", "seq", "voice", "mode", "fillnote", "release"):
            parsed.not_understood.append(f"{where}: option %{_cut(key)} is not understood; ignored")
            del defaults[key]
    hits = []
    for name in audio:
        m = regex.match(name)                   # from the start of the name, as SamplerBox does
        if m:
            hit = _hit({k: v for k, v in m.groupdict().items() if v is not None}, defaults, name,
                       where, options, parsed)
            if hit:
                hits.append(hit)
                voices.setdefault(hit.extra.get("voice", 1), where)
    if not hits:
        parsed.not_understood.append(f"{where}: the pattern {_cut(pattern)} matches no audio file; ignored")
    return hits


def _compile(pattern: str) -> tuple[re.Pattern, str]:
    parts, pos, seen = [], 0, set()
    for m in _PERCENT.finditer(pattern):
        field_name = next((f for f in _PATTERN_FIELDS if m.group(1).lower().startswith(f)), None)
        if field_name is None:
            return re.compile(""), m.group(1)
        parts.append(_literal(pattern[pos:m.start()]))
        group = f"(?P<{field_name}>{_PATTERN_FIELDS[field_name]})" if field_name not in seen \
            else _PATTERN_FIELDS[field_name]
        seen.add(field_name)
        parts.append(group)
        pos = m.start() + 1 + len(field_name)
    parts.append(_literal(pattern[pos:]))
    return re.compile("".join(parts)), ""


def _literal(text: str) -> str:
    return ".*?".join(re.escape(piece) for piece in re.sub(r"\*+", "*", text).split("*"))


def _hit(info: dict, defaults: dict, file: str, where: str, options: _Options, parsed: Parsed) -> _Hit | None:
    values = {**defaults, **info}
    try:
        if values.get("notename"):
            note = note_number(values["notename"])
            if note is None:
                raise ValueError(f"note {values['notename']}")
        else:
            note = _int(values.get("midinote", "0"), 0, 127)
        velocity = _int(values.get("velocity", "127"), 0, 127)
        seq = _int(values.get("seq", "1"), 0, 10**6)
        voice = _int(values.get("voice", "1"), 1, 127)
        release = _int(values["release"], 0, 127) if "release" in values else options.release
        fill = {"y": True, "n": False}[values["fillnote"].lower()] if "fillnote" in values else options.fillnote
    except (ValueError, KeyError):
        parsed.not_understood.append(f"{where}: {_cut(file)} gives a note, velocity or option "
                                     "that does not fit; ignored")
        return None
    mode = _mode(values["mode"], where, parsed) if "mode" in values else options.mode
    return _Hit(file, note, velocity, seq, where, mode, fill, release, extra={"voice": voice})


def _regions(hits: list[_Hit], folder: Path, options: _Options, parsed: Parsed) -> list[Region]:
    by_key: dict[tuple[int, int, int], _Hit] = {}
    for h in hits:                              # a later line wins for one note, velocity and seq
        by_key[h.note, h.velocity, h.seq] = h
    notes = sorted({n for n, _, _ in by_key})
    owner = _fill(notes, {n for n, v, s in by_key if by_key[n, v, s].fillnote})
    regions = []
    for note in notes:
        keys = [k for k in range(128) if owner[k] == note]
        runs = _runs(keys)
        layers = sorted({v for n, v, _ in by_key if n == note})
        for i, velocity in enumerate(layers):
            vel_lo = 0 if i == 0 else velocity
            vel_hi = layers[i + 1] - 1 if i + 1 < len(layers) else 127
            turns = sorted(s for n, v, s in by_key if (n, v) == (note, velocity))
            for position, seq in enumerate(turns, 1):
                hit = by_key[note, velocity, seq]
                for lo, hi in runs:
                    region = _region(hit, folder, options, lo, hi, vel_lo, vel_hi, len(turns), position, parsed)
                    if region:
                        regions.append(region)
    return regions


def _fill(notes: list[int], fillers: set[int]) -> list[int | None]:
    """For each key, the sampled note it plays: its own, else the nearest note that fills
    (the lower one when both are as near; below the lowest, the lowest; above, the highest)."""
    owner: list[int | None] = [None] * 128
    for n in notes:
        owner[n] = n
    sources = sorted(fillers)
    for key in range(128):
        if owner[key] is None and sources:
            lower = [n for n in sources if n < key]
            upper = [n for n in sources if n > key]
            if lower and upper:
                owner[key] = lower[-1] if key - lower[-1] <= upper[0] - key else upper[0]
            else:
                owner[key] = lower[-1] if lower else upper[0]
    return owner


def _runs(keys: list[int]) -> list[tuple[int, int]]:
    runs = []
    for k in keys:
        if runs and runs[-1][1] == k - 1:
            runs[-1] = (runs[-1][0], k)
        else:
            runs.append((k, k))
    return runs


def _region(hit: _Hit, folder: Path, options: _Options, lo: int, hi: int, vel_lo: int, vel_hi: int,
            seq_length: int, seq_position: int, parsed: Parsed) -> Region | None:
    t = options.transpose                       # note n plays what note n + t would: keys move down by t
    lo, hi, root = max(0, lo - t), min(127, hi - t), hit.note - t
    if lo > hi or not 0 <= root <= 127:
        parsed.skipped.append(f"{hit.where}: {_cut(hit.file)} moves off the keyboard with "
                              f"%%transpose={t}; skipped")
        return None
    values = {"key_lo": lo, "key_hi": hi, "root": root, "vel_lo": vel_lo, "vel_hi": vel_hi,
              "seq_length": min(seq_length, 100), "seq_position": min(seq_position, 100),
              "volume_db": options.volume_db, "velocity_track": options.velocity_track,
              "release_ms": round(hit.release / 127 * RELEASE_FULL_MS, 3)}
    if hit.mode == "once":
        values["loop_mode"] = "one_shot"
    return Region(hit.where, hit.file, folder, values, loop_from_file=hit.mode != "once")


def _int(text: str, lo: int, hi: int) -> int:
    if not re.fullmatch(r"[+-]?\d{1,9}", text.strip()) or not lo <= int(text) <= hi:
        raise ValueError(text)
    return int(text)


def _finite(text: str, lo: float, hi: float) -> float:
    value = float(text)
    if not math.isfinite(value) or not lo <= value <= hi:
        raise ValueError(text)
    return value


def _cut(text: str, most: int = 40) -> str:
    text = "".join(c if c.isprintable() else "?" for c in text)
    return text if len(text) <= most else text[:most - 3] + "..."
