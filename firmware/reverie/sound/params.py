"""Parameter specs: name, range, curve, unit, default and page of every parameter.

A spec maps between the user's physical value and 0..1 (for encoders and MIDI CCs), checks
values on the control side with a precise message, and drives pages, p-locks and saving.
"""
from __future__ import annotations

import math
from dataclasses import dataclass, field

from reverie.base.errors import UserError
from reverie.base.validate import Check, at

_CHECK = Check(json=True)    # values come from project files (JSON) and from the UI


@dataclass(frozen=True)
class ParamSpec:
    key: str                 # the name in project files, e.g. "cutoff_hz"
    id: int                  # the engine's parameter id (from reverie.core.defs)
    label: str               # short name on the display
    lo: float
    hi: float
    default: float
    curve: str = "lin"       # lin | exp | int | choice
    unit: str = ""
    page: str = "main"
    choices: tuple[str, ...] = field(default=())
    smooth: bool = False     # the engine glides to a new value (10 ms) instead of jumping

    def check(self, value, where: str = "") -> float:
        """The value as a float if it is allowed, else a UserError naming the place (`where`
        and the key, e.g. "tracks[1].params.cutoff_hz") and the allowed range or choices."""
        path = at(where, self.key) if where else self.key
        if self.curve == "choice" and isinstance(value, str):
            return float(self.choices.index(_CHECK.choice(value, path, self.choices)))
        whole = self.curve in ("int", "choice")
        return float(_CHECK.number(value, path, self.lo, self.hi, self.unit, whole=whole))

    def to_norm(self, value: float) -> float:
        if self.curve == "exp":
            return math.log(value / self.lo) / math.log(self.hi / self.lo)
        return (value - self.lo) / (self.hi - self.lo)

    def from_norm(self, x: float) -> float:
        x = min(1.0, max(0.0, x))
        if self.curve == "exp":
            return self.lo * (self.hi / self.lo) ** x
        value = self.lo + x * (self.hi - self.lo)
        return float(round(value)) if self.curve in ("int", "choice") else value

    def show(self, value: float) -> str:
        if self.curve == "choice":
            return self.choices[int(value)]
        if self.curve == "int":
            return f"{int(value)}{self.unit}"
        return f"{value:.3g}{self.unit}"


class SpecTable:
    """An ordered set of specs, looked up by key or by engine id."""

    def __init__(self, name: str, specs: list[ParamSpec]):
        self.name = name
        self.specs = list(specs)
        self.by_key = {s.key: s for s in self.specs}
        self.by_id = {s.id: s for s in self.specs}
        if len(self.by_key) != len(self.specs) or len(self.by_id) != len(self.specs):
            raise ValueError(f"{name}: parameter keys and ids must be unique")

    def __iter__(self):
        return iter(self.specs)

    def __getitem__(self, key: str) -> ParamSpec:
        try:
            return self.by_key[key]
        except KeyError:
            raise UserError(f"{self.name} has no parameter {key!r}; known: {', '.join(self.by_key)}") from None

    def defaults(self) -> list[tuple[int, float]]:
        return [(s.id, s.default) for s in self.specs]

    def pages(self) -> dict[str, list[ParamSpec]]:
        pages: dict[str, list[ParamSpec]] = {}
        for s in self.specs:
            pages.setdefault(s.page, []).append(s)
        return pages
