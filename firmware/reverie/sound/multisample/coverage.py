"""Where a zone map's zones overlap and where it has gaps, for the import report and tests.

Two zones overlap when one note-on can sound both: their keys and velocities meet and their
round-robin positions come up together for some counter (p1 - 1 = p2 - 1 modulo the
greatest common divisor of their seq_lengths). Overlaps are layers in SFZ and legal; the
report names them so an unintended one is seen. A gap is a key and velocity (1..127: a
note-on never has velocity 0) where some counter finds no zone: that note-on is silent.
"""
from __future__ import annotations

from dataclasses import dataclass
from math import gcd, lcm

from reverie.sound.multisample.zones import Zone, ZoneMap


def sound_together(a: Zone, b: Zone) -> bool:
    if a.key_hi < b.key_lo or b.key_hi < a.key_lo or a.vel_hi < b.vel_lo or b.vel_hi < a.vel_lo:
        return False
    return (a.seq_position - 1) % gcd(a.seq_length, b.seq_length) == \
        (b.seq_position - 1) % gcd(a.seq_length, b.seq_length)


def overlaps(zone_map: ZoneMap) -> list[tuple[int, int]]:
    """Pairs of zone indices (i < j) that one note-on can sound together."""
    zones = zone_map.zones
    order = sorted(range(len(zones)), key=lambda i: zones[i].key_lo)
    pairs = []
    for n, i in enumerate(order):          # a sweep over the keys: only zones that start in i's keys
        for j in order[n + 1:]:
            if zones[j].key_lo > zones[i].key_hi:
                break
            if sound_together(zones[i], zones[j]):
                pairs.append((min(i, j), max(i, j)))
    return sorted(pairs)


@dataclass(frozen=True)
class Gap:
    key_lo: int
    key_hi: int
    vel_lo: int
    vel_hi: int
    counters: tuple[int, ...] = ()    # the round-robin counters (mod their cycle) that are silent; () = all

    def text(self) -> str:
        keys = f"key {self.key_lo}" if self.key_lo == self.key_hi else f"keys {self.key_lo}-{self.key_hi}"
        vels = "" if (self.vel_lo, self.vel_hi) == (1, 127) else \
            f" at velocity {self.vel_lo}" if self.vel_lo == self.vel_hi else f" at velocities {self.vel_lo}-{self.vel_hi}"
        turns = "" if not self.counters else \
            f" on round-robin turn{'s' if len(self.counters) > 1 else ''} {', '.join(str(c + 1) for c in self.counters)}"
        return f"{keys}{vels}{turns} play{'s' if self.key_lo == self.key_hi else ''} nothing"


def _silent_counters(zones: list[Zone], velocity: int) -> tuple[int, ...] | None:
    """For one key: None when every counter finds a zone at `velocity`, () when none does,
    else the silent counters within the cycle of the seq_lengths there."""
    here = [z for z in zones if z.vel_lo <= velocity <= z.vel_hi]
    if not here:
        return ()
    cycle = lcm(*(z.seq_length for z in here))
    silent = tuple(c for c in range(cycle) if not any(c % z.seq_length == z.seq_position - 1 for z in here))
    return silent or None


def gaps(zone_map: ZoneMap) -> list[Gap]:
    """The silent places, merged into rectangles: runs of velocities per key, then runs of
    keys with the same velocity runs."""
    per_key = []
    for key in range(128):
        zones = [z for z in zone_map.zones if z.key_lo <= key <= z.key_hi]
        runs, start, last = [], None, None
        for velocity in range(1, 129):
            silent = _silent_counters(zones, velocity) if velocity <= 127 else None
            if start is not None and silent != last:
                runs.append((start, velocity - 1, last))
                start = None
            if silent is not None and start is None:
                start, last = velocity, silent
        per_key.append(tuple(runs))
    out, key = [], 0
    while key < 128:
        end = key
        while end + 1 < 128 and per_key[end + 1] == per_key[key]:
            end += 1
        out += [Gap(key, end, lo, hi, counters) for lo, hi, counters in per_key[key]]
        key = end + 1
    return out


def key_span(zone_map: ZoneMap) -> tuple[int, int]:
    return min(z.key_lo for z in zone_map.zones), max(z.key_hi for z in zone_map.zones)
