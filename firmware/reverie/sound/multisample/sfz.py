"""SFZ, a practical subset (docs/multisample.md, "SFZ"): the <control>, <global>, <master>,
<group> and <region> headers with inheritance (global -> master -> group -> region),
#define and $VAR, #include (inside the source folder only), // and /* */ comments, and the
opcodes of sfz_opcodes.py. Everything else is one line with its file and line number, and
the rest is read. Only an unreadable or absurdly large file is an error (one line)."""
from __future__ import annotations

import re
from pathlib import Path

from reverie.base.errors import UserError
from reverie.sound.multisample.parsed import Parsed, Region
from reverie.sound.multisample.safety import Outside, SourceFolder
from reverie.sound.multisample.sfz_opcodes import OPCODES, Bad

MAX_FILE_BYTES = 8 * 2**20          # the largest SFZ files of big libraries are a few MB
MAX_TEXT_CHARS = 32 * 2**20         # all lines after #include and #define
MAX_LINE_CHARS = 2**20
MAX_INCLUDE_DEPTH = 16
MAX_REGIONS = 4096
HEADERS = ("control", "global", "master", "group", "region")
LEVELS = ("global", "master", "group", "region")       # each header resets the levels below it

_COMMENT = re.compile(r"//[^\n]*|/\*.*?(?:\*/|\Z)", re.DOTALL)   # whichever starts first
_SPACE = re.compile(r"\s*")
_HEADER = re.compile(r"<([^<>\s]*)>")
_OPCODE = re.compile(r"([^\s<>=]+)=")
_VALUE_END = re.compile(r"\s(?=[^\s<>=]+=)|<")   # the next opcode or header ends a value
_TOKEN = re.compile(r"\S+")
_DEFINE = re.compile(r"#define\s+(\$[A-Za-z0-9_]+)(?:\s+(.*))?")
_INCLUDE = re.compile(r'#include\s+(?:"([^"]*)"|(\S+))\s*')


def read_sfz(file: Path, folder: SourceFolder) -> Parsed:
    """The regions of the SFZ file `file` (inside `folder`) and what was not understood."""
    reader = _Reader(file, folder)
    reader.file(file, depth=0)
    reader.close_region()
    parsed = reader.parsed
    _random_as_round_robin(parsed.regions)
    return parsed


def decode(data: bytes) -> str:
    """SFZ files are UTF-8 or, made on Windows, a one-byte code page: read those as Latin-1."""
    try:
        return data.decode("utf-8-sig")
    except UnicodeDecodeError:
        return data.removeprefix(b"\xef\xbb\xbf").decode("latin-1")


def strip_comments(text: str) -> str:
    """Comments become spaces, keeping every newline so line numbers stay true."""
    return _COMMENT.sub(lambda m: re.sub(r"[^\n]", " ", m.group(0)), text)


