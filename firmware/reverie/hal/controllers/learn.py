"""MIDI learn: which controller knob (device, channel, control change) moves which parameter.

A binding names the device by its port name without the numbers the MIDI system adds
(`device_name`), so a controller plugged in again, on another USB socket or after a reboot,
keeps its bindings. Bindings live in a small TOML file (learn.toml in the data directory):
`load()` validates the whole file before it replaces anything, `save()` writes a temp file,
fsyncs it and renames it over the old one.

Channels are 0..15 in the API (as in `reverie.base.events`) and 1..16 in the file (as on a
controller's display).
"""
from __future__ import annotations

import json
import re
import threading
from dataclasses import dataclass
from pathlib import Path

from reverie.base.errors import UserError
from reverie.base.validate import Check, at, read_toml
from reverie.base.files import atomic_path

FORMAT_VERSION = 1
UNCHANGED = "; the bindings in use are unchanged"
# ALSA appends " client:port" ("... MIDI 1 20:0"); a2jmidid puts the client in brackets.
_ALSA_NUMBERS = re.compile(r"\s+\d+:\d+$")
_BRACKET_NUMBERS = re.compile(r"\s*\[\d+\]")
_BINDING_KEYS = ("device", "channel", "control", "key", "track")


def device_name(port: str) -> str:
    """`port` without the client and port numbers the MIDI system gives it."""
    return _BRACKET_NUMBERS.sub("", _ALSA_NUMBERS.sub("", port)).strip()


@dataclass(frozen=True, slots=True)
class Binding:
    device: str           # device_name() of the port
    channel: int          # 0..15
    control: int          # 0..127
    key: str              # the parameter, e.g. "cutoff_hz" or "bus.volume_db"
    track: int = -1       # -1: the focused track


class LearnMap:
    """The bindings, safe to read from the MIDI thread while the control thread edits them."""

    def __init__(self, bindings: list[Binding] = ()):
        self._lock = threading.Lock()
        self._bindings: dict[tuple[str, int, int], Binding] = {}
        for b in bindings:
            self.bind(b.device, b.channel, b.control, b.key, b.track)

    def bind(self, device: str, channel: int, control: int, key: str, track: int = -1) -> Binding:
        """Binds the knob to `key`, replacing what it was bound to."""
        try:
            binding = _binding(Check(), "", device, channel, control, key, track, first_channel=0)
        except UserError as exc:
            raise ValueError(str(exc)) from None
        with self._lock:
            self._bindings[binding.device, channel, control] = binding
        return binding

    def unbind(self, device: str, channel: int, control: int) -> bool:
        with self._lock:
            return self._bindings.pop((device_name(device), channel, control), None) is not None

    def lookup(self, device: str, channel: int, control: int) -> Binding | None:
        """The binding of a knob; `device` is a port name, with or without its numbers."""
        return self._bindings.get((device_name(device), channel, control))

    def items(self) -> list[Binding]:
        with self._lock:
            return sorted(self._bindings.values(), key=lambda b: (b.device, b.channel, b.control))

    def __len__(self) -> int:
        return len(self._bindings)

    def load(self, path) -> bool:
        """Replaces the bindings with the file's. False (and nothing changed) when there is
        no file yet; a bad file is a UserError and changes nothing either."""
        path = Path(path).expanduser()
        if not path.exists():
            return False
        # read_toml: one line for a file unreadable, not UTF-8, too large or nested too deep
        bindings = _parse(path, read_toml(path, after=UNCHANGED))
        with self._lock:
            self._bindings = {(b.device, b.channel, b.control): b for b in bindings}
        return True

    def save(self, path) -> None:
        path = Path(path).expanduser()
        lines = ["# MIDI learn bindings (docs/controllers.md). Channels are 1..16.",
                 f"version = {FORMAT_VERSION}"]
        for b in self.items():
            lines += ["", "[[binding]]", f"device = {json.dumps(b.device)}",
                      f"channel = {b.channel + 1}", f"control = {b.control}",
                      f"key = {json.dumps(b.key)}", f"track = {b.track}"]
        try:
            path.parent.mkdir(parents=True, exist_ok=True)
            with atomic_path(path) as tmp:
                tmp.write_text("\n".join(lines) + "\n", encoding="utf-8")
        except OSError as exc:
            raise UserError(f"{path}: cannot save the MIDI learn bindings ({exc}); "
                            "the previous file is untouched") from None


def _binding(check: Check, where: str, device, channel, control, key, track,
             first_channel: int) -> Binding:
    """A checked Binding; channels count from `first_channel` (0 in the API, 1 in the file)."""
    device = check.text(device_name(device) if isinstance(device, str) else device,
                        at(where, "device"), least=1)
    channel = check.number(channel, at(where, "channel"), first_channel, first_channel + 15, whole=True)
    return Binding(device, channel - first_channel,
                   check.number(control, at(where, "control"), 0, 127, whole=True),
                   check.text(key, at(where, "key"), least=1),
                   check.number(track, at(where, "track"), -1, 255, "(-1: the focused track)", whole=True))


def _parse(path: Path, data: dict) -> list[Binding]:
    check = Check(str(path), after=UNCHANGED)
    check.table(data, "", ("version", "binding"), required=("version",))
    check.choice(data["version"], "version", (FORMAT_VERSION,))
    bindings, seen = [], set()
    for k, entry in enumerate(check.items(data.get("binding", []), "binding", noun="[[binding]] tables")):
        where = f"binding[{k}]"
        check.table(entry, where, _BINDING_KEYS, required=_BINDING_KEYS[:4])
        binding = _binding(check, where, entry["device"], entry["channel"], entry["control"],
                           entry["key"], entry.get("track", -1), first_channel=1)
        if (binding.device, binding.channel, binding.control) in seen:
            raise check.error(f"{where}: control {binding.control} on channel {binding.channel + 1} of "
                              f"{check.shown(binding.device)} is bound twice")
        seen.add((binding.device, binding.channel, binding.control))
        bindings.append(binding)
    return bindings