class _Reader:
    def __init__(self, file: Path, folder: SourceFolder):
        self.folder = folder
        self.base = file.parent                  # sample and #include paths are relative to it
        self.parsed = Parsed("sfz", file.stem, folder.relative(file))
        self.defines: dict[str, str] = {}
        self._define_re = None
        self.chars = 0
        self.default_path = ""
        self.levels: dict[str, dict] = {level: {} for level in LEVELS}
        self.header = None                       # the header being read; "" for one not understood
        self.region_where = ""
        self.stack: list[Path] = []

    # -- files and lines ------------------------------------------------------------------
    def file(self, path: Path, depth: int) -> None:
        label = self.folder.relative(path)
        try:
            if path.stat().st_size > MAX_FILE_BYTES:
                raise UserError(f"{label}: larger than {MAX_FILE_BYTES >> 20} MB; is it an SFZ file?")
            text = decode(path.read_bytes())
        except OSError as exc:
            raise UserError(f"{label}: cannot read it ({exc.strerror or exc.__class__.__name__})") from None
        self.stack.append(path)
        text = strip_comments(text.replace("\r\n", "\n").replace("\r", "\n"))
        for number, line in enumerate(text.split("\n"), 1):
            self.line(line, f"{label} line {number}", depth)
        self.stack.pop()

    def line(self, line: str, where: str, depth: int) -> None:
        line = line.strip()
        if not line:
            return
        m = _DEFINE.fullmatch(line)
        if m:
            self.define(m.group(1), self.substitute(m.group(2) or "", where))
            return
        line = self.substitute(line, where)
        if line is None:
            return
        if line.startswith("#"):
            m = _INCLUDE.fullmatch(line)
            if m:
                self.include(m.group(1) if m.group(1) is not None else m.group(2), where, depth)
            else:
                self.say(f"{where}: {_cut(line)} is not understood; ignored")
            return
        self.tokens(line, where)

    def define(self, name: str, value: str | None) -> None:
        if value is None:
            return
        self.defines[name] = value.strip()
        names = sorted(self.defines, key=len, reverse=True)
        self._define_re = re.compile("|".join(re.escape(n) for n in names))

    def substitute(self, line: str, where: str) -> str | None:
        if self._define_re is not None and "$" in line:
            line = self._define_re.sub(lambda m: self.defines[m.group(0)], line)
        if len(line) > MAX_LINE_CHARS:
            self.say(f"{where}: longer than {MAX_LINE_CHARS >> 20} MB after #define; ignored")
            return None
        self.chars += len(line)
        if self.chars > MAX_TEXT_CHARS:
            raise UserError(f"{self.parsed.definition}: more than {MAX_TEXT_CHARS >> 20} MB of text after "
                            "#include and #define; is it an SFZ file?")
        return line

    def include(self, text: str, where: str, depth: int) -> None:
        try:
            path = self.folder.resolve(text, self.base)
        except Outside as exc:
            self.say(f"{where}: #include {exc}; refused")
            return
        if depth + 1 > MAX_INCLUDE_DEPTH:
            self.say(f"{where}: #include nested deeper than {MAX_INCLUDE_DEPTH}; ignored")
        elif path in self.stack:
            self.say(f"{where}: #include \"{text}\" includes itself; ignored")
        elif not path.is_file():
            self.say(f"{where}: #include \"{text}\": no such file; ignored")
        else:
            try:
                self.file(path, depth + 1)
            except UserError as exc:
                self.say(f"{where}: #include {exc}; ignored")

    # -- headers and opcodes --------------------------------------------------------------
    def tokens(self, line: str, where: str) -> None:
        pos = 0
        while True:
            pos = _SPACE.match(line, pos).end()
            if pos >= len(line):
                return
            m = _HEADER.match(line, pos)
            if m:
                self.start(m.group(1), where)
                pos = m.end()
                continue
            m = _OPCODE.match(line, pos)
            if m:
                stop = _VALUE_END.search(line, m.end())
                end = stop.start() if stop else len(line)
                self.opcode(m.group(1), line[m.end():end].strip(), where)
                pos = end
                continue
            m = _TOKEN.match(line, pos)
            self.say(f"{where}: {_cut(m.group(0))} is not understood; ignored")
            pos = m.end()

    def start(self, header: str, where: str) -> None:
        self.close_region()
        if header not in HEADERS:
            self.header = ""
            self.say(f"{where}: header <{_cut(header)}> is not understood; its opcodes are ignored")
            return
        self.header = header
        if header in LEVELS:
            for level in LEVELS[LEVELS.index(header):]:
                self.levels[level] = {}
        if header == "region":
            self.region_where = where

    def opcode(self, name: str, value: str, where: str) -> None:
        if self.header == "":
            return                                   # inside a header not understood: said once
        shown = f"{_cut(name)}={_cut(value)}"
        if self.header is None:
            self.say(f"{where}: {shown} comes before any header; ignored")
        elif self.header == "control":
            if name == "default_path":
                self.default_path = value.replace("\\", "/")
            else:
                self.say(f"{where}: {shown} is not understood in <control>; ignored")
        elif name == "sample":
            self.levels[self.header]["sample"] = (self.default_path + value, where)
        elif name == "default_path":
            self.say(f"{where}: default_path belongs in <control>; ignored")
        elif name not in OPCODES:
            self.say(f"{where}: opcode {_cut(name)} is not understood; ignored")
        else:
            try:
                self.levels[self.header].update(OPCODES[name](value))
            except Bad as exc:
                self.say(f"{where}: {shown} must be {exc}; ignored")

    def close_region(self) -> None:
        if self.header != "region":
            return
        self.header = None
        values = {}
        for level in LEVELS:
            values.update(self.levels[level])
        where = self.region_where
        sample = values.pop("sample", None)
        problem = _problem(values, sample)
        if problem:
            self.parsed.skipped.append(f"{where}: {problem}; region skipped")
            return
        if len(self.parsed.regions) >= MAX_REGIONS:
            self.parsed.skipped.append(f"{where}: more than {MAX_REGIONS} regions; region skipped")
            return
        self.parsed.regions.append(Region(where, sample[0], self.base, values))

    def say(self, text: str) -> None:
        self.parsed.not_understood.append(text)


def _problem(values: dict, sample) -> str:
    """Why a region, as its opcodes define it, cannot play (before its file is opened)."""
    if sample is None or not sample[0].strip():
        return "no sample"
    if sample[0].startswith("*"):
        return f"the built-in sound {_cut(sample[0])} is not supported"
    if "_skip" in values:
        return values["_skip"]
    lo, hi = values.get("key_lo", 0), values.get("key_hi", 127)
    if lo < 0 or hi < 0:
        return "no key plays it (lokey or hikey is -1)"
    if lo > hi:
        return f"lokey {lo} is above hikey {hi}"
    if values.get("vel_lo", 0) > values.get("vel_hi", 127):
        return f"lovel {values['vel_lo']} is above hivel {values.get('vel_hi', 127)}"
    if values.get("seq_position", 1) > values.get("seq_length", 1):
        return f"seq_position {values['seq_position']} is beyond seq_length {values.get('seq_length', 1)}"
    if values.get("end") == -1:
        return "end=-1 silences it"
    return ""


def _random_as_round_robin(regions: list[Region]) -> None:
    """Regions chosen at random (lorand/hirand) among others with the same keys and
    velocities play in turn instead, in the order of their lorand: a round robin."""
    groups: dict[tuple, list[Region]] = {}
    for r in regions:
        v = r.values
        lo, hi = v.pop("_lorand", 0.0), v.pop("_hirand", 1.0)
        if (lo, hi) != (0.0, 1.0) and "seq_length" not in v:
            key = (v.get("key_lo", 0), v.get("key_hi", 127), v.get("vel_lo", 0), v.get("vel_hi", 127))
            groups.setdefault(key, []).append((lo, r))
    for members in groups.values():
        members.sort(key=lambda m: m[0])
        for n, (_, r) in enumerate(members[:100], 1):
            r.values["seq_length"] = min(len(members), 100)
            r.values["seq_position"] = n


def _cut(text: str, most: int = 40) -> str:
    text = "".join(c if c.isprintable() else "?" for c in text)
    return text if len(text) <= most else text[:most - 3] + "..."
